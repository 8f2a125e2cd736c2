"""The ``check`` command: the whole archive, or a few files with the archive as context.

Checking a few files (what the pre-commit hook does) reads those files fully and
the other entries of their folders, for anchor clashes; only when a name is
unknown does it read the front matter of the rest, for the names the archive
already uses (the did-you-mean). So checking a good file stays fast however large
the archive grows. Problems are reported for the named files only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from . import schema_export
from .archive import build_archive
from .entries import ENTRY_SUFFIX, EntryReader, SourceText, find_entry_files, is_entry_name, read_source
from .problems import ContentError, Problem, ProblemLog, Severity
from .registry import KINDS, load_registry
from .settings import load_settings
from .site import load_archive
from .teaching import Teacher, listed_names, read_listing, used_names


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
    # Anchor clashes are between entries of one day, so the targets' folders are enough.
    quiet = EntryReader(settings, ProblemLog(), render=False)
    neighbours = [e for s in _neighbours(content_dir, targets) if (e := quiet.read(s)) is not None]
    archive_log = ProblemLog(strict=strict)
    build_archive(entries + neighbours, registries, settings, archive_log)
    _keep_problems_of(archive_log, {s.path for s in sources}, log)
    listings = [listing for s in sources if (listing := read_listing(s)) is not None]

    def vocabulary() -> dict[str, set[str]]:  # read only to suggest a spelling for an unknown name
        return used_names(listings, (listed_names(s) for s in _context(content_dir, set(targets))))

    teacher = Teacher(registries, vocabulary, config_dir, log)
    for listing in listings:
        teacher.teach(listing)
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


def _neighbours(content_dir: Path, targets: list[Path]) -> list[SourceText]:
    """The other entries in the targets' folders; their own problems are not this check's business."""
    quiet = ProblemLog()
    folders = sorted({path.parent for path in targets})
    others = [
        path
        for folder in folders
        for path in sorted(folder.iterdir())
        if is_entry_name(path.name) and path.is_file() and not path.is_symlink() and path not in targets
    ]  # fmt: skip
    return [source for path in others if (source := read_source(path, content_dir, quiet)) is not None]


def _context(content_dir: Path, targets: set[Path]) -> list[SourceText]:
    """Every other entry's text; their own problems are not this check's business."""
    quiet = ProblemLog()
    others = [path for path in find_entry_files(content_dir, quiet) if path not in targets]
    return [source for path in others if (source := read_source(path, content_dir, quiet)) is not None]


def _keep_problems_of(source: ProblemLog, paths: set[str], log: ProblemLog) -> None:
    """Problems of the named files, and those of a neighbour that name one (a clash is told once)."""
    for problem in source.problems:
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
