"""The folders beside the site: where a build writes, how it takes the site's place,
and the previous site kept as the next build's folders.

A build writes into a staging folder beside the site and swaps it in only when
it is complete and checked, so a failed or interrupted build never damages the
site. Making a site's folders can cost more than linking its pages (a 20,000-entry
site has 1,300 folders; docs/performance.md). So the previous site is kept beside the new one (``.site.spare``),
emptied of its files while the build finishes, and the next build builds into its
folders; folders the new site does not fill are removed before the swap.

A build that is killed leaves its staging folder (and its temporary work
folders, ``work_folder``) behind. Each such folder is locked (``flock``) by the
process that made it for as long as it, or a child it forked, lives: the next
build removes the ones no process holds, and never one a running build holds.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Iterable

from .parallel import later
from .problems import BriefingsError

try:
    import fcntl
except ImportError:  # not on POSIX: no locks, so nothing is ever taken for left behind
    fcntl = None  # type: ignore[assignment]


class SiteFolderError(BriefingsError):
    """The site folder given is one whose replacement would delete what no build wrote."""


# What every site a build makes holds at its top: a folder without them holds no built site.
# What every site briefings builds holds, and another site's web root seldom does: its own stylesheet
# with the two files every site has. A newsroom's web root with an index and a sitemap is not one.
BUILT_SITE = ("index.html", "sitemap.xml", "assets/stylesheets/briefings.css")
# What a desktop writes into any folder opened in it: an empty folder all the same.
DESKTOP_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def check_site_folder(site_dir: Path, project: Iterable[Path]) -> None:
    """Refuse a site folder that a swap would take from its owner: the build puts a new folder
    in its place and empties the old one. That is one that is, holds or lies in a folder or
    file of the ``project`` (the content, the settings, the cache, mkdocs.yml), one that holds
    a Git repository, and one that holds files but no site: a folder given by mistake."""
    site = site_dir.resolve()
    for path in (path.resolve() for path in project):
        if site == path or site in path.parents:
            raise SiteFolderError(f"the site folder {site_dir} holds {path}: a build replaces the whole site "
                                  "folder, so give it a folder of its own, like site/")  # fmt: skip
        if path in site.parents and path.is_dir():
            raise SiteFolderError(f"the site folder {site_dir} is inside {path}: give it a folder of its own, like site/")
    if not os.path.lexists(site):
        return
    if not site.is_dir():
        raise SiteFolderError(f"the site folder {site_dir} is a file: give a folder, like site/")
    if os.path.lexists(site / ".git"):
        raise SiteFolderError(f"the site folder {site_dir} holds a Git repository (.git), which a build would "
                              "delete with the rest of the folder: publish from a copy of the site")  # fmt: skip
    with os.scandir(site) as listing:
        holds_files = any(entry.name not in DESKTOP_FILES for entry in listing)
    if holds_files and not all((site / name).is_file() for name in BUILT_SITE):
        raise SiteFolderError(f"the site folder {site_dir} holds files but no site briefings built (no index.html, "
                              "sitemap.xml and assets/stylesheets/briefings.css), and a build replaces the whole "
                              "folder: give an empty or new folder")  # fmt: skip


def check_cache_folder(cache_dir: Path, sources: Iterable[Path]) -> None:
    """Refuse a cache folder that is, holds or lies in the content or the settings: the build
    would read its own files back as entries, or fill the settings with its folders."""
    cache = cache_dir.resolve()
    for path in (path.resolve() for path in sources):
        where = "is" if cache == path else "is inside" if path in cache.parents else "holds" if cache in path.parents else ""
        if where:
            raise SiteFolderError(f"the cache folder {cache_dir} {where} {path}, which the build reads: "
                                  "give it a folder of its own, like .cache/")  # fmt: skip


def staging_folder(site_dir: Path, *, reuse_folders: bool = True) -> tuple[Path, bool]:
    """A folder beside ``site_dir`` that holds no files, and whether it holds the previous site's folders.

    Its mode is a new folder's (0o777 less the umask, 0o755 as a rule), as the site's
    other folders are: a web server running as another user must be able to read it.
    The staging folders of killed builds are removed first.
    """
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{site_dir.name}.new-"
    remove_left_behind(parent, prefix)
    made = _make_folder(parent, f".{site_dir.name}.making-", 0o777)  # a name no build removes
    staging = parent / (prefix + made.name.rsplit("-", 1)[1])
    spare = spare_folder(site_dir)
    held = _lock(spare) if reuse_folders and spare.is_dir() else None  # a build beside this one cannot take it too
    if held is not None:
        try:
            os.rename(spare, staging)
            os.chmod(staging, os.stat(made).st_mode)  # a spare from an older version may be 0o700
            try:
                os.unlink(staging / EMPTIED)
            except FileNotFoundError:  # its emptying was cut short, or it is a failed build's
                _remove_files(staging)
        except OSError:  # gone meanwhile, or a file that cannot be removed: start afresh
            os.close(held)
            shutil.rmtree(staging, ignore_errors=True)
        else:
            os.rmdir(made)
            _HELD[str(staging)] = held
            return staging, True
    _take_name(made, staging)
    return staging, False


def work_folder(prefix: str) -> Path:
    """A new folder (mode 0o700) in the system's temporary folder, for this process's work.

    It is locked while this process, or a child it forked, lives; the folders of this
    ``prefix`` that no process holds any longer (left by killed builds) are removed first.
    ``discard`` it when done.
    """
    parent = Path(tempfile.gettempdir())
    remove_left_behind(parent, prefix)
    made = _make_folder(parent, f".{prefix}making-", 0o700)
    folder = parent / (prefix + made.name.rsplit("-", 1)[1])
    _take_name(made, folder)
    return folder


def remove_left_behind(parent: Path, prefix: str) -> None:
    """Delete (in the background) the folders in ``parent`` named ``prefix``... that no process holds."""
    _forget_removed()
    try:
        names = [name for name in os.listdir(parent) if name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        held = _lock(parent / name)
        if held is None:  # a running build's, or one this system cannot lock
            continue
        try:
            # Out of the way at once, under a name no prefix matches, then deleted in the background.
            left = parent / f".{name}.left-behind"
            try:
                os.rename(parent / name, left)
            except OSError:  # a folder of that name is being deleted already
                left = parent / name
            _discard(left)
        finally:
            os.close(held)


# Folders this process made and holds locked, by path: their descriptors.
_HELD: dict[str, int] = {}


def _make_folder(parent: Path, prefix: str, mode: int) -> Path:
    """A new folder ``prefix`` + a unique ending in ``parent``, with ``mode`` less the umask."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            os.mkdir(folder, mode)
        except FileExistsError:
            continue
        return folder


def _take_name(made: Path, name: Path) -> None:
    """Lock the new folder ``made`` and rename it ``name``: no one finds it under that name unlocked."""
    held = _lock(made)
    os.rename(made, name)
    if held is not None:
        _HELD[str(name)] = held


def _lock(folder: Path) -> int | None:
    """A descriptor of ``folder`` that holds its lock; None if another process holds it
    or it cannot be locked here. Forked children inherit the descriptor, and the lock."""
    if fcntl is None:
        return None
    try:
        held = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0))  # a link is no folder of ours
    except OSError:
        return None
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(held)
        return None
    return held


def release(folder: Path) -> None:
    """Let go of the lock on ``folder``, which this process made and no longer works in."""
    held = _HELD.pop(str(folder), None)
    if held is not None:
        os.close(held)


def _forget_removed() -> None:
    """Let go of the locks on folders deleted meanwhile (by whatever means)."""
    for path, held in list(_HELD.items()):
        with suppress(OSError):
            if os.fstat(held).st_nlink:
                continue
        release(Path(path))


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
    release(staging)
    _same_access(staging, site_dir)
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


def _same_access(staging: Path, site_dir: Path) -> None:
    """Give the new site folder the group of the one it replaces, and what its mode allows besides
    a new folder's: a web server may read the site through its group (a folder made 2775, group
    www-data), which a new folder would lose. Less than a new folder's is never kept (earlier
    versions left the site 0o700, which no web server running as another user can read)."""
    try:
        old = os.stat(site_dir)
    except FileNotFoundError:
        return
    with suppress(OSError):  # a group the user is not in: the folder keeps the user's
        os.chown(staging, -1, old.st_gid)
    os.chmod(staging, stat.S_IMODE(old.st_mode) | stat.S_IMODE(os.stat(staging).st_mode))


def keep_as_spare(staging: Path, site_dir: Path) -> None:
    """After a failed build: its folders serve the next build, unless a spare is there already."""
    release(staging)
    try:
        os.rename(staging, spare_folder(site_dir))
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


# Made in the spare once every file in it is removed: the build that takes it need not look.
EMPTIED = ".emptied"


def _remove_files_quietly(root: Path) -> None:
    # Locked while it is emptied and marked: no build takes it meanwhile, so the mark
    # is never left in a spare that another build has put in its place.
    held = _lock(root)
    if held is None:  # a build is taking it, or nothing can be locked here: the build that takes it empties it
        return
    try:
        with suppress(OSError):  # what is left, the next build removes
            _remove_files(root)
            os.close(os.open(root / EMPTIED, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    finally:
        os.close(held)


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
    for path in paths:
        release(path)
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
