"""The SOURCE arguments: files, folders of files and URLs, as the documents to read."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from .errors import SourceError
from .origins import redacted
from .update import Document, Skipped

# What a folder's files may be; others are reported, not read.
SUFFIXES = (".html", ".htm", ".xhtml", ".json", ".jsonld", ".xml", ".rss", ".atom")
MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class Source:
    """One SOURCE argument."""

    label: str  # as the report names it: the path as given, or the URL without secrets
    path: Path | None = None
    url: str = ""

    @property
    def is_url(self) -> bool:
        return bool(self.url)


def source_of(argument: str) -> Source:
    lowered = argument.lower()
    if lowered.startswith(("http://", "https://")):
        return Source(redacted(argument), url=argument)
    return Source(argument, path=Path(argument))


@dataclass(frozen=True)
class Listing:
    """The files of a source, and the ones left out with the reason."""

    files: tuple[Path, ...]
    left_out: tuple[Skipped, ...] = ()


def list_files(source: Source) -> Listing:
    """The files to read for a file or folder source; raise ``SourceError`` if there is none."""
    path = source.path
    assert path is not None
    if path.is_file():
        return Listing((path,))
    if not path.is_dir():
        if "://" in source.label:
            raise SourceError(source.label, "only http:// and https:// URLs can be fetched")
        raise SourceError(source.label, "no such file or folder")
    files, left_out = [], []
    for folder, subfolders, names in os.walk(path):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            file = Path(folder) / name
            if file.suffix.lower() in SUFFIXES:
                files.append(file)
            else:
                left_out.append(Skipped(str(file), f"not a file this importer reads ({', '.join(SUFFIXES)})"))
    if not files:
        raise SourceError(source.label, "the folder holds no file this importer reads")
    return Listing(tuple(files), tuple(left_out))


def read_file(path: Path) -> Document:
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(shown, f"file is {size:,} bytes; a source may be at most {MAX_FILE_BYTES:,}")
        return Document(shown, path.read_bytes())
    except OSError as exc:
        raise SourceError(shown, f"cannot be read: {exc.strerror or exc}") from None

