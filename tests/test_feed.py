"""The RSS feed, parsed by a real feed reader library (feedparser)."""

from __future__ import annotations

import calendar
import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest

from conftest import Project, article, make_project

SETTINGS = """\
title: Feed & Test <Briefing>
description: Updates for the tests.
site_url: https://news.example.org/briefing/
timezone: Europe/Kyiv
feed_size: 3
"""


@pytest.fixture(scope="module")
def feed_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = make_project(tmp_path_factory.mktemp("feed"), SETTINGS)
    for hour in range(5):
        p.entry(
            f"2022/03/03/update-{hour}.md",
            f"title: Update {hour}\npublished: 2022-03-03T1{hour}:00:00+02:00\ncities: [Kyiv]\npeople: [Vitali Klitschko]",
            f"Body {hour} with [a link](../04/#x) and ![pic](pic-{hour}.png).",
        )
    p.entry("2022/03/04/draft.md", "title: Draft\npublished: 2022-03-04T23:00:00+02:00\ndraft: true")
    # Characters XML 1.0 forbids never reach the feed (U+FFFE is allowed in YAML's double quotes).
    p.entry("2022/03/03/odd.md", 'title: "Odd \\uFFFE char"\npublished: 2022-03-03T09:00:00+02:00')
    assert p.build().code == 0
    return p


@pytest.fixture(scope="module")
def parsed(feed_project: Project) -> feedparser.FeedParserDict:
    return feedparser.parse((feed_project.site / "feed.xml").read_bytes())


def test_feed_is_well_formed_rss(parsed: feedparser.FeedParserDict, feed_project: Project) -> None:
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    lxml.etree.fromstring((feed_project.site / "feed.xml").read_bytes())  # strict XML parser


def test_channel_fields(parsed: feedparser.FeedParserDict) -> None:
    assert parsed.feed.title == "Feed & Test <Briefing>"
    assert parsed.feed.link == "https://news.example.org/briefing/"
    self_links = [l.href for l in parsed.feed.links if l.rel == "self"]
    assert self_links == ["https://news.example.org/briefing/feed.xml"]


def test_latest_entries_newest_first_limited_by_feed_size(parsed: feedparser.FeedParserDict) -> None:
    assert [e.title for e in parsed.entries] == ["Update 4", "Update 3", "Update 2"]


def test_item_fields(parsed: feedparser.FeedParserDict) -> None:
    item = parsed.entries[0]
    assert item.link == "https://news.example.org/briefing/2022/03/03/#update-4"
    assert item.id == "tag:news.example.org,2022-03-03:briefing/update-4"  # the site is under /briefing/
    assert item.guidislink is False
    published = parsedate_to_datetime(item.published)
    assert published == datetime.fromisoformat("2022-03-03T14:00:00+02:00")
    assert item.published == "Thu, 03 Mar 2022 14:00:00 +0200"
    assert calendar.timegm(item.published_parsed) == int(published.timestamp())
    assert [t.term for t in item.tags] == ["Kyiv", "Vitali Klitschko"]
    assert '<a href="https://news.example.org/briefing/2022/03/04/#x"' in item.summary
    assert 'src="https://news.example.org/briefing/2022/03/03/pic-4.png"' in item.summary


def test_an_item_credits_its_sources_as_its_day_page_does(tmp_path) -> None:
    p = make_project(tmp_path, SETTINGS)
    p.entry(
        "2022/03/03/credited.md",
        "title: Credited\npublished: 2022-03-03T10:00:00+02:00\n"
        'sources: [{name: "Reuters & AP", url: "https://example.org/a?b=1&c=2"}, {name: Ukrinform, url: "https://example.org/u"}]',
    )
    assert p.build().code == 0
    (item,) = feedparser.parse((p.site / "feed.xml").read_bytes()).entries
    (json_item,) = __import__("json").loads((p.site / "feed.json").read_text("utf-8"))["items"]
    for html in (item.summary, json_item["content_html"]):
        credit = lxml.html.fragment_fromstring(html, create_parent="div").xpath("p[last()]")[0]
        assert credit.text_content() == "Sources: Reuters & AP, Ukrinform"
        assert credit.xpath(".//a/@href") == ["https://example.org/a?b=1&c=2", "https://example.org/u"]
    p.entry("2022/03/03/credited.md", "title: Credited\npublished: 2022-03-03T10:00:00+02:00\n"
                                      'sources: [{name: Ukrinform, url: "https://example.org/u"}]')  # fmt: skip
    assert p.build().code == 0
    (item,) = feedparser.parse((p.site / "feed.xml").read_bytes()).entries
    assert lxml.html.fragment_fromstring(item.summary, create_parent="div").xpath("string(p[last()])") == "Source: Ukrinform"
    day = article(p.page("2022/03/03/")).xpath("string(.//p[@class='brf-sources'])")
    assert day == "Source: Ukrinform"  # one source, in the singular


def test_every_url_in_item_html_is_absolute(parsed: feedparser.FeedParserDict) -> None:
    for item in parsed.entries:
        fragment = lxml.html.fragment_fromstring(item.summary, create_parent="div")
        for url in fragment.xpath(".//@href | .//@src"):
            assert url.startswith("https://news.example.org/briefing/"), url


def test_forbidden_xml_characters_are_dropped(feed_project: Project) -> None:
    p = make_project(feed_project.root / "odd-only", SETTINGS)
    p.entry("2022/03/03/odd.md", 'title: "Odd \\uFFFE char"\npublished: 2022-03-03T09:00:00+02:00')
    assert p.build().code == 0
    parsed = feedparser.parse((p.site / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "Odd  char"


def test_guids_do_not_change_when_an_entry_is_edited(tmp_path) -> None:
    ids = []
    for title, time in [("First", "10:00"), ("Edited title", "10:05")]:
        p = make_project(tmp_path / title.replace(" ", "-"), SETTINGS)
        p.entry("2022/03/03/stable.md", f"title: {title}\npublished: 2022-03-03T{time}:00+02:00", "Changed body.")
        assert p.build().code == 0
        ids.append(feedparser.parse((p.site / "feed.xml").read_bytes()).entries[0].id)
    assert ids[0] == ids[1]


def test_an_archive_that_moved_keeps_its_updates_ids_everywhere_with_ids_from(tmp_path) -> None:
    # A subscriber's reader, and a dataset joined on the records' ids, must not see every update anew.
    import json

    def ids(project) -> list[str]:
        feed = [entry.id for entry in feedparser.parse((project.site / "feed.xml").read_bytes()).entries]
        feed += [item["id"] for item in json.loads((project.site / "feed.json").read_text("utf-8"))["items"]]
        feed += [json.loads(line)["id"] for line in (project.site / "data/entries.ndjson").read_text("utf-8").splitlines()]
        feed += [update["id"] for update in json.loads((project.site / "2022/03/03/updates.json").read_text("utf-8"))["updates"]]
        return feed

    entry = ("2022/03/03/stable.md", "title: Stable\npublished: 2022-03-03T10:00:00+02:00", "Words.")
    before = make_project(tmp_path / "before", "title: T\nsite_url: https://news.example.org/briefing/\n")
    moved = make_project(tmp_path / "moved", "title: T\nsite_url: https://archive.example.net/ukraine/\n"
                                             "ids_from: https://news.example.org/briefing\n")  # fmt: skip
    for project in (before, moved):
        project.entry(*entry)
        assert project.build().code == 0
    assert set(ids(moved)) == set(ids(before)) == {"tag:news.example.org,2022-03-03:briefing/stable"}
    link = feedparser.parse((moved.site / "feed.xml").read_bytes()).entries[0].link
    assert link == "https://archive.example.net/ukraine/2022/03/03/#stable"  # the links follow the site


def test_an_empty_feed_has_no_build_date_and_the_same_bytes_every_time(tmp_path) -> None:
    import time

    from generator.site import generate

    project = make_project(tmp_path)
    project.entry("2022/03/03/draft.md", "title: Not yet\npublished: 2022-03-03T10:00:00+02:00\ndraft: true")
    first = generate(project.content, project.config).files["feed.xml"]
    time.sleep(1.1)  # the clock's second must not show
    assert generate(project.content, project.config).files["feed.xml"] == first
    parsed = feedparser.parse(first)
    assert not parsed.bozo and parsed.entries == [] and "lastBuildDate" not in first.decode()
    assert parsed.feed.title == "Test Briefing"


def test_feed_bodies_made_beside_the_day_pages_are_handed_to_the_feeds(feed_project: Project) -> None:
    """What ``prepare`` made in one process (a day page's worker) serves the feeds of another, unchanged."""
    from generator.autolink import MentionLinker
    from generator.feeds import FeedBodies, site_feed
    from generator.site import load_archive

    archive, _ = load_archive(feed_project.content, feed_project.config)
    worker = FeedBodies(archive, MentionLinker(archive))
    day = archive.days[0]
    worker.prepare(day.entries)
    assert worker.export() == {}  # nothing linked in this process yet: nothing made
    for entry in day.entries:
        worker.linker.linked(entry)
    worker.prepare(day.entries)
    made = worker.export()
    # Only entries a feed shows (feed_size 3 of the site feed, 3 of each entity's).
    assert sorted(made) == sorted(e.rel_path for e in day.entries if e.rel_path in worker.shown)
    assert 0 < len(made) < len(day.entries)
    assert worker.export() == {}

    class NoLinking(MentionLinker):
        def linked(self, entry):  # noqa: ANN001, ANN201
            raise AssertionError(f"{entry.rel_path} was linked again")

    feeds_process = FeedBodies(archive, NoLinking(archive))
    feeds_process.adopt(made)
    assert site_feed(archive, feeds_process) == site_feed(archive, FeedBodies(archive, MentionLinker(archive)))


def test_a_site_address_in_another_script_is_written_as_feeds_and_sitemaps_require(tmp_path: Path) -> None:
    from conftest import SETTINGS, make_project

    project = make_project(tmp_path, SETTINGS.replace("https://news.example.org/briefing/", "https://пример.укр/архів/"))
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    assert project.build().code == 0
    (item,) = feedparser.parse((project.site / "feed.xml").read_bytes()).entries
    assert item.id == "tag:xn--e1afmkfd.xn--j1amh,2022-03-03:%D0%B0%D1%80%D1%85%D1%96%D0%B2/one"
    assert item.link == "https://xn--e1afmkfd.xn--j1amh/%D0%B0%D1%80%D1%85%D1%96%D0%B2/2022/03/03/#one"
    assert (project.site / "sitemap.xml").read_bytes().isascii()


def test_the_publishers_logo_is_the_icon_a_feed_reader_shows(tmp_path) -> None:
    project = make_project(tmp_path, SETTINGS + "publisher:\n  name: Example News\n  logo: https://news.example.org/logo.png\n")
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    assert project.build().code == 0
    parsed = feedparser.parse((project.site / "feed.xml").read_bytes())
    assert parsed.feed.image.href == "https://news.example.org/logo.png"
    assert json.loads((project.site / "feed.json").read_text("utf-8"))["icon"] == "https://news.example.org/logo.png"
    bare = make_project(tmp_path / "bare")  # no publisher: no picture, rather than a broken one
    bare.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    assert bare.build().code == 0
    assert "icon" not in json.loads((bare.site / "feed.json").read_text("utf-8"))
