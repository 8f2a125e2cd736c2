"""Times as sources write them, to aware datetimes that keep the source's UTC offset.

Every time is cut to the second: entry files are written to the second, and a
re-import compares the source's times with the file's.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

# An edit within a minute of publishing is the publishing itself (a CMS saves twice);
# the site shows times to the minute, so "Updated" at the same minute says nothing.
EDIT_THRESHOLD = timedelta(minutes=1)


class TimeError(ValueError):
    """The text is not a time this importer can place in time."""


def iso_time(value: object) -> datetime:
    """An ISO 8601 / RFC 3339 time with its offset (``Z`` is UTC); a time without one is refused."""
    if not isinstance(value, str) or not value.strip():
        raise TimeError(f"not a date and time: {value!r}")
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TimeError(f"not an ISO 8601 date and time: {value!r}") from None
    if moment.tzinfo is None:
        raise TimeError(f"has no UTC offset, so the moment is unknown: {value!r}")
    return moment.replace(microsecond=0)


def rfc822_time(value: object) -> datetime:
    """An RFC 822 time, as RSS writes it ("Thu, 03 Mar 2022 09:40:00 +0200"), with its offset."""
    if not isinstance(value, str) or not value.strip():
        raise TimeError(f"not a date and time: {value!r}")
    text = value.strip()
    named = _ZONE_NAME.search(text)
    if named is not None and named.group(1).upper() in _NAMED_OFFSETS:
        hours = _NAMED_OFFSETS[named.group(1).upper()]
        text = f"{text[: named.start(1)]}{'+' if hours >= 0 else '-'}{abs(hours):02d}00"
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise TimeError(f"not an RFC 822 date and time: {value!r}") from None
    if moment.tzinfo is None:
        # "-0000" and UTC's names say UTC; any other name is one the parser does not know, and
        # reading it as UTC would move the update by hours, to another day at times. No zone
        # at all says nothing of the moment either.
        if named is not None and named.group(1).upper() not in _UTC_NAMES:
            raise TimeError(
                f"has the time zone {named.group(1)!r}, which this importer does not know, so the moment is unknown: "
                f"{value!r} (an offset, like +0200, would say it)"
            )
        if named is None and not _NO_OFFSET.search(text):
            raise TimeError(f"has no UTC offset, so the moment is unknown: {value!r} (an offset, like +0200, would say it)")
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.replace(microsecond=0)


# A zone given by name at the end of an RFC 822 time.
_ZONE_NAME = re.compile(r"\s([A-Za-z]{1,5})\s*$")
_UTC_NAMES = frozenset({"UT", "UTC", "GMT", "Z"})
# RFC 2822's "-0000": UTC, the local zone unknown.
_NO_OFFSET = re.compile(r"[+-]0000\s*$")
# Names RFC 822 does not define but European feeds write, with their offsets; the US ones
# (EST, EDT, CST...) the parser knows. An ambiguous name (IST: India, Ireland, Israel) is refused.
_NAMED_OFFSETS = {"WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "MSD": 4}


def any_time(value: object) -> datetime:
    """ISO 8601 first, then RFC 822: feeds use either."""
    try:
        return iso_time(value)
    except TimeError:
        return rfc822_time(value)


def unix_time(value: object) -> datetime:
    """Seconds since 1970 (a number or digits), in UTC: such a source keeps no offset."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TimeError(f"not a Unix time: {value!r}")
    try:
        seconds = int(float(value))
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise TimeError(f"not a Unix time: {value!r}") from None


def published_and_modified(published: object, modified: object, field: str) -> tuple[datetime, datetime | None]:
    """An item's publication time (ISO 8601), which it must have; its modification time if it is one.

    A bad publication time is a ``TimeError`` that names ``field``; a bad modification
    time is as good as none, since the publication time stands for it.
    """
    try:
        moment = iso_time(published)
    except TimeError as exc:
        raise TimeError(f"'{field}' {exc}") from None
    try:
        return moment, (iso_time(modified) if modified else None)
    except TimeError:
        return moment, None


def edit_time(published: datetime, modified: datetime | None) -> datetime | None:
    """The ``updated`` an entry gets: ``modified`` when it is at least a minute after ``published``."""
    if modified is None or modified - published < EDIT_THRESHOLD:
        return None
    return modified
