"""The search index: Pagefind over the day pages, written to ``pagefind/`` in the site.

Pagefind splits an index into chunks, so what a reader downloads to run a search
stays about the same however large the archive grows. Only entries are indexed:
``fragments.entry_block`` marks each entry ``data-pagefind-body`` (so the theme's
chrome, day navigation and entity pages stay out), its heading carries an id for
per-entry results, and its city and person chips are Pagefind filters.

The days are dealt into ``SHARDS`` bundles by date (``pagefind/0/`` ...), which the
search merges in the browser (Pagefind's multisite search; the merged bundles share
the first one's engine, so a search downloads little more). An edit changes one
day, so a rebuild re-indexes one shard and takes the others from the previous site
(checked against what the build that wrote them recorded: ``previous_site``) or, if
it does not hold them as written, copies them from the cache. The site never shares
a file with the cache: damage to one cannot reach the other.

Pagefind numbers pages in the order it finds them, and walking a folder finds them
in the file system's order (ext4 hashes names, tmpfs keeps the order they were
made in): the same pages gave another index with the cache on another file system.
So each bundle's pages are handed to one ``pagefind --service`` process in the
order of their URLs (``_Pagefind``). ``pagefind/bundles.json`` lists the bundles for
``theme/assets/javascripts/search.js``.

The binary comes with the ``pagefind-bin-extended`` package installed beside this
one; it is never downloaded at run time. It is Pagefind's extended build, which splits
Chinese and Japanese text into words (they are written without spaces, and the plain
build indexes a whole run of characters as one word, so a search for a word inside a
sentence found nothing); for every other language it writes the same index.

Pagefind 1.5 writes its filter indexes in hash-map order, which changes from run to
run; ``_make_reproducible`` sorts them and renames the files after their content,
so the same site always gets the same index, byte for byte. It also writes each
filter's values (the cities' and people's names) as HTML text, since the search box
shows them as HTML.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
from html import escape as html_escape
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, NamedTuple

import cbor2

from . import urls
from .fragments import UNSEARCHED
from .parallel import Forked, fork_work, usable_cores, usable_processors
from .previous_site import PreviousSite
from .site_folders import discard, work_folder
from .cache.storage import cache_folder, link_or_copy
from .problems import BriefingsError

BUNDLE_DIR = "pagefind"
MANIFEST = "bundles.json"
# In each bundle the cache keeps: the SHA-256 of each of its files, checked before it is copied.
DIGESTS = "digests.json"
# What a build says of a kept bundle found damaged.
DAMAGED_BUNDLE = "this search bundle in the cache was damaged; it was indexed again and replaced"
# Sixteen bundles: a rebuild after one edit indexes a sixteenth of the archive (about
# 50 day pages at 20,000 entries), which Pagefind finishes while MkDocs is still writing;
# with eight, the build waited for Pagefind for half a second. Each bundle adds about
# 35 KB to what one search downloads (its entry file, metadata and filters, and one
# index chunk): at 20,000 entries a search downloads about 0.95 MB (tests/bench).
SHARDS = 16
TIMEOUT_S = 600
# Pagefind runs beside the build. Indexing several shards (a first or clean build), the
# build has the longer way to go (MkDocs, the checks): at equal priority Pagefind would
# take most of both cores from it. Niced, it takes whatever core the build is not using.
# One shard (a rebuild after an edit) is the longer way itself: it runs at the build's priority.
PAGEFIND_NICENESS = 10


class SearchIndexError(BriefingsError):
    """Pagefind is missing or could not index the built site."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the installed ``pagefind-bin-extended`` package."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexError(
            "the pagefind-bin-extended package is not installed (pip install -r requirements.txt): "
            "it provides the Pagefind binary that builds the search index"
        ) from None
    try:
        return get_executable()
    except FileNotFoundError as exc:
        raise SearchIndexError(f"the pagefind-bin-extended package has no Pagefind binary: {exc}") from None


class IndexedPage(NamedTuple):
    url: str
    # bytes: UTF-8; or a page with an ``html`` property: each read only if the page's shard is indexed
    html: Any
    # What the HTML is made from, when the caller knows (render.RenderedPage.inputs):
    # a cheaper key for the shard than the HTML itself.
    fingerprint: str = ""


def indexed_pages(pages: Iterable) -> list[IndexedPage]:
    """The pages that hold entries: the day pages.

    The home page repeats the latest day's entries, so it stays out: every entry is
    found once, on its day page.
    """
    # By address, not by reading each page: a rebuild reads back the HTML of the pages it uses only.
    return [IndexedPage(page.url, page, page.inputs) for page in pages if urls.day_of_url(page.url) is not None]


def what_pagefind_reads(html: str) -> str:
    """``html`` without what Pagefind would read only to leave out: for the stand-in pages.

    Pagefind never indexes scripts, and a day's JSON-LD repeats all its entries:
    leaving it out halves what is handed over and read. It skips an entry's permalink
    and sources (``fragments.UNSEARCHED``): leaving them out too saves Pagefind time,
    for the same index (docs/performance.md).
    """
    for span in (_STRUCTURED_DATA, *UNSEARCHED):
        html = _without(html, *span)
    return html


_STRUCTURED_DATA = ('<script type="application/ld+json">', "</script>")


def _without(html: str, opening: str, end: str) -> str:
    """``html`` without each run from ``opening`` to the next ``end``. Plain string
    search: a regular expression scanning each run took longer."""
    parts, start = [], 0
    while (found := html.find(opening, start)) != -1:
        close = html.find(end, found + len(opening))
        if close == -1:
            break
        parts.append(html[start:found])
        start = close + len(end)
    return "".join(parts) + html[start:] if parts else html


def shard_of(url: str) -> int:
    """The bundle a page goes to: days in turn, so every shard gets its share of each month."""
    day = urls.day_of_url(url)
    return 0 if day is None else day.toordinal() % SHARDS


@dataclass
class _Shard:
    number: int
    key: str  # digest of the shard's pages, its language and Pagefind's version
    # The same bundle in the previous site, unchanged since it was written: (file there, path in the bundle).
    in_site: list[tuple[Path, str]] | None = None
    cached: Path | None = None  # else the same bundle in the cache, checked whole

    @property
    def folder(self) -> str:
        return f"{BUNDLE_DIR}/{self.number}/"


class IndexJob:
    """Pagefind indexing the day pages while MkDocs writes the site, on the other core.

    The index depends only on what Pagefind reads: the ``data-pagefind-body``
    entries, the page's first <h1> and its language. Those are known before
    MkDocs runs, so Pagefind reads them from small stand-in pages and the bundles
    are put into the site once both are done.

    A shard whose pages did not change is taken from the ``previous`` site, where
    it is as the build that wrote it recorded, or else from the ``cache_dir``, where
    each bundle is kept under the digest of its inputs (neither, unless ``read``:
    a clean build). With ``documents``, the pages are whole HTML documents (a
    finished site's) and are indexed as they are, in their own language.
    """

    def __init__(
        self,
        pages: Iterable[IndexedPage | tuple[str, str]],
        language: str,
        *,
        cache_dir: Path | None = None,
        read: bool = True,
        documents: bool = False,
        previous: PreviousSite | None = None,
    ) -> None:
        self.language = language
        # A cache folder that cannot be made (a file in its place) is done without, with a warning.
        self._cache = None if cache_dir is None else cache_folder(Path(cache_dir) / "search")
        self._work = work_folder("briefings-index-")  # a killed build's is removed by the next one
        self._shards: list[_Shard] = []
        self._indexing: Forked | None = None
        # Kept bundles found damaged (indexed again), and the files finish() put in the site, by path there.
        self.damaged: list[str] = []
        self.outputs: dict[str, str] = {}
        groups: dict[int, list[IndexedPage]] = {}
        for page in sorted(IndexedPage(*page) for page in pages):
            groups.setdefault(shard_of(page.url), []).append(page)
        for number, members in sorted(groups.items()):
            shard = _Shard(number, _inputs_digest(members, language))
            if read:
                shard.in_site = None if previous is None else _in_site(previous, shard)
                shard.cached = None if shard.in_site is not None else self._cached(shard.key)
            self._shards.append(shard)
        fresh = [(shard, groups[shard.number]) for shard in self._shards if not self._reused(shard)]
        if not fresh:
            return

        def index() -> None:
            self._index(fresh, None if documents else language)

        # A forked child runs Pagefind, at a lower priority than the build (which has
        # more to do), in a process group that cancel() can stop whole.
        try:
            nice = PAGEFIND_NICENESS if len(fresh) > 1 else 0
            self._indexing = fork_work(index, group=True, nice=nice)
            if self._indexing is None:
                index()
        except BaseException:
            self.cancel()
            raise

    @staticmethod
    def _reused(shard: _Shard) -> bool:
        return shard.in_site is not None or shard.cached is not None

    def _index(self, fresh: list[tuple[_Shard, list[IndexedPage]]], language: str | None) -> None:
        """Index the ``fresh`` shards into their bundles, and keep each bundle in the cache."""
        running: deque[tuple[_Shard, _Pagefind]] = deque()
        # Each Pagefind process holds its bundle's index in memory (45 MB for a sixteenth of
        # 20,000 entries): sixteen at once took 700 MB beside the build, for no less time.
        processors = usable_processors()
        at_once = max(2, usable_cores())
        try:
            for number, (shard, members) in enumerate(fresh):
                if len(running) >= at_once:  # one starts as soon as a processor is free: the first one started's
                    self._done(*running.popleft())
                # Several shards: each process stays on one processor (its threads hand work to
                # each other, which costs CPU across processors). One shard (a
                # rebuild) is the build's longer way, and may use every processor.
                processor = processors[number % len(processors)] if len(fresh) > 1 and processors else None
                running.append((shard, _Pagefind(members, language, processor)))
            while running:
                self._done(*running.popleft())
        finally:
            for _, pagefind in running:
                pagefind.kill()

    def _done(self, shard: _Shard, pagefind: "_Pagefind") -> None:
        files = pagefind.finish()
        _make_reproducible(files)
        _write_bundle(self._bundle(shard), files)
        self._keep(shard, files)

    @property
    def reused(self) -> tuple[int, ...]:
        """The shards taken from the previous site or the cache rather than indexed again."""
        return tuple(shard.number for shard in self._shards if self._reused(shard))

    def finish(self, site_dir: Path) -> None:
        """Wait for Pagefind and put every shard's bundle and the manifest in ``site_dir/pagefind/``."""
        site_dir = Path(site_dir)
        root = site_dir / BUNDLE_DIR
        root.mkdir(parents=True, exist_ok=True)
        try:
            why = None if self._indexing is None else self._indexing.wait()
            if why is not None:
                raise SearchIndexError(why)
            for shard in self._shards:
                target = root / str(shard.number)
                if shard.in_site is not None:
                    for source, name in shard.in_site:  # the previous site is never written in place: shared
                        (target / name).parent.mkdir(parents=True, exist_ok=True)
                        link_or_copy(source, target / name)
                elif shard.cached is not None:
                    _copy_checked(shard.cached, target)
                else:
                    shutil.move(str(self._bundle(shard)), str(target))
                for folder, _, names in os.walk(target):
                    for name in names:
                        self.outputs[Path(folder, name).relative_to(site_dir).as_posix()] = shard.key
            _write_manifest(root, [shard.number for shard in self._shards])
            self._forget_others()
        finally:
            discard(self._work)

    def cancel(self) -> None:
        if self._indexing is not None:
            self._indexing.kill()
        shutil.rmtree(self._work, ignore_errors=True)

    def _bundle(self, shard: _Shard) -> Path:
        return self._work / f"{shard.number}.bundle"

    def _cached(self, key: str) -> Path | None:
        """The kept bundle of ``key`` if it is whole and intact; a damaged one is dropped (and noted)."""
        if self._cache is None:
            return None
        bundle = self._cache / key
        if not bundle.is_dir():
            return None
        if _intact(bundle):
            return bundle
        self.damaged.append(str(bundle))
        discard(bundle)
        return None

    def _keep(self, shard: _Shard, files: dict[str, bytes]) -> None:
        """Put a copy of a fresh shard's bundle in the cache, with the digest of each of its files."""
        if self._cache is None:
            return
        # Another build on the same cache may keep the same bundle (same inputs) meanwhile:
        # each copies into a folder of its own, and the first to finish puts its copy in place.
        # A bundle that cannot be kept costs the next build time, never this one's index.
        target = self._cache / shard.key
        try:
            self._cache.mkdir(parents=True, exist_ok=True)
            partial = Path(tempfile.mkdtemp(prefix=f".{shard.key}.", dir=self._cache))
        except OSError:
            return
        try:
            _write_bundle(partial / shard.key, files)
            digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
            (partial / shard.key / DIGESTS).write_text(json.dumps(digests, sort_keys=True), "utf-8")
            if not (target / DIGESTS).is_file():
                shutil.rmtree(target, ignore_errors=True)
                os.replace(partial / shard.key, target)  # only a whole bundle is ever found there
        except OSError:
            pass
        finally:
            shutil.rmtree(partial, ignore_errors=True)

    def _forget_others(self) -> None:
        """Drop cached bundles this build did not use: the cache holds one bundle per shard."""
        if self._cache is None or not self._cache.is_dir():
            return
        keep = {shard.key for shard in self._shards}
        discard(*[path for path in self._cache.iterdir() if path.name not in keep])


def _in_site(previous: PreviousSite, shard: _Shard) -> list[tuple[Path, str]] | None:
    """The shard's bundle in the previous site, if every file of it is as the build that wrote it recorded."""
    recorded = previous.under(shard.folder)
    found = []
    for path in recorded:
        source = previous.unchanged(path, shard.key)
        if source is None:
            return None
        found.append((source, path[len(shard.folder) :]))
    return sorted(found) or None


def _write_bundle(bundle: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(data)


def _kept_digests(bundle: Path) -> dict[str, str] | None:
    try:
        digests = json.loads((bundle / DIGESTS).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return digests if isinstance(digests, dict) and digests else None


def _intact(bundle: Path) -> bool:
    """Whether every file the kept ``bundle`` lists is there with the bytes it had."""
    digests = _kept_digests(bundle)
    if digests is None:
        return False
    try:
        return all(hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest for name, digest in digests.items())
    except OSError:
        return False


def _copy_checked(bundle: Path, target: Path) -> None:
    """Copy the kept ``bundle``'s files to ``target``, each checked against its digest."""
    digests = _kept_digests(bundle) or {}
    for name, digest in sorted(digests.items()):
        data = (bundle / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise SearchIndexError(f"{bundle / name}: the cached search bundle was damaged during the build; build again")
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)


class _Pagefind:
    """One ``pagefind --service`` process indexing one bundle, handed its pages in order.

    Pagefind numbers pages in the order it is given them: a folder's order would
    make the index depend on the file system. The service reads every request
    before it answers them in turn, and hands the bundle's files back rather than
    write them (Pagefind 1.5 may leave written files unfinished when it stops). The
    pagefind package's own client waits a tenth of a second for each answer, so the
    few messages are written and read here.
    """

    def __init__(self, pages: list[IndexedPage], language: str | None, processor: int | None) -> None:
        requests = [{"type": "NewIndex", "config": None}]
        for url, html, _ in pages:
            requests.append({"type": "AddFile", "index_id": 0, "file_path": f"{url}index.html", "url": None,
                             "file_contents": _stand_in(_text(html), language)})  # fmt: skip
        requests.append({"type": "GetFiles", "index_id": 0})
        self._last = len(requests) - 1
        messages = b"".join(_message(number, request) for number, request in enumerate(requests))
        command = [str(pagefind_executable()), "--service"]
        # Pagefind's async runtime starts a worker thread per core. The shards already run as
        # processes side by side, beside MkDocs, and the extra threads mostly wait busily:
        # with one each, four shards of a 20,000-entry archive took a third less CPU.
        environment = {**os.environ, "TOKIO_WORKER_THREADS": "1"}
        self._errors = tempfile.TemporaryFile()  # read once it ends: a pipe could fill and stop it
        try:
            with _on_processor(processor):
                self.process = subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors, env=environment
                )
        except OSError as exc:
            self._errors.close()
            raise SearchIndexError(f"could not run Pagefind ({command[0]}): {exc}") from None
        self._late = threading.Event()
        self._timer = threading.Timer(TIMEOUT_S, self._stop_late)
        self._timer.start()
        with suppress(OSError):  # it ended already: finish() says why
            assert self.process.stdin is not None
            self.process.stdin.write(messages)  # the service takes in every request before it answers
            self.process.stdin.flush()

    def _stop_late(self) -> None:
        self._late.set()
        self.process.kill()

    def finish(self) -> dict[str, bytes]:
        """Wait for Pagefind's bundle: its files by path in it; raise ``SearchIndexError`` if it made none."""
        try:
            files, failure = self._answers()
            with suppress(OSError):
                assert self.process.stdin is not None
                self.process.stdin.close()  # the service leaves when its input ends
            self.process.wait()
        finally:
            self._timer.cancel()
            self._errors.seek(0)
            errors = self._errors.read().decode("utf-8", "replace").strip()
            self._errors.close()
        if self._late.is_set():
            raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_S} s")
        if files is None:
            output = "\n".join(part for part in (failure, errors) if part)
            raise SearchIndexError(f"Pagefind failed (exit {self.process.returncode}):\n{output}")
        if "pagefind-entry.json" not in files:
            raise SearchIndexError(f"Pagefind made no index:\n{errors}")
        return files

    def _answers(self) -> tuple[dict[str, bytes] | None, str]:
        """Read answers up to the last request's: the bundle's files, or None and what Pagefind said instead."""
        assert self.process.stdout is not None
        unexpected: list[bytes] = []
        for message in _messages(self.process.stdout):
            try:
                answer = json.loads(binascii.a2b_base64(message))
                payload = answer["payload"]
            except (ValueError, KeyError, TypeError):
                unexpected.append(message)
                continue
            if payload.get("type") == "Error":
                return None, str(payload.get("message"))
            if answer.get("message_id") == self._last:
                return {file["path"]: binascii.a2b_base64(file["content"]) for file in payload["files"]}, ""
        return None, b",".join(unexpected).decode("utf-8", "replace").strip()

    def kill(self) -> None:
        self._timer.cancel()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._errors.close()


def _messages(stream: BinaryIO) -> Iterator[bytes]:
    """The comma-ended messages read from ``stream``, and at its end what is left, if anything."""
    parts: list[bytes] = []
    while chunk := stream.read1(1 << 20):
        start = 0
        while (comma := chunk.find(b",", start)) != -1:
            parts.append(chunk[start:comma])
            yield b"".join(parts)
            parts, start = [], comma + 1
        parts.append(chunk[start:])
    if any(parts):
        yield b"".join(parts)


def _message(number: int, request: dict) -> bytes:
    """A request to ``pagefind --service``: base64 of its JSON, then a comma."""
    return base64.b64encode(json.dumps({"message_id": number, "payload": request}).encode("utf-8")) + b","


def _stand_in(html: str, language: str | None) -> str:
    """What Pagefind is given of a page: its body in a small page of ``language``, or (None) the page as it is.

    Pagefind takes ' and ’ alike but ʼ, the apostrophe Ukrainian spelling prescribes, as a
    letter: it is given as ’, and search.js does the same to what a reader types, so that
    "Кам'янське" finds the town however either side wrote it.
    """
    html = _filters_once(html.replace(MODIFIER_APOSTROPHE, "\u2019"))
    if language is None:
        return html
    return (f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8"></head>'
            f"<body>{what_pagefind_reads(html)}</body></html>\n")  # fmt: skip


MODIFIER_APOSTROPHE = "\u02bc"


def _filters_once(html: str) -> str:
    """``html`` with each filter's value given once: a search lists days, and Pagefind counts a
    value once for each time a page gives it, so a city named by five updates of a day would
    count five days in the search's filters. The chips stay; the repeated ones filter nothing."""
    seen: set[tuple[str, str]] = set()

    def once(match: re.Match[str]) -> str:
        value = (match["name"], match["text"])
        if value in seen:
            return match["rest"]
        seen.add(value)
        return match[0]

    return _FILTER.sub(once, html)


# A chip (``fragments.entry_block``): its filter's name, the rest of its tag, and its text, the value.
_FILTER = re.compile(r' data-pagefind-filter="(?P<name>[^"]*)"(?P<rest>[^>]*>(?P<text>[^<]*)</a>)')


def _write_manifest(root: Path, shards: list[int]) -> None:
    (root / MANIFEST).write_text(json.dumps([f"{number}/" for number in shards]) + "\n", "utf-8")


def _inputs_digest(pages: list[IndexedPage], language: str) -> str:
    # This module's code too: it rewrites what Pagefind writes (_make_reproducible).
    digest = hashlib.sha256(f"{_pagefind_version()}\0{language}\0".encode() + Path(__file__).read_bytes())
    for url, html, fingerprint in pages:
        digest.update(f"\0{url}\0{fingerprint or 'html'}\0{'' if fingerprint else _text(html)}".encode())
    return digest.hexdigest()


def _text(html: Any) -> str:
    if isinstance(html, str):
        return html
    return html.decode("utf-8") if isinstance(html, bytes) else html.html


def _pagefind_version() -> str:
    try:
        return "extended " + metadata.version("pagefind-bin-extended")
    except metadata.PackageNotFoundError:
        return "unknown"


def index_site(site_dir: Path) -> None:
    """Write the search index of the finished site in ``site_dir`` to ``site_dir/pagefind/``."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise SearchIndexError(f"cannot index {site_dir}: no such directory")
    pages = []
    for path in sorted(site_dir.glob("*/**/index.html")):  # not the home page: it repeats the latest day
        url = path.parent.relative_to(site_dir).as_posix() + "/"
        html = path.read_text("utf-8")
        if "data-pagefind-body" in html:
            pages.append((url, html))
    IndexJob(pages, "", documents=True).finish(site_dir)


@contextmanager
def _on_processor(processor: int | None) -> Iterator[None]:
    """This process (and so what it starts meanwhile) on ``processor`` alone, if one is named.

    Not a ``preexec_fn``: with one, Python forks the whole process to start a program
    rather than share its memory until the program runs (vfork).
    """
    if processor is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {processor})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


# --- reproducible filter indexes ------------------------------------------------------
#
# Pagefind's index files are gzip("pagefind_dcd" + CBOR). A language's metadata file,
# pagefind.<hash>.pf_meta, is [version, pages, index chunks, filters, sorts, meta
# fields], filters being [[filter name, file hash], ...]; each filter/<hash>.pf_filter
# is [filter name, [[value, [page numbers]], ...]]. File names are only references
# (the hashes are not checked when read), so sorted files are renamed after their
# content and the references updated: filter files in the metadata, the metadata in
# pagefind-entry.json.

_SIGNATURE = b"pagefind_dcd"


def _make_reproducible(files: dict[str, bytes]) -> None:
    """Sort a bundle's filter indexes (``files``, by path in the bundle) and name them and its metadata after their content."""
    entry_text = files["pagefind-entry.json"].decode("utf-8")
    for language in json.loads(entry_text)["languages"].values():
        meta_hash = language["hash"]
        meta_name = f"pagefind.{meta_hash}.pf_meta"
        meta = _decode(files.pop(meta_name), meta_name)
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
            raise SearchIndexError(f"{meta_name}: not the metadata layout of Pagefind 1.5 (see requirements.txt)")
        filters = []
        for name, file_hash in meta[3]:
            path = f"filter/{file_hash}.pf_filter"
            filter_name, values = _decode(files.pop(path), path)
            # Pagefind's search box writes a filter's values as HTML, and Pagefind reads a name's
            # "&lt;" as "<": each value is made HTML text here, so a name shows as written, never as markup.
            values = [[html_escape(value[0], quote=False), *value[1:]] for value in values]
            data = _pack([filter_name, sorted(values, key=lambda value: value[0])])
            filters.append([name, _name(files, "filter/" + _prefix(file_hash), ".pf_filter", data, 7).removeprefix("filter/")])
        meta[3] = sorted(filters)
        new_hash = _name(files, "pagefind." + _prefix(meta_hash), ".pf_meta", _pack(meta), 10)
        entry_text = entry_text.replace(f'"{meta_hash}"', f'"{new_hash.removeprefix("pagefind.")}"')
    files["pagefind-entry.json"] = entry_text.encode("utf-8")


def _prefix(file_hash: str) -> str:
    """The language part of a Pagefind file hash: 'en_6a4ec85' -> 'en_'."""
    return file_hash[: file_hash.index("_") + 1] if "_" in file_hash else ""


def _read(path: Path):  # noqa: ANN202 - CBOR data
    return _decode(path.read_bytes(), str(path))


def _decode(data: bytes, where: str):  # noqa: ANN202 - CBOR data
    data = gzip.decompress(data)
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{where}: not a Pagefind index file")
    try:
        return cbor2.loads(data[len(_SIGNATURE) :])
    except cbor2.CBORDecodeError as exc:
        raise SearchIndexError(f"{where}: not a Pagefind index file ({exc})") from None


def _pack(value) -> bytes:  # noqa: ANN001 - CBOR data
    # Canonical CBOR: the shortest form of every item, so equal data gives equal bytes.
    return gzip.compress(_SIGNATURE + cbor2.dumps(value, canonical=True), compresslevel=9, mtime=0)


def _name(files: dict[str, bytes], prefix: str, suffix: str, data: bytes, digits: int) -> str:
    """Put ``data`` in ``files`` under a name made from its content; return the name without suffix."""
    name = prefix + hashlib.sha256(data).hexdigest()[:digits]
    files[name + suffix] = data
    return name
