"""Views: what each page of the site shows, as data for its template.

One function per kind of page (day, entity, section index, archive, home);
each returns ``PageView`` objects that the renderer turns into HTML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain, groupby
from operator import attrgetter
from typing import Any, Callable, Iterator

from . import charts, urls
from .archive_calendar import WEEKDAYS, calendar_years, shade_legend
from .model import Archive, Day, Entity, Entry
from .registry import RegistryEntry

SECTION_TITLES = {"city": "Cities", "person": "People"}
HOME_TOP_ENTITIES = 8
HOME_KEY_DAYS = 7
CO_MENTIONS_SHOWN = 10
# Updates per older entity page (the first holds up to twice as many), so that no
# entity page grows past a few hundred kilobytes however busy the entity is.
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
    """The page of one day, one page of an entity or one index page: a view and its arguments.

    A keyed group's ``view`` reads nothing but ``args`` (no archive): the page's
    key in the output store is the digest of the view's name and its arguments
    (``cache.page_keys``), so it covers everything the page shows, and a rebuild
    whose arguments are unchanged reuses the rendered page. Unkeyed groups (the
    pages of the whole archive: home, archive, indexes) are made every time.
    """

    name: str  # for messages: "day 2022-03-03", "city kyiv"
    view: Callable[..., PageView]
    args: tuple[Any, ...]
    keyed: bool = True
    days: bool = False  # a day's page: what the search indexes
    # The day or entity whose entries ``args`` show: a rebuild that kept the very object
    # (``archive.patch_archive``) knows they are unchanged without going through them.
    owner: Day | Entity | None = None

    def make(self) -> list[PageView]:
        return [self.view(*self.args)]

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The entries the group's page shows whole: a day's."""
        return self.owner.entries if isinstance(self.owner, Day) else ()


@dataclass(frozen=True)
class Named:
    """What a page shows of a city or person it links to: its name and its page."""

    kind: str
    slug: str
    name: str


@dataclass(frozen=True)
class Line:
    """What an entity page shows of an entry: a line with its time and title, linking its anchor.

    Entity pages (their view, template and fragments) read entries only as lines,
    and their keys digest these fields (``cache.page_keys``): to show another field of an
    entry there, add it here, and the keys follow.
    """

    day: date
    slug: str
    published: datetime
    title: str
    linked: tuple[Named, ...]  # the cities and people the entry names, for the co-mentions


@dataclass(frozen=True)
class Listed:
    """Entries an entity page lists, read through ``lines``; ``line`` makes each entry's line."""

    entries: tuple[Entry, ...]
    line: Callable[[Entry], Line]

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(map(self.line, self.entries))


@dataclass(frozen=True)
class About:
    """What an entity page shows of its entity besides the updates."""

    kind: str
    slug: str
    name: str
    info: RegistryEntry | None
    aliases: tuple[str, ...]
    pages: int  # how many pages list its updates


class Lines:
    """Each entry's ``Line`` and each entity's ``Named``, made once a build, the first time asked for."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._lines: dict[str, Line] = {}
        self._named: dict[Entity, Named] = {}

    def named(self, entity: Entity) -> Named:
        found = self._named.get(entity)
        if found is None:
            found = self._named[entity] = Named(entity.kind, entity.slug, entity.name)
        return found

    def line(self, entry: Entry) -> Line:
        found = self._lines.get(entry.rel_path)
        if found is None:
            linked = tuple(map(self.named, self.archive.links.get(entry.rel_path, ())))
            found = self._lines[entry.rel_path] = Line(entry.day, entry.slug, entry.published, entry.title, linked)
        return found


def view_groups(archive: Archive) -> list[ViewGroup]:
    """Every page's view in small independent groups, in site order.

    The groups can be shared among processes that then render what they made.
    """
    groups = [
        ViewGroup("home", home_view, (archive,), keyed=False),
        ViewGroup("archive", archive_view, (archive,), keyed=False),
    ]
    days = archive.days
    for index, day in enumerate(days):
        previous = days[index - 1].date if index > 0 else None
        following = days[index + 1].date if index + 1 < len(days) else None
        groups.append(ViewGroup(f"day {day.date.isoformat()}", day_view, (day, previous, following), days=True, owner=day))
    # An entity's chart spans the whole archive, week by week: the weeks, not the days, are
    # its arguments, so the first update of a new day in the same week changes no chart.
    span = (charts.week_start(days[0].date), charts.week_start(days[-1].date) + timedelta(days=6)) if days else None
    lines = Lines(archive)
    for kind in ("city", "person"):
        groups.append(ViewGroup(f"{kind} index", section_view, (archive, kind), keyed=False))
        for entity in archive.entities(kind):
            groups += _entity_groups(entity, span, lines)
    return groups


def _entity_groups(entity: Entity, span: tuple[date, date] | None, lines: Lines) -> list[ViewGroup]:
    """One group per page of the entity: an older page shows only its block and the page count."""
    chunks = entity_chunks(entity)
    about = About(entity.kind, entity.slug, entity.name, entity.info, entity.aliases, len(chunks))
    name = f"{entity.kind} {entity.slug}"
    # The first page sums up every update (counts, chart, co-mentions, first mention).
    first = (about, 1, Listed(chunks[0], lines.line), Listed(entity.entries, lines.line), span)
    groups = [ViewGroup(name, entity_view, first, owner=entity)]
    for number in range(2, len(chunks) + 1):
        args = (about, number, Listed(chunks[number - 1], lines.line), None, None)
        groups.append(ViewGroup(f"{name} page {number}", entity_view, args, owner=entity))
    return groups


def day_view(day: Day, previous: date | None, following: date | None) -> PageView:
    """The page of ``day``, linked to the days with updates before and after it."""
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


def entity_view(
    about: About, number: int, shown: Listed, every: Listed | None, span: tuple[date, date] | None
) -> PageView:
    """Page ``number`` of an entity, listing ``shown``; the first also sums up ``every``
    update (facts, co-mentions, and a chart over ``span``)."""
    page_urls = urls.entity_page_urls(about, about.pages)
    lines = shown.lines
    context: dict[str, Any] = {
        "entity": about,
        "by_day": [(day, tuple(group)) for day, group in groupby(lines, key=attrgetter("day"))],
        "section": SECTION_TITLES[about.kind],
        "number": number,
        "pages": page_urls,
        "feed": urls.entity_feed_url(about),
    }
    if every is not None and span is not None:
        summed = every.lines
        context.update(
            count=len(summed),
            first=summed[-1],
            last=summed[0],
            together=co_mentions(about, summed),
            chart=_activity(about, summed, span),
        )
    return PageView(
        url=page_urls[number - 1],
        title=about.name if number == 1 else f"{about.name} (page {number} of {about.pages})",
        template="entity.html",
        context=context,
        origin=f"the {about.kind} '{about.name}'" + (f", page {number}" if number > 1 else ""),
        description=(about.info.description if about.info else "") or f"Every update naming {about.name}",
        feeds=(Feed(f"{about.name} (RSS)", urls.entity_feed_url(about)),),
    )


def _activity(about: About, lines: tuple[Line, ...], span: tuple[date, date]) -> str:
    weeks = charts.weekly_counts(map(attrgetter("day"), lines), span)
    return charts.activity_chart(weeks, title=f"Updates naming {about.name}, per week")


def _city_map(archive: Archive) -> charts.MapResult:
    url = urls.section_url("city")
    placed = [
        charts.MapCity(e.name, urls.relative(url, urls.entity_url(e)), *e.info.coordinates, len(e.entries))
        for e in archive.cities
        if e.info is not None and e.info.coordinates is not None
    ]
    return charts.city_map(placed, outline=charts.load_outline(), title="Cities in the archive")


def co_mentions(about: About, lines: tuple[Line, ...]) -> dict[str, list[tuple[Named, int]]]:
    """The cities and the people named together with the entity, most often first."""
    # Counted in C, over every entity each line links: a busy city's lines link 20,000.
    counts: Counter[Named] = Counter(chain.from_iterable(map(attrgetter("linked"), lines)))
    counts.pop(Named(about.kind, about.slug, about.name), None)
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
