"""The last build's reading and grouping, kept so that the next build patches them.

At 20,000 entries, a rebuild after one edit spent half its time on the whole
archive: taking 20,000 results back out of the entry cache's buckets, and
grouping them into days and entities again. The snapshot holds what the last
build read of each file (by path, with the digest of its bytes) and the archive
it made. The next build reads again only the files whose digests changed,
patches the archive with them (``archive.patch_archive``), and groups the whole
archive only where a patch cannot decide. ``briefings serve`` keeps the
snapshot in memory between its rebuilds.

A snapshot answers for one reading code, time zone, settings, registries,
grouping code and way of naming the content folder: its stamp. It is saved
(in the background) by the builds that read the caches, not by ``--clean``
ones, which would spend the CPU when both cores are busy; the first build after
one saves it.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path

from .archive import build_archive, patch_archive
from .entries import content_place, content_prefix
from .model import Archive, Entry
from .parallel import later
from .problems import Problem, ProblemLog
from .reading import EntryCache, Kept, entry_stamp, read_results, replay, reread
from .registry import Registry
from .settings import Settings
from .storage import write_atomically

FOLDER = "archive"
FILE = "snapshot.pickle"
_GROUPING_CODE = ("archive.py", "archive_snapshot.py", "names.py", "registry.py", "settings.py")


@dataclass(frozen=True)
class Snapshot:
    """What one build read and grouped."""

    stamp: str
    files: dict[str, Kept]  # by path, as that build named it
    archive: Archive
    problems: tuple[Problem, ...]  # what grouping found: warnings (an error stops the build)


@dataclass(frozen=True)
class Reading:
    """Every entry file read, through the snapshot where there is one."""

    entries: list[Entry]  # in path order, drafts included
    results: dict[str, Kept]
    last: Snapshot | None
    changed: list[str]  # the paths read again, though the snapshot has some of them
    stamp: str
    content_dir: Path
    clean: bool


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
    stamp = snapshot_stamp(settings, registries, content_dir)
    digests = EntryCache.open_digests(cache_dir, settings, paths, content_dir, read=not clean)
    last = None if clean else _open(cache_dir, stamp)
    if last is None:
        cache = EntryCache.open(cache_dir, settings, read=not clean, digests=digests)
        results = read_results(paths, content_dir, settings, cache)
        return Reading(replay(paths, results, log), results, None, list(paths), stamp, content_dir, clean)
    results, changed = reread(last.files, paths, content_dir, settings, digests)
    if digests.changed:
        later(digests.save, str(digests.path))
    return Reading(replay(paths, results, log), results, last, changed, stamp, content_dir, clean)


def group(reading: Reading, registries: dict[str, Registry], settings: Settings, log: ProblemLog, cache_dir: Path) -> Archive:
    """The archive of ``reading``: the snapshot's, patched or built whole; its problems told to ``log``.

    Unless ``log`` has errors, this build's snapshot is kept for the next one.
    """
    last, results = reading.last, reading.results
    archive = None
    if last is not None:
        archive, problems = _patched(last, reading, registries)
    if archive is None:
        grouping = ProblemLog()
        archive = build_archive(reading.entries, registries, settings, grouping)
        problems = grouping.problems
    log.replay(problems)
    if log.has_errors():
        return archive
    unchanged = last is not None and not reading.changed and last.files.keys() == results.keys()
    snapshot = last if unchanged else Snapshot(reading.stamp, results, archive, problems)
    path = cache_dir / FOLDER / FILE
    _MADE[str(path)] = snapshot  # type: ignore[assignment] - last is set when unchanged
    if last is not None and not unchanged:  # the entry cache's buckets were not read: bring the few changed up to date
        places = {content_place(p, reading.content_dir) for p in reading.changed}
        places.update(key[0] for p, (key, _) in last.files.items() if key is not None and p not in results)
        later(partial(EntryCache.update, cache_dir, settings, results, places), str(cache_dir / "entries"))
    if not unchanged and not reading.clean:
        later(partial(_save, snapshot, path), str(path))
    return archive


def _patched(last: Snapshot, reading: Reading, registries: dict[str, Registry]) -> tuple[Archive | None, tuple[Problem, ...]]:
    """The snapshot's archive with the files read again (or removed) since."""
    before, after = last.files, reading.results
    changed = reading.changed + [path for path in before if path not in after]
    if not changed:
        return last.archive, last.problems
    removed = [entry for entry in (_entry(before.get(path)) for path in changed) if entry is not None]
    added = [entry for entry in (_entry(after.get(path)) for path in changed) if entry is not None]
    return patch_archive(last.archive, removed, added, registries), last.problems


def _entry(kept: Kept | None) -> Entry | None:
    return None if kept is None else kept[1][0]


def snapshot_stamp(settings: Settings, registries: dict[str, Registry], content_dir: Path) -> str:
    """What a snapshot answers for (see the module's documentation)."""
    digest = hashlib.sha256(entry_stamp(settings).encode())
    digest.update(pickle.dumps((settings, registries, content_prefix(content_dir)), protocol=5))
    package = resources.files("generator")
    for name in _GROUPING_CODE:
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()


def _open(cache_dir: Path, stamp: str) -> Snapshot | None:
    """The snapshot kept in ``cache_dir``, if it answers for ``stamp``."""
    path = cache_dir / FOLDER / FILE
    made = _MADE.get(str(path))
    if made is not None and made.stamp == stamp:
        return made
    try:
        with path.open("rb") as stored:
            if pickle.load(stored) != stamp:  # the stamp comes first: a stale snapshot is not unpickled
                return None
            snapshot = pickle.load(stored)
    except Exception:  # noqa: BLE001 - a missing or damaged snapshot: the build reads the entry cache
        return None
    return snapshot if isinstance(snapshot, Snapshot) and snapshot.stamp == stamp else None


def _save(snapshot: Snapshot, path: Path) -> None:
    write_atomically(path, pickle.dumps(snapshot.stamp, protocol=5) + pickle.dumps(snapshot, protocol=5))
