"""The search index: Pagefind over the day pages, written to ``pagefind/`` in the site.

Pagefind splits an index into chunks, so what a reader downloads to run a search
stays about the same however large the archive grows. Only entries are indexed:
``fragments.entry_block`` marks each entry ``data-pagefind-body`` (so the theme's
chrome, day navigation and entity pages stay out), its heading carries an id for
per-entry results, and its city and person chips are Pagefind filters.

The days are dealt into ``SHARDS`` bundles by date (``pagefind/0/`` ...), which the
search merges in the browser (Pagefind's multisite search; the merged bundles share
the first one's engine, so a search downloads little more). An edit changes one
day, so a rebuild re-indexes one shard and takes the others from the cache.
``pagefind/bundles.json`` lists the bundles for ``theme/assets/javascripts/search.js``.

The binary comes with the ``pagefind-bin`` package installed beside this one; it
is never downloaded at run time.

Pagefind 1.5 writes its filter indexes in hash-map order, which changes from run to
run; ``_make_reproducible`` sorts them and renames the files after their content,
so the same site always gets the same index, byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, NamedTuple

try:
    import fcntl
except ImportError:  # not on a POSIX system: every build writes its own stand-ins
    fcntl = None  # type: ignore[assignment]

import cbor2

from . import urls
from .fragments import UNSEARCHED
from .parallel import Forked, fork_work, usable_cores, usable_processors
from .site_folders import discard, prune_empty_folders, work_folder
from .cache.storage import cache_folder, link_tree, seal_tree, tree_intact
from .problems import BriefingsError

BUNDLE_DIR = "pagefind"
MANIFEST = "bundles.json"
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
    """The Pagefind binary shipped by the installed ``pagefind-bin`` package."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError(
            "the pagefind-bin package is not installed (pip install -r requirements.txt): "
            "it provides the Pagefind binary that builds the search index"
        ) from None
    try:
        return get_executable()
    except FileNotFoundError as exc:
        raise SearchIndexError(f"the pagefind-bin package has no Pagefind binary: {exc}") from None


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
    leaving it out halves what is written and read. It skips an entry's permalink
    and sources (``fragments.UNSEARCHED``): leaving them out too took an eighth off
    Pagefind's time, for the same index.
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
    cached: Path | None = None  # the same bundle, from an earlier build


class IndexJob:
    """Pagefind indexing the day pages while MkDocs writes the site, on the other core.

    The index depends only on what Pagefind reads: the ``data-pagefind-body``
    entries, the page's first <h1> and its language. Those are known before
    MkDocs runs, so Pagefind reads them from small stand-in pages at the same
    paths and the bundles are moved into the site once both are done.

    With a ``cache_dir``, each shard's bundle is kept there under the digest of its
    inputs, and a shard whose pages did not change is taken from it (unless not
    ``read``: a clean build). With ``documents``, the pages are whole HTML documents
    (a finished site's) and are indexed as they are, in their own language.
    """

    def __init__(
        self,
        pages: Iterable[IndexedPage | tuple[str, str]],
        language: str,
        *,
        cache_dir: Path | None = None,
        read: bool = True,
        documents: bool = False,
    ) -> None:
        self.language = language
        # A cache folder that cannot be made (a file in its place) is done without, with a warning.
        self._cache = None if cache_dir is None else cache_folder(Path(cache_dir) / "search")
        self._stand_ins = None if cache_dir is None else cache_folder(Path(cache_dir) / "search-pages")
        self._work = work_folder("briefings-index-")  # a killed build's is removed by the next one
        self._shards: list[_Shard] = []
        self._indexing: Forked | None = None
        groups: dict[int, list[IndexedPage]] = {}
        for page in sorted(IndexedPage(*page) for page in pages):
            groups.setdefault(shard_of(page.url), []).append(page)
        for number, members in sorted(groups.items()):
            shard = _Shard(number, _inputs_digest(members, language))
            shard.cached = self._cached(shard.key) if read else None
            self._shards.append(shard)
        fresh = [(shard, groups[shard.number]) for shard in self._shards if shard.cached is None]
        if not fresh:
            return

        def index() -> None:
            self._index(fresh, None if documents else language)

        # A forked child writes the stand-ins and runs Pagefind, at a lower priority than
        # the build (which has more to do), in a process group that cancel() can stop whole.
        try:
            nice = PAGEFIND_NICENESS if len(fresh) > 1 else 0
            self._indexing = fork_work(index, group=True, nice=nice)
            if self._indexing is None:
                index()
        except BaseException:
            self.cancel()
            raise

    def _index(self, fresh: list[tuple[_Shard, list[IndexedPage]]], language: str | None) -> None:
        """Index the ``fresh`` shards into their bundles, and keep each bundle in the cache."""
        with _stand_in_folder(self._stand_ins, self._work) as stand_ins:
            self._index_in(stand_ins, fresh, language)

    def _index_in(self, stand_ins: Path, fresh: list[tuple[_Shard, list[IndexedPage]]], language: str | None) -> None:
        running: deque[tuple[_Shard, subprocess.Popen]] = deque()
        # Each Pagefind process holds its bundle's index in memory (45 MB for a sixteenth of
        # 20,000 entries): sixteen at once took 700 MB beside the build, for no less time.
        processors = usable_processors()
        at_once = max(2, usable_cores())
        try:
            for number, (shard, members) in enumerate(fresh):  # each shard starts as soon as its pages are written...
                _write_pages(stand_ins / str(shard.number), members, language)
                if len(running) >= at_once:  # ...and a processor is free: the first one started's
                    self._done(*running.popleft())
                # Several shards: each process stays on one processor (its threads hand work to
                # each other: on one processor that took an eighth less CPU). One shard (a
                # rebuild) is the build's longer way, and may use every processor.
                processor = processors[number % len(processors)] if len(fresh) > 1 and processors else None
                running.append((shard, _start(stand_ins / str(shard.number), self._bundle(shard), processor)))
            while running:
                self._done(*running.popleft())
        finally:
            for _, process in running:
                if process.poll() is None:
                    process.kill()
                    process.wait()

    def _done(self, shard: _Shard, process: subprocess.Popen) -> None:
        _finish(process, self._bundle(shard))
        self._keep(shard)

    @property
    def reused(self) -> tuple[int, ...]:
        """The shards taken from the cache rather than indexed again."""
        return tuple(shard.number for shard in self._shards if shard.cached is not None)

    def finish(self, site_dir: Path) -> None:
        """Wait for Pagefind and put every shard's bundle and the manifest in ``site_dir/pagefind/``."""
        root = Path(site_dir) / BUNDLE_DIR
        root.mkdir(parents=True, exist_ok=True)
        try:
            why = None if self._indexing is None else self._indexing.wait()
            if why is not None:
                raise SearchIndexError(why)
            for shard in self._shards:
                if shard.cached is not None:
                    link_tree(shard.cached, root / str(shard.number))
                else:
                    shutil.move(str(self._bundle(shard)), str(root / str(shard.number)))
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
        if self._cache is None:
            return None
        bundle = self._cache / key
        return bundle if (bundle / "pagefind-entry.json").is_file() and tree_intact(bundle) else None

    def _keep(self, shard: _Shard) -> None:
        """Put a copy of a fresh shard's bundle in the cache (hard links: no bytes copied)."""
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
            link_tree(self._bundle(shard), partial / shard.key)
            seal_tree(partial / shard.key)  # a damaged copy is never taken (_cached)
            if self._cached(shard.key) is None:
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


@contextmanager
def _stand_in_folder(kept: Path | None, work: Path) -> Iterator[Path]:
    """Where the stand-in pages are written: ``kept`` from build to build, if it can be.

    Rewriting a file keeps its inode. On ext4 without a journal, making a new one is
    slow where many were just deleted (it skips every inode freed in the last minute):
    writing and deleting a clean build's 800 stand-ins and their folders each time took
    about half a second of CPU. A build that finds the folder in use (another build on
    the same cache) or cannot write there writes its own in ``work``.
    """
    lock = None if kept is None else _locked(kept)
    try:
        yield work if lock is None else kept
    finally:
        if lock is not None:
            lock.close()


def _locked(folder: Path) -> BinaryIO | None:
    """``folder``'s lock file, opened and locked by this process; None if in use or not to be made."""
    if fcntl is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / ".lock", "wb")  # noqa: SIM115 - the caller closes it
    except OSError:
        return None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        return None
    return lock


def _write_pages(site: Path, pages: list[IndexedPage], language: str | None) -> None:
    """The pages at their URLs under ``site``: stand-ins around each body in ``language``, or as they are.

    Whatever else ``site`` holds (the pages of an earlier build that are gone since) is deleted.
    """
    written: set[str] = set()
    for url, html, _ in pages:
        path = site / url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        html = _text(html)
        if language is not None:
            html = (f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8"></head>'
                    f"<body>{what_pagefind_reads(html)}</body></html>\n")  # fmt: skip
        _overwrite(path, html.encode("utf-8"))
        written.add(str(path))
    for folder, _, files in os.walk(site):
        for name in files:
            if os.path.join(folder, name) not in written:
                os.unlink(os.path.join(folder, name))
    prune_empty_folders(site)


def _overwrite(path: Path, data: bytes) -> None:
    """``path`` holding ``data``, written over its old bytes rather than truncated first.

    A stand-in is mostly rewritten with the same bytes: freeing a file's blocks and
    taking new ones (a truncating open) made writing the 800 stand-ins of a clean
    build take ten times as long. Only Pagefind, started afterwards, reads them.
    """
    handle = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        with os.fdopen(handle, "wb", closefd=False) as out:
            out.write(data)
        os.ftruncate(handle, len(data))
    finally:
        os.close(handle)


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
        return metadata.version("pagefind-bin")
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


def _start(site: Path, bundle: Path, processor: int | None = None) -> subprocess.Popen:
    command = [
        str(pagefind_executable()),
        "--site", str(site),
        "--output-path", str(bundle),
        "--quiet",
    ]  # fmt: skip
    # Pagefind's async runtime starts a worker thread per core. The shards already run as
    # processes side by side, beside MkDocs, and the extra threads mostly wait busily:
    # with one each, four shards of a 20,000-entry archive took a third less CPU.
    environment = {**os.environ, "TOKIO_WORKER_THREADS": "1"}
    try:
        with _on_processor(processor):
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
    except OSError as exc:
        raise SearchIndexError(f"could not run Pagefind ({command[0]}): {exc}") from None
    return process


def _finish(process: subprocess.Popen, bundle: Path) -> None:
    """Wait for Pagefind, check it wrote an index, and make the index reproducible."""
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_S} s") from None
    if process.returncode != 0:
        raise SearchIndexError(f"Pagefind failed (exit {process.returncode}):\n{output.strip()}")
    if not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind wrote no index into {bundle}:\n{output.strip()}")
    _make_reproducible(bundle)


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


def _make_reproducible(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text("utf-8")
    for language in json.loads(entry_text)["languages"].values():
        meta_hash = language["hash"]
        meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
        meta = _read(meta_path)
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
            raise SearchIndexError(f"{meta_path}: not the metadata layout of Pagefind 1.5 (see requirements.txt)")
        filters = []
        for name, file_hash in meta[3]:
            path = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(path)
            data = _pack([filter_name, sorted(values, key=lambda value: value[0])])
            path.unlink()
            filters.append([name, _write(bundle / "filter", _prefix(file_hash), ".pf_filter", data, 7)])
        meta[3] = sorted(filters)
        meta_path.unlink()
        new_hash = _write(bundle, "pagefind." + _prefix(meta_hash), ".pf_meta", _pack(meta), 10)
        entry_text = entry_text.replace(f'"{meta_hash}"', f'"{new_hash.removeprefix("pagefind.")}"')
    entry_path.write_text(entry_text, "utf-8")


def _prefix(file_hash: str) -> str:
    """The language part of a Pagefind file hash: 'en_6a4ec85' -> 'en_'."""
    return file_hash[: file_hash.index("_") + 1] if "_" in file_hash else ""


def _read(path: Path):  # noqa: ANN202 - CBOR data
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind index file")
    try:
        return cbor2.loads(data[len(_SIGNATURE) :])
    except cbor2.CBORDecodeError as exc:
        raise SearchIndexError(f"{path}: not a Pagefind index file ({exc})") from None


def _pack(value) -> bytes:  # noqa: ANN001 - CBOR data
    # Canonical CBOR: the shortest form of every item, so equal data gives equal bytes.
    return gzip.compress(_SIGNATURE + cbor2.dumps(value, canonical=True), compresslevel=9, mtime=0)


def _write(directory: Path, prefix: str, suffix: str, data: bytes, digits: int) -> str:
    """Write ``data`` under a name made from its content; return the name without suffix."""
    name = prefix + hashlib.sha256(data).hexdigest()[:digits]
    (directory / (name + suffix)).write_bytes(data)
    return name
