"""The sitemap: every generated page, written by the generator rather than the theme.

MkDocs' own sitemap lists only the pages it renders and stamps each with the
build date; the generator knows every page, including those a rebuild reuses
unchanged. A page that lists updates (a day's, the home page, a city's or person's and
their month pages) has as ``lastmod`` when the last of them was published, updated or
corrected, so a search engine learns which pages a correction changed; other pages
have none, rather than a date that is not theirs. The gzipped copy has no timestamp,
so it is the same bytes every build.
"""

from __future__ import annotations

import gzip
import posixpath
from html import escape
from datetime import datetime
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from . import urls
from .model import Archive

SITEMAP = "sitemap.xml"
SITEMAP_GZ = "sitemap.xml.gz"


def page_changes(archive: Archive) -> dict[str, datetime]:
    """When each page whose last change is known last changed, by URL: a day's page, the home
    page (the latest day), and each city's and person's page and month pages, each from the
    updates it lists."""
    changed = {urls.day_url(day.date): day.last_change for day in archive.days}
    if archive.days:
        changed[urls.HOME] = archive.days[-1].last_change
    for entity in (*archive.cities, *archive.people):
        if not entity.entries:
            continue
        changed[urls.entity_url(entity)] = entity.last_change
        for (year, month), when in entity.month_changes.items():
            changed[urls.entity_month_url(entity, year, month)] = when
    return changed


def sitemap_files(page_urls: Iterable[str], site_url: str, changed: Mapping[str, datetime]) -> dict[str, bytes]:
    """The sitemap of ``page_urls``, each with its last change from ``changed`` (by URL) if it has one."""
    xml = _urlset(page_urls, site_url, changed)
    return {SITEMAP: xml, SITEMAP_GZ: gzip.compress(xml, mtime=0)}


def robots_txt(site_url: str) -> bytes | None:
    """A robots.txt that lets every crawler in and names the sitemap, for a site at its host's root.

    Crawlers read robots.txt only at the root of a host: a site under a path (a GitHub
    Pages project site) gets none, as one there would be read by no one. A content
    folder's own robots.txt (``entries.SITE_FILES``) is published instead of this one.
    """
    if urlsplit(site_url).path not in ("", "/"):
        return None
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(site_url, SITEMAP)}\n".encode("utf-8")


def feed_sitemaps(pages: Iterable[Any], site_url: str) -> dict[str, bytes]:
    """A sitemap beside each feed that pages announce, listing the pages in its folder.

    mkdocs-material reads every ``<link rel="alternate">`` of a page as the page in
    another language and fetches the ``sitemap.xml`` beside it: for a city's feed,
    ``cities/<slug>/sitemap.xml``. Without one, every city and person page logs a
    failed request in the reader's console; with it, the theme finds the city's pages.
    """
    pages = list(pages)
    listed: dict[str, list[str]] = {folder: [] for page in pages for feed in page.feeds if (folder := posixpath.dirname(feed.url))}
    for page in pages:
        parts = page.url.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in listed:
                listed[folder].append(page.url)
    return {f"{folder}/{SITEMAP}": _urlset(found, site_url) for folder, found in sorted(listed.items())}


def _urlset(page_urls: Iterable[str], site_url: str, changed: Mapping[str, datetime] | None = None) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    changed = changed or {}
    for url in sorted(page_urls):
        # html.escape, not xml.sax.saxutils': the same escapes, without importing urllib.request into every run.
        when = changed.get(url)
        lastmod = f"<lastmod>{when.isoformat()}</lastmod>" if when else ""
        lines.append(f"  <url><loc>{escape(urls.absolute(site_url, url), quote=False)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
