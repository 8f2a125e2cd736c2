"""The ``check`` command: the whole archive, or a few files with the archive as context.

Checking a few files (what the pre-commit hook does) finds everything the whole
check finds about them, and reads only what can bear on them: the files fully;
the entries whose file names make the same anchor, wherever they are filed (one
day's anchors must differ); the bytes of every other entry, for the same update
saved twice, parsing only those that hold the files' words; and only when a name
is unknown, the front matter of the rest, for the names the archive already uses
(the did-you-mean). Problems are reported for the named files only, and a problem
of another file that names one of them (a clash, a duplicate) once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from functools import cached_property
from typing import Callable, Sequence

from . import schema_export
from .archive import build_archive
from .duplicates import counts, duplicates
from .entries import ENTRY_SUFFIX, MAX_FILE_BYTES, EntryReader, SourceText, content_missing, find_content_files, read_source
from .model import Entry
from .names import display_name, name_key, slug_for
from .parallel import WORTH_FORKING, batches, fork_map
from .problems import ContentError, Problem, ProblemLog, Severity
from .registry import KINDS, Registry, load_registry
from .registry_audit import audit_registries
from .revisions import silent_edits
from .settings import Settings, load_settings
from .site import load_archive, warn_future
from .teaching import Listing, Teacher, listed_names, read_listing, used_names


@dataclass(frozen=True)
class CheckReport:
    """What a check that found no error has to say: warnings and what was checked."""

    problems: tuple[Problem, ...]
    entries: int
    days: int | None = None  # None when only some files were checked


def check_archive(content_dir: Path, config_dir: Path, *, strict: bool = False, since: str | None = None) -> CheckReport:
    """Check everything; raise ``ContentError`` with every problem if any is an error.

    ``since``: a Git revision; an update published then and edited since must say so (``revisions``).
    """
    config_log = _edits_since(content_dir, since, strict)
    _check_exported_schema(config_dir, config_log)
    audit_registries({kind: load_registry(config_dir, kind, ProblemLog()) for kind in KINDS}, config_dir, config_log)
    try:
        archive, problems = load_archive(content_dir, config_dir, strict=strict, teach=True)
    except ContentError as exc:
        raise ContentError(_sorted(exc.problems + config_log.problems, config_dir)) from None
    problems = _sorted(problems + config_log.problems, config_dir)
    if config_log.has_errors():
        raise ContentError(problems)
    return CheckReport(problems, len(archive.entries), len(archive.days))


def check_files(
    files: Sequence[Path], content_dir: Path, config_dir: Path, *, strict: bool = False, since: str | None = None
) -> CheckReport:
    """Check ``files`` only, with the rest of the archive as context (``since`` as ``check_archive`` takes it)."""
    log = _edits_since(content_dir, since, strict, only={str(content_dir / os.path.relpath(f, content_dir)) for f in files})
    settings = load_settings(config_dir, log, best_effort=True)  # as the whole check takes them
    registries = {kind: load_registry(config_dir, kind, log) for kind in KINDS}
    if not content_dir.is_dir():
        log.error(str(content_dir), None, content_missing(content_dir))
    walked = find_content_files(content_dir, ProblemLog()).entries if content_dir.is_dir() else []
    targets = _targets(files, content_dir, walked, log)
    if settings is None or not content_dir.is_dir():
        raise ContentError(_sorted(log.problems, config_dir))
    reader = EntryReader(settings, log, render=False)
    sources = [s for path in targets if (s := read_source(path, content_dir, log)) is not None]
    entries = [e for s in sources if (e := reader.read(s)) is not None]
    warn_future(entries, log)
    named = {str(path) for path in targets}  # as find_content_files names files
    around = _Around(content_dir, settings, [p for p in walked if p not in named])
    archive_log = ProblemLog(strict=strict)
    build_archive(entries + around.bearing_on(entries, registries), registries, settings, archive_log)
    shown = {s.path for s in sources}
    _keep_problems_of(archive_log.problems, shown, log)
    listings = [listing for s in sources if (listing := read_listing(s)) is not None]
    # The archive's names are read only to suggest a spelling for an unknown name.
    teacher = Teacher(registries, lambda: used_names(listings, around.names.values()), config_dir, log, settings)
    for listing in listings:
        teacher.teach(listing)
    _keep_problems_of(_duplicates_of(listings, content_dir, around.paths), shown, log)
    if log.has_errors():
        raise ContentError(_sorted(log.problems, config_dir))
    return CheckReport(_sorted(log.problems, config_dir), len(entries))


def _edits_since(content_dir: Path, since: str | None, strict: bool, only: set[str] | None = None) -> ProblemLog:
    """A log holding the edits of published updates since ``since`` that say nothing of themselves."""
    log = ProblemLog(strict=strict)
    if since is not None:
        log.replay(list(silent_edits(content_dir, since, only)))
    return log


def _targets(files: Sequence[Path], content_dir: Path, walked: Sequence[str], log: ProblemLog) -> list[Path]:
    """The named files (and the entries in the named folders, of ``walked``, the whole walk's) as
    the full walk names them (content/...), each once; bad names reported."""
    root = os.path.abspath(content_dir)
    targets: dict[Path, None] = {}  # in the order named, each once
    for file in files:
        shown = str(file)
        absolute = os.path.abspath(file)
        if not os.path.lexists(file):  # first: a mistyped name is not a file elsewhere
            log.error(shown, None, "file not found")
        elif os.path.commonpath([root, absolute]) != root:
            everything = "run 'briefings check' without file names to check everything"
            log.error(shown, None, f"not under {content_dir.as_posix()}/: {everything}")
        elif os.path.islink(file):
            log.error(shown, None, "symbolic links are not allowed in content")
        elif file.is_dir():  # a day's folder, a month's: every entry in it
            inside = absolute + os.sep
            targets.update((Path(found), None) for found in walked if os.path.abspath(found).startswith(inside))
        elif not file.is_file() or not file.name.lower().endswith(ENTRY_SUFFIX):
            log.error(shown, None, f"not an entry: entry files end in '{ENTRY_SUFFIX}'")
        else:
            targets[content_dir / os.path.relpath(absolute, root)] = None
    return list(targets)


class _Around:
    """The other entries of the archive, read as far as checking the named files needs."""

    def __init__(self, content_dir: Path, settings: Settings, paths: list[str]) -> None:
        self.content_dir = content_dir
        self.settings = settings
        self.paths = paths

    @cached_property
    def names(self) -> dict[str, dict[str, list[str]]]:
        """Each file's cities and people, read fast (no file's own problems are this check's business)."""
        return {source.path: listed_names(source) for source in _sources(self.content_dir, self.paths)}

    def bearing_on(self, entries: list[Entry], registries: dict[str, Registry]) -> list[Entry]:
        """The entries that can change what grouping says of ``entries``: those whose file names make the
        same anchor (one day's anchors must differ), and those naming an entity whose page URL one of
        theirs may take (the first entry naming the later one is told)."""
        slugs = {_slug(entry.path) for entry in entries}
        paths = {path for path in self.paths if _slug(path) in slugs}
        language = self.settings.language
        taken = _contested_pages(entries, registries, lambda: self.names, language)
        if taken:
            paths.update(
                path for path, names in self.names.items()
                if any(page_of(name, registries[kind], language) in taken for kind in KINDS for name in names[kind])
            )  # fmt: skip
        quiet = EntryReader(self.settings, ProblemLog(), render=False)
        return [e for s in _sources(self.content_dir, sorted(paths)) if (e := quiet.read(s)) is not None]


def page_of(name: str, registry: Registry, language: str = "") -> tuple[tuple[str, str], str]:
    """The entity a listed name stands for (as grouping tells them apart) and the URL slug its name makes."""
    info = registry.resolve(name)
    if info is not None:
        return ("known", name_key(info.name)), slug_for(info.name, language) or "unnamed"
    return ("name", name_key(name)), slug_for(display_name(name), language) or "unnamed"


def _contested_pages(
    entries: list[Entry],
    registries: dict[str, Registry],
    archive_names: Callable[[], dict[str, dict[str, list[str]]]],
    language: str,
) -> set[tuple[tuple[str, str], str]]:
    """The entities of ``entries`` whose page slug another entity's name makes too, with the other ones.

    Registry names alone can meet only another registry name (they claim their slugs
    first); a name no registry knows can meet any, so the archive's names are read then.
    """
    kinds = {"city": "cities", "person": "people"}
    mine = {page_of(name, registries[kind], language) for e in entries for kind in KINDS for name in getattr(e, kinds[kind])}
    if not mine:
        return set()
    others = {page_of(entry.name, registries[kind], language) for kind in KINDS for entry in registries[kind].entries}
    if any(identity[0] == "name" for identity, _ in mine):
        others |= {page_of(n, registries[k], language) for names in archive_names().values() for k in KINDS for n in names[k]}
    by_slug: dict[str, set[tuple[str, str]]] = {}
    for identity, slug in mine | others:
        by_slug.setdefault(slug, set()).add(identity)
    contested = {slug for _, slug in mine if len(by_slug[slug]) > 1}
    return {(identity, slug) for slug in contested for identity in by_slug[slug]}


def _slug(path: str) -> str:
    """The anchor an entry file's name makes."""
    return slug_for(os.path.basename(path)[: -len(ENTRY_SUFFIX)])


def _sources(content_dir: Path, paths: Sequence[Path | str]) -> list[SourceText]:
    """The texts of other entries; their own problems are not this check's business."""
    quiet = ProblemLog()
    return [source for path in paths if (source := read_source(path, content_dir, quiet)) is not None]


def _duplicates_of(listings: list[Listing], content_dir: Path, others: list[str]) -> tuple[Problem, ...]:
    """What the whole check says of duplicates among the files and the other entries of the same body."""
    wanted = [listing for listing in listings if not listing.draft and counts(listing.body)]
    if not wanted:
        return ()
    probes = [_Probe.of(listing) for listing in wanted]
    parallel = len(others) >= WORTH_FORKING

    def same_body(batch: list[str]) -> list[str]:
        return [path for path in batch if _holds(path, probes)]

    found = [path for batch in fork_map(same_body, batches(others), parallel=parallel) for path in batch]
    more = [listing for s in _sources(content_dir, found) if (listing := read_listing(s)) is not None and not listing.draft]
    found_log = ProblemLog()
    for duplicate in duplicates((listing.update for listing in wanted + more), checked={listing.path for listing in wanted}):
        found_log.warning(duplicate.path, None, duplicate.message)
    return found_log.problems


@dataclass(frozen=True)
class _Probe:
    """What a file holding the same body (white space aside) ends with: a body is a file's last part."""

    last_word: str  # "" for an empty body: then the file ends with the closing '---'
    words: str  # the body's words, one space apart

    @classmethod
    def of(cls, listing: Listing) -> "_Probe":
        words = listing.body.split()
        return cls(words[-1] if words else "---", " ".join(words))

    def held_by(self, text: str) -> bool:
        if not text.rstrip().endswith(self.last_word):
            return False  # most files, at once
        return " ".join(text.split()).endswith(f"--- {self.words}" if self.words else "---")


def _holds(path: str, probes: list[_Probe]) -> bool:
    """Whether the entry file at ``path`` may have the body of one of ``probes`` (its listing tells for sure)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            data = os.read(handle, MAX_FILE_BYTES + 1)
        finally:
            os.close(handle)
    except OSError:
        return False  # the whole check reports it; a file it cannot read has no body to repeat
    text = data.decode("utf-8", "replace")
    return any(probe.held_by(text) for probe in probes)


def _keep_problems_of(problems: tuple[Problem, ...], paths: set[str], log: ProblemLog) -> None:
    """Problems of the named files, and those of another file that name one (a clash is told once)."""
    for problem in problems:
        if problem.path in paths or any(path in problem.message for path in paths):
            report = log.error if problem.severity is Severity.ERROR else log.warning
            report(problem.path, problem.line, problem.message)


def _check_exported_schema(config_dir: Path, log: ProblemLog) -> None:
    # Only a copy that exists can be stale; a site without one has chosen not to offer it.
    path = schema_export.exported_path(config_dir)
    if path.exists() and not schema_export.is_current(config_dir):
        log.warning(str(path), None, "differs from the schema 'check' uses: run 'briefings schema' to update it")


def _sorted(problems: tuple[Problem, ...], config_dir: Path) -> tuple[Problem, ...]:
    """By file and line, the settings' and registries' first: a mistake there can cause others."""
    settings = str(config_dir).rstrip("/") + "/"
    return tuple(sorted(problems, key=lambda p: (not p.path.startswith(settings), p.path, p.line or 0)))
