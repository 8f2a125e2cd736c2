"""RSS 2.0 and Atom feeds of a live blog, read with feedparser.

An item's origin is its ``guid`` (RSS) or ``id`` (Atom) when that names it
globally (a URL or a ``tag:`` URI), else the feed's address with the id as its
anchor; an item with neither an id nor a link cannot be told apart from the next
one and is skipped. Times are read from the feed's own text, so they keep their
offset (feedparser's parsed times are UTC).

An item's byline is its authors' names (RSS ``<author>``, which is an e-mail
address with the name in brackets, or ``dc:creator``; Atom ``<author><name>``);
an Atom entry without an author has the feed's, as Atom says. RSS's channel names
only its editors' addresses (``managingEditor``), which are no byline.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

import feedparser

from ..wording import counted
from . import origins
from .bylines import credited
from .errors import CUT_SHORT, SourceError
from .html_body import absolute_url, as_written, plain, text_paragraphs
from .times import TimeError, any_time
from .update import Document, ImportedUpdate, ParsedSource, Skipped, source_tags, timed_told_apart

FORMAT = "feed"
# Not errors: feedparser reports a declared encoding that differs from the one it used.
_HARMLESS = (feedparser.CharacterEncodingOverride,)

# How a CMS ends an excerpt (WordPress: " [&hellip;]"), where a feed carries no whole text.
_EXCERPT_END = re.compile(r"\[(?:…|\.\.\.)\]\s*$")
_EXCERPT_MARK = re.compile(r"\s*\[(?:…|&hellip;|&#8230;|&#x2026;|\.\.\.)\]\s*((?:</p>)?)\s*$", re.I)
# The root's tags: a feed that opens and never closes was cut short, and its last item with it.
_FEED_START = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|RDF)[\s>]")
_FEED_END = re.compile(rb"</(?:[\w-]+:)?(?:rss|feed|RDF)\s*>")

def read(document: Document) -> ParsedSource:
    headers = {"content-location": document.url} if document.url else {}
    if document.content_type:
        headers["content-type"] = document.content_type
    if _FEED_START.search(document.data) and not _FEED_END.search(document.data):
        raise SourceError(document.name, f"the feed ends before its closing </rss>, </feed> or </rdf:RDF> tag: {CUT_SHORT}")
    parsed = feedparser.parse(document.data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and isinstance(problem, _HARMLESS):
        problem = None
    if not parsed.entries or parsed.get("version", "") == "":
        if problem is not None:
            raise SourceError(_place(document, problem), f"not an RSS or Atom feed: {_message(problem)}")
        raise SourceError(document.name, "not an RSS or Atom feed: no channel or feed element with items")
    feed = parsed.feed
    kind = "Atom" if parsed.version.startswith("atom") else "RSS"
    home = absolute_url(feed.get("link"), document.url) or ""
    container = feed.get("id") if isinstance(feed.get("id"), str) and origins.is_global_id(feed.get("id")) else ""
    container = container or home or document.url
    publisher = _text(feed, "title") or origins.host_name(home)
    feed_authors = _authors(feed, kind) if kind == "Atom" else ()
    updates, timed, skipped, excerpts = [], [], [], 0
    # Items without an id are known by their link, unless several share it (all linking to the live page).
    links = Counter(entry.get("link") for entry in parsed.entries if not entry.get("id"))
    for index, entry in enumerate(parsed.entries):
        place = f"{'entry' if kind == 'Atom' else 'item'} {index + 1}"
        try:
            update = _update(entry, place, container, home or document.url, publisher, document.url)
            tags, key = source_tags(tag.get("label") or tag.get("term") for tag in entry.get("tags") or [] if isinstance(tag, dict))
            update = replace(update, authors=_authors(entry, kind) or feed_authors, tags=tags, key=key)
        except (_Skip, TimeError) as exc:
            skipped.append(Skipped(place, str(exc)))
            continue
        by_time = not entry.get("id") and links[entry.get("link")] > 1
        if by_time:
            update = replace(update, origin=origins.at_time(update.origin, update.published))
        if not entry.get("content") and _EXCERPT_END.search(plain(update.body_html)):
            excerpts += 1  # the marker made an ellipsis: '[…]' would read as a link's brackets in Markdown
            update = replace(update, body_html=_EXCERPT_MARK.sub(r"…\1", update.body_html))
        updates.append(update)
        timed.append(by_time)
    updates = timed_told_apart(updates, timed)
    warnings = (f"the feed is not well-formed XML ({_where(problem)}{_message(problem)}); it was read leniently",) if problem else ()
    if excerpts:
        warnings += (
            f"{counted(excerpts, 'item')} of the feed {'gives' if excerpts == 1 else 'give'} only an excerpt, ending with '[…]' (no content:encoded "
            "or content): import the live blog's page, or a feed with whole texts, for the whole updates",
        )
    return ParsedSource(FORMAT, home or container, tuple(updates), tuple(skipped), warnings)


class _Skip(Exception):
    """An item that cannot be imported; the message says why."""


def _update(entry: Any, place: str, container: str, base: str, publisher: str, feed_url: str) -> ImportedUpdate:
    link = absolute_url(entry.get("link"), base) or ""
    item_id = entry.get("id") or ""
    if item_id:
        origin = origins.within(container, item_id)
        if not origins.is_global_id(origin):
            raise _Skip(f"its id {item_id!r} is not a URL and the feed has no address to place it under")
    elif link:
        origin = link
    else:
        raise _Skip("no guid, id or link to know it by")
    # The times as the feed writes them (dict.get: feedparser's own get would answer
    # 'updated' with the publication time where there is none).
    published_text, updated_text = dict.get(entry, "published"), dict.get(entry, "updated")
    if not (published_text or updated_text):
        raise _Skip("no date (pubDate, published or updated)")
    try:
        published = any_time(published_text or updated_text)
    except TimeError as exc:
        raise TimeError(f"its date {exc}") from None
    modified = None
    if published_text and updated_text:
        try:
            modified = any_time(updated_text)
        except TimeError:
            modified = None
    body, body_base = _body(entry, feed_url)
    return ImportedUpdate(
        dated_by_change=not published_text,
        origin=origin,
        published=published,
        modified=modified,
        title=_text(entry, "title"),
        body_html=body,
        url=link,
        base_url=body_base or link or base,
        publisher=publisher,
        place=place,
    )


def _authors(element: Any, kind: str) -> tuple[str, ...]:
    """The names of a feed's or an item's authors (an address alone has no name).

    Atom names each author in an element of its own. RSS's one ``<author>`` is a text
    that feedparser splits into a name and an address with a pattern that cuts
    addresses of longer domains ("anna@kyivdaily.exam", name "ple (Anna Smith"):
    that text is read as written.
    """
    listed = [author for author in element.get("authors") or [] if isinstance(author, dict)]
    if kind == "RSS" and len(listed) == 1:
        return credited([element.get("author")])
    return credited(author.get("name") for author in listed)


def _text(element: Any, name: str) -> str:
    """A title as plain text: as written, unless the feed declares it HTML (Atom's type="html")."""
    value = element.get(name) or ""
    kind = (element.get(f"{name}_detail") or {}).get("type", "text/plain")
    return plain(value) if kind in ("text/html", "application/xhtml+xml") else as_written(value)


def _body(entry: Any, feed_url: str) -> tuple[str, str]:
    """The item's body as HTML, and the address its relative links are relative to if it declares one."""
    contents = entry.get("content") or []
    for content in sorted(contents, key=lambda c: c.get("type") != "text/html"):
        if content.get("value"):
            return _as_html(content.get("value"), content.get("type", "text/html")), _declared_base(content, feed_url)
    detail = entry.get("summary_detail") or {}
    return _as_html(entry.get("summary") or "", detail.get("type", "text/html")), _declared_base(detail, feed_url)


def _declared_base(detail: Any, feed_url: str) -> str:
    """The xml:base in force where an Atom body is (feedparser's ``base``); "" where none is declared,
    for feedparser then gives the feed's own address, and the item's link is the better base."""
    base = absolute_url(detail.get("base"), feed_url) or ""
    return base if base.startswith(("http://", "https://")) and base != feed_url else ""


def _as_html(value: str, kind: str) -> str:
    return text_paragraphs(value) if kind == "text/plain" else value


def _place(document: Document, problem: Exception) -> str:
    line = getattr(problem, "getLineNumber", lambda: None)()
    return f"{document.name}:{line}" if line else document.name


def _where(problem: Exception) -> str:
    line = getattr(problem, "getLineNumber", lambda: None)()
    return f"line {line}: " if line else ""


def _message(problem: Exception) -> str:
    message = getattr(problem, "getMessage", lambda: str(problem))()
    return str(message) or problem.__class__.__name__
