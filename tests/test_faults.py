"""Faults a build must survive: damaged caches, a full disk, stray files, odd modes.

A cache is a hint, never a source of truth: one that cannot be read is rebuilt
with a warning, never a failure, and what a build publishes is what a clean build
publishes. A build that cannot write the site says what and why in one line and
leaves the published site as it was.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from conftest import MKDOCS_YML, REPO, Project
from generator.entries import ACTIVE_FILE


def _modes(site: Path) -> set[tuple[str, str]]:
    """The modes found in ``site``, the folder itself included, as ("folder", "0o755") pairs."""
    return {("folder" if path.is_dir() else "file", oct(stat.S_IMODE(path.lstat().st_mode))) for path in [site, *site.rglob("*")]}


@pytest.fixture
def usual_umask() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_web_server_running_as_another_user_can_read_every_folder_and_file(project: Project, usual_umask: object) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    assert project.build().code == 0
    assert _modes(project.site) == {("folder", "0o755"), ("file", "0o644")}
    project.site.chmod(0o700)  # as earlier versions left it; it becomes the spare the next builds build into
    assert project.build().code == 0
    assert project.build().code == 0
    assert _modes(project.site) == {("folder", "0o755"), ("file", "0o644")}
    assert project.build("--clean").code == 0
    assert _modes(project.site) == {("folder", "0o755"), ("file", "0o644")}


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _archive(project: Project) -> None:
    """A few updates on three days, naming cities and people, in three search bundles."""
    for day in (2, 3, 4):
        for hour in (9, 12, 15):
            project.entry(
                f"2022/03/0{day}/at-{hour}.md",
                f"title: Day {day} at {hour}\npublished: 2022-03-0{day}T{hour:02d}:00:00+02:00\ncities: [Kyiv, Odesa]\npeople: [Ann Lee]",
                f"Update {day}-{hour} about Kyiv.",
            )


def _clean(project: Project) -> dict[str, bytes]:
    """The site a clean build makes of the project as it is now."""
    site = project.root / "clean-site"
    result = project.build("--clean", site=site)
    assert result.code == 0, result.out + result.err
    return _tree(site)


def _briefings(command: str, project: Project, *options: str) -> subprocess.CompletedProcess:
    """``briefings COMMAND`` on the project, as a program of its own."""
    return subprocess.run(
        [sys.executable, "-m", "generator", command, "--content", project.content, "--config", project.config,
         "--site-dir", project.site, "--cache-dir", project.root / ".cache", "--mkdocs-config", MKDOCS_YML, *options],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip


def _edit(project: Project) -> None:
    """An edit that leaves one day page to render again: the other pages of its search bundle come from the cache."""
    path = project.content / "2022/03/03/at-12.md"
    path.write_text(path.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")


def test_cached_page_texts_that_went_missing_are_rendered_again_with_a_warning(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    texts = project.root / ".cache" / "output-texts"
    lost = [path for path in texts.iterdir() if path.name != "index.pickle"]
    for path in lost:
        path.unlink()
    _edit(project)
    result = project.build()
    assert result.code == 0, result.err
    assert result.lines == [f"{texts}: warning: {len(lost)} files of this cache were missing or damaged; what they held is built again"]
    assert _tree(project.site) == _clean(project)
    assert project.build().lines == []  # built again: the next build finds them


def test_a_cache_folder_replaced_by_a_file_is_made_again_and_named(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    cache = project.root / ".cache"
    folders = sorted(path for path in cache.iterdir() if path.is_dir())
    assert len(folders) >= 7  # entries, snapshot, pages, texts, templates twice, search bundles
    for folder in folders:
        shutil.rmtree(folder)
        folder.write_text("not a folder")
    _edit(project)
    result = _briefings("build", project, "--verbose")  # a new process: nothing of the last build is in memory
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert all(": warning: " in line for line in lines)
    assert [folder.name for folder in folders if not any(str(folder) in line for line in lines)] == []
    assert "Errno" not in result.stdout + result.stderr
    clean = _clean(project)
    assert _tree(project.site) == clean
    assert project.build().lines == []  # each folder made again
    shutil.rmtree(cache)  # the whole cache folder, given to the build: someone's file, left as it is
    cache.write_text("not a folder")
    result = project.build()
    assert result.code == 0, result.out + result.err
    assert result.lines == [f"{cache}: warning: a file stands where this cache's folder should be; building without this cache"]
    assert _tree(project.site) == clean


def test_a_cache_file_replaced_by_a_folder_is_made_again(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    cache = project.root / ".cache"
    files = sorted(path for path in cache.rglob("*.pickle") if path.is_file())
    assert files
    for path in files:
        path.unlink()
        (path / "inside").mkdir(parents=True)
    _edit(project)
    result = _briefings("build", project, "--verbose")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "could not be saved" not in result.stdout
    assert _tree(project.site) == _clean(project)
    assert project.build().lines == []  # each file written again where the folder was
    # The snapshot, saved after each edit, is a file again; a bucket of stored pages is made
    # again when a build reads it and finds the folder, or stores a page in it.
    assert (cache / "archive" / "snapshot.pickle").is_file()


def test_a_damaged_cache_is_built_again_with_a_warning_never_trusted(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    cache = project.root / ".cache"
    noise = random.Random(21)
    for number, path in enumerate(sorted(path for path in cache.rglob("*") if path.is_file())):
        data = path.read_bytes()  # every other file random bytes, the others cut short
        path.write_bytes(noise.randbytes(len(data)) if number % 2 else data[: len(data) // 2])
    _edit(project)
    result = project.build()
    assert result.code == 0, result.out + result.err
    assert result.lines and all(re.fullmatch(rf"{re.escape(str(cache))}/[^:]+: warning: .*damaged; .* again( and replaced)?", line)
                                for line in result.lines), result.out  # fmt: skip
    clean = _clean(project)
    assert _tree(project.site) == clean
    again = project.build()  # the damaged files were written anew
    assert again.lines == [] and _tree(project.site) == clean


def test_a_warning_is_printed_once(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\nmood: calm")
    project.write("content/2022/03/03/notes.txt", "not an entry")
    build = _briefings("build", project)  # what a terminal shows: MkDocs' log included
    assert build.returncode == 0
    known = ", ".join(sorted(json.loads((REPO / "generator/schemas/entry.schema.json").read_text("utf-8"))["properties"]))
    assert build.stdout == (
        f"{project.content}/2022/03/03/notes.txt: warning: not read as an entry, nor published: entry files end in '.md'\n"
        f"{project.content}/2022/03/03/one.md:4: warning: unknown field 'mood' (known fields: {known})\n"
    )
    first, second = build.stderr.splitlines()
    assert first == "0 errors, 2 warnings"
    assert re.fullmatch(rf"built {re.escape(str(project.site))} in \d+\.\d\d s: 1 entry on 1 day; 7 of 7 pages rendered; \d+ files, [\d,.]+ MB", second)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of 8 MB, mounted for the test: room for one small site, not two."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a small file system is not permitted here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=False)


def _fill(disk: Path) -> None:
    """Take every free byte of ``disk``."""
    with open(disk / "filler", "wb", buffering=0) as filler:  # unbuffered: closing it writes nothing more
        try:
            while True:
                filler.write(bytes(1 << 16))
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_a_full_disk_is_one_clear_line_and_the_site_stays_as_it_was(project: Project, small_disk: Path) -> None:
    _archive(project)
    site = small_disk / "site"
    assert project.build(site=site).code == 0
    published = _tree(site)
    _fill(small_disk)
    for args in ((), ("--clean",)):  # a rebuild writes the changed pages; a clean build, the theme's files first
        _edit(project)
        result = project.build(*args, site=site)
        assert result.code == 1
        assert result.out == ""
        error, failed = result.err.splitlines()
        where = rf"{re.escape(str(small_disk))}/\.site\.new-\w+/\S+|the new site beside {re.escape(str(site))}"
        assert re.fullmatch(rf"briefings: error: could not write ({where}): No space left on device", error), error
        assert failed == f"build failed; {site} was left as it was"
        assert _tree(site) == published


@pytest.mark.parametrize(
    "stray, why",
    [
        ("2022/03/03/index.html", ACTIVE_FILE),  # a web page is never published from the content folder
        ("cities/kyiv/feed.xml", ACTIVE_FILE),
    ],
)
def test_a_file_where_the_generator_writes_is_one_clear_error_for_every_build_and_check(
    project: Project, stray: str, why: str
) -> None:
    project.write("site_config/cities.yml", "- name: Kyiv\n")
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    assert project.build().code == 0  # a previous site and a warm cache
    published = _tree(project.site)
    path = project.write(f"content/{stray}", "<p>Written by hand</p>")
    for result in (project.build(), project.build("--clean"), project.check()):
        assert result.code == 1
        assert result.lines == [f"{path}: error: {why}"]
        assert result.err.startswith("1 error, 0 warnings\n")
    assert _tree(project.site) == published


@pytest.mark.parametrize("stray", ["feed.json", "sitemap.xml.gz", "notes.txt"])
def test_a_file_the_content_folder_does_not_publish_is_told_and_left_out(project: Project, stray: str) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    path = project.write(f"content/{stray}", "Written by hand: a source's name, say.")
    result = project.build()
    assert result.code == 0, result.err
    assert any(line.startswith(f"{path}: warning: not") and "published" in line for line in result.lines)
    assert not (project.site / stray).exists() or (project.site / stray).read_bytes() != path.read_bytes()


def test_the_build_refuses_a_content_file_where_it_writes_whatever_wrote_it(tmp_path: Path) -> None:
    """The check of the outputs a build made: a file by a name the content check does not look at."""
    from generator.problems import ContentError
    from generator.site import check_output_paths

    with pytest.raises(ContentError) as refused:
        check_output_paths((), {"data/entries.csv": b"..."}, ["data/entries.csv", "data/other.csv"], "content/")
    assert [problem.format() for problem in refused.value.problems] == [
        "content/data/entries.csv: error: would overwrite a file the generator writes (data/entries.csv); rename or move this file"
    ]


def test_an_interrupt_python_dropped_still_stops_the_build_before_its_swap(project: Project) -> None:
    """Python drops a KeyboardInterrupt raised inside a finalizer ("Exception ignored in: ..."),
    and the build would go on to publish: the signal is remembered, and asked for before the swap."""
    from generator import interrupts
    from generator.build import build

    _archive(project)
    assert project.build().code == 0
    published = _tree(project.site)
    _edit(project)
    interrupts._heard.set()  # as the handler leaves it when its exception was dropped
    try:
        with pytest.raises(KeyboardInterrupt):
            build(mkdocs_yml=MKDOCS_YML, content_dir=project.content, config_dir=project.config, site_dir=project.site,
                  cache_dir=project.root / ".cache")  # fmt: skip
    finally:
        interrupts._heard.clear()
    assert _tree(project.site) == published
