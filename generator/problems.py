"""Problems found in content and configuration, and the typed error that carries them.

The library collects every problem of a run before it stops, so a contributor
sees all of them at once; only the CLI (and the MkDocs adapter) formats them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .wording import counted


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one file, optionally at one line."""

    path: str
    line: int | None
    severity: Severity = field(compare=False)
    message: str = field(compare=False)

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity.value}: {self.message}"


class ProblemLog:
    """Collects problems in the order they were found.

    Under ``strict`` every warning is recorded as an error: the PR check runs
    strict so that what is tolerated locally cannot be merged.
    """

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._items: list[Problem] = []

    def error(self, path: str, line: int | None, message: str) -> None:
        self._items.append(Problem(path, line, Severity.ERROR, message))

    def warning(self, path: str, line: int | None, message: str) -> None:
        severity = Severity.ERROR if self.strict else Severity.WARNING
        self._items.append(Problem(path, line, severity, message))

    def extend(self, problems: "ProblemLog") -> None:
        self._items.extend(problems._items)

    def replay(self, problems: "tuple[Problem, ...] | list[Problem]") -> None:
        """Record problems found elsewhere (a cache, a worker), promoting warnings under strict."""
        for p in problems:
            (self.error if p.severity is Severity.ERROR else self.warning)(p.path, p.line, p.message)

    @property
    def problems(self) -> tuple[Problem, ...]:
        # Sorted by file then line so output is stable whatever order files were read in.
        return tuple(sorted(self._items, key=lambda p: (p.path, p.line or 0)))

    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def error_count(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self._items)

    def __len__(self) -> int:
        return len(self._items)


class BriefingsError(Exception):
    """Base class of every error the library raises on purpose."""


class ContentError(BriefingsError):
    """Content or configuration is invalid; carries every problem found."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        errors = sum(p.severity is Severity.ERROR for p in problems)
        super().__init__(f"{counted(errors, 'error')} in content or configuration")

    def format(self) -> str:
        return "\n".join(p.format() for p in self.problems)


class OutputCollisionError(BriefingsError):
    """Two sources would write the same output path."""
