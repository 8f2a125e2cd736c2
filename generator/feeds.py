"""RSS 2.0 feeds, written with feedgen.

Every URL in a feed is absolute, every string is stripped of characters XML 1.0
forbids, and the only dates are the entries' own, so the same archive always
gives the same bytes.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Sequence
from urllib.parse import urlsplit

import lxml.etree
from feedgen.feed import FeedGenerator

from . import __version__, urls
from .autolink import MentionLinker, with_root
from .fragments import corrections_block, sources_text
from .i18n import words_for
from .markup import absolutize, xml_safe
from .model import Archive, Entity, Entry


def entry_guid(archive: Archive, entry: Entry) -> str:
    """A tag URI (RFC 4151) from the site's host and path, the entry's day and slug.

    It survives edits to the title, body and time of day; only moving the entry
    to another day or renaming its file makes a new item, as it makes a new anchor.
    Two archives on one host (project pages under different paths) never share an
    id; a site at the host's root keeps the ids it had before paths were part of them
    (``tag:host,day:slug``): a slug holds no "/", so the two forms never meet.
    """
    return guid_for(archive.settings.id_url, entry)


def guid_for(site_url: str, entry: Entry) -> str:
    """``entry_guid`` for the site whose ids are made from ``site_url`` (``Settings.id_url``)."""
    host, path = _guid_parts(site_url)
    return f"tag:{host},{entry.day.isoformat()}:{path}{entry.slug}"


@cache
def _guid_parts(site_url: str) -> tuple[str, str]:
    """The host and the path (empty, or ending in "/") that every guid of the site at ``site_url`` holds."""
    parts = urlsplit(site_url)
    path = parts.path.strip("/")
    return parts.hostname or "localhost", f"{path}/" if path else ""


def latest(entries: Sequence[Entry], size: int) -> list[Entry]:
    """The newest ``size`` of ``entries``, newest first.

    ``entries`` come sorted by ``Entry.sort_key`` as the model keeps them, either
    way round (an archive's oldest first, an entity's newest first): the first and
    the last tell which. Sort keys are unique, so there are no ties to order.
    """
    if size <= 0 or not entries:
        return []
    if entries[0].sort_key > entries[-1].sort_key:
        return list(entries[:size])
    return list(reversed(entries[-size:]))


def rss_feed(archive: Archive, bodies: FeedBodies, entries: Sequence[Entry], *, title: str, description: str, page_url: str, feed_url: str) -> bytes:
    settings = archive.settings
    base = settings.site_url
    items = latest(entries, settings.feed_size)
    feed = FeedGenerator()
    feed.title(xml_safe(title))
    # feedgen takes the channel <link> from the last link set, so the page goes last.
    feed.link(href=urls.absolute(base, feed_url), rel="self", type="application/rss+xml")
    feed.link(href=urls.absolute(base, page_url), rel="alternate")
    feed.description(xml_safe(description or title))
    feed.language(settings.language)
    feed.generator("briefings", version=__version__)
    if icon := feed_icon(archive):  # what a reader shows beside the feed's name
        feed.image(url=icon, title=xml_safe(title), link=urls.absolute(base, page_url))
    if not items:
        return without_build_date(feed.rss_str(pretty=True, encoding="UTF-8"))
    feed.lastBuildDate(max(e.updated or e.published for e in items))
    if any(e.author for e in items):  # RSS's <author> is an e-mail address: Dublin Core names people
        feed.load_extension("dc")
    for entry in reversed(items):  # feedgen prepends: add oldest first
        _add_item(feed, archive, bodies, entry)
    return feed.rss_str(pretty=True, encoding="UTF-8")


def feed_icon(archive: Archive) -> str:
    """The publisher's logo, as an absolute address ("" for none): the picture a feed reader shows."""
    logo = archive.settings.publisher.preview_logo if archive.settings.publisher is not None else ""
    if not logo or logo.startswith(("https://", "http://")):
        return logo
    return urls.absolute(archive.settings.site_url, logo.lstrip("/"))  # a picture of the site's own


def without_build_date(rss: bytes) -> bytes:
    """An empty feed has no last update; feedgen would print the clock's time instead,
    and the same archive would build different bytes from one second to the next."""
    root = lxml.etree.fromstring(rss)
    for element in root.iter("lastBuildDate"):
        element.getparent().remove(element)
    return lxml.etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def site_feed(archive: Archive, bodies: FeedBodies) -> bytes:
    settings = archive.settings
    return rss_feed(
        archive,
        bodies,
        archive.entries,
        title=settings.title,
        description=settings.description,
        page_url=urls.HOME,
        feed_url=urls.FEED,
    )


def entity_feed(archive: Archive, bodies: FeedBodies, entity: Entity) -> bytes:
    return rss_feed(archive, bodies, entity.entries, **_entity_channel(archive, entity, urls.entity_feed_url(entity)))


def _entity_channel(archive: Archive, entity: Entity, feed_url: str) -> dict[str, str]:
    """What an entity's feeds, RSS and JSON, say of themselves."""
    words = words_for(archive.settings.language)
    return {
        "title": f"{entity.name} · {archive.settings.title}",
        "description": words.gettext("Updates naming %(name)s") % {"name": entity.name},
        "page_url": urls.entity_url(entity),
        "feed_url": feed_url,
    }


def json_feed(archive: Archive, bodies: FeedBodies) -> bytes:
    """The archive as JSON Feed 1.1, with ids identical to the RSS guids."""
    settings = archive.settings
    return _json_feed(
        archive, bodies, archive.entries, title=settings.title, description=settings.description, page_url=urls.HOME,
        feed_url=urls.JSON_FEED,
    )  # fmt: skip


def entity_json_feed(archive: Archive, bodies: FeedBodies, entity: Entity) -> bytes:
    """The entity's updates as JSON Feed 1.1: its RSS feed's items, with the same ids."""
    return _json_feed(archive, bodies, entity.entries, **_entity_channel(archive, entity, urls.entity_json_feed_url(entity)))


def _json_feed(archive: Archive, bodies: FeedBodies, entries: Sequence[Entry], *, title: str, description: str, page_url: str, feed_url: str) -> bytes:
    settings = archive.settings
    base = settings.site_url
    items = []
    for entry in latest(entries, settings.feed_size):
        link = urls.absolute(base, urls.entry_url(entry))
        item = {
            "id": entry_guid(archive, entry),
            "url": link,
            "title": entry.title,
            "content_html": bodies(entry),
            "date_published": entry.published.isoformat(),
        }
        if entry.updated:
            item["date_modified"] = entry.updated.isoformat()
        if entry.author:
            item["authors"] = [{"name": entry.author}]
        if entry.language:
            item["language"] = entry.language  # JSON Feed 1.1: an item's own language
        tags = [e.name for e in archive.links.get(entry.rel_path, ())] + list(entry.tags)
        if tags:
            item["tags"] = tags
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": urls.absolute(base, page_url),
        "feed_url": urls.absolute(base, feed_url),
        "description": description or title,
        "language": settings.language,
        **({"icon": icon} if (icon := feed_icon(archive)) else {}),
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class FeedBodies:
    """Entry HTML for feeds: mentions linked and every URL absolute, made once per entry.

    An entry is in the main feed and in the feed of each of its entities. The
    process that renders an entry's day page has linked its body already: it
    makes the feed body there (``prepare``), and the feeds, rendered later and
    elsewhere, take it from what that process hands back (``export``, ``adopt``).
    """

    def __init__(self, archive: Archive, linker: MentionLinker) -> None:
        self.archive = archive
        self.linker = linker
        self._memo: dict[str, str] = {}
        self._made: list[str] = []  # by this process, since the last export
        size = archive.settings.feed_size
        self.shown = {e.rel_path for e in latest(archive.entries, size)}  # in some feed
        for entity in (*archive.cities, *archive.people):
            self.shown.update(e.rel_path for e in latest(entity.entries, size))

    def __call__(self, entry: Entry) -> str:
        body = self._memo.get(entry.rel_path)
        if body is None:
            base = self.archive.settings.site_url
            link = urls.absolute(base, urls.entry_url(entry))
            html = self.linker.linked(entry)
            words = words_for(self.archive.settings.language)
            if entry.corrections:  # the corrections travel with the item: its guid never changes
                html += "\n" + corrections_block(entry, self.archive.settings.zone, self.linker.links.corrections(entry), words)
            if entry.sources:  # credited wherever the update is read
                html += f"\n<p>{sources_text(entry, words)}</p>"
            body = self._memo[entry.rel_path] = absolutize(with_root(html, base), link)
            self._made.append(entry.rel_path)
        return body

    def prepare(self, entries: Sequence[Entry]) -> None:
        """Make the feed bodies of those of ``entries`` that a feed shows and this process has linked."""
        for entry in entries:
            if entry.rel_path in self.shown and self.linker.has_linked(entry):
                self(entry)

    def export(self) -> dict[str, str]:
        """The bodies made by this process since the last export."""
        made, self._made = self._made, []
        return {path: self._memo[path] for path in made}

    def adopt(self, bodies: dict[str, str]) -> None:
        self._memo.update(bodies)


def _add_item(feed: FeedGenerator, archive: Archive, bodies: FeedBodies, entry: Entry) -> None:
    link = urls.absolute(archive.settings.site_url, urls.entry_url(entry))
    item = feed.add_entry()
    item.title(xml_safe(entry.title) or entry.slug)
    item.link(href=link)
    item.guid(entry_guid(archive, entry), permalink=False)
    item.pubDate(entry.published)
    item.description(xml_safe(bodies(entry)) or xml_safe(entry.title))
    if entry.author:
        item.dc.dc_creator(xml_safe(entry.author))
    site_url = archive.settings.site_url
    named = [{"term": xml_safe(e.name), "scheme": urls.absolute(site_url, urls.entity_url(e))} for e in archive.links.get(entry.rel_path, ())]
    if named:  # one call for all: each call checks its arguments' format again
        item.category(named)
