"""Entry files as the import writes them: front matter, file names, and merging with an edited file.

The front matter is written field by field in a fixed order, each value plain
where YAML reads it back as the same text and in double quotes (a JSON string,
which is YAML too) otherwise, so the same update always gives the same bytes.
A file's name comes from its update's origin (the anchor, or the last part of
the id), never from the headline, and its folder from the day it was published
in the site's time zone.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import frontmatter

from .. import yamlsafe
from ..names import display_name, name_key, slug_for
from ..entries import ENTRY_SUFFIX

_FM = frontmatter.YAMLHandler()
KNOWN_FIELDS = ("title", "author", "published", "updated", "cities", "people", "sources", "tags", "key", "draft", "autolink", "corrections", "origin", "digest")
SLUG_LENGTH = 60


@dataclass(frozen=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True)
class EntryFields:
    """The front matter of an imported entry."""

    title: str
    published: datetime
    origin: str
    author: str = ""  # the byline (see ``bylines``); none is written where the source credits no one
    updated: datetime | None = None
    cities: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    key: bool = False
    draft: bool = False
    autolink: bool | None = None
    corrections: tuple[tuple[str, str], ...] = ()  # (at, text) as written: an ISO time with its offset, Markdown
    others: tuple[tuple[str, Any], ...] = ()  # fields of an edited file that the import does not know, kept
    digest: str = ""  # the ``digest`` line's value (see ``digests``): what this version was made from


def entry_text(fields: EntryFields, body: str) -> str:
    lines = ["---", f"title: {scalar(fields.title)}"]
    if fields.author:
        lines.append(f"author: {scalar(fields.author)}")
    lines.append(f"published: {fields.published.isoformat()}")
    if fields.updated is not None:
        lines.append(f"updated: {fields.updated.isoformat()}")
    lines.append(f"cities: {flow_list(fields.cities)}")
    lines.append(f"people: {flow_list(fields.people)}")
    if fields.sources:
        lines.append("sources:")
        for source in fields.sources:
            lines += [f"  - name: {scalar(source.name)}", f"    url: {scalar(source.url)}"]
    if fields.tags:
        lines.append(f"tags: {flow_list(fields.tags)}")
    if fields.key:
        lines.append("key: true")
    if fields.draft:
        lines.append("draft: true")
    if fields.autolink is not None:
        lines.append(f"autolink: {'true' if fields.autolink else 'false'}")
    if fields.corrections:
        lines.append("corrections:")
        for at, text in fields.corrections:
            lines += [f"  - at: {at}", f"    text: {scalar(text)}"]
    lines += [f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in fields.others]
    lines.append(f"origin: {scalar(fields.origin)}")
    if fields.digest:
        lines.append(f"digest: {fields.digest}")
    lines.append("---")
    body = body.strip("\n")
    return "\n".join(lines) + "\n" + (body + "\n" if body else "")


# A plain YAML scalar that reads back as the same text: it starts with a letter, holds no
# character YAML gives a meaning, and is no YAML 1.1 word. In a flow list, no comma and no
# '?' either: PyYAML ends a plain scalar there ("[Why?, Kyiv]" does not read back).
_PLAIN = re.compile(r"[^\W\d_][\w .,'’()–—/?!%+«»“”„=-]*(?<! )", re.U)
_PLAIN_IN_LIST = re.compile(r"[^\W\d_][\w .'’()–—/!%+«»“”„=-]*(?<! )", re.U)
_PLAIN_URL = re.compile(r"https?://[^\s\"'`{}\[\],|<>\\^]+")
_YAML_WORDS = frozenset("y n yes no on off true false null ~".split())


def scalar(text: str) -> str:
    if (_PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and ": " not in text) or _PLAIN_URL.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_list(items: tuple[str, ...]) -> str:
    parts = [item if _PLAIN_IN_LIST.fullmatch(item) and item.lower() not in _YAML_WORDS else json.dumps(item, ensure_ascii=False) for item in items]
    return "[" + ", ".join(parts) + "]"


def day_folder(published: datetime, zone: Any) -> str:
    day = published.astimezone(zone).date()
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def slug_for_origin(origin: str) -> str:
    """The file stem (and day-page anchor) of an imported entry: from its origin's anchor or last part."""
    parts = urlsplit(origin) if "://" in origin else None
    candidate = origin.split("#", 1)[1] if "#" in origin else ""
    if not candidate and parts is not None:
        segments = [s for s in parts.path.split("/") if s]
        query = [value for _, value in parse_qsl(parts.query)]
        candidate = (segments[-1] if segments else "") if not query else query[-1]
    if not candidate:
        candidate = re.split(r"[:/]", origin.rstrip("/:"))[-1]
    slug = slug_for(candidate)[:SLUG_LENGTH].strip("-")
    if not slug or slug.isdigit() or len(slug) < 3 or not re.search(r"[a-z]", slug):
        slug = f"update-{slug}" if slug else "update"
    return slug


def origin_suffix(origin: str) -> str:
    """What tells two entries apart whose origins give them the same name: a digest of the origin."""
    return hashlib.sha256(origin.encode()).hexdigest()[:8]


def new_path(folder: str, origin: str, taken: set[str]) -> str:
    """A free path in ``folder`` for a new entry (``taken`` holds lowercased paths)."""
    stem = slug_for_origin(origin)
    path = f"{folder}{stem}{ENTRY_SUFFIX}"
    if path.lower() in taken:
        path = f"{folder}{stem[: SLUG_LENGTH - 9]}-{origin_suffix(origin)}{ENTRY_SUFFIX}"
    return path


@dataclass(frozen=True)
class EditedFile:
    """What an existing entry file says, for merging: its front matter, read strictly."""

    data: dict
    body: str


def read_edited(text: str) -> EditedFile | None:
    try:
        front, body = _FM.split(text)
        data = yamlsafe.load(front).data
    except (ValueError, yamlsafe.YamlError):
        return None
    return EditedFile(data, body) if isinstance(data, dict) else None


def merged(fields: EntryFields, edited: EditedFile | None) -> EntryFields:
    """``fields`` from upstream, with what an edit of the file added kept.

    Upstream decides the title, the byline, the times and the body (the file is
    rewritten only where its text digest says an edit here would not be lost). Names,
    tags and sources added to the file stay (the lists are joined, the file's first),
    as does ``key: true``, a ``draft`` and an ``autolink`` setting, and any other field.
    A file without a digest keeps its byline where the source credits no one: the
    imports that wrote no digest wrote no byline either, so it was written here.
    """
    if edited is None:
        return fields
    data = edited.data
    return replace(
        fields,
        author=fields.author or (file_byline(edited) if data.get("digest") is None else ""),
        cities=_joined(_strings(data.get("cities")), fields.cities),
        people=_joined(_strings(data.get("people")), fields.people),
        tags=_joined(_strings(data.get("tags")), fields.tags),
        sources=_joined_sources(data.get("sources"), fields.sources),
        key=fields.key or data.get("key") is True,
        draft=fields.draft or data.get("draft") is True,
        autolink=data["autolink"] if isinstance(data.get("autolink"), bool) else fields.autolink,
        corrections=_joined_corrections(data.get("corrections"), fields.corrections),
        others=tuple((name, value) for name, value in data.items() if name not in KNOWN_FIELDS),
    )


def file_byline(edited: EditedFile) -> str:
    """The file's ``author``, white space single as the site shows it; "" for none."""
    author = edited.data.get("author")
    return " ".join(author.split()) if isinstance(author, str) else ""


def with_byline(text: str, author: str) -> str:
    """An entry file's text with an ``author`` line where the import writes it, after the title;
    every other byte as it was."""
    front_end = text.find("\n---", 3) + 1
    lines = text[:front_end].splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.startswith("title:")), len(lines) - 1)
    at += 1
    while at < len(lines) and lines[at][:1] in (" ", "\t"):  # the title's own lines, if it runs on
        at += 1
    lines.insert(at, f"author: {scalar(author)}\n")
    return "".join(lines) + text[front_end:]


def withdrawn_text(text: str) -> str:
    """An entry file's text with ``draft: true``: the rest of it as it was."""
    front_end = text.find("\n---", 3)
    front = text[: front_end + 1]
    if re.search(r"^draft:[ \t]*false[ \t]*$", front, re.M):
        return re.sub(r"^draft:[ \t]*false[ \t]*$", "draft: true", front, count=1, flags=re.M) + text[front_end + 1 :]
    return front + "draft: true\n" + text[front_end + 1 :]


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str) and v.strip()) if isinstance(value, list) else ()


def _joined(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in (*first, *second):
        seen.setdefault(name_key(name), display_name(name))
    return tuple(seen.values())


def _joined_corrections(listed: Any, new: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The file's corrections, then upstream's made at another time."""
    kept = [
        (c["at"], c["text"]) for c in (listed if isinstance(listed, list) else [])
        if isinstance(c, dict) and isinstance(c.get("at"), str) and isinstance(c.get("text"), str)
    ]  # fmt: skip
    times = {at for at, _ in kept}
    return tuple(kept + [c for c in new if c[0] not in times])


def _joined_sources(listed: Any, new: tuple[Source, ...]) -> tuple[Source, ...]:
    kept = [
        Source(s["name"], s["url"]) for s in (listed if isinstance(listed, list) else [])
        if isinstance(s, dict) and isinstance(s.get("name"), str) and isinstance(s.get("url"), str)
    ]  # fmt: skip
    urls = {s.url for s in kept}
    return tuple(kept + [s for s in new if s.url not in urls])
