"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/).

A feed is an object with ``version`` (``https://jsonfeed.org/version/1.1``),
``title``, ``home_page_url``, ``feed_url`` and ``items``; an item has ``id``
(required), ``url``, ``title``, ``content_html`` or ``content_text``, ``summary``,
``date_published`` and ``date_modified`` (RFC 3339). An id that is not a URL or
another global id is placed under the feed's address. Titles are plain text, kept as
written ("Use the <b> tag" names a tag). An item's byline is its ``authors``' names
(1.1), else its ``author``'s (1.0), else the feed's, which JSON Feed says are the
authors of an item that names none.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import origins
from .bylines import credited
from .errors import SourceError
from .html_body import absolute_url, as_written, text_paragraphs
from .times import TimeError, published_and_modified
from .update import Document, ImportedUpdate, ParsedSource, Skipped, source_tags

FORMAT = "json-feed"
VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like(data: Any) -> bool:
    return isinstance(data, dict) and str(data.get("version", "")).startswith(VERSION_PREFIX)


def read(data: Any, document: Document) -> ParsedSource:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise SourceError(document.name, "at items: a JSON Feed must have a list of 'items'")
    home = absolute_url(data.get("home_page_url"), document.url) or ""
    container = absolute_url(data.get("feed_url"), document.url) or home or document.url
    publisher = as_written(data.get("title") or "") if isinstance(data.get("title"), str) else ""
    publisher = publisher or origins.host_name(home or container)
    feed_authors = _authors(data)
    updates, skipped = [], []
    for index, item in enumerate(data["items"]):
        place = f"items[{index}]"
        try:
            update = _update(item, place, container, home or container, publisher)
            updates.append(replace(update, authors=_authors(item) or feed_authors))
        except (_Skip, TimeError) as exc:
            skipped.append(Skipped(place, str(exc)))
    return ParsedSource(FORMAT, home or container, tuple(updates), tuple(skipped))


def _authors(node: dict) -> tuple[str, ...]:
    """The names of a feed's or an item's ``authors`` (JSON Feed 1.1), else of its ``author`` (1.0)."""
    listed = node["authors"] if isinstance(node.get("authors"), list) and node["authors"] else [node.get("author")]
    return credited(author.get("name") for author in listed if isinstance(author, dict))


class _Skip(Exception):
    """An item that cannot be imported; the message says why."""


def _update(item: Any, place: str, container: str, base: str, publisher: str) -> ImportedUpdate:
    if not isinstance(item, dict):
        raise _Skip("not an object")
    item_id = item.get("id")
    if isinstance(item_id, (int, float)) and not isinstance(item_id, bool):
        item_id = str(item_id)  # JSON Feed 1.0 allowed numbers
    if not isinstance(item_id, str) or not item_id.strip():
        raise _Skip("no 'id' (required by JSON Feed)")
    origin = origins.within(container, item_id)
    if not origins.is_global_id(origin):
        raise _Skip(f"its id {item_id!r} is not a URL and the feed has no feed_url or home_page_url to place it under")
    url = absolute_url(item.get("url") if isinstance(item.get("url"), str) else None, base) or ""
    if not url and origins.fragment(item_id) and item_id.startswith(("https://", "http://")):
        url = item_id  # an id that is the update's own address, as many feeds make it: its source link
    published, modified = published_and_modified(
        item.get("date_published") or item.get("date_modified"), item.get("date_modified"), "date_published"
    )
    if isinstance(item.get("content_html"), str) and item["content_html"].strip():
        body = item["content_html"]
    else:
        text = item.get("content_text") or item.get("summary") or ""
        body = text_paragraphs(text) if isinstance(text, str) else ""
    title = item.get("title") if isinstance(item.get("title"), str) else ""
    tags, key = source_tags(item.get("tags") if isinstance(item.get("tags"), list) else ())
    return ImportedUpdate(
        origin=origin, published=published, modified=modified, title=as_written(title), body_html=body,
        url=url, base_url=url or base, publisher=publisher, place=place, tags=tags, key=key,
        dated_by_change=not item.get("date_published"),
    )  # fmt: skip
