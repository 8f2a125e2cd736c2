"""The folders beside the site: where a build writes, how it takes the site's place,
and the previous site kept as the next build's folders.

A build writes into a staging folder beside the site and swaps it in only when
it is complete and checked, so a failed or interrupted build never damages the
site. Making a site's folders can cost more than linking its pages: on this
project's ext4 disk a ``mkdir`` took 0.04 to 0.7 ms, and a 20,000-entry site has
1,300 folders. So the previous site is kept beside the new one (``.site.spare``),
emptied of its files while the build finishes, and the next build builds into its
folders; folders the new site does not fill are removed before the swap.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
from contextlib import suppress
from functools import partial
from pathlib import Path

from .parallel import later


def staging_folder(site_dir: Path, *, reuse_folders: bool = True) -> tuple[Path, bool]:
    """A folder beside ``site_dir`` that holds no files, and whether it holds the previous site's folders."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    spare = spare_folder(site_dir)
    if not reuse_folders or not spare.is_dir():
        return staging, False
    os.rmdir(staging)  # only its unique name was wanted
    try:
        os.rename(spare, staging)  # a build running beside this one cannot take it too
        _remove_files(staging)
    except OSError:  # gone meanwhile, or a file that cannot be removed: start afresh
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
        else:
            staging.mkdir()
        return staging, False
    return staging, True


def spare_folder(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.spare"


def prune_empty_folders(root: Path) -> None:
    """Remove the folders under ``root`` that hold no file: the previous site had pages there, this one has none."""

    def prune(folder: str) -> bool:  # whether ``folder`` is empty afterwards
        empty = True
        with os.scandir(folder) as found:
            for entry in found:
                if entry.is_dir(follow_symlinks=False) and prune(entry.path):
                    os.rmdir(entry.path)
                else:
                    empty = False
        return empty

    prune(str(root))


def swap_in(staging: Path, site_dir: Path) -> None:
    """Put ``staging`` in place of ``site_dir``; a reader or a crash never sees no site.

    On Linux the two folders trade places in one atomic renameat2 call;
    elsewhere two renames leave a moment with no site folder at all. The
    previous site becomes the spare, for the next build's folders.
    """
    old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
    os.rmdir(old)  # only its unique name was wanted
    if site_dir.exists() and _exchange(staging, site_dir):
        os.rename(staging, old)  # staging now holds the previous site
    elif site_dir.exists():
        os.rename(site_dir, old)
        os.rename(staging, site_dir)
    else:
        os.rename(staging, site_dir)
    spare = spare_folder(site_dir)
    if old.exists():
        if spare.exists():  # left by a --clean build, which does not take the spare
            os.rename(spare, Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent)))
        os.rename(old, spare)
        # Emptied now, beside the rest of the build, so the next one finds its folders ready.
        later(partial(_remove_files_quietly, spare), str(spare))
    # Earlier spares and deletions that a crash or a reboot cut short.
    for previous in site_dir.parent.glob(f".{site_dir.name}.old-*"):
        _discard(previous)


def keep_as_spare(staging: Path, site_dir: Path) -> None:
    """After a failed build: its folders serve the next build, unless a spare is there already."""
    try:
        os.rename(staging, spare_folder(site_dir))
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_files_quietly(root: Path) -> None:
    with suppress(OSError):  # what is left, the next build removes
        _remove_files(root)


def _remove_files(root: Path) -> None:
    """Remove every file under ``root`` and keep its folders.

    Never writes into a file: the spare shares most of its files with the
    current site as hard links, and those must stay as they are.
    """
    with os.scandir(root) as found:
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                _remove_files(Path(entry.path))
            else:
                os.unlink(entry.path)


def discard(*paths: Path) -> None:
    """Take the folders ``paths``, all in one folder, away at once; delete them in the background.

    For what a build leaves once its result is in place (the search index's stand-in
    pages, search bundles the cache no longer needs): deleting thousands of files
    would otherwise be the last thing the build waits for.
    """
    if not paths:
        return
    try:
        trash = Path(tempfile.mkdtemp(prefix=f".{paths[0].name}.discard-", dir=paths[0].parent))
    except OSError:  # not even a folder can be made there: delete them here
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        return
    for path in paths:
        try:
            os.rename(path, trash / path.name)
        except OSError:  # gone already, or cannot be moved
            shutil.rmtree(path, ignore_errors=True)
    _discard(trash)


def _discard(path: Path) -> None:
    """Delete the folder ``path`` in a process of its own, which the build does not wait for.

    The new site is in place and a site's thousands of files take a noticeable
    part of a rebuild to delete. ``sh`` starts ``rm`` in the background and
    returns: ``rm`` belongs to no one here, leaves no zombie, holds none of our
    output open. Where there is no ``sh`` and ``rm``, it is deleted here.
    """
    shell, rm = shutil.which("sh"), shutil.which("rm")
    if os.name != "posix" or shell is None or rm is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    subprocess.run(
        [shell, "-c", '"$0" -rf -- "$1" &', rm, str(path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths with renameat2(2); False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
