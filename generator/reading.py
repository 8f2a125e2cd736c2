"""Reading every entry file, with a content cache and both cores on large archives.

A file's entry and problems depend only on its bytes, its path, the site's
time zone and the generator's own code, so they are cached under that key: a
rebuild after one edit reads one file. Without a cache, thousands of files are
read by forked worker processes (``parallel.fork_map``): parsing and rendering are
CPU-bound.
"""

from __future__ import annotations

import hashlib
from functools import partial
from operator import itemgetter
from importlib import metadata, resources
from pathlib import Path

from . import __version__
from .entries import EntryReader, SourceText, read_source
from .file_digests import FileDigests, file_digest
from .model import Entry
from .parallel import WORTH_FORKING, batches, fork_map, later
from .problems import Problem, ProblemLog
from .settings import Settings
from .storage import PickleBuckets

_CODE = ("entries.py", "file_digests.py", "html_audit.py", "markup.py", "model.py", "names.py", "problems.py",
         "reading.py", "schema.py", "yamlsafe.py", "schemas/entry.schema.json")
_LIBRARIES = ("cmarkgfm", "nh3", "python-slugify", "pyyaml", "fastjsonschema", "jsonschema")

Result = tuple[Entry | None, tuple[Problem, ...]]


def code_fingerprint() -> str:
    """Changes whenever the code that turns a file into an entry changes."""
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("generator")
    for name in _CODE:
        digest.update(package.joinpath(name).read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


class EntryCache:
    """Read results by (path, content digest), for one code and time zone, kept between builds."""

    def __init__(self, folder: Path, stamp: str, *, read: bool = True) -> None:
        # Bucketed by path: an edited file's new result replaces its old one in the same bucket.
        self._store: PickleBuckets[tuple[str, str], Result] = PickleBuckets(folder, stamp, itemgetter(0), read=read)
        self.results = self._store.items
        self.folder = folder
        self.digests = FileDigests(folder, stamp, read=read)

    @classmethod
    def open(cls, cache_dir: Path, settings: Settings, *, read: bool = True) -> "EntryCache":
        return cls(cache_dir / "entries", f"{code_fingerprint()}:{settings.timezone}", read=read)

    def save(self, keep: set[tuple[str, str]]) -> None:
        """Keep the results of this run only, so removed files leave the cache."""
        self._store.save({k: v for k, v in self.results.items() if k in keep})


def read_entries(
    paths: list[str], content_dir: Path, settings: Settings, log: ProblemLog, cache: EntryCache | None = None
) -> list[Entry]:
    """The entries of ``paths`` in order; every file's problems go to ``log``."""
    digest = file_digest if cache is None else cache.digests.digest
    keys = [(path, digest(path)) for path in paths]
    results: dict[tuple[str, str], Result] = {}
    missing = []
    for path, key in zip(paths, keys):
        if cache is not None and key in cache.results:
            results[key] = cache.results[key]
        else:
            missing.append((path, key))
    for (path, key), result in zip(missing, _read_all([p for p, _ in missing], content_dir, settings)):
        results[key] = result
    if cache is not None and (missing or set(cache.results) != set(keys)):
        cache.results.update(results)
        later(partial(cache.save, keep=set(keys)), str(cache.folder))
    # Otherwise unchanged files, nothing removed: the stored cache is current.
    if cache is not None and cache.digests.changed:
        later(cache.digests.save, str(cache.digests.path))
    entries = []
    for key in keys:
        entry, problems = results[key]
        log.replay(problems)
        if entry is not None:
            entries.append(entry)
    return entries


def read_for_check(
    paths: list[str], content_dir: Path, settings: Settings, log: ProblemLog
) -> tuple[list[Entry], list[SourceText]]:
    """Entries without rendered bodies (``briefings check`` builds nothing), and their texts."""
    reader = EntryReader(settings, ProblemLog(), render=False)

    def read_batch(batch: list[str]) -> list[tuple[Entry | None, tuple[Problem, ...], SourceText | None]]:
        return [_read_one(reader, path, content_dir, keep_source=True) for path in batch]

    entries, sources = [], []
    for batch in fork_map(read_batch, batches(paths), parallel=len(paths) >= WORTH_FORKING):
        for entry, problems, source in batch:
            log.replay(problems)
            if source is not None:
                sources.append(source)
            if entry is not None:
                entries.append(entry)
    return entries, sources


def _read_all(paths: list[str], content_dir: Path, settings: Settings) -> list[Result]:
    reader = EntryReader(settings, ProblemLog())

    def read_batch(batch: list[str]) -> list[Result]:
        return [_read_one(reader, path, content_dir)[:2] for path in batch]

    done = fork_map(read_batch, batches(paths), parallel=len(paths) >= WORTH_FORKING)
    return [result for batch in done for result in batch]


def _read_one(reader: EntryReader, path: str, content_dir: Path, *, keep_source: bool = False):  # noqa: ANN202
    """(entry or None, its problems, its source text if ``keep_source``)."""
    log = ProblemLog()
    reader.log = log
    source = read_source(path, content_dir, log)
    entry = reader.read(source) if source is not None else None
    return entry, log.problems, source if keep_source else None
