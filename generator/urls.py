"""One function per URL format: the only place that knows where a page lives.

URLs are site-relative and end in "/" (directory URLs); ``source_path`` gives
the virtual Markdown file behind a page, as MkDocs names it.
"""

from __future__ import annotations

import posixpath

from datetime import date
from typing import Protocol


class Anchored(Protocol):
    """An entry, or what a page shows of one (``views.Line``): enough to link its anchor."""

    @property
    def day(self) -> date: ...
    @property
    def slug(self) -> str: ...


class Paged(Protocol):
    """A city or person, or what a page shows of one (``views.Named``, ``views.About``)."""

    @property
    def kind(self) -> str: ...
    @property
    def slug(self) -> str: ...

SECTIONS = {"city": "cities", "person": "people"}

HOME = ""
ARCHIVE = "archive/"
FEED = "feed.xml"
JSON_FEED = "feed.json"
CORRECTIONS = "corrections/"
CORRECTIONS_FEED = "corrections/feed.xml"
CORRECTIONS_JSON_FEED = "corrections/feed.json"
# The addresses of entities' former names and aliases, for the 404 page (``redirects.moved_json``).
MOVED = "moved.json"


def day_url(day: date) -> str:
    # Not f"{day:%Y/%m/%d}/": strftime is slow, and this runs for every link to a day.
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def day_updates_url(day: date) -> str:
    """The JSON document of the day's updates, beside its page (``day_updates``)."""
    return f"{day_url(day)}updates.json"


def day_of_url(url: str) -> date | None:
    """The day whose page is at ``url`` (the inverse of ``day_url``), or None for other pages."""
    parts = url.split("/")
    if len(parts) != 4 or parts[3] or not all(part.isdigit() for part in parts[:3]):
        return None
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return day if day_url(day) == url else None


def entry_url(entry: Anchored) -> str:
    return f"{day_url(entry.day)}#{entry.slug}"


def section_url(kind: str) -> str:
    return f"{SECTIONS[kind]}/"


def entity_url(entity: Paged) -> str:
    return f"{SECTIONS[entity.kind]}/{entity.slug}/"


def entity_month_url(entity: Paged, year: int, month: int) -> str:
    """The page of every update of one month naming the entity (for busy entities)."""
    return f"{entity_url(entity)}{year:04d}/{month:02d}/"


def entity_feed_url(entity: Paged) -> str:
    return f"{entity_url(entity)}feed.xml"


def entity_json_feed_url(entity: Paged) -> str:
    return f"{entity_url(entity)}{JSON_FEED}"


def source_path(url: str) -> str:
    """The virtual source file of the page at ``url``: 2022/03/03/ -> 2022/03/03/index.md."""
    return f"{url}index.md"


def linked_place(rel_path: str, source: str) -> str:
    """Where the picture or file ``source``, shown or linked by the entry at ``rel_path`` in the
    content folder, is: a full address as written, or its path in the site, where the content
    folder's files are published; "" for an address that leads out of the site, or elsewhere."""
    if source.startswith(("https://", "http://")):
        return source
    if source.startswith(("/", "#")) or ":" in source.split("/", 1)[0]:
        return ""
    place = posixpath.normpath(posixpath.join(posixpath.dirname(rel_path), source.split("#", 1)[0].split("?", 1)[0]))
    return "" if place.startswith("..") or place == "." else place


def full_address(site_url: str, place: str) -> str:
    """A ``linked_place``, a path in the site or a full address, as a full address ("" stays "")."""
    return place if not place or "://" in place else absolute(site_url, place)


def absolute(site_url: str, url: str) -> str:
    """The full address of the site URL ``url``; ``site_url`` ends in "/" (see settings).

    Not urljoin: this runs for every link in every feed, and site URLs never hold
    a scheme, a leading "/" or "..", so joining is plain concatenation.
    """
    return site_url + url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` that works under any base path."""
    depth = from_url.count("/")
    return "../" * depth + to_url if (depth or to_url) else "./"
