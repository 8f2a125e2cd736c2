"""``briefings new``: a new entry file with complete front matter, never over an old one.

Times: without ``--at`` the entry is published now. ``--at`` takes an ISO 8601
time; one with a UTC offset (or Z) is that moment, one without is a wall-clock
time in the site's zone. Either way ``published`` is written in the site's
zone, so the folder date is the day the entry is listed on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

from . import entry_template, yamlsafe, zone_times
from .names import THEME_ANCHORS, display_name, slug_for
from .problems import BriefingsError
from .registry import Registry
from .problems import ProblemLog
from .registry import KINDS
from .teaching import Teacher


class NewEntryError(BriefingsError):
    """The entry cannot be made as asked; the message says why."""


class EntryExistsError(NewEntryError):
    """The file the entry would be written to exists already."""


@dataclass(frozen=True)
class NewEntry:
    """An entry ready to write, and what the writer should know about it."""

    rel_path: str  # YYYY/MM/DD/<slug>.md, relative to the content folder
    text: str
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class NameResolver:
    """Registry lookup for ``new``: canonical names, and warnings for unknown ones."""

    registries: dict[str, Registry]
    config_dir: Path

    def resolve(self, kind: str, typed: Sequence[str]) -> tuple[list[str], list[str]]:
        """Canonical names in the order typed, each once, and a warning per unknown name."""
        names: list[str] = []
        warnings: list[str] = []
        for name in typed:
            known = self.registries[kind].resolve(name)
            if known is None:
                name = display_name(name)
                warnings.append(self._teacher.describe_unknown(kind, name))
            else:
                name = known.name
            if name not in names:
                names.append(name)
        return names, warnings

    @property
    def _teacher(self) -> Teacher:
        # Registry spellings only: a new entry should not wait for a scan of the archive.
        return Teacher(self.registries, lambda: {kind: set() for kind in KINDS}, self.config_dir, ProblemLog())


@dataclass(frozen=True)
class PublishTime:
    """When a new entry is published, and what the writer should know about that time."""

    moment: datetime  # in the site's zone
    warnings: tuple[str, ...] = ()


def parse_time(text: str | None, zone: ZoneInfo, now: datetime | None = None) -> PublishTime:
    """The publication time in ``zone``: ``text`` as described above, or now, to the minute.

    A clock time the zone skipped is refused; one it went through twice is taken as the
    first, with a warning that says how to give the second.
    """
    if text is None:
        return PublishTime((now or datetime.now(zone)).replace(second=0).astimezone(zone).replace(microsecond=0))
    if zone_times.DATE_ONLY.fullmatch(text.strip()):
        # check refuses a date without a time: midnight would pass for a time nobody gave.
        raise NewEntryError(f"--at {text.strip()} has a date but no time: give the time too, like {text.strip()}T09:40")
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise NewEntryError(
            f"--at is not an ISO 8601 time: {text!r} (like 2022-03-03T09:40 or 2022-03-03T09:40+02:00)"
        ) from None
    outside = zone_times.outside_years(text, moment)
    if outside is not None:
        raise NewEntryError(f"--at {outside}")
    warnings: tuple[str, ...] = ()
    if moment.tzinfo is None:
        found = zone_times.wall_time(moment, zone)
        where, clock, day = zone_times.place(zone), f"{moment:%H:%M}", moment.date().isoformat()
        if not found.exists:
            start, end = zone_times.skipped_hour(moment, zone)
            raise NewEntryError(
                f"--at {text.strip()}: {clock} did not exist in {where} on {day}, when the clocks went from "
                f"{start} to {end}; give a time outside that hour, or one with its UTC offset"
            )
        if found.ambiguous:
            first, second = (zone_times.offset_text(m.utcoffset() or timedelta(0)) for m in found.moments)
            warnings = (
                f"{clock} happened twice in {where} on {day}, when the clocks went back: the entry says the first "
                f"({clock}{first}); for the second, give --at {text.strip()}{second}",
            )
        moment = found.moments[0]
    local = moment.astimezone(zone).replace(microsecond=0)
    if moment.utcoffset() not in (local.utcoffset(), timedelta(0)):
        # The same moment on another clock: a season's offset typed in the other season, as often as
        # not (UTC is given on purpose, from a source's GMT time).
        given, clock = zone_times.offset_text(moment.utcoffset() or timedelta(0)), f"{local:%H:%M}"
        warnings += (
            f"--at {text.strip()}: {given} is not the offset of {zone_times.place(zone)} on {local.date().isoformat()}, "
            f"where that moment is {clock}{zone_times.offset_text(local.utcoffset() or timedelta(0))}: the entry says "
            f"{clock}; if you meant {moment:%H:%M} there, give --at {moment:%Y-%m-%dT%H:%M}",
        )
    return PublishTime(local, warnings)


def plan(
    title: str,
    cities: Sequence[str],
    people: Sequence[str],
    published: datetime,
    key: bool,
    names: NameResolver,
    author: str | None = None,
    language: str = "",
) -> NewEntry:
    """The entry's file path and text; nothing is written."""
    title = " ".join(title.split())
    if not title:
        raise NewEntryError("the title is empty")
    slug = slug_for(title, language)  # romanized as the archive's language does its pages' names
    if not slug:
        raise NewEntryError(f"the title {title!r} has no letters or digits to make a file name from")
    if slug.startswith(THEME_ANCHORS):
        raise NewEntryError(f"the title {title!r} makes the file name {slug}.md, but names that start with "
                            f"'{THEME_ANCHORS}' are the site's own anchors: start the title with another word")  # fmt: skip
    for option, typed in (("--city", cities), ("--person", people), ("--author", [author] if author is not None else [])):
        if any(not name.strip() for name in typed):
            raise NewEntryError(f"{option} is given an empty name: give the name, or leave {option} out")
    city_names, city_warnings = names.resolve("city", cities)
    person_names, person_warnings = names.resolve("person", people)
    text = entry_template.render(
        title=_scalar(title),
        published=published.isoformat(timespec="seconds"),
        cities=_flow_list(city_names),
        people=_flow_list(person_names),
        key=key,
        author=_scalar(" ".join(author.split())) if author is not None else None,
    )
    return NewEntry(f"{published:%Y/%m/%d}/{slug}.md", text, tuple(city_warnings + person_warnings))


def write(content_dir: Path, entry: NewEntry) -> Path:
    """Create the file; raise ``EntryExistsError`` rather than replace one."""
    path = content_dir / entry.rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Mode "x" creates or fails in one step: no window in which another file could be replaced.
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(entry.text)
    except FileExistsError:
        raise EntryExistsError(f"{path} already exists; edit it, or choose another title for a new entry") from None
    return path


def _scalar(text: str) -> str:
    """``text`` as a YAML value: plain when it reads back unchanged, else double-quoted."""
    return text if _reads_back(f"v: {text}", {"v": text}) else _quoted(text)


def _flow_list(items: Sequence[str]) -> str:
    parts = [item if _reads_back(f"v: [{item}]", {"v": [item]}) else _quoted(item) for item in items]
    return "[" + ", ".join(parts) + "]"


def _reads_back(yaml_text: str, expected: object) -> bool:
    try:
        return yamlsafe.load(yaml_text).data == expected
    except yamlsafe.YamlError:
        return False


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, escapes included.
    return json.dumps(text, ensure_ascii=False)
