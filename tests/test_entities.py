"""Entities that stay one: aliases in any script, redirects, co-mentions, per-entity and JSON feeds."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime

import feedparser
import jsonschema
import lxml.html
import pytest

from conftest import Project, article, make_project

CITIES = """\
- name: Kyiv City
  aliases: [Kyiv, Kiev, Київ, Киев]
  description: Capital of Ukraine.
- name: Kharkiv
  aliases: [Kharkov, Харків]
"""
PEOPLE = """\
- name: Volodymyr Zelenskiy
  aliases: [Zelensky, Zelenskyy, Володимир Зеленський]
  role: President of Ukraine
- name: Vitali Klitschko
"""

# JSON Feed 1.1 (https://jsonfeed.org/version/1.1) written as a schema: the rules a reader relies on.
JSON_FEED_11 = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "feed_url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "language": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = make_project(tmp_path_factory.mktemp("entities"))
    p.write("site_config/cities.yml", CITIES)
    p.write("site_config/people.yml", PEOPLE)
    spellings = ["Kyiv", "Kiev", "Київ", "Киев", unicodedata.normalize("NFD", "київ"), "KYIV CITY"]
    for n, name in enumerate(spellings):
        p.entry(
            f"2022/03/0{1 + n % 3}/kyiv-{n}.md",
            f"title: Kyiv {n}\npublished: 2022-03-0{1 + n % 3}T1{n}:00:00+02:00\ncities: ['{name}']\n"
            f"people: [{'Zelensky' if n % 2 else 'Vitali Klitschko'}]",
        )
    p.entry("2022/03/03/kharkiv.md", "title: Kharkiv\npublished: 2022-03-03T09:00:00+02:00\ncities: [Харків, Kyiv]\npeople: [Zelenskyy]")
    assert p.build().code == 0
    return p


def _entity_entries(p: Project, url: str) -> list[str]:
    return [a.get("href").rsplit("#")[1] for a in article(p.page(url)).xpath(".//ul[@class='brf-entity__entries']//a")]


def test_variants_in_any_script_land_on_one_page(site: Project) -> None:
    assert sorted(_entity_entries(site, "cities/kyiv-city/")) == sorted([f"kyiv-{n}" for n in range(6)] + ["kharkiv"])
    assert sorted(p.name for p in (site.site / "cities").iterdir() if (p / "index.html").exists()) == [
        "kharkiv", "kharkov", "kiev", "kiiv", "kyiv", "kyiv-city",
    ]  # fmt: skip


@pytest.mark.parametrize("old", ["cities/kyiv/", "cities/kiev/", "cities/kharkov/"])
def test_old_and_variant_urls_redirect(site: Project, old: str) -> None:
    page = lxml.html.fromstring((site.site / old / "index.html").read_bytes())
    refresh = page.xpath("//meta[@http-equiv='refresh']/@content")[0]
    target = refresh.split("url=", 1)[1]
    landed = (site.site / old / target / "index.html").resolve()
    assert landed.is_file()
    assert article(lxml.html.fromstring(landed.read_bytes())).xpath(".//h1")[0].text in {"Kyiv City", "Kharkiv"}
    assert page.xpath("//link[@rel='canonical']/@href")[0].startswith("https://news.example.org/briefing/cities/")


def test_co_mentions_are_counted_exactly(site: Project) -> None:
    page = article(site.page("cities/kyiv-city/"))
    listed = {
        li.xpath("./a")[0].text: int(li.xpath("./span")[0].text)
        for li in page.xpath(".//ul[@class='brf-together__list']/li")
    }
    assert listed == {"Kharkiv": 1, "Volodymyr Zelenskiy": 4, "Vitali Klitschko": 3}


def test_first_and_last_mention(site: Project) -> None:
    facts = article(site.page("cities/kyiv-city/")).xpath(".//dl[@class='brf-entity__facts']/dd")
    assert [dd.text_content() for dd in facts[:3]] == ["7", "1 March 2022", "3 March 2022"]


def test_per_entity_feed_lists_exactly_that_entity(site: Project) -> None:
    parsed = feedparser.parse((site.site / "people/volodymyr-zelenskiy/feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert [e.title for e in parsed.entries] == ["Kyiv 5", "Kharkiv", "Kyiv 1", "Kyiv 3"]
    assert parsed.feed.link == "https://news.example.org/briefing/people/volodymyr-zelenskiy/"
    head = site.page("people/volodymyr-zelenskiy/").xpath("//head/link[@type='application/rss+xml']/@href")
    assert head == ["../../feed.xml", "feed.xml"]


def test_json_feed_follows_json_feed_1_1_with_rss_ids(site: Project) -> None:
    feed = json.loads((site.site / "feed.json").read_text("utf-8"))
    jsonschema.validate(feed, JSON_FEED_11, format_checker=jsonschema.FormatChecker())
    rss = feedparser.parse((site.site / "feed.xml").read_bytes())
    assert [i["id"] for i in feed["items"]] == [e.id for e in rss.entries]
    for item in feed["items"]:
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None


def test_two_entities_sharing_a_name_is_an_error(project: Project) -> None:
    project.write("site_config/people.yml", "- name: A\n  aliases: [Same]\n- name: B\n  aliases: [same]\n")
    result = project.check()
    assert result.code == 1
    assert result.lines == [f"{project.config}/people.yml:3: error: name 'same' belongs to both 'A' and 'B'"]


def test_busy_entities_are_paginated_and_every_entry_listed_once(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import views

    monkeypatch.setattr(views, "ENTITY_PAGE_SIZE", 2)
    p = make_project(tmp_path)
    for n in range(7):
        p.entry(f"2022/03/0{n + 1}/u{n}.md", f"title: U{n}\npublished: 2022-03-0{n + 1}T10:00:00+02:00\ncities: [Kyiv]")
    assert p.build().code == 0  # the build's manifest check also counts each entry once
    pages = ["cities/kyiv/", "cities/kyiv/page/2/", "cities/kyiv/page/3/"]
    listed = [_entity_entries(p, url) for url in pages]
    # Older pages are blocks of two counted from the oldest; the first page has the rest.
    assert listed == [["u6", "u5", "u4"], ["u3", "u2"], ["u1", "u0"]]
    assert not (p.site / "cities/kyiv/page/4").exists()
    second = article(p.page("cities/kyiv/page/2/"))
    assert second.xpath(".//a[@rel='prev']/@href") == ["../../../../cities/kyiv/#updates"]
    assert second.xpath(".//a[@rel='next']/@href") == ["../../../../cities/kyiv/page/3/#updates"]
    assert not second.xpath(".//dl[@class='brf-entity__facts']")


@pytest.mark.parametrize("count", [1, 199, 200, 399, 400, 401, 599, 600, 4321])
def test_entity_pages_hold_fixed_blocks_but_the_first(count: int) -> None:
    from generator.model import Entity
    from generator.views import ENTITY_PAGE_SIZE, entity_chunks, entity_pages

    entries = tuple(range(count, 0, -1))  # newest first
    chunks = entity_chunks(Entity("city", "x", "X", entries))  # type: ignore[arg-type]
    assert len(chunks) == entity_pages(Entity("city", "x", "X", entries)) == max(1, count // ENTITY_PAGE_SIZE)  # type: ignore[arg-type]
    assert tuple(e for chunk in chunks for e in chunk) == entries
    assert all(len(chunk) == ENTITY_PAGE_SIZE for chunk in chunks[1:])
    assert all(chunk[-1] % ENTITY_PAGE_SIZE == 1 for chunk in chunks[1:])  # blocks counted from the oldest
    assert len(chunks[0]) < 2 * ENTITY_PAGE_SIZE


def test_the_archive_sorts_by_the_entries_sort_key() -> None:
    from datetime import datetime, timedelta, timezone

    from generator.archive import SORT_KEY
    from generator.model import Entry

    moment = datetime(2022, 3, 3, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    entry = Entry(path="a.md", rel_path="a.md", slug="a", title="A", published=moment, updated=None,
                  day=moment.date(), cities=(), people=())  # fmt: skip
    assert SORT_KEY(entry) == entry.sort_key
