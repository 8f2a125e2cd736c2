"""Builds that can be trusted: reproducible, atomic, checked against a manifest, valid output."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urldefrag

import html5lib
import lxml.html
import pytest

from conftest import REPO, SAMPLE_CONFIG, SAMPLE_CONTENT, make_project
from generator.manifest import ManifestError, verify_site
from generator.site import load_archive

SAMPLE = SAMPLE_CONTENT


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _build_in_copy(where: Path, hashseed: str) -> Path:
    """Copy the project to ``where`` and build it there with the console script."""
    for name in ("content", "site_config", "theme", "mkdocs.yml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, where / name)
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=where, env=env, check=True, capture_output=True)
    return where / "site"


def test_same_input_builds_byte_identical_sites(tmp_path: Path) -> None:
    first = _build_in_copy(tmp_path / "one", "1")
    time.sleep(1.1)  # a different wall-clock second must not show in any file
    second = _build_in_copy(tmp_path / "two" / "deeper", "2")
    assert _digest(first) == _digest(second)


def test_killed_build_leaves_previous_site_intact(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    assert project.build().code == 0
    before = _digest(project.site)
    for n in range(600):
        project.entry(f"2022/03/04/more-{n}.md", f"title: More {n}\npublished: 2022-03-04T10:00:00+02:00\ncities: [C{n % 7}]")
    command = [
        sys.executable, "-m", "generator", "build", "--content", str(project.content), "--config", str(project.config),
        "--site-dir", str(project.site), "--mkdocs-config", str(REPO / "mkdocs.yml"), "--clean",
        "--cache-dir", str(tmp_path / "cache"),
    ]  # fmt: skip
    reference = tmp_path / "reference"
    subprocess.run([*command[:9], str(reference), *command[10:]], check=True, capture_output=True)
    complete = _digest(reference)
    killed = 0
    # A killed build leaves its temporary folders behind (nothing runs after SIGKILL): here, not in /tmp.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for delay in (0.1, 0.3, 0.6, 1.0, 1.5, 2.0):
        environment = {**os.environ, "TMPDIR": str(scratch)}
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if process.returncode == -signal.SIGKILL:
            killed += 1
            # Killed before the swap: the old site; after it (while cleaning up): the new one.
            assert _digest(project.site) in (before, complete), f"killed after {delay}s"
        else:
            assert process.returncode == 0, process.returncode
            assert _digest(project.site) == complete
    assert killed >= 1


@pytest.mark.parametrize("forked", [False, True], ids=["one-process", "forked"])
def test_manifest_catches_a_lost_entry_and_a_missing_page(tmp_path: Path, forked: bool, monkeypatch) -> None:
    from generator import manifest, parallel

    monkeypatch.setattr(manifest, "WORTH_FORKING", 0 if forked else 10**9)
    monkeypatch.setattr(manifest, "batches", lambda items, size: parallel.batches(items, 1))  # a page a batch
    project = make_project(tmp_path)
    project.entry("2022/03/03/kept.md", "title: Kept\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    project.entry("2022/03/04/other.md", "title: Other\npublished: 2022-03-04T10:00:00+02:00\ncities: [Lviv]")
    assert project.build().code == 0
    archive, _ = load_archive(project.content, project.config)
    verify_site(archive, project.site)
    day = project.site / "2022/03/03/index.html"
    day.write_text(day.read_text().replace('id="kept"', 'id="lost"'))
    with pytest.raises(ManifestError, match=r"kept.md: on its day page 0 times, not once"):
        verify_site(archive, project.site)
    (project.site / "cities/lviv/index.html").unlink()
    with pytest.raises(ManifestError, match=r"the built site has no page cities/lviv/"):
        verify_site(archive, project.site)


def test_manifest_leaves_out_only_the_pages_said_to_be_unchanged(tmp_path: Path) -> None:
    """A rebuild copies unchanged pages from a site that passed the check; it checks the rest."""
    project = make_project(tmp_path)
    project.entry("2022/03/03/kept.md", "title: Kept\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    project.entry("2022/03/04/other.md", "title: Other\npublished: 2022-03-04T10:00:00+02:00\ncities: [Lviv]")
    assert project.build().code == 0
    archive, _ = load_archive(project.content, project.config)
    for url in ("2022/03/03/", "cities/kyiv/"):
        (project.site / url / "index.html").unlink()
    verify_site(archive, project.site, unchanged=["2022/03/03/", "cities/kyiv/"])
    with pytest.raises(ManifestError, match=r"the built site has no page cities/kyiv/"):
        verify_site(archive, project.site, unchanged=["2022/03/03/"])


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sample") / "site"
    from conftest import run_cli

    result = run_cli("build", "--content", SAMPLE, "--config", SAMPLE_CONFIG, "--site-dir", site,
                     "--mkdocs-config", REPO / "mkdocs.yml")  # fmt: skip
    assert result.code == 0, result.out + result.err
    return site


def test_sample_day_lists_that_days_entries(sample_site: Path) -> None:
    page = lxml.html.fromstring((sample_site / "2022/03/03/index.html").read_bytes())
    ids = page.xpath("//article[contains(@class,'brf-entry')]/@id")
    expected = sorted(p.stem for p in (SAMPLE / "2022/03/03").glob("*.md"))
    assert sorted(ids) == expected


def test_every_internal_link_and_anchor_resolves(sample_site: Path) -> None:
    broken = []
    ids_of: dict[Path, set[str]] = {}
    for page in sorted(sample_site.rglob("*.html")):
        tree = lxml.html.fromstring(page.read_bytes())
        for href in tree.xpath("//a/@href | //link[@rel='alternate' or @rel='stylesheet']/@href"):
            if href.startswith(("http:", "https:", "mailto:", "javascript:")) or href.startswith("#") and len(href) == 1:
                continue
            url, fragment = urldefrag(href)
            if url.startswith("/"):  # 404.html links from the site root (site_url's path is "/")
                target = sample_site / url.lstrip("/")
            else:
                target = (page.parent / url).resolve() if url else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(sample_site)} -> {href}")
                continue
            if fragment and target.suffix == ".html":
                if target not in ids_of:
                    ids_of[target] = set(lxml.html.fromstring(target.read_bytes()).xpath("//@id"))
                if fragment not in ids_of[target]:
                    broken.append(f"{page.relative_to(sample_site)} -> {href} (no such anchor)")
    assert broken == []


def test_our_pages_parse_as_valid_html(sample_site: Path) -> None:
    """html5lib in strict mode raises on any parse error in the whole document."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in sorted(sample_site.rglob("index.html")):
        parser.parse(page.read_bytes())


def test_sample_content_passes_strict_check() -> None:
    archive, problems = load_archive(SAMPLE, SAMPLE_CONFIG, strict=True)
    assert problems == ()
    assert len(archive.entries) >= 30 and len(archive.days) >= 3


def test_warm_cache_build_is_byte_identical_to_a_clean_build(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    for n in range(30):
        project.entry(f"2022/03/0{1 + n % 3}/e{n}.md", f"title: E{n}\npublished: 2022-03-0{1 + n % 3}T1{n % 10}:00:00+02:00\ncities: [C{n % 4}]")
    assert project.build("--clean", site=tmp_path / "clean").code == 0
    project.entry("2022/03/01/e0.md", "title: E0 edited\npublished: 2022-03-01T10:00:00+02:00\ncities: [C0]")
    assert project.build(site=tmp_path / "warm").code == 0  # the cache now holds 29 unchanged files
    assert project.build("--clean", site=tmp_path / "clean2").code == 0
    assert _digest(tmp_path / "warm") == _digest(tmp_path / "clean2")
    assert _digest(tmp_path / "warm") != _digest(tmp_path / "clean")


def test_cache_replays_warnings_and_follows_removed_files(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.entry("2022/03/03/odd.md", "title: Odd\npublished: 2022-03-03T10:00:00+02:00\nwriter: x")
    project.entry("2022/03/03/gone.md", "title: Gone\npublished: 2022-03-03T11:00:00+02:00")
    first = project.build()
    (project.content / "2022/03/03/gone.md").unlink()
    second = project.build()
    assert first.out == second.out and "unknown field 'writer'" in second.out
    assert _entry_ids(project.site / "2022/03/03/index.html") == ["odd"]


def _entry_ids(path: Path) -> list[str]:
    return lxml.html.fromstring(path.read_bytes()).xpath("//article[contains(@class,'brf-entry')]/@id")


def test_sitemap_lists_every_page_once_with_a_day_s_last_change_and_no_build_date(sample_site: Path) -> None:
    import gzip

    import lxml.etree

    raw = (sample_site / "sitemap.xml").read_bytes()
    assert gzip.decompress((sample_site / "sitemap.xml.gz").read_bytes()) == raw
    locs = lxml.etree.fromstring(raw).xpath("//*[local-name()='loc']/text()")
    pages = {
        "https://briefings.example.org/" + p.parent.relative_to(sample_site).as_posix().replace(".", "") + "/"
        for p in sample_site.rglob("index.html")
        if not lxml.html.fromstring(p.read_bytes()).xpath("//meta[@http-equiv='refresh']")
    }
    assert sorted(locs) == sorted(u.replace("org//", "org/") for u in pages)
    changed = {url.findtext("{*}loc"): url.findtext("{*}lastmod") for url in lxml.etree.fromstring(raw)}
    site = "https://briefings.example.org/"
    days = {loc: when for loc, when in changed.items() if when and loc[len(site):][:2] == "20"}
    assert days == {  # the sample's days: their last updates
        f"{site}2022/03/02/": "2022-03-02T23:10:00+02:00",
        f"{site}2022/03/03/": "2026-12-07T21:30:00+02:00",  # a correction made since
        f"{site}2022/03/04/": "2022-03-04T06:30:00+02:00",
    }
    assert changed[site] == days[f"{site}2022/03/04/"]  # the home page shows the latest day
    # A city's or person's page changes with the updates naming it, as the open data gives them.
    records = [json.loads(line) for line in (sample_site / "data/entries.ndjson").read_text("utf-8").splitlines()]
    for kind, section in (("cities", "cities"), ("people", "people")):
        for page in (sample_site / section).glob("*/index.html"):
            name = lxml.html.fromstring(page.read_bytes()).xpath("string(//article//h1)")
            naming = [r["updated"] or r["published"] for r in records if name in r[kind]]
            if naming:
                assert changed[f"{site}{section}/{page.parent.name}/"] == max(naming, key=datetime.fromisoformat), name
    assert {loc for loc, when in changed.items() if not when} >= {f"{site}archive/", f"{site}data/"}


def test_discarded_folders_leave_at_once_and_are_deleted_in_the_background(tmp_path: Path) -> None:
    import time

    from generator.site_folders import discard

    folders = [tmp_path / name for name in ("a", "b")]
    for folder in folders:
        (folder / "deep").mkdir(parents=True)
        (folder / "deep" / "file.html").write_text("x", "utf-8")
    discard(*folders, tmp_path / "never-there")
    assert not any(folder.exists() for folder in folders)
    deadline = time.monotonic() + 10
    while any(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(tmp_path.iterdir()) == []
