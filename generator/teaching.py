"""Checks that teach: unknown names with a did-you-mean, unlisted mentions, leftover placeholders.

They run in ``briefings check`` only, after the reader has checked each file, so
a file whose front matter could not be read is skipped here: its problems are
already reported. Under ``--strict`` (the PR check) each of these is an error,
so new names enter the registries on purpose rather than by a typo.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

import frontmatter
import yaml

from . import entry_template, yamlsafe
from .entries import SourceText
from .mentions import MentionFinder
from .parallel import WORTH_FORKING, batches, fork_map
from .problems import Problem, ProblemLog
from .registry import KINDS, REGISTRY_FILES, Registry
from .suggest import candidates_from, closest

FIELDS = {"city": "cities", "person": "people"}

_FM = frontmatter.YAMLHandler()
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Listing:
    """What one entry file names in its front matter (with lines) and its body."""

    path: str
    names: dict[str, tuple[tuple[str, int | None], ...]]  # kind -> (name, line) pairs
    body: str
    body_line: int


def read_listing(source: SourceText) -> Listing | None:
    """The names and body of a source, or None when its front matter cannot be read."""
    text = source.text
    if not _FM.detect(text):
        return None
    try:
        fm, body = _FM.split(text)
        # The split keeps the newline after the opening '---', so the text starts on line 1.
        document = yamlsafe.load(fm, first_line=1)
    except (ValueError, yamlsafe.YamlError):
        return None
    if not isinstance(document.data, dict):
        return None
    names = {kind: tuple(_names(document, FIELDS[kind])) for kind in KINDS}
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return Listing(source.path, names, body, body_line)


def _names(document: yamlsafe.Document, field: str) -> Iterable[tuple[str, int | None]]:
    values = document.data.get(field)
    if not isinstance(values, list):
        return
    for index, value in enumerate(values):
        if isinstance(value, str) and value.strip():
            yield value, document.line_of((field, index))


def listed_names(source: SourceText) -> dict[str, list[str]]:
    """Just the names a source lists, read fast: for the archive around the files being checked.

    The C loader without line tracking is many times faster than ``read_listing``;
    only top-level lists of text are taken, so no YAML trick reaches the checks.
    """
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    if not _FM.detect(source.text):
        return found
    try:
        fm, _ = _FM.split(source.text)
        data = yaml.load(fm, Loader=_FAST_LOADER)
    except (ValueError, yaml.YAMLError):
        return found
    if isinstance(data, dict):
        for kind in KINDS:
            values = data.get(FIELDS[kind])
            if isinstance(values, list):
                found[kind] = [v for v in values if isinstance(v, str) and v.strip()]
    return found


def used_names(listings: Iterable[Listing], more: Iterable[dict[str, list[str]]] = ()) -> dict[str, set[str]]:
    """Every name of each kind that some entry lists: the archive's own vocabulary."""
    used: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for listing in listings:
        for kind in KINDS:
            used[kind].update(" ".join(name.split()) for name, _ in listing.names[kind])
    for names in more:
        for kind in KINDS:
            used[kind].update(" ".join(name.split()) for name in names[kind])
    return used


def unknown_name_message(kind: str, name: str, suggestion: str | None, config_dir: Path) -> str:
    registry_file = (config_dir / REGISTRY_FILES[kind]).as_posix()
    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
    return f"unknown {kind} '{' '.join(name.split())}': add it to {registry_file}{hint}"


class Teacher:
    """Runs every teaching check on listings, against the registries and the archive's names."""

    def __init__(
        self,
        registries: dict[str, Registry],
        used: Callable[[], dict[str, set[str]]],
        config_dir: Path,
        log: ProblemLog,
    ) -> None:
        self.registries = registries
        self.config_dir = config_dir
        self.log = log
        self.finders = {kind: MentionFinder(registries[kind]) for kind in KINDS}
        # The archive's names are needed only to suggest a spelling for an unknown name:
        # ``used`` is called then, so checking a correct file never gathers them.
        self._used = used

    @cached_property
    def candidates(self) -> dict[str, object]:
        used = self._used()
        return {kind: candidates_from(spellings(self.registries[kind]), used[kind]) for kind in KINDS}

    def suggest(self, kind: str, name: str) -> str | None:
        return closest(name, self.candidates[kind])

    def teach(self, listing: Listing) -> None:
        for kind in KINDS:
            self._unknown_names(listing, kind)
            self._unlisted_mentions(listing, kind)
        self._placeholder(listing)

    def _unknown_names(self, listing: Listing, kind: str) -> None:
        for name, line in listing.names[kind]:
            if self.registries[kind].resolve(name) is None:
                message = unknown_name_message(kind, name, self.suggest(kind, name), self.config_dir)
                self.log.warning(listing.path, line, message)

    def _unlisted_mentions(self, listing: Listing, kind: str) -> None:
        listed = [name for name, _ in listing.names[kind]]
        for mention in self.finders[kind].unlisted(listed, listing.body, listing.body_line):
            shown = mention.entry.name
            if mention.written != shown:
                shown = f"{shown} (as '{mention.written}')"
            self.log.warning(listing.path, mention.line, f"{shown} is mentioned but not listed in '{FIELDS[kind]}'")

    def _placeholder(self, listing: Listing) -> None:
        for number, line in enumerate(listing.body.split("\n"), start=listing.body_line):
            if entry_template.BODY_PLACEHOLDER in line:
                message = "the body still has the placeholder from 'briefings new': write the update there"
                self.log.warning(listing.path, number, message)
                return


def spellings(registry: Registry) -> Iterable[tuple[str, str]]:
    """Every registry spelling with the canonical name it stands for."""
    for entry in registry.entries:
        for spelling in (entry.name, *entry.aliases):
            yield spelling, entry.name


def teach_archive(
    sources: Iterable[SourceText], registries: dict[str, Registry], config_dir: Path, log: ProblemLog
) -> None:
    """Teach on every source, with the whole set as the archive's vocabulary."""
    sources = list(sources)
    parallel = len(sources) >= WORTH_FORKING

    def list_batch(batch: list[SourceText]) -> list[Listing]:
        return [listing for source in batch if (listing := read_listing(source)) is not None]

    listings = [listing for batch in fork_map(list_batch, batches(sources), parallel=parallel) for listing in batch]
    teacher = Teacher(registries, lambda: used_names(listings), config_dir, log)

    def teach_batch(batch: list[Listing]) -> tuple[Problem, ...]:
        teacher.log = ProblemLog()  # this batch's own; replayed below, where --strict applies
        for listing in batch:
            teacher.teach(listing)
        return teacher.log.problems

    for problems in fork_map(teach_batch, batches(listings), parallel=parallel):
        log.replay(problems)
