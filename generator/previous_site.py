"""What a build may take from the site it replaces, checked as Git's index checks a work tree.

After a build, every file the site holds that a later build could take as it is
(pages, feeds, the theme's files, the search bundles) is recorded in the cache
with the fingerprint of what it was made from and its status: inode, size,
modification and change times. The next build takes the previous site's file
instead of making it again only when both are as recorded. Whatever rewrote
the site in between (a plain ``mkdocs build``, a restore from a backup, an
editor) gave the file another inode or another change time, which no one can
set back, so it is made again: the record is a hint about the site, never a
source of truth.

The record is one file per cache (``SITE_INDEX``) and names the site folder it
describes; both ``briefings build`` and ``briefings serve`` keep it.

The previous site is never written in place (a build writes a new folder and
swaps it in; the spare is emptied by unlinking), so the new site may share its
files with the previous one as hard links. Linking changes a file's change
time, and so does unlinking the spare's name for it: the record is taken once
the spare is emptied (``record``, after the build's background work).
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .cache.storage import write_atomically

SITE_INDEX = "site-index.json"

# inode, size, modification and change time (ns)
Signature = tuple[int, int, int, int]


def signature(status: os.stat_result) -> Signature:
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


@dataclass(frozen=True)
class PreviousSite:
    """The site a build replaces, and what the build that made it recorded of each of its files."""

    site_dir: Path
    # by path in the site ("2022/03/03/index.html"): the fingerprint and the signature recorded
    recorded: Mapping[str, tuple[str, Signature]]

    @classmethod
    def load(cls, cache_dir: Path, site_dir: Path) -> "PreviousSite | None":
        """The record in ``cache_dir`` if it describes ``site_dir``; None if there is none, or it cannot be read."""
        try:
            stored = json.loads((cache_dir / SITE_INDEX).read_text("utf-8"))
            if stored["site"] != str(site_dir):
                return None  # a record of another site folder says nothing about this one
            recorded = {path: (fingerprint, tuple(signed)) for path, (fingerprint, signed) in stored["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # missing or damaged: nothing is taken
            return None
        return cls(site_dir, recorded)

    def unchanged(self, output: str, fingerprint: str) -> Path | None:
        """The previous site's file at ``output`` if it is made from ``fingerprint`` and is still as it was written."""
        found = self.recorded.get(output)
        if found is None or found[0] != fingerprint:
            return None
        path = os.path.join(self.site_dir, output)  # a string: thousands of files a build
        try:
            return Path(path) if signature(os.stat(path)) == found[1] else None
        except OSError:
            return None

    def under(self, folder: str) -> dict[str, str]:
        """The recorded files under ``folder`` ("pagefind/3/"), with their fingerprints."""
        return {path: fingerprint for path, (fingerprint, _) in self.recorded.items() if path.startswith(folder)}


def forget(cache_dir: Path) -> None:
    """Drop the record: while a build swaps its site in, no file may be taken as current.

    Were it left (it cannot be removed), the signatures it holds still tell a file rewritten since.
    """
    with suppress(OSError):
        (cache_dir / SITE_INDEX).unlink(missing_ok=True)


def record(cache_dir: Path, site_dir: Path, fingerprints: Mapping[str, str]) -> None:
    """Record each file of ``site_dir`` named in ``fingerprints`` (by path in the site) as it is now."""
    files = {}
    for output, fingerprint in fingerprints.items():
        try:
            files[output] = (fingerprint, signature(os.stat(os.path.join(site_dir, output))))
        except OSError:
            continue  # gone already: nothing to take next time
    data = json.dumps({"site": str(site_dir), "files": files}, sort_keys=True, separators=(",", ":"))
    write_atomically(cache_dir / SITE_INDEX, data.encode("utf-8"))
