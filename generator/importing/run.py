"""One import: read the sources, compare with the content folder, write what changed.

For each update (its last version, see ``reading``) the entry with its origin is
looked up in the content folder:

- none: a new entry file, named after the origin, in the folder of its day;
- one whose ``digest`` (see ``digests``) says the source gave this same version:
  the file is left as it is, without converting the update again;
- one, and the source's version is another (an edit upstream, timed or not): if
  the file's title, times and body are as the import wrote them (or already as
  the new version has them), the file is rewritten, keeping what an edit added to
  it (``entry_files.merged``); if they were edited here, it is a conflict: the file
  is left as it is and the report says how to settle it (``_outcome``);
- one without a digest (imported before entries kept one): the times decide, as
  they did then: a later change time rewrites the file, else only its digest is
  recorded; with ``refresh``, every entry is treated as changed upstream;
- one without a byline whose update now has one, and whose title, times and body
  upstream are those imported last (imported before bylines were read): it gets the
  byline, and where it was edited here, keeps the rest as it is, with no conflict;
- deleted or unpublished upstream: the file gets ``draft: true`` (nothing is
  deleted), or the update is skipped if it was never imported.

Every file is checked as ``briefings check`` checks it before anything is
written; one that would not pass is skipped with the reason. Files are written
whole through a temporary file and a rename, so a killed import leaves each file
either as it was or as it should be.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from .. import body_checks
from ..entries import MAX_FILE_BYTES, EntryReader, SourceText
from ..parallel import WORTH_FORKING, batches, fork_map
from ..problems import ContentError, Problem, ProblemLog, Severity
from ..registry import KINDS, load_registry
from ..settings import Settings, load_settings
from .content_index import ContentIndex, ImportedEntry, index_content
from .conversion import Conversion, Converted, links_by_path
from .bylines import byline
from .digests import Digest, edited_text_digest, source_digest, text_digest, with_digest
from .entities import EntityRecognizer, known_keys
from .entry_files import (
    EditedFile, EntryFields, Source, day_folder, entry_text, file_byline, merged, new_path, read_edited, slug_for_origin, with_byline,
    withdrawn_text,
)  # fmt: skip
from .fetch import Fetcher, FetchPolicy, user_agent
from .formats import check_format, check_source_url
from ..morphology import Morphology
from .origins import host_name
from .reading import Candidate, ReadSources, UnitLog, read_sources
from .report import Change, Conflict, ImportReport, SourceReport, totals_of
from .suggestions import NameCollector
from .update import ImportedUpdate, Skipped

_DATE_FOLDERS = re.compile(r"^\d{4}/\d{2}/\d{2}/[^/]+$")


@dataclass(frozen=True)
class ImportOptions:
    sources: tuple[str, ...]
    content_dir: Path
    config_dir: Path
    format: str | None = None
    dry_run: bool = False
    refresh: bool = False  # rewrite every entry from its source, even if the source did not change it
    source_url: str = ""  # where the files were published, for those that do not say it (--source-url)


# What importing again does with an entry whose update was read and converted again.
_UPSTREAM = "upstream"  # its title, times and body from the source's version (new entries too)
_RECORD = "record"  # only its digest line set: the rest of the file stays as it is
_CONFLICT = "conflict"  # edited here and upstream: nothing is written


@dataclass(frozen=True)
class _Prepared:
    converted: Converted
    text: str
    reason: str = ""  # why the update is skipped
    warnings: tuple[str, ...] = ()  # what `check` would warn about in the file
    outcome: str = _UPSTREAM
    digest: Digest | None = None  # the one the file gets, or with a conflict, the one that keeps it as it is
    note: str = ""  # what the report says of the change


@dataclass(frozen=True)
class _Decision:
    """What becomes of an entry read again (see ``_outcome``)."""

    outcome: str
    note: str = ""  # what the report says of it
    byline: bool = False  # with ``_RECORD``: the file also gets the byline it lacks


@dataclass(frozen=True)
class _Planned:
    unit: int
    rel_path: str
    text: str
    kind: str  # "new", "updated" or "withdrawn"
    moved_from: str = ""
    reason: str = ""


def run_import(options: ImportOptions, fetcher: Fetcher | None = None) -> ImportReport:
    """Import ``options.sources`` into the content folder; raise ``ContentError`` if the settings are broken."""
    check_format(options.format)
    check_source_url(options.source_url)
    settings, registries = _configuration(options.config_dir)
    fetcher = fetcher or Fetcher(FetchPolicy(user_agent(settings.site_url)))
    index = index_content(options.content_dir)
    read = read_sources(options.sources, options.format, fetcher, options.source_url)
    morphology = Morphology()
    collector = NameCollector(known_keys(registries), morphology)
    conversion = Conversion(EntityRecognizer(registries, morphology), collector)
    run = _Run(options, settings, index, read, conversion)
    plans = run.plan()
    if not options.dry_run:
        _apply(options.content_dir, plans)
    for origin, names in run.names:
        collector.record(origin, names)
    return run.report(plans, tuple(collector.suggestions()))


def _configuration(config_dir: Path) -> tuple[Settings, dict]:
    log = ProblemLog()
    settings = load_settings(config_dir, log)
    registries = {kind: load_registry(config_dir, kind, log) for kind in KINDS}
    if settings is None or log.has_errors():
        raise ContentError(log.problems)
    return settings, registries


class _Run:
    def __init__(self, options: ImportOptions, settings: Settings, index: ContentIndex, read: ReadSources, conversion: Conversion) -> None:
        self.options = options
        self.settings = settings
        self.index = index
        self.read = read
        self.conversion = conversion
        self.units = read.units
        self.unchanged = [0] * len(read.units)
        self.conflicts: list[list[Conflict]] = [[] for _ in read.units]
        self.taken = set(index.taken)
        self.names: list[tuple[str, tuple]] = []
        self.reader = EntryReader(settings, ProblemLog(), render=False)
        self.now = datetime.now(timezone.utc)

    def plan(self) -> list[_Planned]:
        plans: list[_Planned] = []
        to_convert: list[tuple[Candidate, ImportedEntry | None, str]] = []
        for origin in sorted(self.read.latest):
            candidate = self.read.latest[origin]
            existing = self.index.find(origin, candidate.update.url)
            source = source_digest(candidate.update)  # of the update as the source gives it, before the next lines
            if existing is not None and candidate.update.dated_by_change and existing.published is not None:
                # Its source's only time is that of its last change: the entry keeps the
                # publication time it was given, and that change is its update.
                changed = replace(candidate.update, published=existing.published, modified=candidate.update.published)
                candidate = replace(candidate, update=changed)
            update = candidate.update
            if update.published > self.now:
                published = update.published.astimezone(self.settings.zone).isoformat()
                why = f"published in the future ({published}): a slip in the source's year or zone? It is not imported"
                self.units[candidate.unit].skipped.append(Skipped(update.place, why))
            elif update.withdrawn:
                plans += self._withdraw(candidate.unit, existing, update.place, "deleted or unpublished upstream")
            elif existing is not None and not self.options.refresh and _imported_last(existing, source):
                self.unchanged[candidate.unit] += 1
            elif existing is not None and _earlier_version(update, existing):
                then, now = (moment.astimezone(self.settings.zone).isoformat() for moment in (update.version, existing.version))
                why = (f"an earlier version of the update (changed {then}) than {self._shown(existing.rel_path)} "
                       f"holds (changed {now}); the entry is left as it was")  # fmt: skip
                self.units[candidate.unit].skipped.append(Skipped(update.place, why))
            else:
                to_convert.append((candidate, existing, source))
        plans += self._withdraw_missing()
        # The work of an import, shared among forked workers on large ones.
        work = lambda batch: [self._prepare(*item) for item in batch]  # noqa: E731
        prepared = fork_map(work, batches(to_convert, 100), parallel=len(to_convert) >= WORTH_FORKING)
        for (candidate, existing, _), result in zip(to_convert, (p for batch in prepared for p in batch)):
            plans += self._finish(candidate, existing, result)
        return plans

    def _withdraw(self, unit: int, existing: ImportedEntry | None, place: str, why: str) -> list[_Planned]:
        if existing is None:
            self.units[unit].skipped.append(Skipped(place, f"{why}, and never imported"))
            return []
        if existing.draft:
            self.unchanged[unit] += 1
            return []
        return [_Planned(unit, existing.rel_path, withdrawn_text(existing.text), "withdrawn", reason=why)]

    def _withdraw_missing(self) -> list[_Planned]:
        """Entries of a live blog that a complete source no longer lists."""
        plans = []
        for complete in self.read.complete:
            for origin, existing in sorted(self.index.by_origin.items()):
                if complete.deleted(origin) and origin not in self.read.latest:
                    if not existing.draft:
                        plans.append(_Planned(complete.unit, existing.rel_path, withdrawn_text(existing.text), "withdrawn",
                                              reason="no longer in the live blog"))  # fmt: skip
        return plans

    def _prepare(self, candidate: Candidate, existing: ImportedEntry | None, source: str) -> _Prepared:
        """The entry's text and the first error ``check`` would find in it (in a worker, on large imports)."""
        update = candidate.update
        try:
            result = self.conversion.convert(update)
        except RecursionError:
            result = Converted(reason="its body is nested too deeply to be read")
        except Exception as exc:  # noqa: BLE001 - one update's failure is its own, not the run's
            result = Converted(reason=f"its body could not be converted: {exc.__class__.__name__}: {exc}")
        if result.reason:
            return _Prepared(result, "", result.reason)
        folder = day_folder(update.published, self.settings.zone)
        result = replace(result, markdown=links_by_path(result.markdown, self.settings.site_url, folder))
        # Times are written in the site's zone, the same moments as the source's: a source's
        # own offset may be one the zone has in another season, which `check` takes for a slip.
        zone = self.settings.zone
        fields = EntryFields(
            title=result.title, published=update.published.astimezone(zone), origin=existing.origin if existing else update.origin,
            author=byline(update.authors, self.settings.language), updated=update.updated.astimezone(zone) if update.updated else None,
            cities=result.cities, people=result.people, sources=_sources(update), tags=update.tags, key=update.key,
            corrections=tuple((correction.at.astimezone(zone).isoformat(), correction.text) for correction in update.corrections),
        )  # fmt: skip
        digest = Digest(source, text_digest(fields.title, fields.published, fields.updated, result.markdown, fields.author))
        bylineless = text_digest(fields.title, fields.published, fields.updated, result.markdown)
        decision = _outcome(existing, digest, bylineless, self.options.refresh or _newer(update, existing))
        outcome, note = decision.outcome, decision.note
        if outcome == _CONFLICT:
            return _Prepared(result, "", outcome=outcome, digest=digest)
        if outcome == _RECORD:
            text = with_digest(existing.text, digest)
            text = with_byline(text, fields.author) if decision.byline else text
        else:
            fields = replace(fields, digest=digest.written())
            text = entry_text(merged(fields, read_edited(existing.text) if existing else None), result.markdown)
        if existing is not None and (text == existing.text or _source_digest_alone(text, existing, digest)):
            return _Prepared(result, existing.text)
        provisional = existing.rel_path if existing and existing.rel_path.startswith(folder) else f"{folder}{slug_for_origin(fields.origin)}.md"
        problems = self._problems(provisional, text)
        errors = [p.message for p in problems if p.severity is Severity.ERROR]
        reason = f"the entry would not pass the check: {errors[0]}" if errors else ""
        warnings = tuple(p.format() for p in problems if p.severity is not Severity.ERROR)
        return _Prepared(result, text, reason, warnings, outcome, digest, note)

    def _finish(self, candidate: Candidate, existing: ImportedEntry | None, prepared: _Prepared) -> list[_Planned]:
        update, unit = candidate.update, candidate.unit
        if prepared.reason:
            kept = f"; {self._shown(existing.rel_path)} is left as it was" if existing is not None else ""
            self.units[unit].skipped.append(Skipped(update.place, prepared.reason + kept))
            return []
        self.names.append((update.origin, prepared.converted.names))
        if prepared.outcome == _CONFLICT:
            self.conflicts[unit].append(Conflict(update.place, self._shown(existing.rel_path), prepared.digest.written()))
            return []
        if existing is not None and prepared.text == existing.text:
            self.unchanged[unit] += 1
            return []
        self.units[unit].warnings.extend(prepared.warnings)
        if prepared.outcome == _RECORD:
            return [_Planned(unit, existing.rel_path, prepared.text, "updated", reason=prepared.note)]
        rel_path, moved_from = self._path(update, existing)
        return [_Planned(unit, rel_path, prepared.text, "updated" if existing else "new", moved_from)]

    def _path(self, update: ImportedUpdate, existing: ImportedEntry | None) -> tuple[str, str]:
        folder = day_folder(update.published, self.settings.zone)
        if existing is None or (_DATE_FOLDERS.match(existing.rel_path) and not existing.rel_path.startswith(folder)):
            origin = existing.origin if existing else update.origin
            path = new_path(folder, origin, self.taken)
            self.taken.add(path.lower())
            return path, existing.rel_path if existing else ""
        return existing.rel_path, ""

    def _problems(self, rel_path: str, text: str) -> tuple[Problem, ...]:
        """What ``check`` would say of the file ``text`` at ``rel_path``."""
        size = len(text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes; an entry may be at most {MAX_FILE_BYTES:,} bytes"
            return (Problem(rel_path, None, Severity.ERROR, message),)
        log = ProblemLog()
        self.reader.log = log
        path = f"{self.options.content_dir}{os.sep}{rel_path}"
        self.reader.read(SourceText(path, rel_path, text))
        # `check` also reads the body as a contributor's (body_checks): what it would warn
        # about there, `check --strict` refuses, so the report says it too.
        for finding in _body_findings(rel_path, text):
            log.warning(path, finding.line, finding.message)
        return log.problems

    def _shown(self, rel_path: str) -> str:
        """A file of the content folder as the report names it."""
        return str(self.options.content_dir / rel_path)

    def report(self, plans: list[_Planned], suggestions: tuple) -> ImportReport:
        shown = self._shown
        sources = []
        for number, unit in enumerate(self.units):
            mine = [p for p in plans if p.unit == number]
            changes = {
                kind: tuple(Change(shown(p.rel_path), shown(p.moved_from) if p.moved_from else "", p.reason) for p in mine if p.kind == kind)
                for kind in ("new", "updated", "withdrawn")
            }  # fmt: skip
            sources.append(_source_report(unit, changes, self.unchanged[number], tuple(self.conflicts[number])))
        warnings = tuple(
            f"{shown(path)}: origin '{origin}' is also the origin of {shown(self.index.by_origin[origin].rel_path)}; the import keeps that one"
            for origin, path in self.index.duplicates
        )
        report_sources = tuple(sources)
        return ImportReport(report_sources, suggestions, warnings, self.options.dry_run, totals_of(report_sources))


def _body_findings(rel_path: str, text: str) -> list[body_checks.Finding]:
    """What ``check`` finds in the body of an entry the import wrote as ``text``.

    Links by path are not followed: the entries they lead to may be written by this
    same import, after this one.
    """
    closing = text.index("\n---\n", 3) + 1  # the import writes the front matter itself: it has its closing line
    body = text[closing + 4 :]
    closing_line = text.count("\n", 0, closing) + 1
    listed = body_checks.BodyText("", rel_path, body, closing_line + 1, closing_line)
    return [*body_checks.empty_body(listed), *body_checks.placeholder(listed), *body_checks.preview_differences(listed)]


def _outcome(existing: ImportedEntry | None, digest: Digest, bylineless: str, changed: bool) -> _Decision:
    """What becomes of the entry of an update read again (``digest``: of the version read, and of
    what the import makes of it; ``bylineless``: that text digest without the byline).

    ``changed`` (a later change time than the file's, or ``--refresh``) decides only for an
    entry without a digest, as it did before entries kept one: whether the file was edited
    here is unknown then. With a digest, an entry whose title, byline, times and body are as
    the import wrote them (or as the new version has them already) takes the new version;
    one edited here is a conflict if the new version makes another text than the version
    imported last, and is kept as it is otherwise. A byline alone is not such another text
    for a file that has none (``_new_byline``): the file gets it, and keeps the rest.
    """
    if existing is None:
        return _Decision(_UPSTREAM)
    edited = read_edited(existing.text)
    here = edited_text_digest(edited) if edited is not None else None
    new_byline = _new_byline(existing, edited, digest, bylineless)
    if existing.digest is None:
        if changed:
            return _Decision(_UPSTREAM)
    elif here in (existing.digest.text, digest.text):
        return _Decision(_UPSTREAM)
    elif existing.digest.text != digest.text and not new_byline:
        return _Decision(_CONFLICT)
    # No digest and no later time, or edited here and what upstream says makes the same text: the text stays.
    if new_byline:  # the file as it will be, with the byline: as the new version, if the rest is
        here = digest.text if here == bylineless else here
    kept = "the text as it was" if here == digest.text else "its title, times or body differ from the source's and are kept"
    return _Decision(_RECORD, f"digest recorded{', byline added' if new_byline else ''}; {kept}", new_byline)


def _new_byline(existing: ImportedEntry, edited: EditedFile | None, digest: Digest, bylineless: str) -> bool:
    """Whether the update has a byline that its file lacks and that the version imported last did not
    have (imported before bylines were read, or before its source named anyone): then the file takes
    it, whatever else was edited here, for nothing here is overwritten. A byline deleted here, from a
    version that had it, stays deleted."""
    if edited is None or file_byline(edited) or digest.text == bylineless:
        return False
    return existing.digest is None or existing.digest.text == bylineless


def _imported_last(existing: ImportedEntry, source: str) -> bool:
    """Whether the entry's file holds the version of its update that the source gives now:
    then there is nothing to convert, and the file is left as it is."""
    return existing.digest is not None and existing.digest.source == source


def _source_digest_alone(text: str, existing: ImportedEntry, digest: Digest) -> bool:
    """Whether ``text`` differs from the entry's file in the source's digest alone: then the file is left as it is.

    A source may change its markup and not its words (a page rendered again, a link's
    attributes): rewriting files for that would report updates that change nothing a
    reader sees. The update is converted again at the next import, and written when what
    the import makes of it changes. An entry without a digest gets one (see ``_outcome``).
    """
    if existing.digest is None or existing.digest.text != digest.text:
        return False
    return with_digest(text, existing.digest) == existing.text


def _earlier_version(update: ImportedUpdate, existing: ImportedEntry) -> bool:
    """Why ``update`` must not replace its entry, if it is a version made before the one the file
    holds as imported: an older copy of a page, a feed cached somewhere, imported after a newer one.

    Only a file still as imported is compared by its times, which are then the version's own;
    a file edited here has its own times, and its edits are told apart by the digests.
    """
    if existing.digest is None or existing.version is None or update.version >= existing.version:
        return False
    edited = read_edited(existing.text)
    return edited is not None and edited_text_digest(edited) == existing.digest.text


def _newer(update: ImportedUpdate, existing: ImportedEntry | None) -> bool:
    """Whether ``update`` was changed upstream after the version in the entry's file, by their times."""
    return existing is not None and (existing.version is None or update.version > existing.version)


def _sources(update: ImportedUpdate) -> tuple[Source, ...]:
    url = update.url or update.base_url
    if not url.startswith(("http://", "https://")):
        return ()
    return (Source(update.publisher or host_name(url) or url, url),)


def _source_report(unit: UnitLog, changes: dict, unchanged: int, conflicts: tuple[Conflict, ...]) -> SourceReport:
    return SourceReport(
        label=unit.label, formats=tuple(unit.formats), live_blogs=tuple(unit.live_blogs),
        new=changes["new"], updated=changes["updated"], unchanged=unchanged, withdrawn=changes["withdrawn"],
        skipped=tuple(unit.skipped), errors=tuple(unit.errors), warnings=tuple(unit.warnings), merged=unit.merged,
        conflicts=conflicts,
    )  # fmt: skip


def _apply(content_dir: Path, plans: list[_Planned]) -> None:
    folders: set[Path] = set()
    for plan in plans:
        path = content_dir / plan.rel_path
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        _write(path, plan.text.encode("utf-8"))
    for plan in plans:
        if plan.moved_from:
            (content_dir / plan.moved_from).unlink(missing_ok=True)


def _write(path: Path, data: bytes) -> None:
    """``data`` written beside ``path`` and renamed over it: a killed import leaves no half-written entry.

    The temporary name is hidden (no entry file) and fixed: an import writes one file at
    a time, and a random name (``storage.write_atomically``) would cost as much as writing.
    """
    temporary = path.with_name(f".{path.name}.importing")
    try:
        with open(temporary, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
