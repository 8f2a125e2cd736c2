"""``briefings serve``: build, serve the site on this machine, rebuild on every change.

One process for the whole session. Each rebuild is the build of ``briefings
build`` (``build.build``: the caches, the reused pages, the checks and the atomic
swap), but the modules are imported, the templates compiled and the caches in
memory already: a bucket the last build did not rewrite is not read again
(``storage.read_pickle``). An open page asks the server every second which build
it shows and reloads when a newer one is in place, or shows why the last rebuild failed.

Changes are watched with watchdog (inotify on Linux), the library MkDocs' own
``serve`` uses; the site is served by the standard library's HTTP server.
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from typing import Callable, Iterator

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from .build import build
from .site_folders import check_cache_folder, check_site_folder
from .problems import BriefingsError, ProblemLog
from .settings import load_settings
from .site import GeneratedSite

# A burst of saves (an editor writing a file, git switching branches) is one rebuild.
QUIET_S = 0.05
# How long no change must come before the last build's reference cycles are collected.
COLLECT_AFTER_S = 2.0
# Writes, not reads: each build opens the content's 800 folders (and the files it hashes
# again), and every open and close would wake the watcher, taking the interpreter from
# the build thousands of times a rebuild.
CHANGES = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
           DirCreatedEvent, DirModifiedEvent, DirDeletedEvent, DirMovedEvent]  # fmt: skip
STATUS_PATH = "/.briefings/status"
# What a page not found shows while no build has made the site (its first build failed).
NOT_BUILT = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not built yet</title></head>\n'
    "<body><h1>Not built yet</h1><p>This page is not in the site, or no build has made the site yet.</p></body></html>\n"
)
RELOAD_SCRIPT = """<script>
(() => {
  const shown = %d;
  const ask = () => fetch("%s", {cache: "no-store"}).then((r) => r.json()).then((status) => {
    if (status.build !== shown) { location.reload(); return; }
    const box = document.getElementById("briefings-serve-error");
    if (box) box.remove();
    if (status.error) {
      const note = document.createElement("pre");
      note.id = "briefings-serve-error";
      note.textContent = "briefings serve: the last rebuild failed; this page is from the build before it.\\n\\n" + status.error;
      note.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:40vh;overflow:auto;margin:0;padding:1em;" +
        "background:#fff3f3;color:#8b0000;border-top:2px solid #8b0000;z-index:10000;white-space:pre-wrap";
      document.body.append(note);
    }
  }).catch(() => {}).finally(() => setTimeout(ask, 1000));
  setTimeout(ask, 1000);
})();
</script>
"""


@dataclass
class BuildStatus:
    """Which build the site holds, and why the rebuild after it failed, if it did."""

    build: int = 0
    error: str | None = None
    # The site's path, from its site_url: served there, as it will be published ("/briefings/").
    root: str = "/"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> tuple[int, str | None]:
        with self.lock:
            return self.build, self.error


@dataclass(frozen=True)
class ServeOptions:
    mkdocs_yml: Path
    content_dir: Path
    config_dir: Path
    site_dir: Path
    cache_dir: Path | None
    strict: bool = False
    host: str = "127.0.0.1"
    port: int = 8000


# What the caller hears of each build: the site, or the error that stopped it, and the seconds it took.
Report = Callable[[GeneratedSite | None, Exception | None, float], str | None]


def serve(options: ServeOptions, report: Report, on_ready: Callable[[str], None]) -> None:
    """Build, then serve ``options.site_dir`` and rebuild after each change until interrupted.

    ``report`` hears of every build and returns the text of its error, if it failed
    (shown on open pages); ``on_ready`` gets the address once the server listens.
    """
    # A folder a build must not replace is one no server may show either (the project's own,
    # with its Git history; the whole disk): refused before anything listens.
    project = [options.content_dir, options.config_dir, options.mkdocs_yml, *([options.cache_dir] if options.cache_dir else [])]
    check_site_folder(options.site_dir, project)
    if options.cache_dir is not None:
        check_cache_folder(options.cache_dir, [options.content_dir, options.config_dir])
    status = BuildStatus(root=_site_path(options.config_dir))
    changed = threading.Event()
    handler = partial(_Handler, status, directory=str(options.site_dir))
    server = ThreadingHTTPServer((options.host, options.port), handler)  # a taken port fails before any build
    server.daemon_threads = True
    observer = Observer()
    watcher = _Changes(changed, options.site_dir, options.cache_dir)
    serving: threading.Thread | None = None
    try:
        _rebuild(options, status, report)
        _watch(observer, watcher, _watched(options), changed)
        observer.start()
        serving = threading.Thread(target=server.serve_forever, name="briefings-http", daemon=True)
        serving.start()
        host, port = server.server_address[:2]
        on_ready(f"http://{host}:{port}{status.root}")
        while True:
            _wait_for_change(changed)
            _rebuild(options, status, report)
    finally:
        # Stopping joins the watcher's threads and the server's: should one of them never
        # return, Ctrl+C must still end the process, which their threads do not outlive.
        stopping = threading.Thread(
            target=_stop, args=(observer, server, serving is not None), name="briefings-stop", daemon=True
        )
        stopping.start()
        stopping.join(STOP_S)


# How long stopping may take before serve returns without waiting for it.
STOP_S = 5


def _stop(observer: BaseObserver, server: ThreadingHTTPServer, serving: bool) -> None:
    if observer.is_alive():
        observer.stop()
    if serving:
        server.shutdown()  # waits for serve_forever to return: only once it runs
    server.server_close()


def _wait_for_change(changed: threading.Event) -> None:
    """Wait for a change to the watched files, and until they are left alone.

    The reference cycles the last build left are collected once no change has come
    for ``COLLECT_AFTER_S``: by then the reloaded pages have been served, and a
    collection over the whole archive keeps no one waiting. Builds run without the collector (``_collector_paused``), which
    would otherwise rescan the archive's objects again and again during each one.
    """
    if not changed.wait(COLLECT_AFTER_S):
        gc.collect()
        changed.wait()
    while changed.wait(QUIET_S):
        changed.clear()


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _site_path(config_dir: Path) -> str:
    """The path of the site's address in its settings ("/briefings/"), as far as they can be
    read: a first build that fails is served there too. Each build says it again."""
    settings = load_settings(config_dir, ProblemLog(), best_effort=True)
    return _path_of(settings.site_url) if settings is not None else "/"


def _path_of(site_url: str) -> str:
    return urlsplit(site_url).path or "/"


def _rebuild(options: ServeOptions, status: BuildStatus, report: Report) -> None:
    def swapped() -> None:  # open pages reload now, not once the caches are saved
        with status.lock:
            status.build, status.error = status.build + 1, None

    started = time.perf_counter()
    try:
        with _collector_paused():
            site = build(
                mkdocs_yml=options.mkdocs_yml, content_dir=options.content_dir, config_dir=options.config_dir,
                site_dir=options.site_dir, strict=options.strict, cache_dir=options.cache_dir, on_swap=swapped,
            )  # fmt: skip
    except (BriefingsError, OSError) as exc:
        error = report(None, exc, time.perf_counter() - started)
        with status.lock:
            status.error = error or str(exc)
        return
    with status.lock:
        status.root = _path_of(site.archive.settings.site_url)
    report(site, None, time.perf_counter() - started)


def _watch(observer: BaseObserver, watcher: FileSystemEventHandler, paths: list[Path], changed: threading.Event) -> None:
    """Watch ``paths``, each folder with all it holds, and watch each again should it be
    made anew: inotify's watch of a folder ends with the folder (``rm -rf content``, then
    ``git checkout``), so the folders that hold them are watched for its return."""
    watches = {path: observer.schedule(watcher, str(path), recursive=path.is_dir(), event_filter=CHANGES) for path in paths}

    def watch_again(path: Path) -> None:
        with suppress(KeyError):  # its watch ended with it
            observer.unschedule(watches[path])
        watches[path] = observer.schedule(watcher, str(path), recursive=True, event_filter=CHANGES)
        changed.set()

    folders = [path for path in paths if path.is_dir()]
    comings = _Comings(folders, watch_again, changed)
    for parent in sorted({path.parent for path in folders}):
        observer.schedule(comings, str(parent), recursive=False, event_filter=[DirCreatedEvent, DirDeletedEvent, DirMovedEvent])


class _Comings(FileSystemEventHandler):
    """Hears a watched folder go (a change: the build says it is missing) and come back (watched again)."""

    def __init__(self, folders: list[Path], returned: Callable[[Path], None], changed: threading.Event) -> None:
        self._folders = {str(folder): folder for folder in folders}
        self._returned = returned
        self._changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path in (event.src_path, getattr(event, "dest_path", "")):
            folder = self._folders.get(str(path))
            if folder is None:
                continue
            if folder.is_dir():
                self._returned(folder)
            else:
                self._changed.set()


def _watched(options: ServeOptions) -> list[Path]:
    """The content, the settings and registries, mkdocs.yml and the theme's overrides."""
    paths = [options.content_dir, options.config_dir, options.mkdocs_yml]
    theme = options.mkdocs_yml.parent / "theme"
    if theme.is_dir():
        paths.append(theme)
    return [path.resolve() for path in paths if path.exists()]


class _Changes(FileSystemEventHandler):
    def __init__(self, changed: threading.Event, site_dir: Path, cache_dir: Path | None) -> None:
        self._changed = changed
        # What the build writes itself, should the site or the cache be inside a watched folder:
        # the site, its staging and spare folders beside it, the cache.
        site = site_dir.resolve()
        self._ignored = [str(site) + os.sep, str(site.parent / f".{site.name}.")]
        if cache_dir is not None:
            self._ignored.append(str(cache_dir.resolve()) + os.sep)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and not (str(path) + os.sep).startswith(tuple(self._ignored)):
                self._changed.set()
                return


class _Handler(SimpleHTTPRequestHandler):
    """The site's files as they are now; HTML pages with the script that reloads them."""

    def __init__(self, status: BuildStatus, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - the server's
        self._status = status
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        address = self.path.split("?")[0]
        if address.endswith(STATUS_PATH):  # under the site's path, or at the root before a first build
            build_number, error = self._status.snapshot()
            self._send(json.dumps({"build": build_number, "error": error}).encode(), "application/json")
            return
        root = self._status.root
        # "/" of a site under "/briefings/", and "/briefings" without its slash, as hosts do.
        if address != root and root.startswith(address) and (address.endswith("/") or address == root.rstrip("/")):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", root)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        page = self._page()
        if page is None:
            super().do_GET()
            return
        self._send(self._reloading(page.read_text("utf-8")), "text/html; charset=utf-8")

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # noqa: ARG002 - the standard library's signature
        """A folder without an index page is not a page of the site: no listing of its files."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A page not found is the site's 404 page, or while there is no site a page that says so,
        with the script that shows why the build failed and reloads once one is in place."""
        if code != HTTPStatus.NOT_FOUND or self.command != "GET":
            super().send_error(code, message, explain)
            return
        page = Path(self.directory) / "404.html"
        text = page.read_text("utf-8") if page.is_file() else NOT_BUILT
        self._send(self._reloading(text), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)

    def translate_path(self, path: str) -> str:
        """The file at ``path`` under the site's path; none outside it."""
        root = self._status.root
        if root != "/":
            if not path.startswith(root):
                return str(Path(self.directory) / ".outside-the-site")  # no such file: the site's 404 page
            path = "/" + path[len(root) :]
        return super().translate_path(path)

    def _reloading(self, text: str) -> bytes:
        """An HTML page with the script that reloads it when a newer build is in place."""
        build_number, _ = self._status.snapshot()
        script = RELOAD_SCRIPT % (build_number, self._status.root.rstrip("/") + STATUS_PATH)
        at = text.rfind("</body>")
        return (text[:at] + script + text[at:] if at != -1 else text + script).encode("utf-8")

    def _page(self) -> Path | None:
        """The HTML file a request for a page names, if it is one (a folder is its index.html)."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return None  # the standard handler redirects to the folder's URL
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def _send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the standard library's name
        pass  # one line per request would bury the build reports
