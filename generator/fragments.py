"""The two per-entry fragments, written in Python rather than as Jinja macros.

An entry's block (its day page, the home page) and its line (each page of a city
or person it names) are made once per entry and process, then shared by every
page that shows them; at 20,000 entries that is 20,000 blocks and lines. They are
Python rather than Jinja macros because each helper a macro calls goes through the
template context, which made the blocks most of rendering the day pages
(docs/performance.md).

Links start at ``autolink.ROOT``, which each page replaces with its own way to
the site root (``autolink.with_root``). Every value from an entry is escaped as
Jinja's autoescaping would (as ``markupsafe.escape``, in the same bytes); the
bodies are HTML already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from functools import cache
from typing import Iterable, Sequence

from . import urls
from .autolink import ROOT
from .i18n import ENGLISH_WORDS, Words
from .model import Correction, Entity, Entry
from .views import Line


# The parts of a block a search leaves out (``data-pagefind-ignore``), from their opening
# to their end: the search index's stand-in pages leave them out rather than have
# Pagefind read them only to skip them.
PERMALINK = ('<a class="brf-entry__time" data-pagefind-ignore ', "</a>")
SOURCES = ('<p class="brf-sources" data-pagefind-ignore>', "</p>")
HISTORY = ('<p class="brf-entry__history" data-pagefind-ignore>', "</p>")
# "Updated 11:05": no reader searches for it, and a result's excerpt would show it.
UPDATED = ('<p class="brf-entry__updated" data-pagefind-ignore>', "</p>")
UNSEARCHED = (PERMALINK, SOURCES, HISTORY, UPDATED)


@dataclass(frozen=True)
class Labels:
    """A block's words in the site's language, looked up and escaped once a process, not once an entry."""

    permalink: str
    by: str
    updated: str
    updated_on: str
    chips: str
    source: str
    sources: str
    history: str
    history_of: str
    every_correction: str
    correction: str
    correction_on: str
    city: str  # a search filter's name, which the search box shows over its values
    person: str


@cache
def labels(words: Words) -> Labels:
    _ = words.gettext
    texts = (
        _("Permalink to this update"), _("By %(author)s"), _("Updated %(time)s"), _("Updated %(time)s on %(day)s"),
        _("Cities and people"), _("Source: %(sources)s"), _("Sources: %(sources)s"), _("History"), _("History of the update: %(title)s"),
        _("Every correction"), _("Correction, %(time)s:"), _("Correction, %(day)s, %(time)s:"), _("City"), _("Person"),
    )  # fmt: skip
    return Labels(*map(_escaped, texts))




def entry_block(
    entry: Entry,
    body: str,
    entities: Iterable[Entity],
    zone: tzinfo,
    history: str = "",
    corrections: Sequence[str] = (),
    words: Words = ENGLISH_WORDS,
) -> str:
    """The entry as on its day page: ``body`` is its linked HTML, ``corrections`` its corrections'
    HTML with their links resolved, ``entities`` its chips (cities first), ``history`` the
    address of its file's history on the repository's host (none: ""), in the site's ``words``."""
    said = labels(words)
    slug = _escaped(entry.slug)
    lang = f' lang="{_escaped(entry.language)}"' if entry.language else ""  # a screen reader's voice for it
    parts = [
        f'<article class="brf-entry{" brf-entry--key" if entry.key else ""}" id="{slug}" aria-labelledby="{slug}__title"'
        f"{lang} data-pagefind-body>\n"
        # The heading first, the time after it (shown before it): a screen reader that goes
        # from heading to heading reads each update's title, then its time.
        '  <header class="brf-entry__head">\n'
        f'    <h2 class="brf-entry__title" id="{slug}__title">{_escaped(entry.title)}</h2>\n'
        f'    {PERMALINK[0]}href="{_escaped(ROOT + urls.entry_url(entry))}"'
        f' title="{said.permalink}">{_time(entry.published, zone, utc=True)}{PERMALINK[1]}\n'
        "  </header>\n"
        '  <div class="brf-entry__body">\n'
        f"    {body}\n"
        "  </div>\n"
    ]
    if entry.corrections:
        parts.append(corrections_block(entry, zone, corrections, words))
    if entry.author:
        parts.append(f'  <p class="brf-entry__byline">{said.by % {"author": _escaped(entry.author)}}</p>\n')
    if entry.updated and entry.updated != entry.published:
        updated_day = entry.updated.astimezone(zone).date()
        at = _time(entry.updated, zone, utc=True)
        if updated_day != entry.day:
            updated = said.updated_on % {"time": at, "day": _escaped(words.day_title(updated_day))}
        else:
            updated = said.updated % {"time": at}
        parts.append(f"  {UPDATED[0]}{updated}{UPDATED[1]}\n")
    chips = [
        f'    <li><a class="brf-chip brf-chip--{entity.kind}" data-pagefind-filter="{getattr(said, entity.kind)}"{_aliases(entity)}'
        f' href="{_escaped(ROOT + urls.entity_url(entity))}">{_escaped(entity.name)}</a></li>\n'
        for entity in entities
    ]
    if chips:
        parts.append(f'  <ul class="brf-chips" aria-label="{said.chips}">\n')
        parts.extend(chips)
        parts.append("  </ul>\n")
    if entry.sources:
        parts.append(f"  {SOURCES[0]}{sources_text(entry, words)}{SOURCES[1]}\n")
    if history:
        # Named after the update: a page has a "History" link per update, each to another file's history.
        parts.append(
            f'  {HISTORY[0]}<a href="{_escaped(history)}" aria-label="{said.history_of % {"title": _escaped(entry.title)}}"'
            f' rel="noopener noreferrer">{said.history}</a>{HISTORY[1]}\n'
        )
    parts.append("</article>\n")
    return "".join(parts)


def sources_text(entry: Entry, words: Words = ENGLISH_WORDS) -> str:
    """"Source: " or "Sources: " and each of the entry's sources as a link, for its day page and its feeds' items."""
    cited = ", ".join(
        f'<cite><a href="{_escaped(source.url)}" rel="noopener noreferrer">{_escaped(source.name)}</a></cite>'
        for source in entry.sources
    )
    said = labels(words)
    return (said.source if len(entry.sources) == 1 else said.sources) % {"sources": cited}


def corrections_block(entry: Entry, zone: tzinfo, texts: Sequence[str], words: Words = ENGLISH_WORDS) -> str:
    """The entry's corrections, newest first, each as "Correction, 12:30: ...", and a link to every correction.

    Made for its day page and for the feeds' items alike (links from ``ROOT``); ``texts`` are
    the corrections' HTML, their links by path resolved (``autolink.EntryLinks.resolved``).
    """
    shown = "".join(
        f"    {correction_text(correction, entry.day, zone, text, words)}\n" for correction, text in zip(entry.corrections, texts)
    )
    every = f'    <p class="brf-corrections__all"><a href="{ROOT}{urls.CORRECTIONS}">{labels(words).every_correction}</a></p>\n'
    return f'  <div class="brf-corrections">\n{shown}{every}  </div>\n'


def correction_text(correction: Correction, day: date, zone: tzinfo, html: str, words: Words = ENGLISH_WORDS) -> str:
    """One correction, its ``html`` (links resolved) with its label run into its first paragraph:
    "Correction, 12:30: An earlier version...".

    A correction made on another day than the update's names that day too.
    """
    made_on = correction.at.astimezone(zone).date()
    said, at = labels(words), _time(correction.at, zone, utc=True)
    if made_on != day:
        text = said.correction_on % {"day": _escaped(words.day_title(made_on)), "time": at}
    else:
        text = said.correction % {"time": at}
    label = f'<strong class="brf-correction__label">{text}</strong>'
    if html.startswith("<p>"):
        return f'<div class="brf-correction"><p>{label} {html[3:]}</div>'
    return f'<div class="brf-correction"><p>{label}</p>{html}</div>'


def _aliases(entity: Entity) -> str:
    """The registry's other spellings of ``entity``, for the search to index with the chip
    (a search for "Київ" finds the updates naming Kyiv); not shown."""
    if not entity.aliases:
        return ""
    return f' data-pagefind-index-attrs="data-aliases" data-aliases="{_escaped(", ".join(entity.aliases))}"'


def entity_item(line: Line, zone: tzinfo) -> str:
    """An entry's line on the page of a city or person it names."""
    return (
        f'<li class="brf-entity__entry"><a href="{_escaped(ROOT + urls.entry_url(line))}">'
        f"{_time(line.published, zone)} {_escaped(line.title)}</a></li>"
    )


# Formatted by hand: strftime was a large part of a block's time.
def local_time(moment: datetime, zone: tzinfo) -> str:
    """'14:05': the clock time of ``moment`` in the site's time zone."""
    moment = moment.astimezone(zone)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def utc_time(moment: datetime) -> str:
    """'2022-03-03 12:05 UTC'."""
    moment = moment.astimezone(timezone.utc)
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d} UTC"


def _time(moment: datetime, zone: tzinfo, *, utc: bool = False) -> str:
    """A <time> element showing the local clock time; with ``utc``, the UTC time on hover."""
    title = f' title="{utc_time(moment)}"' if utc else ""
    return f'<time datetime="{moment.isoformat()}"{title}>{local_time(moment, zone)}</time>'


def _escaped(text: str) -> str:
    # Exactly the bytes markupsafe.escape writes, without making a Markup object.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
