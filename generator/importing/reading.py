"""Reading the SOURCE arguments into parsed sources, and keeping each update's last version.

A source's documents are read one at a time; a document that cannot be read is
an error of its source, and the next one is read all the same. Where several
documents give the same update (captures of one page, or the same update in two
sources), the latest version is kept: the one changed last upstream, then the
one captured last, then the one named last on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from .errors import SourceError
from .fetch import Fetcher
from .formats import read_document
from ..parallel import batches, fork_map
from .html_body import plain
from .sources import Source, list_files, read_file, source_of
from .update import Document, ImportedUpdate, ParsedSource, Skipped

MAX_PAGES = 200  # of one paged response followed by URL
FILES_WORTH_FORKING = 40


@dataclass
class UnitLog:
    """What happened to one SOURCE, filled in as the run goes."""

    label: str
    formats: dict[str, None] = field(default_factory=dict)
    live_blogs: dict[str, None] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    merged: int = 0


@dataclass(frozen=True)
class Candidate:
    update: ImportedUpdate
    unit: int
    order: tuple  # larger is later: see the module's documentation


@dataclass(frozen=True)
class Complete:
    """A source that lists every update of its live blog: the others under ``prefix`` were deleted."""

    unit: int
    prefix: str
    present: frozenset[str]
    within: frozenset[str] | None = None  # the origins it answers for (None: all under ``prefix``)

    def deleted(self, origin: str) -> bool:
        """Whether an update known by ``origin`` is gone from the live blog, by this source."""
        return origin.startswith(self.prefix) and (self.within is None or origin in self.within) and origin not in self.present


@dataclass
class ReadSources:
    units: list[UnitLog]
    latest: dict[str, Candidate] = field(default_factory=dict)
    # An update's own address (one with an anchor), by the identity it was first read under:
    # the same update read from another of its publisher's formats, under another origin.
    by_url: dict[str, str] = field(default_factory=dict)
    complete: list[Complete] = field(default_factory=list)


def read_sources(arguments: tuple[str, ...], forced: str | None, fetcher: Fetcher, source_url: str = "") -> ReadSources:
    """Every document of ``arguments``, read; ``source_url`` is where a file was published, for
    a file that does not say it (a Telegram channel's export)."""
    read = ReadSources([UnitLog(source_of(argument).label) for argument in arguments])
    for number, argument in enumerate(arguments):
        source = source_of(argument)
        unit = read.units[number]
        for position, (name, parsed) in enumerate(_parsed(source, unit, forced, fetcher, source_url)):
            unit.formats[parsed.format] = None
            unit.live_blogs[parsed.live_blog] = None
            unit.skipped.extend(parsed.skipped)
            unit.warnings.extend(f"{name}: warning: {warning}" for warning in parsed.warnings)
            parsed = _copies_merged(parsed, unit)
            _keep_latest(read, number, position, parsed)
            if parsed.complete_prefix:
                present = frozenset(u.origin for u in parsed.updates)
                read.complete.append(Complete(number, parsed.complete_prefix, present, parsed.complete_within))
    return read


def _parsed(source: Source, unit: UnitLog, forced: str | None, fetcher: Fetcher, source_url: str) -> Iterator[tuple[str, ParsedSource]]:
    """Each document of ``source`` (by the name messages give it) as read; errors go to ``unit``."""
    if source.is_url:
        url: str | None = source.url
        for _ in range(MAX_PAGES):
            if url is None:
                return
            try:
                document = fetcher.fetch(url)
            except SourceError as exc:
                unit.errors.append(exc)
                return
            parsed = _read(document, forced, unit)
            if parsed is None:
                return
            yield document.name, parsed
            url = parsed.next_url
        return
    try:
        listing = list_files(source)
    except SourceError as exc:
        unit.errors.append(exc)
        return
    unit.skipped.extend(listing.left_out)
    several = len(listing.files) > 1
    # A folder's files are read by forked workers when there are many (a day's page each, say).
    work = lambda batch: [_read_file(path, forced, several, source_url) for path in batch]  # noqa: E731
    for batch in fork_map(work, batches(listing.files, 20), parallel=len(listing.files) >= FILES_WORTH_FORKING):
        for name, result in batch:
            if isinstance(result, SourceError):
                unit.errors.append(result)
            else:
                yield name, result


def _read_file(path: Path, forced: str | None, several: bool, source_url: str = "") -> tuple[str, ParsedSource | SourceError]:
    try:
        document = read_file(path)
    except SourceError as exc:
        return str(path), exc
    if source_url:
        document = replace(document, url=source_url)
    result = _read_document(document, forced)
    if several and isinstance(result, ParsedSource):
        result = _placed_in(result, document)
    return document.name, result


def _read(document: Document, forced: str | None, unit: UnitLog) -> ParsedSource | None:
    result = _read_document(document, forced)
    if isinstance(result, SourceError):
        unit.errors.append(result)
        return None
    return result


def _read_document(document: Document, forced: str | None) -> ParsedSource | SourceError:
    try:
        return read_document(document, forced)
    except SourceError as exc:
        return exc
    except RecursionError:
        return SourceError(document.name, "nested too deeply to be read")
    except Exception as exc:  # noqa: BLE001 - a parser's failure on what the web serves is this source's error, not the run's
        return SourceError(document.name, f"could not be read: {exc.__class__.__name__}: {exc}")


def _placed_in(parsed: ParsedSource, document: Document) -> ParsedSource:
    """A folder's document, its items' places prefixed with the file they are in."""
    return replace(
        parsed,
        updates=tuple(replace(u, place=f"{document.name}: {u.place}") for u in parsed.updates),
        skipped=tuple(Skipped(f"{document.name}: {s.place}", s.reason) for s in parsed.skipped),
    )


def _copies_merged(parsed: ParsedSource, unit: UnitLog) -> ParsedSource:
    """``parsed`` with one update for each that a document lists twice under two addresses, with
    the same time and text: a key event pinned at the top of a live page, and in its place below.

    The copy that is not pinned is kept (its address is the update's own), a key event if
    either is; the other is reported. Two entries would be one update twice, which ``check``
    refuses.
    """
    groups: dict[tuple, list[ImportedUpdate]] = {}
    for update in parsed.updates:
        text = "".join(plain(update.body_html).split())
        groups.setdefault((update.published, text) if text else (id(update),), []).append(update)
    # An update listed twice under one address is a version of itself (``_keep_latest``).
    copies = [group for group in groups.values() if len(group) > 1 and len({u.origin for u in group}) == len(group)]
    if not copies:
        return parsed
    kept = {id(update): update for update in parsed.updates}
    for group in copies:
        keeper = next((update for update in group if not update.key), group[0])
        kept[id(keeper)] = replace(keeper, key=any(update.key for update in group))
        for copy in group:
            if copy is not keeper:
                del kept[id(copy)]
                reason = f"the same update as {keeper.place} (the same time and text: a pinned or repeated copy); {keeper.place} is kept"
                unit.skipped.append(Skipped(copy.place, reason))
    return replace(parsed, updates=tuple(kept[id(update)] for update in parsed.updates if id(update) in kept))


def _keep_latest(read: ReadSources, unit: int, position: int, parsed: ParsedSource) -> None:
    for update in parsed.updates:
        candidate = Candidate(update, unit, (update.modified or update.published, parsed.captured, unit, position))
        identity = read.by_url.setdefault(update.url, update.origin) if "#" in update.url else update.origin
        known = read.latest.get(identity)
        if known is None or candidate.order > known.order:
            read.latest[identity] = candidate
            if known is not None:
                _superseded(read, known, candidate)
        else:
            _superseded(read, candidate, known)


def _superseded(read: ReadSources, older: Candidate, later: Candidate) -> None:
    """Report ``older``, a version of an update that ``later`` replaces, as its source is."""
    unit = read.units[older.unit]
    if older.unit != later.unit:
        reason = f"a later version of the same update is in {read.units[later.unit].label}"
    elif older.order[1:] == later.order[1:]:  # one document lists the update twice
        why = "it was changed later" if later.order[0] > older.order[0] else "the first listed"
        reason = f"the same update as {later.update.place} (origin {later.update.origin}); {later.update.place} is kept, as {why}"
    elif older.order[1] and later.order[1]:  # captures of one page: each an earlier look at the same update
        unit.merged += 1
        return
    else:
        reason = f"a later version of the same update is at {later.update.place}"
    unit.skipped.append(Skipped(older.update.place, reason))
