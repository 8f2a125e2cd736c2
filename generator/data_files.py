"""The open data files of a build (``open_data``): made beside the pages, kept in the cache.

At 20,000 entries the files hold 200 MB, and every edit changes all but the
GeoJSON. So a build keeps its files in the cache's ``open-data/`` folder, with an
index of where each day's lines are in the NDJSON and CSV files and which rowids
its entries have in the SQLite file. The next build makes again only the days
whose records changed (each day's key digests what its records show, and a day
the snapshot kept keeps its key unread, as page keys do): the NDJSON and CSV
files are the kept days' lines, copied by the kernel, and the new days' lines;
the SQLite file is a copy of the last one with the changed entries deleted and
inserted again (``open_data.patch_sqlite``).

The site never shares a file with the cache: the build copies each file into a
work folder of its own, and the site takes it from there (``Exports.place``), so
a later build's writes to the cache, or damage to it, never reach a published
site. The cache's files are named by their fingerprints and never rewritten; the
sealed index (``storage.write_sealed``) says which are current, with each one's
signature as written (inode, size, times: ``storage.file_signature``, as the
output store's index keeps its buckets'); a file that does not match, changed or
gone since, is made again with a warning, never used. (Reading 200 MB to check
them would cost more than the rest of a rebuild's open data.)

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
from .cache import Caches
from .cache.fingerprint import code_fingerprint
from .cache.output_store import digest
from .cache.page_keys import EntryInputs
from .cache.storage import (
    DamagedCacheFile, cache_folder, file_signature, notice, notice_damage, read_sealed, take_notices, write_sealed,
)  # fmt: skip
from .model import Archive, Day
from .parallel import WORTH_FORKING, fork_call
from .problems import Problem
from .site_folders import release, work_folder

FOLDER = "open-data"  # in the cache folder
INDEX = "index.pickle"
NAMES = open_data.FILES
# By name in the snapshot's keys (``page_keys.Keys``): the part every day's key shares, and each day's.
BASE = "open data"
# From this many entries, a rebuild patches the last SQLite file rather than make it whole.
PATCH_FROM = 1000
# The child that makes the files on a large archive yields the cores to the build's own
# work: it is waited for only once the pages are rendered.
CHILD_NICENESS = 10
# Published files are readable by a web server running as anyone (mkstemp makes them private).
PUBLISHED = 0o644


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


@dataclass(frozen=True)
class Made:
    files: tuple[DataFile, ...]  # in ``NAMES`` order
    # What the manifest's check (``data_check``) found in them, and the files as checked:
    # inode, size and modification time, which a move into the site keeps.
    problems: tuple[str, ...] = ()
    checked: tuple[tuple[int, int, int], ...] = ()
    warnings: tuple[Problem, ...] = ()  # about the cache, from a forked child


class Exports:
    """The data files, under way (in a forked child on a large archive) until ``finish``.

    ``keys``: each day's key, for the snapshot (``Caches.keep``). The files are made in
    a work folder this process holds; ``place`` moves them into the site.
    """

    def __init__(self, plan: Plan, keys: dict[str, tuple], cache: Path | None, read: bool) -> None:
        self.plan, self.keys = plan, keys
        self.work = work_folder("briefings-data-")  # locked by this process: made here, not in the child
        weakref.finalize(self, _drop, self.work)
        parent = os.getpid()

        def run() -> Made:
            if os.getpid() == parent:  # no fork, or the child failed: here, its notices are this process's
                return make(plan, self.work, cache, read)
            take_notices()  # the parent's, which it tells itself
            os.nice(CHILD_NICENESS)
            made = make(plan, self.work, cache, read)
            return replace(made, warnings=take_notices())

        self._result: Callable[[], Made] = fork_call(run) if len(plan.archive.entries) >= WORTH_FORKING else run
        self._files: tuple[DataFile, ...] | None = None
        self._made = Made(())

    @property
    def paths(self) -> tuple[str, ...]:
        """Where the files go in the site."""
        return tuple(open_data.FOLDER + name for name in NAMES)

    def __enter__(self) -> "Exports":
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if kind is not None and issubclass(kind, Exception):
            self.abandon()

    def abandon(self) -> None:
        """After a failure: the files are not needed, but the work on them ends before the build
        does, so that no later build finds it writing the cache."""
        with suppress(Exception):
            self.finish()
        _drop(self.work)

    def finish(self) -> tuple[DataFile, ...]:
        """The files, once made (waiting for them if need be)."""
        if self._files is None:
            made = self._result()
            for warning in made.warnings:  # the child's: told with this process's own
                notice(Path(warning.path), warning.message)
            self._files, self._made = made.files, made
        return self._files

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
        placed = [os.stat(site_dir / file.path) for file in self.finish()]
        if [(s.st_ino, s.st_size, s.st_mtime_ns) for s in placed] == list(self._made.checked):
            _CHECKED[str(site_dir)] = (self.plan.archive, tuple(map(file_signature, placed)), self._made.problems)


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


def start(archive: Archive, caches: Caches) -> Exports:
    """Start making the archive's data files, through the cache folder of ``caches`` if it has one."""
    keys = day_keys(archive, caches.known_keys())
    days = tuple(keys[_day_name(day)][2] for day in archive.days)
    plan = Plan(archive, keys[BASE][2], days, fingerprints(archive, keys[BASE][2], days))
    return Exports(plan, keys, caches.folder, read=not caches.clean)


def day_keys(archive: Archive, known: dict[str, tuple] | None) -> dict[str, tuple]:
    """Each day's key (in ``page_keys.Keys`` form): a digest of everything its records show.

    A record shows its entry (its source digest determines every field) and the
    names of its cities and people; every key shares the code and the settings. A
    day the snapshot kept (the very ``Day`` the last build keyed), under the same
    base, keeps its key unread.
    """
    keys: dict[str, tuple] = {BASE: (None, (), digest(BASE, code_fingerprint(), sqlite3.sqlite_version, archive.settings))}
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

# A day's lines in the NDJSON and the CSV file (offset, length, offset, length), its
# date (as an ordinal) and how many entries it has, which give their rowids in the SQLite file.
Span = tuple[int, int, int, int, int, int]
Signature = tuple[int, int, int, int]  # inode, size, modification and change times: any write changes it


@dataclass
class _Kept:
    """What the cache's index says it holds, of the files found intact."""

    files: dict[str, tuple[str, str, int, Signature]] = field(default_factory=dict)  # by name: file, fingerprint, size, signature
    days: dict[str, Span] = field(default_factory=dict)  # by day key

    def path(self, folder: Path, name: str) -> Path | None:
        found = self.files.get(name)
        return None if found is None else folder / found[0]


def make(plan: Plan, work: Path, cache: Path | None, read: bool) -> Made:
    """Make the files in ``work``, through the cache's folder in ``cache`` if there is one."""
    folder = None if cache is None else cache_folder(cache / FOLDER)
    kept = _open(folder, plan) if folder is not None and read else _Kept()
    made = _Making(plan, folder or work, kept).all()
    files = []
    for name in NAMES:
        if folder is None:
            os.replace(made.paths[name], work / name)
        else:
            shutil.copyfile(made.paths[name], work / name)  # a copy: the site never shares a file with the cache
        os.chmod(work / name, PUBLISHED)
        files.append(DataFile(open_data.FOLDER + name, made.files[name][2], plan.fingerprints[name], str(work / name)))
    if folder is not None and (made.files != kept.files or made.days != kept.days):
        _keep(folder, made)
    from .data_check import check_folder  # which reads this module's

    problems = tuple(check_folder(plan.archive, work))
    status = [os.stat(work / name) for name in NAMES]
    return Made(tuple(files), problems, tuple((s.st_ino, s.st_size, s.st_mtime_ns) for s in status))


def _open(folder: Path, plan: Plan) -> _Kept:
    """The index of ``folder`` and the files it names that are intact; those that are not are noticed."""
    try:
        index = pickle.loads(read_sealed(folder / INDEX))
    except (OSError, DamagedCacheFile, pickle.UnpicklingError, EOFError, ValueError):
        return _Kept()  # missing (a first build) or damaged (noticed): every file is made whole
    if not isinstance(index, dict) or index.get("base") != plan.base:
        return _Kept()  # other code, an other SQLite or other settings
    kept = _Kept(days=index["days"])
    for name, (file, fingerprint, size, signed) in index["files"].items():
        if _signature(folder / file) == signed:
            kept.files[name] = (file, fingerprint, size, signed)
        else:
            notice_damage(folder / file)
    return kept


def _signature(path: Path) -> Signature | None:
    """What tells the file at ``path`` from any other version of it (``storage.file_signature``)."""
    try:
        return file_signature(os.stat(path))
    except OSError:
        return None


@dataclass
class _Made:
    paths: dict[str, Path] = field(default_factory=dict)  # by name: the current file
    files: dict[str, tuple[str, str, int, Signature]] = field(default_factory=dict)  # for the index
    days: dict[str, Span] = field(default_factory=dict)
    base: str = ""


class _Making:
    """The files of ``plan`` made in ``folder``, from what ``kept`` holds there where it can."""

    def __init__(self, plan: Plan, folder: Path, kept: _Kept) -> None:
        self.plan, self.folder, self.kept = plan, folder, kept
        self.made = _Made(base=plan.base)

    def all(self) -> _Made:
        archive, plan = self.plan.archive, self.plan
        self.made.days = self._records()
        self._sqlite()
        self._file(open_data.GEOJSON, lambda path: path.write_bytes(open_data.geojson(archive)))
        self._file(open_data.SCHEMA, lambda path: path.write_bytes(open_data.schema_document(archive.settings.site_url)))
        assert set(self.made.paths) == set(NAMES), plan.fingerprints
        return self.made

    def _current(self, name: str) -> bool:
        """Whether the kept file ``name`` is the one to publish; if so it is taken as it is."""
        found = self.kept.files.get(name)
        if found is None or found[1] != self.plan.fingerprints[name]:
            return False
        self.made.paths[name] = self.folder / found[0]
        self.made.files[name] = found
        return True

    def _file(self, name: str, write: Callable[[Path], None]) -> None:
        if not self._current(name):
            self._replace(name, write)

    def _replace(self, name: str, write: Callable[[Path], None]) -> Path:
        """``write(temporary)``, a new file in the folder, which then takes its name by fingerprint."""
        path = self.folder / _stored_name(name, self.plan.fingerprints[name])
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}-")
        os.close(handle)
        try:
            write(Path(temporary))
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
        self._made(name, path)
        return path

    def _made(self, name: str, path: Path) -> None:
        signed = _signature(path)
        assert signed is not None, path  # just written
        self.made.paths[name] = path
        self.made.files[name] = (path.name, self.plan.fingerprints[name], signed[1], signed)

    def _records(self) -> dict[str, Span]:
        """The NDJSON and CSV files, day by day: a kept day's lines copied, the others' made."""
        names = (open_data.NDJSON, open_data.CSV)
        kept = self.kept.days if all(self.kept.path(self.folder, name) for name in names) else {}
        if all(map(self._current, names)) and all(key in kept for key in self.plan.days):
            return {key: kept[key] for key in self.plan.days}
        archive, days = self.plan.archive, {}
        with ExitStack() as stack:
            sources = [_opened(stack, self.kept.path(self.folder, name)) if kept else -1 for name in names]
            outs = [stack.enter_context(_Output(self.folder, name, self.plan.fingerprints[name])) for name in names]
            outs[1].write(open_data.csv_header())
            for day, key in zip(archive.days, self.plan.days):
                span = kept.get(key)
                if span is not None and min(sources) >= 0:
                    starts = (outs[0].copy(sources[0], span[0], span[1]), outs[1].copy(sources[1], span[2], span[3]))
                else:
                    made = open_data.chunk(archive, day.entries)
                    starts = (outs[0].write(made.ndjson), outs[1].write(made.csv))
                days[key] = (starts[0], outs[0].size - starts[0], starts[1], outs[1].size - starts[1], day.date.toordinal(), len(day.entries))
            for name, out in zip(names, outs):
                self._made(name, out.close())
        return days

    def _sqlite(self) -> None:
        """The SQLite file: the kept one patched with the days that changed, or made whole."""
        kept, days = self.kept, self.made.days
        if self._current(open_data.SQLITE):
            return
        last = kept.path(self.folder, open_data.SQLITE)
        if last is not None and len(self.plan.archive.entries) >= PATCH_FROM:
            gone = [rowid for key in kept.days if key not in days for rowid in _rowids(kept.days[key])]
            added = [key for key in self.plan.days if key not in kept.days]
            self._replace(open_data.SQLITE, lambda path: self._patched(last, path, gone, added))
        else:
            self._replace(open_data.SQLITE, self._whole)

    def _mapped(self) -> mmap.mmap | bytes:
        """The NDJSON file just made, read where it is (mapped)."""
        path = self.made.paths[open_data.NDJSON]
        with open(path, "rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if path.stat().st_size else b""

    def _whole(self, path: Path) -> None:
        data = self._mapped()
        lines = open_data.record_lines(data)
        open_data.write_sqlite(path, self.plan.archive, open_data.sqlite_rows(self.plan.archive, lines))
        del lines  # the views into the map, before it is closed
        if isinstance(data, mmap.mmap):
            data.close()

    def _patched(self, last: Path, path: Path, gone: list[int], added: list[str]) -> None:
        shutil.copyfile(last, path)
        data, rows = self._mapped(), []
        for key in added:
            start, length = self.made.days[key][:2]
            rows += zip(_rowids(self.made.days[key]), open_data.record_lines(data[start : start + length]))
        open_data.patch_sqlite(path, self.plan.archive, gone, rows)
        if isinstance(data, mmap.mmap):
            data.close()


def _rowids(span: Span) -> list[int]:
    return open_data.day_rowids(date.fromordinal(span[4]), span[5])


def _stored_name(name: str, fingerprint: str) -> str:
    stem, dot, suffix = name.partition(".")
    return f"{stem}-{fingerprint[:20]}{dot}{suffix}"


def _keep(folder: Path, made: _Made) -> None:
    """Write the index of what ``folder`` now holds, then remove every other file of it."""
    index = {"base": made.base, "files": made.files, "days": made.days}
    write_sealed(folder / INDEX, pickle.dumps(index, protocol=5))
    current = {INDEX, *(file for file, *_ in made.files.values())}
    for path in folder.iterdir():
        if path.name not in current:
            path.unlink(missing_ok=True)


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
    """A file of the cache's folder written through a temporary one, named by its fingerprint at ``close``.

    Runs of bytes copied from another file are copied by the kernel, at once where
    they follow each other: at 20,000 entries a rebuild copies 100 MB.
    """

    def __init__(self, folder: Path, name: str, fingerprint: str) -> None:
        self.path = folder / _stored_name(name, fingerprint)
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
        os.close(self.descriptor)
        self.descriptor = -1
        os.replace(self.temporary, self.path)
        self.temporary = ""
        return self.path
