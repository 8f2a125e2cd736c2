"""Grouping checked entries into days and entities, in one deterministic pass each."""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter
from typing import Iterable

from .model import Archive, Day, Entity, Entry
from .names import name_key, slug_for
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
    _check_unique_anchors(published, log)
    days = tuple(Day(day, tuple(group)) for day, group in groupby(published, key=attrgetter("day")))
    links: dict[str, tuple[Entity, ...]] = {}
    by_kind = {}
    for kind in ("city", "person"):
        entities, named = _entities(kind, published, registries[kind], log)
        by_kind[kind] = entities
        for path, found in named.items():
            links[path] = links[path] + found if path in links else found
    return Archive(settings=settings, days=days, cities=by_kind["city"], people=by_kind["person"], links=links)


# ``Entry.sort_key`` without a Python call per entry: 20,000 entries are sorted every build.
SORT_KEY = attrgetter("published", "slug", "rel_path")


def _check_unique_anchors(entries: list[Entry], log: ProblemLog) -> None:
    seen: dict[tuple, Entry] = {}
    for entry in entries:
        first = seen.setdefault((entry.day, entry.slug), entry)
        if first is not entry:
            log.error(
                entry.path,
                None,
                f"entry '{entry.slug}' on {entry.day.isoformat()} is also {first.path}; "
                "two entries of one day need different file names",
            )


def _entities(
    kind: str, entries: list[Entry], registry: Registry, log: ProblemLog
) -> tuple[tuple[Entity, ...], dict[str, tuple[Entity, ...]]]:
    """One entity per registry entry or, for unknown names, per name key, from
    ``entries`` sorted oldest first (by ``sort_key``).

    Also returns, for each entry, the entities it names in the order it names them.
    """
    named: dict[str, list[tuple]] = {}
    members: dict[tuple, list[Entry]] = {}
    spellings: dict[tuple, dict[str, int]] = {}  # unknown names only: a registry entry has its name
    known: dict[tuple, RegistryEntry] = {}
    first_use: dict[tuple, Entry] = {}
    resolved: dict[str, tuple[tuple, RegistryEntry | None]] = {}  # a few names, used thousands of times
    # About 75,000 names at 20,000 entries: this loop keeps to plain dict and list operations.
    for entry in entries:
        ids: list[tuple] = []
        for name in entry.cities if kind == "city" else entry.people:
            found = resolved.get(name)
            if found is None:
                info = registry.resolve(name)
                found = resolved[name] = (("known", name_key(info.name)) if info else ("name", name_key(name)), info)
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
            if not info:
                counts = spellings.setdefault(identity, {})
                counts[name] = counts.get(name, 0) + 1
        if ids:
            named[entry.rel_path] = ids
    # Registry names claim their slugs first, then unknown names, each in name order,
    # so a newly used name can never take over an established page.
    order = sorted(members, key=lambda i: (i[0] != "known", i[1]))
    taken: set[str] = set()
    result: dict[tuple, Entity] = {}
    for identity in order:
        info = known.get(identity)
        name = info.name if info else _preferred_spelling(spellings[identity])
        slug = _free_slug(slug_for(name) or "unnamed", taken)
        if slug != (slug_for(name) or "unnamed"):
            log.warning(
                first_use[identity].path,
                None,
                f"'{name}' makes the same URL as another name; its page is /{_section(kind)}/{slug}/",
            )
        # ``entries`` come sorted, oldest first, and sort keys are unique: newest first is the reverse.
        entity_entries = tuple(reversed(members[identity]))
        result[identity] = Entity(kind, slug, name, entity_entries, info, info.aliases if info else ())
    entities = tuple(sorted(result.values(), key=lambda e: (name_key(e.name), e.slug)))
    return entities, {path: tuple(map(result.__getitem__, ids)) for path, ids in named.items()}


def _preferred_spelling(counts: dict[str, int]) -> str:
    # The most used spelling wins; ties go to the earliest used (entries are read
    # in publication order, and a dict keeps first-insertion order).
    first_use = {name: index for index, name in enumerate(counts)}
    return min(counts, key=lambda name: (-counts[name], first_use[name]))


def _free_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _section(kind: str) -> str:
    return "cities" if kind == "city" else "people"

