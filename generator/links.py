"""Hard links: one file shared by two site trees (or a tree and the cache) without copying it.

Nothing the build writes is ever rewritten in place (pages, search bundles and
cached copies are replaced whole), so sharing a file between builds is safe;
where the file system cannot link (another device), the file is copied.
"""

from __future__ import annotations

import os
import shutil
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
