"""Links in entry bodies, made once per entry: mentions, and links by file path.

The first mention of a known city or person links to its page: in the sanitized
HTML of a body, never inside links, code or headings, once per entity per entry.
An entry opts out with ``autolink: false``.

A link or picture by a path relative to the entry's file (what the pull request's
preview follows) points from the site root instead, so it works on every page and
in feeds; a link to another entry's file (``../04/x.md``) becomes a link to that
entry's anchor on its day page.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from functools import cached_property
from typing import Callable, Iterator
from urllib.parse import quote, unquote, urlsplit

from . import urls
from .markup import SANITIZED_TAG
from .model import Archive, Day, Entity, Entry
from .names import NameMatcher, as_spelled, slug_for

# Stands for the site root in memoized HTML. The sanitizer removes any URL with a
# scheme outside http, https and mailto, so no contributor text can contain it.
ROOT = "brf-root:/"


def with_root(html: str, prefix: str) -> str:
    """Memoized body HTML with ``prefix`` (a relative or absolute site root) for ``ROOT``."""
    html = html.replace(f'href="{ROOT}', f'href="{prefix}')
    return html.replace(f'src="{ROOT}', f'src="{prefix}') if f'src="{ROOT}' in html else html


# A link or picture whose URL has no scheme and is no fragment of the page: by path.
_BY_PATH = re.compile(r' (href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"]+)"')
ENTRY_SUFFIX = ".md"


def by_path(rel_path: str, url: str) -> str | None:
    """The file in the content folder that ``url``, written in the entry at ``rel_path``,
    names (its place, like "2022/03/04/x.md"); None if it names none, or one outside."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    place = posixpath.normpath(posixpath.join(posixpath.dirname(rel_path), unquote(parts.path)))
    return None if place == "." or place.startswith("../") or place == ".." else place


def path_links(rel_path: str, body_html: str) -> Iterator[str]:
    """The places of the files an entry's HTML links or shows by path."""
    for match in _BY_PATH.finditer(body_html):
        place = by_path(rel_path, html.unescape(match.group(2)))
        if place is not None:
            yield place


def linked_entries(rel_path: str, body_html: str) -> tuple[str, ...]:
    """The places of the entry files the HTML of the entry at ``rel_path`` links, in order, once each."""
    if ENTRY_SUFFIX not in body_html:  # most bodies link no file: spared the scan
        return ()
    return tuple(dict.fromkeys(place for place in path_links(rel_path, body_html) if place.endswith(ENTRY_SUFFIX)))


def default_anchor(place: str) -> str:
    """The URL an entry file in its date folder has: "2022/03/04/x.md" -> "2022/03/04/#x"."""
    folder, _, name = place.rpartition("/")
    return f"{folder}/#{slug_for(name[: -len(ENTRY_SUFFIX)])}"


def resolve_paths(rel_path: str, html_text: str, anchor_of: Callable[[str], str | None] = default_anchor) -> str:
    """``html_text``, written in the entry at ``rel_path``, each link and picture by path made to start at ``ROOT``.

    A link to an entry file goes to ``anchor_of(place)``: by default the URL its file's
    place gives, which is the entry's own unless it is filed under another day (which
    `check` names). Where ``anchor_of`` knows no URL (the site does not show that
    entry), the link stays as written.
    """
    if not _BY_PATH.search(html_text):
        return html_text

    def resolved(match: re.Match[str]) -> str:
        place = by_path(rel_path, html.unescape(match.group(2)))
        if place is None:
            return match.group()
        if place.endswith(ENTRY_SUFFIX):
            anchor = anchor_of(place)
            return match.group() if anchor is None else f' {match.group(1)}="{ROOT}{html.escape(anchor)}"'
        parts = urlsplit(html.unescape(match.group(2)))
        folder = "/" if parts.path.endswith("/") else ""
        rest = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return f' {match.group(1)}="{ROOT}{html.escape(quote(place) + folder + rest)}"'

    return _BY_PATH.sub(resolved, html_text)


# Text inside these elements is never linked: links would nest, code is literal,
# and a heading that is a link reads as navigation.
SKIP = frozenset({"a", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6"})


class EntryLinks:
    """Where a link by path to an entry file leads: the entry on its day page.

    Made once a build and shared by the pages, the feeds and the open data. ``moved``
    says where that is not the URL the file's place gives (an entry filed under another
    day, or one the site does not show): what a link leads to depends on it, beside what
    the linking entry says, so it goes into the keys of whatever shows such links.
    """

    def __init__(self, archive: Archive) -> None:
        self._archive = archive

    def url(self, place: str) -> str | None:
        """The URL (day page and anchor) of the published entry whose file is at ``place``; None if none is."""
        entry = self._elsewhere.get(place)
        if entry is None:
            day = self._days.get(place.rpartition("/")[0])
            entry = next((e for e in day.entries if e.rel_path == place), None) if day is not None else None
        return None if entry is None else urls.entry_url(entry)

    @cached_property
    def moved(self) -> tuple[str, ...]:
        """Each entry file linked whose URL is not the one its place gives, with its URL ("" if none)."""
        linked = set().union(*(day.linked_entries for day in self._archive.days))
        found = {place: self.url(place) for place in linked}
        return tuple(sorted(f"{place}\t{url or ''}" for place, url in found.items() if url != default_anchor(place)))

    def resolved(self, entry: Entry, html_text: str) -> str:
        """HTML written in ``entry`` (its body, a correction) with its links by path from ``ROOT``."""
        return resolve_paths(entry.rel_path, html_text, self.url)

    # An entry is found in the day of its file's folder, or among the few filed elsewhere:
    # without a walk of every entry, which a rebuild does not do (``model.Day``).

    @cached_property
    def _days(self) -> dict[str, Day]:
        """The archive's days by their folder ("2022/03/03")."""
        return {f"{day.date:%Y/%m/%d}": day for day in self._archive.days}

    @cached_property
    def _elsewhere(self) -> dict[str, Entry]:
        """The published entries whose files are not in their day's folder, by their files' places."""
        return {entry.rel_path: entry for day in self._archive.days for entry in day.filed_elsewhere}

    def corrections(self, entry: Entry) -> list[str]:
        """The HTML of ``entry``'s corrections, newest first, their links by path from ``ROOT``."""
        return [self.resolved(entry, correction.text_html) for correction in entry.corrections]


class MentionLinker:
    """Finds registry names (canonical or alias) of entities that have a page."""

    def __init__(self, archive: Archive, links: EntryLinks | None = None) -> None:
        self._archive = archive
        self.links = links or EntryLinks(archive)
        self._memo: dict[str, str] = {}
        self._by_name: dict[str, Entity] = {}
        for entity in (*archive.cities, *archive.people):
            if entity.info is None:
                continue  # only registry entities: free-form names are too ambiguous to link
            for name in (entity.name, *entity.aliases):
                self._by_name.setdefault(name, entity)
        self._names = NameMatcher(self._by_name)  # longest first: "New York City" before "New York"
        # What a match is looked up by: a name's apostrophes match any ("Кам’янське" for "Кам'янське").
        self._by_spelling = {as_spelled(name): entity for name, entity in self._by_name.items()}
        # Moving or removing a linked entry renders the pages and feeds of its links anew.
        self.fingerprint = hashlib.sha256(
            "\n".join([*(f"{n}\t{urls.entity_url(self._by_name[n])}" for n in self._names.names), *self.links.moved]).encode()
        ).hexdigest()

    def linked(self, entry: Entry) -> str:
        """``entry``'s body with first mentions linked to ``ROOT`` + the entity's URL, memoized.

        Linking parses HTML, so it is done once per entry; each page or feed then
        puts its own prefix in place of ``ROOT`` (see ``with_root``).
        """
        cached = self._memo.get(entry.rel_path)
        if cached is None:
            cached = self._memo[entry.rel_path] = self.link(entry, lambda entity: ROOT + urls.entity_url(entity))
        return cached

    def has_linked(self, entry: Entry) -> bool:
        """Whether ``linked(entry)`` is memoized in this process."""
        return entry.rel_path in self._memo

    def link(self, entry: Entry, href: Callable[[Entity], str]) -> str:
        """``entry``'s body HTML with first mentions linked; ``href`` makes each URL.

        The body is the sanitizer's serialization, whose tags are all well formed
        with double-quoted attributes: it is read as a run of tags and texts, and
        only the texts in which a name is linked are written anew.
        """
        body = self._paths_resolved(entry)
        if not entry.autolink or not self._names.found_in(body):
            return body
        parts, skipped, start = [], 0, 0
        linked: set[int] = set()
        for tag in SANITIZED_TAG.finditer(body):
            text = body[start : tag.start()]
            parts.append(self._link_text(text, linked, href) if text and not skipped else text)
            parts.append(tag.group())
            if tag.group(2).lower() in SKIP:
                skipped = max(0, skipped - 1) if tag.group(1) else skipped + 1
            start = tag.end()
        text = body[start:]
        parts.append(self._link_text(text, linked, href) if text and not skipped else text)
        return "".join(parts)

    def _paths_resolved(self, entry: Entry) -> str:
        """The body with each link and picture by path made to start at ``ROOT``."""
        return self.links.resolved(entry, entry.html)

    def _link_text(self, html_text: str, linked: set[int], href: Callable[[Entity], str]) -> str:
        """One run of text (as HTML) with the first mention of each entity not yet ``linked`` linked."""
        text = html.unescape(html_text) if "&" in html_text else html_text
        pieces, rest = [], 0  # text[rest:] follows the last link made
        for match in self._names.finditer(text):
            entity = self._by_spelling[as_spelled(match.group())]
            if id(entity) in linked or _inside_a_longer_name(text[rest : match.start()], text[match.end() :]):
                continue
            if text[match.start() - 1 : match.start()] == "#":
                continue  # a hashtag (#Харьков) is a tag, not a mention to link
            linked.add(id(entity))
            pieces.append(html.escape(text[rest : match.start()], quote=False))
            pieces.append(f'<a class="brf-mention" href="{html.escape(href(entity))}">{html.escape(match.group(), quote=False)}</a>')
            rest = match.end()
        if not pieces:
            return html_text  # as the sanitizer wrote it
        pieces.append(html.escape(text[rest:], quote=False))
        return "".join(pieces)


# Capitals of the Latin and Cyrillic scripts ("Свободная Европа", as "The Washington Post").
_CAPITAL = "A-ZА-ЯЁІЇЄҐЎ"
_CAPITALIZED_BEFORE = re.compile(rf"(?:^|\s)[{_CAPITAL}][\w'’.-]*\s+$")
_CAPITALIZED_AFTER = re.compile(rf"^\s+[{_CAPITAL}]")


def _inside_a_longer_name(before: str, after: str) -> bool:
    """True for "Washington" in "The Washington Post": a capitalized word on both sides.

    ``before`` and ``after`` are the text on either side of the match, ``before``
    reaching back to the previous link at most. Such a run is the name of something
    else (a newspaper, an institution); a city or person mentioned in prose has a
    lowercase word or punctuation on at least one side.
    """
    return bool(_CAPITALIZED_BEFORE.search(before) and _CAPITALIZED_AFTER.match(after))
