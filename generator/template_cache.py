"""Compiled templates kept between builds, each checked against a digest of its bytes before it is loaded.

Jinja's own file cache loads what it finds: a compiled template is code that
Python runs as it is, and one damaged byte in it crashes the process (a
segmentation fault, ``SystemError: unknown opcode``) on every build. Here each
file carries the SHA-256 of the rest; a file that does not match is never
loaded: the template is compiled again and the file replaced, with a warning
(``damaged``). A build that does not read the cache (``--clean``) still writes
it, so it leaves a sound cache behind.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from .storage import write_atomically

_DIGEST = hashlib.sha256().digest_size

# Files found damaged by this process since ``damaged`` was last asked.
_damaged: list[str] = []
# What a build says of each.
DAMAGED = "this compiled template in the cache was damaged; it was compiled again and replaced"


class CheckedTemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates in ``folder``, one file each, loaded only if intact; with ``read`` off, only written."""

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        self.folder = folder
        self.read = read

    def _file(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.checked"

    def load_bytecode(self, bucket: Bucket) -> None:
        if not self.read:
            return
        path = self._file(bucket)
        try:
            data = path.read_bytes()
        except OSError:  # not compiled yet
            return
        code = data[_DIGEST:]
        if hashlib.sha256(code).digest() != data[:_DIGEST]:
            _damaged.append(str(path))
            return  # Jinja compiles the template and dump_bytecode replaces the file
        # Jinja itself drops code compiled from another source or by another version.
        bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        try:
            write_atomically(self._file(bucket), hashlib.sha256(code).digest() + code)
        except OSError:
            pass  # not kept: the next build compiles it again

    def clear(self) -> None:
        for path in self.folder.glob("*.checked"):
            path.unlink(missing_ok=True)


def damaged() -> tuple[str, ...]:
    """The compiled templates found damaged (and compiled again) since the last call."""
    found = tuple(_damaged)
    _damaged.clear()
    return found
