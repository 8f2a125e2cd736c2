"""The keys of pages and feeds in the output store, derived from what they are made from.

A keyed page group's key is the digest of its view's name and arguments
(``views.ViewGroup``), with the part every key shares (the store's context:
the generator's fingerprint, the time zone and the names linked; and the
settings). Entries in the arguments go in as strings, much faster to digest:
an entry shown whole (a day's block, a feed's item) as its source digest, which
determines every field, and the names it links; an entry listed on an entity
page as every field of its ``views.Line``.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any, Callable

from .. import feeds, urls
from ..model import Archive, Day, Entity, Entry
from ..views import Line, Listed, ViewGroup
from .output_store import digest

# By group name (and "feed " and a feed's URL): the day or entity a group shows, its
# arguments other than entries, and its key; under "", the part every page key shares.
Keys = dict[str, tuple[Any, tuple, str]]


class EntryInputs:
    """Each entry's part of the keys of the pages and feeds that show it, made once per build,
    the first time a key asks for it.

    An entry shown whole (a day's block, a feed's item) counts as its source digest
    (which determines every field) and the names it links; an entry listed on an
    entity page as every field of its ``views.Line``. At 20,000 entries, pages and
    feeds show about 100,000 of them.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._names = {entity: repr((entity.kind, entity.slug, entity.name)) for entity in (*archive.cities, *archive.people)}
        self.whole: dict[str, str] = {}
        self.lines: dict[str, str] = {}

    def _whole(self, entry: Entry) -> str:
        named = ",".join([self._names[entity] for entity in self.archive.links.get(entry.rel_path, ())])
        return f"{_entry_digest(entry)} {named}"

    def plain(self, value: Any) -> Any:
        """``value`` as it goes into a key: entries as one string, much faster to digest."""
        if isinstance(value, Listed):
            return ("listed", _joined(self.lines, lambda entry: _line_text(value.line(entry)), value.entries))
        if isinstance(value, Day):
            return ("day", value.date, _joined(self.whole, self._whole, value.entries))
        if _shows_entries(value):
            return _joined(self.whole, self._whole, value)
        return value

    def feed(self, entries: tuple[Entry, ...]) -> Any:
        """What a feed of ``entries`` shows: its newest entries, each shown whole."""
        return self.plain(tuple(feeds.latest(entries, self.archive.settings.feed_size)))


def _joined(made: dict[str, str], make: Callable[[Entry], str], entries: tuple[Entry, ...]) -> str:
    """The values of ``entries`` in ``made`` (by rel_path), one a line; those not made yet are made."""
    try:
        return "\n".join(map(made.__getitem__, map(_REL_PATH, entries)))
    except KeyError:  # the first group to show these entries
        for entry in entries:
            if entry.rel_path not in made:
                made[entry.rel_path] = make(entry)
        return "\n".join(map(made.__getitem__, map(_REL_PATH, entries)))


# Every field of a line, in order: a field added to ``Line`` is in every key at once.
_LINE_FIELDS = attrgetter(*(field.name for field in fields(Line)))


def _line_text(line: Line) -> str:
    # Joined with NUL, which no slug, title or time holds.
    return "\0".join(map(_text, _LINE_FIELDS(line)))


def _text(value: Any) -> str:
    """A field of a line as text: the names it links each as their own (memoized) text."""
    if type(value) is tuple:
        return "\1".join(map(_named_text, value))
    return str(value)


# A few hundred names, linked by tens of thousands of lines: each written once.
_NAMED: dict[Any, str] = {}


def _named_text(named: Any) -> str:
    text = _NAMED.get(named)
    if text is None:
        text = _NAMED[named] = repr(named)
    return text


_REL_PATH = attrgetter("rel_path")


def _shows_entries(value: Any) -> bool:
    return isinstance(value, (Listed, Day)) or (isinstance(value, tuple) and bool(value) and isinstance(value[0], Entry))


def _entry_digest(entry: Entry) -> str:
    # Set by the reader (the store's context holds the reading code's fingerprint); an
    # entry made some other way is digested whole.
    return entry.source_digest or digest(entry)


def group_keys(inputs: EntryInputs, groups: list[ViewGroup], known: Keys | None, made: Keys) -> list[str | None]:
    """Per group, a digest of its view and arguments (None: made every time); each goes into ``made``,
    whose "" holds the part every key shares. A group whose owner and other inputs are
    those ``known`` keeps its known key."""
    base = made[""][2]
    keys: list[str | None] = []
    for group in groups:
        if not group.keyed:
            keys.append(None)
            continue
        others = tuple(None if _shows_entries(value) else value for value in group.args)
        was = None if known is None else known.get(group.name)
        if was is not None and group.owner is not None and was[0] is group.owner and was[1] == others:
            key = was[2]
        else:
            key = digest("pages", base, group.view.__qualname__, *map(inputs.plain, group.args))
        made[group.name] = (group.owner, others, key)
        keys.append(key)
    return keys


def entity_feed_key(inputs: EntryInputs, entity: Entity, known: Keys | None, made: Keys) -> str:
    """What the entity's feed shows: its newest entries, its names and the settings (see ``group_keys``)."""
    name = f"feed {urls.entity_feed_url(entity)}"
    was = None if known is None else known.get(name)
    if was is not None and was[0] is entity:  # the same object: the same entries and names
        key = was[2]
    else:
        settings = inputs.archive.settings
        key = digest("feed", settings, entity.kind, entity.slug, entity.name, inputs.feed(entity.entries))
    made[name] = (entity, (), key)
    return key


def site_feeds_key(inputs: EntryInputs) -> str:
    """What the archive's RSS and JSON feeds show: its newest entries and the settings."""
    return digest("site feeds", inputs.archive.settings, inputs.feed(inputs.archive.entries))
