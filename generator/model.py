"""The archive as frozen data: entries, days and entities, built once per run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cached_property
from itertools import groupby
from operator import attrgetter

from .registry import RegistryEntry
from .settings import Settings


@dataclass(frozen=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True)
class Correction:
    """A correction its contributor declared: when it was made and what it says, sanitized HTML.

    Shown with its entry, newest first, and on the corrections page; ``text`` is the
    Markdown as written (for data exports), ``text_html`` what the pages show (its links
    by path as written, resolved as a body's are: ``autolink.EntryLinks``).
    """

    at: datetime  # with the offset written; never before the entry's ``published``
    text_html: str
    text: str = ""


@dataclass(frozen=True)
class Entry:
    """One timestamped update, as its contributor wrote it, with its body rendered."""

    path: str  # the source file as named in messages
    rel_path: str  # relative to the content folder, with forward slashes
    slug: str
    title: str
    published: datetime
    # The later of the ``updated`` written and the newest correction's time: a correction
    # changes the entry, and every page and feed that says when it last changed says so.
    updated: datetime | None
    day: date  # the calendar date of `published` in the site's time zone
    cities: tuple[str, ...]
    people: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    key: bool = False
    draft: bool = False
    autolink: bool = True
    author: str = ""
    language: str = ""  # the text's language, where it is not the site's ("" for the site's)
    html: str = ""
    corrections: tuple[Correction, ...] = ()  # newest first
    # The entry files the body and corrections link by path (``autolink.path_links``), by their places in
    # the content folder: found once, when the entry is read, not in every body at each build.
    linked_entries: tuple[str, ...] = ()
    # A digest of what the entry was read from (its path in the content folder and its
    # text): with the reading code and the time zone, it determines every field above,
    # so caches of what is rendered from an entry use it as the entry's identity.
    source_digest: str = ""

    @property
    def sort_key(self) -> tuple[datetime, str, str]:
        # Ties on time are broken by slug and path, so order never depends on the file system.
        return (self.published, self.slug, self.rel_path)

    def named(self, path: str) -> "Entry":
        """This entry with its file named ``path``: the same file, named as another run names it."""
        # Not dataclasses.replace, whose checks would run again for every entry of an
        # archive that `briefings build` takes from what `mkdocs serve` cached.
        entry = object.__new__(Entry)
        entry.__dict__.update(self.__dict__, path=path)
        return entry


# One tzinfo object per UTC offset in a process. Times with the same tzinfo object compare
# without asking it for their offsets, which makes sorting an archive's entries much cheaper.
_OFFSETS: dict[timedelta | None, tzinfo | None] = {}
_SHARED: set[int] = set()  # the ids of the objects in _OFFSETS, which live as long as the process


def shared_offset(moment: datetime) -> datetime:
    """``moment`` with this process's one tzinfo object for its offset."""
    if id(moment.tzinfo) in _SHARED:
        return moment
    zone = _OFFSETS.setdefault(moment.utcoffset(), moment.tzinfo)
    _SHARED.add(id(zone))
    return moment if moment.tzinfo is zone else moment.replace(tzinfo=zone)


def shared_zone(offset: timedelta) -> tzinfo | None:
    """This process's one tzinfo object for ``offset``."""
    zone = _OFFSETS.get(offset)
    if zone is None:
        zone = _OFFSETS[offset] = timezone(offset)
        _SHARED.add(id(zone))
    return zone


_DAY = attrgetter("day")


@dataclass(frozen=True, eq=False)
class Entity:
    """A city or a person with every entry that names it, newest first.

    Compared and hashed by identity: an archive holds one object per entity.
    """

    kind: str  # "city" or "person"
    slug: str
    name: str
    entries: tuple[Entry, ...]
    info: RegistryEntry | None = None
    aliases: tuple[str, ...] = ()

    @cached_property
    def by_month(self) -> tuple[tuple[tuple[int, int], tuple[Entry, ...]], ...]:
        """Its entries by (year, month), newest month first.

        Kept with the entity, in the snapshot too: an entity that a rebuild leaves as
        it was is not grouped again.
        """
        months: list[tuple[tuple[int, int], list[Entry]]] = []
        for day, group in groupby(self.entries, key=_DAY):  # by day first: far fewer keys to compare
            month = (day.year, day.month)
            if months and months[-1][0] == month:
                months[-1][1].extend(group)
            else:
                months.append((month, list(group)))
        return tuple((month, tuple(entries)) for month, entries in months)

    @cached_property
    def month_changes(self) -> dict[tuple[int, int], datetime]:
        """When an entry naming it was last published, updated or corrected, by (year, month) of
        the entries (kept, like ``by_month``): what its pages say of their last change."""
        return {month: max(e.updated or e.published for e in entries) for month, entries in self.by_month}

    @property
    def last_change(self) -> datetime:
        return max(self.month_changes.values())


@dataclass(frozen=True)
class Day:
    date: date
    entries: tuple[Entry, ...]  # in reading order: oldest first

    @property
    def key_entries(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.key)

    @cached_property
    def last_change(self) -> datetime:
        """When an entry of the day was last published or updated (kept, like ``Entity.by_month``)."""
        return max(e.updated or e.published for e in self.entries)

    # What a rebuild asks of the whole archive, kept by each day as its last change is:
    # a rebuild asks the archive's 1,400 days, not its 100,000 entries.

    @cached_property
    def corrected(self) -> tuple[Entry, ...]:
        """Its entries that have corrections."""
        return tuple(e for e in self.entries if e.corrections)

    @cached_property
    def filed_elsewhere(self) -> tuple[Entry, ...]:
        """Its entries whose files are not in its date's folder ("2022/03/03/")."""
        folder = f"{self.date:%Y/%m/%d}"
        return tuple(e for e in self.entries if e.rel_path.rpartition("/")[0] != folder)

    @cached_property
    def linked_entries(self) -> frozenset[str]:
        """The entry files its entries link by path (``Entry.linked_entries``)."""
        return frozenset(place for e in self.entries for place in e.linked_entries)


@dataclass(frozen=True)
class Archive:
    """Everything the views need; built after all reading and checking is done."""

    settings: Settings
    days: tuple[Day, ...]  # oldest first
    cities: tuple[Entity, ...]  # sorted by name
    people: tuple[Entity, ...]
    # For each entry (by rel_path), the entities it names, in the order written.
    links: dict[str, tuple[Entity, ...]] = field(default_factory=dict)

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """Every published entry, oldest first (by ``Entry.sort_key``)."""
        return tuple(e for day in self.days for e in day.entries)

    @property
    def last_change(self) -> datetime | None:
        """When an update was last published, updated or corrected (None: no update): the build's
        date and the open data's. Read from each day's kept last change, not from every entry."""
        return max((day.last_change for day in self.days), default=None)

    def entities(self, kind: str) -> tuple[Entity, ...]:
        return self.cities if kind == "city" else self.people

    def cities_of(self, entry: Entry) -> tuple[Entity, ...]:
        return tuple(e for e in self.links.get(entry.rel_path, ()) if e.kind == "city")

    def people_of(self, entry: Entry) -> tuple[Entity, ...]:
        return tuple(e for e in self.links.get(entry.rel_path, ()) if e.kind == "person")
