"""`check --since REV`: an update published at REV whose text changed since must say so."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import Project, make_project

DAY = "2022/03/03"
PUBLISHED = "published: 2022-03-03T10:00:00+02:00"
SAY = (
    "warning: this update is already published (in HEAD), and its text has changed, but no correction says so: "
    "say what changed under 'corrections', or, for a change that corrects nothing (a typo), set 'updated' to now"
)


def git(project: Project, *args: str) -> None:
    subprocess.run(["git", "-C", str(project.root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Project:
    project = make_project(tmp_path)
    project.entry(f"{DAY}/blasts.md", f"title: Blasts heard in Kyiv\n{PUBLISHED}", "Twelve people were hurt.")
    project.entry(f"{DAY}/talks.md", f"title: Talks resume\n{PUBLISHED}", "Delegations met in Belarus.")
    project.entry(f"{DAY}/draft.md", f"title: Unconfirmed\n{PUBLISHED}\ndraft: true", "Reports of a strike.")
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=Desk", "-c", "user.email=desk@example.org", "add", ".")
    git(project, "-c", "user.name=Desk", "-c", "user.email=desk@example.org", "commit", "-q", "-m", "Publish")
    return project


def check(project: Project, *args: str):
    return project.check("--since", "HEAD", *args)


def test_an_edit_that_says_nothing_is_told_at_the_body(repo: Project) -> None:
    repo.entry(f"{DAY}/blasts.md", f"title: Blasts heard in Kyiv\n{PUBLISHED}", "Twenty-one people were hurt.")
    result = check(repo)
    assert result.code == 0
    assert result.lines == [f"{repo.content}/{DAY}/blasts.md:5: {SAY}"]
    assert check(repo, "--strict").code == 1


def test_a_new_title_is_told_at_the_title(repo: Project) -> None:
    repo.entry(f"{DAY}/talks.md", f"title: Talks resume in Belarus\n{PUBLISHED}", "Delegations met in Belarus.")
    assert check(repo).lines == [f"{repo.content}/{DAY}/talks.md:2: {SAY}"]


@pytest.mark.parametrize(
    ("front", "body"),
    [
        # A correction says what changed, and when.
        (f"{PUBLISHED}\ncorrections:\n  - at: 2022-03-03T12:00:00+02:00\n    text: The toll was 21, not 12.", "Twenty-one people were hurt."),
        # A typo fixed: the update says when it was last changed.
        (f"{PUBLISHED}\nupdated: 2022-03-03T12:00:00+02:00", "Twelve people were hurt"),
        # Lines wrapped otherwise: a reader reads the same words.
        (PUBLISHED, "Twelve people\nwere hurt."),
        # A mark that check asks for, which no reader sees.
        (PUBLISHED, "Twelve people<!-- in passing --> were hurt."),
    ],
    ids=["a-correction", "updated-set", "white-space-only", "a-comment"],
)
def test_an_edit_that_says_so_or_changes_no_word_is_fine(repo: Project, front: str, body: str) -> None:
    repo.entry(f"{DAY}/blasts.md", f"title: Blasts heard in Kyiv\n{front}", body)
    assert check(repo).lines == []


def test_a_moved_file_is_compared_with_the_file_it_was(repo: Project) -> None:
    # Renamed (a slug fixed, or filed under another day): still the update readers saw.
    (repo.content / DAY / "blasts.md").unlink()
    repo.entry(f"{DAY}/blasts-in-kyiv.md", f"title: Blasts heard in Kyiv\n{PUBLISHED}", "Twenty-one people were hurt.")
    git(repo, "add", "-A")  # as a pull request's commit holds it: git tells a move from a new file
    renamed = check(repo).lines
    assert renamed[1:] == [f"{repo.content}/{DAY}/blasts-in-kyiv.md:5: {SAY}"]
    assert "already published (in HEAD) as 2022/03/03/blasts.md: a new file name" in renamed[0]


def test_a_published_update_s_file_renamed_is_told(repo: Project) -> None:
    (repo.content / DAY / "talks.md").rename(repo.content / DAY / "talks-in-belarus.md")
    git(repo, "add", "-A")
    assert check(repo).lines == [
        f"{repo.content}/{DAY}/talks-in-belarus.md: warning: this update is already published (in HEAD) as {DAY}/talks.md: "
        "a new file name gives it another address and feed id, so links to it break and subscribers get it as a new "
        "item: keep its file name"
    ]


def test_drafts_and_new_files_were_never_published(repo: Project) -> None:
    repo.entry(f"{DAY}/draft.md", f"title: Strike confirmed\n{PUBLISHED}", "A strike was confirmed.")
    repo.entry(f"{DAY}/new.md", f"title: New\n{PUBLISHED}", "A new update.")
    assert check(repo).lines == []


def test_only_the_files_named_are_looked_at(repo: Project) -> None:
    repo.entry(f"{DAY}/blasts.md", f"title: Blasts heard in Kyiv\n{PUBLISHED}", "Twenty-one people were hurt.")
    repo.entry(f"{DAY}/talks.md", f"title: Talks resume\n{PUBLISHED}", "Delegations met in Poland.")
    result = check(repo, str(repo.content / DAY / "talks.md"))
    assert result.lines == [f"{repo.content}/{DAY}/talks.md:5: {SAY}"]


def test_an_unknown_revision_is_one_clear_error(repo: Project) -> None:
    result = repo.check("--since", "nope")
    assert (result.code, result.err) == (2, "briefings: error: unknown revision 'nope'\n")


def test_a_folder_outside_git_is_one_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = project.check("--since", "HEAD")
    assert result.code == 2
    assert result.err == f"briefings: error: --since compares with a Git revision, but {project.content} is not in a Git repository\n"


# Taking an update off the site, moving it, taking a correction back


WITHDRAW = ("To withdraw it, keep it published: replace its text with a short note and say why under 'corrections' "
            "(CONTRIBUTING.md: Withdrawing an update)")  # fmt: skip
CORRECTED = f"{PUBLISHED}\ncorrections:\n  - at: 2022-03-03T12:00:00+02:00\n    text: The toll was 12, not 21."


def test_a_published_update_deleted_is_told(repo: Project) -> None:
    (repo.content / DAY / "talks.md").unlink()
    (repo.content / DAY / "draft.md").unlink()  # never published: nothing to tell
    assert check(repo).lines == [
        f"{repo.content}/{DAY}/talks.md: warning: this update is already published (in HEAD), and its file has been deleted: {WITHDRAW}"
    ]


def test_a_published_update_made_a_draft_is_told_at_its_draft_line(repo: Project) -> None:
    repo.entry(f"{DAY}/talks.md", f"title: Talks resume\n{PUBLISHED}\ndraft: true", "Delegations met in Belarus.")
    assert check(repo).lines == [
        f"{repo.content}/{DAY}/talks.md:4: warning: this update is already published (in HEAD), and is now a draft, which takes "
        f"it off the site unannounced. {WITHDRAW}"
    ]


def test_a_correction_removed_or_rewritten_is_told_at_the_corrections(repo: Project) -> None:
    repo.entry(f"{DAY}/blasts.md", f"title: Blasts heard in Kyiv\n{CORRECTED}", "Twelve people were hurt.")
    git(repo, "commit", "-qam", "Correct")
    rewritten = CORRECTED.replace("The toll was 12, not 21.", "A typo was fixed.")
    repo.entry(f"{DAY}/blasts.md", f"title: Blasts heard in Kyiv\n{rewritten}", "Twelve people were hurt.")
    expected = (f"{repo.content}/{DAY}/blasts.md:4: warning: the correction at 2022-03-03T12:00:00+02:00, already published "
                "(in HEAD), has been removed or rewritten: a correction is part of the record; put it back as it was, and add "
                "a new one under it for what changed")  # fmt: skip
    assert check(repo).lines == [expected]
    repo.entry(f"{DAY}/blasts.md", f"title: Blasts heard in Kyiv\n{PUBLISHED}", "Twelve people were hurt.")  # removed
    assert check(repo).lines == [expected]  # at the end of the front matter that held them


@pytest.mark.parametrize(
    ("now", "where"),
    [("2022-03-03T11:00:00+02:00", "on its day's page"),
     ("2022-03-04T10:00:00+02:00", "to another day's page, with another address and feed id")],
)  # fmt: skip
def test_a_time_moved_with_no_correction_is_told_at_published(repo: Project, now: str, where: str) -> None:
    repo.entry(f"{DAY}/talks.md", f"title: Talks resume\npublished: {now}", "Delegations met in Belarus.")
    assert [line for line in check(repo).lines if "(in HEAD)" in line] == [
        f"{repo.content}/{DAY}/talks.md:3: warning: this update is already published (in HEAD) at 2022-03-03T10:00:00+02:00, "
        f"and is now at {now}, but no correction says so: it moves {where}; say why under 'corrections'"
    ]
    said = "corrections:\n  - at: 2022-03-05T12:00:00+02:00\n    text: The talks' time was wrong."
    repo.entry(f"{DAY}/talks.md", f"title: Talks resume\npublished: {now}\n{said}", "Delegations met in Belarus.")
    assert [line for line in check(repo).lines if ": error: " in line or "(in HEAD)" in line] == []
