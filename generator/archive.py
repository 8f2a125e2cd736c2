"""Grouping checked entries into days and entities, in one deterministic pass each.

``build_archive`` groups a whole archive; ``patch_archive`` regroups the last
build's archive after a few files changed. Every rule of grouping is written
once, in the functions both use: the order of entries (``SORT_KEY``), one anchor
per slug and day (``_anchor_clashes``), what a name stands for (``_identity``),
an entity's name (``_spelling``) and its page's slug (``_base_slug``).
"""

from __future__ import annotations

import dataclasses
from bisect import insort
from itertools import groupby
from operator import attrgetter
from typing import Iterable, Sequence

from .model import Archive, Day, Entity, Entry
from .names import SLUG_LENGTH, name_key, slug_for
from .problems import ProblemLog
from .registry import Registry, RegistryEntry
from .settings import Settings


def build_archive(
    entries: Iterable[Entry],
    registries: dict[str, Registry],
    settings: Settings,
    log: ProblemLog,
) -> Archive:
    published = sorted((e for e in entries if not e.draft), key=SORT_KEY)
    for entry, first in _anchor_clashes(published):
        message = f"entry '{entry.slug}' on {entry.day.isoformat()} is also {first.path}; two entries of one day need different file names"
        if len(entry.rel_path.rsplit("/", 1)[-1]) > SLUG_LENGTH:  # its anchor is cut: the names may differ only after
            message += f" within their first {SLUG_LENGTH} characters, which make the anchor"
        log.error(entry.path, None, message)
    days = tuple(Day(day, tuple(group)) for day, group in groupby(published, key=attrgetter("day")))
    links: dict[str, tuple[Entity, ...]] = {}
    by_kind = {}
    for kind in ("city", "person"):
        entities, named = _entities(kind, published, registries[kind], log, settings.language)
        by_kind[kind] = entities
        for path, found in named.items():
            links[path] = links[path] + found if path in links else found
    return Archive(settings=settings, days=days, cities=by_kind["city"], people=by_kind["person"], links=links)


# ``Entry.sort_key`` without a Python call per entry: 20,000 entries are sorted every build.
SORT_KEY = attrgetter("published", "slug", "rel_path")


def _anchor_clashes(entries: Sequence[Entry]) -> list[tuple[Entry, Entry]]:
    """Each entry (sorted by ``SORT_KEY``) whose day and slug an earlier one has, with that earlier one."""
    seen: dict[tuple, Entry] = {}
    clashes = []
    for entry in entries:
        first = seen.setdefault((entry.day, entry.slug), entry)
        if first is not entry:
            clashes.append((entry, first))
    return clashes


def _entities(
    kind: str, entries: list[Entry], registry: Registry, log: ProblemLog, language: str
) -> tuple[tuple[Entity, ...], dict[str, tuple[Entity, ...]]]:
    """One entity per registry entry or, for unknown names, per name key, from
    ``entries`` sorted oldest first (by ``sort_key``).

    Also returns, for each entry, the entities it names in the order it names them.
    """
    named: dict[str, list[tuple]] = {}
    members: dict[tuple, list[Entry]] = {}
    known: dict[tuple, RegistryEntry] = {}
    first_use: dict[tuple, Entry] = {}
    resolved: dict[str, tuple[tuple, RegistryEntry | None]] = {}  # a few names, used thousands of times
    # About 75,000 names at 20,000 entries: this loop keeps to plain dict and list operations.
    for entry in entries:
        ids: list[tuple] = []
        for name in entry.cities if kind == "city" else entry.people:
            found = resolved.get(name)
            if found is None:
                found = resolved[name] = _identity(name, registry)
            identity, info = found
            group = members.get(identity)
            if group is None:
                group = members[identity] = []
                first_use[identity] = entry
                if info:
                    known[identity] = info
            if not group or group[-1] is not entry:
                group.append(entry)
                ids.append(identity)
        if ids:
            named[entry.rel_path] = ids
    # Registry names claim their slugs first, then their aliases (each alias's URL redirects
    # to its page), then unknown names, each in the order of their first update: a newly
    # used name can never take over an established page or a redirect to one, nor can a
    # name added to a registry whose slug is another's (صور and سور are both /swr/ in
    # Arabic, which writes no short vowels), unless it names an update older than any of
    # the other's. ``members`` holds the names in that order: ``entries`` come oldest first.
    order = sorted(members, key=lambda i: i[0] != "known")
    taken: set[str] = set()
    owners: dict[str, str] = {}  # by slug: the name whose page or redirect has it, as a message names it
    result: dict[tuple, Entity] = {}
    aliases: dict[str, str] = {}  # by slug: the first alias to make it
    for info in known.values():
        for alias in info.aliases:
            aliases.setdefault(slug_for(alias, language), f"'{alias}', an alias of '{info.name}'")
    for identity in order:
        info = known.get(identity)
        if info is None and aliases:
            claimed = {slug: owner for slug, owner in aliases.items() if slug and slug not in taken}
            taken |= claimed.keys()
            owners.update(claimed)
            aliases = {}
        name = info.name if info else _spelling(identity, members[identity], kind)
        base = _base_slug(name, language)
        slug = _free_slug(base, taken)
        owners.setdefault(slug, f"'{name}'")
        if slug != base:
            log.warning(
                first_use[identity].path,
                None,
                f"'{name}' makes the same URL as {owners[base]}; its page is /{_section(kind)}/{slug}/",
            )
        # ``entries`` come sorted, oldest first, and sort keys are unique: newest first is the reverse.
        entity_entries = tuple(reversed(members[identity]))
        result[identity] = Entity(kind, slug, name, entity_entries, info, info.aliases if info else ())
    entities = tuple(sorted(result.values(), key=lambda e: (name_key(e.name), e.slug)))
    return entities, {path: tuple(map(result.__getitem__, ids)) for path, ids in named.items()}


def _identity(name: str, registry: Registry) -> tuple[tuple, RegistryEntry | None]:
    """What ``name`` stands for: a registry entry, or an unknown name by its key."""
    info = registry.resolve(name)
    return (("known", name_key(info.name)) if info else ("name", name_key(name))), info


def _identity_of(entity: Entity) -> tuple:
    """The identity (``_identity``) of the names that make up ``entity``."""
    return ("known" if entity.info else "name", name_key(entity.name))


def _spelling(identity: tuple, oldest_first: Sequence[Entry], kind: str) -> str:
    """The name of the entity of an unknown name, given its entries, oldest first: the
    spelling most used for it; ties go to the earliest used."""
    counts: dict[str, int] = {}  # in order of first use
    for entry in oldest_first:
        for spelling in entry.cities if kind == "city" else entry.people:
            if name_key(spelling) == identity[1]:
                counts[spelling] = counts.get(spelling, 0) + 1
    first_use = {name: index for index, name in enumerate(counts)}
    return min(counts, key=lambda name: (-counts[name], first_use[name]))


def _base_slug(name: str, language: str) -> str:
    """The slug of an entity's page, before a clash with another's makes it unique."""
    return slug_for(name, language) or "unnamed"


def _any_clash(entities: tuple[Entity, ...], language: str) -> bool:
    """Whether an entity's page has another slug than its name makes: two names share one."""
    return any(entity.slug != _base_slug(entity.name, language) for entity in entities)


def _free_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _section(kind: str) -> str:
    return "cities" if kind == "city" else "people"



def patch_archive(
    archive: Archive, removed: Sequence[Entry], added: Sequence[Entry], registries: dict[str, Registry]
) -> Archive | None:
    """``build_archive`` of the archive's entries less ``removed`` plus ``added`` (an
    edited file's entry is in both), worked out from ``archive`` alone; None where the
    change could alter what grouping decides across the whole archive: build it whole.

    That is an entity made or emptied (slugs are given out in the order of the names'
    first updates), one whose slug was taken (its warning names its first entry) or whose
    first update changes while two names share a slug, a name outside the registries
    whose most used spelling (its page's name) changes, and an anchor used twice.
    """
    removed = [entry for entry in removed if not entry.draft]
    added = [entry for entry in added if not entry.draft]
    gone = {entry.rel_path for entry in removed}
    days = _patched_days(archive.days, removed, added)
    if days is None:
        return None
    replaced: dict[Entity, Entity] = {}
    links = dict(archive.links)
    for path in gone:
        links.pop(path, None)
    for kind in ("city", "person"):
        changes = _entity_changes(archive.entities(kind), kind, removed, added, registries[kind])
        if changes is None:
            return None
        named, gained = changes
        for entity, new in gained.items():
            entries = _merged(entity.entries, gone, new)
            if not entries or entity.slug != _base_slug(entity.name, archive.settings.language):
                return None
            if entries[-1] is not entity.entries[-1] and _any_clash(archive.entities(kind), archive.settings.language):
                return None  # its first update changed, which orders the names that share a slug
            if entity.info is None and _spelling(_identity_of(entity), entries[::-1], kind) != entity.name:
                return None
            replaced[entity] = dataclasses.replace(entity, entries=entries)
        for path, entities in named.items():
            links[path] = links.get(path, ()) + entities
    renamed = replaced.get
    for entity in replaced.values():  # every entry linking an entity must name its new object
        for entry in entity.entries:
            linked = links[entry.rel_path]
            links[entry.rel_path] = tuple(map(renamed, linked, linked))
    cities, people = (tuple(replaced.get(e, e) for e in archive.entities(kind)) for kind in ("city", "person"))
    return Archive(settings=archive.settings, days=days, cities=cities, people=people, links=links)


def _merged(entries: tuple[Entry, ...], gone: set[str], new: list[Entry]) -> tuple[Entry, ...]:
    """An entity's ``entries`` (newest first) without those ``gone`` (by rel_path), with ``new`` in their places."""
    oldest_first = [e for e in reversed(entries) if e.rel_path not in gone] if gone else list(reversed(entries))
    for entry in new:  # a few among thousands: placed by bisection, not sorted in
        insort(oldest_first, entry, key=SORT_KEY)
    return tuple(reversed(oldest_first))


def _patched_days(days: tuple[Day, ...], removed: list[Entry], added: list[Entry]) -> tuple[Day, ...] | None:
    """The days with ``removed`` taken out and ``added`` put in; None if an anchor is taken twice."""
    by_date = {day.date: day for day in days}
    gone = {entry.rel_path for entry in removed}
    for date in {entry.day for entry in (*removed, *added)}:
        entries = [e for e in (by_date[date].entries if date in by_date else ()) if e.rel_path not in gone]
        entries = sorted(entries + [e for e in added if e.day == date], key=SORT_KEY)
        if _anchor_clashes(entries):
            return None
        by_date[date] = Day(date, tuple(entries))
    return tuple(day for _, day in sorted(by_date.items()) if day.entries)


def _entity_changes(
    entities: tuple[Entity, ...], kind: str, removed: list[Entry], added: list[Entry], registry: Registry
) -> tuple[dict[str, tuple[Entity, ...]], dict[Entity, list[Entry]]] | None:
    """For each added entry, the entities of ``kind`` it names (as ``build_archive`` links
    them); and each entity a removed or added entry names, with the added entries it gains.
    None if the entity of one of the names does not exist yet."""
    existing = {_identity_of(e): e for e in entities}
    named: dict[str, tuple[Entity, ...]] = {}
    gained: dict[Entity, list[Entry]] = {}
    for index, entry in enumerate((*removed, *added)):
        found: list[Entity] = []
        for name in entry.cities if kind == "city" else entry.people:
            entity = existing.get(_identity(name, registry)[0])
            if entity is None:
                return None
            if entity not in found:
                found.append(entity)
            gained.setdefault(entity, [])
        if index >= len(removed) and found:
            for entity in found:
                gained[entity].append(entry)
            named[entry.rel_path] = tuple(found)
    return named, gained
