"""Redirect pages: old and variant entity URLs lead to the canonical page.

Every alias of a registry entry (Kiev, Київ) and every former name kept as an
alias after a rename gets a small static page at its own slug that sends
readers and crawlers on to the canonical URL, so links never break. So does
each numbered page (``/cities/kyiv/page/2/``) that earlier versions split busy
entities into: it leads to the month of the newest update it listed.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import urls
from .i18n import ENGLISH, Words, words_for
from .model import Archive, Entity, Entry
from .names import romanizes_ukrainian, slug_for


@dataclass(frozen=True)
class Redirect:
    url: str  # the old or variant URL, e.g. cities/kiev/
    target: str  # the canonical URL, e.g. cities/kyiv/
    origin: str
    alias: bool = False  # an alias's own address (``moved_json`` lists them), not a numbered page


def redirects(archive: Archive, taken: Iterable[str]) -> Iterator[Redirect]:
    """Redirects for alias slugs that no real page uses, in a stable order: an address two
    entities' aliases make is the first's."""
    used = set(taken)
    for kind in ("city", "person"):
        for entity in archive.entities(kind):
            for alias_url in _alias_urls(entity, archive.settings.language):
                if alias_url in used:
                    continue  # a real page (or an earlier redirect) owns that URL
                used.add(alias_url)
                yield Redirect(alias_url, urls.entity_url(entity), f"the alias URL of {entity.kind} '{entity.name}'", alias=True)
            for number, newest in _numbered_pages(entity):
                url = f"{urls.entity_url(entity)}page/{number}/"
                if url not in used:
                    used.add(url)
                    target = urls.entity_month_url(entity, newest.day.year, newest.day.month)
                    yield Redirect(url, target, f"page {number} of {entity.kind} '{entity.name}'")


# Earlier versions listed a busy entity's updates in blocks of this many, counted from
# the oldest, the first page holding the newest block and the updates since.
_NUMBERED_PAGE_SIZE = 200


def _numbered_pages(entity: Entity) -> list[tuple[int, Entry]]:
    """Each numbered page after the first that the entity's updates would fill, with the newest it would list."""
    entries = entity.entries  # newest first
    blocks = len(entries) // _NUMBERED_PAGE_SIZE
    first = len(entries) - (blocks - 1) * _NUMBERED_PAGE_SIZE
    return [(number, entries[first + (number - 2) * _NUMBERED_PAGE_SIZE]) for number in range(2, blocks + 1)]


def _alias_urls(entity: Entity, language: str) -> list[str]:
    """The addresses an alias of ``entity`` makes, and in an archive in Ukrainian the ones its
    names made before they were romanized as Ukraine's standard does (``names.slug_for``)."""
    section = urls.SECTIONS[entity.kind]
    slugs = {slug_for(alias, language) for alias in entity.aliases}
    if romanizes_ukrainian(language):
        slugs |= {slug_for(name) for name in (entity.name, *entity.aliases)}  # such as /cities/kiiv/
    return [f"{section}/{slug}/" for slug in sorted(slugs - {"", entity.slug})]


def moved_json(made: Iterable[Redirect]) -> bytes:
    """Each alias's address (``cities/kiev/``) with its entity's, from the redirects ``made``,
    for the 404 page.

    A redirect page stands at each alias's own address; what was under it before a
    rename (a busy city's month pages, its numbered pages) has none. The 404 page
    looks the address up here and leads on to the same place under the entity's
    address (theme/404.html): one file, however many months each entity has.
    """
    moved = {redirect.url: redirect.target for redirect in made if redirect.alias}
    return (json.dumps(dict(sorted(moved.items())), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def redirect_html(redirect: Redirect, site_url: str, words: Words | None = None) -> bytes:
    """A page that works without JavaScript: meta refresh, canonical link and a plain link.

    Its two sentences are in the archive's language (``words``), which its ``lang`` names:
    a reader following an old link sees them while the page leads on.
    """
    words = words or words_for(ENGLISH)
    relative = html.escape(urls.relative(redirect.url, redirect.target))
    canonical = html.escape(site_url + redirect.target)
    title = html.escape(words.gettext("Moved to %(address)s"), quote=False) % {"address": canonical}
    link = f'<a href="{relative}">{canonical}</a>'
    moved = html.escape(words.gettext("This page has moved to %(link)s."), quote=False) % {"link": link}
    page = f"""<!doctype html>
<html lang="{html.escape(words.language)}" dir="{words.direction}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={relative}">
</head>
<body>
<p>{moved}</p>
</body>
</html>
"""
    return page.encode("utf-8")
