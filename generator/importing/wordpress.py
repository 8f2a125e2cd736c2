"""WordPress Liveblog (Automattic's plugin): its REST API's entries.

The plugin's routes under ``/wp-json/liveblog/v1/<post_id>/`` answer with
``{"entries": [...]}`` (with ``latest_timestamp``, or ``page`` and ``pages`` when
paged). Each entry has ``id``, ``type`` (``new``, ``update``, ``delete``),
``render`` (its HTML), ``content``, ``css_classes``, ``timestamp`` (when this
version was made), ``entry_time`` (when the entry was first published; both Unix
times), ``authors`` and ``share_link``, and in later versions ``headline``,
``status`` and ``key_event``. An ``update`` or a ``delete`` carries the id of the
entry it replaces, so the last version of an id is the entry. Key events are
marked by the ``/key`` command (``type-key`` among the classes, or ``key_event``).
``authors`` lists the entry's authors (``id``, ``key``, ``name``, ``avatar``; ``false``
for one the site no longer knows), as each version of it names them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from . import origins
from .bylines import credited
from .errors import SourceError
from .html_body import absolute_url, plain
from .times import TimeError, unix_time
from .update import Document, ImportedUpdate, ParsedSource, Skipped

FORMAT = "wordpress"
_REST_POST = re.compile(r"/liveblog/v1/(\d+)(?:/|$)")
_PAGED = re.compile(r"(/get-entries/)(\d+)(/)")
_UNPUBLISHED = {"draft", "trash", "private", "pending", "future"}


def looks_like(data: Any) -> bool:
    if isinstance(data, dict) and ("latest_timestamp" in data or "pages" in data) and isinstance(data.get("entries"), list):
        return True
    entries = data.get("entries") if isinstance(data, dict) else data
    return isinstance(entries, list) and any(
        isinstance(e, dict) and ("entry_time" in e or "render" in e or "share_link" in e) for e in entries
    )


def read(data: Any, document: Document) -> ParsedSource:
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        entries, where = data["entries"], "entries"
    elif isinstance(data, list):
        entries, where = data, ""
    else:
        raise SourceError(document.name, "no 'entries' list: expected a response of the Liveblog plugin's REST API")
    post_url = _post_url(document.url)
    versions: dict[str, ImportedUpdate] = {}
    skipped: list[Skipped] = []
    blog = ""
    for index, entry in enumerate(entries):
        place = f"{where}[{index}]"
        try:
            update = _update(entry, place, post_url)
        except (_Skip, TimeError) as exc:
            skipped.append(Skipped(place, str(exc)))
            continue
        blog = blog or origins.without_fragment(update.origin)
        known = versions.get(update.origin)
        if known is None or (update.modified or update.published) >= (known.modified or known.published):
            versions[update.origin] = update  # an update or a delete replaces what it replaces
    if not versions and not skipped:
        raise SourceError(document.name, "no entries in this response")
    return ParsedSource(FORMAT, blog or post_url, tuple(versions.values()), tuple(skipped), next_url=_next_page(data, document.url))


class _Skip(Exception):
    """An entry that cannot be imported; the message says why."""


def _update(entry: Any, place: str, post_url: str) -> ImportedUpdate:
    if not isinstance(entry, dict) or entry.get("id") in (None, ""):
        raise _Skip("an entry without an 'id'")
    entry_id = str(entry["id"]).strip()
    kind = entry.get("type") or "new"
    share_link = absolute_url(entry.get("share_link")) if isinstance(entry.get("share_link"), str) else None
    if share_link:
        origin = share_link if origins.fragment(share_link) or "lbup=" in share_link else f"{share_link}#{entry_id}"
    elif post_url:
        origin = f"{post_url}#{entry_id}"
    else:
        raise _Skip(f"entry {entry_id} has no 'share_link', so the live blog it belongs to is unknown")
    published = unix_time(entry.get("entry_time") if entry.get("entry_time") not in (None, "") else entry.get("timestamp"))
    modified = unix_time(entry["timestamp"]) if entry.get("timestamp") not in (None, "") else None
    body = entry.get("render") if isinstance(entry.get("render"), str) else entry.get("content")
    body = body if isinstance(body, str) else ""
    classes = str(entry.get("css_classes") or "").split()
    headline = entry.get("headline") if isinstance(entry.get("headline"), str) else ""
    return ImportedUpdate(
        origin=origin,
        published=published,
        modified=modified,
        title=plain(headline),
        body_html=re.sub(r"(^|<p>)\s*/key\b\s*", r"\1", body),  # the command, if the plugin left it in
        url=share_link or "",
        base_url=share_link or post_url,
        key=entry.get("key_event") is True or "type-key" in classes or bool(re.search(r"(^|>)\s*/key\b", body)),
        withdrawn=kind == "delete" or str(entry.get("status") or "").lower() in _UNPUBLISHED,
        publisher=origins.host_name(share_link or post_url),
        place=place,
        authors=credited(author.get("name") for author in entry.get("authors") or [] if isinstance(author, dict)),
    )


def _post_url(url: str) -> str:
    """The live blog post's short address (``https://example.org/?p=123``) from a REST URL, if fetched."""
    match = _REST_POST.search(url or "")
    if not match:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/?p={match.group(1)}"


def _next_page(data: Any, url: str) -> str | None:
    """The next page of a paged response (``get-entries/<page>/``), fetched by URL."""
    if not isinstance(data, dict) or not url:
        return None
    page, pages = data.get("page"), data.get("pages")
    if not isinstance(page, int) or not isinstance(pages, int) or page >= pages:
        return None
    match = _PAGED.search(url)
    if not match or int(match.group(2)) != page:
        return None
    return url[: match.start(2)] + str(page + 1) + url[match.end(2) :]
