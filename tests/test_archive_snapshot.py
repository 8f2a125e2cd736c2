"""A rebuild starts from the last build's snapshot: it reads the changed files, patches the archive
and builds exactly what a build from nothing builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_project
from generator.cache import snapshot as archive_snapshot
from generator.cache.snapshot import FILE, FOLDER
from generator.site import GeneratedSite, generate


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cache import file_digests

    # Files written a moment ago are read again by every build until they settle.
    monkeypatch.setattr(file_digests, "SETTLED_NS", -60 * 10**9)


def _project(tmp_path: Path):
    project = make_project(tmp_path)
    project.write("site_config/cities.yml", "- name: Kyiv\n- name: Kharkiv\n")
    for n in range(8):
        city = ["Kyiv", "Kharkiv", "Odesa", "Kyiv"][n % 4]
        project.entry(f"2022/03/0{1 + n % 3}/e{n}.md", f"title: E{n}\npublished: 2022-03-0{1 + n % 3}T1{n}:00:00+02:00\ncities: [{city}]")
    return project


def _output(site: GeneratedSite) -> tuple[dict[str, str], dict[str, bytes]]:
    return {page.url: page.html for page in site.pages}, site.files


def _edit(project) -> None:  # noqa: ANN001 - conftest.Project
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv, Odesa]")
    project.entry("2022/03/04/new.md", "title: New\npublished: 2022-03-04T09:00:00+02:00\ncities: [Kyiv]")
    (project.content / "2022/03/01/e3.md").unlink()


@pytest.fixture
def regroupings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the archives grouped whole from the entries."""
    calls: list[int] = []
    whole = archive_snapshot.build_archive

    def counted(entries, *args):  # noqa: ANN001, ANN202
        calls.append(len(entries))
        return whole(entries, *args)

    monkeypatch.setattr(archive_snapshot, "build_archive", counted)
    return calls


def test_edits_patch_the_snapshot_and_build_what_a_build_from_nothing_builds(tmp_path: Path, regroupings: list[int]) -> None:
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    assert regroupings == [8] and (cache / FOLDER / FILE).is_file()
    archive_snapshot._MADE.clear()  # read back, as a new process does
    _edit(project)
    again = generate(project.content, project.config, cache_dir=cache)
    assert regroupings == [8]  # patched: an edit, a new entry and a removed one, in known entities and names
    assert _output(again) == _output(generate(project.content, project.config))
    assert "E1 edited" in {page.url: page.html for page in again.pages}["cities/odesa/"]


def test_a_new_entity_groups_the_whole_archive_again(tmp_path: Path, regroupings: list[int]) -> None:
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    project.entry("2022/03/04/lviv.md", "title: Lviv\npublished: 2022-03-04T09:00:00+02:00\ncities: [Lviv]")
    again = generate(project.content, project.config, cache_dir=cache)
    assert regroupings == [8, 9]
    assert _output(again) == _output(generate(project.content, project.config))


def test_a_lost_damaged_or_stale_snapshot_costs_time_only(tmp_path: Path, regroupings: list[int]) -> None:
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    snapshot = cache / FOLDER / FILE
    archive_snapshot._MADE.clear()  # as a new process finds it
    snapshot.write_bytes(snapshot.read_bytes()[:-100])
    _edit(project)
    expected = _output(generate(project.content, project.config))
    assert _output(generate(project.content, project.config, cache_dir=cache)) == expected
    assert regroupings == [8, 8]
    archive_snapshot._MADE.clear()
    project.write("site_config/cities.yml", "- name: Kyiv\n- name: Kharkiv\n- name: Lviv\n")  # another stamp
    generate(project.content, project.config, cache_dir=cache)
    assert regroupings == [8, 8, 8]


def test_a_build_that_changes_nothing_keeps_what_the_saved_snapshot_names(tmp_path: Path, regroupings: list[int]) -> None:
    # ``serve`` reads the saved snapshot, then rebuilds after an edit and with nothing changed.
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    archive_snapshot._MADE.clear()
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    generate(project.content, project.config, cache_dir=cache)
    generate(project.content, project.config, cache_dir=cache)  # in memory, nothing changed
    archive_snapshot._MADE.clear()  # a later build, in a process of its own
    assert _output(generate(project.content, project.config, cache_dir=cache)) == _output(generate(project.content, project.config))
    assert regroupings == [8]  # the saved snapshot was still whole: patched, not grouped again


def test_each_build_reads_only_the_file_edited_since_the_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cache import entry_cache

    read: list[str] = []
    reading = entry_cache._read_digested
    monkeypatch.setattr(entry_cache, "_read_digested", lambda reader, path, folder: (read.append(Path(path).name), reading(reader, path, folder))[1])
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    for number in range(3):
        archive_snapshot._MADE.clear()
        read.clear()
        project.entry(f"2022/03/0{1 + number % 3}/e{number}.md", f"title: E{number} edited\npublished: 2022-03-0{1 + number % 3}T1{number}:00:00+02:00")
        generate(project.content, project.config, cache_dir=cache)
        assert read == [f"e{number}.md"]


def test_a_change_to_what_every_key_shares_saves_the_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Else every later build would make every key again: the open data's keys hold SQLite's version.
    from generator import data_files

    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    saved = (cache / FOLDER / FILE).read_bytes()
    archive_snapshot._MADE.clear()
    monkeypatch.setattr(data_files.sqlite3, "sqlite_version", "9.9.9")  # as after a system upgrade
    generate(project.content, project.config, cache_dir=cache)
    assert (cache / FOLDER / FILE).read_bytes() != saved


def test_a_snapshot_whose_entries_left_the_entry_cache_is_not_used(tmp_path: Path, regroupings: list[int]) -> None:
    # The snapshot names its entries by their keys in the entry cache, which holds them.
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    archive_snapshot._MADE.clear()
    for bucket in (cache / "entries").glob("[0-9]*.pickle"):
        bucket.unlink()
    _edit(project)
    assert _output(generate(project.content, project.config, cache_dir=cache)) == _output(generate(project.content, project.config))
    assert regroupings == [8, 8]


def test_a_process_patches_the_snapshot_it_made_without_reading_it_back(tmp_path: Path, regroupings: list[int]) -> None:
    # ``briefings serve``: one process, one build after another.
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    (cache / FOLDER / FILE).unlink()
    _edit(project)
    assert _output(generate(project.content, project.config, cache_dir=cache)) == _output(generate(project.content, project.config))
    assert regroupings == [8]


def test_a_clean_build_leaves_the_snapshot_to_the_next_build(tmp_path: Path, regroupings: list[int]) -> None:
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache, clean=True)
    assert not (cache / FOLDER / FILE).exists()
    generate(project.content, project.config, cache_dir=cache)
    assert (cache / FOLDER / FILE).is_file()


def test_an_entry_with_errors_is_reported_by_every_build_and_a_warning_too(tmp_path: Path) -> None:
    from generator.problems import ContentError

    project = _project(tmp_path)
    cache = tmp_path / "cache"
    project.entry("2022/03/02/later.md", "title: Later\npublished: 2099-03-02T11:00:00+02:00\ncities: [Kyiv]")
    first = generate(project.content, project.config, cache_dir=cache)
    assert [p.message for p in first.warnings if "future" in p.message]
    again = generate(project.content, project.config, cache_dir=cache)
    assert again.warnings == first.warnings
    project.write("content/2022/03/02/broken.md", "---\ntitle: [unclosed\n---\nBody.\n")
    for _ in range(2):
        with pytest.raises(ContentError) as raised:
            generate(project.content, project.config, cache_dir=cache)
        assert any(p.path.endswith("broken.md") for p in raised.value.problems)


def test_a_patched_rebuild_goes_through_the_entries_of_the_changed_entities_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import views

    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    archive_snapshot._MADE.clear()  # the days and entities the keys name are read back with the archive
    lined: list[str] = []
    line = views.Lines.line
    monkeypatch.setattr(views.Lines, "line", lambda lines, entry: lined.append(entry.rel_path) or line(lines, entry))
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    again = generate(project.content, project.config, cache_dir=cache)
    kharkiv = {entry.rel_path for entry in next(e for e in again.archive.cities if e.slug == "kharkiv").entries}
    assert set(lined) == kharkiv and len(kharkiv) < len(again.archive.entries)
    assert again.fresh == (
        "feed cities/kharkiv/feed.xml", "feed feed.xml", "pages city kharkiv", "pages day 2022-03-02", "updates day 2022-03-02"
    )  # fmt: skip
    assert _output(again) == _output(generate(project.content, project.config))


def test_files_read_again_with_the_same_bytes_leave_the_archive_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cache import file_digests

    monkeypatch.setattr(file_digests, "SETTLED_NS", 10**18)  # no signature is trusted: every file is read again
    project = _project(tmp_path)
    cache = tmp_path / "cache"
    first = generate(project.content, project.config, cache_dir=cache)
    assert generate(project.content, project.config, cache_dir=cache).archive is first.archive


def test_a_build_after_a_failed_one_patches_what_the_last_good_build_kept(tmp_path: Path, regroupings: list[int]) -> None:
    from generator.problems import ContentError

    project = _project(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    _edit(project)
    project.write("content/2022/03/04/broken.md", "---\ntitle: [unclosed\n---\nBody.\n")
    with pytest.raises(ContentError):
        generate(project.content, project.config, cache_dir=cache)
    project.entry("2022/03/04/broken.md", "title: Mended\npublished: 2022-03-04T10:00:00+02:00\ncities: [Kharkiv]")
    mended = generate(project.content, project.config, cache_dir=cache)
    assert regroupings == [8]  # both builds after the first patched it
    assert _output(mended) == _output(generate(project.content, project.config))
