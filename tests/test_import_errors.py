"""Sources that cannot be read: a clear error with its place, the other sources imported, nothing lost.

Errors are printed as `PLACE: error: MESSAGE` (the file, with its line where the
format has lines, or the URL); the import exits 1 when any source had one, and 2
for a usage error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Project
from import_support import FIXTURES, GUARDIAN, entry, entry_files, newsroom, run_import, snapshot, summary

BROKEN = FIXTURES / "broken"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def test_a_truncated_json_file_is_named_with_the_line_where_it_ends(project: Project) -> None:
    result = run_import(project, BROKEN / "truncated.json")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{BROKEN}/truncated.json:31: error: not valid JSON: Expecting property name enclosed in double quotes"
        " at column 5 (the text ends early: is the file cut short?)"
    )
    assert summary(result) == "imported 1 source: 0 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped; 1 source with errors"


def test_a_page_without_a_live_blog_says_what_it_looked_for(project: Project) -> None:
    result = run_import(project, BROKEN / "no-json-ld.html")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{BROKEN}/no-json-ld.html: error: no live blog in this page: no schema.org LiveBlogPosting in its JSON-LD,"
        " no liveBlogUpdate microdata, no h-entry microformats, and no two elements with an id and a <time datetime>"
    )


def test_a_feed_that_is_not_xml_is_an_error_and_a_malformed_one_is_read_leniently(project: Project) -> None:
    not_a_feed = run_import(project, BROKEN / "not-a-feed.xml")
    assert not_a_feed.err.splitlines()[0] == (
        f"{BROKEN}/not-a-feed.xml: error: not a format this importer reads: expected an HTML page, an RSS or Atom feed, or JSON"
    )
    forced = run_import(project, BROKEN / "not-a-feed.xml", "--format", "feed")
    assert forced.code == 1
    assert forced.err.splitlines()[0] == f"{BROKEN}/not-a-feed.xml:2: error: not an RSS or Atom feed: syntax error"
    malformed = run_import(project, BROKEN / "malformed.rss")
    assert malformed.code == 0
    assert f"{BROKEN}/malformed.rss: warning: the feed is not well-formed XML (line 4: not well-formed (invalid token)); it was read leniently" in malformed.err
    assert entry_files(project) == ["2022/03/03/strikes.md"]


def test_the_other_sources_are_imported_and_the_run_fails(project: Project) -> None:
    result = run_import(project, BROKEN / "truncated.json", GUARDIAN, project.root / "missing.json")
    assert result.code == 1
    assert f"{project.root}/missing.json: error: no such file or folder" in result.err.splitlines()
    assert f"{project.root}/missing.json: not imported" in result.err.splitlines()
    assert summary(result) == "imported 3 sources: 3 new, 0 updated, 0 unchanged, 0 withdrawn, 1 skipped; 2 sources with errors"
    assert len(entry_files(project)) == 3


def test_a_folder_reports_each_broken_file_and_imports_the_rest(project: Project) -> None:
    result = run_import(project, BROKEN)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        f"{BROKEN}/no-json-ld.html", f"{BROKEN}/not-a-feed.xml", f"{BROKEN}/truncated.json:31",
    ]  # fmt: skip
    assert f"{BROKEN}: feed: 1 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()


def test_a_file_a_folder_import_cannot_read_is_reported_not_dropped(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "notes.txt").write_text("to do", "utf-8")
    (folder / "live.json").write_bytes((FIXTURES / "feeds" / "live.json").read_bytes())
    result = run_import(project, folder)
    assert f"{folder}: skipped {folder}/notes.txt: not a file this importer reads (.html, .htm, .xhtml, .json, .jsonld, .xml, .rss, .atom)" in result.err.splitlines()


def test_a_broken_source_leaves_the_content_as_it_was(project: Project) -> None:
    run_import(project, GUARDIAN)
    before = snapshot(project)
    run_import(project, BROKEN / "truncated.json", BROKEN / "no-json-ld.html")
    assert snapshot(project) == before


def test_an_unknown_format_is_a_usage_error(project: Project) -> None:
    result = run_import(project, GUARDIAN, "--format", "docx")
    assert result.code == 2
    assert "invalid choice: 'docx'" in result.err


def test_broken_settings_stop_the_import_before_it_reads_anything(project: Project) -> None:
    (project.config / "settings.yml").write_text("title: x\n", "utf-8")
    result = run_import(project, GUARDIAN)
    assert result.code == 1
    assert result.out.splitlines() == [f"{project.config}/settings.yml:1: error: missing required field 'site_url'"]
    assert not project.content.exists() or entry_files(project) == []


def test_an_entry_that_would_fail_the_check_is_skipped_with_the_reason(project: Project, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    body = "<p>" + "word " * 250_000 + "</p>"
    big.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json", "items": ['
        f'{{"id": "huge", "title": "Huge", "date_published": "2022-03-03T10:00:00+02:00", "content_html": "{body}"}}]}}',
        "utf-8",
    )
    result = run_import(project, big)
    assert f"{big}: skipped items[0]: the entry would not pass the check: file is " in result.err
    assert entry_files(project) == []


def test_a_json_source_of_the_wrong_shape_names_the_json_path(project: Project, tmp_path: Path) -> None:
    no_blocks = tmp_path / "item.json"
    no_blocks.write_text('{"response": {"status": "ok", "content": {"id": "world/live/x", "blocks": {"main": {}}}}}', "utf-8")
    denied = tmp_path / "denied.json"
    denied.write_text('{"response": {"status": "error", "message": "Invalid authentication credentials"}}', "utf-8")
    result = run_import(project, no_blocks, denied)
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == [
        f"{no_blocks}: error: at response.content.blocks: no body blocks: fetch the item with show-blocks=all",
        f"{denied}: error: the Content API answered with an error: Invalid authentication credentials",
    ]


def test_an_item_that_cannot_be_an_update_is_skipped_with_its_place(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "feed.json"
    source.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json", "items": [
        {"id": "naive", "content_text": "No offset.", "date_published": "2022-03-03T10:00:00"},
        {"content_text": "No id.", "date_published": "2022-03-03T10:00:00+02:00"},
        {"id": "fine", "content_text": "Fine.", "date_published": "2022-03-03T10:00:00+02:00"},
    ]}), "utf-8")  # fmt: skip
    result = run_import(project, source)
    assert result.code == 0
    assert [line for line in result.err.splitlines() if " skipped " in line] == [
        f"{source}: skipped items[0]: 'date_published' has no UTC offset, so the moment is unknown: '2022-03-03T10:00:00'",
        f"{source}: skipped items[1]: no 'id' (required by JSON Feed)",
    ]
    assert entry_files(project) == ["2022/03/03/fine.md"]


def test_a_feed_item_dated_without_a_zone_is_skipped_not_read_as_utc(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "live.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title><link>https://x.example/live</link>'
        "<item><guid>https://x.example/live#1</guid><title>Sirens in Sumy</title><description>Sirens.</description>"
        "<pubDate>Sat, 05 Mar 2022 10:03:00</pubDate></item>"
        "<item><guid>https://x.example/live#2</guid><title>All clear in Sumy</title><description>All clear.</description>"
        "<pubDate>Sat, 05 Mar 2022 11:03:00 -0000</pubDate></item></channel></rss>",
        "utf-8",
    )
    result = run_import(project, feed)
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if " skipped " in line] == [
        f"{feed}: skipped item 1: its date has no UTC offset, so the moment is unknown: 'Sat, 05 Mar 2022 10:03:00' "
        "(an offset, like +0200, would say it)",
    ]
    assert entry(project, "2022/03/05/update-2.md")[0]["published"] == "2022-03-05T13:03:00+02:00"  # -0000: UTC, as RFC 2822 says


def test_a_large_folder_read_by_several_processes_reports_like_a_small_one(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(44):
        (folder / f"feed-{n:02d}.json").write_text(json.dumps({
            "version": "https://jsonfeed.org/version/1.1", "feed_url": f"https://f{n}.example/feed.json",
            "items": [{"id": f"item-{n}", "content_text": f"Update number {n}.", "date_published": "2022-03-03T10:00:00+02:00"}],
        }), "utf-8")  # fmt: skip
    (folder / "feed-44.json").write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [', "utf-8")
    result = run_import(project, folder)
    assert result.code == 1
    assert [line for line in result.err.splitlines() if ": error: " in line] == [
        f"{folder}/feed-44.json:1: error: not valid JSON: Expecting value at column 59 (the text ends early: is the file cut short?)"
    ]
    assert f"{folder}: json-feed: 44 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    assert len(entry_files(project)) == 44


def test_an_update_whose_body_holds_no_text_is_skipped_not_written_empty(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json", "items": [
        {"id": "a-script", "title": "A script", "content_html": "<script>track()</script>", "date_published": "2022-03-05T10:00:00+02:00"},
        {"id": "blank", "title": "Blank", "content_html": "<p>&nbsp;</p>\n ", "date_published": "2022-03-05T10:05:00+02:00"},
    ]}), "utf-8")  # fmt: skip
    page = tmp_path / "live.json"
    page.write_text(json.dumps({"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://news.example/live", "liveBlogUpdate": [
        {"headline": "Nothing yet", "datePublished": "2022-03-05T10:10:00+02:00", "url": "https://news.example/live#u-1", "articleBody": ""},
    ]}), "utf-8")  # fmt: skip
    result = run_import(project, feed, page)
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if " skipped " in line] == [
        f"{feed}: skipped items[0]: its body holds no text",
        f"{feed}: skipped items[1]: its body holds no text",
        f"{page}: skipped liveBlogUpdate[0]: its body holds no text",
    ]
    assert entry_files(project) == []


def test_what_check_would_warn_about_in_an_imported_body_is_reported(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json", "items": [
        {"id": "template", "title": "Template", "date_published": "2022-03-05T10:00:00+02:00",
         "content_text": "Write the update here: what happened, where, and who says so."},
    ]}), "utf-8")  # fmt: skip
    result = run_import(project, feed)
    assert result.code == 0, result.err
    assert (
        f"{project.content}/2022/03/05/template.md:12: warning: the body still has the placeholder from 'briefings new': write the update there"
    ) in result.err.splitlines()


def test_a_json_file_cut_inside_a_string_is_named_as_cut_short(project: Project, tmp_path: Path) -> None:
    cut = tmp_path / "cut.json"
    cut.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "a", "title": "Cut in the middle of a str', "utf-8")
    result = run_import(project, cut)
    assert result.err.splitlines()[0] == (
        f"{cut}:1: error: not valid JSON: Unterminated string starting at column 80 (the text ends early: is the file cut short?)"
    )


def test_a_broken_json_ld_block_is_named_with_its_line_in_the_page(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "cut.html"
    page.write_text('<!DOCTYPE html><html><head>\n<script type="application/ld+json">\n{"@type": "LiveBlogPosting",\n "headline": "Cut</script></head></html>', "utf-8")
    result = run_import(project, page)
    assert result.err.splitlines()[0] == (
        f"{page}: error: no live blog in this page: no schema.org LiveBlogPosting in its JSON-LD, no liveBlogUpdate microdata, "
        "no h-entry microformats, and no two elements with an id and a <time datetime>; "
        "JSON-LD block 1 (line 2) is not valid JSON: Unterminated string starting at line 4, column 14 (the block ends early: is the page cut short?)"
    )


def test_an_update_dated_in_the_future_is_skipped_with_the_reason(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "feed.json"
    source.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json", "items": [
        {"id": "slip", "content_text": "Sirens in Kyiv.", "date_published": "2032-03-05T12:00:00+02:00"},
        {"id": "fine", "content_text": "All clear in Kyiv.", "date_published": "2022-03-05T12:00:00+02:00"},
    ]}), "utf-8")  # fmt: skip
    result = run_import(project, source)
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if " skipped " in line] == [
        f"{source}: skipped items[0]: published in the future (2032-03-05T12:00:00+02:00): a slip in the source's year "
        "or zone? It is not imported",
    ]
    assert entry_files(project) == ["2022/03/05/fine.md"]
    assert project.check("--strict").code == 0


def test_a_cyrillic_page_saved_in_windows_1251_without_a_word_of_it_is_read_in_cyrillic(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    posting = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://kh.example/live", "liveBlogUpdate": [
        {"url": "https://kh.example/live#u-1", "headline": "В Харькове обстрел Салтовки", "datePublished": "2022-03-03T09:00:00+02:00",
         "articleBody": "Утром в Харькове снова был обстрел Салтовки, сообщили спасатели."},
    ]}  # fmt: skip
    html = f'<!DOCTYPE html><html><head><script type="application/ld+json">{json.dumps(posting, ensure_ascii=False)}</script></head><body></body></html>'
    page.write_bytes(html.encode("windows-1251"))  # and no <meta charset>, no server to name it
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert entry(project, "2022/03/03/u-1.md")[0]["title"] == "В Харькове обстрел Салтовки"


def test_a_feed_of_excerpts_is_imported_with_a_warning_and_an_ellipsis(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "live.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title><link>https://wp.example/live</link>'
        "<item><guid>https://wp.example/live#1</guid><title>Curfew</title><pubDate>Sat, 05 Mar 2022 10:03:00 +0200</pubDate>"
        "<description><![CDATA[The curfew was extended by the city&#8217;s administration and will last until [&hellip;]]]>"
        "</description></item></channel></rss>",
        "utf-8",
    )
    result = run_import(project, feed)
    assert result.code == 0, result.err
    assert (
        f"{feed}: warning: 1 item of the feed gives only an excerpt, ending with '[…]' (no content:encoded or content): "
        "import the live blog's page, or a feed with whole texts, for the whole updates"
    ) in result.err.splitlines()
    assert entry(project, "2022/03/05/update-1.md")[1] == "The curfew was extended by the city’s administration and will last until…"
