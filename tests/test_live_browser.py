"""Live days in a real browser: an open page of a running day shows what a rebuild changed.

A throwaway archive with updates of today (in the site's time zone) and of yesterday
is built with the real CLI, in a process of its own, and served from its folder by a
plain static file server, at the root or under /repo/. The site polls every second
(``live_poll_seconds: 1``). Every page must load and update without a console error,
a page error or a failed request; the server's log says what the browser asked for.
"""

from __future__ import annotations

import email.utils
import functools
import http.server
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from conftest import MKDOCS_YML, Project, make_project
from test_browser import AXE_JS, WIDE, _format_violations, _watched, screenshot
from test_serve import briefings

pytestmark = pytest.mark.browser

ZONE = ZoneInfo("Europe/Kyiv")
LONG_BODY = "\n\n".join(["A paragraph of the update, long enough to take some room on the screen. " * 6] * 4)


# --- the site ----------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder under the server's prefix; logs each request's path and status."""

    def translate_path(self, path: str) -> str:
        found = urlsplit(path).path
        prefix = self.server.prefix  # type: ignore[attr-defined]
        if not found.startswith(prefix):
            return str(Path(self.directory) / ".not-under-the-prefix")
        return super().translate_path("/" + found[len(prefix) :])

    def do_GET(self):  # noqa: N802 - the base class's name
        if self.server.failing and self.path.endswith("updates.json"):  # type: ignore[attr-defined]
            self.send_error(503)
            return
        if self.server.stale is not None and self.path.endswith("updates.json"):  # type: ignore[attr-defined]
            body, sent = self.server.stale  # type: ignore[attr-defined]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Last-Modified", email.utils.formatdate(sent, usegmt=True))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_request(self, code="-", size="-"):  # noqa: ANN001
        self.server.requests.append((time.monotonic(), urlsplit(self.path).path, int(code)))  # type: ignore[attr-defined]

    def log_message(self, format, *args):  # noqa: A002
        pass


@dataclass
class Served:
    url: str
    server: http.server.ThreadingHTTPServer
    project: Project

    @property
    def requests(self) -> list[tuple[float, str, int]]:
        return self.server.requests  # type: ignore[attr-defined]

    def polls(self, since: float = 0.0) -> list[tuple[float, str, int]]:
        return [r for r in self.requests if r[1].endswith("/updates.json") and r[0] >= since]

    def fail(self, failing: bool) -> None:
        self.server.failing = failing  # type: ignore[attr-defined]

    def answer_stale(self, body: bytes, sent: float) -> None:
        """Answer every poll with ``body``, last modified at ``sent``: a CDN edge's old copy."""
        self.server.stale = (body, sent)  # type: ignore[attr-defined]


def _entry(project: Project, slug: str, when: datetime, title: str, body: str = "Body text.", key: bool = False) -> Path:
    front = f"title: {title}\npublished: {when.isoformat(timespec='seconds')}\ncities: [Kyiv]" + ("\nkey: true" if key else "")
    return project.entry(f"{when:%Y/%m/%d}/{slug}.md", front, body)


def _today(step: int) -> datetime:
    """The ``step``-th of ten moments between the start of today in the site's zone and now."""
    now = datetime.now(ZONE).replace(microsecond=0)
    start = now.replace(hour=0, minute=0, second=0)
    return start + (now - start) * step // 10


def _build(project: Project) -> None:
    command = [*briefings(), "build", "--content", str(project.content), "--config", str(project.config),
               "--site-dir", str(project.site), "--cache-dir", str(project.root / ".cache"),
               "--mkdocs-config", str(MKDOCS_YML)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _project(root: Path, site_url: str, body: str = "Body text.", language: str = "en") -> Project:
    settings = f"title: Live Test\nsite_url: {site_url}\ntimezone: Europe/Kyiv\nlive_poll_seconds: 1\nlanguage: {language}\n"
    project = make_project(root, settings)
    yesterday = datetime.now(ZONE).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    _entry(project, "yesterday", yesterday, "Yesterday's update")
    # Slugs in time order: the order holds even if two moments fall in one second.
    _entry(project, "a-first", _today(2), "First of today", body, key=True)
    _entry(project, "c-second", _today(5), "Second of today", body)
    _entry(project, "d-third", _today(7), "Third of today", body)
    return project


@contextmanager
def serving(project: Project, prefix: str = "/") -> Iterator[Served]:
    _build(project)
    with _serving_folder(project.site, prefix, project) as served:
        yield served


@contextmanager
def _serving_folder(folder: Path, prefix: str, project: Project) -> Iterator[Served]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    server.prefix, server.requests, server.failing, server.stale = prefix, [], False, None  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, name="live-site", daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}{prefix}", server, project)
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def reading(browser, served: Served, path: str, viewport: dict = WIDE, *, live: bool = True):  # noqa: ANN001
    """A reader with ``path`` open; on a live page, once it has had its first answer."""
    context, web = _watched(browser, served.url, viewport)
    try:
        web.goto(path)
        web.page.evaluate("window.notReloaded = true")
        deadline = time.monotonic() + 10
        while live and not [status for _, _, status in served.polls() if status == 200]:
            assert time.monotonic() < deadline, f"/{path} did not ask for its updates"
            web.page.wait_for_timeout(100)
        yield web
    finally:
        context.close()


def _day_path() -> str:
    return f"{_today(2):%Y/%m/%d}/"


def _updates(web) -> list[str]:  # noqa: ANN001
    return web.page.eval_on_selector_all("[data-brf-live] > article.brf-entry", "els => els.map(el => el.id)")


def _wait_for(web, script: str, what: str, timeout: float = 10_000) -> None:  # noqa: ANN001
    try:
        web.page.wait_for_function(script, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - a timeout: say what was awaited
        raise AssertionError(f"{what}: not within {timeout / 1000:.0f} s ({web.page.url})") from exc


def _add_edit_and_remove(project: Project) -> None:
    _entry(project, "b-added", _today(3), "Added while you read", key=True)
    second = project.content / f"{_today(5):%Y/%m/%d}/c-second.md"
    second.write_text(second.read_text("utf-8").replace("Second of today", "Second, edited"), "utf-8")
    (project.content / f"{_today(7):%Y/%m/%d}/d-third.md").unlink()
    _build(project)


def _assert_changes_shown(web) -> None:  # noqa: ANN001
    _wait_for(web, "document.getElementById('b-added') !== null", "the added update")
    _wait_for(web, "!document.getElementById('d-third')", "the removed update gone")
    assert _updates(web) == ["a-first", "b-added", "c-second"], "the updates are not in their time order"
    assert web.page.locator("#c-second .brf-entry__title").inner_text() == "Second, edited"
    assert web.page.locator(".brf-zone__count").inner_text() == "3 updates"
    assert web.page.evaluate("window.notReloaded === true"), "the page was reloaded"
    status = web.page.locator("[data-brf-live] [role=status]")
    _wait_for(web, "document.querySelector('[data-brf-live] [role=status]').textContent !== ''", "the announcement")
    assert status.get_attribute("aria-live") == "polite"
    assert "1 new update: Added while you read." in status.inner_text()
    assert "1 update changed: Second, edited." in status.inner_text()
    assert "1 update removed." in status.inner_text()


# --- tests -------------------------------------------------------------------------


def test_todays_page_shows_an_added_an_edited_and_a_removed_update_without_a_reload(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/")
    with serving(project) as served, reading(browser, served, _day_path()) as web:
        assert _updates(web) == ["a-first", "c-second", "d-third"]
        _add_edit_and_remove(project)
        _assert_changes_shown(web)
        # The key events box follows: the added update is a key event too, in its time order.
        keys = web.page.locator(".brf-key li a").all_inner_texts()
        assert [" ".join(text.split()[1:]) for text in keys] == ["First of today", "Added while you read"]
        assert web.page.locator("#b-added a.brf-chip--city").get_attribute("href").endswith("/cities/kyiv/")
        web.page.locator("#b-added a.brf-chip--city").click()  # the new update's links lead where the page's do
        web.page.wait_for_load_state("load")
        assert urlsplit(web.page.url).path == "/cities/kyiv/"
        web.assert_clean()


def test_an_old_copy_of_the_updates_from_a_cdn_edge_never_takes_an_update_back(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/")
    with serving(project) as served, reading(browser, served, _day_path()) as web:
        document = project.site / _day_path() / "updates.json"
        before = (document.read_bytes(), document.stat().st_mtime)
        _entry(project, "b-added", _today(3), "Added while you read")
        _build(project)
        _wait_for(web, "document.getElementById('b-added') !== null", "the added update")
        # An edge of the CDN still holds the document of the deploy before, and answers a poll or two with it.
        served.answer_stale(before[0], before[1] - 60)
        since = time.monotonic()
        while len(served.polls(since)) < 2:
            web.page.wait_for_timeout(200)
        assert _updates(web) == ["a-first", "b-added", "c-second", "d-third"]
        web.assert_clean()


def test_under_a_path_the_home_page_follows_the_latest_day(browser, tmp_path):
    project = _project(tmp_path, "https://example.org/repo/")
    with serving(project, prefix="/repo/") as served, reading(browser, served, "") as web:
        assert _updates(web) == ["a-first", "c-second", "d-third"]
        _add_edit_and_remove(project)
        _assert_changes_shown(web)
        day = _today(2).date().isoformat()
        keys = web.page.locator(f'ul[data-brf-key-day="{day}"] li a').all_inner_texts()
        assert [" ".join(text.split()[1:]) for text in keys] == ["First of today", "Added while you read"]
        # Under the home page's heading of the day, as the updates it was built with.
        assert web.page.eval_on_selector_all(".brf-entry__title", "els => els.map(el => el.tagName)") == ["H3"] * 3
        assert {path for _, path, _ in served.requests} >= {f"/repo/{_day_path()}updates.json"}
        assert all(path.startswith("/repo/") for _, path, _ in served.requests), "a request left the site's path"
        web.assert_clean()


def test_a_reader_who_scrolled_gets_a_new_updates_button_and_a_count_in_the_title(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/", body=LONG_BODY)
    with serving(project) as served, reading(browser, served, _day_path(), {"width": 1000, "height": 600}) as web:
        page = web.page
        title = page.title()
        page.locator("#a-first").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 200)")  # reading the first update
        at = page.evaluate("window.scrollY")
        _entry(project, "e-latest", _today(9), "The latest word")
        _build(project)
        button = page.locator("button.brf-live__more")
        button.wait_for(state="visible", timeout=10_000)
        assert button.inner_text() == "1 new update"
        # In the keyboard's order where the updates begin, not after the page's last link.
        assert button.evaluate("b => b.nextElementSibling.classList.contains('brf-zone')")
        assert page.title() == f"(1) {title}"
        assert page.evaluate("window.scrollY") == at, "the page moved under the reader"
        assert not page.locator("#e-latest").evaluate("el => el.getBoundingClientRect().top < innerHeight")
        screenshot(web, "live-new-updates-1000")
        page.add_script_tag(path=str(AXE_JS))
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        assert not results["violations"], "axe-core with the button shown:\n" + _format_violations(results["violations"])
        button.click()
        _wait_for(web, "(() => { const r = document.getElementById('e-latest').getBoundingClientRect();"
                       " return r.top >= 0 && r.top < innerHeight; })()", "the new update in view")
        assert button.is_hidden()
        assert page.title() == title
        assert page.evaluate("document.activeElement.id") == "e-latest"
        web.assert_clean()


def test_the_button_brings_a_new_update_below_the_fixed_header_not_under_it(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/", body=LONG_BODY)
    with serving(project) as served, reading(browser, served, _day_path(), {"width": 360, "height": 640}) as web:
        page = web.page
        _entry(project, "c-backdated", _today(6), "Filed late", LONG_BODY)  # between two long updates, below the reader
        _build(project)
        button = page.locator("button.brf-live__more")
        button.wait_for(state="visible", timeout=10_000)
        button.click()
        _wait_for(web, "document.activeElement.id === 'c-backdated'", "the new update focused")
        page.wait_for_timeout(300)
        header = page.locator(".md-header").bounding_box()
        top = page.locator("#c-backdated").bounding_box()["y"]
        assert header["y"] + header["height"] <= top < 200, f"the update's top at {top} px, the header's foot at {header['height']}"
        web.assert_clean()


@pytest.mark.parametrize("anchoring", ["auto", "none"])  # "none": as in Safari before 27, which does not anchor
def test_an_update_filed_above_the_reader_does_not_move_what_they_read(browser, tmp_path, anchoring):
    project = _project(tmp_path, "https://news.example.org/", body=LONG_BODY)
    with serving(project) as served, reading(browser, served, _day_path(), {"width": 360, "height": 640}) as web:
        page = web.page
        page.add_style_tag(content=f"html, body {{ overflow-anchor: {anchoring}; }}")
        page.locator("#d-third").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 100)")
        before = page.locator("#d-third").bounding_box()["y"]
        _entry(project, "b-added", _today(3), "Filed late", LONG_BODY)
        _build(project)
        _wait_for(web, "document.getElementById('b-added') !== null", "the added update")
        page.wait_for_timeout(100)
        assert abs(page.locator("#d-third").bounding_box()["y"] - before) <= 2, "the text moved under the reader"
        web.assert_clean()


def test_in_ukrainian_the_button_the_count_and_the_announcement_are_ukrainian(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/", body=LONG_BODY, language="uk")
    with serving(project) as served, reading(browser, served, _day_path(), {"width": 1000, "height": 600}) as web:
        page = web.page
        page.locator("#a-first").scroll_into_view_if_needed()
        _entry(project, "e-latest", _today(8), "The latest word")
        _entry(project, "f-last", _today(9), "The last word")
        _build(project)
        button = page.locator("button.brf-live__more")
        button.wait_for(state="visible", timeout=10_000)
        assert button.inner_text() == "2 нові оновлення"  # Intl.PluralRules("uk"): "few"
        assert page.locator(".brf-zone__count").inner_text() == "5 оновлень"  # "many"
        _wait_for(web, "document.querySelector('[data-brf-live] [role=status]').textContent !== ''", "the announcement")
        assert page.locator("[data-brf-live] [role=status]").inner_text() == "2 нові оновлення: The latest word; The last word."
        web.assert_clean()


def test_when_the_next_day_begins_the_page_says_where_the_updates_continue_and_stops(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/")
    with serving(project) as served, reading(browser, served, _day_path()) as web:
        tomorrow = _today(2).replace(hour=8) + timedelta(days=1)  # a build warns of it, and builds it
        _entry(project, "tomorrow", tomorrow, "The next morning")
        _build(project)
        note = web.page.locator("[data-brf-live] .brf-live__next")
        note.wait_for(state="visible", timeout=10_000)
        day = tomorrow.day
        assert note.inner_text() == f"This day is over. Updates continue on {day} {tomorrow:%B %Y}."
        assert urlsplit(note.locator("a").get_attribute("href")).path == f"/{tomorrow:%Y/%m/%d}/"
        over = time.monotonic()
        web.page.wait_for_timeout(2_500)
        assert served.polls(since=over) == [], "the page went on asking after its day was over"
        web.assert_clean()


def test_an_update_of_the_day_before_published_after_midnight_still_appears(browser, tmp_path):
    """A deploy takes minutes: the day's last update may reach the site after the day is over."""
    project = make_project(tmp_path, "title: Live Test\nsite_url: https://news.example.org/\ntimezone: Europe/Kyiv\nlive_poll_seconds: 1\n")
    yesterday = datetime.now(ZONE).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    _entry(project, "noon", yesterday, "At noon")
    with serving(project) as served:
        for path in (f"{yesterday:%Y/%m/%d}/", ""):
            with reading(browser, served, path) as web:
                _entry(project, "late", yesterday.replace(hour=23, minute=58), "Just before midnight")
                _build(project)
                _wait_for(web, "document.getElementById('late') !== null", f"the late update on /{path}")
                web.assert_clean()
            (project.content / f"{yesterday:%Y/%m/%d}/late.md").unlink()
            _build(project)


def test_a_reader_s_focus_stays_where_it_was_when_updates_change_around_it(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/")
    with serving(project) as served, reading(browser, served, _day_path()) as web:
        page = web.page
        page.locator("#d-third a.brf-chip--city").focus()
        (project.content / f"{_today(5):%Y/%m/%d}/c-second.md").unlink()  # removed above the reader
        _build(project)
        _wait_for(web, "!document.getElementById('c-second')", "the removed update gone")
        assert page.evaluate("document.activeElement.closest('article').id") == "d-third"
        third = project.content / f"{_today(7):%Y/%m/%d}/d-third.md"
        third.write_text(third.read_text("utf-8").replace("Third of today", "Third, edited"), "utf-8")
        _build(project)
        _wait_for(web, "document.querySelector('#d-third .brf-entry__title').textContent === 'Third, edited'", "the edit")
        assert page.evaluate("document.activeElement.matches('#d-third a.brf-chip--city')"), "the edit took the focus away"
        page.locator(".brf-key li a").first.focus()
        _entry(project, "b-added", _today(3), "Not a key event")
        _build(project)
        _wait_for(web, "document.getElementById('b-added') !== null", "the added update")
        assert page.evaluate("document.activeElement.closest('.brf-key') !== null"), "the key events took the focus away"
        web.assert_clean()


def test_a_reader_can_pause_the_live_updates_and_the_page_remembers(browser, tmp_path):
    """WCAG 2.2.2: content that updates itself can be paused."""
    project = _project(tmp_path, "https://news.example.org/")
    with serving(project) as served, reading(browser, served, _day_path()) as web:
        pause = web.page.get_by_role("button", name="Pause live updates")
        assert pause.get_attribute("aria-pressed") == "false"
        pause.press("Enter")
        assert pause.get_attribute("aria-pressed") == "true"
        web.page.wait_for_timeout(1_200)  # a poll under way may finish
        paused = time.monotonic()
        _entry(project, "e-latest", _today(9), "The latest word")
        _build(project)
        web.page.wait_for_timeout(2_500)
        assert served.polls(since=paused) == [] and web.page.locator("#e-latest").count() == 0
        web.page.reload()  # the page as built now, and still paused: remembered
        assert pause.get_attribute("aria-pressed") == "true"
        reloaded = time.monotonic()
        _entry(project, "f-last", _today(9) + timedelta(seconds=1), "The last word")
        _build(project)
        web.page.wait_for_timeout(2_500)
        assert served.polls(since=reloaded) == [] and web.page.locator("#f-last").count() == 0
        pause.click()
        assert pause.get_attribute("aria-pressed") == "false"
        _wait_for(web, "document.getElementById('f-last') !== null", "the update once resumed")
        web.assert_clean()


def test_pausing_one_archive_leaves_another_on_the_same_host_live(browser, tmp_path):
    # Two project sites of one github.io host share the browser's storage.
    host = tmp_path / "host"
    host.mkdir()
    for name in ("first", "second"):
        project = _project(tmp_path / name, f"https://newsroom.example.org/{name}/")
        _build(project)
        (host / name).symlink_to(project.site)
    with _serving_folder(host, "/", project) as served, reading(browser, served, f"first/{_day_path()}") as web:
        web.page.get_by_role("button", name="Pause live updates").press("Enter")
        web.goto(f"second/{_day_path()}")
        assert web.page.get_by_role("button", name="Pause live updates").get_attribute("aria-pressed") == "false"
        opened = time.monotonic()
        while not [path for _, path, status in served.polls(opened) if path.startswith("/second/") and status == 200]:
            assert time.monotonic() - opened < 10, "the second archive's page did not ask for its updates"
            web.page.wait_for_timeout(100)
        web.assert_clean()


def test_pages_of_past_days_make_no_request_after_loading(browser, tmp_path):
    project = _project(tmp_path, "https://news.example.org/")
    yesterday = (datetime.now(ZONE) - timedelta(days=1)).strftime("%Y/%m/%d/")
    with serving(project) as served, reading(browser, served, yesterday, live=False) as web:
        web.page.wait_for_load_state("networkidle")  # the favicon, and material's sitemap
        loaded = time.monotonic()
        assert web.page.locator("[data-brf-live]").count() == 0
        web.page.wait_for_timeout(3_000)  # three poll intervals
        assert [path for at, path, _ in served.requests if at > loaded] == []
        web.assert_clean()


def test_a_latest_day_that_is_over_makes_no_request(browser, tmp_path):
    project = make_project(tmp_path, "title: Live Test\nsite_url: https://news.example.org/\nlive_poll_seconds: 1\n")
    _entry(project, "long-ago", datetime(2022, 3, 3, 9, 40, tzinfo=ZONE), "An update of long ago")
    with serving(project) as served:
        for path in ("2022/03/03/", ""):  # the latest day's page, the home page
            with reading(browser, served, path, live=False) as web:
                assert web.page.locator("[data-brf-live]").count() == 1  # the browser, not the build, decides
                web.page.wait_for_load_state("networkidle")
                loaded = time.monotonic()
                web.page.wait_for_timeout(2_000)
                assert served.polls(since=loaded) == [], f"/{path} asked for updates of a day that is over"
                web.assert_clean()


@contextmanager
def plain_page(browser, served: Served, path: str) -> Iterator[tuple]:  # noqa: ANN001
    """A page with its console errors, not through ``Watched``: Playwright turns the browser's
    HTTP cache off for a page whose requests it routes, and the conditional requests with it."""
    context = browser.new_context(viewport=WIDE)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(served.url + path, wait_until="load")
        yield page, errors
    finally:
        context.close()


def test_polls_are_conditional_and_pause_while_the_page_is_hidden(browser, tmp_path):
    with serving(_project(tmp_path, "https://news.example.org/")) as served:
        with plain_page(browser, served, _day_path()) as (page, errors):
            deadline = time.monotonic() + 10
            while len(served.polls()) < 3 and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            statuses = [status for _, _, status in served.polls()]
            assert statuses[0] == 200 and set(statuses[1:]) == {304}, f"unchanged polls were not answered 304: {statuses}"
            page.evaluate(_VISIBILITY % "true")
            page.wait_for_timeout(1_200)  # a poll under way may finish
            hidden = time.monotonic()
            page.wait_for_timeout(2_500)
            assert served.polls(since=hidden) == [], "a hidden page went on polling"
            page.evaluate(_VISIBILITY % "false")
            page.wait_for_timeout(500)
            assert served.polls(since=hidden), "a page shown again did not ask at once"
            assert errors == []


def test_polls_back_off_after_errors(browser, tmp_path):
    with serving(_project(tmp_path, "https://news.example.org/")) as served:
        with plain_page(browser, served, _day_path()) as (page, errors):
            served.fail(True)
            failing = time.monotonic()

            def failed() -> list[float]:  # a poll answered as it was asked before, counts as before
                return [at for at, _, status in served.polls(since=failing) if status == 503]

            while len(failed()) < 3 and time.monotonic() < failing + 15:
                page.wait_for_timeout(200)
            times = failed()[:3]
            gaps = [later - earlier for earlier, later in zip(times, times[1:])]
            # Every second while it worked; after failures, 2 s, then 4 s.
            assert len(gaps) == 2 and gaps[0] > 1.8 and gaps[1] > 1.5 * gaps[0], f"no back-off: polls {gaps} s apart"
            assert errors and all("503" in error for error in errors), errors  # each failed poll, and nothing else


def test_a_page_asks_at_once_when_the_network_comes_back(browser, tmp_path):
    with serving(_project(tmp_path, "https://news.example.org/")) as served:
        with plain_page(browser, served, _day_path()) as (page, _):
            page.context.set_offline(True)
            page.wait_for_timeout(4_000)  # failures enough to wait 8 s before the next
            page.context.set_offline(False)
            back = time.monotonic()
            page.wait_for_timeout(1_000)
            assert served.polls(since=back), "no poll when the network came back"


# Makes the page hidden (true) or shown (false), as switching tabs does.
_VISIBILITY = """() => {
    const hidden = %s;
    Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
    Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => hidden ? 'hidden' : 'visible'});
    document.dispatchEvent(new Event('visibilitychange'));
}"""
