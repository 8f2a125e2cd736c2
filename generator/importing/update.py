"""What every format is read into: updates, and what a source said besides them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable

from ..names import tag_form
from .html_body import as_written, plain
from .origins import told_apart
from .times import edit_time


@dataclass(frozen=True)
class ImportedCorrection:
    """A correction the source declares for an update (schema.org ``correction``), as the entry's ``corrections`` holds it."""

    at: datetime
    text: str  # Markdown


@dataclass(frozen=True)
class ImportedUpdate:
    """One update of a live blog as its source gives it, before it becomes an entry.

    ``origin`` is its stable identity (the entry's ``origin`` field): the update's
    URL with its anchor, or its source's id for it; never its headline, which may
    change. ``body_html`` is the source's HTML (text sources are made paragraphs).
    """

    origin: str
    published: datetime
    title: str = ""  # empty: the entry's title is made from the body's first sentence
    body_html: str = ""
    modified: datetime | None = None  # the source's own time of its last change, if it gives one
    url: str = ""  # the update's permalink, if it has one: its source link, and a second way to find its entry
    base_url: str = ""  # what relative links in the body are relative to
    key: bool = False  # a key event, a summary or a pinned update
    withdrawn: bool = False  # deleted or unpublished upstream
    publisher: str = ""  # who published it, for the entry's source
    # Whom the source credits with it: its people's names, else an organization's (see ``bylines``).
    authors: tuple[str, ...] = ()
    place: str = ""  # where the source holds it ("body[3]", "item 4"), for messages
    corrections: tuple[ImportedCorrection, ...] = ()  # those with a time, not before ``published``
    tags: tuple[str, ...] = ()  # the source's categories or tags for it, written as tags are (``names.tag_form``)
    # The source gives only the time of its last change (Atom's <updated>, JSON Feed's
    # date_modified alone): ``published`` is that time, which an entry imported before keeps.
    dated_by_change: bool = False

    @property
    def updated(self) -> datetime | None:
        """The entry's ``updated``: the source's change time, if a minute or more after publishing."""
        return edit_time(self.published, self.modified)

    @property
    def version(self) -> datetime:
        """When this version of the update was made: its entry is rewritten only for a later one."""
        return self.updated or self.published


def timed_told_apart(updates: list[ImportedUpdate], timed: list[bool]) -> list[ImportedUpdate]:
    """``updates`` with the origins made from their time (where ``timed``) distinct: two updates
    published in the same second are two entries, each known by its headline (or text) as well."""
    marked = [index for index, is_timed in enumerate(timed) if is_timed]
    distinct = told_apart([(updates[i].origin, updates[i].title or plain(updates[i].body_html)) for i in marked])
    result = list(updates)
    for index, origin in zip(marked, distinct):
        result[index] = replace(result[index], origin=origin)
    return result


@dataclass(frozen=True)
class Document:
    """The bytes of one file or response, and how to name it."""

    name: str  # as messages show it: the file's path, or the URL without secrets
    data: bytes
    url: str = ""  # where it was fetched from, if it was: relative links are relative to it
    content_type: str = ""


@dataclass(frozen=True)
class Skipped:
    """An item of a source that is not imported, and why."""

    place: str
    reason: str


@dataclass(frozen=True)
class ParsedSource:
    """Everything one file or response says: its live blog's updates and what could not be read."""

    format: str  # the name of the format it was read as (see ``formats.FORMATS``)
    live_blog: str  # the live blog's address or id, as the report names it
    updates: tuple[ImportedUpdate, ...]
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    # Set when the source lists every update of its live blog (a Guardian item with all its
    # blocks): an update imported from that live blog before, under this origin prefix, and
    # missing now was deleted upstream.
    complete_prefix: str | None = None
    # With ``complete_prefix``, the origins it answers for, if not all under the prefix: an
    # export of a channel's messages from one id to another says nothing of those before or after.
    complete_within: frozenset[str] | None = None
    captured: str = ""  # for captures of one page: when this one was made, to order their versions
    next_url: str | None = field(default=None, compare=False)  # a further page of the same response


# A CMS's category for what has none: it says nothing of an update.
_NO_TOPIC = frozenset({"uncategorized", "uncategorised"})
# Categories that mark a key event, as the classes of live-blog markup do.
KEY_TAGS = frozenset({"key-event", "key-events", "pinned", "highlight", "highlights"})


def source_tags(names: Iterable[object]) -> tuple[tuple[str, ...], bool]:
    """The tags a source's categories make (each once, written as tags are), and whether one
    of them marks the update as a key event, which is said by ``key``, not by a tag."""
    tags: list[str] = []
    key = False
    for name in names:
        tag = tag_form(as_written(name)) if isinstance(name, str) else ""
        if tag in KEY_TAGS:
            key = True
        elif tag and tag not in _NO_TOPIC and tag not in tags:
            tags.append(tag)
    return tuple(tags), key
