"""Digests: what an imported entry keeps of the version it was imported from.

Beside its ``origin``, an imported entry holds a ``digest`` line with two digests:

- ``source``: of its update as the source gave it (headline, HTML body, times,
  key flag, addresses, corrections, bylines), so that importing again sees an edit
  made upstream in place, even where the source's times did not change;
- ``text``: of the title, byline, times and body the import made of that version,
  so that it sees an edit made here, in the file, to what the import would overwrite.

The byline counts only where there is one: the digests of an update that credits no
one are those made before bylines were read, so that reading them changes nothing
for it. (A byline is one text that upstream decides, as it decides the headline: there
is nothing to join an editor's byline with, as names are joined in the lists, so an
edit to it here is told from one upstream by the text digest, as the title's is.)

Both are the first 16 hex digits of a SHA-256 (64 bits: two versions of one
update never meet by chance). The line reads ``digest: source=<16> text=<16>``:
plain YAML text, never a number, and the same bytes for the same versions.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from ..zone_times import written_moment
from .entry_files import EditedFile, file_byline, read_edited
from .update import ImportedUpdate

_LENGTH = 16
PATTERN = rf"^source=[0-9a-f]{{{_LENGTH}}} text=[0-9a-f]{{{_LENGTH}}}$"
_WRITTEN = re.compile(PATTERN)
_LINE = re.compile(r"^digest:[^\n]*\n", re.M)


@dataclass(frozen=True)
class Digest:
    source: str  # of the update as its source gave it
    text: str  # of the title, times and body the import made of it

    def written(self) -> str:
        """The value of the ``digest`` field."""
        return f"source={self.source} text={self.text}"


def read_digest(value: object) -> Digest | None:
    """The ``digest`` field's value as the import wrote it; None for anything else."""
    if not isinstance(value, str) or not _WRITTEN.match(value.strip()):
        return None
    source, text = value.split()
    return Digest(source.removeprefix("source="), text.removeprefix("text="))


def source_digest(update: ImportedUpdate) -> str:
    """The digest of what the source says of ``update``: whatever would change its entry.

    Its place in the source is left out (an update listed above it moves it) and so are
    its identity and whether it is withdrawn, which the import compares by themselves.
    """
    said = {
        "title": update.title, "body": update.body_html, "published": _utc(update.published), "modified": _utc(update.modified),
        "key": update.key, "url": update.url, "base": update.base_url, "publisher": update.publisher,
        "corrections": [[_utc(c.at), c.text] for c in update.corrections],
    }  # fmt: skip
    if update.authors:
        said["authors"] = list(update.authors)
    if update.tags:  # as authors: the digests of updates without them are as before tags were read
        said["tags"] = list(update.tags)
    return _hex(json.dumps(said, ensure_ascii=False, sort_keys=True))


def text_digest(title: str, published: datetime | None, updated: datetime | None, body: str, author: str = "") -> str:
    """The digest of the parts of an entry that the import decides: title, byline, times and body.

    Times count as moments (the site's time zone may change), the body without the
    blank lines around it, as the entry's file holds it, and the byline with its white
    space single, as the site shows it; an entry without one is digested as before
    bylines were read.
    """
    parts = [title, _utc(published), _utc(updated), body.strip("\n")]
    author = " ".join(author.split())
    return _hex(json.dumps(parts + [author] if author else parts, ensure_ascii=False))


def file_text_digest(text: str) -> str | None:
    """``text_digest`` of an entry file as it is now; None if its front matter cannot be read."""
    edited = read_edited(text)
    return edited_text_digest(edited) if edited is not None else None


def edited_text_digest(edited: EditedFile, author: str | None = None) -> str | None:
    """``text_digest`` of a file's front matter and body (with ``author`` for its byline, if given)."""
    data = edited.data
    if not isinstance(data.get("title"), str):
        return None
    author = file_byline(edited) if author is None else author
    return text_digest(data["title"], written_moment(data.get("published")), written_moment(data.get("updated")), edited.body, author)


def with_digest(text: str, digest: Digest) -> str:
    """An entry file's text with its ``digest`` line set, every other byte as it was.

    A new line goes at the end of the front matter, after ``origin`` where the import wrote it.
    """
    line = f"digest: {digest.written()}\n"
    end = text.find("\n---", 3) + 1
    front = text[:end]
    front = _LINE.sub(lambda _: line, front, count=1) if _LINE.search(front) else front + line
    return front + text[end:]


def _utc(moment: datetime | None) -> str:
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else ""


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_LENGTH]

