"""What `briefings build` tells a person: warnings summarised by kind, the site's weight, hosts' limits."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import Project, make_project
from generator import hosting


def _future_entries(p: Project, count: int) -> None:
    for n in range(count):
        p.entry(f"2030/01/0{n + 1}/later-{n}.md", f"title: Later {n}\npublished: 2030-01-0{n + 1}T10:00:00+02:00")


def test_repeated_warnings_are_summarised_and_verbose_lists_them_all(project: Project) -> None:
    _future_entries(project, 8)
    result = project.build()
    assert result.code == 0, result.err
    future = [line for line in result.lines if "is in the future" in line]
    assert len(future) == 5
    assert result.lines[len(future)] == (
        "... and 3 more warnings like the last: 'briefings build --verbose' lists them all"
    )
    assert result.err.splitlines()[0] == "0 errors, 8 warnings"
    verbose = project.build("--verbose")
    assert len([line for line in verbose.lines if "is in the future" in line]) == 8
    assert not any(line.startswith("... and") for line in verbose.lines)


def test_every_error_is_printed_however_many(project: Project) -> None:
    for n in range(8):
        project.entry(f"2022/03/03/broken-{n}.md", "title: Broken\npublished: yesterday")
    result = project.build()
    assert result.code == 1
    assert len([line for line in result.lines if ": error: " in line]) == 8
    assert not any(line.startswith("... and") for line in result.lines)


def test_the_build_says_how_many_files_and_how_large_the_site_is(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    result = project.build()
    size = hosting.measure(project.site)
    assert result.err.splitlines()[-1].endswith(f"; {size.files} files, {hosting.megabytes(size.bytes)}")
    assert size.files == sum(len(names) for _, _, names in os.walk(project.site))


def test_a_site_over_each_hosts_limit_is_told_so_naming_the_host(tmp_path: Path) -> None:
    site = tmp_path / "site"
    crowded = site / "cities"
    crowded.mkdir(parents=True)
    for n in range(54_001):  # over Netlify's files in one folder, and Cloudflare's files
        (crowded / f"{n}.html").touch()
    with open(site / "big.bin", "wb") as big:  # over GitHub Pages' 1 GB and Cloudflare's 25 MiB a file, unwritten
        big.truncate(hosting.GIB + 1)
    warnings = hosting.passed(hosting.measure(site))
    assert warnings == [
        "the site is 1,073.7 MB: too large for GitHub Pages (a published site may be at most 1 GB)",
        "the site has 54,002 files: too many for Cloudflare Pages (a site may hold at most 20,000 files on the free plan)",
        "cities/ holds 54,001 files: too many for Netlify (a folder may hold at most 54,000 files)",
        "big.bin is 1,073.7 MB: too large for Cloudflare Pages (a file may be at most 25 MiB)",
    ]
    assert hosting.passed(hosting.SiteSize(files=20_000, bytes=hosting.GIB, fullest="", fullest_files=54_000)) == []


def test_a_site_too_large_for_github_pages_is_told_what_its_open_data_weighs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    with open(site / "data" / "archive.sqlite", "wb") as data:
        data.truncate(600_000_000)
    with open(site / "pages.bin", "wb") as pages:
        pages.truncate(500_000_000)
    assert hosting.passed(hosting.measure(site)) == [
        "the site is 1,100.0 MB: too large for GitHub Pages (a published site may be at most 1 GB); the open data "
        "(data/) is 600.0 MB of it, which 'open_data: false' in the settings leaves out",
        "data/archive.sqlite is 600.0 MB: too large for Cloudflare Pages (a file may be at most 25 MiB), as is 1 other "
        "file; it is open data, which 'open_data: false' in the settings leaves out",
    ]


def test_a_file_too_large_for_cloudflare_pages_is_named_with_how_many_others_are(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    for name, weight in (("data/entries.ndjson", 30_000_000), ("data/archive.sqlite", 90_000_000), ("index.html", 100)):
        with open(site / name, "wb") as file:
            file.truncate(weight)
    assert hosting.passed(hosting.measure(site)) == [
        "data/archive.sqlite is 90.0 MB: too large for Cloudflare Pages (a file may be at most 25 MiB), as is 1 other "
        "file; it is open data, which 'open_data: false' in the settings leaves out"
    ]
    with open(site / "data" / "archive.sqlite", "wb") as file:
        file.truncate(25 * 1024 * 1024)  # at the limit, not over it
    (site / "data" / "entries.ndjson").unlink()
    assert hosting.passed(hosting.measure(site)) == []


def test_the_hosts_limits_are_build_warnings(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(hosting, "LIMITS", (hosting.HostLimit("Tiny Host", "files", 3, "three files at most"),))
    p = make_project(tmp_path)
    p.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    result = p.build()
    files = hosting.measure(p.site).files
    assert f"{p.site}: warning: the site has {files} files: too many for Tiny Host (three files at most)" in result.lines
