"""The corrections feeds: every correction of the archive as RSS 2.0 and as JSON Feed 1.1, newest first.

Readers, and other newsrooms that reported an update, follow what was corrected
and when. The corrections page (``views.corrections_view``) announces both. Each
item's id is the corrected update's guid with the correction's time, so an item
keeps its id however the correction's text is edited later; the two feeds hold the
same items under the same ids.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from html import escape

from feedgen.feed import FeedGenerator

from . import __version__, urls
from .autolink import with_root
from .cache.output_store import digest
from .feeds import guid_for, without_build_date
from .i18n import words_for
from .markup import absolutize, xml_safe
from .render import Renderer
from .settings import Settings
from .views import Corrected, corrections


def corrections_files(renderer: Renderer) -> dict[str, bytes]:
    """The corrections feeds by path, from the output store when no correction or corrected title changed:
    one key for both, so that an edit makes both again or neither."""
    archive = renderer.archive
    corrected = corrections(archive, renderer.linker.links)
    key = digest("corrections feeds", archive.settings, corrected)
    return renderer.store.get(key, lambda: corrections_feeds(archive.settings, corrected), f"feed {urls.CORRECTIONS_FEED}")


def corrections_feeds(settings: Settings, corrected: tuple[Corrected, ...]) -> dict[str, bytes]:
    items = _items(settings, corrected)
    return {urls.CORRECTIONS_FEED: corrections_feed(settings, items), urls.CORRECTIONS_JSON_FEED: corrections_json_feed(settings, items)}


@dataclass(frozen=True)
class _Item:
    """A correction as both feeds give it."""

    guid: str
    link: str  # the corrected update's address
    title: str
    html: str  # the correction's text, then a sentence naming the update it corrects
    at: datetime  # in the site's zone


def _items(settings: Settings, corrected: tuple[Corrected, ...]) -> list[_Item]:
    """The latest ``feed_size`` corrections, newest first."""
    base = settings.site_url
    words = words_for(settings.language)
    about_text = escape(words.gettext("A correction to %(update)s, an update of %(day)s."))  # a sentence around a link
    items = []
    for correction, guid in list(zip(corrected, correction_guids(settings.id_url, corrected)))[: max(settings.feed_size, 0)]:
        link = urls.absolute(base, urls.entry_url(correction))
        linked = f'<a href="{escape(link)}">{escape(correction.title)}</a>'
        about = f"<p>{about_text}</p>" % {"update": linked, "day": escape(words.day_title(correction.day))}
        html = absolutize(with_root(correction.text_html, base), link) + "\n" + about
        title = words.gettext("Correction: %(title)s") % {"title": correction.title}
        items.append(_Item(guid, link, title, html, correction.at.astimezone(settings.zone)))
    return items


def _channel_words(settings: Settings) -> tuple[str, str]:
    """The feeds' title and description."""
    _ = words_for(settings.language).gettext
    description = _("Every correction made to an update of %(site)s after it was published") % {"site": settings.title}
    return _("Corrections") + f" · {settings.title}", description


def correction_guids(site_url: str, corrected: tuple[Corrected, ...]) -> list[str]:
    """Each correction's permanent id: its update's guid and its time (UTC), "-2" on for a second at that time."""
    guids = []
    seen: Counter[str] = Counter()
    for correction in reversed(corrected):  # oldest first: a newer correction never renames an older one
        guid = f"{guid_for(site_url, correction)}#correction-{correction.at:%Y%m%dT%H%M%SZ}"
        seen[guid] += 1
        guids.append(guid if seen[guid] == 1 else f"{guid}-{seen[guid]}")
    return guids[::-1]


def corrections_feed(settings: Settings, items: list[_Item]) -> bytes:
    """The corrections as RSS 2.0, each linking the update it corrects."""
    base = settings.site_url
    title, description = _channel_words(settings)
    feed = FeedGenerator()
    feed.title(xml_safe(title))
    # feedgen takes the channel <link> from the last link set, so the page goes last.
    feed.link(href=urls.absolute(base, urls.CORRECTIONS_FEED), rel="self", type="application/rss+xml")
    feed.link(href=urls.absolute(base, urls.CORRECTIONS), rel="alternate")
    feed.description(xml_safe(description))
    feed.language(settings.language)
    feed.generator("briefings", version=__version__)
    if not items:
        return without_build_date(feed.rss_str(pretty=True, encoding="UTF-8"))
    feed.lastBuildDate(items[0].at)  # in the site's zone, as the other feeds' dates
    for found in reversed(items):  # feedgen prepends: add oldest first
        item = feed.add_entry()
        item.title(xml_safe(found.title))
        item.link(href=found.link)
        item.guid(found.guid, permalink=False)
        item.pubDate(found.at)
        item.description(xml_safe(found.html))
    return feed.rss_str(pretty=True, encoding="UTF-8")


def corrections_json_feed(settings: Settings, items: list[_Item]) -> bytes:
    """The corrections as JSON Feed 1.1: the RSS feed's items, with the same ids."""
    base = settings.site_url
    title, description = _channel_words(settings)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": urls.absolute(base, urls.CORRECTIONS),
        "feed_url": urls.absolute(base, urls.CORRECTIONS_JSON_FEED),
        "description": description,
        "language": settings.language,
        "items": [
            {"id": item.guid, "url": item.link, "title": item.title, "content_html": item.html, "date_published": item.at.isoformat()}
            for item in items
        ],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
