"""``briefings serve``: the real command in a process of its own, asked over HTTP."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from conftest import MKDOCS_YML, REPO, Project

from generator.serve import STATUS_PATH

TIMEOUT_S = 60


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
            return response.read().decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get(STATUS_PATH))

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting for {what}; it said:\n" + "".join(self.lines)
            time.sleep(0.05)


def _page_or_nothing(server: Server, path: str) -> str:
    try:
        return server.get(path)
    except urllib.error.HTTPError:  # a page the site does not have yet
        return ""


def briefings() -> list[str]:
    script = Path(sys.executable).with_name("briefings")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


@contextmanager
def serving(project: Project) -> Iterator[Server]:
    command = [
        *briefings(), "serve", "--port", "0",
        "--content", str(project.content), "--config", str(project.config),
        "--site-dir", str(project.site), "--cache-dir", str(project.root / ".cache"),
        "--mkdocs-config", str(MKDOCS_YML),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    address: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            found = re.search(r" at (http://\S+/) ", line)
            if found:
                address.append(found.group(1))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not address:
            assert process.poll() is None, "serve ended:\n" + "".join(lines)
            assert time.monotonic() < deadline, "serve did not start:\n" + "".join(lines)
            time.sleep(0.05)
        yield Server(address[0], process, lines)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(5)  # what serve printed last may still be in the pipe


def test_serve_builds_serves_and_rebuilds_after_an_edit(project: Project) -> None:
    entry = project.entry("2022/03/03/one.md", "title: First words\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    with serving(project) as server:
        assert server.status() == {"build": 1, "error": None}
        day = server.get("2022/03/03/")
        assert "First words" in day
        assert STATUS_PATH in day  # the script that reloads the page
        entry.write_text(entry.read_text("utf-8").replace("First words", "Second words"), "utf-8")
        server.wait_for(lambda: "Second words" in server.get("2022/03/03/"), "the edit to reach the day page")
        server.wait_for(lambda: server.status()["build"] == 2, "the build number to follow")
        assert "Second words" in server.get("cities/kyiv/")
        assert [json.loads(line)["title"] for line in server.get("data/entries.ndjson").splitlines()] == ["Second words"]
        project.entry("2022/03/04/two.md", "title: A new day\npublished: 2022-03-04T10:00:00+02:00")
        server.wait_for(lambda: "A new day" in _page_or_nothing(server, "2022/03/04/"), "the added entry to be built")
        # The page may be served from the new site a moment before its build number is counted.
        server.wait_for(lambda: server.status()["build"] >= 3, "the build number to follow")
        assert "A new day" in server.get("feed.xml")
        titles = [json.loads(line)["title"] for line in server.get("data/entries.ndjson").splitlines()]
        assert titles == ["Second words", "A new day"]  # the open data made from the site it replaced
        assert STATUS_PATH not in server.get("feed.xml")  # only pages get the script
    assert server.process.returncode == 130
    assert "interrupted" in "".join(server.lines)


def test_removals_and_saves_by_rename_are_changes_but_reads_are_not(project: Project) -> None:
    """serve asks inotify for writes only (serve.CHANGES): removals and editors' save-by-rename
    still rebuild; reading every content file does not."""
    import os

    stays = project.entry("2022/03/03/one.md", "title: Stays\npublished: 2022-03-03T10:00:00+02:00")
    goes = project.entry("2022/03/04/two.md", "title: Goes\npublished: 2022-03-04T10:00:00+02:00")
    with serving(project) as server:
        for path in project.content.rglob("*.md"):
            path.read_bytes()
        time.sleep(0.5)
        assert server.status()["build"] == 1
        goes.unlink()
        server.wait_for(lambda: "Goes" not in server.get("feed.xml"), "the removal to be built")
        draft = stays.with_name(".one.md.swp")
        draft.write_text(stays.read_text("utf-8").replace("Stays", "Renamed into place"), "utf-8")
        os.replace(draft, stays)
        server.wait_for(lambda: "Renamed into place" in server.get("2022/03/03/"), "the renamed save to be built")


def test_a_failed_rebuild_keeps_the_site_and_says_why_until_fixed(project: Project) -> None:
    entry = project.entry("2022/03/03/one.md", "title: Standing\npublished: 2022-03-03T10:00:00+02:00")
    with serving(project) as server:
        entry.write_text("---\ntitle: [unclosed\npublished: 2022-03-03T10:00:00+02:00\n---\nBody.\n", "utf-8")
        server.wait_for(lambda: server.status()["error"] is not None, "the failed rebuild")
        error = server.status()["error"]
        assert re.search(rf"^{re.escape(str(entry))}:2: error: a value cannot start with '\[' in YAML", error, re.M), error
        assert server.status()["build"] == 1
        assert "Standing" in server.get("2022/03/03/")  # the site before the failure
        assert any("rebuild failed; " in line for line in server.lines)
        entry.write_text("---\ntitle: Mended\npublished: 2022-03-03T10:00:00+02:00\n---\nBody.\n", "utf-8")
        server.wait_for(lambda: server.status() == {"build": 2, "error": None}, "the mended rebuild")
        assert "Mended" in server.get("2022/03/03/")


def test_a_content_folder_removed_and_made_again_is_watched_again(project: Project) -> None:
    """As `git checkout` or a restore from a copy does: inotify's watch ends with the folder."""
    entry = project.entry("2022/03/03/one.md", "title: Before\npublished: 2022-03-03T10:00:00+02:00")
    copy = project.root / "copy"
    shutil.copytree(project.content, copy)
    with serving(project) as server:
        shutil.rmtree(project.content)
        server.wait_for(lambda: "content folder not found" in (server.status()["error"] or ""), "the missing folder")
        assert "Before" in server.get("2022/03/03/")  # the site before the failure
        shutil.copytree(copy, project.content)
        server.wait_for(lambda: server.status()["error"] is None, "the folder's return to be built")
        entry.write_text(entry.read_text("utf-8").replace("Before", "After"), "utf-8")
        server.wait_for(lambda: "After" in server.get("2022/03/03/"), "an edit in the folder made again")


def test_a_page_not_found_says_why_the_first_build_failed_and_reloads_once_built(project: Project) -> None:
    entry = project.entry("2022/03/03/one.md", "title: Mended at last\npublished: yesterday")
    with serving(project) as server:
        with pytest.raises(urllib.error.HTTPError) as missing:
            server.get("")
        assert missing.value.code == 404
        page = missing.value.read().decode("utf-8")
        assert "Not built yet" in page and STATUS_PATH in page  # the script that shows the error and reloads
        assert "'published' must be an ISO 8601 time" in server.status()["error"]
        entry.write_text(entry.read_text("utf-8").replace("yesterday", "2022-03-03T10:00:00+02:00"), "utf-8")
        server.wait_for(lambda: server.status() == {"build": 1, "error": None}, "the mended first build")
        assert "Mended at last" in server.get("")
        with pytest.raises(urllib.error.HTTPError) as nowhere:
            server.get("no/such/page/")
        page = nowhere.value.read().decode("utf-8")
        assert nowhere.value.code == 404 and STATUS_PATH in page and "Not built yet" not in page  # the site's own


def test_a_site_under_a_path_is_served_under_it_as_it_will_be_published(project: Project) -> None:
    # site_url is https://news.example.org/briefing/: the 404 page's links, which start at the
    # site's path, work in the preview as on the host.
    project.entry("2022/03/03/one.md", "title: Under a path\npublished: 2022-03-03T10:00:00+02:00")
    with serving(project) as server:
        assert urlsplit(server.url).path == "/briefing/"
        host = server.url[: -len("briefing/")]
        for start in (host, host + "briefing"):  # the host's root, and the site's path without its slash, lead to the site
            with urllib.request.urlopen(start, timeout=10) as response:
                assert response.url == server.url and "Under a path" in response.read().decode("utf-8")
        with pytest.raises(urllib.error.HTTPError) as missing:
            server.get("no/such/page/")
        sheet = re.search(r'href="(/briefing/assets/stylesheets/briefings\.css)"', missing.value.read().decode("utf-8"))
        assert sheet is not None
        with urllib.request.urlopen(host + sheet.group(1).lstrip("/"), timeout=10) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as outside:
            urllib.request.urlopen(host + "2022/03/03/", timeout=10)  # not under the site's path
        assert outside.value.code == 404


def test_a_taken_port_is_one_clear_error(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    with serving(project) as server:
        port = str(urlsplit(server.url).port)
        taken = subprocess.run(
            [*briefings(), "serve", "--port", port, "--content", str(project.content), "--config", str(project.config),
             "--site-dir", str(project.root / "other-site"), "--cache-dir", str(project.root / ".cache2"),
             "--mkdocs-config", str(MKDOCS_YML)],
            cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S,
        )  # fmt: skip
    assert taken.returncode == 1
    assert taken.stderr.endswith(f"briefings: error: cannot serve at 127.0.0.1:{port}: another program is serving there "
                                 "(another 'briefings serve'?): give another port with --port\n")
    assert "Traceback" not in taken.stderr


def test_a_site_folder_a_build_must_not_replace_is_never_served(project: Project) -> None:
    """Not the project's own folder, with its Git history and the content's notes: serve ends
    before anything listens, as build refuses to replace it."""
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    refused = subprocess.run(
        [*briefings(), "serve", "--port", "0", "--content", str(project.content), "--config", str(project.config),
         "--site-dir", str(project.root), "--cache-dir", str(project.root / ".cache"), "--mkdocs-config", str(MKDOCS_YML)],
        cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S,
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"briefings: error: the site folder {project.root} holds {project.content}: a build replaces the whole site "
        "folder, so give it a folder of its own, like site/"
    ]


def test_a_folder_without_a_page_is_not_listed(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    with serving(project) as server:
        assert (project.site / "assets").is_dir()
        with pytest.raises(urllib.error.HTTPError) as missing:
            server.get("assets/")
        assert missing.value.code == 404


def test_what_the_build_writes_itself_is_no_change(tmp_path: Path) -> None:
    from watchdog.events import DirModifiedEvent, FileClosedEvent, FileModifiedEvent, FileMovedEvent

    from generator.serve import _Changes

    changed = threading.Event()
    watcher = _Changes(changed, tmp_path / "site", tmp_path / ".cache")
    for event in [
        FileModifiedEvent(str(tmp_path / "site" / "index.html")),
        DirModifiedEvent(str(tmp_path / "site")),
        FileModifiedEvent(str(tmp_path / ".site.new-x1" / "index.html")),
        FileMovedEvent(str(tmp_path / ".site.spare"), str(tmp_path / ".site.new-x2")),
        FileModifiedEvent(str(tmp_path / ".cache" / "entries" / "00.pickle")),
    ]:
        watcher.on_any_event(event)
    assert not changed.is_set()
    watcher.on_any_event(FileClosedEvent(str(tmp_path / "site-notes.md")))
    assert changed.is_set()


def test_serve_stops_on_sigterm_as_on_ctrl_c(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    with serving(project) as server:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=TIMEOUT_S)
    assert server.process.returncode == 130
    assert "interrupted" in "".join(server.lines)


@pytest.mark.parametrize(("port", "why"), [("99999", "99999 is not a port: give 1 to 65535, or 0 for any free one"),
                                           ("-1", "-1 is not a port: give 1 to 65535, or 0 for any free one"),
                                           ("abc", "not a port number: 'abc'")])  # fmt: skip
def test_a_port_out_of_range_is_a_usage_error_not_a_traceback(port: str, why: str) -> None:
    result = subprocess.run([*briefings(), "serve", "--port", port], cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"briefings serve: error: argument --port: {why}"
