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


@pytest.mark.parametrize("old", ["cities/kiev/", "cities/kharkov/"])
def test_a_subscription_made_at_an_old_address_goes_on(site: Project, old: str) -> None:
    """A feed reader follows no page's refresh: an entity's feeds are at its old and variant
    addresses too, item for item, their self links naming the entity's own address."""
    target = "cities/kyiv-city/" if old == "cities/kiev/" else "cities/kharkiv/"
    for name in ("feed.xml", "feed.json"):
        assert (site.site / old / name).read_bytes() == (site.site / target / name).read_bytes()
    parsed = feedparser.parse((site.site / old / "feed.xml").read_bytes())
    selves = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert parsed.entries and selves == [f"https://news.example.org/briefing/{target}feed.xml"]


def test_a_name_outside_the_registry_never_takes_an_alias_s_redirect(project: Project) -> None:
    project.write("site_config/cities.yml", CITIES)
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00\ncities: [Kyiv]")
    project.entry("2022/03/03/b.md", "title: B\npublished: 2022-03-03T10:00:00+02:00\ncities: ['Kiev!']")
    result = project.build()
    assert result.code == 0
    assert "content/2022/03/03/b.md: warning: 'Kiev!' makes the same URL as 'Kiev', an alias of 'Kyiv City'; its page is /cities/kiev-2/" in result.out
    kiev = lxml.html.fromstring((project.site / "cities/kiev/index.html").read_bytes())
    assert kiev.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=../../cities/kyiv-city/"]
    assert article(project.page("cities/kiev-2/")).xpath(".//h1")[0].text == "Kiev!"


def test_an_invisible_character_in_a_name_makes_no_second_page(project: Project) -> None:
    # A zero-width space pasted inside a name: the writer sees "Kyiv" and "Bucha" twice.
    project.write("site_config/cities.yml", CITIES)
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00\ncities: [Kyiv, Bucha]")
    project.entry(
        "2022/03/03/b.md", 'title: B\npublished: 2022-03-03T10:00:00+02:00\ncities: ["Ky\\u200biv", "Bu\\u200bcha"]'
    )
    assert project.build().code == 0
    for page in ("cities/kyiv-city/", "cities/bucha/"):
        assert sorted(_entity_entries(project, page)) == ["a", "b"]
    assert article(project.page("cities/bucha/")).xpath(".//h1")[0].text == "Bucha"
    assert not (project.site / "cities/ky-iv").exists() and not (project.site / "cities/bu-cha").exists()


def test_a_name_with_another_apostrophe_is_the_registry_s_city(project: Project) -> None:
    # The registry writes a keyboard's "'"; a word processor writes "’", Ukrainian spelling "ʼ".
    project.write("site_config/cities.yml", "- name: Кам'янське\n  aliases: [Kamianske]\n")
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00\ncities: [Кам'янське]")
    project.entry(
        "2022/03/03/b.md", "title: B\npublished: 2022-03-03T10:00:00+02:00\ncities: [Кам’янське]",
        "Камʼянське знову без води.",
    )
    result = project.build()
    assert result.code == 0 and "unknown city" not in result.out, result.out
    assert sorted(_entity_entries(project, "cities/kam-ianske/")) == ["a", "b"]
    assert not (project.site / "cities/kamianske/index.html").read_text("utf-8").count("<article")  # the alias's redirect
    entry = article(project.page("2022/03/03/")).xpath(".//article[@id='b']")[0]
    assert entry.xpath(".//a[contains(@class, 'brf-chip--city')]/@href") == ["../../../cities/kam-ianske/"]
    mention = entry.xpath(".//a[@class='brf-mention']")[0]
    assert (mention.text, mention.get("href")) == ("Камʼянське", "../../../cities/kam-ianske/")


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
    assert head == ["feed.xml", "../../feed.xml"]  # the page's own first: a reader given the page takes the first


def test_json_feed_follows_json_feed_1_1_with_rss_ids(site: Project) -> None:
    feed = json.loads((site.site / "feed.json").read_text("utf-8"))
    jsonschema.validate(feed, JSON_FEED_11, format_checker=jsonschema.FormatChecker())
    rss = feedparser.parse((site.site / "feed.xml").read_bytes())
    assert [i["id"] for i in feed["items"]] == [e.id for e in rss.entries]
    for item in feed["items"]:
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None


def test_a_person_can_be_followed_by_json_feed_as_by_rss(site: Project) -> None:
    feed = json.loads((site.site / "people/volodymyr-zelenskiy/feed.json").read_text("utf-8"))
    jsonschema.validate(feed, JSON_FEED_11, format_checker=jsonschema.FormatChecker())
    rss = feedparser.parse((site.site / "people/volodymyr-zelenskiy/feed.xml").read_bytes())
    # The same updates, newest first, under the same ids: a reader may switch formats without duplicates.
    assert [(i["id"], i["title"]) for i in feed["items"]] == [(e.id, e.title) for e in rss.entries]
    assert feed["home_page_url"] == "https://news.example.org/briefing/people/volodymyr-zelenskiy/"
    assert feed["feed_url"] == "https://news.example.org/briefing/people/volodymyr-zelenskiy/feed.json"
    page = site.page("people/volodymyr-zelenskiy/")
    assert page.xpath("//head/link[@type='application/feed+json']/@href") == ["feed.json", "../../feed.json"]
    follow = article(page).xpath(".//a[@class='brf-feed-link']")
    assert [(a.text_content(), a.get("type")) for a in follow] == [
        ("RSS feed of Volodymyr Zelenskiy", "application/rss+xml"),
        ("JSON Feed", "application/feed+json"),
    ]


def test_two_entities_sharing_a_name_is_an_error(project: Project) -> None:
    project.write("site_config/people.yml", "- name: A\n  aliases: [Same]\n- name: B\n  aliases: [same]\n")
    result = project.check()
    assert result.code == 1
    assert result.lines == [f"{project.config}/people.yml:3: error: name 'same' belongs to both 'A' and 'B'"]


# Seven updates of Kyiv over four months, oldest first.
BUSY = ["2022-01-15", "2022-02-10", "2022-02-20", "2022-03-01", "2022-03-02", "2022-03-05", "2022-04-01"]


def _busy_kyiv(p: Project) -> None:
    for n, day in enumerate(BUSY):
        p.entry(f"{day.replace('-', '/')}/u{n}.md", f"title: U{n}\npublished: {day}T10:00:00+02:00\ncities: [Kyiv]")


def test_a_busy_entity_lists_its_latest_updates_and_every_update_by_month(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import views

    monkeypatch.setattr(views, "MONTHS_FROM", 3)
    monkeypatch.setattr(views, "ENTITY_LATEST", 2)
    p = make_project(tmp_path)
    _busy_kyiv(p)
    result = p.build()
    assert result.code == 0, result.err  # the manifest check also counts each entry once on its month's page
    assert _entity_entries(p, "cities/kyiv/") == ["u6", "u5"]
    kyiv = article(p.page("cities/kyiv/"))
    # Said above the latest, not only after them: the month pages hold the rest.
    assert kyiv.xpath("string(.//p[@class='brf-entity__older'])") == "These are the latest 2 of 7 updates: every update, by month."
    assert kyiv.xpath(".//p[@class='brf-entity__older']/a/@href") == ["#months"]
    months = [(a.text, a.getnext().text) for a in kyiv.xpath(".//section[@id='months']//a")]
    assert months == [("April 2022", "1"), ("March 2022", "3"), ("February 2022", "2"), ("January 2022", "1")]
    assert kyiv.xpath(".//section[@id='months']//a/@href")[1] == "../../cities/kyiv/2022/03/"
    assert [_entity_entries(p, f"cities/kyiv/2022/{m:02d}/") for m in (4, 3, 2, 1)] == [
        ["u6"], ["u5", "u4", "u3"], ["u2", "u1"], ["u0"],
    ]  # fmt: skip
    march = p.page("cities/kyiv/2022/03/")
    assert march.xpath("//title/text()")[0].startswith("Kyiv: March 2022")
    assert article(march).xpath(".//a[@rel='prev']/@href") == ["../../../../cities/kyiv/2022/04/"]
    assert article(march).xpath(".//a[@rel='next']/@href") == ["../../../../cities/kyiv/2022/02/"]
    assert not article(march).xpath(".//dl[@class='brf-entity__facts']")
    # Its times span a change of the clocks (27 March): the zone, by its place, not one offset.
    assert article(march).xpath("string(.//p[@class='brf-zone'])") == "Times are Kyiv time."


def test_a_quieter_entity_lists_every_update_on_its_page_and_has_no_month_pages(tmp_path) -> None:
    p = make_project(tmp_path)
    _busy_kyiv(p)
    assert p.build().code == 0
    assert _entity_entries(p, "cities/kyiv/") == [f"u{n}" for n in range(6, -1, -1)]
    assert not article(p.page("cities/kyiv/")).xpath(".//section[@id='months']")
    assert not (p.site / "cities/kyiv/2022").exists()


def test_the_numbered_pages_of_earlier_versions_lead_to_the_month_of_their_newest_update() -> None:
    from datetime import date, timedelta

    from generator.model import Archive, Entity
    from generator.redirects import redirects
    from generator.settings import Settings

    class Listed:  # what a redirect reads of an entry
        def __init__(self, day: date) -> None:
            self.day = day

    oldest = date(2022, 1, 1)
    entries = tuple(Listed(oldest + timedelta(days=n // 2)) for n in range(649, -1, -1))  # 650, newest first
    kyiv = Entity("city", "kyiv", "Kyiv", entries)  # type: ignore[arg-type]
    archive = Archive(Settings(title="T", site_url="https://example.org/"), (), (kyiv,), ())
    found = {r.url: r.target for r in redirects(archive, taken=[])}
    # Blocks of 200 counted from the oldest: page 3 held the oldest 200, page 2 the 200 before.
    assert found == {
        "cities/kyiv/page/2/": f"cities/kyiv/{entries[250].day:%Y/%m}/",
        "cities/kyiv/page/3/": f"cities/kyiv/{entries[450].day:%Y/%m}/",
    }


def test_the_archive_sorts_by_the_entries_sort_key() -> None:
    from datetime import datetime, timedelta, timezone

    from generator.archive import SORT_KEY
    from generator.model import Entry

    moment = datetime(2022, 3, 3, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    entry = Entry(path="a.md", rel_path="a.md", slug="a", title="A", published=moment, updated=None,
                  day=moment.date(), cities=(), people=())  # fmt: skip
    assert SORT_KEY(entry) == entry.sort_key


ARABIC = "title: أرشيف\nsite_url: https://news.example.org/\ntimezone: Asia/Beirut\nlanguage: ar\n"


def _page_name(p: Project, url: str) -> str:
    return p.page(url).xpath("string(//h1)").strip()


def test_a_name_added_to_a_registry_never_takes_the_address_of_an_established_page(tmp_path) -> None:
    # Arabic writes no short vowels: Tyre (صور) and Sur (سور) are both /cities/swr/. The
    # city whose updates came first keeps its page and its feed's subscribers, whichever
    # name sorts first.
    p = make_project(tmp_path, ARABIC)
    p.write("site_config/cities.yml", "- name: صور\n")
    p.entry("2024/10/01/tyre.md", "title: صور\npublished: 2024-10-01T09:00:00+03:00\ncities: [صور]", "نص.")
    assert p.build().code == 0
    assert _page_name(p, "cities/swr/") == "صور"
    p.write("site_config/cities.yml", "- name: سور\n- name: صور\n")
    p.entry("2024/10/02/sur.md", "title: سور\npublished: 2024-10-02T09:00:00+03:00\ncities: [سور]", "نص.")
    result = p.build()
    assert result.code == 0
    assert (_page_name(p, "cities/swr/"), _page_name(p, "cities/swr-2/")) == ("صور", "سور")
    assert "'سور' makes the same URL as 'صور'; its page is /cities/swr-2/" in result.out


def test_a_cached_rebuild_gives_a_shared_address_as_a_clean_build_does(tmp_path) -> None:
    # Which of two names sharing a slug has it follows their first updates: an edit that
    # changes which came first is grouped again, not patched.
    p = make_project(tmp_path, ARABIC)
    p.write("site_config/cities.yml", "- name: سور\n- name: صور\n")
    p.entry("2024/10/01/tyre.md", "title: صور\npublished: 2024-10-01T09:00:00+03:00\ncities: [صور]", "نص.")
    p.entry("2024/10/02/sur.md", "title: سور\npublished: 2024-10-02T09:00:00+03:00\ncities: [سور]", "نص.")
    assert p.build().code == 0
    p.entry("2024/10/02/tyre.md", "title: صور\npublished: 2024-10-02T10:00:00+03:00\ncities: [صور]", "نص.")
    (p.content / "2024/10/01/tyre.md").unlink()
    assert p.build().code == 0
    cached = (_page_name(p, "cities/swr/"), _page_name(p, "cities/swr-2/"))
    assert p.build("--clean").code == 0
    assert cached == (_page_name(p, "cities/swr/"), _page_name(p, "cities/swr-2/")) == ("سور", "صور")


def test_an_address_two_entities_aliases_make_leads_to_the_first_everywhere(tmp_path) -> None:
    # Its redirect page, its feeds and the 404 page's table of former names agree.
    p = make_project(tmp_path)
    p.write("site_config/cities.yml", "- name: Alpha\n  aliases: [Kiev]\n- name: Beta\n  aliases: [Kiév]\n")
    p.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Alpha, Beta]", "Words.")
    assert p.build().code == 0
    canonical = p.page("cities/kiev/").xpath("//link[@rel='canonical']/@href")[0]
    moved = json.loads((p.site / "moved.json").read_text("utf-8"))
    assert canonical.endswith("/cities/alpha/") and moved["cities/kiev/"] == "cities/alpha/"


def test_a_mention_stretched_by_tatweel_links_its_city(tmp_path) -> None:
    p = make_project(tmp_path, ARABIC)
    p.write("site_config/cities.yml", "- name: بيروت\n")
    p.entry("2024/10/01/a.md", "title: غارة\npublished: 2024-10-01T09:00:00+03:00\ncities: [بيروت]", "انفجار في بيـــروت اليوم.")
    assert p.build().code == 0
    assert p.page("2024/10/01/").xpath("//a[@class='brf-mention']/@href") == ["../../../cities/byrwt/"]
