"""Files the build keeps: written atomically, shared between builds by hard links,
and caches split into buckets so that a small change rewrites a small file.

A reader (or the next build) sees a whole file or the previous one, never half
of one. Nothing the build writes is ever rewritten in place (pages, search
bundles and cached copies are replaced whole), so sharing a file between site
trees, or a tree and the cache, is safe; where the file system cannot link
(another device), the file is copied.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import shutil
import tempfile
import zlib
from pathlib import Path
from typing import Callable, Generic, Hashable, Mapping, TypeVar


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """``target`` as a hard link to ``source``, or a copy where linking is not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_tree(source: Path, target: Path) -> None:
    """A copy of the tree ``source`` at ``target``, made of hard links where possible."""
    shutil.copytree(source, target, copy_function=link_or_copy)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# What this process has unpickled, by path, with the file's signature at the time. The
# build replaces cache files whole (write_atomically), never in place: a file with the
# same signature holds the same bytes. A long-running process (``briefings serve``)
# then takes from memory every bucket the last build did not rewrite.
_UNPICKLED: dict[str, tuple[tuple[int, int, int, int], object]] = {}


def read_pickle(path: Path) -> object:
    """The unpickled contents of ``path``, unpickled again only when the file was replaced.

    Callers must not change what they get: a later build in this process may get it too.
    """
    status = os.stat(path)
    signature = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    found = _UNPICKLED.get(str(path))
    if found is not None and found[0] == signature:
        return found[1]
    value = pickle.loads(path.read_bytes())
    _UNPICKLED[str(path)] = (signature, value)
    return value


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class PickleBuckets(Generic[K, V]):
    """A dict kept in ``folder`` as ``BUCKETS`` pickle files, each ``(stamp, items)``.

    One big pickle would be written whole after every edit: at 20,000 entries,
    most of a second. A key's bucket comes from ``name(key)``, so an edit
    rewrites the few buckets of what it changed. A bucket with another
    ``stamp`` (other code or settings) or one that cannot be read counts as empty.
    """

    BUCKETS = 128

    def __init__(
        self, folder: Path, stamp: str, name: Callable[[K], str], *, read: bool = True, reducers: Mapping[type, Callable] | None = None
    ) -> None:
        """``reducers``: how to pickle values of some types (a pickler's ``dispatch_table``)."""
        self.folder, self.stamp, self._name = folder, stamp, name
        self._reducers = {**copyreg.dispatch_table, **(reducers or {})}
        self.items: dict[K, V] = {}
        self._stored: list[set[K]] = [set() for _ in range(self.BUCKETS)]
        for number in range(self.BUCKETS) if read else ():
            self._read_bucket(number)

    def _read_bucket(self, number: int) -> None:
        """Take in bucket ``number`` as stored."""
        try:
            stamp_stored, items = read_pickle(self._file(number))  # type: ignore[misc]
        except Exception:  # noqa: BLE001 - a missing or damaged bucket is only a slower build
            return
        if stamp_stored == self.stamp:
            self.items.update(items)
            self._stored[number] = set(items)

    def save(self, current: Mapping[K, V]) -> bool:
        """Store exactly ``current``, writing only the buckets whose keys changed (True: some were).

        Keys name their values (a key is a digest of its inputs), so a bucket
        with the same keys holds the same values and stays as it is.
        """
        groups: list[dict[K, V]] = [{} for _ in range(self.BUCKETS)]
        for key, value in current.items():
            groups[self.number(key)][key] = value
        changed = False
        for number, group in enumerate(groups):
            if group.keys() != self._stored[number]:
                written = self._written(group)
                self.write(number, written)
                self._stored[number] = set(written)
                changed = True
        return changed

    def _written(self, group: dict[K, V]) -> dict[K, V]:
        return group

    def empty(self, number: int) -> bool:
        """Whether bucket ``number`` holds nothing this store may keep (none stored, or not read)."""
        return not self._stored[number]

    def write(self, number: int, items: dict[K, V]) -> bytes:
        """Write bucket ``number`` as holding exactly ``items``, and return its bytes.

        ``save`` writes through it, and so may a forked worker that made every value of
        an empty bucket: the process that owns the store then ``adopt``s the bytes, which
        it unpickles for the values anyway, and ``save`` has nothing left to pickle there.
        """
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=5)
        pickler.dispatch_table = self._reducers
        pickler.dump((self.stamp, items))
        data = out.getvalue()
        write_atomically(self._file(number), data)
        return data

    def adopt(self, number: int, data: bytes) -> dict[K, V]:
        """The items of bucket ``number`` as a worker wrote it (``write``), now held by this store."""
        _, items = pickle.loads(data)
        self.items.update(items)
        self._stored[number] = set(items)
        return items

    def number(self, key: K) -> int:
        """The bucket that holds ``key``."""
        return zlib.crc32(self._name(key).encode()) % self.BUCKETS

    def _file(self, number: int) -> Path:
        return self.folder / f"{number:02d}.pickle"


# A value a build keeps in a LazyBuckets store without having read it.
STORED = object()


class LazyBuckets(PickleBuckets[K, V]):
    """``PickleBuckets`` whose buckets are read only when one of their values is.

    Opening reads the keys alone, from an index beside the buckets: a rebuild
    that uses a few of many stored values reads the few buckets that hold them.
    A build keeps a stored value it has not read by passing ``STORED`` for it to
    ``save``, which reads its bucket only if that bucket must be written again.
    """

    INDEX = "index.pickle"
    # Small buckets: a rebuild asks for a few hundred scattered values (the lines of a busy
    # entity's first page), and each one read costs its whole bucket.
    BUCKETS = 2048

    def __init__(self, folder: Path, stamp: str, name: Callable[[K], str], *, read: bool = True) -> None:
        super().__init__(folder, stamp, name, read=False)
        self.keys: set[K] = set()
        self._read: set[int] = set()
        try:
            stamp_stored, index = read_pickle(folder / self.INDEX) if read else (None, {})  # type: ignore[misc]
        except Exception:  # noqa: BLE001 - a missing or damaged index: nothing is stored
            return
        if stamp_stored == stamp:
            for number, keys in index.items():
                self._stored[number] = set(keys)
                self.keys.update(keys)

    def get(self, key: K) -> V | None:
        """The stored value of ``key``, reading its bucket if need be (None: not stored)."""
        if key not in self.keys:
            return None
        number = self.number(key)
        if number not in self._read:
            self._read.add(number)
            try:
                stamp_stored, items = read_pickle(self._file(number))  # type: ignore[misc]
            except Exception:  # noqa: BLE001 - a missing or damaged bucket is only a slower build
                stamp_stored, items = None, {}
            if stamp_stored == self.stamp:
                self.items.update(items)
        return self.items.get(key)

    def _written(self, group: dict[K, V]) -> dict[K, V]:
        # A kept value is read only here, when its bucket must be written again.
        values = {key: self.get(key) if value is STORED else value for key, value in group.items()}
        return {key: value for key, value in values.items() if value is not None}

    def save(self, current: Mapping[K, V]) -> bool:
        """``PickleBuckets.save``, where ``STORED`` stands for the value kept under its key; then the index."""
        if not super().save(current) and (self.folder / self.INDEX).is_file():
            return False
        index = {number: tuple(keys) for number, keys in enumerate(self._stored) if keys}
        write_atomically(self.folder / self.INDEX, pickle.dumps((self.stamp, index), protocol=5))
        return True
