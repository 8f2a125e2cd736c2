"""Content digests of entry files, read again only when a file may have changed.

Reading and hashing every file of a 20,000-entry archive takes a quarter of a
second of each rebuild. A file whose size, modification and change times and
inode are what they were when it was last hashed still holds the same bytes:
any write sets its change time to the clock's time, which no one can set back.
As in Git's index, a signature is only trusted when it was taken after the
file had been left alone for a while: a write in the same clock tick as the
hashing could otherwise leave the signature as it was.

A file not known unchanged is digested by the worker that reads it, from the
bytes it parses (``reading.read_entries``): a first or clean build reads each
file once, and no longer hashes 20,000 files on one core before the workers start.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path

from .storage import read_pickle, write_atomically

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
        if read:
            try:
                stored_stamp, known = read_pickle(self.path)  # type: ignore[misc]
            except Exception:  # noqa: BLE001 - a missing or damaged file: every file is hashed
                return
            if stored_stamp == stamp:
                self._known = known

    def known(self, path: str | Path, name: str | None = None) -> str | None:
        """The stored digest of ``path`` if its signature is unchanged; else None: read it and ``record`` it.

        ``name`` is what the file is known by (``path`` itself by default): the
        signature's inode tells one file from another of the same name.
        """
        name = str(path) if name is None else name
        known = self._known.get(name)
        if known is None:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        if known[0] != signature(status):
            return None
        self._now[name] = known
        return known[1]

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
        write_atomically(self.path, pickle.dumps((self.stamp, self._now), protocol=5))


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
