"""Files the build keeps: written atomically, and shared between builds by hard links.

A reader (or the next build) sees a whole file or the previous one, never half
of one. Nothing the build writes is ever rewritten in place (pages, search
bundles and cached copies are replaced whole), so sharing a file between site
trees, or a tree and the cache, is safe; where the file system cannot link
(another device), the file is copied.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


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
