"""The open data files of a build (``open_data``): made beside the pages, from the site they replace.

At 20,000 entries the files hold 200 MB, and every edit changes all but the
GeoJSON. So after each build the cache's ``open-data/`` folder keeps an index of
the files just published: where each day's lines are in the NDJSON and CSV
files, and which rowids its entries have in the SQLite file. The next build makes
again only the days whose records changed (each day's key digests what its
records show, and a day the snapshot kept keeps its key unread, as page keys
do): the NDJSON and CSV files are the kept days' lines, copied by the kernel from
the published files, and the new days' lines; the SQLite file is a copy of the
published one with the changed entries deleted and inserted again
(``open_data.patch_sqlite``). A file whose fingerprint did not change is the
published one, linked.

A published file is read only if the previous site's record (``previous_site``)
says it is the one the index describes and still as it was written (inode, size,
times): a file changed since, by anyone, is made again, never trusted. The new
files are made in a work folder of this build's own and moved into the new site
(``Exports.place``); the published site is only ever read. The index is written
once the new site is in place (``Exports.keep``), so it always describes the
published files; a damaged index is noticed, and every file made whole.

Every file but the SQLite one is the same bytes, however it was made. A patched
SQLite file holds the same rows in every table as one made whole, but its pages
are laid out by the history of edits; below ``PATCH_FROM`` entries, where making
it costs less than copying it, it is always made whole.

On a large archive the files are made in a forked child while this process
renders the pages (``Exports.finish`` waits for them). The manifest's check of the
files (``data_check``) runs where they are made, on the very files the site then
takes; the build's check trusts what it found for files still as placed.
"""

from __future__ import annotations

import mmap
import os
import pickle
import shutil
import sqlite3
import tempfile
import weakref
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from . import open_data
from .autolink import EntryLinks
from .cache import Caches
from .cache.fingerprint import code_fingerprint
from .cache.output_store import digest
from .cache.page_keys import EntryInputs
from .data_check import check_folder
from .cache.storage import DamagedCacheFile, cache_folder, file_signature, link_or_copy, notice, read_sealed, take_notices, write_sealed
from .model import Archive, Day
from .parallel import WORTH_FORKING, fork_call
from .previous_site import PreviousSite
from .problems import Problem
from .site_folders import release, work_folder

FOLDER = "open-data"  # in the cache folder
INDEX = "index.pickle"
NAMES = open_data.FILES
# By name in the snapshot's keys (``page_keys.Keys``): the part every day's key shares, and each day's.
BASE = "open data"
# From this many entries, a rebuild patches the published SQLite file rather than make it whole.
PATCH_FROM = 1000
# The child that makes the files on a large archive yields the cores to the build's own
# work: it is waited for only once the pages are rendered.
CHILD_NICENESS = 10
# Published files are readable by a web server running as anyone (mkstemp makes them private).
PUBLISHED = 0o644

# A day's lines in the NDJSON and the CSV file (offset, length, offset, length), its
# date (as an ordinal) and how many entries it has, which give their rowids in the SQLite file.
Span = tuple[int, int, int, int, int, int]
Signature = tuple[int, int, int, int]  # inode, size, modification and change times: any write changes it


@dataclass(frozen=True)
class DataFile:
    """One file of ``/data/`` as a build made it."""

    path: str  # in the site: "data/entries.ndjson"
    size: int
    fingerprint: str  # a digest of what it is made from (for the SQLite file: its rows)
    source: str  # where the build made it, in its work folder; moved into the site

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Plan:
    """What the files are made from: the archive, and the keys that say what changed."""

    archive: Archive
    base: str
    days: tuple[str, ...]  # each day's key, in ``archive.days`` order
    fingerprints: dict[str, str]  # by file name
    links: EntryLinks  # where the records' links to entry files lead


@dataclass(frozen=True)
class Made:
    files: tuple[DataFile, ...]  # in ``NAMES`` order
    days: dict[str, Span] = field(default_factory=dict)  # by day key: where its lines are, for the index
    # What the manifest's check (``data_check``) found in them, and the files as checked:
    # inode, size and modification time, which a move into the site keeps.
    problems: tuple[str, ...] = ()
    checked: tuple[tuple[int, int, int], ...] = ()
    warnings: tuple[Problem, ...] = ()  # about the cache, from a forked child
    index_is_current: bool = False  # the cache's index already says all this


class Exports:
    """The data files, under way (in a forked child on a large archive) until ``finish``.

    ``keys``: each day's key, for the snapshot (``Caches.keep``). The files are made in
    a work folder this process holds; ``place`` moves them into the site, and once
    that site is published, ``keep`` indexes them in the cache for the next build.
    """

    def __init__(self, plan: Plan, keys: dict[str, tuple], cache: Path | None, previous: PreviousSite | None) -> None:
        self.plan, self.keys, self.cache = plan, keys, cache
        self.work = work_folder("briefings-data-")  # locked by this process: made here, not in the child
        weakref.finalize(self, _drop, self.work)
        parent = os.getpid()

        def run() -> Made:
            if os.getpid() == parent:  # no fork, or the child failed: here, its notices are this process's
                return make(plan, self.work, cache, previous)
            take_notices()  # the parent's, which it tells itself
            os.nice(CHILD_NICENESS)
            made = make(plan, self.work, cache, previous)
            return replace(made, warnings=take_notices())

        self._result: Callable[[], Made] = fork_call(run) if len(plan.archive.entries) >= WORTH_FORKING else run
        self._made: Made | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        """Where the files go in the site."""
        return tuple(open_data.FOLDER + name for name in NAMES)

    @property
    def fingerprints(self) -> dict[str, str]:
        """What each file is made from, by its path in the site (for ``previous_site.record``)."""
        return {open_data.FOLDER + name: self.plan.fingerprints[name] for name in NAMES}

    def __enter__(self) -> "Exports":
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if kind is not None and issubclass(kind, Exception):
            self.abandon()

    def abandon(self) -> None:
        """After a failure: the files are not needed, but the work on them ends before the build does."""
        with suppress(Exception):
            self.finish()
        _drop(self.work)

    def finish(self) -> tuple[DataFile, ...]:
        """The files, once made (waiting for them if need be)."""
        if self._made is None:
            made = self._result()
            for warning in made.warnings:  # the child's: told with this process's own
                notice(Path(warning.path), warning.message)
            self._made = made
        return self._made.files

    def place(self, site_dir: Path) -> None:
        """Move the files into ``site_dir`` (a copy where they are on another file system)."""
        folder = site_dir / open_data.FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for file in self.finish():
            try:
                os.replace(file.source, site_dir / file.path)
            except OSError:
                shutil.copyfile(file.source, site_dir / file.path)
        _drop(self.work)
        made = self._made
        assert made is not None  # finished above
        placed = [os.stat(site_dir / file.path) for file in made.files]
        if [(s.st_ino, s.st_size, s.st_mtime_ns) for s in placed] == list(made.checked):
            _CHECKED[str(site_dir)] = (self.plan.archive, tuple(map(file_signature, placed)), made.problems)

    def keep(self) -> None:
        """Once the site ``place`` filled is published: index its files in the cache for the next build.

        OSError if the index cannot be written (the next build then makes every file whole).
        """
        made = self._made
        if self.cache is None or made is None or made.index_is_current:
            return
        folder = cache_folder(self.cache / FOLDER)
        if folder is None:
            return  # noticed: the next build makes every file whole
        index = {"base": self.plan.base, "files": self.plan.fingerprints, "days": made.days}
        write_sealed(folder / INDEX, pickle.dumps(index, protocol=5))
        for path in folder.iterdir():  # what earlier versions kept here
            if path.name != INDEX:
                path.unlink(missing_ok=True)


# By site folder: the archive whose files ``place`` put there, their signatures as placed,
# and what the manifest's check found in them as they were made (``checked``).
_CHECKED: dict[str, tuple[Archive, tuple[Signature, ...], tuple[str, ...]]] = {}


def checked(archive: Archive, site_dir: Path) -> tuple[str, ...] | None:
    """What the manifest's check found in the data files of ``site_dir`` when they were made
    for ``archive``; None unless every file is still as it was placed there."""
    found = _CHECKED.pop(str(site_dir), None)
    if found is None or found[0] is not archive:
        return None
    now = tuple(_signature(site_dir / open_data.FOLDER / name) for name in NAMES)
    return found[2] if now == found[1] else None


def _drop(folder: Path) -> None:
    release(folder)
    shutil.rmtree(folder, ignore_errors=True)


def start(archive: Archive, caches: Caches, previous: PreviousSite | None = None, links: EntryLinks | None = None) -> Exports:
    """Start making the archive's data files, from those of ``previous`` (the site they will
    replace) where the cache of ``caches`` indexes them; ``links``: the build's, shared with the pages."""
    links = links or EntryLinks(archive)
    keys = day_keys(archive, caches.known_keys(), links)
    days = tuple(keys[_day_name(day)][2] for day in archive.days)
    plan = Plan(archive, keys[BASE][2], days, fingerprints(archive, keys[BASE][2], days), links)
    return Exports(plan, keys, caches.folder, None if caches.clean else previous)


def day_keys(archive: Archive, known: dict[str, tuple] | None, links: EntryLinks) -> dict[str, tuple]:
    """Each day's key (in ``page_keys.Keys`` form): a digest of everything its records show.

    A record shows its entry (its source digest determines every field) and the
    names of its cities and people; every key shares the code, the settings and where
    the links to entry files that their own places do not say lead (``links.moved``). A
    day the snapshot kept (the very ``Day`` the last build keyed), under the same
    base, keeps its key unread.
    """
    shared = digest(BASE, code_fingerprint(), sqlite3.sqlite_version, archive.settings, links.moved)
    keys: dict[str, tuple] = {BASE: (None, (), shared)}
    if known is not None and known.get(BASE) != keys[BASE]:
        known = None
    inputs = EntryInputs(archive)
    for day in archive.days:
        name = _day_name(day)
        was = None if known is None else known.get(name)
        if was is not None and was[0] is day:
            keys[name] = was
        else:
            keys[name] = (day, (), digest(keys[BASE][2], inputs.plain(day)))
    return keys


def _day_name(day: Day) -> str:
    return f"{BASE} {day.date.isoformat()}"


def fingerprints(archive: Archive, base: str, days: tuple[str, ...]) -> dict[str, str]:
    """What each file is made from, as a digest: the days' keys, and for the cities and
    people their registry entries, pages, counts and first and last mentions."""
    records = digest("records", base, days)
    entities = digest(
        base,
        [
            (e.kind, e.slug, e.name, e.info, e.aliases, len(e.entries), e.entries[0].published, e.entries[-1].published)
            for e in (*archive.cities, *archive.people)
        ],
    )
    return {
        open_data.NDJSON: digest(open_data.NDJSON, records),
        open_data.CSV: digest(open_data.CSV, records),
        open_data.SQLITE: digest(open_data.SQLITE, records, entities),
        open_data.GEOJSON: digest(open_data.GEOJSON, entities),
        open_data.SCHEMA: digest(open_data.SCHEMA, base),
    }


# Making the files ------------------------------------------------------------------------


@dataclass
class _Kept:
    """What the cache's index says of the published files, and those of them still as published."""

    fingerprints: dict[str, str] = field(default_factory=dict)  # by name, as indexed
    days: dict[str, Span] = field(default_factory=dict)  # by day key
    files: dict[str, Path] = field(default_factory=dict)  # by name: the published file, intact


def make(plan: Plan, work: Path, cache: Path | None, previous: PreviousSite | None) -> Made:
    """Make the files in ``work``, from the published ones of ``previous`` that the cache indexes."""
    kept = _open(cache / FOLDER, plan, previous) if cache is not None else _Kept()
    days = _Making(plan, work, kept).all()
    problems = tuple(check_folder(plan.archive, work))
    status = [os.stat(work / name) for name in NAMES]
    files = tuple(
        DataFile(open_data.FOLDER + name, s.st_size, plan.fingerprints[name], str(work / name)) for name, s in zip(NAMES, status)
    )
    current = kept.fingerprints == plan.fingerprints and kept.days == days
    return Made(files, days, problems, tuple((s.st_ino, s.st_size, s.st_mtime_ns) for s in status), index_is_current=current)


def _open(folder: Path, plan: Plan, previous: PreviousSite | None) -> _Kept:
    """The index in ``folder``, and the published files it describes that are still as published."""
    try:
        index = pickle.loads(read_sealed(folder / INDEX))
    except (OSError, DamagedCacheFile, pickle.UnpicklingError, EOFError, ValueError):
        return _Kept()  # missing (a first build) or damaged (noticed): every file is made whole
    if not isinstance(index, dict) or index.get("base") != plan.base:
        return _Kept()  # other code, an other SQLite or other settings
    kept = _Kept(index["files"], index["days"])
    for name, fingerprint in kept.fingerprints.items():
        published = None if previous is None else previous.unchanged(open_data.FOLDER + name, fingerprint)
        if published is not None:
            kept.files[name] = published
    return kept


def _signature(path: Path) -> Signature | None:
    """What tells the file at ``path`` from any other version of it (``storage.file_signature``)."""
    try:
        return file_signature(os.stat(path))
    except OSError:
        return None


class _Making:
    """The files of ``plan`` made in ``folder``, from the published files ``kept`` holds where it can."""

    def __init__(self, plan: Plan, folder: Path, kept: _Kept) -> None:
        self.plan, self.folder, self.kept = plan, folder, kept

    def all(self) -> dict[str, Span]:
        """Make every file; where each day's lines are in the NDJSON and CSV files."""
        archive = self.plan.archive
        days = self._records()
        self._sqlite(days)
        self._file(open_data.GEOJSON, lambda path: path.write_bytes(open_data.geojson(archive)))
        self._file(open_data.SCHEMA, lambda path: path.write_bytes(open_data.schema_document(archive.settings.site_url)))
        return days

    def _taken(self, name: str) -> bool:
        """Whether the published file ``name`` is the one to publish again; if so it is linked as it is."""
        published = self.kept.files.get(name)
        if published is None or self.kept.fingerprints[name] != self.plan.fingerprints[name]:
            return False
        link_or_copy(published, self.folder / name)
        return True

    def _file(self, name: str, write: Callable[[Path], None]) -> None:
        if not self._taken(name):
            self._write(name, write)

    def _write(self, name: str, write: Callable[[Path], None]) -> None:
        """``write(temporary)``, a new file in the folder, which then takes its name."""
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}-")
        os.close(handle)
        try:
            write(Path(temporary))
            os.chmod(temporary, PUBLISHED)
            os.replace(temporary, self.folder / name)
        finally:
            Path(temporary).unlink(missing_ok=True)

    def _records(self) -> dict[str, Span]:
        """The NDJSON and CSV files, day by day: a kept day's lines copied, the others' made."""
        names = (open_data.NDJSON, open_data.CSV)
        kept = self.kept.days if all(name in self.kept.files for name in names) else {}
        if all(map(self._taken, names)) and all(key in kept for key in self.plan.days):
            return {key: kept[key] for key in self.plan.days}
        archive, days = self.plan.archive, {}
        with ExitStack() as stack:
            sources = [_opened(stack, self.kept.files.get(name)) if kept else -1 for name in names]
            outs = [stack.enter_context(_Output(self.folder, name)) for name in names]
            outs[1].write(open_data.csv_header())
            for day, key in zip(archive.days, self.plan.days):
                span = kept.get(key)
                if span is not None and min(sources) >= 0:
                    starts = (outs[0].copy(sources[0], span[0], span[1]), outs[1].copy(sources[1], span[2], span[3]))
                else:
                    made = open_data.chunk(archive, day.entries, self.plan.links)
                    starts = (outs[0].write(made.ndjson), outs[1].write(made.csv))
                days[key] = (starts[0], outs[0].size - starts[0], starts[1], outs[1].size - starts[1], day.date.toordinal(), len(day.entries))
            for out in outs:
                out.close()
        return days

    def _sqlite(self, days: dict[str, Span]) -> None:
        """The SQLite file: the published one patched with the days that changed, or made whole."""
        if self._taken(open_data.SQLITE):
            return
        published = self.kept.files.get(open_data.SQLITE)
        if published is not None and len(self.plan.archive.entries) >= PATCH_FROM:
            kept = self.kept.days
            gone = [rowid for key in kept if key not in days for rowid in _rowids(kept[key])]
            added = [key for key in self.plan.days if key not in kept]
            self._write(open_data.SQLITE, lambda path: self._patched(published, path, days, gone, added))
        else:
            self._write(open_data.SQLITE, self._whole)

    def _mapped(self) -> mmap.mmap | bytes:
        """The NDJSON file just made, read where it is (mapped)."""
        path = self.folder / open_data.NDJSON
        with open(path, "rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if path.stat().st_size else b""

    def _whole(self, path: Path) -> None:
        data = self._mapped()
        lines = open_data.record_lines(data)
        open_data.write_sqlite(path, self.plan.archive, open_data.sqlite_rows(self.plan.archive, lines))
        del lines  # the views into the map, before it is closed
        if isinstance(data, mmap.mmap):
            data.close()

    def _patched(self, published: Path, path: Path, days: dict[str, Span], gone: list[int], added: list[str]) -> None:
        shutil.copyfile(published, path)
        data, rows = self._mapped(), []
        for key in added:
            start, length = days[key][:2]
            rows += zip(_rowids(days[key]), open_data.record_lines(data[start : start + length]))
        open_data.patch_sqlite(path, self.plan.archive, gone, rows)
        if isinstance(data, mmap.mmap):
            data.close()


def _rowids(span: Span) -> list[int]:
    return open_data.day_rowids(date.fromordinal(span[4]), span[5])


def _opened(stack: ExitStack, path: Path | None) -> int:
    """A file descriptor of ``path``, closed with ``stack``; -1 if there is no such file."""
    if path is None:
        return -1
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return -1
    stack.callback(os.close, descriptor)
    return descriptor


class _Output:
    """A file of the work folder written through a temporary one, which takes its name at ``close``.

    Runs of bytes copied from another file are copied by the kernel, at once where
    they follow each other: at 20,000 entries a rebuild copies 100 MB.
    """

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / name
        self.descriptor, self.temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        self.size = 0
        self._run: tuple[int, int, int] | None = None  # source, start, end

    def __enter__(self) -> "_Output":
        return self

    def __exit__(self, *_: Any) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)
        if self.temporary:
            Path(self.temporary).unlink(missing_ok=True)

    def write(self, data: bytes) -> int:
        self._flush()
        start, view = self.size, memoryview(data)
        while view:
            view = view[os.write(self.descriptor, view) :]
        self.size += len(data)
        return start

    def copy(self, source: int, offset: int, length: int) -> int:
        start = self.size
        if self._run is not None and self._run[0] == source and self._run[2] == offset:
            self._run = (source, self._run[1], offset + length)
        else:
            self._flush()
            self._run = (source, offset, offset + length)
        self.size += length
        return start

    def _flush(self) -> None:
        if self._run is None:
            return
        source, start, end = self._run
        self._run = None
        while start < end:
            try:
                copied = os.copy_file_range(source, self.descriptor, end - start, start)
            except OSError:  # another file system, or a kernel without it
                copied = os.write(self.descriptor, os.pread(source, min(end - start, 1 << 24), start))
            if not copied:
                raise OSError(f"{self.path}: the file to copy from ended early")
            start += copied

    def close(self) -> Path:
        self._flush()
        os.fchmod(self.descriptor, PUBLISHED)
        os.close(self.descriptor)
        self.descriptor = -1
        os.replace(self.temporary, self.path)
        self.temporary = ""
        return self.path
