"""What an import did, source by source: the command line prints it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import SourceError
from .suggestions import Suggestion
from .update import Skipped


@dataclass(frozen=True)
class Change:
    """An entry file written or withdrawn (paths relative to the content folder)."""

    rel_path: str
    moved_from: str = ""  # an edit upstream moved the update to another day
    reason: str = ""  # why an entry was withdrawn


@dataclass(frozen=True)
class Conflict:
    """An entry edited here whose update was also edited upstream since it was imported: left as it is."""

    place: str  # where the source holds the update ("entries[3]")
    rel_path: str  # the entry's file, as the report names it
    keep: str  # the value of the ``digest`` line that keeps the file as edited here, the conflict settled


@dataclass(frozen=True)
class SourceReport:
    label: str  # the SOURCE as given (a URL without secrets)
    formats: tuple[str, ...] = ()
    live_blogs: tuple[str, ...] = ()
    new: tuple[Change, ...] = ()
    updated: tuple[Change, ...] = ()
    unchanged: int = 0
    withdrawn: tuple[Change, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    errors: tuple[SourceError, ...] = ()
    warnings: tuple[str, ...] = ()
    merged: int = 0  # versions of an update from several captures, merged into one
    conflicts: tuple[Conflict, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.errors)


@dataclass(frozen=True)
class ImportReport:
    sources: tuple[SourceReport, ...]
    suggestions: tuple[Suggestion, ...] = ()
    warnings: tuple[str, ...] = ()  # about the content folder itself
    dry_run: bool = False
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> tuple[SourceReport, ...]:
        return tuple(s for s in self.sources if s.failed)


def totals_of(sources: tuple[SourceReport, ...]) -> dict[str, int]:
    return {
        "new": sum(len(s.new) for s in sources),
        "updated": sum(len(s.updated) for s in sources),
        "unchanged": sum(s.unchanged for s in sources),
        "withdrawn": sum(len(s.withdrawn) for s in sources),
        "skipped": sum(len(s.skipped) for s in sources),
        "conflicts": sum(len(s.conflicts) for s in sources),
    }
