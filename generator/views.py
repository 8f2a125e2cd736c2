"""Views: what each page of the site shows, as data for its template.

One function per kind of page (day, entity, section index, archive, home);
each returns ``PageView`` objects that the renderer turns into HTML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import chain, groupby
from operator import attrgetter
from typing import Any, Callable, Iterator

from . import charts, markup, urls
from .archive_calendar import calendar_years, shade_legend
from .autolink import EntryLinks
from .i18n import ENGLISH_WORDS, N_, Words, words_for
from .model import Archive, Day, Entity, Entry
from .registry import RegistryEntry
from .wording import counted

SECTION_TITLES = {"city": N_("Cities"), "person": N_("People")}  # in English: translated where shown
HOME_TOP_ENTITIES = 8
HOME_KEY_DAYS = 7
CO_MENTIONS_SHOWN = 10
# An entity with at least this many updates lists its latest ``ENTITY_LATEST`` on its
# page and every update on a page per month (``entity_months``), so that no entity page
# grows past a few hundred kilobytes however busy the entity is, and a month's page
# always lists that month: an update added to an old day changes that month's page only.
MONTHS_FROM = 400
ENTITY_LATEST = 100


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
    share: "Share | None" = None  # a page shared as an article: a day's


@dataclass(frozen=True)
class Share:
    """What a link's preview (Open Graph) says of a page shared as an article: its times and picture."""

    published: str  # ISO 8601: when its first update was published
    modified: str  # ISO 8601: its last change
    picture: str = ""  # its picture: a path in the site or a full address ("" for none)
    headline: str = ""  # what the preview's title says, if not the page's title


def day_picture(day: Day) -> str:
    """The picture a shared link to ``day`` shows: the first of its key events', else of its
    updates', as a path in the site (pictures are published where the content folder holds
    them) or a full address; "" if it shows none."""
    for entry in (*day.key_entries, *day.entries):
        for source in markup.picture_sources(entry.html):
            if picture := urls.linked_place(entry.rel_path, source):
                return picture
    return ""


def day_title(day: date, words: Words = ENGLISH_WORDS) -> str:
    """'3 March 2022', in the site's ``words``."""
    return words.day_title(day)


def all_views(archive: Archive) -> Iterator[PageView]:
    words = words_for(archive.settings.language)
    for group in view_groups(archive):
        yield from group.make(words)


@dataclass(frozen=True)
class ViewGroup:
    """The page of one day, one page of an entity or one index page: a view and its arguments.

    A keyed group's ``view`` reads nothing but ``args`` (no archive) and the site's
    words (``i18n.Words``, of the settings' language, which every key holds): the page's
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

    def make(self, words: Words = ENGLISH_WORDS) -> list[PageView]:
        """The group's pages, in the site's ``words``."""
        return [self.view(*self.args, words=words)]

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


@dataclass(frozen=True)
class Month:
    """A calendar month of an entity's updates (by their day in the site's zone)."""

    year: int
    month: int
    count: int  # the entity's updates that month

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


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


@dataclass(frozen=True)
class Corrected:
    """A correction as the corrections page and feed show it, with the update it corrects.

    Plain values only, so the page's key is derived from exactly what it shows: a
    correction added, edited or removed, or the title of a corrected update changed.
    """

    at: datetime  # in UTC: one tzinfo object for all, so equal values digest alike
    day: date  # the update's, with its slug: its anchor and its guid
    slug: str
    title: str
    text_html: str  # its links by path resolved, from ``autolink.ROOT``


def corrections(archive: Archive, links: EntryLinks | None = None) -> tuple[Corrected, ...]:
    """Every correction of the archive, newest first (ties: by the update's day and slug).

    ``links`` resolves the links of their text (the build's, shared with the pages; by default one of its own).
    """
    links = links or EntryLinks(archive)
    found = [
        Corrected(
            correction.at.astimezone(timezone.utc), entry.day, entry.slug, entry.title, links.resolved(entry, correction.text_html)
        )
        for day in archive.days
        for entry in day.corrected
        for correction in entry.corrections
    ]
    return tuple(sorted(found, key=lambda c: (c.at, c.day, c.slug), reverse=True))


def corrections_view(corrected: tuple[Corrected, ...], *, words: Words = ENGLISH_WORDS) -> PageView:
    """Every correction of the archive, newest first, each linking the update it corrects."""
    _ = words.gettext
    return PageView(
        url=urls.CORRECTIONS,
        title=_("Corrections"),
        template="corrections.html",
        context={"corrections": corrected, "feed": urls.CORRECTIONS_FEED, "json_feed": urls.CORRECTIONS_JSON_FEED},
        origin="the corrections page",
        description=_("Every correction made to an update of the briefing after it was published, newest first"),
        feeds=(Feed(_("Corrections (RSS)"), urls.CORRECTIONS_FEED), Feed(_("Corrections (JSON Feed)"), urls.CORRECTIONS_JSON_FEED)),
    )


def view_groups(archive: Archive, links: EntryLinks | None = None) -> list[ViewGroup]:
    """Every page's view in small independent groups, in site order; ``links`` as ``corrections`` takes them.

    The groups can be shared among processes that then render what they made.
    """
    groups = [
        ViewGroup("home", home_view, (archive,), keyed=False),
        ViewGroup("archive", archive_view, (archive,), keyed=False),
        ViewGroup("corrections", corrections_view, (corrections(archive, links),)),
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
    """The entity's page, and for a busy entity a page per month of its updates."""
    about = About(entity.kind, entity.slug, entity.name, entity.info, entity.aliases)
    months = entity_months(entity)
    index = tuple(Month(year, month, len(entries)) for (year, month), entries in months)
    shown = entity_listed(entity, months)
    name = f"{entity.kind} {entity.slug}"
    # The entity's page sums up every update (counts, chart, co-mentions, first mention).
    first = (about, Listed(shown, lines.line), Listed(entity.entries, lines.line), span, index)
    groups = [ViewGroup(name, entity_view, first, owner=entity)]
    for number, (month, entries) in enumerate(zip(index, (entries for _, entries in months))):
        newer = index[number - 1] if number > 0 else None
        older = index[number + 1] if number + 1 < len(index) else None
        # Its neighbours by their months alone: their counts are not shown here.
        args = (about, month, Listed(entries, lines.line), _month_of(newer), _month_of(older))
        groups.append(ViewGroup(f"{name} {month.year:04d}-{month.month:02d}", entity_month_view, args, owner=entity))
    return groups


def _month_of(month: Month | None) -> tuple[int, int] | None:
    return None if month is None else (month.year, month.month)


def day_view(day: Day, previous: date | None, following: date | None, *, words: Words = ENGLISH_WORDS) -> PageView:
    """The page of ``day``, linked to the days with updates before and after it."""
    return PageView(
        url=urls.day_url(day.date),
        title=words.day_title(day.date),
        template="day.html",
        context={"day": day, "previous": previous, "next": following},
        origin=f"the day {day.date.isoformat()}",
        description=day_description(day, words),
        share=Share(min(e.published for e in day.entries).isoformat(), day.last_change.isoformat(), day_picture(day),
                    day_headline(day, words)) if day.entries else None,
    )


def day_headline(day: Day, words: Words = ENGLISH_WORDS) -> str:
    """'3 March 2022: Kherson centre reached', from the day's first key event: a shared day's
    preview is headed by the news an editor marked, as a live blog's own headline is; a day
    without key events is headed by its date alone, as its page is."""
    if not day.key_entries:
        return ""
    return words.gettext("%(day)s: %(headline)s") % {"day": words.day_title(day.date), "headline": day.key_entries[0].title}


# Search engines show about this much of a description, and link previews less.
DESCRIPTION_LENGTH = 200


def day_description(day: Day, words: Words = ENGLISH_WORDS) -> str:
    """'3 updates of 3 March 2022: Kherson centre reached; ...': its key events' titles, else its updates'.

    At most ``DESCRIPTION_LENGTH`` characters: titles that do not fit give way to an ellipsis.
    """
    text = words.gettext("%(updates)s of %(day)s") % {"updates": counted(len(day.entries), "update", words), "day": words.day_title(day.date)}
    titles = [entry.title for entry in day.key_entries or day.entries]
    if not titles:
        return text
    text += ": " + "; ".join(titles)
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 3]
    # After the last whole title, else at a word (unless the words are long, or unspaced as in Chinese).
    for stop, ellipsis in (("; ", "; …"), (" ", "…")):
        at = cut.rfind(stop)
        if at > DESCRIPTION_LENGTH // 2:
            return cut[:at].rstrip(" ;:,") + ellipsis
    return cut + "…"


def entity_months(entity: Entity) -> list[tuple[tuple[int, int], tuple[Entry, ...]]]:
    """A busy entity's updates by (year, month), newest month first; none for a quieter one."""
    return list(entity.by_month) if len(entity.entries) >= MONTHS_FROM else []


def entity_listed(entity: Entity, months: list | None = None) -> tuple[Entry, ...]:
    """The updates the entity's own page lists: its latest if it has month pages, else all."""
    has_months = bool(entity_months(entity) if months is None else months)
    return entity.entries[:ENTITY_LATEST] if has_months else entity.entries


def entity_page_urls(entity: Entity) -> list[str]:
    """Every page that lists the entity's updates: its own, then its months', newest first."""
    return [urls.entity_url(entity)] + [urls.entity_month_url(entity, *month) for month, _ in entity_months(entity)]


def entity_view(
    about: About, shown: Listed, every: Listed, span: tuple[date, date] | None, months: tuple[Month, ...], *, words: Words = ENGLISH_WORDS
) -> PageView:
    """The entity's page: ``shown`` (its latest updates, or all of them), a summary of
    ``every`` update (facts, co-mentions, a chart over ``span``) and its ``months``."""
    lines, summed = shown.lines, every.lines
    context: dict[str, Any] = {
        "entity": about,
        "by_day": [(day, tuple(group)) for day, group in groupby(lines, key=attrgetter("day"))],
        "section": words.gettext(SECTION_TITLES[about.kind]),
        "months": [(month, urls.entity_month_url(about, month.year, month.month)) for month in months],
        "feed": urls.entity_feed_url(about),
        "json_feed": urls.entity_json_feed_url(about),
        "count": len(summed),
        "first": summed[-1],
        "last": summed[0],
        "together": co_mentions(about, summed),
        "chart": _activity(about, summed, span, words) if span is not None else "",
    }
    return PageView(
        url=urls.entity_url(about),
        title=about.name,
        template="entity.html",
        context=context,
        origin=f"the {about.kind} '{about.name}'",
        description=(about.info.description if about.info else "") or words.gettext("Every update naming %(name)s") % {"name": about.name},
        feeds=_entity_feeds(about, words),
    )


def _entity_feeds(about: About, words: Words) -> tuple[Feed, ...]:
    _ = words.gettext
    return (
        Feed(_("%(name)s (RSS)") % {"name": about.name}, urls.entity_feed_url(about)),
        Feed(_("%(name)s (JSON Feed)") % {"name": about.name}, urls.entity_json_feed_url(about)),
    )


def entity_month_view(
    about: About,
    month: Month,
    shown: Listed,
    newer: tuple[int, int] | None,
    older: tuple[int, int] | None,
    *,
    words: Words = ENGLISH_WORDS,
) -> PageView:
    """Every update of one month naming the entity, newest first, with the months before and after."""
    lines = shown.lines
    month_title = words.month_title(month.first)
    title = f"{about.name}: {month_title}"
    neighbours = {
        name: None if at is None else (words.month_title(Month(*at, 0).first), urls.entity_month_url(about, *at))
        for name, at in (("newer", newer), ("older", older))
    }
    return PageView(
        url=urls.entity_month_url(about, month.year, month.month),
        title=title,
        template="entity_month.html",
        context={
            "entity": about,
            "month": month,
            "by_day": [(day, tuple(group)) for day, group in groupby(lines, key=attrgetter("day"))],
            "feed": urls.entity_feed_url(about),
            "json_feed": urls.entity_json_feed_url(about),
            **neighbours,
        },
        origin=f"the {about.kind} '{about.name}', {month.first:%B %Y}",  # in English, as every message of the command line
        description=words.gettext("Every update of %(month)s naming %(name)s") % {"month": month_title, "name": about.name},
        feeds=_entity_feeds(about, words),
    )


def _activity(about: About, lines: tuple[Line, ...], span: tuple[date, date], words: Words) -> str:
    weeks = charts.weekly_counts(map(attrgetter("day"), lines), span)
    return charts.activity_chart(weeks, title=words.gettext("Updates naming %(name)s, per week") % {"name": about.name}, words=words)


@dataclass(frozen=True)
class PageLink:
    url: str  # relative to the page that shows it
    name: str


@dataclass(frozen=True)
class CityMap:
    """The map of the cities' page, and the cities it does not show: too far from the
    outline to draw, or with no coordinates in the registry, each a link to its page."""

    drawn: charts.MapResult
    not_shown: tuple[PageLink, ...]


def _city_map(archive: Archive, words: Words) -> CityMap:
    url = urls.section_url("city")
    placed = [
        charts.MapCity(e.name, urls.relative(url, urls.entity_url(e)), *e.info.coordinates, len(e.entries))
        for e in archive.cities
        if e.info is not None and e.info.coordinates is not None
    ]
    outline = charts.outline_for(placed, charts.load_outline())
    drawn = charts.city_map(placed, outline=outline, title=words.gettext("Cities in the archive"), words=words)
    unplaced = [
        PageLink(urls.relative(url, urls.entity_url(e)), e.name) for e in archive.cities if e.info is None or e.info.coordinates is None
    ]
    return CityMap(drawn, (*(PageLink(city.url, city.name) for city in drawn.off_map), *unplaced))


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


def section_view(archive: Archive, kind: str, *, words: Words = ENGLISH_WORDS) -> PageView:
    entities = archive.entities(kind)
    return PageView(
        url=urls.section_url(kind),
        title=words.gettext(SECTION_TITLES[kind]),
        template="section.html",
        context={
            "kind": kind, "entities": entities,
            "map": _city_map(archive, words) if kind == "city" else None,
        },  # fmt: skip
        origin=f"the {SECTION_TITLES[kind].lower()} index",
        description=words.gettext("%(names)s named in the archive") % {"names": counted(len(entities), kind, words)},
    )


def archive_view(archive: Archive, *, words: Words = ENGLISH_WORDS) -> PageView:
    years = calendar_years(archive.days)
    return PageView(
        url=urls.ARCHIVE,
        title=words.gettext("Archive"),
        template="archive.html",
        context={
            "years": years,
            "legend": shade_legend(archive.days),
            "total": sum(len(d.entries) for d in archive.days),
            "day_count": len(archive.days),
            "weekdays": words.weekdays,
        },
        origin="the archive page",
        description=words.gettext("Every day of the briefing, by month"),
    )


def home_view(archive: Archive, *, words: Words = ENGLISH_WORDS) -> PageView:
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
