"""Reading entry files into entries, on both cores when there are many.

Parsing and rendering bodies is CPU-bound, so large archives are read by
forked worker processes (``parallel.fork_map``). What reading gives depends
only on a file's bytes, its place in the content folder, the time zone and the
code: ``cache.entry_cache`` keeps it between builds.
"""

from __future__ import annotations

from pathlib import Path

from .entries import ContentFile, EntryReader, SourceText, read_file, source_of
from .model import Entry
from . import progress
from .parallel import WORTH_FORKING, batches, fork_map
from .problems import Problem, ProblemLog
from .settings import Settings

Result = tuple[Entry | None, tuple[Problem, ...]]


def read_entries(paths: list[str], content_dir: Path, settings: Settings, log: ProblemLog) -> list[Entry]:
    """The entries of ``paths`` (as ``find_content_files`` names them) in order; every file's problems go to ``log``."""
    reader = EntryReader(settings, ProblemLog())

    def read_batch(batch: list[str]) -> list[Result]:
        return [read_one(reader, path, content_dir)[:2] for path in batch]

    entries = []
    reading = progress.stage("reading entries", len(paths))
    for batch in fork_map(read_batch, batches(paths), parallel=len(paths) >= WORTH_FORKING, each=lambda batch: reading.advance(len(batch))):
        for entry, problems in batch:
            log.replay(problems)
            if entry is not None:
                entries.append(entry)
    return entries




def read_for_check(
    paths: list[str], content_dir: Path, settings: Settings, log: ProblemLog
) -> tuple[list[Entry], list[SourceText]]:
    """Entries without rendered bodies (``briefings check`` builds nothing), and their texts."""
    reader = EntryReader(settings, ProblemLog(), render=False)

    def read_batch(batch: list[str]) -> list[tuple[Entry | None, tuple[Problem, ...], SourceText | None]]:
        return [_read_with_source(reader, path, content_dir) for path in batch]

    entries, sources = [], []
    for batch in fork_map(read_batch, batches(paths), parallel=len(paths) >= WORTH_FORKING):
        for entry, problems, source in batch:
            log.replay(problems)
            if source is not None:
                sources.append(source)
            if entry is not None:
                entries.append(entry)
    return entries, sources




def _read_with_source(
    reader: EntryReader, path: str, content_dir: Path
) -> tuple[Entry | None, tuple[Problem, ...], SourceText | None]:
    entry, problems, source, _ = read_one(reader, path, content_dir)
    return entry, problems, source


def read_one(
    reader: EntryReader, path: str, content_dir: Path
) -> tuple[Entry | None, tuple[Problem, ...], SourceText | None, ContentFile | None]:
    """The file's entry, its problems, its text and what was read (None where there is none)."""
    log = ProblemLog()
    reader.log = log
    file = read_file(path, log)
    source = None if file is None else source_of(file, content_dir, log)
    entry = None if source is None else reader.read(source)
    return entry, log.problems, source, file
