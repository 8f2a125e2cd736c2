"""Rendering views to HTML fragments with Jinja2 (autoescaped: names and titles are text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cache, cached_property
from typing import Any, Callable, ClassVar, Iterable

import jinja2
from markupsafe import Markup, escape

from . import fragments, urls
from .autolink import EntryLinks, MentionLinker, with_root
from .fragments import utc_time
from .cache import Caches
from .model import Archive, Day, Entity, Entry
from .zone_times import offset_text
from .problems import BriefingsError
from .cache.fingerprint import code_fingerprint
from .cache.templates import compiled_templates
from .day_updates import DayUpdates, day_updates
from .i18n import Words, words_for
from .structured_data import day_json_ld, entity_page, script_json
from .views import Feed, Line, PageView, Share
from .wording import counted


@dataclass(frozen=True, eq=False)
class RenderedPage:
    url: str
    title: str
    # The page's HTML in UTF-8, or None while it is only in the output store (``ref``).
    # A rebuild takes thousands of pages from the store to find most unchanged, and
    # copies those from the previous site: it reads back the HTML of the few it uses.
    data: bytes | None
    origin: str
    description: str
    feeds: tuple[Feed, ...]
    # A digest of everything the page is made from, when known: equal inputs, equal page.
    inputs: str = ""
    ref: str | None = None  # the key of the HTML in the store that kept the page
    share: Share | None = None  # what a link's preview says of a page shared as an article
    # Whether a build may take the previous site's copy of the page, if made from the same inputs.
    reusable: ClassVar[bool] = True

    @property
    def body(self) -> bytes:
        if self.data is None:
            found = None if self.ref is None else self.__dict__.get("_source", {}).get(self.ref)
            if found is None:  # the store lost it (the store notices): rendered again, if the page can be
                found = self._rendered_again()
            object.__setattr__(self, "data", found)
        return self.data  # type: ignore[return-value]  # read back above

    def _rendered_again(self) -> bytes:
        again = self.__dict__.get("_again")
        pages = [] if again is None else [page for page in again() if page.url == self.url]
        if not pages:
            raise CacheError(f"the cached HTML of {self.url or '/'} could not be read back; build again")
        return pages[0].body

    @property
    def html(self) -> str:
        return self.body.decode("utf-8")

    def kept_in(self, source: Any, ref: str, again: Callable[[], list[RenderedPage]] | None = None) -> None:
        """The page's HTML is ``source.get(ref)`` from now on (a mapping-like store); should
        the store have lost it, it is the HTML of this page among those ``again()`` renders."""
        object.__setattr__(self, "ref", ref)
        self.__dict__["_source"] = source
        self.__dict__["_again"] = again

    def __reduce__(self) -> tuple:
        # Kept in a store: without its HTML, which the store keeps apart and reads on demand.
        data = None if self.ref is not None else self.data
        return (RenderedPage, (self.url, self.title, data, self.origin, self.description, self.feeds, self.inputs, self.ref,
                               self.share))  # fmt: skip


@dataclass(frozen=True, eq=False)
class LatePage(RenderedPage):
    """A page whose HTML is made when it is first read (``kept_in`` with an empty source):
    the build goes on meanwhile. Made anew by every build, never taken from the previous
    site, and never kept in a store."""

    reusable = False

    def __reduce__(self) -> tuple:
        raise TypeError(f"{self.url} is made when it is read, and is never kept")


@dataclass(frozen=True, eq=False)
class RenderedFile(RenderedPage):
    """A generated file that is not a page (a day's ``updates.json``), kept in the output store
    as a page is: its bytes apart, read back (``body``) only if the file is written.

    Equal to another file at the same path with the same bytes, as the bytes themselves are.
    """

    def __eq__(self, other: object) -> bool:
        if isinstance(other, bytes):
            return self.body == other
        return isinstance(other, RenderedFile) and (self.url, self.body) == (other.url, other.body)

    __hash__ = None  # type: ignore[assignment]  # compared by its bytes, which are read on demand

    def __reduce__(self) -> tuple:
        return (RenderedFile, super().__reduce__()[1])


class CacheError(BriefingsError):
    """A cache's file that should hold something could not be read back."""


class Renderer:
    """Holds one Jinja2 environment and the helpers every template may call."""

    def __init__(self, archive: Archive, *, caches: Caches | None = None, links: EntryLinks | None = None) -> None:
        self.archive = archive
        self.zone = archive.settings.zone
        self.words: Words = words_for(archive.settings.language)  # the settings are in every page's key
        self.linker = MentionLinker(archive, links)
        # Pages hold linked names and local times: both are part of what they depend on.
        # Entries are known by their source digest, so the code that reads them is too.
        context = f"{code_fingerprint()}|{archive.settings.timezone}|{self.linker.fingerprint}"
        caches = caches or Caches(None)
        self.store = caches.store(context)
        # Each entry's block and line, rendered once in this process: a block shows on its
        # day page and the home page, a line on the page of each entity the entry names.
        self._blocks: dict[str, str] = {}  # by the entry's rel_path
        self._items: dict[Line, str] = {}
        # Compiled templates, kept with the other caches (a --clean build only writes them).
        self._bytecode = None if caches.folder is None else caches.folder / "generator-templates"
        self._read_bytecode = not caches.clean

    @cached_property
    def env(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # templates are package data: no need to stat them per render
            extensions=["jinja2.ext.i18n"],
        )
        # Templates say {{ _("Key events") }}: the catalogue's words, autoescaped arguments (newstyle).
        env.install_gettext_translations(self.words.translations, newstyle=True)  # type: ignore[attr-defined]
        if self._bytecode is not None:
            env.bytecode_cache = compiled_templates(self._bytecode, read=self._read_bytecode)
        env.globals.update(
            link=_link,
            day_url=urls.day_url,
            entry_url=urls.entry_url,
            entity_url=urls.entity_url,
            section_url=urls.section_url,
            archive_url=urls.ARCHIVE,
            feed_url=urls.FEED,
            corrections_url=urls.CORRECTIONS,
            day_title=self.words.day_title,
            month_title=self.words.month_title,
            counted=self.counted,
            entry_blocks=self.entry_blocks,
            entity_items=self.entity_items,
            rooted=_rooted,
            local_time=self.local_time,
            local_date=self.local_date,
            local_iso=self.local_iso,
            utc_time=utc_time,
            zone_label=self.zone_label,
            zone_name=self.zone_name,
            live_blog_json=self.live_blog_json,
            entity_json=self.entity_json,
            live_attributes=self.live_attributes,
        )
        env.filters["linked_addresses"] = linked_addresses
        return env

    def load_templates(self) -> None:
        """Compile every template now: forked workers then inherit them instead of each compiling its own."""
        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)

    def render(self, view: PageView, inputs: str = "") -> RenderedPage:
        template = self.env.get_template(view.template)
        html = template.render(page_url=view.url, title=view.title, **view.context)
        return RenderedPage(view.url, view.title, html.encode("utf-8"), view.origin, view.description, view.feeds, inputs,
                            share=view.share)  # fmt: skip

    @jinja2.pass_context
    def entry_blocks(self, context: jinja2.runtime.Context, entries: Iterable[Entry], level: int = 2) -> Markup:
        """The entries as on their day page, one after another (``fragments.entry_block``), their
        titles headings of ``level``: 3 where they sit under a heading of the day (the home page).

        One call for all of them: each call from a template goes through its context.
        """
        blocks = "\n".join(map(self._block, entries))
        if level != 2:
            blocks = _ENTRY_TITLE.sub(lambda m: f"<h{level}{m[1]}>{m[2]}</h{level}>", blocks)
        return Markup(with_root(blocks, _root(context)))

    @jinja2.pass_context
    def entity_items(self, context: jinja2.runtime.Context, lines: Iterable[Line]) -> Markup:
        """The entries' lines on an entity page (``fragments.entity_item``)."""
        return Markup(with_root("\n    ".join(map(self._item, lines)), _root(context)))

    def _block(self, entry: Entry) -> str:
        html = self._blocks.get(entry.rel_path)
        if html is None:
            entities = self.archive.cities_of(entry) + self.archive.people_of(entry)
            history = self.archive.settings.history_url(entry.rel_path)
            corrections = self.linker.links.corrections(entry)
            html = fragments.entry_block(entry, self.linker.linked(entry), entities, self.zone, history, corrections, self.words)
            self._blocks[entry.rel_path] = html
        return html

    def _item(self, line: Line) -> str:
        html = self._items.get(line)
        if html is None:
            html = self._items[line] = fragments.entity_item(line, self.zone)
        return html

    def entity_json(self, entity: Entity) -> Markup:
        """A city's or person's page's JSON-LD, already safe inside <script>."""
        return Markup(script_json(entity_page(self.archive.settings, entity)))

    def live_blog_json(self, day: Day) -> Markup:
        """The day's JSON-LD, already safe inside <script>: autoescaping would break the JSON."""
        return Markup(day_json_ld(self.archive.settings, day))

    def day_updates(self, day: Day, following: date | None) -> DayUpdates:
        """The JSON document of ``day``'s updates (``day_updates``), its links from the day's folder."""
        root = "../" * urls.day_url(day.date).count("/")
        return day_updates(self.archive.settings, day, following, lambda entry: with_root(self._block(entry), root))

    @jinja2.pass_context
    def live_attributes(self, context: jinja2.runtime.Context, day: Day, following: date | None) -> Markup:
        """What an open page needs to keep ``day``'s updates current, as attributes of their
        container: none for a day that has a day after it, or with ``live_poll_seconds`` 0.

        Whether the day is still running is left to the browser (live.js), which knows the
        time: the page is the same bytes whatever the clock says when it is built.
        """
        settings = self.archive.settings
        if following is not None or not settings.live_poll_seconds or not day.entries:
            return Markup("")
        document = self.day_updates(day, following)
        values = {
            "live": _link(context, urls.day_updates_url(day.date)),
            "day": day.date.isoformat(),
            "zone": settings.timezone,
            "modified": document.modified,
            "version": document.version,
            "poll": str(settings.live_poll_seconds),
        }
        return Markup("".join(f' data-brf-{name}="{escape(value)}"' for name, value in values.items()))

    def counted(self, count: int, noun: str) -> str:
        """'3 updates', '3 оновлення': ``wording.counted`` in the site's language."""
        return counted(count, noun, self.words)

    def local_time(self, moment: datetime) -> str:
        return fragments.local_time(moment, self.zone)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def local_iso(self, moment: datetime) -> str:
        """``moment`` in the site's zone, as every time of a page's markup is given."""
        return moment.astimezone(self.zone).isoformat()

    def zone_name(self) -> str:
        """'Kyiv time': the site's zone on a page whose times span many days, over which its
        offset may change (a city's, the corrections); a zone without a place (UTC, Etc/GMT+5)
        keeps one offset, and is named by it."""
        zone_id = self.archive.settings.timezone
        if "/" in zone_id and not zone_id.startswith("Etc/"):
            return self._time_of(_place(zone_id, self.words))
        winter, summer = (datetime(2000, month, 1, 12, tzinfo=self.zone).utcoffset() for month in (1, 7))
        return self.zone_label(date(2000, 1, 1)) if winter == summer else self._time_of(zone_id)

    def _time_of(self, place: str) -> str:
        return self.words.gettext("%(place)s time") % {"place": place}

    def zone_label(self, day: date) -> str:
        """'Kyiv time (EET, UTC+02:00)'; on a day the clocks change, both and when:
        'Kyiv time: EET (UTC+02:00) until 03:00, then EEST (UTC+03:00)'."""
        zone_id = self.archive.settings.timezone
        _ = self.words.gettext
        change = _clock_change(day, self.zone)
        if "/" not in zone_id or zone_id.startswith("Etc/"):  # UTC, Etc/GMT+5: no place, an offset (GMT+5 is UTC-05:00)
            offset = _zone_name(datetime.combine(day, time(12), self.zone))[1]
            return "UTC" if offset == "UTC+00:00" else offset
        place = _place(zone_id, self.words)
        if change is None:
            name, offset = _zone_name(datetime.combine(day, time(12), self.zone))
            if not name:
                return _("%(place)s time (%(offset)s)") % {"place": place, "offset": offset}
            return _("%(place)s time (%(name)s, %(offset)s)") % {"place": place, "name": name, "offset": offset}
        before, after = (f"{name} ({offset})" if name else offset for name, offset in map(_zone_name, change))
        message = _("%(place)s time: %(before)s until %(at)s, then %(after)s")
        return message % {"place": place, "before": before, "at": f"{change[0]:%H:%M}", "after": after}


@cache
def _place(zone_id: str, words: Words) -> str:
    """The place a zone is named after: 'Kyiv' for Europe/Kyiv, 'Київ' and 'Нью-Йорк' in Ukrainian
    (CLDR's names, through Babel; a zone CLDR names no city for keeps its English name)."""
    english = zone_id.rsplit("/", 1)[-1].replace("_", " ")
    if words.english:
        return english
    from babel.core import get_global
    from babel.dates import get_timezone_location

    # CLDR may know the city under the zone's former name (Europe/Kiev, now Europe/Kyiv).
    former = sorted(old for old, new in get_global("zone_aliases").items() if new == zone_id)
    for name in (zone_id, *former):
        city = words.locale.time_zones.get(name, {}).get("city")
        if city:
            return city
    try:
        return get_timezone_location(zone_id, locale=words.locale, return_city=True) or english
    except LookupError:
        return english


def _zone_name(moment: datetime) -> tuple[str, str]:
    """('EET', 'UTC+02:00'): the zone's abbreviation at ``moment`` ("" where the zone has only
    its offset for one, like '+1345') and its offset."""
    name = moment.tzname() or ""
    return ("" if name[:1] in "+-" else name), f"UTC{offset_text(moment.utcoffset() or timedelta(0))}"


def _clock_change(day: date, zone: tzinfo) -> tuple[datetime, datetime] | None:
    """When the clocks of ``zone`` change on ``day``: the same instant before and after it
    (03:00 EET is 04:00 EEST), to the quarter hour; None on the other days."""
    start = datetime.combine(day, time(0), zone).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(timezone.utc)
    if start.astimezone(zone).utcoffset() == (end - timedelta(seconds=1)).astimezone(zone).utcoffset():
        return None
    moment, before = start, start.astimezone(zone)
    while moment < end:
        moment += timedelta(minutes=15)  # in UTC: an aware time in the zone would add wall-clock minutes
        after = moment.astimezone(zone)
        if after.utcoffset() != before.utcoffset():
            return moment.astimezone(timezone(before.utcoffset() or timedelta(0), before.tzname())), after
        before = after
    return None


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, to_url: str) -> str:
    return urls.relative(context["page_url"], to_url)


@jinja2.pass_context
def _rooted(context: jinja2.runtime.Context, html: str) -> Markup:
    """Sanitized HTML whose links start at ``autolink.ROOT``, its links from the page being rendered."""
    return Markup(with_root(html, _root(context)))


def _root(context: jinja2.runtime.Context) -> str:
    """The way from the page being rendered to the site root: '../' per level."""
    return "../" * context["page_url"].count("/")


# An entry's title in its block (``fragments.entry_block``), which is its only <h2>.
_ENTRY_TITLE = re.compile(r'<h2( class="brf-entry__title"[^>]*)>(.*?)</h2>', re.S)
# An address in a line of plain text from the settings (the licence's, say).
_ADDRESS = re.compile(r"https?://[^\s<>\"()]+[^\s<>\"().,;:!?]")


def linked_addresses(text: str) -> Markup:
    """Plain ``text`` escaped, each http(s) address in it a link to itself."""
    parts, last = [], 0
    for match in _ADDRESS.finditer(text):
        parts += [escape(text[last : match.start()]), Markup('<a href="{0}">{0}</a>').format(match.group())]
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
