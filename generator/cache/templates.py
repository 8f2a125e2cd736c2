"""Compiled Jinja templates kept in the cache, each file sealed (``storage.write_sealed``).

Jinja checks a compiled template against its source, not against itself: one damaged byte in one could
stop the interpreter (``SystemError: unknown opcode``) or crash it. Here a file
that does not match its seal is compiled again, and a folder that cannot be made
or a file that cannot be written costs time, never the build.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .storage import DamagedCacheFile, cache_folder, notice, read_sealed, write_sealed


class SealedTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, each file sealed; with ``read`` off
    (a ``--clean`` build), only written, so that build leaves a sound cache behind."""

    def __init__(self, folder: str, *, read: bool = True) -> None:
        super().__init__(folder)
        self.read = read

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if not self.read:
            return
        try:
            data = read_sealed(self._path(bucket), unsealed=b"j2")  # Jinja's own files begin with "j2"
        except (OSError, DamagedCacheFile):  # not compiled yet, or damaged: compiled again
            return
        bucket.bytecode_from_string(bytes(data))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._path(bucket)
        try:
            write_sealed(path, bucket.bytecode_to_string())
        except OSError as exc:
            notice(path.parent, f"this cache could not be saved ({exc.strerror or exc}); templates are compiled again")

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return Path(self._get_cache_filename(bucket))


def compiled_templates(folder: Path, *, read: bool = True) -> SealedTemplates | None:
    """A cache of compiled templates in ``folder`` (only written, without ``read``); None
    (noticed) where the folder cannot be made."""
    if cache_folder(folder) is None:
        return None
    return SealedTemplates(str(folder), read=read)
