"""The same update saved twice: two files with the same title and body, or the same body and time.

Both would be published, one under the other. The later file (by path) is told of
the earlier, so the pair is reported once, whichever of the two a check names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Collection, Iterable

from . import entry_template


@dataclass(frozen=True)
class Update:
    """What decides whether two files hold the same update."""

    path: str
    title: str  # white space made single spaces
    published: datetime | None
    body: str  # white space made single spaces


def body_key(body: str) -> str:
    """What two bodies share when they are the same text: compared without their white space."""
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()


def counts(body: str) -> bool:
    """Whether a body can make two files one update: the placeholder of ``new`` cannot."""
    return entry_template.BODY_PLACEHOLDER not in body


@dataclass(frozen=True)
class Duplicate:
    """A file that repeats an earlier one, and what to tell its writer."""

    path: str
    message: str


def duplicates(updates: Iterable[Update], checked: Collection[str] = ()) -> list[Duplicate]:
    """Each file that repeats an earlier one: by path, the ``checked`` files last, so that a
    check of some files (a pull request's) tells of the copy it brings, on that file."""
    found: list[Duplicate] = []
    ordered = sorted((u for u in updates if counts(u.body)), key=lambda u: (u.body, u.path))
    for _, group in groupby(ordered, key=lambda u: u.body):
        earlier: list[Update] = []
        for update in sorted(group, key=lambda u: (u.path in checked, u.path)):
            for first in earlier:
                if first.title == update.title:
                    found.append(Duplicate(update.path, f"the same update as {first.path} (the same title and body): keep one of the two files"))
                    break
                if update.body and first.published is not None and first.published == update.published:
                    found.append(Duplicate(update.path, f"the same update as {first.path} (the same body and time): keep one of the two files"))
                    break
            earlier.append(update)
    return found
