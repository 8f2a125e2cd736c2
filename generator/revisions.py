"""Edits of published updates that say nothing of themselves (``check --since REV``).

A published update's text is part of the record: a reader who saw it must be able to
learn what changed, and when. An edit of an update's title or body that adds no
correction and leaves ``updated`` as it was changes the record silently. Each entry
file changed since a Git revision is compared with its version there, read with git
itself: an update published then (not a draft), edited since, must say so.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterator

from .entries import ENTRY_SUFFIX, SourceText
from .problems import BriefingsError, Problem, Severity
from .teaching import Listing, read_listing

SILENT_EDIT = (
    "this update was published before {since} and its text has changed since, but no correction says so: "
    "say what changed under 'corrections', or, for a change that corrects nothing (a typo), set 'updated' to now"
)


class RevisionError(BriefingsError):
    """The revision to compare with cannot be read: no git, no repository, no such revision."""


def silent_edits(content_dir: Path, since: str, only: set[str] | None = None) -> Iterator[Problem]:
    """A warning for each published update whose text changed since ``since`` without a word of it.

    ``only``: the files to look at (named as ``check`` names them); every changed one without it.
    """
    _git(content_dir, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}", what=f"unknown revision '{since}'")
    for name, was in sorted(_changed(content_dir, since).items()):
        shown = str(content_dir / name)
        if only is not None and shown not in only:
            continue
        before = _listing(shown, name, _old_text(content_dir, since, was))
        after = _listing(shown, name, _new_text(content_dir / name))
        if before is not None and after is not None and _silently_edited(before, after):
            line = after.title_line if _words(before.title) != _words(after.title) else _first_body_line(after)
            yield Problem(shown, line, Severity.WARNING, SILENT_EDIT.format(since=since))


def _changed(content_dir: Path, since: str) -> dict[str, str]:
    """The entry files changed since ``since``, each with its name then: a file moved (another
    day's folder, a new slug) is compared with the file it was, as git finds it."""
    fields = _git(content_dir, "diff", "--name-status", "-M", "--relative", "-z", since, "--", ".").split(b"\0")
    changed: dict[str, str] = {}
    index = 0
    while index < len(fields) - 1:
        status, names = fields[index].decode(), [f.decode("utf-8", "surrogateescape") for f in fields[index + 1 : index + 3]]
        moved = status.startswith(("R", "C"))
        was, name = (names[0], names[1]) if moved else (names[0], names[0])
        index += 3 if moved else 2
        if name.endswith(ENTRY_SUFFIX) and not status.startswith("D"):
            changed[name] = was
    return changed


def _silently_edited(before: Listing, after: Listing) -> bool:
    edited = (_words(before.title), _words(before.body)) != (_words(after.title), _words(after.body))
    said = after.corrections > before.corrections or after.updated != before.updated
    return not before.draft and edited and not said


def _first_body_line(listing: Listing) -> int:
    return listing.body_line + len(listing.body) - len(listing.body.lstrip("\n"))


def _words(text: str | None) -> str:
    """What a reader reads of it, as far as an edit goes: white space does not count."""
    return " ".join((text or "").split())


def _listing(shown: str, name: str, text: str | None) -> Listing | None:
    return None if text is None else read_listing(SourceText(shown, name, text.replace("\r\n", "\n")))


def _new_text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # deleted, or told of by the rest of the check


def _old_text(content_dir: Path, since: str, name: str) -> str | None:
    done = _run(content_dir, "show", f"{since}:./{name}")
    if done.returncode != 0:
        return None  # a new file: nothing was published from it
    try:
        return done.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _git(content_dir: Path, *args: str, what: str | None = None) -> bytes:
    done = _run(content_dir, *args)
    if done.returncode != 0:
        if _run(content_dir, "rev-parse", "--show-toplevel").returncode != 0:
            raise RevisionError(f"--since compares with a Git revision, but {content_dir} is not in a Git repository")
        raise RevisionError(what or done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def _run(content_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(content_dir), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("--since compares with a Git revision, and needs git, which was not found") from None
