"""Origins: the stable id an imported entry keeps of its update upstream."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")


def is_global_id(value: str) -> bool:
    """Whether ``value`` names the update by itself: a URL, a tag: URI, a urn:uuid:…"""
    return bool(_SCHEME.match(value))


def within(container: str, item_id: str) -> str:
    """``item_id`` as an origin: as it is if it is global, else under ``container`` (a feed's or page's id)."""
    item_id = item_id.strip()
    if is_global_id(item_id) or not container:
        return item_id
    return f"{without_fragment(container)}#{item_id}"


def without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def fragment(url: str) -> str:
    return url.split("#", 1)[1] if "#" in url else ""


def at_time(container: str, moment: datetime) -> str:
    """An origin for an update known only by its page and its time: the page's URL and the UTC time."""
    stamp = moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{without_fragment(container)}#update-{stamp}"


def told_apart(timed: list[tuple[str, str]]) -> list[str]:
    """Origins made by ``at_time`` for one source's updates, each given with its headline or text,
    made distinct where two updates were published in the same second.

    The first to hold an origin keeps it (an entry imported before keeps matching it);
    each other one gets a digest of its headline or text after it, so the same update
    gets the same origin at every import. Two with the same text as well are the same
    update, listed twice: they keep one origin.
    """
    holders: dict[str, str] = {}
    distinct = []
    for origin, text in timed:
        holder = holders.setdefault(origin, text)
        if holder != text:
            origin = f"{origin}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
        distinct.append(origin)
    return distinct


def host_name(url: str) -> str:
    """The host of ``url`` without "www." ("theguardian.com"), or ""."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


_SECRET = r"(?:api[-_]?key|key|token|access[-_]?token|secret)="
_SECRET_PARAMETER = re.compile(f"^{_SECRET}", re.I)


def redacted(url: str) -> str:
    """``url`` as a message may show it: no user name, password or API key in it."""
    return _without_user(url, lambda query: re.sub(f"((?:^|&){_SECRET})[^&]*", "\\1…", query, flags=re.I))


def without_secrets(url: str) -> str:
    """``url`` without user name, password or API key: what may be kept in files and origins."""
    return _without_user(url, lambda query: "&".join(p for p in query.split("&") if p and not _SECRET_PARAMETER.match(p)))


def _without_user(url: str, query: Callable[[str], str]) -> str:
    """``url`` without its user name and password, its query made by ``query``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, query(parts.query), parts.fragment))
