"""Content digests of entry files, read again only when a file may have changed.

Reading and hashing every file of a large archive at each rebuild would cost
more than the rest of a rebuild after one edit. A file whose size, modification and change times and
inode are what they were when it was last hashed still holds the same bytes:
any write sets its change time to the clock's time, which no one can set back.
As in Git's index, a signature is only trusted when it was taken after the
file had been left alone for a while: a write in the same clock tick as the
hashing could otherwise leave the signature as it was.

A file not known unchanged is digested by the worker that reads it, from the
bytes it parses (``entry_cache.read_results``): a first or clean build reads each
file once, and no longer hashes 20,000 files on one core before the workers start.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from functools import partial
from pathlib import Path
from typing import Callable, Sequence

from ..parallel import WORTH_FORKING, fork_call
from .storage import read_pickle, write_sealed

# A file changed less than this long before it was hashed is hashed again next time.
SETTLED_NS = 2_000_000_000

Signature = tuple[int, int, int, int]  # size, mtime, ctime, inode


class FileDigests:
    """SHA-256 digests of files by path, with the signature each was taken at."""

    FILE = "digests.pickle"

    def __init__(self, folder: Path, stamp: str, *, read: bool = True) -> None:
        self.path = folder / self.FILE
        self.stamp = stamp
        self.started = time.time_ns()
        self.reads = 0  # files hashed by this run
        self._known: dict[str, tuple[Signature, str]] = {}
        self._now: dict[str, tuple[Signature, str]] = {}
        self._prefetched: Callable[[], dict[str, bool]] | None = None
        self._answered: dict[str, bool] = {}  # by name: whether the prefetched signature is unchanged
        if read:
            try:
                stored_stamp, known = read_pickle(self.path)  # type: ignore[misc]
            except Exception:  # noqa: BLE001 - a missing or damaged file: every file is hashed
                return
            if stored_stamp == stamp:
                self._known = known

    def prefetch(self, files: Sequence[tuple[str, str]]) -> None:
        """Start comparing the signatures of ``files`` (path, name) in a forked child.

        The child stats the files while this process reads the rest of the cache back. ``known`` then
        takes the child's answers for these files.
        """
        if self._known and len(files) >= WORTH_FORKING:
            same = fork_call(partial(_unchanged, self._known, files))
            self._prefetched = lambda: dict(zip((name for _, name in files), map(bool, same())))

    def known(self, path: str | Path, name: str | None = None) -> str | None:
        """The stored digest of ``path`` if its signature is unchanged; else None: read it and ``record`` it.

        ``name`` is what the file is known by (``path`` itself by default): the
        signature's inode tells one file from another of the same name.
        """
        name = str(path) if name is None else name
        known = self._known.get(name)
        if known is None:
            return None
        same = self._answers().get(name)
        if same is None:  # not among the files prefetched
            same = _same(path, known[0])
        if not same:
            return None
        self._now[name] = known
        return known[1]

    def unchanged(self) -> dict[str, str]:
        """The stored digest of every prefetched file whose signature is unchanged, by name:
        ``known`` for a whole archive at once. Empty where nothing was prefetched."""
        found = {name: self._known[name] for name, same in self._answers().items() if same}
        self._now.update(found)
        return {name: signed[1] for name, signed in found.items()}

    def _answers(self) -> dict[str, bool]:
        if self._prefetched is not None:
            self._answered, self._prefetched = self._prefetched(), None
        return self._answered

    def record(self, name: str, signed: Signature, digest: str) -> None:
        """The ``digest`` of the bytes of the file known as ``name``, read when its signature was ``signed``."""
        self.reads += 1
        _, modified, changed, _ = signed
        if max(modified, changed) < self.started - SETTLED_NS:
            self._now[name] = (signed, digest)

    @property
    def changed(self) -> bool:
        return self.reads > 0 or self._now.keys() != self._known.keys()

    def save(self) -> None:
        write_sealed(self.path, pickle.dumps((self.stamp, self._now), protocol=5))


def _unchanged(known: dict[str, tuple[Signature, str]], files: Sequence[tuple[str, str]]) -> bytes:
    """For each of ``files``, 1 if its signature is the one ``known``, else 0."""
    return bytes(name in known and _same(path, known[name][0]) for path, name in files)


def _same(path: str | Path, signed: Signature) -> bool:
    try:
        return signature(os.stat(path)) == signed
    except OSError:
        return False


def signature(status: os.stat_result) -> Signature:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def file_digest(path: str | Path) -> str:
    try:
        with open(path, "rb") as handle:
            return bytes_digest(handle.read())
    except OSError:
        return ""


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
