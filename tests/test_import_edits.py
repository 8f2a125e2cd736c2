"""Importing again after an edit in place: upstream, here, or both.

A WordPress Liveblog entry edited upstream keeps both its times, and so does an
update of a source that gives no change time (a JSON Feed item without
``date_modified``, an RSS item, a page without ``dateModified``). Each imported
entry keeps a ``digest`` beside its ``origin``: what the source said, and what the
import made of it. Importing again then picks up an edit upstream whatever the
times say, never overwrites an edit made here (it reports a conflict and says how
to settle it), rewrites nothing when nothing changed, and records the digest of an
entry imported before entries kept one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REPO, Project
from generator.importing.digests import PATTERN
from import_support import FIXTURES, GUARDIAN, entry, newsroom, run_import, snapshot, summary

SIRENS = "Sirens sounded in Kharkiv again on Saturday morning, the regional administration said."
ALL_CLEAR = f"{SIRENS} The all-clear came an hour later."
WORDPRESS_ENTRY = "2022/03/05/update-5201.md"


def wordpress(render: str, timestamp: int = 1646467200, author: str = "Live desk") -> str:
    """A Liveblog response with entry 5201, as the plugin answers after an edit in place: same id, same times."""
    entry = {
        "id": 5201, "type": "new", "render": f"<p>{render}</p>", "content": render, "css_classes": "liveblog-entry",
        "timestamp": timestamp, "authors": [{"id": 3, "key": "desk", "name": author, "avatar": ""}],
        "entry_time": 1646467200, "share_link": "https://live.example.com/2022/03/05/ukraine-live/#5201",
    }  # fmt: skip
    return json.dumps({"entries": [entry], "latest_timestamp": timestamp})


def imported_wordpress(body: str, digest: str, updated: str = "", author: str = "Live desk") -> str:
    """The entry file the import writes for entry 5201 with ``body`` (an import before bylines were read: ``author=""``)."""
    return (
        "---\n"
        f"title: {body.split('. ')[0].removesuffix('.')}\n"
        f"{f'author: {author}' + chr(10) if author else ''}"
        "published: 2022-03-05T10:00:00+02:00\n"
        f"{updated}"
        "cities: [Kharkiv]\n"
        "people: []\n"
        "sources:\n"
        "  - name: live.example.com\n"
        "    url: https://live.example.com/2022/03/05/ukraine-live/#5201\n"
        "origin: https://live.example.com/2022/03/05/ukraine-live/#5201\n"
        f"digest: {digest}\n"
        "---\n"
        f"{body}\n"
    )


FIRST = "source=46b1c1ecd5166d26 text=c61296b9ab1846f3"
EDITED = "source=466db4ed797379ae text=3e764974f1185126"
# The digest an import wrote of the first version before bylines were read (it read no `authors`).
BEFORE_BYLINES = "source=7c921b37642e2c63 text=62a9838be75a0d53"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path / "newsroom")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The live blog's response as the import fetched it first."""
    path = tmp_path / "liveblog.json"
    path.write_text(wordpress(SIRENS), "utf-8")
    return path


def imported_and_edited(project: Project, source: Path, old: str, new: str) -> tuple[Path, str]:
    """Entry 5201 imported from ``source``, then edited here (``old`` made ``new``): its path and its text."""
    run_import(project, source)
    path = project.content / WORDPRESS_ENTRY
    edited = path.read_text("utf-8").replace(old, new)
    path.write_text(edited, "utf-8")
    return path, edited


def test_a_wordpress_entry_edited_in_place_upstream_is_picked_up(project: Project, source: Path) -> None:
    first = run_import(project, source)
    assert first.lines == [f"new: {project.content}/{WORDPRESS_ENTRY}"]
    assert (project.content / WORDPRESS_ENTRY).read_text("utf-8") == imported_wordpress(SIRENS, FIRST)
    source.write_text(wordpress(ALL_CLEAR), "utf-8")  # edited in place: entry_time and timestamp as they were
    again = run_import(project, source)
    assert again.code == 0, again.err
    assert again.lines == [f"updated: {project.content}/{WORDPRESS_ENTRY}"]
    assert again.err.splitlines() == [
        f"{source}: wordpress: 0 new, 1 updated, 0 unchanged, 0 withdrawn, 0 skipped",
        "imported 1 source: 0 new, 1 updated, 0 unchanged, 0 withdrawn, 0 skipped",
    ]
    assert (project.content / WORDPRESS_ENTRY).read_text("utf-8") == imported_wordpress(ALL_CLEAR, EDITED)
    assert project.check("--strict").code == 0


def test_an_unchanged_source_rewrites_no_file(project: Project, source: Path) -> None:
    sources = [source, GUARDIAN, *(FIXTURES / n for n in ("html", "captures", "feeds"))]
    run_import(project, *sources)
    files = sorted(project.content.rglob("*.md"))
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    again = run_import(project, *sources)
    assert again.out == ""
    assert summary(again) == "imported 5 sources: 0 new, 0 updated, 23 unchanged, 0 withdrawn, 1 skipped"
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == before


def test_a_source_that_changes_its_markup_and_not_its_words_rewrites_no_file(project: Project, source: Path) -> None:
    path, edited = imported_and_edited(project, source, "Saturday morning", "Saturday")
    source.write_text(wordpress(SIRENS).replace("<p>", '<p class=\\"lead\\">'), "utf-8")  # rendered again
    again = run_import(project, source)
    assert (again.out, summary(again)) == ("", "imported 1 source: 0 new, 0 updated, 1 unchanged, 0 withdrawn, 0 skipped")
    assert path.read_text("utf-8") == edited  # and no conflict: the words upstream are the ones imported last


def test_an_entry_edited_here_and_upstream_is_a_conflict_that_keeps_the_edit(project: Project, source: Path) -> None:
    path, edited = imported_and_edited(project, source, "regional administration", "Kharkiv regional administration")
    source.write_text(wordpress(ALL_CLEAR), "utf-8")
    conflict = run_import(project, source)
    assert conflict.code == 0
    assert conflict.out == ""
    keep = EDITED  # the source's version and the text made of it: the file then counts as edited here
    assert conflict.err.splitlines() == [
        f"{source}: conflict entries[0]: {path} was edited here, and its update upstream, since it was imported; "
        f"it is left as edited here. To keep it so, set its line 'digest: {keep}'; "
        "to take the source's version instead, delete the file and import again",
        f"{source}: wordpress: 0 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped, 1 conflict",
        "imported 1 source: 0 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped, 1 conflict",
    ]
    assert path.read_text("utf-8") == edited
    assert run_import(project, source).err == conflict.err  # until it is settled, every import says so
    assert path.read_text("utf-8") == edited


def test_a_conflict_settled_by_keeping_the_edit_stays_settled(project: Project, source: Path) -> None:
    path, edited = imported_and_edited(project, source, "regional administration", "Kharkiv regional administration")
    source.write_text(wordpress(ALL_CLEAR), "utf-8")
    keep = re.search(r"set its line '(digest: [^']*)'", run_import(project, source).err)[1]
    settled = re.sub(r"^digest: .*$", keep, edited, flags=re.M)
    path.write_text(settled, "utf-8")
    again = run_import(project, source)
    assert (again.out, summary(again)) == ("", "imported 1 source: 0 new, 0 updated, 1 unchanged, 0 withdrawn, 0 skipped")
    assert path.read_text("utf-8") == settled
    # The next edit upstream meets an entry that differs from the source's version: a conflict again.
    source.write_text(wordpress(ALL_CLEAR + " Two buildings were damaged."), "utf-8")
    assert summary(run_import(project, source)).endswith(", 1 conflict")
    assert path.read_text("utf-8") == settled


def test_a_conflict_settled_by_taking_the_sources_version(project: Project, source: Path) -> None:
    path, _ = imported_and_edited(project, source, "Saturday morning", "Saturday")
    source.write_text(wordpress(ALL_CLEAR), "utf-8")
    run_import(project, source)
    path.unlink()
    taken = run_import(project, source)
    assert taken.lines == [f"new: {path}"]
    assert path.read_text("utf-8") == imported_wordpress(ALL_CLEAR, EDITED)


def test_what_an_editor_added_to_the_lists_stays_when_upstream_edits_the_body(project: Project, source: Path) -> None:
    path, _ = imported_and_edited(project, source, "people: []", "people: []\ntags: [air-raid]\nkey: true")
    source.write_text(wordpress(ALL_CLEAR), "utf-8")
    assert run_import(project, source).lines == [f"updated: {path}"]
    assert path.read_text("utf-8") == imported_wordpress(ALL_CLEAR, EDITED).replace(
        "origin:", "tags: [air-raid]\nkey: true\norigin:"
    )  # fmt: skip


def test_an_edit_here_stays_through_a_refresh(project: Project, source: Path) -> None:
    path, edited = imported_and_edited(project, source, "Saturday morning", "Saturday")
    refreshed = run_import(project, source, "--refresh")
    assert (refreshed.out, summary(refreshed)) == ("", "imported 1 source: 0 new, 0 updated, 1 unchanged, 0 withdrawn, 0 skipped")
    assert path.read_text("utf-8") == edited


def without_digests(project: Project) -> dict[str, str]:
    """Every entry file as an import made before entries kept digests wrote it; the files as they were."""
    files = {}
    for path in sorted(project.content.rglob("*.md")):
        text = path.read_text("utf-8")
        files[path.relative_to(project.content).as_posix()] = text
        path.write_text(re.sub(r"^digest: .*\n", "", text, flags=re.M), "utf-8")
    return files


def test_entries_imported_before_digests_get_theirs_recorded_once_with_their_text(project: Project, source: Path) -> None:
    run_import(project, source, GUARDIAN)
    with_digests = without_digests(project)
    recorded = run_import(project, source, GUARDIAN)
    assert sorted(recorded.lines) == [
        f"updated: {project.content}/{rel} (digest recorded; the text as it was)" for rel in sorted(with_digests)
    ]
    assert {rel: (project.content / rel).read_text("utf-8") for rel in with_digests} == with_digests
    before = snapshot(project)
    assert run_import(project, source, GUARDIAN).out == ""
    assert snapshot(project) == before


def test_an_entry_imported_before_digests_and_edited_in_place_upstream_keeps_its_text(project: Project, source: Path) -> None:
    """Its text differs from the source's: edited here, or upstream before digests were kept; the times cannot say
    which, so it is kept, and counts as edited here from then on: the next edit upstream is a conflict."""
    run_import(project, source)
    old = without_digests(project)[WORDPRESS_ENTRY].replace(f"digest: {FIRST}\n", "")
    source.write_text(wordpress(ALL_CLEAR), "utf-8")
    recorded = run_import(project, source)
    path = project.content / WORDPRESS_ENTRY
    assert recorded.lines == [f"updated: {path} (digest recorded; its title, times or body differ from the source's and are kept)"]
    assert path.read_text("utf-8") == old.replace("---\nSirens", f"digest: {EDITED}\n---\nSirens")
    source.write_text(wordpress(ALL_CLEAR + " Two buildings were damaged."), "utf-8")
    assert summary(run_import(project, source)).endswith(", 1 conflict")


def test_an_entry_imported_before_digests_takes_a_later_version_as_the_times_say(project: Project, source: Path) -> None:
    run_import(project, source)
    without_digests(project)
    source.write_text(wordpress(ALL_CLEAR, timestamp=1646472600), "utf-8")  # an 'update' an hour and a half later
    assert run_import(project, source).lines == [f"updated: {project.content}/{WORDPRESS_ENTRY}"]
    later = imported_wordpress(ALL_CLEAR, "source=8857afe9b0451c2b text=4fc2bfdafa232ebd", "updated: 2022-03-05T11:30:00+02:00\n")
    assert (project.content / WORDPRESS_ENTRY).read_text("utf-8") == later


def imported_before_bylines(project: Project, old: str = "", new: str = "", digest: bool = True) -> tuple[Path, str]:
    """Entry 5201 as an import before bylines were read wrote it (no `author`), with ``old`` edited to ``new`` here."""
    path = project.content / WORDPRESS_ENTRY
    path.parent.mkdir(parents=True)
    text = imported_wordpress(SIRENS, BEFORE_BYLINES, author="").replace(old, new)
    path.write_text(text if digest else text.replace(f"digest: {BEFORE_BYLINES}\n", ""), "utf-8")
    return path, path.read_text("utf-8")


def test_an_entry_imported_before_bylines_were_read_gets_its_byline_once(project: Project, source: Path) -> None:
    path, _ = imported_before_bylines(project)
    again = run_import(project, source)
    assert again.code == 0, again.err
    assert again.lines == [f"updated: {path}"]  # no conflict: the file is as imported, and the byline is new
    assert summary(again) == "imported 1 source: 0 new, 1 updated, 0 unchanged, 0 withdrawn, 0 skipped"
    assert path.read_text("utf-8") == imported_wordpress(SIRENS, FIRST)  # as an import now writes it
    assert project.check("--strict").code == 0
    before = snapshot(project)
    assert (run_import(project, source).out, snapshot(project)) == ("", before)


def test_an_entry_imported_before_bylines_and_edited_here_gets_its_byline_and_keeps_the_edit(project: Project, source: Path) -> None:
    path, edited = imported_before_bylines(project, "Saturday morning", "Saturday")
    again = run_import(project, source)
    assert again.lines == [
        f"updated: {path} (digest recorded, byline added; its title, times or body differ from the source's and are kept)"
    ]
    with_byline = edited.replace("said\npublished:", "said\nauthor: Live desk\npublished:").replace(BEFORE_BYLINES, FIRST)
    assert path.read_text("utf-8") == with_byline
    assert run_import(project, source).out == ""
    source.write_text(wordpress(ALL_CLEAR), "utf-8")  # the edit here still counts: the next edit upstream is a conflict
    assert summary(run_import(project, source)).endswith(", 1 conflict")
    assert path.read_text("utf-8") == with_byline


def test_an_entry_imported_before_digests_and_bylines_gets_both(project: Project, source: Path) -> None:
    path, _ = imported_before_bylines(project, digest=False)
    again = run_import(project, source)
    assert again.lines == [f"updated: {path} (digest recorded, byline added; the text as it was)"]
    assert path.read_text("utf-8") == imported_wordpress(SIRENS, FIRST)


def test_an_editor_s_byline_survives_importing_again(project: Project, source: Path) -> None:
    path, edited = imported_and_edited(project, source, "author: Live desk", "author: Olena Petrenko and Ben Jones")
    for args in ((), ("--refresh",)):
        again = run_import(project, source, *args)
        assert (again.out, summary(again)) == ("", "imported 1 source: 0 new, 0 updated, 1 unchanged, 0 withdrawn, 0 skipped")
        assert path.read_text("utf-8") == edited
    source.write_text(wordpress(ALL_CLEAR), "utf-8")  # edited upstream too: a conflict, the file as edited here
    conflict = run_import(project, source)
    assert conflict.err.splitlines()[0] == (
        f"{source}: conflict entries[0]: {path} was edited here, and its update upstream, since it was imported; "
        f"it is left as edited here. To keep it so, set its line 'digest: {EDITED}'; "
        "to take the source's version instead, delete the file and import again"
    )
    assert path.read_text("utf-8") == edited


def test_a_byline_deleted_here_stays_deleted(project: Project, source: Path) -> None:
    path, edited = imported_and_edited(project, source, "author: Live desk\n", "")
    source.write_text(wordpress(SIRENS).replace("<p>", '<p class=\\"lead\\">'), "utf-8")  # rendered again
    again = run_import(project, source)
    assert (again.out, summary(again)) == ("", "imported 1 source: 0 new, 0 updated, 1 unchanged, 0 withdrawn, 0 skipped")
    assert path.read_text("utf-8") == edited


def test_a_byline_corrected_upstream_replaces_the_one_imported(project: Project, source: Path) -> None:
    run_import(project, source)
    source.write_text(wordpress(SIRENS, author="Olena Petrenko"), "utf-8")
    again = run_import(project, source)
    assert again.lines == [f"updated: {project.content}/{WORDPRESS_ENTRY}"]
    front, _ = entry(project, WORDPRESS_ENTRY)
    assert front["author"] == "Olena Petrenko"


def test_an_entry_imported_before_digests_keeps_an_editor_s_byline_where_its_source_credits_no_one(project: Project, source: Path) -> None:
    """The imports that wrote no digest wrote no byline either: a file's byline then was written here."""
    source.write_text(wordpress(SIRENS, author=""), "utf-8")
    run_import(project, source)
    without_digests(project)
    path = project.content / WORDPRESS_ENTRY
    path.write_text(path.read_text("utf-8").replace("\npublished:", "\nauthor: Olena Petrenko\npublished:"), "utf-8")
    source.write_text(wordpress(ALL_CLEAR, timestamp=1646472600, author=""), "utf-8")  # a later version: the times decide
    assert run_import(project, source).lines == [f"updated: {path}"]
    front, body = entry(project, WORDPRESS_ENTRY)
    assert (front["author"], body) == ("Olena Petrenko", ALL_CLEAR)


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1", "title": "Chernihiv Voice", "feed_url": "https://chernihivvoice.example/feed.json",
    "items": [{"id": "https://chernihivvoice.example/2022/03/05/bridge", "date_published": "2022-03-05T08:20:00+02:00",
               "content_text": "A bridge over the Desna in Chernihiv was destroyed overnight."}],
}  # fmt: skip
RSS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Kyiv Daily live</title>'
    "<link>https://kyivdaily.example/live</link>\n"
    '<item><title>Curfew in Kyiv eased</title><guid isPermaLink="false">curfew</guid>'
    "<pubDate>Sat, 05 Mar 2022 09:30:00 +0200</pubDate><description>{}</description></item></channel></rss>\n"
)


@pytest.mark.parametrize(
    ("name", "first", "edited", "rel", "said"),
    [
        ("feed.json", json.dumps(JSON_FEED), json.dumps(JSON_FEED).replace("overnight.", "overnight. No one was hurt."),
         "2022/03/05/bridge.md", "No one was hurt."),
        ("live.rss", RSS.format("Shops may open from 8 a.m."), RSS.format("Shops may open from 7 a.m."),
         "2022/03/05/curfew.md", "Shops may open from 7 a.m."),
    ],
    ids=["json-feed without date_modified", "rss without a change time"],
)  # fmt: skip
def test_an_update_without_a_change_time_edited_upstream_is_picked_up(
    project: Project, tmp_path: Path, name: str, first: str, edited: str, rel: str, said: str
) -> None:
    feed = tmp_path / name
    feed.write_text(first, "utf-8")
    run_import(project, feed)
    imported = (project.content / rel).read_text("utf-8")
    feed.write_text(edited, "utf-8")
    again = run_import(project, feed)
    assert again.lines == [f"updated: {project.content}/{rel}"]
    front, body = entry(project, rel)
    assert said in body and "updated" not in front
    assert (project.content / rel).read_text("utf-8").split("\ndigest:")[0] == imported.split("\ndigest:")[0]


def test_check_accepts_the_digest_as_written_and_names_the_line_of_a_broken_one(project: Project, source: Path) -> None:
    run_import(project, source)
    assert project.check("--strict").code == 0
    path = project.content / WORDPRESS_ENTRY
    path.write_text(path.read_text("utf-8").replace(f"digest: {FIRST}", "digest: edited"), "utf-8")
    broken = project.check()
    assert broken.code == 1
    assert (
        f"{path}:11: error: 'digest' must be as 'briefings import' wrote it, like source=5f2a9c0e1b7d3a44 "
        "text=0c91e2ab77f4d310: restore it, or delete the line and import again: 'edited'"
    ) in broken.lines


def test_the_import_writes_digests_of_the_form_the_schema_asks_for() -> None:
    schema = json.loads((REPO / "generator" / "schemas" / "entry.schema.json").read_text("utf-8"))
    assert schema["properties"]["digest"]["pattern"] == PATTERN


def test_the_guide_shows_the_conflict_its_examples_make(project: Project) -> None:
    examples = REPO / "docs" / "examples"
    run_import(project, examples / "wordpress.json")
    run_import(project, examples / "wordpress-later.json")
    path = project.content / WORDPRESS_ENTRY
    path.write_text(path.read_text("utf-8").replace("said. The all-clear", "said in Kharkiv. The all-clear"), "utf-8")
    edited = examples / "wordpress-edited.json"
    (conflict, *_) = run_import(project, edited).err.splitlines()
    shown = conflict.replace(f"{project.content}/", "content/").replace(f"{REPO}/", "")
    assert f"  {shown}\n" in (REPO / "docs" / "importing.md").read_text("utf-8")


def live_feed(body: str, modified: str) -> str:
    """A JSON Feed of one update, as it stood when last changed at ``modified``."""
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Live", "home_page_url": "https://live.example.com/live", "items": [{
        "id": "https://live.example.com/live#u-1", "url": "https://live.example.com/live#u-1", "title": "Toll rises in Kharkiv",
        "content_text": body, "date_published": "2022-03-03T08:00:00+02:00", "date_modified": modified,
    }]})  # fmt: skip


def test_an_older_copy_imported_after_a_newer_one_changes_nothing(project: Project, tmp_path: Path) -> None:
    newer, older = tmp_path / "newer.json", tmp_path / "older.json"
    newer.write_text(live_feed("At least 34 people were killed in Kharkiv.", "2022-03-03T14:02:00+02:00"), "utf-8")
    older.write_text(live_feed("At least 21 people were killed in Kharkiv.", "2022-03-03T08:21:00+02:00"), "utf-8")
    run_import(project, newer)
    before = snapshot(project)
    again = run_import(project, older)
    assert again.code == 0, again.err
    assert snapshot(project) == before  # the correction to 34 stands
    assert again.err.splitlines()[:2] == [
        f"{older}: skipped items[0]: an earlier version of the update (changed 2022-03-03T08:21:00+02:00) than "
        f"{project.content}/2022/03/03/u-1.md holds (changed 2022-03-03T14:02:00+02:00); the entry is left as it was",
        f"{older}: json-feed: 0 new, 0 updated, 0 unchanged, 0 withdrawn, 1 skipped",
    ]
