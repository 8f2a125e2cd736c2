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
from typing import Sequence

from . import schema_export
from .archive import build_archive
from .duplicates import counts, duplicates
from .entries import ENTRY_SUFFIX, MAX_FILE_BYTES, EntryReader, SourceText, find_content_files, read_source
from .names import slug_for
from .parallel import WORTH_FORKING, batches, fork_map
from .problems import ContentError, Problem, ProblemLog, Severity
from .registry import KINDS, load_registry
from .registry_audit import audit_registries
from .settings import load_settings
from .site import load_archive, warn_future
from .teaching import Listing, Teacher, listed_names, read_listing, used_names


@dataclass(frozen=True)
class CheckReport:
    """What a check that found no error has to say: warnings and what was checked."""

    problems: tuple[Problem, ...]
    entries: int
    days: int | None = None  # None when only some files were checked


def check_archive(content_dir: Path, config_dir: Path, *, strict: bool = False) -> CheckReport:
    """Check everything; raise ``ContentError`` with every problem if any is an error."""
    config_log = ProblemLog(strict=strict)
    _check_exported_schema(config_dir, config_log)
    audit_registries({kind: load_registry(config_dir, kind, ProblemLog()) for kind in KINDS}, config_dir, config_log)
    try:
        archive, problems = load_archive(content_dir, config_dir, strict=strict, teach=True)
    except ContentError as exc:
        raise ContentError(_sorted(exc.problems + config_log.problems)) from None
    problems = _sorted(problems + config_log.problems)
    if config_log.has_errors():
        raise ContentError(problems)
    return CheckReport(problems, len(archive.entries), len(archive.days))


def check_files(files: Sequence[Path], content_dir: Path, config_dir: Path, *, strict: bool = False) -> CheckReport:
    """Check ``files`` only, with the rest of the archive as context."""
    log = ProblemLog(strict=strict)
    settings = load_settings(config_dir, log)
    registries = {kind: load_registry(config_dir, kind, log) for kind in KINDS}
    if not content_dir.is_dir():
        log.error(str(content_dir), None, "content folder not found")
    targets = _targets(files, content_dir, log)
    if settings is None or not content_dir.is_dir():
        raise ContentError(log.problems)
    reader = EntryReader(settings, log, render=False)
    sources = [s for path in targets if (s := read_source(path, content_dir, log)) is not None]
    entries = [e for s in sources if (e := reader.read(s)) is not None]
    warn_future(entries, log)
    named = {str(path) for path in targets}  # as find_content_files names files
    others = [path for path in find_content_files(content_dir, ProblemLog()).entries if path not in named]
    # Anchors clash between entries of one day: those whose file names make the same one.
    quiet = EntryReader(settings, ProblemLog(), render=False)
    slugs = {_slug(str(path)) for path in targets}
    same_slug = [path for path in others if _slug(path) in slugs]
    neighbours = [e for s in _sources(content_dir, same_slug) if (e := quiet.read(s)) is not None]
    archive_log = ProblemLog(strict=strict)
    build_archive(entries + neighbours, registries, settings, archive_log)
    shown = {s.path for s in sources}
    _keep_problems_of(archive_log.problems, shown, log)
    listings = [listing for s in sources if (listing := read_listing(s)) is not None]

    def vocabulary() -> dict[str, set[str]]:  # read only to suggest a spelling for an unknown name
        return used_names(listings, (listed_names(s) for s in _sources(content_dir, others)))

    teacher = Teacher(registries, vocabulary, config_dir, log, settings)
    for listing in listings:
        teacher.teach(listing)
    _keep_problems_of(_duplicates_of(listings, content_dir, others), shown, log)
    if log.has_errors():
        raise ContentError(log.problems)
    return CheckReport(log.problems, len(entries))


def _targets(files: Sequence[Path], content_dir: Path, log: ProblemLog) -> list[Path]:
    """The named files as the full walk names them (content/...), each once; bad names reported."""
    root = os.path.abspath(content_dir)
    targets: list[Path] = []
    for file in files:
        shown = str(file)
        absolute = os.path.abspath(file)
        if os.path.commonpath([root, absolute]) != root:
            everything = "run 'briefings check' without file names to check everything"
            log.error(shown, None, f"not under {content_dir.as_posix()}/: {everything}")
        elif not os.path.lexists(file):
            log.error(shown, None, "file not found")
        elif os.path.islink(file):
            log.error(shown, None, "symbolic links are not allowed in content")
        elif not file.is_file() or not file.name.lower().endswith(ENTRY_SUFFIX):
            log.error(shown, None, f"not an entry: entry files end in '{ENTRY_SUFFIX}'")
        else:
            path = content_dir / os.path.relpath(absolute, root)
            if path not in targets:
                targets.append(path)
    return targets


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
    for path, message in duplicates(listing.update for listing in wanted + more):
        found_log.warning(path, None, message)
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


def _sorted(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0)))
