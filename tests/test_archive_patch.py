"""Patching the archive after a few edits groups exactly as building it whole does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.archive import build_archive, patch_archive
from generator.model import Archive, Entry
from generator.names import name_key
from generator.problems import ProblemLog
from generator.registry import Registry, RegistryEntry
from generator.settings import Settings

KNOWN = {"city": ["Kyiv", "Kharkiv", "Lviv"], "person": ["Olena Shevchenko", "Ivan Franko"]}
ALIASES = {"Kyiv": ("Kiev",)}
UNKNOWN = {"city": ["Odesa", "ODESA", "Mariupol"], "person": ["Taras Bulba", "taras bulba"]}
START = datetime(2022, 3, 1, 6, tzinfo=timezone(timedelta(hours=2)))


def _registry(kind: str) -> Registry:
    entries = tuple(RegistryEntry(kind, name, ALIASES.get(name, ())) for name in KNOWN[kind])
    by_key = {name_key(alias): e for e in entries for alias in (e.name, *e.aliases)}
    return Registry(kind, entries, by_key)


REGISTRIES = {kind: _registry(kind) for kind in KNOWN}
SETTINGS = Settings(title="T", site_url="https://example.org/")


def _entry(number: int, hours: int, cities: tuple[str, ...], people: tuple[str, ...], *, draft: bool = False) -> Entry:
    published = START + timedelta(hours=hours)
    day = published.date()
    rel_path = f"{day:%Y/%m/%d}/entry-{number}.md"
    return Entry(path=f"content/{rel_path}", rel_path=rel_path, slug=f"entry-{number}", title=f"Entry {number}",
                 published=published, updated=None, day=day, cities=cities, people=people, draft=draft)  # fmt: skip


def _names(kind: str, with_unknown: bool) -> st.SearchStrategy[tuple[str, ...]]:
    pool = KNOWN[kind] + ["Kiev"] * (kind == "city") + (UNKNOWN[kind] if with_unknown else [])
    return st.lists(st.sampled_from(pool), max_size=3).map(tuple)


def _entries(numbers: range, with_unknown: bool = False) -> st.SearchStrategy[list[Entry]]:
    one = st.tuples(st.integers(0, 96), _names("city", with_unknown), _names("person", with_unknown), st.booleans())
    return st.lists(one, min_size=len(numbers), max_size=len(numbers)).map(
        lambda rows: [_entry(n, h, c, p, draft=d and n % 5 == 0) for n, (h, c, p, d) in zip(numbers, rows)]
    )


def _build(entries: list[Entry]) -> Archive:
    return build_archive(entries, REGISTRIES, SETTINGS, ProblemLog())


def _shape(archive: Archive) -> tuple:
    """Everything grouping decides, with entries by path and entities by (kind, slug)."""
    days = [(day.date, [e.rel_path for e in day.entries]) for day in archive.days]
    entities = [
        (e.kind, e.slug, e.name, e.info, e.aliases, [x.rel_path for x in e.entries])
        for e in (*archive.cities, *archive.people)
    ]
    links = {path: [(e.kind, e.slug) for e in linked] for path, linked in archive.links.items()}
    objects = {id(e) for e in (*archive.cities, *archive.people)}
    # Entities are compared by identity: every link must name the archive's own objects.
    assert all(id(e) in objects for linked in archive.links.values() for e in linked)
    assert {id(x) for day in archive.days for x in day.entries} >= {id(x) for e in archive.cities for x in e.entries}
    return days, entities, links


@settings(max_examples=150, deadline=None)
@given(
    before=_entries(range(12), with_unknown=True),
    edits=_entries(range(8, 16), with_unknown=True),
    drop=st.sets(st.integers(0, 11), max_size=4),
)
def test_a_patched_archive_is_the_archive_built_whole(before: list[Entry], edits: list[Entry], drop: set[int]) -> None:
    """Entries 8-11 are edited, 12-15 added and ``drop`` removed; unless the patch declines, it equals a whole build."""
    archive = _build(before)
    removed = [before[i] for i in sorted(drop | {8, 9, 10, 11})]
    after = [e for i, e in enumerate(before) if i not in drop and i < 8] + edits
    patched = patch_archive(archive, removed, edits, REGISTRIES)
    event("patched" if patched is not None else "left to a whole build")
    if patched is not None:
        assert _shape(patched) == _shape(_build(after))


@settings(max_examples=60, deadline=None)
@given(before=_entries(range(30)), added=_entries(range(30, 32)))
def test_edits_naming_known_entities_only_are_patched(before: list[Entry], added: list[Entry]) -> None:
    # Every entity the added entries name is used already, so none is made.
    before += [_entry(100 + i, 0, (city,), (person,)) for i, (city, person) in enumerate(zip(KNOWN["city"] * 2, KNOWN["person"] * 3))]
    patched = patch_archive(_build(before), [], added, REGISTRIES)
    assert patched is not None
    assert _shape(patched) == _shape(_build(before + added))


def test_a_new_entity_a_renamed_one_or_a_taken_anchor_is_left_to_a_whole_build() -> None:
    base = [_entry(1, 1, ("Kyiv",), ()), _entry(2, 2, ("Odesa",), ()), _entry(3, 3, ("ODESA", "Odesa"), ())]
    archive = _build(base)
    assert patch_archive(archive, [], [_entry(4, 4, ("Lviv",), ())], REGISTRIES) is None  # Lviv has no page yet
    assert patch_archive(archive, [], [_entry(4, 4, ("Mariupol",), ())], REGISTRIES) is None  # nor has Mariupol
    shouted = [_entry(4, 4, ("ODESA",), ()), _entry(5, 5, ("ODESA",), ())]
    assert patch_archive(archive, [], shouted[:1], REGISTRIES) is not None  # a tie: the first used spelling stays
    assert patch_archive(archive, [], shouted, REGISTRIES) is None  # its page would be "ODESA"
    twin = _entry(1, 1, ("Kyiv",), ())
    twin = Entry(**{**twin.__dict__, "rel_path": "other.md"})
    assert patch_archive(archive, [], [twin], REGISTRIES) is None  # entry-1 twice on one day
    assert patch_archive(archive, [base[0]], [], REGISTRIES) is None  # Kyiv would be left with nothing
    assert patch_archive(archive, [], [_entry(4, 4, ("Kiev", "Odesa"), ())], REGISTRIES) is not None
