"""Corrections in the open: what changed in an update, when, and where readers see it.

An entry's front matter lists its ``corrections`` (``at``, ``text``). Each one is shown
under its update, newest first, in the feeds' items and in the day's JSON-LD; the
corrections page and its feed list every correction of the archive; with ``repo_url``,
each update links its file's history. Bad corrections are errors with their line.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import feedparser
import jsonschema
import lxml.html
import pytest

from conftest import SETTINGS, Project, article, make_project, run_cli
from generator.site import generate
from test_entities import JSON_FEED_11
from test_integrity import _digest

DAY = "2022/03/03"
TOLL = """\
title: Shelling toll in Kharkiv rises
published: 2022-03-03T09:40:00+02:00
cities: [Kharkiv]
"""
TWO_CORRECTIONS = """\
corrections:
  - at: 2022-03-03T10:05:00+02:00
    text: Corrected the spelling of Kharkiv.
  - at: 2022-03-03T12:30:00+02:00
    text: An earlier version gave the toll as **21**; regional officials said 12.
"""


def _archive(project: Project, corrections: str = TWO_CORRECTIONS) -> None:
    project.entry(f"{DAY}/toll.md", TOLL + corrections, "Regional officials said 12 people were killed.")
    project.entry(f"{DAY}/curfew.md", "title: Curfew in Kyiv\npublished: 2022-03-03T07:00:00+02:00\ncities: [Kyiv]")


def _block(project: Project, slug: str = "toll"):  # noqa: ANN202 - the entry's <article>
    (found,) = article(project.page(f"{DAY}/")).xpath(f".//article[@id='{slug}']")
    return found


def _text(node) -> str:  # noqa: ANN001
    return " ".join(node.text_content().split())


def _feed(project: Project, path: str = "feed.xml") -> feedparser.FeedParserDict:
    parsed = feedparser.parse((project.site / path).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


# On the day page


def test_corrections_are_shown_under_their_update_newest_first(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    shown = [_text(c) for c in _block(project).xpath(".//div[@class='brf-correction']")]
    assert shown == [
        "Correction, 12:30: An earlier version gave the toll as 21; regional officials said 12.",
        "Correction, 10:05: Corrected the spelling of Kharkiv.",
    ]
    assert _block(project).xpath("string(.//div[@class='brf-correction'][1]//strong[not(@class)])") == "21"  # Markdown
    (every,) = _block(project).xpath(".//p[@class='brf-corrections__all']/a")
    assert (every.text, every.get("href")) == ("Every correction", "../../../corrections/")
    assert not _block(project, "curfew").xpath(".//div[@class='brf-corrections']")


def test_the_latest_correction_sets_updated_when_it_is_later(project: Project) -> None:
    _archive(project, "updated: 2022-03-03T11:00:00+02:00\n" + TWO_CORRECTIONS)
    assert project.build().code == 0
    assert _text(_block(project).xpath(".//p[@class='brf-entry__updated']")[0]) == "Updated 12:30"
    _archive(project, "updated: 2022-03-03T13:15:00+02:00\n" + TWO_CORRECTIONS)
    assert project.build().code == 0
    assert _text(_block(project).xpath(".//p[@class='brf-entry__updated']")[0]) == "Updated 13:15"


def test_a_correction_made_on_a_later_day_names_that_day(project: Project) -> None:
    _archive(project, "corrections:\n  - at: 2022-03-04T08:00:00+02:00\n    text: The toll was revised.\n")
    assert project.build().code == 0
    assert _text(_block(project).xpath(".//div[@class='brf-correction']")[0]) == "Correction, 4 March 2022, 08:00: The toll was revised."


def test_a_correction_s_text_is_sanitized_as_a_body_is_and_check_says_what_goes(project: Project) -> None:
    _archive(project, "corrections:\n  - at: 2022-03-03T12:30:00+02:00\n    text: Fixed <script>alert(1)</script>the toll.\n")
    result = project.check()
    assert result.code == 0
    assert [line for line in result.lines if ": in a correction: " in line] == [
        f"{project.content}/{DAY}/toll.md:7: warning: in a correction: HTML <script> is not allowed and will be removed with its content: delete it, or write \\<script for <script to show it as text"
    ]
    assert project.build().code == 0
    (correction,) = _block(project).xpath(".//div[@class='brf-correction']")
    assert _text(correction) == "Correction, 12:30: Fixed the toll." and not correction.xpath(".//script")


# In the feeds and the structured data


def test_the_feeds_carry_a_correction_in_the_item_and_keep_its_guid(project: Project) -> None:
    _archive(project, "")
    assert project.build().code == 0
    before = {entry.id: entry for entry in _feed(project).entries}
    json_before = {item["id"] for item in json.loads((project.site / "feed.json").read_text("utf-8"))["items"]}
    _archive(project)
    assert project.build().code == 0
    after = {entry.id: entry for entry in _feed(project).entries}
    assert sorted(after) == sorted(before)  # the same items: no reader sees the update twice
    item = after["tag:news.example.org,2022-03-03:briefing/toll"]
    assert _corrections_in(item.description) == [
        "Correction, 12:30: An earlier version gave the toll as 21; regional officials said 12.",
        "Correction, 10:05: Corrected the spelling of Kharkiv.",
    ]
    assert 'href="https://news.example.org/briefing/corrections/"' in item.description  # absolute, as every feed URL
    (city,) = [e for e in _feed(project, "cities/kharkiv/feed.xml").entries]
    assert city.id == item.id and _corrections_in(city.description) == _corrections_in(item.description)
    items = {item["id"]: item for item in json.loads((project.site / "feed.json").read_text("utf-8"))["items"]}
    assert set(items) == json_before
    toll = items["tag:news.example.org,2022-03-03:briefing/toll"]
    assert _corrections_in(toll["content_html"]) == _corrections_in(item.description)
    assert toll["date_modified"] == "2022-03-03T12:30:00+02:00"  # the latest correction


def _corrections_in(html: str) -> list[str]:
    return [_text(c) for c in lxml.html.fragment_fromstring(html, create_parent="div").xpath(".//div[@class='brf-correction']")]


def test_the_day_s_json_ld_gives_each_update_its_corrections(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    (script,) = project.page(f"{DAY}/").xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    toll, curfew = sorted(data["liveBlogUpdate"], key=lambda update: update["headline"], reverse=True)
    assert toll["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2022-03-03T12:30:00+02:00",
         "text": "An earlier version gave the toll as 21; regional officials said 12."},
        {"@type": "CorrectionComment", "datePublished": "2022-03-03T10:05:00+02:00", "text": "Corrected the spelling of Kharkiv."},
    ]  # fmt: skip
    assert toll["dateModified"] == "2022-03-03T12:30:00+02:00" and data["dateModified"] == "2022-03-03T12:30:00+02:00"
    assert "correction" not in curfew


# The corrections page and its feed


def _corrected_archive(project: Project) -> None:
    _archive(project)
    project.entry(
        "2022/03/04/talks.md",
        "title: Talks <postponed> & moved\npublished: 2022-03-04T10:00:00+02:00\n"
        "corrections:\n  - at: 2022-03-04T11:00:00+02:00\n    text: The talks were moved, not cancelled.",
    )


def test_the_corrections_page_lists_every_correction_newest_first_linking_its_update(project: Project) -> None:
    _corrected_archive(project)
    assert project.build().code == 0
    page = project.page("corrections/")
    items = article(page).xpath(".//li[@class='brf-corrections-list__item']")
    assert [_text(item) for item in items] == [
        "4 March 2022, 11:00: Talks <postponed> & moved, an update of 4 March 2022 The talks were moved, not cancelled.",
        "3 March 2022, 12:30: Shelling toll in Kharkiv rises, an update of 3 March 2022 "
        "An earlier version gave the toll as 21; regional officials said 12.",
        "3 March 2022, 10:05: Shelling toll in Kharkiv rises, an update of 3 March 2022 Corrected the spelling of Kharkiv.",
    ]
    assert [item.xpath("string(.//a[1]/@href)") for item in items] == [
        "../2022/03/04/#talks", "../2022/03/03/#toll", "../2022/03/03/#toll"
    ]  # fmt: skip
    assert [item.xpath("string(.//time/@datetime)") for item in items] == [
        "2022-03-04T11:00:00+02:00", "2022-03-03T12:30:00+02:00", "2022-03-03T10:05:00+02:00"
    ]  # fmt: skip
    (alternate,) = page.xpath("//link[@rel='alternate'][@title='Corrections (RSS)']")
    assert (alternate.get("type"), alternate.get("href")) == ("application/rss+xml", "feed.xml")
    assert "corrections/" in [a.get("href") for a in article(project.page("")).xpath(".//a")]  # the home page links it
    assert "../corrections/" in [a.get("href") for a in article(project.page("archive/")).xpath(".//a")]


def test_a_correction_s_links_by_path_lead_to_their_update_wherever_it_is_shown(project: Project) -> None:
    _archive(project)
    project.entry(
        "2022/03/04/talks.md",
        "title: Talks moved\npublished: 2022-03-04T10:00:00+02:00\ncorrections:\n  - at: 2022-03-04T11:00:00+02:00\n"
        "    text: 'The talks were moved, as [the curfew update](../03/curfew.md) said, not [cancelled](../03/#toll)"
        " ([filed elsewhere](../../../notes/minister.md)).'",
    )
    # A file outside the date folders is listed on its day: its place does not say where.
    project.entry("notes/minister.md", "title: Minister\npublished: 2022-03-03T08:00:00+02:00")
    assert project.build().code == 0

    def links(page: lxml.html.HtmlElement) -> list[str]:
        texts = "@class='brf-correction' or @class='brf-corrections-list__text'"
        return article(page).xpath(f".//div[{texts}]//a/@href")

    wanted = ["2022/03/03/#curfew", "2022/03/03/#toll", "2022/03/03/#minister"]
    assert links(project.page("2022/03/04/")) == [f"../../../{url}" for url in wanted]
    assert links(project.page("")) == wanted  # the latest day, on the home page
    assert links(project.page("corrections/")) == [f"../{url}" for url in wanted]
    absolute = [f"https://news.example.org/briefing/{url}" for url in wanted]
    newest = _feed(project, "corrections/feed.xml").entries[0]
    assert lxml.html.fromstring(newest.description).xpath("//a/@href")[:3] == absolute
    talks = _feed(project).entries[0]
    assert lxml.html.fromstring(talks.description).xpath("//div[@class='brf-correction']//a/@href") == absolute
    records = [json.loads(line) for line in (project.site / "data/entries.ndjson").read_text("utf-8").splitlines()]
    (correction,) = next(record for record in records if record["title"] == "Talks moved")["corrections"]
    assert lxml.html.fromstring(correction["text_html"]).xpath("//a/@href") == absolute


def test_the_corrections_feed_has_an_item_per_correction_newest_first(project: Project) -> None:
    _corrected_archive(project)
    assert project.build().code == 0
    feed = _feed(project, "corrections/feed.xml")
    assert feed.feed.title == "Corrections · Test Briefing"
    assert feed.feed.link == "https://news.example.org/briefing/corrections/"
    assert [(e.title, e.link, e.published) for e in feed.entries] == [
        ("Correction: Talks <postponed> & moved", "https://news.example.org/briefing/2022/03/04/#talks", "Fri, 04 Mar 2022 11:00:00 +0200"),
        ("Correction: Shelling toll in Kharkiv rises", "https://news.example.org/briefing/2022/03/03/#toll", "Thu, 03 Mar 2022 12:30:00 +0200"),
        ("Correction: Shelling toll in Kharkiv rises", "https://news.example.org/briefing/2022/03/03/#toll", "Thu, 03 Mar 2022 10:05:00 +0200"),
    ]  # fmt: skip: in the site's zone, as the other feeds' dates, whatever offset the 'at' was written with
    assert [e.id for e in feed.entries] == [
        "tag:news.example.org,2022-03-04:briefing/talks#correction-20220304T090000Z",
        "tag:news.example.org,2022-03-03:briefing/toll#correction-20220303T103000Z",
        "tag:news.example.org,2022-03-03:briefing/toll#correction-20220303T080500Z",
    ]
    assert "The talks were moved, not cancelled." in feed.entries[0].description


def test_the_corrections_json_feed_holds_the_rss_feed_s_items_under_the_same_ids(project: Project) -> None:
    _corrected_archive(project)
    assert project.build().code == 0
    rss, raw = _feed(project, "corrections/feed.xml"), json.loads((project.site / "corrections/feed.json").read_text("utf-8"))
    jsonschema.validate(raw, JSON_FEED_11)
    assert raw["title"] == rss.feed.title
    assert [(item["id"], item["title"], item["url"]) for item in raw["items"]] == [(e.id, e.title, e.link) for e in rss.entries]
    assert raw["feed_url"] == "https://news.example.org/briefing/corrections/feed.json"
    assert raw["items"][0]["date_published"] == "2022-03-04T11:00:00+02:00"
    assert "The talks were moved, not cancelled." in raw["items"][0]["content_html"]
    page = project.page("corrections/")
    assert [(link.get("type"), link.get("href")) for link in page.xpath("//link[@rel='alternate'][starts-with(@title, 'Corrections')]")] == [
        ("application/rss+xml", "feed.xml"), ("application/feed+json", "feed.json")
    ]  # fmt: skip
    assert article(page).xpath(".//a[@type='application/feed+json']/@href") == ["../corrections/feed.json"]


def test_an_archive_without_corrections_has_the_page_and_an_empty_feed(project: Project) -> None:
    _archive(project, "")
    assert project.build().code == 0
    assert _text(article(project.page("corrections/")).xpath(".//p")[-1]) == "No update has been corrected."
    feed = _feed(project, "corrections/feed.xml")
    assert feed.entries == [] and feed.feed.title == "Corrections · Test Briefing"
    raw = json.loads((project.site / "corrections/feed.json").read_text("utf-8"))
    assert raw["items"] == [] and raw["title"] == "Corrections · Test Briefing"


# The history link


def test_with_repo_url_each_update_links_its_file_s_history(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS + "repo_url: https://github.com/newsroom/briefing/\nrepo_branch: live\n")
    _archive(project)
    assert project.build().code == 0
    (history,) = _block(project).xpath(".//p[@class='brf-entry__history']/a")
    assert history.text == "History"
    assert history.get("href") == "https://github.com/newsroom/briefing/commits/live/content/2022/03/03/toll.md"
    assert history.get("aria-label") == "History of the update: Shelling toll in Kharkiv rises"


def test_the_history_branch_is_main_unless_set(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS + "repo_url: https://github.com/newsroom/briefing\n")
    _archive(project)
    assert project.build().code == 0
    (history,) = _block(project, "curfew").xpath(".//p[@class='brf-entry__history']/a/@href")
    assert history == "https://github.com/newsroom/briefing/commits/main/content/2022/03/03/curfew.md"


def test_without_repo_url_no_update_links_a_history(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    assert not article(project.page(f"{DAY}/")).xpath(".//*[contains(@class, 'brf-entry__history')]")


def test_a_repo_url_that_is_not_an_address_is_an_error_with_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS + "repo_url: github.com/newsroom/briefing\n")
    _archive(project)
    result = project.check()
    assert (result.code, [line for line in result.lines if ": error: " in line]) == (
        1,
        [f"{project.config}/settings.yml:6: error: 'repo_url' must be the http:// or https:// address of a repository, "
         "like https://github.com/owner/repo: 'github.com/newsroom/briefing'"],
    )  # fmt: skip


# Bad corrections: each an error naming its line, all in one run


BAD = {
    "no-offset": (
        "corrections:\n  - at: 2022-03-03T12:30\n    text: Fixed.",
        "5: error: correction 1: 'at' has no UTC offset: Kyiv was at +02:00 on 2022-03-03, so if 12:30 is Kyiv time, "
        "write at: 2022-03-03T12:30+02:00 (or end it with Z for UTC)",
    ),
    "before-published": (
        "corrections:\n  - at: 2022-03-03T12:30:00+02:00\n    text: Fixed.\n  - at: 2022-03-03T08:00:00+02:00\n    text: Too early.",
        "7: error: correction 2: 'at' (2022-03-03T08:00:00+02:00) is before 'published' (2022-03-03T09:40:00+02:00)",
    ),
    "time-of-day-only": (
        "corrections:\n  - at: 15:02\n    text: Fixed.",
        "5: error: correction 1: 'at' is a time of day without its date: 15:02; write the date, the time and the UTC offset, "
        "like at: 2022-03-03T15:02:00+02:00",
    ),
    "misspelled-list": (
        "correction:\n  - at: 2022-03-03T12:30:00+02:00\n    text: Fixed.",
        "4: error: unknown field 'correction' (known fields: author, autolink, cities, corrections, digest, draft, key, language, origin, "
        "people, published, sources, tags, title, updated); did you mean 'corrections'? Under this name no reader would see "
        "the correction, only the text it corrects.",
    ),
    "empty-text": (
        'corrections:\n  - at: 2022-03-03T12:30:00+02:00\n    text: " "',
        "6: error: 'text' of correction 1 must not be empty: ' '",
    ),
    "no-text": (
        "corrections:\n  - at: 2022-03-03T12:30:00+02:00",
        "5: error: missing required field 'text' in correction 1",
    ),
    "not-a-list": (
        "corrections: Fixed the toll.",
        "4: error: 'corrections' must be a list, not 'Fixed the toll.': a correction is two lines under 'corrections:', "
        "\"  - at: 2022-03-03T12:30:00+02:00\" and, on the next line, \"    text: An earlier version gave the wrong time.\" "
        "(two spaces before '-', four before 'text')",
    ),
    "not-a-mapping": (
        "corrections:\n  - Fixed the toll.",
        "5: error: correction 1 must be a mapping of fields, not 'Fixed the toll.'",
    ),
    "unknown-key": (
        "corrections:\n  - at: 2022-03-03T12:30:00+02:00\n    text: Fixed.\n    reason: A typo.",
        "7: error: unknown field 'reason' in correction 1 (known fields: at, text)",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_correction_is_an_error_with_its_line(project: Project, name: str) -> None:
    front, message = BAD[name]
    path = project.entry(f"{DAY}/{name}.md", "title: Toll\npublished: 2022-03-03T09:40:00+02:00\n" + front)
    result = project.check()
    assert (result.code, result.lines) == (1, [f"{path}:{message}"])
    assert "Traceback" not in result.out + result.err


def test_a_correction_s_link_to_no_file_or_to_a_draft_is_told_at_its_line(project: Project) -> None:
    project.entry("2022/03/02/held.md", "title: Held\npublished: 2022-03-02T10:00:00+02:00\ndraft: true")
    path = project.entry(f"{DAY}/toll.md", "title: Toll\npublished: 2022-03-03T09:40:00+02:00\ncorrections:\n"
                         "  - at: 2022-03-03T12:30:00+02:00\n    text: An earlier version misread [the update](../02/nope.md).\n"
                         "  - at: 2022-03-03T13:30:00+02:00\n    text: See [the update](../02/held.md).")  # fmt: skip
    result = project.check()
    assert (result.code, result.lines) == (0, [
        f"{path}:6: warning: correction 1: the link '../02/nope.md' leads to no file: {project.content}/2022/03/02/nope.md does not exist",
        f"{path}:8: warning: correction 2: the link '../02/held.md' leads to a draft, which the site does not show until it is published",
    ])  # fmt: skip


def test_every_bad_correction_is_reported_in_one_build_which_writes_nothing(project: Project) -> None:
    for name, (front, _) in BAD.items():
        project.entry(f"{DAY}/{name}.md", f"title: {name}\npublished: 2022-03-03T09:40:00+02:00\n" + front, name)
    result = project.build()
    assert result.code == 1 and not project.site.exists()
    printed = sorted(line for line in (result.out + result.err).splitlines() if ": error: " in line)
    assert printed == sorted(f"{project.content}/{DAY}/{name}.md:{message}" for name, (_, message) in BAD.items())


def test_the_example_briefings_new_writes_is_a_valid_correction_once_uncommented(project: Project) -> None:
    new = run_cli("new", "Toll rises", "--at", "2022-03-03T09:40", "--content", project.content, "--config", project.config)
    path = project.root / new.out.strip() if not Path(new.out.strip()).is_absolute() else Path(new.out.strip())
    text = path.read_text("utf-8")
    assert "# corrections:\n#   - at: 2022-03-03T09:40:00+02:00\n#     text: " in text
    uncommented = text.replace("# corrections:", "corrections:").replace("#   - at:", "  - at:").replace("#     text:", "    text:")
    path.write_text(uncommented.replace("Write the update here", "Officials said 12"), "utf-8")
    assert project.check().code == 0
    assert project.build().code == 0
    assert _block(project, "toll-rises").xpath(".//div[@class='brf-correction']")


# Rebuilds


def test_adding_a_correction_renders_its_day_the_corrections_page_and_the_feeds_only(project: Project) -> None:
    _archive(project, "")
    cache = project.root / "cache"
    generate(project.content, project.config, cache_dir=cache)
    _archive(project)
    again = generate(project.content, project.config, cache_dir=cache)
    assert again.fresh == (
        "feed cities/kharkiv/feed.xml", "feed corrections/feed.xml", "feed feed.xml",
        "pages corrections", "pages day 2022-03-03", "updates day 2022-03-03",
    )  # fmt: skip


def _build(project: Project, site: Path, cache: Path, *extra: str) -> None:
    result = project.build(*extra, site=site, cache=cache)
    assert result.code == 0, result.err


@pytest.mark.parametrize("edit", ["added", "removed"])
def test_a_cached_rebuild_after_a_correction_equals_a_clean_build(tmp_path: Path, edit: str) -> None:
    project = make_project(tmp_path / "project")
    _archive(project, "" if edit == "added" else TWO_CORRECTIONS)
    warm, cache = tmp_path / "warm", tmp_path / "cache"
    _build(project, warm, cache)
    before = _digest(warm)
    _archive(project, TWO_CORRECTIONS if edit == "added" else "")
    _build(project, warm, cache)
    _build(project, tmp_path / "clean", tmp_path / "no-cache", "--clean")
    assert _digest(warm) == _digest(tmp_path / "clean") != before


def test_the_corrections_are_in_the_schema_editors_read(project: Project) -> None:
    schema = json.loads((Path(__file__).parents[1] / "site_config" / "entry.schema.json").read_text("utf-8"))
    corrections = schema["properties"]["corrections"]
    assert corrections["items"]["required"] == ["at", "text"]
    assert textwrap.shorten(corrections["description"], 40).startswith("Corrections made to the update")


# Importing


def test_importing_a_page_whose_json_ld_declares_corrections_keeps_them(tmp_path: Path) -> None:
    original = make_project(tmp_path / "original")
    _archive(original, TWO_CORRECTIONS.replace("**21**", r"21 \<people\> & \*more\*"))  # Markdown's escapes
    assert original.build().code == 0
    shown = [_text(c) for c in _block(original).xpath(".//div[@class='brf-correction']")]
    again = make_project(tmp_path / "again")
    imported = run_cli("import", original.site / DAY / "index.html", "--content", again.content, "--config", again.config)
    assert imported.code == 0, imported.err
    (path,) = again.content.glob(f"{DAY}/toll*.md")
    front = path.read_text("utf-8").split("---\n")[1]
    assert "corrections:\n  - at: 2022-03-03T12:30:00+02:00\n    text: " in front
    assert again.check("--strict").code == 0
    assert again.build().code == 0
    (block,) = article(again.page(f"{DAY}/")).xpath(".//article[starts-with(@id, 'toll')]")
    assert [_text(c) for c in block.xpath(".//div[@class='brf-correction']")] == shown == [
        "Correction, 12:30: An earlier version gave the toll as 21 <people> & *more*; regional officials said 12.",
        "Correction, 10:05: Corrected the spelling of Kharkiv.",
    ]
    again_import = run_cli("import", original.site / DAY / "index.html", "--content", again.content, "--config", again.config)
    assert "2 unchanged" in again_import.out + again_import.err  # a second import finds nothing new


# In a browser


def test_a_day_with_corrections_and_the_corrections_page_have_no_axe_core_violation(browser, tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    from test_browser import AXE_JS, WIDE, _format_violations, _QuietHandler, _watched

    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run tests/install_browser.sh")
    project = make_project(tmp_path, SETTINGS + "repo_url: https://github.com/newsroom/briefing\n")
    _corrected_archive(project)
    assert project.build().code == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    failures = []
    try:
        for url in (f"{DAY}/", "corrections/"):
            context, web = _watched(browser, f"http://127.0.0.1:{server.server_address[1]}/", WIDE)
            try:
                web.goto(url)
                web.page.add_script_tag(path=str(AXE_JS))
                bad = web.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
                if bad:
                    failures.append(f"axe-core on /{url}:\n" + _format_violations(bad))
            finally:
                context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not failures, "\n\n".join(failures)
