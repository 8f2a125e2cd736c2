"""The last build's reading, grouping and page keys, kept so that the next build patches them.

At 20,000 entries, a rebuild after one edit spent most of its time on the whole
archive: checking every file against the entry cache, grouping 20,000 entries into
days and entities again, and the keys of every page group. The snapshot holds what
the last build read of each file (its key in the entry cache), the archive it made
and the keys of its pages and feeds (``page_keys.Keys``). The next build reads again
only the files whose digests changed, patches the archive with them
(``archive.patch_archive``), grouping the whole archive only where a patch cannot
decide, and makes keys only for the days and entities the patch replaced: the
others are the very objects the keys name, with what was found of them before (an
entity's updates by month, a day's last change: ``model``'s cached properties).
``briefings serve`` keeps the snapshot in memory between its rebuilds.

On disk, it names its entries by their numbers among those of the entry cache,
which holds them already: saving it pickles the structure alone. A snapshot whose
entries are no longer all in the entry cache is not used.

A snapshot answers for one reading code, time zone, settings, registries,
grouping code and way of naming the content folder: its stamp. It is saved (in
the background, with the entry cache) by the builds that read the caches, not by
``--clean`` ones, which would spend the CPU when both cores are busy; the first
build after one saves it.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from array import array
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO, Callable

from .. import progress
from ..archive import build_archive, patch_archive
from ..entries import content_prefix
from ..model import Archive, Entry
from ..parallel import later
from ..problems import Problem, ProblemLog
from ..reading import Result
from .entry_cache import EntryCache, Kept, as_named, entry_stamp, keep_results, read_results, replay, reread
from ..registry import Registry
from ..settings import Settings
from .storage import read_sealed, write_sealed

FOLDER = "archive"
FILE = "snapshot.pickle"


@dataclass(frozen=True)
class Snapshot:
    """What one build read, grouped and rendered."""

    stamp: str
    files: dict[str, Kept]  # by path, as that build named it
    archive: Archive
    problems: tuple[Problem, ...]  # what grouping found: warnings (an error stops the build)
    # The keys of the pages and feeds (``page_keys.Keys``): in the same pickle as the archive,
    # so that the days and entities they name are the archive's own objects.
    keys: dict[str, tuple] = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """Every entry file read, through the snapshot where there is one."""

    entries: list[Entry]  # in path order, drafts included
    results: dict[str, Kept]
    last: Snapshot | None
    changed: list[str]  # the paths whose results are not the snapshot's, removed ones too (all, without one)
    stamp: str
    clean: bool
    saves: list[Callable[[], None]]  # the caches' saving, left to ``keep``


@dataclass(frozen=True)
class Grouped:
    """The snapshot of a build, before its pages' keys are known; ``keep`` keeps it."""

    snapshot: Snapshot
    reading: Reading

    @property
    def changed(self) -> bool:
        """Whether the files or the archive differ from the last snapshot's."""
        return self.snapshot is not self.reading.last


# The snapshot this process made last, by file: ``serve`` does not read back what it wrote.
_MADE: dict[str, Snapshot] = {}


def read_all(
    paths: list[str],
    content_dir: Path,
    settings: Settings,
    registries: dict[str, Registry],
    log: ProblemLog,
    cache_dir: Path,
    *,
    clean: bool,
) -> Reading:
    """Every file of ``paths`` read (their problems told to ``log``), from the last snapshot if it is current."""
    progress.stage("reading the caches")
    stamp = snapshot_stamp(settings, registries, content_dir)
    cache = EntryCache.open(cache_dir, settings, read=not clean, paths=paths, content_dir=content_dir)
    last = None if clean else _open(cache_dir, stamp, cache)
    if last is None:
        results = read_results(paths, content_dir, settings, cache)
        return Reading(replay(paths, results, log), results, None, list(paths), stamp, clean, [])
    results, changed = reread(last.files, paths, content_dir, settings, cache.digests)
    saves: list[Callable[[], None]] = []  # run with the snapshot's own, in one forked child
    keep_results(cache, results, changed=bool(changed), saves=saves)
    return Reading(replay(paths, results, log), results, last, changed, stamp, clean, saves)


def group(reading: Reading, registries: dict[str, Registry], settings: Settings, log: ProblemLog) -> Grouped:
    """The archive of ``reading``: the snapshot's, patched or built whole; its problems told to ``log``."""
    last = reading.last
    if last is not None and not reading.changed:
        log.replay(last.problems)
        return Grouped(last, reading)
    archive = None
    if last is not None:
        archive = _patched(last, reading, registries)
        problems = last.problems
    if archive is None:
        grouping = ProblemLog()
        archive = build_archive(reading.entries, registries, settings, grouping)
        problems = grouping.problems
    log.replay(problems)
    return Grouped(Snapshot(reading.stamp, reading.results, archive, problems), reading)


def keep(grouped: Grouped, keys: dict[str, tuple], cache_dir: Path) -> None:
    """Keep the snapshot of a build that succeeded, with its pages' ``keys``, for the next build.

    Its files are saved in the background, with the entry cache's, and only if they changed.
    """
    snapshot, path, saves = grouped.snapshot, cache_dir / FOLDER / FILE, list(grouped.reading.saves)
    if grouped.reading.clean:
        _MADE.pop(str(path), None)  # what is kept in memory is what is saved
    else:
        if grouped.changed or _digests(keys) != _digests(snapshot.keys):
            snapshot = replace(snapshot, keys=keys)
            saves.append(partial(_save, snapshot, path))
        _MADE[str(path)] = snapshot
    if saves:  # one forked child for all of them, not one a file
        later(partial(_run_all, saves), str(cache_dir))


def _run_all(saves: list[Callable[[], None]]) -> None:
    for save in saves:
        save()


def known_keys(grouped: Grouped | None) -> dict[str, tuple] | None:
    """The keys of the last build's pages, where this build's archive was patched from its archive."""
    return None if grouped is None or grouped.reading.last is None else grouped.reading.last.keys


def _digests(keys: dict[str, tuple]) -> dict[str, str]:
    return {name: value[-1] for name, value in keys.items()}


def _patched(last: Snapshot, reading: Reading, registries: dict[str, Registry]) -> Archive | None:
    """The snapshot's archive with the files read again (or removed) since; None: group it whole."""
    before, after = last.files, reading.results
    removed = [entry for entry in (_entry(before.get(path)) for path in reading.changed) if entry is not None]
    added = [entry for entry in (_entry(after.get(path)) for path in reading.changed) if entry is not None]
    return patch_archive(last.archive, removed, added, registries)


def _entry(kept: Kept | None) -> Entry | None:
    return None if kept is None else kept[1][0]


def snapshot_stamp(settings: Settings, registries: dict[str, Registry], content_dir: Path) -> str:
    """What a snapshot answers for (see the module's documentation)."""
    digest = hashlib.sha256(entry_stamp(settings).encode())
    digest.update(pickle.dumps((settings, registries, content_prefix(content_dir)), protocol=5))
    return digest.hexdigest()


def _open(cache_dir: Path, stamp: str, cache: EntryCache) -> Snapshot | None:
    """The snapshot kept in ``cache_dir``, if it answers for ``stamp``, its entries taken from ``cache``."""
    path = cache_dir / FOLDER / FILE
    made = _MADE.get(str(path))
    if made is not None and made.stamp == stamp:
        return made
    try:
        with io.BytesIO(read_sealed(path)) as stored:  # never unpickled if damaged
            if pickle.load(stored) != stamp:  # the stamp comes first: a stale snapshot is not unpickled
                return None
            keys = pickle.load(stored)
            files = _files(keys, cache.all_results())
            archive, problems, page_keys = _EntriesUnpickler(stored, _entries(files)).load()
    except Exception:  # noqa: BLE001 - a missing, damaged or outdated snapshot: the build reads and groups everything
        return None
    return Snapshot(stamp, files, archive, problems, page_keys)


def _files(keys: dict[str, tuple[str, str]], results: dict[tuple[str, str], Result]) -> dict[str, Kept]:
    """What each file read gave, by path, from its key in the entry cache (``keys``: by path)."""
    files: dict[str, Kept] = {}
    for path, key in keys.items():
        result = results[key]
        if result[0] is None or result[0].path != path:  # a cache another run wrote, naming files its way
            result = as_named(result, path)
        files[path] = (key, result)
    return files


def _save(snapshot: Snapshot, path: Path) -> None:
    """Write the snapshot, its entries as their keys in the entry cache (which is saved with it)."""
    out = io.BytesIO()
    pickle.dump(snapshot.stamp, out, protocol=5)
    pickle.dump({path: key for path, (key, _) in snapshot.files.items()}, out, protocol=5)
    _EntriesPickler(out, _entries(snapshot.files)).dump((snapshot.archive, snapshot.problems, snapshot.keys))
    write_sealed(path, out.getvalue())


def _entries(files: dict[str, Kept]) -> list[Entry]:
    """The entries of ``files``, in their order: a snapshot refers to them by their place in it."""
    return [result[0] for _, result in files.values() if result[0] is not None]


class _EntriesPickler(pickle.Pickler):
    """Pickles a tuple of entries (a day's, an entity's) as their numbers in ``_entries``' list.

    One number a reference: the entries are in the entry cache already, and one
    ``persistent_load`` a tuple rather than an entry keeps reading back 100,000
    references cheap.
    """

    def __init__(self, file: io.BytesIO, entries: list[Entry]) -> None:
        super().__init__(file, protocol=5)
        self._numbers = {id(entry): number for number, entry in enumerate(entries)}

    def persistent_id(self, obj: object) -> tuple[str, bytes] | None:
        if type(obj) is not tuple or not obj or type(obj[0]) is not Entry:
            return None
        numbers = list(map(self._numbers.get, map(id, obj)))
        return None if None in numbers else ("entries", array("I", numbers).tobytes())  # type: ignore[arg-type]


class _EntriesUnpickler(pickle.Unpickler):
    def __init__(self, file: BinaryIO, entries: list[Entry]) -> None:
        super().__init__(file)
        self._entries = entries

    def persistent_load(self, pid: tuple[str, bytes]) -> tuple[Entry, ...]:
        numbers = array("I")
        numbers.frombytes(pid[1])
        return tuple(map(self._entries.__getitem__, numbers))
