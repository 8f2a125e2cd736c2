"""One import: read the sources, compare with the content folder, write what changed.

For each update (its last version, see ``reading``) the entry with its origin is
looked up in the content folder:

- none: a new entry file, named after the origin, in the folder of its day;
- one, and the update was changed upstream after the version in the file (its
  ``updated``, else its ``published``): the file is rewritten, keeping what an
  edit added to it (``entry_files.merged``); with ``refresh``, whenever the
  result differs;
- one, and the update is no newer: the file is left as it is;
- deleted or unpublished upstream: the file gets ``draft: true`` (nothing is
  deleted), or the update is skipped if it was never imported.

Every file is checked as ``briefings check`` checks it before anything is
written; one that would not pass is skipped with the reason. Files are written
whole through a temporary file and a rename, so a killed import leaves each file
either as it was or as it should be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import storage
from ..entries import MAX_FILE_BYTES, EntryReader, SourceText
from ..problems import ContentError, ProblemLog, Severity
from ..registry import KINDS, load_registry
from ..settings import Settings, load_settings
from .content_index import ContentIndex, ImportedEntry, index_content
from .conversion import Conversion, Converted
from .entities import EntityRecognizer, known_keys
from .entry_files import EntryFields, Source, day_folder, entry_text, merged, new_path, read_edited, withdrawn_text
from .fetch import Fetcher, FetchPolicy, user_agent
from .formats import check_format
from .morphology import Morphology
from .origins import host_name
from .reading import Candidate, ReadSources, UnitLog, read_sources
from .report import Change, ImportReport, SourceReport, totals_of
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
    settings, registries = _configuration(options.config_dir)
    fetcher = fetcher or Fetcher(FetchPolicy(user_agent(settings.site_url)))
    index = index_content(options.content_dir)
    read = read_sources(options.sources, options.format, fetcher)
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
        self.taken = set(index.taken)
        self.names: list[tuple[str, tuple]] = []
        self.reader = EntryReader(settings, ProblemLog(), render=False)

    def plan(self) -> list[_Planned]:
        plans: list[_Planned] = []
        to_convert: list[tuple[Candidate, ImportedEntry | None]] = []
        for origin in sorted(self.read.latest):
            candidate = self.read.latest[origin]
            update = candidate.update
            existing = self.index.find(origin, update.url)
            if update.withdrawn:
                plans += self._withdraw(candidate.unit, existing, update.place, "deleted or unpublished upstream")
            elif existing is not None and not self.options.refresh and _no_newer(update, existing):
                self.unchanged[candidate.unit] += 1
            else:
                to_convert.append((candidate, existing))
        plans += self._withdraw_missing()
        converted = self.conversion.convert_all([candidate.update for candidate, _ in to_convert])
        for (candidate, existing), result in zip(to_convert, converted):
            plans += self._write(candidate, existing, result)
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
                if origin.startswith(complete.prefix) and origin not in complete.present and origin not in self.read.latest:
                    if not existing.draft:
                        plans.append(_Planned(complete.unit, existing.rel_path, withdrawn_text(existing.text), "withdrawn",
                                              reason="no longer in the live blog"))  # fmt: skip
        return plans

    def _write(self, candidate: Candidate, existing: ImportedEntry | None, result: Converted) -> list[_Planned]:
        update, unit = candidate.update, candidate.unit
        if result.reason:
            self.units[unit].skipped.append(Skipped(update.place, result.reason))
            return []
        self.names.append((update.origin, result.names))
        fields = EntryFields(
            title=result.title, published=update.published, updated=update.updated, origin=existing.origin if existing else update.origin,
            cities=result.cities, people=result.people, sources=_sources(update), key=update.key,
        )  # fmt: skip
        text = entry_text(merged(fields, read_edited(existing.text) if existing else None), result.markdown)
        if existing is not None and text == existing.text:
            self.unchanged[unit] += 1
            return []
        rel_path, moved_from = self._path(update, existing)
        problem = self._problem(unit, rel_path, text)
        if problem:
            self.units[unit].skipped.append(Skipped(update.place, f"the entry would not pass the check: {problem}"))
            return []
        return [_Planned(unit, rel_path, text, "updated" if existing else "new", moved_from)]

    def _path(self, update: ImportedUpdate, existing: ImportedEntry | None) -> tuple[str, str]:
        folder = day_folder(update.published, self.settings.zone)
        if existing is None or (_DATE_FOLDERS.match(existing.rel_path) and not existing.rel_path.startswith(folder)):
            origin = existing.origin if existing else update.origin
            path = new_path(folder, origin, self.taken)
            self.taken.add(path.lower())
            return path, existing.rel_path if existing else ""
        return existing.rel_path, ""

    def _problem(self, unit: int, rel_path: str, text: str) -> str:
        """The first error ``check`` would find in the planned file; its warnings go to the report."""
        size = len(text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            return f"file is {size:,} bytes; an entry may be at most {MAX_FILE_BYTES:,} bytes"
        log = ProblemLog()
        self.reader.log = log
        self.reader.read(SourceText(str(self.options.content_dir / rel_path), rel_path, text))
        errors = [p.message for p in log.problems if p.severity is Severity.ERROR]
        self.units[unit].warnings.extend(p.format() for p in log.problems if p.severity is not Severity.ERROR)
        return errors[0] if errors else ""

    def report(self, plans: list[_Planned], suggestions: tuple) -> ImportReport:
        shown = lambda rel: str(self.options.content_dir / rel)  # noqa: E731
        sources = []
        for number, unit in enumerate(self.units):
            mine = [p for p in plans if p.unit == number]
            changes = {
                kind: tuple(Change(shown(p.rel_path), shown(p.moved_from) if p.moved_from else "", p.reason) for p in mine if p.kind == kind)
                for kind in ("new", "updated", "withdrawn")
            }  # fmt: skip
            sources.append(_source_report(unit, changes, self.unchanged[number]))
        warnings = tuple(
            f"{shown(path)}: origin '{origin}' is also the origin of {shown(self.index.by_origin[origin].rel_path)}; the import keeps that one"
            for origin, path in self.index.duplicates
        )
        report_sources = tuple(sources)
        return ImportReport(report_sources, suggestions, warnings, self.options.dry_run, totals_of(report_sources))


def _no_newer(update: ImportedUpdate, existing: ImportedEntry) -> bool:
    return existing.version is not None and update.version <= existing.version


def _sources(update: ImportedUpdate) -> tuple[Source, ...]:
    url = update.url or update.base_url
    if not url.startswith(("http://", "https://")):
        return ()
    return (Source(update.publisher or host_name(url) or url, url),)


def _source_report(unit: UnitLog, changes: dict, unchanged: int) -> SourceReport:
    return SourceReport(
        label=unit.label, formats=tuple(unit.formats), live_blogs=tuple(unit.live_blogs),
        new=changes["new"], updated=changes["updated"], unchanged=unchanged, withdrawn=changes["withdrawn"],
        skipped=tuple(unit.skipped), errors=tuple(unit.errors), warnings=tuple(unit.warnings), merged=unit.merged,
    )  # fmt: skip


def _apply(content_dir: Path, plans: list[_Planned]) -> None:
    for plan in plans:
        storage.write_atomically(content_dir / plan.rel_path, plan.text.encode("utf-8"))
    for plan in plans:
        if plan.moved_from:
            (content_dir / plan.moved_from).unlink(missing_ok=True)
