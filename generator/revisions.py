"""Edits of published updates that say nothing of themselves (``check --since REV``).

A published update is part of the record: a reader who saw it must be able to learn
what changed, and when. An edit of its title or body, or a move of its time, that adds
no correction and leaves ``updated`` as it was changes the record silently; so does a
correction taken back or rewritten, and an update deleted or made a draft, which takes
it off the site, its feeds and its data without a word. Each entry file changed since a
Git revision is compared with its version there, read with git itself.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .entries import ENTRY_SUFFIX, SourceText
from .problems import BriefingsError, Problem, Severity
from .teaching import Listing, read_listing

SILENT_EDIT = (
    "this update is already published (in {since}), and its text has changed, but no correction says so: "
    "say what changed under 'corrections', or, for a change that corrects nothing (a typo), set 'updated' to now"
)
# Taking an update off the site: readers, subscribers and the data lose it without a word.
_WITHDRAW = ("To withdraw it, keep it published: replace its text with a short note and say why under 'corrections' "
             "(CONTRIBUTING.md: Withdrawing an update)")  # fmt: skip
DELETED = "this update is already published (in {since}), and its file has been deleted: " + _WITHDRAW
DRAFTED = "this update is already published (in {since}), and is now a draft, which takes it off the site unannounced. " + _WITHDRAW
CORRECTION_CHANGED = (
    "the correction at {at}, already published (in {since}), has been removed or rewritten: a correction is part of "
    "the record; put it back as it was, and add a new one under it for what changed"
)
MOVED = (
    "this update is already published (in {since}) at {before}, and is now at {after}, but no correction says so: it "
    "moves {where}; say why under 'corrections'"
)
RENAMED = (
    "this update is already published (in {since}) as {was}: a new file name gives it another address and feed id, so "
    "links to it break and subscribers get it as a new item: keep its file name"
)


class RevisionError(BriefingsError):
    """The revision to compare with cannot be read: no git, no repository, no such revision."""


@dataclass(frozen=True)
class Change:
    """An entry file changed since the revision: its name then, and now (None: deleted)."""

    was: str
    now: str | None


def silent_edits(content_dir: Path, since: str, only: set[str] | None = None) -> Iterator[Problem]:
    """A warning for each change since ``since`` to a published update that says nothing of
    itself: its text edited, its time moved, a correction taken back, the update deleted or made a draft.

    ``only``: the files to look at (named as ``check`` names them); every changed one without it.
    """
    _git(content_dir, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}", what=f"unknown revision '{since}'")
    for change in sorted(_changed(content_dir, since), key=lambda change: change.now or change.was):
        shown = str(content_dir / (change.now or change.was))
        if only is not None and shown not in only:
            continue
        before = _listing(shown, change.was, _old_text(content_dir, since, change.was))
        if before is None or before.draft:
            continue  # new, unreadable then, or never published
        if change.now is None:
            yield Problem(shown, None, Severity.WARNING, DELETED.format(since=since))
            continue
        after = _listing(shown, change.now, _new_text(content_dir / change.now))
        if after is not None:
            yield from (Problem(shown, line, Severity.WARNING, message) for line, message in _unsaid(before, after, since))
        if change.now != change.was and _slug(change.now) != _slug(change.was):
            yield Problem(shown, None, Severity.WARNING, RENAMED.format(since=since, was=change.was))


def _unsaid(before: Listing, after: Listing, since: str) -> Iterator[tuple[int | None, str]]:
    """The line and message of each change from ``before`` to ``after`` that the update does not own up to."""
    if after.draft:
        yield after.draft_line, DRAFTED.format(since=since)
        return
    kept = {(c.at, _words(c.text)) for c in after.corrections}
    for correction in before.corrections:
        if (correction.at, _words(correction.text)) not in kept:
            yield after.corrections_line or after.closing_line, CORRECTION_CHANGED.format(at=correction.at, since=since)
    said = len(after.corrections) > len(before.corrections) or after.updated != before.updated
    if said:
        return
    if (_words(before.title), _words(before.body)) != (_words(after.title), _words(after.body)):
        line = after.title_line if _words(before.title) != _words(after.title) else _first_body_line(after)
        yield line, SILENT_EDIT.format(since=since)
    if before.published and after.published and before.published != after.published:
        same_day = before.published.date() == after.published.astimezone(before.published.tzinfo).date()
        where = "on its day's page" if same_day else "to another day's page, with another address and feed id"
        yield after.published_line, MOVED.format(since=since, before=before.published.isoformat(),
                                                 after=after.published.isoformat(), where=where)  # fmt: skip


def _changed(content_dir: Path, since: str) -> list[Change]:
    """The entry files changed since ``since``: a file moved (another day's folder, a new
    slug) is compared with the file it was, as git finds it."""
    fields = _git(content_dir, "diff", "--name-status", "-M", "--relative", "-z", since, "--", ".").split(b"\0")
    changed = []
    index = 0
    while index < len(fields) - 1:
        status, names = fields[index].decode(), [f.decode("utf-8", "surrogateescape") for f in fields[index + 1 : index + 3]]
        moved = status.startswith(("R", "C"))
        was, name = (names[0], names[1]) if moved else (names[0], names[0])
        index += 3 if moved else 2
        if status.startswith("D") and was.endswith(ENTRY_SUFFIX):
            changed.append(Change(was, None))
        elif name.endswith(ENTRY_SUFFIX):
            changed.append(Change(was, name))
    return changed


def _slug(name: str) -> str:
    """A file's slug, its anchor on its day page: moving it to another day's folder keeps it."""
    return name.rpartition("/")[2]


def _first_body_line(listing: Listing) -> int:
    return listing.body_line + len(listing.body) - len(listing.body.lstrip("\n"))


def _words(text: str | None) -> str:
    """What a reader reads of it, as far as an edit goes: white space does not count, nor
    comments (the "<!-- in passing -->" that check asks for after a name)."""
    return " ".join(_COMMENT.sub(" ", text or "").split())


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


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
