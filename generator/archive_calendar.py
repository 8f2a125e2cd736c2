"""The archive's calendar: months as weeks of days, shaded by how many updates each has.

The weeks start on Monday (ISO 8601); the names of the months and weekdays are the
site's language's (``i18n.Words``).
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from .model import Day

SHADES = 4


@dataclass(frozen=True)
class CalendarDay:
    """A day of a month's table: ``count`` updates (0: plain text), shaded ``level`` 1-4."""

    date: date
    count: int = 0
    level: int = 0


@dataclass(frozen=True)
class CalendarMonth:
    first: date  # the 1st of the month
    weeks: tuple[tuple[CalendarDay | None, ...], ...]  # Monday first; None outside the month
    days: int  # days with updates
    updates: int
    open: bool


@dataclass(frozen=True)
class CalendarYear:
    year: int
    months: tuple[CalendarMonth, ...]  # newest first
    days: int
    updates: int
    open: bool


def shade_levels(counts: list[int]) -> dict[int, int]:
    """Each count's shade, 1-4, by its percent rank among all days' counts.

    Ranks rather than fixed thresholds: a newsroom that posts 5 updates a day and one
    that posts 60 both see their quiet and their busy days apart. The percent rank is
    the share of the other days with fewer updates: the quietest days get shade 1, the
    busiest shade 4, and the days between fall in four equal bands of rank. Equal
    counts always share a shade.
    """
    ordered = sorted(counts)
    others = max(1, len(ordered) - 1)
    return {count: min(SHADES, 1 + SHADES * bisect_left(ordered, count) // others) for count in ordered}


def shade_legend(days: tuple[Day, ...]) -> list[tuple[int, int, int]]:
    """(level, fewest, most updates) for each shade that some day has."""
    levels = shade_levels([len(d.entries) for d in days]) if days else {}
    spans: dict[int, list[int]] = {}
    for count, level in levels.items():
        spans.setdefault(level, []).append(count)
    return [(level, min(spans[level]), max(spans[level])) for level in sorted(spans)]


def calendar_years(days: tuple[Day, ...]) -> list[CalendarYear]:
    """The days with updates as month tables, newest year and month first.

    Only the newest year and its newest month start open: the page stays short to
    scan however long the archive, and every other month is one click (or Enter on
    its summary) away.
    """
    levels = shade_levels([len(d.entries) for d in days]) if days else {}
    counts = {d.date: len(d.entries) for d in days}
    newest_first = sorted(counts, reverse=True)
    years = []
    for number, (year, in_year) in enumerate(groupby(newest_first, key=lambda d: d.year)):
        months = tuple(
            _calendar_month(first, tuple(in_month), counts, levels, opened=number == 0 and index == 0)
            for index, (first, in_month) in enumerate(groupby(in_year, key=lambda d: d.replace(day=1)))
        )
        days_in_year = sum(m.days for m in months)
        years.append(CalendarYear(year, months, days_in_year, sum(m.updates for m in months), open=number == 0))
    return years


def _calendar_month(
    first: date, dated: tuple[date, ...], counts: dict[date, int], levels: dict[int, int], *, opened: bool
) -> CalendarMonth:
    weeks = _month_weeks(first, counts, levels)
    return CalendarMonth(first, weeks, days=len(dated), updates=sum(counts[d] for d in dated), open=opened)


def _month_weeks(first: date, counts: dict[date, int], levels: dict[int, int]) -> tuple[tuple[CalendarDay | None, ...], ...]:
    weeks = _MONDAY_FIRST.monthdayscalendar(first.year, first.month)
    return tuple(tuple(_calendar_day(first.replace(day=n), counts, levels) if n else None for n in week) for week in weeks)


def _calendar_day(day: date, counts: dict[date, int], levels: dict[int, int]) -> CalendarDay:
    count = counts.get(day, 0)
    return CalendarDay(day, count, levels[count] if count else 0)


_MONDAY_FIRST = calendar.Calendar(firstweekday=calendar.MONDAY)
