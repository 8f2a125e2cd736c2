"""The site's time zone as a writer meets it: its UTC offset on a date, and daylight-saving slips.

An archive in Kyiv writes `+02:00` in winter and `+03:00` in summer. A time written
with the other one is an hour off on the site; a time that the clocks skipped never
happened, and one they went through twice happened twice. These functions say
which, so messages can name the offset of that date and the line as it should be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The years a time may fall in. Python's dates end with the year 9999 and begin with the
# year 1, and a zone's offset or a week around a time near either end passes them; no
# live briefing lies outside these years, so a time beyond them is a typing slip.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_WRITTEN_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def place(zone: ZoneInfo) -> str:
    """How a zone is named in messages: Europe/Kyiv -> "Kyiv"."""
    return str(zone.key).rsplit("/", 1)[-1].replace("_", " ")


def written_moment(value: object) -> datetime | None:
    """A time written as ISO 8601 text with its UTC offset; None for anything else (no offset, not a time)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def outside_years(written: str, moment: datetime) -> str | None:
    """What is wrong with a time whose year is outside FIRST_YEAR..LAST_YEAR; None when it is inside."""
    if FIRST_YEAR <= moment.year <= LAST_YEAR:
        return None
    return f"is in the year {moment.year}, and times must be from {FIRST_YEAR} to {LAST_YEAR}: check the year: {written.strip()!r}"


def rfc3339(moment: datetime, zone: tzinfo) -> str:
    """``moment`` in ``zone`` as RFC 3339 writes it; in UTC where the zone's offset then had
    seconds (Kyiv's local mean time until 1924 was UTC+02:02:04), which RFC 3339 cannot write."""
    local = moment.astimezone(zone)
    offset = local.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return moment.astimezone(timezone.utc).isoformat()
    return local.isoformat()


def offset_text(offset: timedelta) -> str:
    """+02:00, -05:00, +00:00."""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def offset_on(zone: ZoneInfo, day: date) -> timedelta:
    """The zone's offset at noon of ``day``."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset() or timedelta(0)


@dataclass(frozen=True)
class WallTime:
    """What a clock time in the zone is: one moment, none (skipped) or two (gone through twice)."""

    moments: tuple[datetime, ...]  # aware, in the zone; first the earlier

    @property
    def exists(self) -> bool:
        return bool(self.moments)

    @property
    def ambiguous(self) -> bool:
        return len(self.moments) == 2


def wall_time(naive: datetime, zone: ZoneInfo) -> WallTime:
    """The moments at which clocks in ``zone`` showed ``naive``."""
    found = []
    for fold in (0, 1):
        moment = naive.replace(tzinfo=zone, fold=fold)
        back = moment.astimezone(timezone.utc).astimezone(zone)
        instant = back.astimezone(timezone.utc)  # aware times of one zone compare without their fold
        if back.replace(tzinfo=None) == naive and all(instant != other.astimezone(timezone.utc) for other in found):
            found.append(back)
    return WallTime(tuple(sorted(found, key=lambda m: m.astimezone(timezone.utc))))


def skipped_hour(naive: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """For a skipped clock time: the clock time the zone jumped from and the one it jumped to."""
    # Read with the offset before and after the change, the time is two instants around it.
    low, high = sorted(naive.replace(tzinfo=zone, fold=fold).astimezone(timezone.utc) for fold in (0, 1))
    new_offset = high.astimezone(zone).utcoffset()
    while high - low > timedelta(minutes=1):  # the first minute with the new offset
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == new_offset:
            high = middle
        else:
            low = middle
    change = high.replace(second=0, microsecond=0)
    old_offset = low.astimezone(zone).utcoffset() or timedelta(0)
    return f"{(change + old_offset).replace(tzinfo=None):%H:%M}", f"{change.astimezone(zone):%H:%M}"


@cache
def offsets_of_year(zone: ZoneInfo, year: int) -> dict[timedelta, bool]:
    """The offsets the zone used in ``year``, each with whether it is its daylight-saving one."""
    found: dict[timedelta, bool] = {}
    for month in range(1, 13):
        for day in (1, 15):
            moment = datetime(year, month, day, 12, tzinfo=zone)
            found[moment.utcoffset() or timedelta(0)] = bool(moment.dst())
    return found


def with_offset(written: str, offset: timedelta) -> str:
    """The written time with its offset replaced (or added) by ``offset``."""
    text = written.strip()
    return _WRITTEN_OFFSET.sub("", text) + offset_text(offset)


def date_without_time(field: str, written: str, zone: ZoneInfo) -> str:
    day = date.fromisoformat(written.strip())
    outside = outside_years(written, datetime(day.year, day.month, day.day))
    if outside is not None:
        return f"'{field}' {outside}"
    offset = offset_text(offset_on(zone, day))
    return (
        f"'{field}' has a date but no time: write the time and {place(zone)}'s UTC offset that day, "
        f"like {field}: {day.isoformat()}T09:40:00{offset}"
    )


def no_offset(field: str, written: str, naive: datetime, zone: ZoneInfo) -> str:
    """The message for a time without an offset, with the line as it is likely meant."""
    where = place(zone)
    found = wall_time(naive, zone)
    clock = f"{naive:%H:%M}"
    if not found.exists:
        jumped_from, jumped_to = skipped_hour(naive, zone)
        return (
            f"'{field}' has no UTC offset, and {clock} did not exist in {where} on {naive.date().isoformat()}: "
            f"the clocks went from {jumped_from} to {jumped_to}; write the time with its offset, or Z for UTC"
        )
    offset = found.moments[0].utcoffset() or timedelta(0)
    return (
        f"'{field}' has no UTC offset: {where} was at {offset_text(offset)} on {naive.date().isoformat()}, "
        f"so if {clock} is {where} time, write {field}: {with_offset(written, offset)} (or end it with Z for UTC)"
    )


def offset_slip(field: str, written: str, moment: datetime, zone: ZoneInfo) -> str | None:
    """A warning when ``moment`` has one of the zone's offsets, but not the one of its date: a
    daylight-saving slip that puts it an hour off. Z (UTC) and other zones' offsets are meant."""
    given = moment.utcoffset()
    if given is None or moment.astimezone(zone).utcoffset() == given or written.strip().endswith(("Z", "z")):
        return None  # the zone's own offset at that moment: almost every time written
    naive = moment.replace(tzinfo=None)
    offsets = offsets_of_year(zone, naive.year)
    found = wall_time(naive, zone)
    if given not in offsets or not found.exists or any(m.utcoffset() == given for m in found.moments):
        return None
    right = found.moments[0].utcoffset() or timedelta(0)
    where = place(zone)
    season = "summer" if offsets[given] else "winter"
    return (
        f"'{field}' has the offset {offset_text(given)}, but {where} was at {offset_text(right)} on "
        f"{naive.date().isoformat()} ({offset_text(given)} is its {season} time): if {naive:%H:%M} is {where} time, "
        f"write {field}: {with_offset(written, right)}"
    )
