"""Views: what each page of the site shows, as data for its template.

One function per kind of page (day, entity, section index, archive, home);
each returns ``PageView`` objects that the renderer turns into HTML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import chain, groupby
from operator import attrgetter
from typing import Any, Callable, Iterator

from . import charts, urls
from .archive_calendar import WEEKDAYS, calendar_years, shade_legend
from .model import Archive, Day, Entity, Entry

SECTION_TITLES = {"city": "Cities", "person": "People"}
HOME_TOP_ENTITIES = 8
HOME_KEY_DAYS = 7
CO_MENTIONS_SHOWN = 10
# Updates per older entity page (the first holds up to twice as many): at 20,000 entries
# the busiest city would otherwise be a 1 MB page.
ENTITY_PAGE_SIZE = 200


@dataclass(frozen=True)
class Feed:
    title: str
    url: str


@dataclass(frozen=True)
class PageView:
    """One page: where it goes, its title, and what its template needs."""

    url: str
    title: str
    template: str
    context: dict[str, Any]
    origin: str  # what made this page, for error messages about output paths
    description: str = ""
    feeds: tuple[Feed, ...] = field(default=())


def day_title(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def all_views(archive: Archive) -> Iterator[PageView]:
    for group in view_groups(archive):
        yield from group.make()


@dataclass(frozen=True)
class ViewGroup:
    """The views of one day, one page of an entity or one index page, made on demand.

    ``inputs`` names everything the views show: plain values, the entries whose
    blocks they show whole (an entry stands for its text and the names it links)
    and ``Listed`` entries, shown as one line each. A rebuild whose inputs are
    unchanged reuses the rendered pages. ``None``: pages of the whole archive,
    made every time.
    """

    name: str  # for messages: "day 2022-03-03", "city kyiv"
    make: Callable[[], list[PageView]]
    inputs: tuple[Any, ...] | None = None
    days: bool = False  # a day's page: what the search indexes
    entries: tuple[Entry, ...] = ()  # the entries a day's page shows whole
    # The day or entity whose entries ``inputs`` show: a rebuild that kept the very object
    # (``archive.patch_archive``) knows they are unchanged without going through them.
    owner: Day | Entity | None = None


@dataclass(frozen=True)
class Listed:
    """Entries a page lists as lines (time, title, link to the day's anchor), not as blocks.

    Only what a line shows counts among the inputs (with the names the entry
    links), so an edit of an entry's body leaves the entity pages listing it alone.
    """

    entries: tuple[Entry, ...]


def listed_line(entry: Entry) -> tuple[str, str, str, str]:
    """What an entity page shows of ``entry``: its line, its day and the anchor it links to."""
    return (entry.rel_path, entry.slug, entry.title, entry.published.isoformat())


def view_groups(archive: Archive) -> list[ViewGroup]:
    """Every page's view in small independent groups, in site order.

    The groups can be shared among processes that then render what they made.
    """
    groups = [ViewGroup("home", lambda: [home_view(archive)]), ViewGroup("archive", lambda: [archive_view(archive)])]
    days = archive.days
    for index, day in enumerate(days):
        previous = days[index - 1].date if index > 0 else None
        following = days[index + 1].date if index + 1 < len(days) else None
        inputs = ("day", day.date, previous, following, day.entries)
        make = partial(_one, day_view, archive, index)
        groups.append(ViewGroup(f"day {day.date.isoformat()}", make, inputs, days=True, entries=day.entries, owner=day))
    # An entity's chart spans the whole archive, week by week: the archive's first and last
    # weeks are inputs too (not its days: the first update of a new day in the same week
    # leaves every other entity's page as it was).
    span = (charts.week_start(days[0].date), charts.week_start(days[-1].date)) if days else None
    for kind in ("city", "person"):
        groups.append(ViewGroup(f"{kind} index", partial(_one, section_view, archive, kind)))
        for entity in archive.entities(kind):
            groups += _entity_groups(archive, entity, span)
    return groups


def _entity_groups(archive: Archive, entity: Entity, span: tuple | None) -> list[ViewGroup]:
    """One group per page of the entity: an older page shows only its block and the page count."""
    chunks = entity_chunks(entity)
    about = (entity.kind, entity.slug, entity.name, entity.info, entity.aliases, len(chunks))
    name = f"{entity.kind} {entity.slug}"
    # The first page sums up every update (counts, chart, co-mentions, first mention).
    first = ("entity", *about, span, Listed(entity.entries))
    groups = [ViewGroup(name, partial(_one, entity_view, archive, entity, 1), first, owner=entity)]
    for number in range(2, len(chunks) + 1):
        inputs = ("entity page", *about, number, Listed(chunks[number - 1]))
        make = partial(_one, entity_view, archive, entity, number)
        groups.append(ViewGroup(f"{name} page {number}", make, inputs, owner=entity))
    return groups


def _one(make: Callable[..., PageView], *args: Any) -> list[PageView]:
    return [make(*args)]


def day_view(archive: Archive, index: int) -> PageView:
    """The page of the ``index``-th day, linked to the days before and after it."""
    days = archive.days
    day = days[index]
    previous = days[index - 1].date if index > 0 else None
    following = days[index + 1].date if index + 1 < len(days) else None
    return PageView(
        url=urls.day_url(day.date),
        title=day_title(day.date),
        template="day.html",
        context={"day": day, "previous": previous, "next": following},
        origin=f"the day {day.date.isoformat()}",
        description=f"{len(day.entries)} updates of {day_title(day.date)}",
    )


def entity_chunks(entity: Entity) -> list[tuple[Entry, ...]]:
    """The entity's updates page by page, newest first, pages staying small however busy it is.

    Older pages hold fixed blocks of ``ENTITY_PAGE_SIZE`` counted from the oldest
    update, and the first page the newest block with the updates since (200 to 399
    of them): a new update changes the first page only, until a new block fills
    and the older pages move down one.
    """
    entries = entity.entries
    blocks = len(entries) // ENTITY_PAGE_SIZE
    if blocks <= 1:
        return [entries]
    first = len(entries) - (blocks - 1) * ENTITY_PAGE_SIZE
    older = range(first, len(entries), ENTITY_PAGE_SIZE)
    return [entries[:first], *(entries[start : start + ENTITY_PAGE_SIZE] for start in older)]


def entity_pages(entity: Entity) -> int:
    """How many pages list ``entity``'s updates: ``len(entity_chunks(entity))`` without the slicing."""
    return max(1, len(entity.entries) // ENTITY_PAGE_SIZE)


def entity_view(archive: Archive, entity: Entity, number: int) -> PageView:
    """The entity's ``number``-th page: the first with its description, facts and chart."""
    chunks = entity_chunks(entity)
    count = len(chunks)
    page_urls = urls.entity_page_urls(entity, count)
    described = entity.info.description if entity.info else ""
    context: dict[str, Any] = {
        "entity": entity,
        "by_day": [(day, tuple(group)) for day, group in groupby(chunks[number - 1], key=lambda e: e.day)],
        "section": SECTION_TITLES[entity.kind],
        "number": number,
        "pages": page_urls,
        "feed": urls.entity_feed_url(entity),
    }
    if number == 1:
        context.update(
            first=entity.entries[-1],
            last=entity.entries[0],
            together=co_mentions(archive, entity),
            chart=_activity(archive, entity),
        )
    return PageView(
        url=page_urls[number - 1],
        title=entity.name if number == 1 else f"{entity.name} (page {number} of {count})",
        template="entity.html",
        context=context,
        origin=f"the {entity.kind} '{entity.name}'" + (f", page {number}" if number > 1 else ""),
        description=described or f"Every update naming {entity.name}",
        feeds=(Feed(f"{entity.name} (RSS)", urls.entity_feed_url(entity)),),
    )


def _activity(archive: Archive, entity: Entity) -> str:
    span = (archive.days[0].date, archive.days[-1].date)
    weeks = charts.weekly_counts((e.day for e in entity.entries), span)
    return charts.activity_chart(weeks, title=f"Updates naming {entity.name}, per week")


def _city_map(archive: Archive) -> charts.MapResult:
    url = urls.section_url("city")
    placed = [
        charts.MapCity(e.name, urls.relative(url, urls.entity_url(e)), *e.info.coordinates, len(e.entries))
        for e in archive.cities
        if e.info is not None and e.info.coordinates is not None
    ]
    return charts.city_map(placed, outline=charts.load_outline(), title="Cities in the archive")


_REL_PATH = attrgetter("rel_path")


def co_mentions(archive: Archive, entity: Entity) -> dict[str, list[tuple[Entity, int]]]:
    """The cities and the people named together with ``entity``, most often first."""
    # Counted in C, over every entity each entry links: a busy city's entries link 20,000.
    counts: Counter[Entity] = Counter(chain.from_iterable(map(archive.links.__getitem__, map(_REL_PATH, entity.entries))))
    counts.pop(entity, None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].name, item[0].slug))
    return {
        kind: [(other, n) for other, n in ranked if other.kind == kind][:CO_MENTIONS_SHOWN]
        for kind in ("city", "person")
    }


def section_view(archive: Archive, kind: str) -> PageView:
    entities = archive.entities(kind)
    return PageView(
        url=urls.section_url(kind),
        title=SECTION_TITLES[kind],
        template="section.html",
        context={"kind": kind, "entities": entities, "map": _city_map(archive) if kind == "city" else None},
        origin=f"the {SECTION_TITLES[kind].lower()} index",
        description=f"{len(entities)} {SECTION_TITLES[kind].lower()} named in the archive",
    )


def archive_view(archive: Archive) -> PageView:
    years = calendar_years(archive.days)
    return PageView(
        url=urls.ARCHIVE,
        title="Archive",
        template="archive.html",
        context={
            "years": years,
            "legend": shade_legend(archive.days),
            "total": sum(len(d.entries) for d in archive.days),
            "day_count": len(archive.days),
            "weekdays": WEEKDAYS,
        },
        origin="the archive page",
        description="Every day of the briefing, by month",
    )


def home_view(archive: Archive) -> PageView:
    latest: Day | None = archive.days[-1] if archive.days else None
    recent = archive.days[-HOME_KEY_DAYS:]
    # Newest day first; within a day, reading order, as in the day page's key events box.
    key_days = [(day.date, day.key_entries) for day in reversed(recent) if day.key_entries]
    return PageView(
        url=urls.HOME,
        title=archive.settings.title,
        template="home.html",
        context={
            "day": latest,
            "key_days": key_days,
            "top_cities": [(e, len(e.entries)) for e in _most_named(archive.cities)],
            "top_people": [(e, len(e.entries)) for e in _most_named(archive.people)],
        },
        origin="the home page",
        description=archive.settings.description,
    )


def _most_named(entities: tuple[Entity, ...]) -> list[Entity]:
    return sorted(entities, key=lambda e: (-len(e.entries), e.name))[:HOME_TOP_ENTITIES]
