"""The sample archive is the example contributors copy: it passes the pull-request check as it is."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, run_cli
from generator import yamlsafe

SAMPLE = REPO / "content"


def test_the_sample_archive_passes_the_pull_request_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("check", "--strict")
    assert (result.code, result.out) == (0, "")


@pytest.mark.parametrize("path", sorted(SAMPLE.rglob("*.md")), ids=lambda p: p.relative_to(SAMPLE).as_posix())
def test_every_sample_entry_links_the_page_its_facts_are_on(path: Path) -> None:
    front = path.read_text("utf-8").split("\n---\n", 1)[0].removeprefix("---\n")
    sources = yamlsafe.load(front).data["sources"]
    assert sources, "no sources"
    for source in sources:
        assert urlsplit(source["url"]).path.strip("/"), f"{source['url']} is a home page, not the page of the facts"


def test_the_sample_settings_require_sources() -> None:
    assert "\nrequire_sources: true\n" in (REPO / "site_config" / "settings.yml").read_text("utf-8")
