"""Redirect pages: old and variant entity URLs lead to the canonical page.

Every alias of a registry entry (Kiev, Київ) and every former name kept as an
alias after a rename gets a small static page at its own slug that sends
readers and crawlers on to the canonical URL, so links never break.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import urls
from .model import Archive, Entity
from .names import slug_for


@dataclass(frozen=True)
class Redirect:
    url: str  # the old or variant URL, e.g. cities/kiev/
    target: str  # the canonical URL, e.g. cities/kyiv/
    origin: str


def redirects(archive: Archive, taken: Iterable[str]) -> Iterator[Redirect]:
    """Redirects for alias slugs that no real page uses, in a stable order."""
    used = set(taken)
    for kind in ("city", "person"):
        for entity in archive.entities(kind):
            for alias_url in _alias_urls(entity):
                if alias_url in used:
                    continue  # a real page (or an earlier redirect) owns that URL
                used.add(alias_url)
                yield Redirect(alias_url, urls.entity_url(entity), f"the alias URL of {entity.kind} '{entity.name}'")


def _alias_urls(entity: Entity) -> list[str]:
    section = urls.SECTIONS[entity.kind]
    slugs = sorted({slug_for(alias) for alias in entity.aliases} - {"", entity.slug})
    return [f"{section}/{slug}/" for slug in slugs]


def redirect_html(redirect: Redirect, site_url: str) -> bytes:
    """A page that works without JavaScript: meta refresh, canonical link and a plain link."""
    relative = html.escape(urls.relative(redirect.url, redirect.target))
    canonical = html.escape(site_url + redirect.target)
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved to {canonical}</title>
<link rel="canonical" href="{canonical}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={relative}">
</head>
<body>
<p>This page has moved to <a href="{relative}">{canonical}</a>.</p>
</body>
</html>
"""
    return page.encode("utf-8")
