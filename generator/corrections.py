"""The corrections feed: every correction of the archive as RSS 2.0, newest first.

Readers, and other newsrooms that reported an update, follow what was corrected
and when. The corrections page (``views.corrections_view``) announces it. Each
item's guid is the corrected update's guid with the correction's time, so an
item keeps its id however the correction's text is edited later.
"""

from __future__ import annotations

from collections import Counter
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
    """The corrections feed by path, from the output store when no correction or corrected title changed."""
    archive = renderer.archive
    corrected = corrections(archive, renderer.linker.links)
    key = digest("corrections feed", archive.settings, corrected)
    data = renderer.store.get(key, lambda: corrections_feed(archive.settings, corrected), f"feed {urls.CORRECTIONS_FEED}")
    return {urls.CORRECTIONS_FEED: data}


def correction_guids(site_url: str, corrected: tuple[Corrected, ...]) -> list[str]:
    """Each correction's permanent id: its update's guid and its time (UTC), "-2" on for a second at that time."""
    guids = []
    seen: Counter[str] = Counter()
    for correction in reversed(corrected):  # oldest first: a newer correction never renames an older one
        guid = f"{guid_for(site_url, correction)}#correction-{correction.at:%Y%m%dT%H%M%SZ}"
        seen[guid] += 1
        guids.append(guid if seen[guid] == 1 else f"{guid}-{seen[guid]}")
    return guids[::-1]


def corrections_feed(settings: Settings, corrected: tuple[Corrected, ...]) -> bytes:
    """The latest ``feed_size`` corrections as RSS 2.0, each linking the update it corrects."""
    base = settings.site_url
    words = words_for(settings.language)
    _ = words.gettext
    feed = FeedGenerator()
    feed.title(xml_safe(_("Corrections") + f" · {settings.title}"))
    # feedgen takes the channel <link> from the last link set, so the page goes last.
    feed.link(href=urls.absolute(base, urls.CORRECTIONS_FEED), rel="self", type="application/rss+xml")
    feed.link(href=urls.absolute(base, urls.CORRECTIONS), rel="alternate")
    feed.description(xml_safe(_("Every correction made to an update of %(site)s after it was published") % {"site": settings.title}))
    feed.language(settings.language)
    feed.generator("briefings", version=__version__)
    about_text = escape(_("A correction to %(update)s, an update of %(day)s."))  # a sentence around a link
    items = list(zip(corrected, correction_guids(base, corrected)))[: max(settings.feed_size, 0)]
    if not items:
        return without_build_date(feed.rss_str(pretty=True, encoding="UTF-8"))
    feed.lastBuildDate(items[0][0].at.astimezone(settings.zone))  # in the site's zone, as the other feeds' dates
    for correction, guid in reversed(items):  # feedgen prepends: add oldest first
        link = urls.absolute(base, urls.entry_url(correction))
        item = feed.add_entry()
        item.title(xml_safe(_("Correction: %(title)s") % {"title": correction.title}))
        item.link(href=link)
        item.guid(guid, permalink=False)
        item.pubDate(correction.at.astimezone(settings.zone))
        linked = f'<a href="{escape(link)}">{escape(correction.title)}</a>'
        about = f"<p>{about_text}</p>" % {
            "update": linked, "day": escape(words.day_title(correction.day)),
        }  # fmt: skip
        item.description(xml_safe(absolutize(with_root(correction.text_html, base), link) + "\n" + about))
    return feed.rss_str(pretty=True, encoding="UTF-8")
