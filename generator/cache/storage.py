"""Files the build keeps: written atomically, shared between builds by hard links,
and caches split into buckets so that a small change rewrites a small file.

A reader (or the next build) sees a whole file or the previous one, never half
of one. Nothing the build writes is ever rewritten in place (pages, search
bundles and cached copies are replaced whole), so sharing a file between site
trees, or a tree and the cache, is safe; where the file system cannot link
(another device), the file is copied.

A cache is a hint, never a source of truth. Each cache file is sealed with its
length and checksum (``write_sealed``), and one that does not match its seal is
never unpickled: what it held is read and rendered again, and the build says so
(``take_notices``). A cache folder that cannot be made (a file in its place) or
a cache file that cannot be written costs time, never the build.
"""

from __future__ import annotations

import copyreg
import errno
import io
import os
import pickle
import shutil
import struct
import tempfile
import zlib
from contextlib import suppress
from pathlib import Path
from typing import Callable, Generic, Hashable, Mapping, TypeVar

from ..problems import Problem, Severity


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """``target`` as a hard link to ``source``, or a copy where linking is not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it and a rename."""
    _write_atomically(path, (data,))


def _write_atomically(path: Path, parts: tuple[bytes, ...]) -> None:
    _make_way(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                out.write(part)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _make_way(path: Path) -> None:
    """Take away what damage put where the cache file ``path`` goes: a folder in its place,
    or a file in its folder's. Both are the cache's own (the folder given for the cache
    is checked before a build starts), and what they held is made again."""
    if path.is_dir() and not path.is_symlink():
        notice_damage(path)
        shutil.rmtree(path)
    elif os.path.lexists(path.parent) and not path.parent.is_dir():
        notice(path.parent, _FILE_REMOVED)
        path.parent.unlink()


# --- sealed cache files -----------------------------------------------------------------

# A sealed file: this mark, the CRC-32 and the length of what follows, then the data.
# CRC-32 finds any damage short of a deliberate forgery, at several GB/s.
SEAL = b"briefings-cache\n"
_SEAL_FIELDS = struct.Struct("<IQ")
_SEALED_AT = len(SEAL) + _SEAL_FIELDS.size


class DamagedCacheFile(Exception):
    """A cache file whose bytes are not the ones written (``read_sealed``)."""


def write_sealed(path: Path, data: bytes) -> None:
    """``write_atomically`` with the seal ``read_sealed`` checks."""
    _write_atomically(path, (SEAL, _SEAL_FIELDS.pack(zlib.crc32(data), len(data)), data))


def read_sealed(path: Path, *, unsealed: bytes = b"\x80", part_of: Path | None = None) -> memoryview:
    """The data ``write_sealed`` wrote at ``path``.

    OSError if it cannot be read (missing, say); ``DamagedCacheFile`` if its bytes
    are not the ones written, noticed for the build to report (``take_notices``) as
    damage to ``path``, or to ``part_of`` if it is a part of that. A file an earlier
    version wrote unsealed (beginning with ``unsealed``: a bare pickle by default) is
    not damaged, only unusable.
    """
    try:
        with open(path, "rb") as stored:
            sealed = stored.read()
    except NotADirectoryError:
        _notice_not_a_folder(path.parent)
        raise
    view = memoryview(sealed)
    if sealed.startswith(SEAL) and len(sealed) >= _SEALED_AT:
        crc, length = _SEAL_FIELDS.unpack_from(sealed, len(SEAL))
        data = view[_SEALED_AT:]
        if len(data) == length and zlib.crc32(data) == crc:
            return data
    if sealed.startswith(unsealed) and not sealed.startswith(SEAL):
        raise DamagedCacheFile(f"{path} is not sealed")
    notice_damage(part_of or path)
    raise DamagedCacheFile(f"{path} is damaged")


# In a sealed tree (``seal_tree``): the size and checksum of every other file in it.
TREE_SEAL = ".briefings-seal"


def seal_tree(root: Path) -> None:
    """Seal the tree of files ``root`` as it is now, for ``tree_intact``."""
    write_sealed(root / TREE_SEAL, pickle.dumps(_tree_state(root), protocol=5))


def tree_intact(root: Path) -> bool:
    """Whether the tree ``root`` holds exactly the bytes it held when sealed; if not, noticed as damaged.

    Every file is read: a tree may be hard-linked elsewhere (a site's search index),
    so a file's times say nothing of whether its bytes changed.
    """
    try:
        sealed = read_sealed(root / TREE_SEAL, part_of=root)
    except FileNotFoundError:
        return False  # not sealed: an earlier version kept it, or there is no such tree
    except (OSError, DamagedCacheFile):
        sealed = None
    try:
        intact = sealed is not None and pickle.loads(sealed) == _tree_state(root)
    except Exception:  # noqa: BLE001 - a file gone meanwhile, or a seal that does not unpickle
        intact = False
    if not intact:
        notice_damage(root)
    return intact


def _tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """The size and CRC-32 of every file under ``root`` but its seal, by relative path.

    Read with os.read rather than file objects: a large archive's bundles hold over
    a thousand files, read at every build.
    """
    state = {}
    start = len(str(root)) + 1
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            handle = os.open(path, os.O_RDONLY)
            try:
                data = os.read(handle, os.fstat(handle).st_size + 1)
            finally:
                os.close(handle)
            state[path[start:]] = (len(data), zlib.crc32(data))
    state.pop(TREE_SEAL, None)
    return state


# What this process has unpickled, by path, with the file's signature at the time. The
# build replaces cache files whole (write_atomically), never in place: a file with the
# same signature holds the same bytes. A long-running process (``briefings serve``)
# then takes from memory every bucket the last build did not rewrite.
_UNPICKLED: dict[str, tuple[tuple[int, int, int, int], object]] = {}


def read_pickle(path: Path) -> object:
    """The unpickled contents of the sealed file ``path``, unpickled again only when the file was replaced.

    Callers must not change what they get: a later build in this process may get it too.
    Raises as ``read_sealed`` does, and whatever unpickling raises.
    """
    try:
        status = os.stat(path)
    except NotADirectoryError:
        _notice_not_a_folder(path.parent)
        raise
    signature = file_signature(status)
    found = _UNPICKLED.get(str(path))
    if found is not None and found[0] == signature:
        return found[1]
    value = pickle.loads(read_sealed(path))
    _UNPICKLED[str(path)] = (signature, value)
    return value


def file_signature(status: os.stat_result) -> tuple[int, int, int, int]:
    """What tells one version of a file from another without reading it: any write changes it."""
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


# --- what the build is told about its caches ------------------------------------------

# Since the last take_notices: the cache files found missing or damaged, by folder, and
# the other warnings about caches (a folder that could not be made, a file not saved).
_DAMAGED: dict[str, set[str]] = {}
_NOTICES: list[Problem] = []


def notice_damage(path: Path) -> None:
    """Note that the cache file ``path`` (or a sealed tree) is missing or damaged: what it held is made again."""
    _DAMAGED.setdefault(str(path.parent), set()).add(path.name)


def notice(path: Path, message: str) -> None:
    """Note a warning about the cache at ``path`` for the build to report."""
    if not any(found.path == str(path) and found.message == message for found in _NOTICES):
        _NOTICES.append(Problem(str(path), None, Severity.WARNING, message))


def take_notices() -> tuple[Problem, ...]:
    """The warnings about caches noted since the last call, one per cache folder, and forget them."""
    found = list(_NOTICES)
    for folder, names in sorted(_DAMAGED.items()):
        several = len(names) > 1
        what = f"{len(names)} files of this cache were" if several else "a file of this cache was"
        message = f"{what} missing or damaged; what {'they' if several else 'it'} held is built again"
        found.append(Problem(folder, None, Severity.WARNING, message))
    _NOTICES.clear()
    _DAMAGED.clear()
    return tuple(found)


_NOT_A_FOLDER = "a file stands where this cache's folder should be"
_FILE_REMOVED = "a file stood where this cache's folder should be; it was removed, and the cache is built again"


def _notice_not_a_folder(folder: Path) -> None:
    """Where reading a cache file found a file in place of its folder, say so."""
    if folder.is_file():
        notice(folder, f"{_NOT_A_FOLDER}; building without this cache")


def cache_folder(folder: Path, *, given: bool = False) -> Path | None:
    """``folder``, made if need be; None, noticed, if it cannot be.

    A file in the place of a folder of the cache is damage: it is taken away, and the folder
    made. In the place of the folder ``given`` for the cache, it is someone's: left as it is.
    """
    if not given and os.path.lexists(folder) and not folder.is_dir():
        notice(folder, _FILE_REMOVED)
        with suppress(OSError):
            folder.unlink()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):
            why = _NOT_A_FOLDER
        else:
            why = f"this cache's folder cannot be made ({exc.strerror or exc})"
        notice(folder, f"{why}; building without this cache")
        return None
    return folder


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
        self._damaged: set[int] = set()
        for number in range(self.BUCKETS) if read else ():
            self._read_bucket(number)

    def _read_bucket(self, number: int) -> None:
        """Take in bucket ``number`` as stored."""
        items = self._load(number)
        if items is not None:
            self.items.update(items)
            self._stored[number] = set(items)

    def _load(self, number: int) -> dict[K, V] | None:
        """The items of bucket ``number``; None if it is missing, damaged or of another stamp."""
        try:
            stamp_stored, items = read_pickle(self._file(number))  # type: ignore[misc]
        except DamagedCacheFile:
            self._damaged.add(number)  # written again by the next save, even with nothing in it
            return None
        except Exception:  # noqa: BLE001 - a missing or damaged bucket is only a slower build
            return None
        return items if stamp_stored == self.stamp else None

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
            if group.keys() != self._stored[number] or number in self._damaged:
                self._damaged.discard(number)
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
        write_sealed(self._file(number), data)
        return data

    def adopt(self, number: int, data: bytes) -> dict[K, V]:
        """The items of bucket ``number`` as a worker wrote it (``write``), now held by this store."""
        _, items = pickle.loads(data)
        self.items.update(items)
        self._stored[number] = set(items)
        self._damaged.discard(number)  # written anew
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

    The index holds each bucket's signature as written (``file_signature``): a
    bucket changed since (damaged, gone, or written by another build on the same
    cache) is read at once, and only what it then holds counts as stored.
    """

    INDEX = "index.pickle"
    # Small buckets: a rebuild asks for a few hundred scattered values (the lines of a busy
    # entity's first page), and each one read costs its whole bucket.
    BUCKETS = 2048

    def __init__(
        self, folder: Path, stamp: str, name: Callable[[K], str], *, read: bool = True, reducers: Mapping[type, Callable] | None = None
    ) -> None:
        super().__init__(folder, stamp, name, read=False, reducers=reducers)
        self.keys: set[K] = set()
        self._read: set[int] = set()
        self._signatures: dict[int, tuple[int, int, int, int] | None] = {}
        self._index_current = True  # whether the stored index says what the buckets hold
        try:
            stamp_stored, index = read_pickle(folder / self.INDEX) if read else (None, {})  # type: ignore[misc]
        except Exception:  # noqa: BLE001 - a missing or damaged index: nothing is stored, unless found unlisted
            stamp_stored, index = stamp, {}
        if stamp_stored != stamp:
            return
        for number, (keys, signature) in index.items():
            self._open_bucket(number, keys, signature)
        if read and self.READ_UNLISTED:
            for number in self._unlisted(index):
                self._open_bucket(number, (), None)

    # Whether buckets the index does not list are read when the store opens: those a build's
    # workers wrote before the build saved the index (a build stopped before its end).
    READ_UNLISTED = False

    def _unlisted(self, index: Mapping[int, object]) -> list[int]:
        try:
            names = set(os.listdir(self.folder))
        except OSError:
            return []
        return [number for number in range(self.BUCKETS) if number not in index and self._file(number).name in names]

    def _open_bucket(self, number: int, keys: tuple[K, ...], signature: tuple[int, int, int, int]) -> None:
        now = self._signature(number)
        if now != signature:  # changed since the index was written: what it holds now, if it can be read
            self._index_current = False
            self._read.add(number)
            items = self._load(number)
            if items is None:
                if signature is not None:  # listed, so it was whole once
                    notice_damage(self._file(number))
                return
            self.items.update(items)
            keys = tuple(items)
        self._signatures[number] = now
        self._stored[number] = set(keys)
        self.keys.update(keys)

    def get(self, key: K) -> V | None:
        """The stored value of ``key``, reading its bucket if need be (None: not stored)."""
        if key not in self.keys:
            return None
        number = self.number(key)
        self._read_once(number)
        found = self.items.get(key)
        if found is None:
            notice_damage(self._file(number))  # changed since this build opened it
        return found

    def read_all(self) -> dict[K, V]:
        """Every stored value, by key: each bucket not read yet is read now."""
        for number, keys in enumerate(self._stored):
            if keys:
                self._read_once(number)
        return self.items

    def _read_once(self, number: int) -> None:
        """Take in bucket ``number``'s values, unless this store has read it already."""
        if number not in self._read:
            self._read.add(number)
            self.items.update(self._load(number) or {})

    def write(self, number: int, items: dict[K, V]) -> bytes:
        data = super().write(number, items)
        self._signatures[number] = self._signature(number)
        return data

    def adopt(self, number: int, data: bytes) -> dict[K, V]:
        items = super().adopt(number, data)
        self._read.add(number)
        self.keys.update(items)
        self._signatures[number] = self._signature(number)
        self._index_current = False
        return items

    def _signature(self, number: int) -> tuple[int, int, int, int] | None:
        try:
            return file_signature(os.stat(self._file(number)))
        except OSError:
            return None

    def _written(self, group: dict[K, V]) -> dict[K, V]:
        # A kept value is read only here, when its bucket must be written again.
        values = {key: self.get(key) if value is STORED else value for key, value in group.items()}
        return {key: value for key, value in values.items() if value is not None}

    def save(self, current: Mapping[K, V]) -> bool:
        """``PickleBuckets.save``, where ``STORED`` stands for the value kept under its key; then the index."""
        if not super().save(current) and self._index_current and (self.folder / self.INDEX).is_file():
            return False
        index = {number: (tuple(keys), self._signatures.get(number)) for number, keys in enumerate(self._stored) if keys}
        write_sealed(self.folder / self.INDEX, pickle.dumps((self.stamp, index), protocol=5))
        self._index_current = True
        return True
