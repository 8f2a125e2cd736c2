"""Which format a document is in, told from its content (``--format`` forces one)."""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from . import FORMATS, feeds, guardian, html_page, json_feed, telegram, wordpress
from .errors import ImportSetupError, SourceError, json_mistake
from .update import Document, ParsedSource

_JSON_READERS: dict[str, Callable[[Any, Document], ParsedSource]] = {
    "guardian": guardian.read,
    "wordpress": wordpress.read,
    "json-feed": json_feed.read,
    "telegram": telegram.read,
    "html": html_page.read_json_ld,  # a JSON-LD document by itself
}
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|RDF)[\s>]")
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|script|div|article|p)[\s>]", re.I)


def check_format(name: str | None) -> None:
    if name is not None and name not in FORMATS:
        raise ImportSetupError(f"unknown format '{name}' (formats: {', '.join(FORMATS)})")


def check_source_url(url: str) -> None:
    if url and not re.match(r"https?://[^/\s]+", url):
        raise ImportSetupError(f"--source-url must be an http:// or https:// address, like https://t.me/NAME: {url!r}")


def read_document(document: Document, forced: str | None = None) -> ParsedSource:
    """The live blog in ``document``, in ``forced`` format or the one its content shows."""
    check_format(forced)
    head = document.data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise SourceError(document.name, "the file is empty")
    if forced == "feed":
        return feeds.read(document)
    if forced is None and head[:1] in (b"{", b"["):
        return _read_json(document, None)
    if forced is not None and forced != "html":
        return _read_json(document, forced)
    if forced == "html" and head[:1] in (b"{", b"["):
        return _read_json(document, "html")
    if forced == "html" or _HTML_START.search(head) and not _FEED_ROOT.search(head):
        return html_page.read(document)
    if head[:1] == b"<":
        return feeds.read(document)
    raise SourceError(
        document.name, "not a format this importer reads: expected an HTML page, an RSS or Atom feed, or JSON"
    )


def _read_json(document: Document, forced: str | None) -> ParsedSource:
    data = parse_json(document)
    if forced is not None:
        return _JSON_READERS[forced](data, document)
    if json_feed.looks_like(data):
        return json_feed.read(data, document)
    if guardian.looks_like(data) or _guardian_error(data):
        return guardian.read(data, document)
    if wordpress.looks_like(data):
        return wordpress.read(data, document)
    if telegram.looks_like(data):
        return telegram.read(data, document)
    if html_page.is_live_blog_json_ld(data):
        return html_page.read_json_ld(data, document)
    raise SourceError(
        document.name,
        "JSON in no format this importer knows: expected a JSON Feed, a Guardian Content API item, "
        "WordPress Liveblog entries, a Telegram channel's export or a schema.org LiveBlogPosting",
    )


def parse_json(document: Document) -> Any:
    try:
        return json.loads(document.data)
    except UnicodeDecodeError as exc:
        raise SourceError(document.name, f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        message, ended = json_mistake(exc)
        why = " (the text ends early: is the file cut short?)" if ended else ""
        raise SourceError(f"{document.name}:{exc.lineno}", f"not valid JSON: {message} at column {exc.colno}{why}") from None
    except RecursionError:
        raise SourceError(document.name, "not valid JSON: nested too deeply") from None


def _guardian_error(data: Any) -> bool:
    response = data.get("response") if isinstance(data, dict) else None
    return isinstance(response, dict) and response.get("status") == "error"
