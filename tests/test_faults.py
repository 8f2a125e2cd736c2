"""Faults a build must survive: damaged caches, a full disk, stray files, odd modes.

A cache is a hint, never a source of truth: one that cannot be read is rebuilt
with a warning, never a failure, and what a build publishes is what a clean build
publishes. A build that cannot write the site says what and why in one line and
leaves the published site as it was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import Project


def _modes(site: Path) -> set[tuple[str, str]]:
    """The modes found in ``site``, the folder itself included, as ("folder", "0o755") pairs."""
    return {("folder" if path.is_dir() else "file", oct(stat.S_IMODE(path.lstat().st_mode))) for path in [site, *site.rglob("*")]}


@pytest.fixture
def usual_umask() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_web_server_running_as_another_user_can_read_every_folder_and_file(project: Project, usual_umask: object) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    assert project.build().code == 0
    assert _modes(project.site) == {("folder", "0o755"), ("file", "0o644")}
    project.site.chmod(0o700)  # as earlier versions left it; it becomes the spare the next builds build into
    assert project.build().code == 0
    assert project.build().code == 0
    assert _modes(project.site) == {("folder", "0o755"), ("file", "0o644")}
    assert project.build("--clean").code == 0
    assert _modes(project.site) == {("folder", "0o755"), ("file", "0o644")}
