"""Importing again: what changed upstream changes the archive, and nothing else does.

An entry is known by its ``origin``. Importing the same source again changes no
byte; an update edited upstream rewrites its own file; one deleted or unpublished
upstream becomes a draft; what an editor added to an imported entry stays.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import Project, entry_ids
from import_support import (
    FIXTURES, GUARDIAN, GUARDIAN_BLOG, GUARDIAN_LATER, entry, entry_files, newsroom, run_import, snapshot, summary,
)  # fmt: skip

KHERSON = "2022/03/03/block-6220501a8f08d8a3e9a0f4b2.md"
KYIV = "2022/03/03/block-62205c2e8f08d8a3e9a0f5c3.md"
SOURCES = [GUARDIAN, *(FIXTURES / n for n in ("wordpress", "html", "captures", "feeds"))]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def test_importing_the_same_sources_again_changes_nothing(project: Project) -> None:
    first = run_import(project, *SOURCES)
    assert summary(first) == "imported 5 sources: 24 new, 0 updated, 0 unchanged, 0 withdrawn, 2 skipped"
    before = snapshot(project)
    again = run_import(project, *SOURCES)
    assert again.code == 0
    assert again.out == ""
    assert summary(again) == "imported 5 sources: 0 new, 0 updated, 24 unchanged, 0 withdrawn, 2 skipped"
    assert snapshot(project) == before


def test_an_update_edited_upstream_rewrites_its_own_file(project: Project) -> None:
    run_import(project, GUARDIAN)
    later = run_import(project, GUARDIAN_LATER)
    assert later.code == 0, later.err
    assert later.lines == [
        f"new: {project.content}/2022/03/03/block-622070f58f08d8a3e9a0f7e5.md",  # the draft, published since
        f"new: {project.content}/2022/03/03/block-62207b168f08d8a3e9a0f8f6.md",
        f"updated: {project.content}/{KHERSON}",
        f"withdrawn: {project.content}/{KYIV} (no longer in the live blog)",
    ]
    assert f"{GUARDIAN_LATER}: guardian: 2 new, 1 updated, 1 unchanged, 1 withdrawn, 0 skipped" in later.err
    kherson, body = entry(project, KHERSON)
    assert kherson["title"] == "Kherson mayor says Russian troops control the city centre"
    assert kherson["published"] == "2022-03-03T09:40:12+02:00"
    assert kherson["updated"] == "2022-03-03T12:05:00+02:00"
    assert body.startswith("Russian forces control the centre of Kherson")
    assert kherson["origin"] == f"{GUARDIAN_BLOG}#block-6220501a8f08d8a3e9a0f4b2"


def test_an_update_deleted_upstream_becomes_a_draft_the_site_does_not_show(project: Project) -> None:
    run_import(project, GUARDIAN)
    kept = (project.content / KYIV).read_text("utf-8")
    run_import(project, GUARDIAN_LATER)
    withdrawn = (project.content / KYIV).read_text("utf-8")
    assert withdrawn == kept.replace("\n---\n", "\ndraft: true\n---\n", 1)  # the rest of the file as it was
    assert entry(project, KYIV)[0]["draft"] is True
    built = project.build()
    assert built.code == 0, built.err
    assert "block-62205c2e8f08d8a3e9a0f5c3" not in entry_ids(project.page("2022/03/03/"))
    assert "block-6220501a8f08d8a3e9a0f4b2" in entry_ids(project.page("2022/03/03/"))
    again = run_import(project, GUARDIAN_LATER)
    assert summary(again) == "imported 1 source: 0 new, 0 updated, 4 unchanged, 0 withdrawn, 0 skipped"


def test_a_wordpress_delete_withdraws_an_entry_imported_before(project: Project, tmp_path: Path) -> None:
    response = json.loads((FIXTURES / "wordpress" / "entries.json").read_text("utf-8"))
    before_delete = tmp_path / "before-delete.json"
    before_delete.write_text(json.dumps({"entries": response["entries"][:4]}), "utf-8")
    assert summary(run_import(project, before_delete)).startswith("imported 1 source: 3 new")
    later = run_import(project, FIXTURES / "wordpress" / "entries.json")
    assert later.lines == [f"withdrawn: {project.content}/2022/03/03/update-4103.md (deleted or unpublished upstream)"]
    assert entry(project, "2022/03/03/update-4103.md")[0]["draft"] is True


def test_an_edit_here_stays_and_an_edit_upstream_as_well_is_a_conflict(project: Project) -> None:
    run_import(project, GUARDIAN)
    path = project.content / KHERSON
    edited = (
        path.read_text("utf-8")
        .replace("cities: [Kherson]", "cities: [Kherson, Kyiv]")
        .replace("key: true", "tags: [occupation]\nkey: true")
        .replace("He asked residents", "He urged residents")
    )
    path.write_text(edited, "utf-8")
    unchanged = run_import(project, GUARDIAN)  # upstream has not changed it since: the edit stays
    assert unchanged.out == "" and path.read_text("utf-8") == edited
    later = run_import(project, GUARDIAN_LATER)  # upstream has: the edit here is not overwritten
    assert f"updated: {path}" not in later.lines
    assert f"{GUARDIAN_LATER}: conflict response.content.blocks.body[0]: {path} was edited here" in later.err
    assert f"{GUARDIAN_LATER}: guardian: 2 new, 0 updated, 1 unchanged, 1 withdrawn, 0 skipped, 1 conflict" in later.err
    assert path.read_text("utf-8") == edited


def test_an_update_moved_to_another_day_upstream_moves_its_file(project: Project, tmp_path: Path) -> None:
    feed = json.loads((FIXTURES / "feeds" / "live.json").read_text("utf-8"))
    source = tmp_path / "feed.json"
    source.write_text(json.dumps(feed), "utf-8")
    run_import(project, source)
    feed["items"][1]["date_published"] = "2022-03-04T00:10:00+02:00"  # corrected: after midnight in Kyiv
    feed["items"][1]["date_modified"] = "2022-03-04T08:00:00+02:00"
    source.write_text(json.dumps(feed), "utf-8")
    moved = run_import(project, source)
    assert moved.lines == [
        f"updated: {project.content}/2022/03/04/update-2.md (moved from {project.content}/2022/03/03/update-2.md)"
    ]
    assert entry_files(project) == ["2022/03/03/update-1.md", "2022/03/04/update-2.md"]
    assert project.check("--strict").code == 0


def test_a_dry_run_says_what_would_change_and_writes_nothing(project: Project) -> None:
    run_import(project, GUARDIAN)
    before = snapshot(project)
    dry = run_import(project, GUARDIAN_LATER, "--dry-run")
    assert dry.code == 0
    assert f"updated: {project.content}/{KHERSON}" in dry.lines
    assert summary(dry) == "dry run, nothing written: would import 1 source: 2 new, 1 updated, 1 unchanged, 1 withdrawn, 0 skipped"
    assert snapshot(project) == before


def test_refresh_lists_a_city_added_to_the_registry_after_the_import(project: Project) -> None:
    first = run_import(project, GUARDIAN_LATER)
    assert "  Lviv: 1 update, named as a place" in first.err.splitlines()
    lviv = "2022/03/03/block-622070f58f08d8a3e9a0f7e5.md"
    assert entry(project, lviv)[0]["cities"] == []
    with (project.config / "cities.yml").open("a", encoding="utf-8") as registry:
        registry.write("\n- name: Lviv\n  aliases: [Lvov, Львів]\n")
    assert run_import(project, GUARDIAN_LATER).out == ""  # nothing changed upstream
    refreshed = run_import(project, GUARDIAN_LATER, "--refresh")
    assert refreshed.lines == [f"updated: {project.content}/{lviv}"]
    assert entry(project, lviv)[0]["cities"] == ["Lviv"]


def test_a_hand_written_entry_keeps_its_name_and_the_import_takes_another(project: Project) -> None:
    own = project.entry("2022/03/03/u-1.md", "title: Written here\npublished: 2022-03-03T08:00:00+02:00")
    text = own.read_text("utf-8")
    run_import(project, FIXTURES / "captures")
    assert own.read_text("utf-8") == text
    assert "2022/03/03/u-1-" in " ".join(entry_files(project))
    assert project.check("--strict").code == 0


def test_the_same_update_in_two_sources_is_imported_once_in_its_later_version(project: Project, tmp_path: Path) -> None:
    early, late = tmp_path / "early", tmp_path / "late"
    early.mkdir()
    late.mkdir()
    shutil.copy(FIXTURES / "captures" / "20220303080000.html", early)
    shutil.copy(FIXTURES / "captures" / "20220303120000.html", late)
    result = run_import(project, late, early)
    assert f"{early}: skipped liveBlogUpdate[0]: a later version of the same update is in {late}" in result.err
    assert entry(project, "2022/03/03/u-2.md")[0]["title"] == "Column north of Kyiv still stalled"


def test_two_entries_with_one_origin_are_reported(project: Project) -> None:
    run_import(project, GUARDIAN)
    shutil.copy(project.content / KHERSON, project.content / "2022/03/03/kherson-copy.md")
    result = run_import(project, GUARDIAN)
    assert (
        f"{project.content}/2022/03/03/kherson-copy.md: origin '{GUARDIAN_BLOG}#block-6220501a8f08d8a3e9a0f4b2' "
        f"is also the origin of {project.content}/{KHERSON}; the import keeps that one"
    ) in result.err.splitlines()


RSS_ITEM = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
    "<channel><title>Kyiv Daily live</title><link>https://kyivdaily.example/live</link>\n"
    '<item><title>Curfew in Kyiv eased</title><guid isPermaLink="false">curfew</guid>'
    "<pubDate>Sat, 05 Mar 2022 09:30:00 +0200</pubDate>\n"
    "<content:encoded><![CDATA[<p>Shops may open in Kyiv from 8 a.m., the city administration said.</p>]]></content:encoded>"
    "</item></channel></rss>\n"
)


def test_a_feed_cut_short_leaves_the_entries_imported_before_as_they_were(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "live.rss"
    feed.write_text(RSS_ITEM, "utf-8")
    run_import(project, feed)
    before = snapshot(project)
    feed.write_text(RSS_ITEM[: RSS_ITEM.index("<p>Shops") + 20], "utf-8")  # cut off inside the CDATA section
    cut = run_import(project, feed, "--refresh")
    assert cut.code == 1
    assert cut.err.splitlines()[0] == (
        f"{feed}: error: the feed ends before its closing </rss>, </feed> or </rdf:RDF> tag: it looks cut short (a "
        "download or save that stopped early); nothing is imported from it, so that no entry loses text: fetch or save "
        "it again whole"
    )
    assert snapshot(project) == before


def test_a_page_cut_short_leaves_the_entries_imported_before_as_they_were(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    whole = (FIXTURES / "html" / "plain-posts.html").read_text("utf-8")
    page.write_text(whole, "utf-8")
    run_import(project, page)
    before = snapshot(project)
    page.write_text(whole[: whole.index("regional officials said")], "utf-8")  # saved without its end
    cut = run_import(project, page)
    assert cut.code == 1
    assert cut.err.splitlines()[0].startswith(f"{page}: error: the page ends before its </body> and </html> tags: it looks cut short")
    assert snapshot(project) == before
