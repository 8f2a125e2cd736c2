"""What a rebuild takes from the previous site is checked against what it is, and the site
never shares a file with the cache (generator/previous_site.py, generator/search_index.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MKDOCS_YML, REPO, Project, make_project


def _archive(root: Path) -> Project:
    p = make_project(root)
    for n in range(8):
        city = ["Kyiv", "Kharkiv"][n % 2]
        p.entry(f"2022/03/0{1 + n % 4}/e{n}.md", f"title: E{n}\npublished: 2022-03-0{1 + n % 4}T1{n}:00:00+02:00\ncities: [{city}]")
    return p


def _files(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file()}


def _clean(p: Project, name: str = "clean") -> dict[str, bytes]:
    """What a --clean build of the content as it is now writes."""
    site = p.root / name
    result = p.build("--clean", "--cache-dir", str(p.root / f".cache-{name}"), site=site)
    assert result.code == 0, result.out + result.err
    return _files(site)


def _build(p: Project) -> None:
    result = p.build()
    assert result.code == 0, result.out + result.err


def _edit(p: Project, title: str) -> None:
    p.entry("2022/03/02/e1.md", f"title: {title}\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")


def test_after_a_mkdocs_build_of_an_edit_since_undone_a_build_shows_the_content_as_it_is(tmp_path: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    p = _archive(tmp_path)
    _build(p)
    _edit(p, "E1 edited for a moment")
    mkdocs_build(load_config(str(p.mkdocs_yml(tmp_path / "mkdocs.yml")), site_dir=str(p.site)))
    assert "E1 edited for a moment" in (p.site / "2022/03/02/index.html").read_text("utf-8")
    _edit(p, "E1")  # undone: every page is made from what the last `briefings build` recorded
    _build(p)
    assert _files(p.site) == _clean(p)


def test_after_the_site_is_restored_from_a_backup_a_build_shows_the_content_as_it_is(tmp_path: Path) -> None:
    p = _archive(tmp_path)
    _build(p)
    backup = tmp_path / "backup"
    subprocess.run(["cp", "-a", str(p.site), str(backup)], check=True)
    _edit(p, "E1 edited")
    _build(p)
    shutil.rmtree(p.site)
    subprocess.run(["cp", "-a", str(backup), str(p.site)], check=True)  # the site of before the edit, times and all
    _build(p)
    assert "E1 edited" in (p.site / "2022/03/02/index.html").read_text("utf-8")
    assert _files(p.site) == _clean(p)


def test_a_theme_file_replaced_by_an_older_copy_of_its_size_is_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import mkdocs_plugin

    monkeypatch.setattr(mkdocs_plugin, "SETTLED_NS", -60 * 10**9)  # the copied theme counts as long settled
    p = _archive(tmp_path)
    theme = shutil.copytree(REPO / "theme", tmp_path / "theme")
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(MKDOCS_YML.read_text("utf-8").replace("custom_dir: theme", f"custom_dir: {theme}"), "utf-8")
    css = theme / "assets/stylesheets/briefings.css"
    older = tmp_path / "older.css"
    older.write_bytes(css.read_bytes().replace(b"{", b"{ ", 1)[:-1])  # the same size, other bytes
    os.utime(older, ns=(10**18, 10**18))  # and older: 2001
    assert older.stat().st_size == css.stat().st_size

    def build() -> None:
        result = p.build("--mkdocs-config", str(yml))
        assert result.code == 0, result.out + result.err

    build()
    subprocess.run(["cp", "-p", str(older), str(css)], check=True)
    build()
    assert (p.site / "assets/stylesheets/briefings.css").read_bytes() == older.read_bytes()
    shutil.copy2(css, older)  # as `rsync -a` leaves it: another file, the times of the one before
    older.write_bytes(older.read_bytes().replace(b"{ ", b"{", 1) + b"\n")
    os.utime(older, ns=(10**18, 10**18))
    os.replace(older, css)
    build()
    assert (p.site / "assets/stylesheets/briefings.css").read_bytes() == css.read_bytes()


def _inodes(root: Path) -> dict[tuple[int, int], str]:
    return {(s.st_dev, s.st_ino): f.as_posix() for f in root.rglob("*") if f.is_file() and (s := f.stat())}


def test_the_site_shares_no_file_with_the_cache_and_damage_to_the_cache_is_not_published(tmp_path: Path) -> None:
    p = _archive(tmp_path)
    cache = tmp_path / ".cache"
    _build(p)
    _edit(p, "E1 edited")
    _build(p)  # a rebuild: the search bundles of unchanged days come from the previous site or the cache
    assert not _inodes(p.site).keys() & _inodes(cache).keys()
    published = _files(p.site)
    kept = [f for f in (cache / "search").rglob("*") if f.is_file() and f.name != "digests.json"]
    kept += [f for folder in ("templates", "generator-templates") for f in (cache / folder).rglob("*") if f.is_file()]
    assert kept
    for path in kept:
        _flip_a_byte(path)
    assert _files(p.site) == published  # the live site is as it was
    other = tmp_path / "other"  # a site with nothing to take from: what it needs comes from the cache
    result = p.build(site=other)
    assert result.code == 0, result.out + result.err
    bundles = sorted({str(cache / "search" / path.relative_to(cache / "search").parts[0]) for path in kept if "search" in path.parts})
    templates = [path for path in kept if "search" not in path.parts]
    folders = sorted({path.parent for path in templates})
    assert sorted(result.lines) == sorted(
        [f"{bundle}: warning: this search bundle in the cache was damaged; it was indexed again and replaced" for bundle in bundles]
        + [f"{folder}: warning: {sum(t.parent == folder for t in templates)} files of this cache were missing or damaged;"
           " what they held is built again" for folder in folders]
    )  # fmt: skip
    _build(p)
    assert _files(other) == _files(p.site) == published == _clean(p)


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_the_previous_site_is_never_written_in_place(tmp_path: Path) -> None:
    """A rebuild links the previous site's unchanged files: nothing may write into them after."""
    p = _archive(tmp_path)
    _build(p)
    opened = {path: open(path, "rb") for path in sorted(p.site.rglob("*")) if path.is_file()}  # noqa: SIM115
    try:
        before = {path: handle.read() for path, handle in opened.items()}
        for title in ("E1 edited", "E1 edited again"):
            _edit(p, title)
            _build(p)
        for path, handle in opened.items():  # the very files of the first site, whatever became of their names
            handle.seek(0)
            assert handle.read() == before[path], path
    finally:
        for handle in opened.values():
            handle.close()
    assert _files(p.site) == _clean(p)


def test_a_file_rewritten_with_its_old_time_is_not_taken(tmp_path: Path) -> None:
    from generator.previous_site import PreviousSite, record

    site, cache = tmp_path / "site", tmp_path / "cache"
    page = site / "2022/03/03/index.html"
    page.parent.mkdir(parents=True)
    page.write_text("as built", "utf-8")
    record(cache, site, {"2022/03/03/index.html": "made from this"})
    previous = PreviousSite.load(cache, site)
    assert previous is not None and previous.unchanged("2022/03/03/index.html", "made from this") == page
    assert previous.unchanged("2022/03/03/index.html", "made from something else") is None
    assert PreviousSite.load(cache, tmp_path / "another-site") is None
    times = page.stat()
    with open(page, "r+b") as handle:  # in place: the same inode and size
        handle.write(b"AS")
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))  # and the old modification time
    assert previous.unchanged("2022/03/03/index.html", "made from this") is None  # its change time tells
    (cache / "site-index.json").write_text("{damaged", "utf-8")
    assert PreviousSite.load(cache, site) is None


def test_what_earlier_versions_kept_in_the_cache_is_taken_away(tmp_path: Path) -> None:
    p = _archive(tmp_path)
    cache = tmp_path / ".cache"
    for name in ("last-pages/2022/03/03/index.html", "pages.json", "search-pages/3/2022/03/03/index.html"):
        p.write(f".cache/{name}", "kept by an earlier version")
    _build(p)
    assert not {"last-pages", "pages.json", "search-pages"} & {path.name for path in cache.iterdir()}


def test_rebuild_after_rebuild_takes_every_unchanged_page_from_the_site_before(tmp_path: Path) -> None:
    """Taking a file links it into the new site and emptying the spare unlinks it: the record
    is taken after both, so the next build finds each file as recorded."""
    import re

    p = _archive(tmp_path)
    _build(p)
    for title in ("E1 edited", "E1 edited again", "E1 edited once more"):
        _edit(p, title)
        result = p.build()
        assert result.code == 0, result.out + result.err
        rendered = re.search(r"; (\d+) of (\d+) pages rendered; ", result.err.strip())
        assert rendered is not None and int(rendered[1]) == 7, result.err  # the day, Kharkiv's page, the 4 in the navigation, /data/ (its sizes)
