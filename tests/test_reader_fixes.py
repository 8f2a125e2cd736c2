"""What readers, their tools and their feed readers find on every page: landmarks, labels,
headings, feed autodiscovery, feed ids that tell two archives apart, and structured data
that names the publisher and each update's author."""

from __future__ import annotations

import json
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.html
import pytest

from conftest import MKDOCS_YML, Project, make_project, run_cli

GOLDEN = Path(__file__).parent / "golden"
SITE = "https://golden.example.org/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden archive built: a page of every kind (home, days, cities, people, indexes, archive)."""
    out = tmp_path_factory.mktemp("readers") / "site"
    result = run_cli("build", "--content", GOLDEN / "content", "--config", GOLDEN / "site_config",
                     "--site-dir", out, "--mkdocs-config", MKDOCS_YML)  # fmt: skip
    assert result.code == 0, result.out + result.err
    return out


def _pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    """Every themed page by its URL (redirect pages, which are not, left out)."""
    found = {}
    for path in sorted(site.rglob("index.html")):
        if path.relative_to(site).parts[0] in ("assets", "pagefind"):
            continue
        page = lxml.html.fromstring(path.read_bytes())
        if not page.xpath("//meta[@http-equiv='refresh']"):
            found[path.parent.relative_to(site).as_posix() + "/" if path.parent != site else ""] = page
    assert len(found) > 8
    return found


def test_every_landmark_of_a_page_has_a_name_of_its_own(site: Path) -> None:
    for url, page in _pages(site).items():
        named = [(el.tag, el.get("aria-label")) for el in page.xpath("//nav | //aside | //main | //form[@aria-label]")]
        assert len(named) == len(set(named)), f"/{url}: two landmarks share a name: {sorted(named)}"
    days = [el.get("aria-label") for el in _pages(site)["2022/03/03/"].xpath("//nav[@class='brf-daynav']")]
    assert days == ["Days", "Days, after the updates"]


def test_no_page_has_a_landmark_with_nothing_in_it(site: Path) -> None:
    """A screen reader lists a page's landmarks: each one listed leads somewhere."""
    for url, page in _pages(site).items():
        empty = [el.get("aria-label") for el in page.xpath("//nav | //aside") if not el.text_content().strip()]
        assert not empty, f"/{url}: empty landmarks {empty}"


def test_a_screen_reader_reads_each_update_s_title_before_its_time(site: Path) -> None:
    """Going from heading to heading, the heading is what comes first (tests/test_browser.py: the time shows before it)."""
    for url, page in _pages(site).items():
        for head in page.xpath("//article[contains(@class, 'brf-entry')]/header"):
            tags = [child.tag for child in head]
            assert tags in (["h2", "a"], ["h3", "a"]), f"/{url}: {lxml.html.tostring(head)[:200]!r}"
            # Named by its heading, for a screen reader's list of the page's articles.
            assert head.getparent().get("aria-labelledby") == head[0].get("id")


def test_every_time_a_page_gives_is_in_the_site_s_zone(site: Path) -> None:
    """Kyiv, at +02:00 in March 2022, whatever offset an entry was written with (the golden archive has a Z)."""
    for url, page in _pages(site).items():
        for moment in page.xpath("//time/@datetime[contains(., 'T')]"):
            assert moment.endswith("+02:00"), f"/{url}: {moment}"


def test_an_update_in_another_language_than_the_site_s_says_so(tmp_path: Path) -> None:
    """A screen reader reads a Ukrainian update on an English site in a Ukrainian voice."""
    project = make_project(tmp_path)
    project.entry("2022/03/03/uk.md", "title: Вибухи в Києві\npublished: 2022-03-03T10:00:00+02:00\nlanguage: uk", "У Києві чути вибухи.")
    project.entry("2022/03/03/en.md", "title: Blasts in Kyiv\npublished: 2022-03-03T11:00:00+02:00", "Blasts were heard.")
    project.entry("2022/03/03/bad.md", "title: Bad\npublished: 2022-03-03T12:00:00+02:00\nlanguage: Ukrainian\ndraft: true")
    assert project.check().lines == [
        f"{project.content / '2022/03/03/bad.md'}:4: error: 'language' must be a language code such as uk, ru or en-GB: 'Ukrainian'"
    ]
    (project.content / "2022/03/03/bad.md").unlink()
    assert project.build().code == 0
    page = project.page("2022/03/03/")
    assert [(a.get("id"), a.get("lang")) for a in page.xpath("//article[contains(@class, 'brf-entry')]")] == [("uk", "uk"), ("en", None)]
    feed = json.loads((project.site / "feed.json").read_text("utf-8"))
    assert [item.get("language") for item in feed["items"]] == [None, "uk"]  # newest first
    (data,) = page.xpath("//script[@type='application/ld+json']/text()")
    assert [p.get("inLanguage") for p in json.loads(data)["liveBlogUpdate"]] == ["uk", None]


def test_every_form_field_is_labelled_the_search_toggle_too(site: Path) -> None:
    for url, page in _pages(site).items():
        labelled = set(page.xpath("//label/@for"))
        # Material's table-of-contents toggle is labelled by the table of contents, which
        # pages without headings to list (the navigation's four) do not have.
        for field in page.xpath("//input[not(@type='hidden') and not(@id='__toc')]"):
            name = field.get("aria-label") or field.get("aria-labelledby") or field.get("id") in labelled
            assert name, f"/{url}: an unlabelled field: {lxml.html.tostring(field)[:120]!r}"
        (label,) = page.xpath("//label[@for='__search']")
        assert label.text_content().strip() == "Search"


def test_headings_start_with_the_pages_h1_and_never_skip_a_level(site: Path) -> None:
    for url, page in _pages(site).items():
        levels = [int(h.tag[1]) for h in page.xpath("//h1 | //h2 | //h3 | //h4 | //h5 | //h6")]
        assert levels[0] == 1, f"/{url}: the first heading is an h{levels[0]}"
        skipped = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert not skipped, f"/{url}: headings skip a level: {skipped}"
    # The search dialog is still there, after the page: its heading is the last one.
    assert _pages(site)[""].xpath("(//h1 | //h2 | //h3)[last()]/@id") == ["brf-search-title"]


def test_every_page_announces_the_rss_feed_and_the_json_feed(site: Path) -> None:
    for url, page in _pages(site).items():
        base = SITE + url
        feeds = {link.get("type"): urljoin(base, link.get("href")) for link in page.xpath("//head/link[@rel='alternate']")
                 if link.get("title") and link.get("title").startswith("Golden Briefing")}  # fmt: skip
        assert feeds == {"application/rss+xml": SITE + "feed.xml", "application/feed+json": SITE + "feed.json"}, url
    assert json.loads((site / "feed.json").read_text("utf-8"))["version"] == "https://jsonfeed.org/version/1.1"


def test_beside_every_announced_feed_is_a_sitemap_of_its_pages(site: Path) -> None:
    """mkdocs-material fetches the sitemap.xml beside each <link rel="alternate">: none may be missing."""
    checked = 0
    for url, page in _pages(site).items():
        for href in page.xpath("//head/link[@rel='alternate']/@href"):
            feed = posixpath.normpath(posixpath.join(url, href))
            sitemap = site / posixpath.dirname(feed) / "sitemap.xml"
            assert sitemap.is_file(), f"/{url}: nothing at {sitemap.relative_to(site)}"
            locs = [loc.text for loc in ET.parse(sitemap).getroot().iter() if loc.tag.endswith("loc")]
            assert SITE + url in locs, f"/{url} is not in the sitemap beside its feed {feed}"
            checked += 1
    assert checked > len(_pages(site))  # the site's feeds, and each entity's
    kyiv = ET.parse(site / "cities/kyiv/sitemap.xml").getroot()
    assert [loc.text for loc in kyiv.iter() if loc.tag.endswith("loc")] == [SITE + "cities/kyiv/"]


def _feed_ids(tmp_path: Path, site_url: str) -> tuple[list[str], list[str]]:
    project = make_project(tmp_path, f"title: T\nsite_url: {site_url}\n")
    project.entry("2022/03/03/blasts.md", "title: Blasts\npublished: 2022-03-03T01:35:00+02:00")
    assert project.build().code == 0
    rss = [entry.id for entry in feedparser.parse((project.site / "feed.xml").read_bytes()).entries]
    jsonfeed = [item["id"] for item in json.loads((project.site / "feed.json").read_text("utf-8"))["items"]]
    return rss, jsonfeed


def test_two_archives_on_one_host_give_their_updates_different_ids(tmp_path: Path) -> None:
    first = _feed_ids(tmp_path / "a", "https://user.github.io/kyiv-briefing/")
    second = _feed_ids(tmp_path / "b", "https://user.github.io/kharkiv-briefing/")
    assert first == (["tag:user.github.io,2022-03-03:kyiv-briefing/blasts"],) * 2
    assert second == (["tag:user.github.io,2022-03-03:kharkiv-briefing/blasts"],) * 2


def test_a_site_at_the_hosts_root_keeps_its_ids(tmp_path: Path) -> None:
    assert _feed_ids(tmp_path, "https://briefings.example.org/") == (["tag:briefings.example.org,2022-03-03:blasts"],) * 2


def _json_ld(project: Project, url: str) -> dict:
    (script,) = project.page(url).xpath("//script[@type='application/ld+json']/text()")
    return json.loads(script)


def test_the_structured_data_names_the_publisher_and_each_updates_author(project: Project) -> None:
    project.write("site_config/settings.yml", "title: T\nsite_url: https://example.org/\n"
                  "publisher:\n  name: Kyiv   Desk\n  url: https://example.org/about/\n")  # fmt: skip
    project.entry("2022/03/03/blasts.md", "title: Blasts\npublished: 2022-03-03T01:35:00+02:00\nauthor: Olena  Kovalenko")
    project.entry("2022/03/03/sirens.md", "title: Sirens\npublished: 2022-03-03T02:00:00+02:00")
    assert project.build().code == 0
    data = _json_ld(project, "2022/03/03/")
    assert data["publisher"] == {"@type": "Organization", "name": "Kyiv Desk", "url": "https://example.org/about/"}
    assert [update.get("author") for update in data["liveBlogUpdate"]] == [{"@type": "Person", "name": "Olena Kovalenko"}, None]
    # What the structured data says, the page shows, and the feeds too.
    assert project.page("2022/03/03/").xpath("string(//article[@id='blasts']//p[@class='brf-entry__byline'])") == "By Olena Kovalenko"
    assert not project.page("2022/03/03/").xpath("//article[@id='sirens']//p[@class='brf-entry__byline']")
    assert [getattr(e, "author", None) for e in feedparser.parse((project.site / "feed.xml").read_bytes()).entries] == [
        None, "Olena Kovalenko",
    ]  # fmt: skip
    items = json.loads((project.site / "feed.json").read_text("utf-8"))["items"]
    assert [item.get("authors") for item in items] == [None, [{"name": "Olena Kovalenko"}]]


def test_without_a_publisher_the_structured_data_names_none(project: Project) -> None:
    project.entry("2022/03/03/blasts.md", "title: Blasts\npublished: 2022-03-03T01:35:00+02:00")
    assert project.build().code == 0
    assert "publisher" not in _json_ld(project, "2022/03/03/")
    assert b"xmlns:dc" not in (project.site / "feed.xml").read_bytes()  # no author, no Dublin Core


def test_a_bad_publisher_or_author_is_an_error_naming_the_line(project: Project) -> None:
    project.write("site_config/settings.yml", "title: T\nsite_url: https://example.org/\npublisher:\n  url: example.org\n")
    result = project.check()
    settings = project.config / "settings.yml"
    assert (result.code, result.out) == (1, f"{settings}:3: error: missing required field 'name' in 'publisher'\n"
                                            f"{settings}:4: error: 'url' of 'publisher' must be an http:// or https:// URL: 'example.org'\n")  # fmt: skip
    project.write("site_config/settings.yml", "title: T\nsite_url: https://example.org/\n")
    path = project.entry("2022/03/03/blasts.md", "title: Blasts\npublished: 2022-03-03T01:35:00+02:00\nauthor: ' '")
    result = project.check()
    assert (result.code, result.out) == (1, f"{path}:4: error: 'author' must not be empty: ' '\n")


def test_every_page_that_shows_times_says_their_time_zone(site: Path) -> None:
    """A clock time means nothing without its zone: the day pages said it, but the pages of a
    city or a person, the corrections and the home page's key events showed bare times."""
    shown = 0
    for url, page in _pages(site).items():
        (body,) = page.xpath("//article[contains(@class, 'md-content__inner')]")
        if not body.xpath(".//time"):
            continue
        shown += 1
        zones = [" ".join(p.text_content().split()) for p in body.xpath(".//p[@class='brf-zone']")]
        assert any("Times are Kyiv time" in zone for zone in zones), f"/{url} shows times but not their zone"
    assert shown >= 8  # days, cities, people, corrections and home
    home = _pages(site)[""].xpath("//section[@class='brf-home__key']/p[@class='brf-zone']")
    assert [p.text_content() for p in home] == ["Times are Kyiv time."]  # before the key events' times
