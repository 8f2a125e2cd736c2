"""A day's updates as a small JSON document beside its page: ``YYYY/MM/DD/updates.json``.

An open page of a running day asks for it every ``live_poll_seconds`` and shows
what changed in place (``theme/assets/javascripts/live.js``): it inserts new
updates at their time, replaces edited ones, removes withdrawn ones. Whether a
day is still running is decided in the reader's browser, from the page's day,
the site's time zone and the last update's time: the build writes the same bytes
whatever the clock says, and a past day's page makes no request at all.

The document (one object, keys in a fixed order, UTF-8)::

    {"day": "2022-03-03", "title": "3 March 2022", "timezone": "Europe/Kyiv",
     "modified": "<the newest published or updated time>", "version": "<digest of updates>",
     "next": null or {"url": "../04/", "title": "4 March 2022"},
     "updates": [{"id", "anchor", "published", "updated", "time", "title", "key", "html"}, ...]}

``updates`` are in reading order (oldest first), as on the page; ``html`` is the
update's block as the day page shows it, its links relative to the document's
folder, which is the day page's; ``id`` is the update's feed guid; ``updated`` is
null unless the update was changed after it was published. ``version`` is
written on the page too (``data-brf-version``), so the first answer tells
whether the page was already out of date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from . import urls
from .feeds import guid_for
from .fragments import local_time
from .model import Day, Entry
from .settings import Settings
from .i18n import words_for


@dataclass(frozen=True)
class DayUpdates:
    """A day's document, with what its page says of it."""

    data: bytes  # the JSON, UTF-8
    version: str  # a digest of the updates
    modified: str  # ISO 8601: the newest published or updated time of the day ("" for none)


def day_updates(settings: Settings, day: Day, following: date | None, block: Callable[[Entry], str]) -> DayUpdates:
    """The document of ``day``; ``block(entry)`` is the entry's block with links from the day's folder."""
    zone, words = settings.zone, words_for(settings.language)
    updates = [_update(settings, entry, block(entry), zone) for entry in day.entries]
    version = hashlib.sha256(_json(updates).encode("utf-8")).hexdigest()[:20]
    modified = max((max(e.published, e.updated) if e.updated else e.published for e in day.entries), default=None)
    document = {
        "day": day.date.isoformat(),
        "title": words.day_title(day.date),
        "timezone": settings.timezone,
        "modified": modified.isoformat() if modified else None,
        "version": version,
        "next": None,
        "updates": updates,
    }
    if following is not None:
        here = urls.day_url(day.date)
        document["next"] = {"url": urls.relative(here, urls.day_url(following)), "title": words.day_title(following)}
    data = (_json(document) + "\n").encode("utf-8")
    return DayUpdates(data, version, modified.isoformat() if modified else "")


def _update(settings: Settings, entry: Entry, html: str, zone: Any) -> dict[str, Any]:
    changed = entry.updated is not None and entry.updated != entry.published
    return {
        "id": guid_for(settings.id_url, entry),
        "anchor": entry.slug,
        "published": entry.published.isoformat(),
        "updated": entry.updated.isoformat() if changed and entry.updated else None,
        "time": local_time(entry.published, zone),
        "title": entry.title,
        "key": entry.key,
        "html": html,
    }


def _json(data: Any) -> str:
    # Compact and in a fixed order: the same day gives the same bytes; not ASCII-only,
    # which would make a day in Cyrillic twice the size.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
