"""Importing from URLs, against an HTTP server on this machine that the test starts.

Fetching is polite: a user agent naming the tool and the site, one request at a
time with a pause between two to one host, a timeout, and retries with back-off
(or the server's Retry-After) where a retry can help. A 404 fails at once.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from conftest import Project
from generator import __version__
from generator.importing.errors import FetchError
from generator.importing.fetch import Fetcher, FetchPolicy
from import_support import FIXTURES, GUARDIAN, entry, entry_files, newsroom, run_import, summary

Reply = tuple[int, dict[str, str], bytes]


class Server:
    """Answers each path with its replies in turn (the last one again when they run out)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, str], float]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                server.requests.append((self.path, dict(self.headers), time.monotonic()))
                replies = server.routes.get(self.path) or [(404, {}, b"not here")]
                status, headers, body = replies.pop(0) if len(replies) > 1 else replies[0]
                if headers.get("x-delay"):
                    time.sleep(float(headers["x-delay"]))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that stops reading hangs up
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.requests]


@pytest.fixture
def server() -> Iterator[Server]:
    served = Server()
    thread = threading.Thread(target=served.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield served
    served.httpd.shutdown()
    served.httpd.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def quick(**changes: float) -> Fetcher:
    return Fetcher(FetchPolicy("briefings-test", **{"interval": 0.0, "backoff": 0.01, **changes}))


JSON = {"Content-Type": "application/json"}


def test_a_url_is_fetched_with_a_user_agent_naming_the_tool_and_the_site(project: Project, server: Server) -> None:
    server.routes["/content/live?show-blocks=all"] = [(200, JSON, GUARDIAN.read_bytes())]
    result = run_import(project, f"{server.url}/content/live?show-blocks=all")
    assert result.code == 0, result.err
    assert len(entry_files(project)) == 3
    (_, headers, _), = server.requests
    assert headers["User-Agent"] == f"briefings/{__version__} (live blog import for https://news.example.org/briefing/)"


def test_a_404_fails_at_once_and_names_the_url_without_its_api_key(project: Project, server: Server) -> None:
    result = run_import(project, f"{server.url}/missing?api-key=s3cret&show-blocks=all", GUARDIAN)
    assert result.code == 1
    assert result.err.splitlines()[0] == f"{server.url}/missing?api-key=…&show-blocks=all: error: HTTP 404 Not Found"
    assert "s3cret" not in result.out + result.err
    assert server.paths() == ["/missing?api-key=s3cret&show-blocks=all"]
    assert summary(result).startswith("imported 2 sources: 3 new")  # the file source still imported


def test_a_busy_server_is_asked_again_after_the_time_it_gives(project: Project, server: Server) -> None:
    busy = (503, {"Retry-After": "0"}, b"busy")
    server.routes["/feed.json"] = [busy, busy, (200, JSON, (FIXTURES / "feeds" / "live.json").read_bytes())]
    result = run_import(project, f"{server.url}/feed.json")
    assert result.code == 0, result.err
    assert server.paths() == ["/feed.json"] * 3
    assert entry_files(project) == ["2022/03/03/update-1.md", "2022/03/03/update-2.md"]
    pauses = [b - a for (_, _, a), (_, _, b) in zip(server.requests, server.requests[1:])]
    assert min(pauses) >= 0.9  # a second between two requests to one host


def test_retries_stop_after_the_last_one() -> None:
    served = Server()
    served.routes["/down"] = [(502, {}, b"bad gateway")]
    thread = threading.Thread(target=served.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError) as failed:
            quick(retries=2).fetch(f"{served.url}/down")
    finally:
        served.httpd.shutdown()
        served.httpd.server_close()
    assert str(failed.value) == f"{served.url}/down: HTTP 502 Bad Gateway after 3 tries"
    assert served.paths() == ["/down"] * 3


def test_a_server_asking_to_wait_too_long_is_not_waited_for(server: Server) -> None:
    server.routes["/later"] = [(429, {"Retry-After": "3600"}, b"")]
    with pytest.raises(FetchError) as failed:
        quick().fetch(f"{server.url}/later")
    assert failed.value.message == "HTTP 429: the server asks to wait 3600 s before trying again"


def test_a_slow_server_times_out_and_is_tried_again(server: Server) -> None:
    server.routes["/slow"] = [(200, {"x-delay": "1.5"}, b"{}")]
    started = time.monotonic()
    with pytest.raises(FetchError) as failed:
        quick(timeout=0.3, retries=1).fetch(f"{server.url}/slow")
    assert failed.value.message == "could not be fetched after 2 tries: timed out"
    assert time.monotonic() - started < 5


def test_a_refused_connection_is_an_error_of_its_source(project: Project, server: Server) -> None:
    server.httpd.server_close()  # nothing listens there any more
    fetcher = quick(retries=0)
    with pytest.raises(FetchError) as failed:
        fetcher.fetch(f"{server.url}/x")
    assert failed.value.message.startswith("could not be fetched after 1 tries: ")


def test_pages_of_wordpress_liveblog_entries_are_followed(project: Project, server: Server) -> None:
    entries = json.loads((FIXTURES / "wordpress" / "entries.json").read_text("utf-8"))["entries"]
    base = "/wp-json/liveblog/v1/42/get-entries"
    server.routes[f"{base}/1/4103"] = [(200, JSON, json.dumps({"entries": entries[:2], "page": 1, "pages": 2, "total": 5}).encode())]
    server.routes[f"{base}/2/4103"] = [(200, JSON, json.dumps({"entries": entries[2:], "page": 2, "pages": 2, "total": 5}).encode())]
    result = run_import(project, f"{server.url}{base}/1/4103")
    assert result.code == 0, result.err
    assert server.paths() == [f"{base}/1/4103", f"{base}/2/4103"]
    assert entry_files(project) == ["2022/03/03/update-4101.md", "2022/03/03/update-4102.md"]
    assert entry(project, "2022/03/03/update-4101.md")[0]["updated"] == "2022-03-03T11:00:00+02:00"  # from page 2


def test_a_page_fetched_by_url_resolves_its_links_against_it(project: Project, server: Server) -> None:
    page = (FIXTURES / "html" / "microdata.html").read_text("utf-8").replace(
        '<link rel="canonical" href="https://radio.example.org/live/kharkiv">', ""
    ).replace("as shelters.</p>", 'as <a href="/shelters">shelters</a>.</p>')
    server.routes["/live/kharkiv"] = [(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())]
    result = run_import(project, f"{server.url}/live/kharkiv")
    assert result.code == 0, result.err
    meta, body = entry(project, "2022/03/03/post-1.md")
    assert meta["origin"] == f"{server.url}/live/kharkiv#post-1"
    assert body == f"Metro stations across Kharkiv stay open day and night as [shelters]({server.url}/shelters)."
