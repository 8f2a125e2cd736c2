"""A golden snapshot of a small built site: any change to the output shows in review.

Run with UPDATE_GOLDEN=1 to accept a change; the diff of tests/golden/expected/
is then part of the pull request.
"""

from __future__ import annotations

import os
from pathlib import Path

import lxml.html
import pytest

from conftest import MKDOCS_YML, article, run_cli

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = GOLDEN / "expected"


def _snapshot(site: Path) -> dict[str, str]:
    """Our part of each generated page (the theme's chrome is MkDocs Material's), the feeds and the days' updates."""
    snapshot = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")) or rel == "404.html":
            continue
        page = lxml.html.fromstring(path.read_bytes())
        if page.xpath("//meta[@http-equiv='refresh']"):
            snapshot[rel] = path.read_text("utf-8")  # redirect pages are entirely ours
            continue
        snapshot[rel] = lxml.html.tostring(article(page), encoding="unicode", pretty_print=True)
    entity_feeds = [p.relative_to(site).as_posix() for pattern in ("*/*/feed.xml", "*/*/feed.json") for p in site.glob(pattern)]
    for feed in ["feed.xml", "feed.json", "corrections/feed.xml", "corrections/feed.json", *entity_feeds]:
        snapshot[feed] = (site / feed).read_text("utf-8")
    for updates in site.glob("[0-9]*/*/*/updates.json"):  # each day's updates, for its open pages
        snapshot[updates.relative_to(site).as_posix()] = updates.read_text("utf-8")
    return snapshot


def test_golden_site(tmp_path: Path) -> None:
    site = tmp_path / "site"

    result = run_cli(
        "build", "--content", GOLDEN / "content", "--config", GOLDEN / "site_config",
        "--site-dir", site, "--mkdocs-config", MKDOCS_YML,
    )  # fmt: skip
    assert result.code == 0, result.out + result.err
    actual = _snapshot(site)
    if os.environ.get("UPDATE_GOLDEN"):
        for rel, text in actual.items():
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        pytest.skip("golden files updated")
    expected = {p.relative_to(EXPECTED).as_posix(): p.read_text("utf-8") for p in EXPECTED.rglob("*") if p.is_file()}
    assert sorted(actual) == sorted(expected)
    for rel in expected:
        assert actual[rel] == expected[rel], f"{rel} differs from the golden snapshot (UPDATE_GOLDEN=1 to accept)"
