"""What makes rebuilds fast, kept apart from the domain: every cache of the build.

The pipeline (``site.generate``) meets the caches at two seams, ``Caches.read``
and ``Caches.group`` around reading and grouping, and the output store around
rendering (``Caches.store``, ``Caches.known_keys``, ``Caches.keep``):

- ``entry_cache``: each file's entry and problems, by the digest of its bytes and
  its place in the content folder; ``file_digests`` tells which files changed,
  as Git's index does (inode, size, times), without reading them.
- ``snapshot``: the last build's reading, archive and page keys, so a rebuild
  patches the archive (``archive.patch_archive``) rather than grouping it again.
- ``output_store``: rendered pages and feeds by the digest of what they are made
  from; ``page_keys`` derives the keys from the views' arguments.
- ``pickling``: how entries are pickled into the caches and between workers.
- ``fingerprint``: what every cache answers for, the generator's files and the
  installed libraries' versions; ``storage``: the files they are kept in, each
  sealed with its checksum; ``templates``: the compiled Jinja templates.

A cache is a hint, never a source of truth: a build without a cache folder reads,
groups and renders everything itself and writes the same bytes (a test holds
cached rebuilds to clean builds after any edit of any field). A cache file that is
missing or damaged is built again, with a warning (``storage.take_notices``).
"""

from __future__ import annotations

from pathlib import Path

from ..archive import build_archive
from ..model import Archive, Entry
from ..parallel import later
from ..problems import ProblemLog
from ..reading import read_entries
from ..registry import Registry
from ..settings import Settings
from . import pickling, snapshot  # noqa: F401 - pickling registers the model's reducers
from .output_store import OutputStore


class Caches:
    """The caches of one build in ``folder``; with no folder, none: everything is read and made anew.

    ``clean``: read none of them (a ``--clean`` build), but keep what this build makes.
    """

    def __init__(self, folder: Path | None, *, clean: bool = False) -> None:
        self.folder, self.clean = folder, clean
        self._reading: snapshot.Reading | None = None
        self._grouped: snapshot.Grouped | None = None

    def read(self, paths: list[str], content_dir: Path, settings: Settings, registries: dict[str, Registry], log: ProblemLog) -> list[Entry]:
        """The entries of ``paths``, in order: only the files changed since the last build are read."""
        if self.folder is None:
            return read_entries(paths, content_dir, settings, log)
        self._reading = snapshot.read_all(paths, content_dir, settings, registries, log, self.folder, clean=self.clean)
        return self._reading.entries

    def group(self, entries: list[Entry], registries: dict[str, Registry], settings: Settings, log: ProblemLog) -> Archive:
        """The archive of ``entries`` (those ``read`` gave): the last build's, patched where it can be."""
        if self._reading is None:
            return build_archive(entries, registries, settings, log)
        self._grouped = snapshot.group(self._reading, registries, settings, log)
        return self._grouped.snapshot.archive

    def store(self, context: str) -> OutputStore:
        """The output store for pages rendered in ``context`` (see ``OutputStore``)."""
        return OutputStore(self.folder, context, read=not self.clean)

    def known_keys(self) -> dict[str, tuple] | None:
        """The keys of the last build's pages, where this build's archive was patched from its archive."""
        return snapshot.known_keys(self._grouped)

    def keep(self, store: OutputStore, keys: dict[str, tuple]) -> None:
        """Keep what this build read, grouped and rendered for the next one (saved in the background)."""
        if store.changed:
            later(store.save, str(store.folder))
        if self._grouped is not None:
            assert self.folder is not None  # grouped through the caches
            snapshot.keep(self._grouped, keys, self.folder)
