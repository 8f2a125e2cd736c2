"""The sitemap: every generated page, written by the generator rather than the theme.

MkDocs' own sitemap lists only the pages it renders and stamps each with the
build date; the generator knows every page, including those a rebuild reuses
unchanged, and leaves out ``lastmod`` rather than state a date that is not the
page's. The gzipped copy has no timestamp, so it is the same bytes every build.
"""

from __future__ import annotations

import gzip
from html import escape
from typing import Iterable

from . import urls

SITEMAP = "sitemap.xml"
SITEMAP_GZ = "sitemap.xml.gz"


def sitemap_files(page_urls: Iterable[str], site_url: str) -> dict[str, bytes]:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    # html.escape, not xml.sax.saxutils': the same escapes, without importing
    # urllib.request into every run.
    lines += [f"  <url><loc>{escape(urls.absolute(site_url, url), quote=False)}</loc></url>" for url in sorted(page_urls)]
    lines.append("</urlset>")
    xml = ("\n".join(lines) + "\n").encode("utf-8")
    return {SITEMAP: xml, SITEMAP_GZ: gzip.compress(xml, mtime=0)}
