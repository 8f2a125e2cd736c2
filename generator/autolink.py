"""Linked mentions: the first mention of a known city or person in an entry links to its page.

Runs on the sanitized HTML of a body, never inside links, code or headings,
and once per entity per entry. An entry opts out with ``autolink: false``.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Callable

from . import urls
from .markup import SANITIZED_TAG
from .model import Archive, Entity, Entry
from .names import NameMatcher

# Stands for the site root in memoized HTML. The sanitizer removes any URL with a
# scheme outside http, https and mailto, so no contributor text can contain it.
ROOT = "brf-root:/"


def with_root(html: str, prefix: str) -> str:
    """Memoized body HTML with ``prefix`` (a relative or absolute site root) for ``ROOT``."""
    return html.replace(f'href="{ROOT}', f'href="{prefix}')


# Text inside these elements is never linked: links would nest, code is literal,
# and a heading that is a link reads as navigation.
SKIP = frozenset({"a", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6"})


class MentionLinker:
    """Finds registry names (canonical or alias) of entities that have a page."""

    def __init__(self, archive: Archive) -> None:
        self._memo: dict[str, str] = {}
        self._by_name: dict[str, Entity] = {}
        for entity in (*archive.cities, *archive.people):
            if entity.info is None:
                continue  # only registry entities: free-form names are too ambiguous to link
            for name in (entity.name, *entity.aliases):
                self._by_name.setdefault(name, entity)
        self._names = NameMatcher(self._by_name)  # longest first: "New York City" before "New York"
        self.fingerprint = hashlib.sha256(
            "\n".join(f"{n}\t{urls.entity_url(self._by_name[n])}" for n in self._names.names).encode()
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
        if not entry.autolink or not self._names.found_in(entry.html):
            return entry.html
        body, parts, skipped, start = entry.html, [], 0, 0
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

    def _link_text(self, html_text: str, linked: set[int], href: Callable[[Entity], str]) -> str:
        """One run of text (as HTML) with the first mention of each entity not yet ``linked`` linked."""
        text = html.unescape(html_text) if "&" in html_text else html_text
        pieces, rest = [], 0  # text[rest:] follows the last link made
        for match in self._names.finditer(text):
            entity = self._by_name[match.group()]
            if id(entity) in linked or _inside_a_longer_name(text[rest : match.start()], text[match.end() :]):
                continue
            linked.add(id(entity))
            pieces.append(html.escape(text[rest : match.start()], quote=False))
            pieces.append(f'<a class="brf-mention" href="{html.escape(href(entity))}">{html.escape(match.group(), quote=False)}</a>')
            rest = match.end()
        if not pieces:
            return html_text  # as the sanitizer wrote it
        pieces.append(html.escape(text[rest:], quote=False))
        return "".join(pieces)


_CAPITALIZED_BEFORE = re.compile(r"(?:^|\s)[A-Z][\w'’.-]*\s+$")
_CAPITALIZED_AFTER = re.compile(r"^\s+[A-Z]")


def _inside_a_longer_name(before: str, after: str) -> bool:
    """True for "Washington" in "The Washington Post": a capitalized word on both sides.

    ``before`` and ``after`` are the text on either side of the match, ``before``
    reaching back to the previous link at most. Such a run is the name of something
    else (a newspaper, an institution); a city or person mentioned in prose has a
    lowercase word or punctuation on at least one side.
    """
    return bool(_CAPITALIZED_BEFORE.search(before) and _CAPITALIZED_AFTER.match(after))
