"""`briefings import` reads live blog pages that mark up no update for search engines.

A page without a schema.org LiveBlogPosting or microdata is read from its microformats
(h-entry, and the older hAtom) or, failing those, from its repeated posts in plain HTML:
elements with an id, each holding a <time datetime>. The fixtures follow the microformats
wiki's h-entry and hAtom and the HTML specification's example of posts as <article>s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Project
from import_support import FIXTURES, entry, entry_files, newsroom, run_import

H_ENTRY = FIXTURES / "html" / "h-entry.html"
PLAIN = FIXTURES / "html" / "plain-posts.html"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def test_each_h_entry_becomes_an_entry_with_its_title_time_byline_and_body(project: Project) -> None:
    result = run_import(project, H_ENTRY)
    assert result.code == 0, result.err
    assert f"{H_ENTRY}: html: 3 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    assert entry_files(project) == ["2022/03/03/update-1.md", "2022/03/03/update-2.md", "2022/03/03/update-3.md"]
    kherson, body = entry(project, "2022/03/03/update-3.md")
    assert kherson == {
        "title": "Kherson's mayor says troops are in the city",
        "author": "Olena Koval",
        "published": "2022-03-03T09:40:00+02:00",
        "updated": "2022-03-03T10:15:00+02:00",
        "cities": ["Kherson"],
        "people": ["Ihor Kolykhayev"],
        "sources": [{"name": "Radio Example", "url": "https://radio.example.org/live/day-8#update-3"}],
        "key": True,  # its class marks it: update--key
        "origin": "https://radio.example.org/live/day-8#update-3",
        "digest": kherson["digest"],
    }
    assert body == (
        "Ihor Kolykhayev, the mayor of Kherson, said Russian soldiers had reached the "
        "[city council](https://radio.example.org/kherson/council) building.\n\nHe asked residents to stay indoors after dark."
    )


def test_an_h_entry_without_a_name_takes_its_title_from_its_first_sentence(project: Project) -> None:
    run_import(project, H_ENTRY)
    sirens, body = entry(project, "2022/03/03/update-2.md")
    assert sirens["title"] == "Air-raid sirens sounded across Kyiv before dawn"
    assert body == "Air-raid sirens sounded across Kyiv before dawn."
    assert "author" not in sirens


def test_an_older_themes_hatom_post_is_read_as_an_h_entry(project: Project) -> None:
    run_import(project, H_ENTRY)
    talks, body = entry(project, "2022/03/03/update-1.md")
    assert (talks["title"], talks["author"], talks["published"]) == (
        "Talks to resume in Belarus", "Taras Melnyk", "2022-03-03T08:10:00+02:00"
    )
    assert body == "Ukrainian and Russian delegations are to meet again near the Polish border."


def test_plain_html_posts_are_read_from_their_ids_and_times_and_the_import_says_how(project: Project) -> None:
    result = run_import(project, PLAIN)
    assert result.code == 0, result.err
    assert f"{PLAIN}: html: 2 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    assert (
        f"{PLAIN}: warning: this page marks up no update for search engines (no schema.org LiveBlogPosting, "
        "no microformats): 2 <article> elements with an id and a <time datetime> were read as its updates; "
        "check the imported entries' titles and bodies"
    ) in result.err.splitlines()
    # Neither the masthead's time nor the readers' comments are updates.
    assert entry_files(project) == ["2022/03/03/post-6220c4.md", "2022/03/03/post-6220e1.md"]
    curfew, body = entry(project, "2022/03/03/post-6220e1.md")
    assert (curfew["title"], curfew["published"], curfew["origin"]) == (
        "Curfew in Kyiv extended", "2022-03-03T17:20:00+02:00", "https://tv.example.net/live/ukraine-day-8#post-6220e1"
    )
    assert body == (
        "The city's military administration extended the curfew by two hours.\n\n"
        "- Shops close at 18:00.\n- Public transport stops at 19:00."
    )


def test_a_plain_posts_byline_and_marked_update_time_are_kept_and_its_header_left_out(project: Project) -> None:
    run_import(project, PLAIN)
    buses, body = entry(project, "2022/03/03/post-6220c4.md")
    assert (buses["title"], buses["author"], buses["updated"], buses["cities"]) == (
        "Evacuation buses leave Sumy", "Mykola Shevchuk", "2022-03-03T16:30:00+02:00", ["Sumy"]
    )
    assert body == "Buses carrying civilians left the centre of Sumy in the morning, regional officials said."


def test_importing_the_same_page_again_changes_nothing(project: Project) -> None:
    for page in (H_ENTRY, PLAIN):
        run_import(project, page)
        again = run_import(project, page)
        assert again.code == 0, again.err
        assert any(line.endswith("0 new, 0 updated, 2 unchanged, 0 withdrawn, 0 skipped") or
                   line.endswith("0 new, 0 updated, 3 unchanged, 0 withdrawn, 0 skipped") for line in again.err.splitlines())  # fmt: skip


def test_a_post_whose_time_has_no_offset_is_skipped_with_the_reason(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    page.write_text(
        '<!DOCTYPE html><html><head><link rel="canonical" href="https://radio.example.org/live/day-9"></head><body>'
        '<article class="h-entry" id="u-1"><time class="dt-published" datetime="2022-03-04T08:00:00+02:00"></time>'
        '<p class="e-content">Sirens sounded in Kyiv.</p></article>'
        '<article class="h-entry" id="u-2"><time class="dt-published" datetime="2022-03-04T09:00"></time>'
        '<p class="e-content">The all-clear sounded in Kyiv.</p></article>'
        "</body></html>",
        "utf-8",
    )
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/04/u-1.md"]
    assert f"{page}: html: 1 new, 0 updated, 0 unchanged, 0 withdrawn, 1 skipped" in result.err.splitlines()
    assert "h-entry 2 (#u-2)" in result.err and "has no UTC offset" in result.err


def test_a_page_holding_one_article_is_not_taken_for_a_live_blog(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        '<!DOCTYPE html><html><head><link rel="canonical" href="https://radio.example.org/news/talks"></head><body>'
        '<article class="h-entry" id="story"><h1 class="p-name">Talks end</h1>'
        '<time class="dt-published" datetime="2022-03-03T18:00:00+02:00"></time>'
        '<div class="e-content"><p>The talks ended.</p></div>'
        '<section class="comments"><article class="h-entry" id="c-1"><time class="dt-published" '
        'datetime="2022-03-03T18:05:00+02:00"></time><p class="e-content">Good.</p></article>'
        '<article class="h-entry" id="c-2"><time class="dt-published" datetime="2022-03-03T18:06:00+02:00"></time>'
        '<p class="e-content">Indeed.</p></article></section></article>'
        "</body></html>",
        "utf-8",
    )
    result = run_import(project, page)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{page}: error: no live blog in this page: no schema.org LiveBlogPosting in its JSON-LD, no liveBlogUpdate "
        "microdata, no h-entry microformats, and no two elements with an id and a <time datetime>"
    )
    assert entry_files(project) == []


def test_a_web_archive_capture_of_h_entries_is_known_by_the_live_pages_addresses(project: Project, tmp_path: Path) -> None:
    archived = "https://web.archive.org/web/20220303120000/https://radio.example.org"
    page = tmp_path / "web.archive.org_20220303120000_live.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><link rel="canonical" href="{archived}/live/day-8"></head><body>'
        f'<article class="h-entry" id="u-1"><a class="u-url" href="{archived}/live/day-8#u-1">#</a>'
        '<time class="dt-published" datetime="2022-03-03T08:00:00+02:00"></time>'
        f'<div class="e-content"><p>Sirens sounded in Kyiv (<a href="{archived}/kyiv">more</a>).</p></div></article>'
        '<article class="h-entry" id="u-2"><a class="u-url" href="/web/20220303120000/https://radio.example.org/live/day-8#u-2">#</a>'
        '<time class="dt-published" datetime="2022-03-03T09:00:00+02:00"></time>'
        '<div class="e-content"><p>The all-clear sounded.</p></div></article>'
        "</body></html>",
        "utf-8",
    )
    result = run_import(project, page)
    assert result.code == 0, result.err
    sirens, body = entry(project, "2022/03/03/u-1.md")
    assert sirens["origin"] == "https://radio.example.org/live/day-8#u-1"
    assert body == "Sirens sounded in Kyiv ([more](https://radio.example.org/kyiv))."
    assert entry(project, "2022/03/03/u-2.md")[0]["origin"] == "https://radio.example.org/live/day-8#u-2"


def test_an_xhtml_page_is_read_without_a_parsers_warning(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.xhtml"
    page.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + PLAIN.read_text("utf-8").replace("<!DOCTYPE html>", ""), "utf-8")
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert "Warning" not in result.err  # a library's advice to its programmers is not the newsroom's
    assert entry_files(project) == ["2022/03/03/post-6220c4.md", "2022/03/03/post-6220e1.md"]
