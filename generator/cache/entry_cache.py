"""Reading every entry file through the entry cache, on both cores on large archives.

A file's entry and problems depend only on its bytes, its place in the content
folder, the site's time zone and the generator's own code, so they are cached
under that key (the name it is shown by is set again on the way out): a rebuild
after one edit reads one file. Files not found in the cache are read by forked
worker processes (``parallel.fork_map``), which digest the bytes they parse:
parsing and rendering are CPU-bound.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

from ..entries import EntryReader, content_place, content_prefix
from ..model import Entry
from .. import progress
from ..parallel import WORTH_FORKING, batches, fork_map, later
from ..problems import ProblemLog
from ..reading import Result, read_one
from ..settings import Settings
from .file_digests import FileDigests, Signature, bytes_digest, file_digest, signature
from .fingerprint import code_fingerprint
from .pickling import ZONE_REDUCERS
from .storage import LazyBuckets


class EntryCache:
    """Read results by (path, content digest), for one code and time zone, kept between builds."""

    def __init__(self, folder: Path, stamp: str, digests: FileDigests, *, read: bool = True) -> None:
        self.digests = digests
        # Bucketed by path: an edited file's new result replaces its old one in the same bucket.
        # Opening reads the keys alone: ``serve``, which holds the last build's results, reads no
        # bucket, and a build reads them all (``all_results``) only for a snapshot kept on disk.
        self._store: _ResultBuckets = _ResultBuckets(folder, stamp, itemgetter(0), read=read, reducers=ZONE_REDUCERS)
        self.folder = folder

    @classmethod
    def open(
        cls, cache_dir: Path, settings: Settings, *, read: bool = True, paths: Sequence[str] = (), content_dir: Path | None = None
    ) -> "EntryCache":
        """The cache in ``cache_dir``; ``paths``, in ``content_dir``, are the entry files the build will read.

        Their signatures are compared in a forked child (``FileDigests.prefetch``) while
        the results are read back, the slower part.
        """
        digests = FileDigests(cache_dir / "entries", entry_stamp(settings), read=read)
        if content_dir is not None:
            prefix = content_prefix(content_dir)
            digests.prefetch([(path, content_place(path, content_dir, prefix)) for path in paths])
        return cls(cache_dir / "entries", entry_stamp(settings), digests, read=read)

    def get(self, key: tuple[str, str]) -> Result | None:
        """The stored result of the file at ``key`` (place, digest of its bytes); None if there is none."""
        return self._store.get(key)

    def all_results(self) -> dict[tuple[str, str], Result]:
        """Every stored result, by key."""
        return self._store.read_all()

    def holds_exactly(self, keys: Iterable[tuple[str, str]]) -> bool:
        """Whether the stored results are those of ``keys``, no more, no fewer."""
        return self._store.keys == set(keys)

    def save(self, current: dict[tuple[str, str], Result]) -> None:
        """Keep the results of this run only, so removed files leave the cache."""
        self._store.save(current)

    def empty_buckets(self, places: dict[str, str]) -> tuple[dict[int, list[str]], list[str]]:
        """The files (path: place in the content folder) whose bucket holds nothing yet, by
        bucket, as in a clean or first build; and the others."""
        empty: dict[int, list[str]] = {}
        others = []
        for path, place in places.items():
            number = self._store.number((place, ""))  # by place alone (see __init__)
            if self._store.empty(number):
                empty.setdefault(number, []).append(path)
            else:
                others.append(path)
        return empty, others

    def write_bucket(self, number: int, results: dict[tuple[str, str], Result]) -> bytes | None:
        """Write bucket ``number`` as holding ``results`` (in a worker); its bytes, for ``adopt_bucket``,
        or None if it could not be written."""
        try:
            return self._store.write(number, results)
        except OSError:
            return None

    def adopt_bucket(self, number: int, data: bytes) -> dict[tuple[str, str], Result]:
        """The results of a bucket a worker wrote, now among this cache's results."""
        return self._store.adopt(number, data)


def entry_stamp(settings: Settings) -> str:
    """What the entry cache holds results for: the reading code and the time zone."""
    return f"{code_fingerprint()}:{settings.timezone}"
def replay(paths: list[str], results: dict[str, Kept], log: ProblemLog) -> list[Entry]:
    """The entries of ``paths`` in order, their files' problems told to ``log``."""
    entries = []
    for path in paths:
        entry, problems = results[path][1]
        log.replay(problems)
        if entry is not None:
            entries.append(entry)
    return entries


# What a run read of a file: (its place in the content folder, the digest of its bytes), or
# None where it was read without a cache or could not be read; and the result.
Kept = tuple[tuple[str, str] | None, Result]


def read_results(paths: list[str], content_dir: Path, settings: Settings, cache: EntryCache | None = None) -> dict[str, Kept]:
    """What reading each of ``paths`` gave, by path.

    The cache knows a file by its place in the content folder, however the folder
    is named: ``briefings build`` (``content``) and MkDocs (an absolute path) share it.
    """
    results: dict[str, Kept] = {}
    missing = []
    prefix = content_prefix(content_dir)
    known = None if cache is None else cache.digests.known
    for path in paths:
        place = content_place(path, content_dir, prefix)
        digest = None if known is None else known(path, place)
        found = None if digest is None or cache is None else cache.get((place, digest))
        if found is None:
            missing.append(path)
            continue
        if found[0] is None or found[0].path != path:
            found = as_named(found, path)
        results[path] = ((place, digest), found)  # type: ignore[assignment] - digest is set with a cache
    # Files not known unchanged are read once, by the workers, which digest their bytes too.
    places = {path: content_place(path, content_dir, prefix) for path in missing}
    results.update(_read_missing(places, content_dir, settings, None if cache is None else cache.digests, cache))
    if cache is not None:
        keep_results(cache, results, changed=bool(missing))
    return results


def reread(
    last: dict[str, Kept], paths: list[str], content_dir: Path, settings: Settings, digests: FileDigests
) -> tuple[dict[str, Kept], list[str]]:
    """What reading each of ``paths`` gives, taken from ``last`` (what a previous run read,
    by path) for each file whose digest is unchanged; and the paths whose results changed,
    the files gone since included."""
    sure, known = digests.unchanged(), digests.known
    results: dict[str, Kept] = {}
    places = {}
    for path in paths:
        kept = last.get(path)
        key = None if kept is None else kept[0]
        if key is not None and (sure.get(key[0]) or known(path, key[0])) == key[1]:
            results[path] = kept  # type: ignore[assignment]
        else:
            places[path] = content_place(path, content_dir)
    changed = [path for path in last if path not in results and path not in places]  # removed
    for path, kept in _read_missing(places, content_dir, settings, digests).items():
        before = last.get(path)
        if before is not None and kept[0] is not None and kept[0] == before[0]:
            kept = before  # read again (its signature had not settled), the same bytes: the same entry
        else:
            changed.append(path)
        results[path] = kept
    return results, changed


def _read_missing(
    places: dict[str, str], content_dir: Path, settings: Settings, digests: FileDigests | None, cache: EntryCache | None = None
) -> dict[str, Kept]:
    """What reading the files (path: place in the content folder) gives, their digests recorded in ``digests``."""
    read: dict[str, Kept] = {}
    for path, (result, how) in zip(places, _read_all(places, content_dir, settings, cache)):
        key = None
        if digests is not None and how is not None:
            place, (signed, digest) = places[path], how
            digests.record(place, signed, digest)
            key = (place, digest)
        read[path] = (key, result)
    return read


def as_named(result: Result, path: str) -> Result:
    """A cached result with its file named as this run names it."""
    entry, problems = result
    shown = entry.path if entry is not None else next((problem.path for problem in problems), path)
    if shown == path:
        return result
    renamed = tuple(dataclasses.replace(p, path=path) if p.path == shown else p for p in problems)
    return (None if entry is None else entry.named(path)), renamed


def keep_results(
    cache: EntryCache, results: dict[str, Kept], *, changed: bool, saves: list[Callable[[], None]] | None = None
) -> None:
    """Save this run's results and digests in the background, unless the stored cache is current already.

    The forked child compares them with the cache too, not the build. With ``saves``,
    the saving is left to the caller, which runs it with saves of its own.
    """
    save = partial(_save_results, cache, results, changed=changed)
    if saves is None:
        later(save, str(cache.folder))
    else:
        saves.append(save)


def _save_results(cache: EntryCache, results: dict[str, Kept], *, changed: bool) -> None:
    current = {key: result for key, result in results.values() if key is not None}
    if changed or not cache.holds_exactly(current):
        cache.save(current)
    if cache.digests.changed:
        cache.digests.save()
# The signature of a file as read and the digest of its bytes; None if it could not be read.
Read = tuple[Signature, str] | None


def _read_all(
    places: dict[str, str], content_dir: Path, settings: Settings, cache: EntryCache | None = None
) -> list[tuple[Result, Read]]:
    """Each file's result and how it was read, in the order of ``places`` (path: place in the content folder).

    With a cache, a worker that reads every file of an empty cache bucket (a clean or
    first build) writes the bucket itself and hands its bytes back: the build unpickles
    them for the results, and saving the cache has nothing left to pickle for it.
    """
    reader = EntryReader(settings, ProblemLog())
    paths = list(places)
    parallel = len(paths) >= WORTH_FORKING
    empty, others = cache.empty_buckets(places) if cache is not None and parallel else ({}, paths)
    units = [(None, batch) for batch in batches(others)] + sorted(empty.items())

    def read(unit: tuple[int | None, list[str]]) -> list[tuple[Result, Read]] | _Bucket:
        number, batch = unit
        done = [_read_digested(reader, path, content_dir) for path in batch]
        if number is None or cache is None:
            return done
        kept = {(places[path], how[1]): result for path, (result, how) in zip(batch, done) if how is not None}
        data = cache.write_bucket(number, kept)
        if data is None:
            return done  # the bucket waits for the build's own save, which says why it failed
        unread = {path: result for path, (result, how) in zip(batch, done) if how is None}
        return _Bucket(data, [how for _, how in done], unread)

    found: dict[str, tuple[Result, Read]] = {}
    reading = progress.stage("reading entries", len(paths))
    for (number, batch), done in zip(units, fork_map(read, units, parallel=parallel, each=lambda unit: reading.advance(len(unit[1])))):
        if isinstance(done, _Bucket):
            assert cache is not None and number is not None  # only they make buckets
            kept = cache.adopt_bucket(number, done.data)
            done = [
                (done.unread[path] if how is None else kept[(places[path], how[1])], how)
                for path, how in zip(batch, done.reads)
            ]
        found.update(zip(batch, done))
    return [found[path] for path in paths]


class _Bucket(NamedTuple):
    """A cache bucket a worker wrote, with how it read each of its files."""

    data: bytes  # the bucket's bytes: the results of the files read, by key
    reads: list[Read]  # for each file; None: it could not be read, and its result is in ``unread``
    unread: dict[str, Result]


def _read_digested(reader: EntryReader, path: str, content_dir: Path) -> tuple[Result, Read]:
    """The file's entry and problems, and how it was read, for the digest store."""
    entry, problems, _, file = read_one(reader, path, content_dir)
    if file is None:
        return (entry, problems), None
    digest = file_digest(path) if file.data is None else bytes_digest(file.data)
    return (entry, problems), (signature(file.status), digest)


class _ResultBuckets(LazyBuckets[tuple[str, str], Result]):
    # Big buckets: a build that reads them reads them all, and 100,000 results in small
    # files would cost a file each for a few hundred results.
    BUCKETS = 128
    # A first build's workers write the buckets they read whole (``_read_all``): a build
    # stopped before it saved the index leaves them for the next.
    READ_UNLISTED = True
