"""The entries already in the content folder: the imported ones by origin, and every taken name.

Only the front matter's top-level ``origin``, ``published``, ``updated``, ``draft``
and ``digest`` lines are read, without a YAML parser: a re-import of 20,000 updates
reads 20,000 files to find out that nothing changed. A value in quotes is read as
YAML reads it; an entry whose front matter is not of this simple form is read
with the project's strict YAML loader.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import yamlsafe
from ..entries import is_entry_name
from ..zone_times import written_moment
from .digests import Digest, read_digest

_FIELD = re.compile(r"^(origin|published|updated|draft|digest):[ \t]*(.*?)[ \t]*$", re.M)
# A source's address that names one update (it has an anchor), in the front matter's list.
_SOURCE_URL = re.compile(r"^[ \t]+(?:-[ \t]+)?url:[ \t]*(\S*#\S*?)[ \t]*$", re.M)


@dataclass(frozen=True)
class ImportedEntry:
    """An entry file with an ``origin``: what a re-import compares with."""

    rel_path: str  # in the content folder, with forward slashes
    text: str
    origin: str
    published: datetime | None
    updated: datetime | None
    draft: bool
    digest: Digest | None = None  # None: imported before entries kept one, or the line was removed

    @property
    def version(self) -> datetime | None:
        """When the version in the file was made upstream (as the import wrote it)."""
        return self.updated or self.published


@dataclass
class ContentIndex:
    by_origin: dict[str, ImportedEntry] = field(default_factory=dict)
    by_url: dict[str, ImportedEntry] = field(default_factory=dict)  # by each source address with an anchor
    taken: set[str] = field(default_factory=set)  # every entry's relative path, lowercased
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (origin, the later file naming it)

    def find(self, origin: str, url: str = "") -> ImportedEntry | None:
        """The entry imported from ``origin``, or from ``url`` when that names one update (it has an anchor):
        the same update imported before from another of its publisher's formats."""
        if "#" not in url:
            return self.by_origin.get(origin)
        return self.by_origin.get(origin) or self.by_origin.get(url) or self.by_url.get(url)


def index_content(content_dir: Path) -> ContentIndex:
    index = ContentIndex()
    if not content_dir.is_dir():
        return index
    for folder, subfolders, names in os.walk(content_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        relative = Path(folder).relative_to(content_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        for name in sorted(names):
            if not is_entry_name(name):
                continue
            rel_path = prefix + name
            index.taken.add(rel_path.lower())
            entry = _read(content_dir / rel_path, rel_path)
            if entry is None:
                continue
            if entry.origin in index.by_origin:
                index.duplicates.append((entry.origin, rel_path))
            else:
                index.by_origin[entry.origin] = entry
            for url in _SOURCE_URL.findall(entry.text.split("\n---", 1)[0]):
                index.by_url.setdefault(url.strip("'\""), entry)
    return index


def _read(path: Path, rel_path: str) -> ImportedEntry | None:
    try:
        text = path.read_text("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None  # `check` reports it
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 3)
    front = text[4 : end + 1] if end != -1 else ""
    if "origin:" not in front:
        return None
    values = {key: _value(raw) for key, raw in _FIELD.findall(front)}
    if any(value is _UNREADABLE for value in values.values()):
        values = _strict(front)
    origin = values.get("origin")
    if not isinstance(origin, str) or not origin.strip():
        return None
    return ImportedEntry(
        rel_path, text, origin.strip(), written_moment(values.get("published")), written_moment(values.get("updated")),
        values.get("draft") is True, read_digest(values.get("digest")),
    )  # fmt: skip


_UNREADABLE = object()


def _value(raw: str) -> object:
    if raw.startswith('"'):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return _UNREADABLE
    if raw.startswith("'") or raw.startswith(("[", "{", "|", ">", "&", "*", "!")) or " #" in raw:
        return _UNREADABLE
    return {"true": True, "false": False}.get(raw, raw)


def _strict(front: str) -> dict:
    try:
        data = yamlsafe.load(front).data
    except yamlsafe.YamlError:
        return {}
    return data if isinstance(data, dict) else {}
