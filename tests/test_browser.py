"""The built site in a real browser: Debian's Chromium, driven by Playwright.

The sample archive is built with the real CLI into a temporary directory and served
on 127.0.0.1. Every page a test opens must load without a console error (none excepted), a
page error, a failed local request or a request to another host, and must announce the RSS
feed and the JSON Feed.
Screenshots land in tests/artifacts/screenshots/ (not committed).

Set-up: tests/install_browser.sh installs Chromium (apt) and axe-core (npm) when missing.
Without /usr/bin/chromium these tests are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import SAMPLE_CONFIG, SAMPLE_CONTENT

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 780}

def _missing(reason: str) -> None:
    """Skip on a developer's machine, fail in CI: a green CI must have run these tests."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this is a failure; run tests/install_browser.sh)")
    pytest.skip(f"{reason}; run tests/install_browser.sh to install it")


# --- the site ---------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as static hosts do: an address it does not have gets the site's 404.html."""

    def send_error(self, code, message=None, explain=None):  # noqa: ANN001 - the base class's signature
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-site") / "site"
    cli = Path(sys.executable).with_name("briefings")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "generator"]
    result = subprocess.run(
        [*command, "build", "--content", str(SAMPLE_CONTENT), "--config", str(SAMPLE_CONFIG), "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    assert (out / "index.html").is_file()
    return out


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _busiest(site_dir: Path, section: str) -> str:
    """The entity with the most updates in a section, read from its index page."""
    html = (site_dir / section / "index.html").read_text(encoding="utf-8")
    found = re.findall(rf'<a href="([^"]*?{section}/[^"/]+/)">[^<]*</a> <span class="brf-count">(\d+)</span>', html)
    if not found:  # links relative to the section page itself
        found = re.findall(r'<a href="([^"/.][^"]*/)">[^<]*</a> <span class="brf-count">(\d+)</span>', html)
        found = [(f"{section}/{href}", n) for href, n in found]
    assert found, f"no entities listed on /{section}/"
    href, _ = max(found, key=lambda item: int(item[1]))
    return section + "/" + href.rstrip("/").rsplit("/", 1)[-1] + "/"


@pytest.fixture(scope="session")
def pages(site_dir) -> dict[str, str]:
    """One page of each kind, as paths relative to the site root."""
    days = sorted(p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.glob("[0-9]*/*/*/index.html"))
    assert days, "the sample site has no day pages"
    return {
        "home": "",
        "day": days[len(days) // 2],
        "city": _busiest(site_dir, "cities"),
        "person": _busiest(site_dir, "people"),
        "archive": "archive/",
        "cities": "cities/",
        "data": "data/",
        "not-found": "404.html",
    }


# --- the browser ------------------------------------------------------------------


def chromium() -> Iterator:
    """Chromium for the session, through Playwright: conftest's ``browser`` fixture, which
    every module of browser tests shares (Playwright's sync API runs once per process)."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is missing (pip install -r requirements-dev.txt)")
    # launch() gives every run a fresh temporary profile (its own --user-data-dir).
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page with everything that went wrong on it collected."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        self.origin = urlsplit(base_url).netloc
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error on {page.url}: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.route("**/*", self._route)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        self.problems.append(f"console error on {self.page.url}: {message.text} ({source})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def _request_failed(self, request) -> None:
        # net::ERR_ABORTED: a load still under way when the test moved to the next page.
        if urlsplit(request.url).netloc == self.origin and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _route(self, route) -> None:
        # The site must work offline: nothing may be fetched from another host.
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == self.origin:
            route.continue_()
        else:
            self.problems.append(f"request to another host: {url}")
            route.abort()

    def goto(self, path: str):
        response = self.page.goto(urljoin(self.base_url, path), wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def assert_clean(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "the browser reported problems:\n  " + "\n  ".join(problems)


def _watched(browser, base_url, viewport, color_scheme="light"):
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme, reduced_motion="reduce")
    context.set_default_timeout(10_000)
    return context, Watched(context.new_page(), base_url)


@pytest.fixture
def web(browser, base_url):
    """A wide browser page; the test fails on anything the browser reported."""
    context, watched = _watched(browser, base_url, WIDE)
    try:
        yield watched
        watched.assert_clean()
    finally:
        context.close()


# --- checks shared by the tests -----------------------------------------------------

_feeds_seen: dict[str, None] = {}


def assert_feed_link(web: Watched) -> None:
    """The page announces the RSS feed and the JSON Feed, and every announced feed is there."""
    json_feeds = web.page.locator('link[rel="alternate"][type="application/feed+json"]')
    assert json_feeds.count() >= 1, f"{web.page.url}: no JSON Feed autodiscovery link"
    for index in range(json_feeds.count()):  # the site's, and a city's or person's own
        url = urljoin(web.page.url, json_feeds.nth(index).get_attribute("href"))
        if url not in _feeds_seen:
            response = web.page.request.get(url)
            assert response.status == 200 and response.json()["version"] == "https://jsonfeed.org/version/1.1", url
            _feeds_seen[url] = None
    links = web.page.locator('link[rel="alternate"][type="application/rss+xml"]')
    assert links.count() >= 1, f"{web.page.url}: no RSS autodiscovery link"
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        assert href, f"{web.page.url}: RSS link without href"
        url = urljoin(web.page.url, href)
        if url in _feeds_seen:
            continue
        response = web.page.request.get(url)
        assert response.status == 200, f"{url}: HTTP {response.status}"
        root = ET.fromstring(response.body())
        assert root.tag == "rss" and root.find("channel") is not None, f"{url}: not an RSS document"
        _feeds_seen[url] = None


def path_of(web: Watched) -> str:
    return urlsplit(web.page.url).path


def screenshot(web: Watched, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    web.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")


# --- tests --------------------------------------------------------------------------


def test_home_page(web, pages):
    web.goto(pages["home"])
    page = web.page
    assert page.locator("h1").first.is_visible()
    assert page.locator("article.brf-entry").count() >= 1, "the home page shows no entries"
    assert page.locator("a.brf-chip--city").count() >= 1, "the home page has no city chips"
    assert page.locator("a.brf-chip--person").count() >= 1, "the home page has no person chips"
    assert_feed_link(web)
    web.assert_clean()


def _follow_first_chip(web: Watched, kind: str, section: str) -> str:
    web.goto("")
    chip = web.page.locator(f"article.brf-entry a.brf-chip--{kind}").first
    name = chip.inner_text().strip()
    chip.click()
    web.page.wait_for_load_state("load")
    assert re.fullmatch(rf"/{section}/[^/]+/", path_of(web)), f"{kind} chip led to {web.page.url}"
    heading = web.page.locator("h1").first.inner_text().strip()
    assert heading == name, f"{kind} chip {name!r} led to a page about {heading!r}"
    assert web.page.locator(".brf-entity__entries a").count() >= 1, f"{web.page.url} lists no updates"
    assert_feed_link(web)
    return name


def _assert_at_entry(web: Watched) -> None:
    """The URL names an entry; the day page has it, and shows it on screen."""
    page = web.page
    fragment = urlsplit(page.url).fragment
    assert fragment, f"{page.url} has no #fragment"
    target = page.locator(f'[id="{fragment}"]')
    assert target.count() == 1, f"{page.url}: no element with id {fragment!r}"
    assert target.evaluate("el => el.matches('article.brf-entry')"), f"#{fragment} is not an entry"
    from playwright.sync_api import expect

    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()
    # Not hidden under material's sticky header: the entry's heading is below it.
    header_bottom = page.locator(".md-header").evaluate("el => el.getBoundingClientRect().bottom")
    title_top = target.locator(".brf-entry__title").evaluate("el => el.getBoundingClientRect().top")
    assert title_top >= header_bottom - 1, f"#{fragment} is scrolled under the header"


def test_city_chip_then_back_to_the_day(web):
    _follow_first_chip(web, "city", "cities")
    web.page.locator(".brf-entity__entries a").first.click()
    web.page.wait_for_load_state("load")
    assert re.fullmatch(r"/\d{4}/\d{2}/\d{2}/", path_of(web)), f"entry link led to {web.page.url}"
    _assert_at_entry(web)
    assert_feed_link(web)
    web.assert_clean()


def test_person_chip_then_back_to_the_day(web):
    _follow_first_chip(web, "person", "people")
    link = web.page.locator(".brf-entity__entries a").last
    title = link.inner_text()
    link.click()
    web.page.wait_for_load_state("load")
    assert re.fullmatch(r"/\d{4}/\d{2}/\d{2}/", path_of(web)), f"entry link led to {web.page.url}"
    _assert_at_entry(web)
    fragment = urlsplit(web.page.url).fragment
    heading = web.page.locator(f'[id="{fragment}"] .brf-entry__title').inner_text().strip()
    assert heading in title, f"the link said {title!r}, the entry is {heading!r}"
    assert_feed_link(web)
    web.assert_clean()


def _open_search(web: Watched, how: str = "click"):
    """Open the search dialog (header button or the "/" key); return its input."""
    page = web.page
    if how == "key":
        page.keyboard.press("/")
    else:
        page.locator("button.brf-search-open:visible").click()
    field = page.locator("#brf-search input.pagefind-ui__search-input")
    field.wait_for(state="visible")
    from playwright.sync_api import expect

    expect(field).to_be_focused()
    return field


def test_search_finds_an_entry(web, pages):
    day = pages["day"]
    web.goto(day)
    page = web.page
    entries = page.locator("article.brf-entry")
    entry = entries.nth(entries.count() // 2)
    slug = entry.get_attribute("id")
    title = entry.locator(".brf-entry__title").inner_text()
    # The longest word of the entry's title, distinctive enough to find it.
    word = max(re.findall(r"[A-Za-z]{4,}", title), key=len)

    index_requests: list[str] = []
    page.on("request", lambda request: "/pagefind/" in request.url and index_requests.append(request.url))
    web.goto(pages["archive"])  # search from another page than the one to be found
    assert not index_requests, f"the search index loads before the search is opened: {index_requests}"
    _open_search(web).press_sequentially(word, delay=20)
    # Pagefind lists the day page, with the entries that match under it, each linking to its anchor.
    results = page.locator("#brf-search a.pagefind-ui__result-link")
    results.first.wait_for(state="visible")
    to_entry = page.locator(f'#brf-search a.pagefind-ui__result-link[href$="/{day}#{slug}"]')
    to_entry.first.wait_for(state="visible")
    assert to_entry.first.inner_text().strip() == title
    to_entry.first.click()
    page.wait_for_load_state("load")
    assert path_of(web) == "/" + day, f"the search result led to {page.url}"
    assert urlsplit(page.url).fragment == slug, f"the search result points at {page.url}, not #{slug}"
    _assert_at_entry(web)
    assert_feed_link(web)
    web.assert_clean()


def test_a_day_found_with_many_matching_updates_says_how_many_more_it_holds(web, pages):
    # The search box shows three updates of a day: when more match, the third place says so.
    web.goto(pages["day"])
    page = web.page
    texts = [text.lower() for text in page.locator("article.brf-entry .brf-entry__body").all_inner_texts()]
    word = "ukraine"
    holding = sum(1 for text in texts if re.search(rf"\b{word}\b", text))
    assert holding > 3, f"the sample's day should have more than three updates saying {word!r}"
    _open_search(web).press_sequentially(word, delay=20)
    day = page.locator("#brf-search .pagefind-ui__result").filter(has=page.locator(f'a[href$="/{pages["day"]}"]')).first
    nested = day.locator(".pagefind-ui__result-nested a.pagefind-ui__result-link")
    nested.nth(2).wait_for(state="visible")
    assert nested.count() == 3
    assert all("#" in (nested.nth(i).get_attribute("href") or "") for i in range(2)), "the first two lead to their updates"
    more = re.fullmatch(r"(\d+) more matching updates on this day", nested.nth(2).inner_text().strip())
    assert more and int(more.group(1)) >= holding - 2, nested.nth(2).inner_text()
    assert (nested.nth(2).get_attribute("href") or "").endswith("/" + pages["day"]), "the count leads to the day"
    web.assert_clean()


def test_search_finds_entries_of_every_bundle(web, site_dir):
    """The index is split into bundles by day (pagefind/bundles.json); one search merges them all."""
    bundles = json.loads((site_dir / "pagefind" / "bundles.json").read_text("utf-8"))
    assert len(bundles) > 1, "the sample site should span several bundles"
    days = sorted(p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.glob("[0-9]*/*/*/index.html"))
    page = web.page
    for day in days:
        web.goto(day)
        title = page.locator(".brf-entry__title").first.inner_text()
        word = max(re.findall(r"[A-Za-z]{5,}", title), key=len)
        web.goto("")
        field = _open_search(web)
        field.fill("")
        field.press_sequentially(word, delay=20)
        page.locator(f'#brf-search a.pagefind-ui__result-link[href*="/{day}"]').first.wait_for(state="visible")
        page.keyboard.press("Escape")
    web.assert_clean()


@pytest.mark.parametrize(("spelling", "city"), [("Київ", "Kyiv"), ("Харків", "Kharkiv"), ("Kharkov", "Kharkiv")])
def test_search_finds_the_updates_of_a_city_by_any_registry_spelling(web, pages, spelling, city):
    """No update's text holds these spellings: the registry's aliases are indexed with the chips that name the city."""
    web.goto(pages["archive"])
    page = web.page
    _open_search(web).press_sequentially(spelling, delay=20)
    found = page.locator("#brf-search a.pagefind-ui__result-link[href*='#']")
    found.first.wait_for(state="visible")
    title = found.first.inner_text().strip()
    found.first.click()
    page.wait_for_load_state("load")
    _assert_at_entry(web)
    entry = page.locator(f'[id="{urlsplit(page.url).fragment}"]')
    assert entry.locator(".brf-entry__title").inner_text().strip() == title
    assert city in entry.locator("a.brf-chip--city").all_inner_texts(), f"{spelling!r} found an update not naming {city}"
    web.assert_clean()


def test_search_finds_a_ukrainian_name_whichever_apostrophe_either_side_typed(browser, tmp_path):
    """Ukrainian writes its apostrophe ', ’ or ʼ: a reader's query finds the updates of all three."""
    from conftest import make_project

    project = make_project(tmp_path)
    for name, town in (("straight", "Кам'янське"), ("curly", "Кам’янське"), ("letter", "Камʼянське")):
        project.entry(f"2022/03/03/{name}.md", f"title: Report {name}\npublished: 2022-03-03T10:00:00+02:00", f"Shelling in {town}.")
    assert project.build().code == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context, web = _watched(browser, f"http://127.0.0.1:{server.server_address[1]}/", WIDE)
    try:
        for typed in ("Кам'янське", "Камʼянське"):
            web.goto("")
            _open_search(web).press_sequentially(typed, delay=20)
            found = web.page.locator("#brf-search a.pagefind-ui__result-link[href*='#']")
            found.nth(2).wait_for(state="visible")
            assert sorted(found.all_inner_texts()) == ["Report curly", "Report letter", "Report straight"], typed
        web.assert_clean()
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("language", "body", "words"), [
    ("zh", "石川县能登半岛发生强烈地震，轮岛市朝市一带发生大火。", ["地震", "大火"]),
    ("ja", "石川県の能登半島で強い地震があり、輪島市で大規模な火災が起きた。", ["地震", "火災"]),
])
def test_search_finds_a_chinese_or_japanese_word_inside_a_sentence(browser, tmp_path, language, body, words):
    """Written without spaces: the index splits the text into words, as a reader types them."""
    from conftest import make_project

    project = make_project(tmp_path, f"title: 档案\nsite_url: https://news.example.org/\ntimezone: Asia/Tokyo\nlanguage: {language}\n")
    project.entry("2024/01/01/quake.md", "title: 能登\npublished: 2024-01-01T16:10:00+09:00", body)
    assert project.build().code == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context, web = _watched(browser, f"http://127.0.0.1:{server.server_address[1]}/", WIDE)
    try:
        for word in words:
            web.goto("")
            _open_search(web).fill(word)
            found = web.page.locator("#brf-search a.pagefind-ui__result-link[href$='#quake']")
            found.first.wait_for(state="visible", timeout=10_000)
        web.assert_clean()
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_a_right_to_left_archive_is_laid_out_from_the_right(browser, tmp_path):
    """Arabic: the key event's bar and the corrections' rule on the right, the arrows to the days
    before and after pointing outwards, and the chart's and map's words where they were drawn."""
    from conftest import make_project

    project = make_project(tmp_path, "title: أرشيف\nsite_url: https://news.example.org/\ntimezone: Asia/Beirut\nlanguage: ar\n")
    project.write("site_config/cities.yml", "- name: بيروت\n  aliases: [Beirut]\n  coordinates: [33.8938, 35.5018]\n- name: صور\n")
    for day in ("01", "02", "03"):
        project.entry(f"2024/10/{day}/u.md", f"title: تحديث {day}\npublished: 2024-10-{day}T09:40:00+03:00\nkey: true\n"
                      "cities: [بيروت, صور]", "غارات على بيروت وصور، قالت Reuters عند 09:40.")  # fmt: skip
    assert project.build().code == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(project.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context, web = _watched(browser, f"http://127.0.0.1:{server.server_address[1]}/", WIDE)
    try:
        web.goto("2024/10/02/")
        page = web.page
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        entry = page.locator("article.brf-entry--key").first
        assert entry.evaluate("el => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]") == ["4px", "0px"]
        before, after = page.locator(".brf-daynav__prev").first, page.locator(".brf-daynav__next").first
        assert before.bounding_box()["x"] > after.bounding_box()["x"], "the day before is at the start: the right"
        for link in (before, after):  # each arrow turned round, to point away from the page
            arrow = link.locator(".brf-arrow").evaluate("el => getComputedStyle(el).transform")
            assert arrow.startswith("matrix(-1,"), arrow
        web.goto("cities/")
        label = page.locator("figure.brf-map .brf-map__label").first.bounding_box()
        dot = page.locator("figure.brf-map .brf-map__dot").first.bounding_box()
        assert label["x"] > dot["x"] + dot["width"] / 2, "the city's name is drawn beside its marker, not over it"
        caption = page.locator("figure.brf-map figcaption").evaluate("el => getComputedStyle(el).direction")
        assert caption == "rtl", "the list of cities not on the map reads as the page does"
        web.assert_clean()
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_by_keyboard_and_accessibility(browser, base_url, pages, scheme):
    """"/" opens the search, typing shows results, Tab reaches them, Escape closes it;
    the open dialog with its results has no axe-core violation of any impact."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run tests/install_browser.sh")
    context, web = _watched(browser, base_url, WIDE, color_scheme=scheme)
    try:
        web.goto(pages["day"])
        page = web.page
        word = max(re.findall(r"[A-Za-z]{5,}", page.locator(".brf-entry__title").first.inner_text()), key=len)
        web.goto(pages["city"])
        field = _open_search(web, how="key")
        field.press_sequentially(word, delay=20)
        page.locator("#brf-search a.pagefind-ui__result-link").first.wait_for(state="visible")
        screenshot(web, f"search-1280{'-dark' if scheme == 'dark' else ''}")
        for _ in range(20):  # the clear button and the filters come first
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('a.pagefind-ui__result-link')"):
                break
        else:
            pytest.fail("Tab never reached a search result")
        page.add_script_tag(path=str(AXE_JS))
        results = page.evaluate("() => axe.run('#brf-search', {resultTypes: ['violations']})")
        bad = results["violations"]
        assert not bad, f"axe-core on the search dialog ({scheme} palette):\n" + _format_violations(bad)
        page.keyboard.press("Escape")
        assert not page.locator("#brf-search").evaluate("el => el.open"), "Escape did not close the search"
        web.assert_clean()
    finally:
        context.close()


def test_a_keyboard_reader_who_chooses_an_update_of_the_same_day_goes_on_from_it(web, pages):
    web.goto(pages["day"])
    page = web.page
    entry = page.locator("article.brf-entry").nth(3)
    slug, title = entry.get_attribute("id"), entry.locator(".brf-entry__title").inner_text()
    word = max(re.findall(r"[A-Za-z]{5,}", title), key=len)
    _open_search(web, how="key").press_sequentially(word, delay=20)
    link = page.locator(f'#brf-search a.pagefind-ui__result-link[href$="#{slug}"]').first
    link.wait_for(state="visible")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.activeElement && document.activeElement.id === {slug!r}")
    assert not page.locator("#brf-search").evaluate("el => el.open")
    _assert_at_entry(web)
    page.keyboard.press("Tab")  # the next stop is within the update, not the page's first link
    assert page.evaluate(f"document.getElementById({slug!r}).contains(document.activeElement)")
    web.assert_clean()


def test_palette_switch(web, pages):
    web.goto(pages["day"])
    page = web.page
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    before = scheme()
    assert before in ("default", "slate")
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {before!r}")
    after = scheme()
    assert after != before and after in ("default", "slate")
    # The choice is remembered on the next page.
    web.goto(pages["archive"])
    assert scheme() == after
    page.locator("form[data-md-component='palette'] label.md-header__button:visible").click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === {before!r}")
    assert_feed_link(web)
    web.assert_clean()


def _luminance(css_colour: str) -> float:
    """The relative luminance (WCAG 2) of an ``rgb(...)`` or ``rgba(...)`` colour."""
    channels = [float(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_keyboard_reader_sees_where_the_focus_is(browser, base_url, pages, scheme):
    # WCAG 2.2 (1.4.11): a focus indicator stands out from what is around it by 3:1 at least.
    context, web = _watched(browser, base_url, WIDE, color_scheme=scheme)
    try:
        web.goto(pages["archive"])
        web.page.keyboard.press("Tab")  # the reader is on the keyboard: focus shows as it does for them
        link = web.page.locator("table.brf-cal td a").first
        link.focus()
        outline, background = link.evaluate(
            "el => [getComputedStyle(el).outlineColor, getComputedStyle(document.body).backgroundColor]"
        )
        assert _contrast(outline, background) >= 3, f"{scheme}: focus ring {outline} on {background}"
        web.assert_clean()
    finally:
        context.close()


def test_a_keyboard_reader_can_skip_the_header(web, pages):
    web.goto(pages["day"])
    page = web.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is the page's own first link, not the header's logo, search or tabs.
    assert page.evaluate("!!document.activeElement.closest('article.md-content__inner')"), page.evaluate(
        "document.activeElement.outerHTML"
    )


def test_a_printed_day_gives_the_address_of_every_link_out(web, pages):
    web.goto("2022/03/03/")
    web.page.emulate_media(media="print")
    printed = web.page.evaluate(
        """[...document.querySelectorAll('.brf-entry__body a[href^="http"], .brf-sources a[href^="http"]')]
             .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])"""
    )
    bodies = web.page.locator('.brf-entry__body a[href^="http"]').count()
    assert bodies and len(printed) > bodies
    for href, after in printed:
        assert after == f'" ({href})"', href


def test_a_printed_calendar_keeps_each_days_shade(web, pages):
    # The shade says how busy a day was: on paper too, where links are otherwise black on white.
    web.goto(pages["archive"])

    def shades() -> list[list[str]]:
        return web.page.evaluate(
            """[...document.querySelectorAll('table.brf-cal td[class]')].map(td => [
                 getComputedStyle(td).backgroundColor, getComputedStyle(td.querySelector('a')).backgroundColor,
                 getComputedStyle(td).printColorAdjust])"""
        )

    on_screen = shades()
    web.page.emulate_media(media="print")
    on_paper = shades()
    assert len({cell for cell, _, _ in on_screen}) > 1, "the sample's days should have several shades"
    assert [cell for cell, _, _ in on_paper] == [cell for cell, _, _ in on_screen]
    assert {link for _, link, _ in on_paper} == {"rgba(0, 0, 0, 0)"}, "a day's link must not paint over its shade"
    assert {adjust for _, _, adjust in on_paper} == {"exact"}, "printed even where backgrounds are left out"


KINDS = ["home", "day", "city", "person", "archive", "cities", "data", "not-found"]


def _overflowing(web: Watched) -> str | None:
    width = web.page.evaluate("document.documentElement.scrollWidth")
    if width <= web.page.viewport_size["width"] + 2:
        return None
    culprits = web.page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > innerWidth + 2)
            .slice(0, 8).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))"""
    )
    return f"{width} px wide; too wide: {', '.join(culprits)}"


@pytest.mark.parametrize("kind", KINDS)
def test_screenshots_and_no_sideways_scroll(browser, base_url, pages, kind):
    """Screenshots at 1280 px and at 360 px (a small phone), which must not scroll sideways."""
    context, web = _watched(browser, base_url, WIDE)
    try:
        web.goto(pages[kind])
        assert_feed_link(web)
        screenshot(web, f"{kind}-1280")
        web.page.set_viewport_size(NARROW)
        web.page.reload(wait_until="load")
        screenshot(web, f"{kind}-360")
        overflow = _overflowing(web)
        assert overflow is None, f"/{pages[kind]} at 360 px scrolls sideways: {overflow}"
        web.assert_clean()
    finally:
        context.close()


def test_an_update_s_time_shows_before_its_title_beside_it_or_above_on_a_phone(web, pages):
    web.goto(pages["day"])
    head = web.page.locator("article.brf-entry header").first
    time, title = head.locator(".brf-entry__time").bounding_box(), head.locator("h2").bounding_box()
    assert time["x"] + time["width"] <= title["x"] and abs(time["y"] - title["y"]) < title["height"]
    web.page.set_viewport_size(NARROW)
    time, title = head.locator(".brf-entry__time").bounding_box(), head.locator("h2").bounding_box()
    assert time["y"] + time["height"] <= title["y"] + 1


def _text_heights(web: Watched, selector: str) -> list[float]:
    return web.page.eval_on_selector_all(selector, "els => els.map(el => el.getBoundingClientRect().height)")


def test_the_map_and_the_chart_are_as_wide_as_the_page_and_their_words_legible(browser, base_url, pages):
    """The map of cities fills the column (not the 300 px of an SVG without a width), so its
    names are read at the size of small print; on a phone, where the map is drawn at half its
    size, its larger second set of names and the activity chart's labels too."""
    context, web = _watched(browser, base_url, WIDE)
    try:
        web.goto(pages["cities"])
        column = web.page.locator("article.md-content__inner").evaluate("el => el.clientWidth")
        drawn = web.page.locator("figure.brf-map svg").evaluate("el => el.getBoundingClientRect().width")
        assert drawn >= min(column, 800) - 40, f"the map is {drawn:.0f} px wide in a column of {column} px"
        names = _text_heights(web, "figure.brf-map .brf-map__label:not(.brf-map__label--small)")
        assert names and min(names) >= 9, f"the map's names are {min(names):.1f} px tall"
        assert set(_text_heights(web, "figure.brf-map .brf-map__label--small")) == {0}  # the phone's set is hidden
        web.page.set_viewport_size(NARROW)
        web.goto(pages["cities"])
        names = _text_heights(web, "figure.brf-map .brf-map__label--small")
        assert names and min(names) >= 9, f"on a phone the map's names are {min(names):.1f} px tall"
        assert set(_text_heights(web, "figure.brf-map .brf-map__label:not(.brf-map__label--small)")) == {0}
        web.goto(pages["city"])
        labels = _text_heights(web, "figure.brf-chart .brf-chart__labels text")
        assert labels and min(labels) >= 9, f"on a phone the chart's labels are {min(labels):.1f} px tall"
        web.assert_clean()
    finally:
        context.close()


def test_a_mistyped_address_says_so_and_leads_on(web):
    """The 404 page, at a deep address: its title says what happened, and its links (from the
    site's root) lead to the archive and to the home page, whose title names the site once."""
    page, missing = web.page, "2022/13/45/"

    def forgive_the_404() -> None:  # the one error expected: the address itself
        web.problems = [problem for problem in web.problems if f"/{missing}" not in problem]

    response = page.goto(urljoin(web.base_url, missing), wait_until="load")
    assert response.status == 404
    assert page.title().startswith("Page not found - ")
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_role("link", name="Every day in the archive").click()
    page.wait_for_load_state("load")
    assert path_of(web) == "/archive/" and page.locator("h1").inner_text() == "Archive"
    page.go_back(wait_until="load")
    page.get_by_role("link", name="The latest updates").click()
    page.wait_for_load_state("load")
    assert path_of(web) == "/"
    assert page.title() == page.locator("h1").inner_text(), "the home page's title is not the site's name"
    forgive_the_404()
    web.assert_clean()


@pytest.mark.parametrize(("old", "now"), [
    ("cities/kiev/2022/03/", "/cities/kyiv/"),  # a month under a former name, of a city with no month pages
    ("cities/kharkov/page/3/", "/cities/kharkiv/"),  # a numbered page under an alias
    ("cities/kyiv/2021/12/", "/cities/kyiv/"),  # a month page a city no longer has
    ("people/biden/2022/03/", "/people/joe-biden/"),  # a person's alias alike
])
def test_an_address_under_a_former_name_leads_to_the_same_place_under_the_name(web, old, now):
    # A rename keeps the name as an alias: a redirect page stands at its own address, and the
    # 404 page leads on from any address under it, as a bookmark of a busy city's month would be.
    page = web.page
    page.goto(urljoin(web.base_url, old), wait_until="load")
    page.wait_for_url(lambda url: urlsplit(url).path == now, timeout=10_000)
    web.problems = [problem for problem in web.problems if "404" not in problem]
    web.assert_clean()


def test_a_site_under_a_path_in_another_script_leads_on_from_a_former_name_too(browser, tmp_path):
    # The site's path is percent-encoded in addresses (/p%C3%A4th/), and the query kept.
    from conftest import make_project

    project = make_project(tmp_path, "title: T\nsite_url: https://news.example.org/päth/\ntimezone: Europe/Kyiv\n")
    project.write("site_config/cities.yml", "- name: Kyiv\n  aliases: [Kiev]\n")
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]", "Words.")
    assert project.build().code == 0
    host = tmp_path / "host"  # what a host serves: the site at its path, and its 404 page at any other address
    host.mkdir()
    (host / "päth").symlink_to(project.site, target_is_directory=True)
    (host / "404.html").symlink_to(project.site / "404.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(host)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context, web = _watched(browser, f"http://127.0.0.1:{server.server_address[1]}/", WIDE)
    try:
        web.page.goto(urljoin(web.base_url, "p%C3%A4th/cities/kiev/2022/03/?from=a-paper"), wait_until="load")
        web.page.wait_for_function("location.pathname === '/p%C3%A4th/cities/kyiv/' && location.search === '?from=a-paper'")
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_without_javascript_every_control_shown_works(browser, base_url, pages):
    """The search needs JavaScript: without it, no search button that does nothing. The map's
    cities are plain links, and lead to their pages."""
    context = browser.new_context(viewport=NARROW, java_script_enabled=False)
    context.set_default_timeout(10_000)
    web = Watched(context.new_page(), base_url)
    try:
        web.goto(pages["day"])
        assert web.page.locator("article.brf-entry").count() >= 1
        assert web.page.locator(".brf-search-open").is_hidden(), "a search button is shown that cannot search"
        web.goto(pages["cities"])
        marker = web.page.locator("figure.brf-map a.brf-map__marker").first
        name = marker.locator("title").text_content().split(":")[0]
        marker.click()
        web.page.wait_for_load_state("load")
        assert web.page.locator("h1").inner_text() == name
        web.assert_clean()
    finally:
        context.close()


# --- accessibility --------------------------------------------------------------------


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append("       " + " ".join(node["html"].split())[:160])
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("kind", KINDS)
def test_accessibility(browser, base_url, pages, kind):
    """No axe-core violation of any impact (none excepted), in the light and in the dark palette.

    The dark pass also keeps a screenshot of the page at 1280 px in the dark palette.
    """
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run tests/install_browser.sh")
    failures = []
    # A fresh context for each palette: material remembers the first one it showed.
    for scheme, expected in (("light", "default"), ("dark", "slate")):
        context, web = _watched(browser, base_url, WIDE, color_scheme=scheme)
        try:
            web.goto(pages[kind])
            assert web.page.locator("body").get_attribute("data-md-color-scheme") == expected
            if scheme == "dark":
                screenshot(web, f"{kind}-1280-dark")
            web.page.add_script_tag(path=str(AXE_JS))
            results = web.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            bad = results["violations"]
            if bad:
                failures.append(f"axe-core on /{pages[kind]} ({scheme} palette):\n" + _format_violations(bad))
            web.assert_clean()
        finally:
            context.close()
    assert not failures, "\n\n".join(failures)


def test_serve_reloads_an_open_page_and_shows_a_failed_rebuild(browser, project):
    from test_serve import serving

    entry = project.entry("2022/03/03/one.md", "title: First words\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    with serving(project) as server:
        context, web = _watched(browser, server.url, WIDE)
        try:
            web.goto("2022/03/03/")
            assert web.page.locator("h2, h3").filter(has_text="First words").count() >= 1
            entry.write_text(entry.read_text("utf-8").replace("First words", "Second words"), "utf-8")
            web.page.wait_for_function("document.body !== null && document.body.innerText.includes('Second words')", timeout=30_000)
            web.page.wait_for_load_state("load")
            entry.write_text("---\ntitle: [unclosed\npublished: 2022-03-03T10:00:00+02:00\n---\nBody.\n", "utf-8")
            note = web.page.locator("#briefings-serve-error")
            note.wait_for(state="visible", timeout=30_000)
            assert "cannot start with '[' in YAML" in note.inner_text() and str(entry) in note.inner_text()
            assert "Second words" in web.page.inner_text("body")  # the site from before the failure
            entry.write_text("---\ntitle: Mended\npublished: 2022-03-03T10:00:00+02:00\n---\nBody.\n", "utf-8")
            web.page.wait_for_function("document.body !== null && document.body.innerText.includes('Mended')", timeout=30_000)
            web.page.wait_for_load_state("load")
            assert web.page.locator("#briefings-serve-error").count() == 0
            web.assert_clean()
        finally:
            context.close()


def test_going_back_by_keyboard_never_leaves_the_focus_under_the_fixed_header(web, pages):
    web.goto(pages["day"])
    page = web.page
    page.locator(".md-footer a").first.focus()
    header = page.locator(".md-header").bounding_box()
    hidden = []
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return [r.top, r.bottom, document.activeElement.textContent.trim().slice(0, 30)]; })()")
        if box[0] < header["y"] + header["height"] - 1 and box[1] > 0:
            hidden.append(box)
    assert not hidden, f"focused under the header: {hidden}"
    assert page.locator("button.brf-menu-button").is_hidden()  # a wide page has no drawer to open
    web.goto(pages["archive"])
    top = page.locator(".md-top")
    assert top.get_attribute("hidden") is not None and top.evaluate("el => getComputedStyle(el).visibility") == "hidden"


def test_the_search_dialog_tells_a_screen_reader_what_it_found(web, pages):
    web.goto(pages["archive"])
    _open_search(web).press_sequentially("Kyiv", delay=20)
    status = web.page.locator("#brf-search [role=status]")
    _wait = "document.querySelector('#brf-search [role=status]').textContent.includes('result')"
    web.page.wait_for_function(_wait)
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == web.page.locator("#brf-search .pagefind-ui__message").inner_text()


def test_with_forced_colours_the_chips_keep_their_icons_and_the_calendar_its_levels(web, pages):
    web.page.emulate_media(forced_colors="active")
    web.goto(pages["day"])
    icon = web.page.locator("a.brf-chip--city").first.evaluate("el => getComputedStyle(el, '::before').backgroundColor")
    assert icon not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)"), icon
    web.goto(pages["archive"])  # the calendar's shades are gone: its busier days have wider borders
    widths = web.page.eval_on_selector_all(
        ".brf-cal-swatch", "els => els.map(el => parseFloat(getComputedStyle(el).borderTopWidth))"
    )
    assert len(widths) > 1 and widths == sorted(widths) and len(set(widths)) == len(widths) and widths[0] >= 1, widths


def test_the_data_pages_commands_can_be_scrolled_from_the_keyboard_on_a_phone(browser, base_url, pages):
    """Their block scrolls sideways at phone width: a keyboard reader reaches it (axe's
    scrollable-region-focusable), and the licence's address is a link."""
    context, web = _watched(browser, base_url, NARROW)
    try:
        web.goto(pages["data"])
        web.page.add_script_tag(path=str(AXE_JS))
        results = web.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        assert not results["violations"], _format_violations(results["violations"])
        assert web.page.locator(".brf-data__licence a").count() == 1
        web.assert_clean()
    finally:
        context.close()


def test_on_a_phone_the_keyboard_opens_the_menu_and_never_lands_off_the_screen(browser, base_url, pages):
    """mkdocs-material's drawer opens from a label no keyboard reached, and its links, off the
    screen while it is closed, took the focus: the menu is now a button, and a closed drawer's
    links are out of the keyboard's way."""
    context, web = _watched(browser, base_url, NARROW)
    try:
        web.goto(pages["day"])
        page = web.page
        where = "() => { const r = document.activeElement.getBoundingClientRect(); return [r.right > 0 && r.left < innerWidth, document.activeElement.getAttribute('aria-expanded')]; }"  # noqa: E501
        seen = []
        for _ in range(8):
            page.keyboard.press("Tab")
            seen.append(page.evaluate(where))
        assert all(on_screen for on_screen, _ in seen), seen
        assert [expanded for _, expanded in seen].count("false") == 1  # the menu, closed
        page.focus(".brf-menu-button")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.getElementById('__drawer').checked")
        assert page.locator(".brf-menu-button").get_attribute("aria-expanded") == "true"
        page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")  # into the drawer
        page.wait_for_timeout(300)
        assert page.evaluate(where)[0]  # on the screen
        page.keyboard.press("Escape")  # closed, the focus back on the button, as a menu's
        page.wait_for_function("() => !document.getElementById('__drawer').checked")
        assert page.evaluate("document.activeElement.classList.contains('brf-menu-button')")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        for _ in range(page.locator(".md-sidebar--primary a[href]").count() + 1):  # tabbing on out of it closes it
            page.keyboard.press("Tab")
        page.wait_for_function("() => !document.getElementById('__drawer').checked")
        page.wait_for_timeout(300)
        assert page.evaluate(where)[0], "the focus went under the drawer"
        web.assert_clean()
    finally:
        context.close()
