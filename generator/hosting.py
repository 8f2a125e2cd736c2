"""What a built site weighs, and the static hosts whose limits it passes.

A four-year archive is tens of thousands of files: the build says how many and
how large, and warns, naming the host, when a site would no longer deploy there.
README.md ("Hosting") says what to do beyond the limits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import open_data
from .wording import counted


@dataclass(frozen=True)
class SiteSize:
    """A built site's files and bytes, and its fullest folder."""

    files: int
    bytes: int
    fullest: str  # the folder holding the most files, relative to the site ("" for the site itself)
    fullest_files: int
    data_bytes: int = 0  # of the open data (data/), which the settings can leave out
    largest: str = ""  # the largest file, relative to the site
    largest_bytes: int = 0
    sizes: tuple[int, ...] = ()  # of every file over the smallest limit on one file (``FILE_LIMIT``)


@dataclass(frozen=True)
class HostLimit:
    """One documented limit of a static host."""

    host: str
    what: str  # "bytes", "files", "files in one folder" or "bytes in one file"
    limit: int
    advice: str


GIB = 1024**3
MIB = 1024**2
DATA_FOLDER = open_data.FOLDER.rstrip("/")

LIMITS = (
    HostLimit("GitHub Pages", "bytes", GIB, "a published site may be at most 1 GB"),
    HostLimit("Cloudflare Pages", "files", 20_000, "a site may hold at most 20,000 files on the free plan"),
    HostLimit("Netlify", "files in one folder", 54_000, "a folder may hold at most 54,000 files"),
    HostLimit("Cloudflare Pages", "bytes in one file", 25 * MIB, "a file may be at most 25 MiB"),
)
# Files over this are counted one by one, for the limits on one file.
FILE_LIMIT = min(limit.limit for limit in LIMITS if limit.what == "bytes in one file")


def measure(site_dir: Path) -> SiteSize:
    """Count the files and bytes of ``site_dir``."""
    files = size = fullest_files = data = largest_bytes = 0
    fullest = largest = ""
    over: list[int] = []
    data_folder = os.path.join(site_dir, DATA_FOLDER)
    for folder, _, names in os.walk(site_dir):
        for name in names:
            try:
                weight = os.lstat(os.path.join(folder, name)).st_size
            except OSError:  # gone meanwhile: not part of the site
                continue
            files, size = files + 1, size + weight
            if folder == data_folder:
                data += weight
            if weight > FILE_LIMIT:
                over.append(weight)
            if weight > largest_bytes:
                largest_bytes, largest = weight, os.path.join(folder, name)
        if len(names) > fullest_files:
            fullest_files, fullest = len(names), os.path.relpath(folder, site_dir).replace(os.sep, "/")
    largest = os.path.relpath(largest, site_dir).replace(os.sep, "/") if largest else ""
    return SiteSize(files, size, "" if fullest == "." else fullest, fullest_files, data, largest, largest_bytes, tuple(over))


def passed(size: SiteSize) -> list[str]:
    """A warning for each host limit (``LIMITS``) ``size`` passes, naming the host."""
    found = []
    for limit in LIMITS:
        if limit.what == "bytes" and size.bytes > limit.limit:
            data = ""
            if size.data_bytes:
                data = f"; the open data ({DATA_FOLDER}/) is {megabytes(size.data_bytes)} of it, which 'open_data: false' in the settings leaves out"
            found.append(f"the site is {megabytes(size.bytes)}: too large for {limit.host} ({limit.advice}){data}")
        elif limit.what == "files" and size.files > limit.limit:
            found.append(f"the site has {size.files:,} files: too many for {limit.host} ({limit.advice})")
        elif limit.what == "files in one folder" and size.fullest_files > limit.limit:
            where = f"{size.fullest}/" if size.fullest else "its top folder"
            found.append(f"{where} holds {size.fullest_files:,} files: too many for {limit.host} ({limit.advice})")
        elif limit.what == "bytes in one file" and size.largest_bytes > limit.limit:
            found.append(_too_large_a_file(size, limit))
    return found


def _too_large_a_file(size: SiteSize, limit: HostLimit) -> str:
    others = sum(1 for weight in size.sizes if weight > limit.limit) - 1
    more = f", as {'is' if others == 1 else 'are'} {counted(others, 'other file')}" if others > 0 else ""
    data = ""
    if size.largest.startswith(DATA_FOLDER + "/"):
        data = "; it is open data, which 'open_data: false' in the settings leaves out"
    return f"{size.largest} is {megabytes(size.largest_bytes)}: too large for {limit.host} ({limit.advice}){more}{data}"


def megabytes(count: int) -> str:
    return f"{count / 1e6:,.1f} MB"
