"""Reading the archive: the archive's calendar, the home page's sections, a day's
structured data and its printed form, asserted on pages built through the real CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import html5lib
import lxml.html
import pytest

from conftest import Project, article, entry_ids, make_project
from generator.model import Archive, Day, Entry
from generator.render import Renderer
from generator.settings import Settings
from generator.archive_calendar import shade_levels
from generator.views import archive_view

SITE_URL = "https://news.example.org/briefing/"
EVIL = "</script><script>alert(1)</script>"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# Updates per day: three months over two years, and a spread of counts to shade.
COUNTS = {
    date(2021, 12, 30): 1,
    date(2022, 1, 10): 2,
    date(2022, 3, 1): 1,
    date(2022, 3, 2): 4,
    date(2022, 3, 3): 3,
    **{date(2022, 3, n): 1 for n in range(4, 9)},
    date(2022, 3, 10): 6,
}


def _entries(p: Project) -> None:
    for day, count in COUNTS.items():
        for n in range(count):
            front = f"title: Update {n} of {day}\npublished: {day}T{10 + n:02d}:00:00+02:00\ncities: [Kyiv]"
            if n == 0 and count > 1:
                front += "\npeople: [Vitali Klitschko]"
            p.entry(f"{day:%Y/%m/%d}/u{n}.md", front, f"Body of update {n} & more.")
    # Key events: two within the last seven days of the archive, one older (not on the home page).
    p.entry("2022/03/10/key-late.md", "title: Key late\npublished: 2022-03-10T18:00:00+02:00\nkey: true")
    p.entry("2022/03/10/key-early.md", "title: Key early\npublished: 2022-03-10T08:00:00+02:00\nkey: true")
    p.entry("2022/03/03/key-third.md", "title: Key third\npublished: 2022-03-03T20:00:00+02:00\nkey: true")
    p.entry("2022/01/10/key-old.md", "title: Key old\npublished: 2022-01-10T20:00:00+02:00\nkey: true")
    p.entry(
        "2022/03/02/evil.md",
        f"title: '{EVIL}'\npublished: 2022-03-02T23:00:00+02:00\nupdated: 2022-03-03T08:15:00+02:00\ncities: [Kyiv]"
        "\nsources:\n  - name: Wire\n    url: https://example.org/wire",
        "Tom &amp; Jerry said <b>no</b>. </script><!-- a comment",
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = make_project(tmp_path_factory.mktemp("reading"))
    _entries(p)
    result = p.build()
    assert result.code == 0, result.out + result.err
    return p


def _days_on(day: date) -> int:
    """Updates on ``day`` in the fixture, key events and the evil entry included."""
    extra = {date(2022, 3, 10): 2, date(2022, 3, 3): 1, date(2022, 1, 10): 1, date(2022, 3, 2): 1}
    return COUNTS.get(day, 0) + extra.get(day, 0)


# --- the archive's calendar ------------------------------------------------------------


def test_archive_has_a_table_per_month_newest_first(built: Project) -> None:
    page = article(built.page("archive/"))
    years = page.xpath(".//details[@class='brf-year']")
    assert [y.xpath("./summary/h2")[0].text for y in years] == ["2022", "2021"]
    months = [[m.xpath("./summary/h3")[0].text for m in y.xpath("./details[@class='brf-month']")] for y in years]
    assert months == [["March 2022", "January 2022"], ["December 2021"]]
    tables = page.xpath(".//table[@class='brf-cal']")
    assert [t.xpath("./caption")[0].text for t in tables] == ["March 2022", "January 2022", "December 2021"]
    for table in tables:
        assert [th.text for th in table.xpath("./thead/tr/th")] == WEEKDAYS
        assert all(th.get("scope") == "col" for th in table.xpath("./thead/tr/th"))
        assert all(len(row.xpath("./td")) == 7 for row in table.xpath("./tbody/tr"))


def _march(built: Project):
    (table,) = article(built.page("archive/")).xpath(".//table[caption='March 2022']")
    return table


def test_days_sit_under_their_weekday(built: Project) -> None:
    table = _march(built)
    rows = table.xpath("./tbody/tr")
    # 1 March 2022 was a Tuesday, 3 March a Thursday, 31 March a Thursday.
    assert [td.text_content() for td in rows[0].xpath("./td")] == ["", "1", "2", "3", "4", "5", "6"]
    cell = table.xpath(".//td[a[@href='../2022/03/03/']]")[0]
    column = cell.getparent().index(cell)
    assert WEEKDAYS[column] == "Thu" == f"{date(2022, 3, 3):%a}"
    assert [td.text_content() for td in rows[-1].xpath("./td")] == ["28", "29", "30", "31", "", "", ""]


def test_only_days_with_updates_are_links_named_for_screen_readers(built: Project) -> None:
    for table in article(built.page("archive/")).xpath(".//table[@class='brf-cal']"):
        for td in table.xpath(".//td[normalize-space()]"):
            caption = table.xpath("./caption")[0].text
            day = datetime.strptime(f"{td.text_content()} {caption}", "%d %B %Y").date()
            links = td.xpath("./a")
            if not _days_on(day):
                assert not links and not td.get("class"), f"{day} has no updates but is marked"
                continue
            (link,) = links
            count = _days_on(day)
            assert link.get("href") == f"../{day:%Y/%m/%d}/"
            assert link.get("aria-label") == f"{day.day} {day:%B %Y}: {count} update{'s' if count > 1 else ''}"
            assert link.text == str(day.day)


def test_linked_days_are_shaded_by_count(built: Project) -> None:
    page = article(built.page("archive/"))
    shade = {}
    for td in page.xpath(".//table[@class='brf-cal']//td[a]"):
        (level,) = re.fullmatch(r"brf-cal--([1-4])", td.get("class")).groups()
        label = td.xpath("./a/@aria-label")[0]
        shade[int(re.search(r": (\d+) update", label).group(1))] = int(level)
    ordered = [shade[count] for count in sorted(shade)]
    assert ordered == sorted(ordered) and ordered[0] == 1 and ordered[-1] == 4
    legend = page.xpath(".//p[@class='brf-cal-legend']/span")
    assert [s.get("class").split()[-1] for s in legend] == [f"brf-cal--{n}" for n in sorted(set(shade.values()))]


def test_shades_split_days_by_rank_and_ties_share_one() -> None:
    assert shade_levels([1, 2, 3, 4, 5, 6, 7, 8]) == {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4}
    assert shade_levels([30] * 10) == {30: 1}
    assert shade_levels([7]) == {7: 1}
    assert shade_levels([5, 9, 26]) == {5: 1, 9: 3, 26: 4}
    levels = shade_levels([1, 1, 1, 50, 2, 9, 9, 9, 40, 3])
    assert [levels[c] for c in sorted(levels)] == sorted(levels[c] for c in levels)


def test_years_and_months_fold_with_the_newest_open(built: Project) -> None:
    page = article(built.page("archive/"))
    years = page.xpath(".//details[@class='brf-year']")
    assert [y.get("open") is not None for y in years] == [True, False]
    opened = [m.xpath("./summary/h3")[0].text for m in page.xpath(".//details[@class='brf-month'][@open]")]
    assert opened == ["March 2022"]
    for fold in page.xpath(".//details"):
        assert fold[0].tag == "summary"  # the summary is the fold's first child: it is what a keyboard reaches


def _calendar_archive(days: int) -> Archive:
    start, moment = date(2022, 2, 24), datetime(2022, 2, 24, 10, tzinfo=timezone.utc)
    kept = []
    for n in range(days):
        day = start + timedelta(days=n)
        entries = tuple(
            Entry(path=f"{n}-{i}.md", rel_path=f"{n}-{i}.md", slug=f"u{i}", title="T",
                  published=moment + timedelta(days=n), updated=None, day=day, cities=(), people=())
            for i in range(1 + n % 40)
        )  # fmt: skip
        kept.append(Day(day, entries))
    return Archive(Settings(title="T", site_url=SITE_URL), tuple(kept), (), ())


def test_archive_page_stays_small_at_800_days() -> None:
    archive = _calendar_archive(850)
    html = Renderer(archive).render(archive_view(archive)).html
    assert len(html.encode()) < 120_000, len(html.encode())
    page = lxml.html.fromstring(html)
    assert len(page.xpath("//table[@class='brf-cal']//a")) == 850
    assert len(page.xpath("//details[@open]")) == 2  # the newest year and its newest month


# --- the home page ----------------------------------------------------------------------


def test_home_lists_key_events_of_the_last_days_by_day(built: Project) -> None:
    page = article(built.page(""))
    (section,) = page.xpath(".//section[@class='brf-home__key']")
    assert section.xpath("./h2")[0].text == "Key events of the last days"
    days = [h.text_content() for h in section.xpath("./h3")]
    assert days == ["10 March 2022", "3 March 2022"]  # newest first; 10 January is too old
    links = [a.get("href") for a in section.xpath(".//li/a")]
    assert links == ["2022/03/10/#key-early", "2022/03/10/#key-late", "2022/03/03/#key-third"]
    for href in links:
        url, anchor = href.split("#")
        assert anchor in entry_ids(built.page(url))
    # The latest day's own key events box is not repeated below.
    assert not page.xpath(".//aside[@class='brf-key']")


def test_home_links_the_most_active_cities_and_people(built: Project) -> None:
    page = article(built.page(""))
    sections = {s.xpath("./h2")[0].text: s for s in page.xpath(".//section[@class='brf-home__names']")}
    assert list(sections) == ["Most active cities", "Most active people"]
    cities = sections["Most active cities"].xpath(".//li")
    assert [(li.xpath("./a")[0].text, li.xpath("./a/@href")[0], li.xpath("./span")[0].text) for li in cities] == [
        ("Kyiv", "cities/kyiv/", str(sum(COUNTS.values()) + 1))
    ]
    people = sections["Most active people"].xpath(".//li/a")
    assert [(a.text, a.get("href")) for a in people] == [("Vitali Klitschko", "people/vitali-klitschko/")]
    assert entry_ids(built.page(""))[-1] == "key-late"  # the latest day follows, in reading order


# --- a day page ------------------------------------------------------------------------


def _json_ld(page: lxml.html.HtmlElement) -> dict:
    (script,) = page.xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


def test_day_page_has_live_blog_posting_with_one_update_per_entry(built: Project) -> None:
    page = built.page("2022/03/10/")
    data = _json_ld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Test Briefing, 10 March 2022"
    assert data["url"] == SITE_URL + "2022/03/10/"
    assert data["coverageStartTime"] == "2022-03-10T00:00:00+02:00"
    assert data["coverageEndTime"] == "2022-03-11T00:00:00+02:00"
    assert data["datePublished"] == "2022-03-10T08:00:00+02:00"
    assert data["dateModified"] == "2022-03-10T18:00:00+02:00"
    updates = data["liveBlogUpdate"]
    assert [u["@type"] for u in updates] == ["BlogPosting"] * len(entry_ids(page))
    assert [u["url"] for u in updates] == [SITE_URL + "2022/03/10/#" + slug for slug in entry_ids(page)]
    assert updates[1]["headline"] == "Update 0 of 2022-03-10"
    assert updates[1]["articleBody"] == "Body of update 0 & more."
    assert all("dateModified" not in u for u in updates)


def test_coverage_follows_the_clock_change() -> None:
    from generator.structured_data import live_blog_posting

    # 27 March 2022 in Kyiv is 23 hours long: it starts in EET and ends in EEST.
    data = live_blog_posting(Settings(title="T", site_url=SITE_URL), Day(date(2022, 3, 27), ()))
    assert (data["coverageStartTime"], data["coverageEndTime"]) == ("2022-03-27T00:00:00+02:00", "2022-03-28T00:00:00+03:00")


def test_entry_text_cannot_break_out_of_the_script(built: Project) -> None:
    raw = (built.site / "2022/03/02/index.html").read_text("utf-8")
    assert "<script>alert" not in raw and "</script><!--" not in raw
    page = built.page("2022/03/02/")
    # One script in our content, the JSON-LD; the evil title stays text in its heading.
    assert [s.get("type") for s in article(page).xpath(".//script")] == ["application/ld+json"]
    assert page.xpath("//article[@id='evil']//h2")[0].text_content() == EVIL
    evil = next(u for u in _json_ld(page)["liveBlogUpdate"] if u["url"].endswith("#evil"))
    assert evil["headline"] == EVIL
    assert evil["dateModified"] == "2022-03-03T08:15:00+02:00"
    assert "<b>" not in evil["articleBody"] and evil["articleBody"].startswith("Tom & Jerry said no.")
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(raw)


def test_day_page_names_the_zone_once_with_utc_on_hover(built: Project) -> None:
    page = article(built.page("2022/03/03/"))
    assert page.text_content().count("Kyiv time (EET, UTC+02:00)") == 1
    for time in page.xpath(".//a[@class='brf-entry__time']/time"):
        assert re.fullmatch(r"2022-03-0[23] \d\d:\d\d UTC", time.get("title"))


# --- print -------------------------------------------------------------------------------

# Computed styles of a day page in print and on screen, read in Chromium. It runs in a
# process of its own: a worker that already holds test_browser.py's session browser
# cannot start a second Playwright (its event loop is taken).
_PRINT_PROBE = """
import json, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=sys.argv[1], args=["--no-sandbox", "--headless"])
    page = browser.new_page()
    page.goto(sys.argv[2])
    style = "(el, p) => getComputedStyle(el, p)[%s]"
    seen = {}
    for media in ("print", "screen"):
        page.emulate_media(media=media)
        seen[media] = {
            "hidden": {s: page.locator(s).first.evaluate(style % "'display'") for s in
                       (".md-header", ".md-sidebar--primary", ".md-footer", ".brf-daynav")},
            "break": page.locator("#evil").evaluate(style % "'breakInside'"),
            "color": page.locator("#evil").evaluate(style % "'color'"),
            "source": page.locator("#evil .brf-sources a").evaluate("el => getComputedStyle(el, '::after').content"),
        }
    browser.close()
print(json.dumps(seen))
"""


@pytest.mark.browser
def test_day_page_prints_without_the_site_chrome(built: Project) -> None:
    chromium = Path("/usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    if not chromium.exists():
        pytest.skip(f"{chromium} is missing; run tests/install_browser.sh")
    uri = (built.site / "2022/03/02/index.html").as_uri()
    probe = subprocess.run([sys.executable, "-c", _PRINT_PROBE, str(chromium), uri], capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)
    printed, screen = seen["print"], seen["screen"]
    assert set(printed["hidden"].values()) == {"none"}, printed["hidden"]
    assert screen["hidden"][".md-header"] != "none"
    assert printed["break"] == "avoid" and printed["color"] == "rgb(0, 0, 0)"
    assert printed["source"] == '" (https://example.org/wire)"'
    assert screen["source"] in ("none", "normal")


def test_the_logos_tooltip_shows_a_title_with_an_apostrophe_as_written(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    settings = project.config / "settings.yml"
    written = settings.read_text("utf-8").splitlines()
    settings.write_text("\n".join('title: "Russia\'s war"' if line.startswith("title:") else line for line in written) + "\n", "utf-8")
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00")
    assert project.build().code == 0, project.build().err
    logos = project.page("").xpath("//a[contains(@class, 'md-logo')]")
    assert len(logos) == 2  # the header's, and the navigation drawer's
    for logo in logos:
        assert logo.get("title") == "Russia's war"  # not "Russia&#x27;s war", escaped twice
        assert logo.get("aria-label") == logo.get("title")


def test_the_home_pages_updates_are_headings_under_their_days(built: Project) -> None:
    """A screen reader's list of headings: the latest day's updates sit under its heading,
    not beside it, as they do under the day's title on the day's own page."""
    latest = article(built.page("")).xpath(".//section[@class='brf-home__latest']")[0]
    assert [h.tag for h in latest.xpath(".//h2 | .//h3")][:2] == ["h2", "h3"]
    assert latest.xpath(".//h2[@class='brf-entry__title']") == []
    day = article(built.page("2022/03/03/"))
    assert day.xpath(".//h2[@class='brf-entry__title']")  # the day's own page: under its h1
