"""Files the build keeps: atomic writes and hard-linked copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import storage


def test_write_atomically_replaces_the_whole_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "entries.pickle"
    storage.write_atomically(target, b"first")
    storage.write_atomically(target, b"second")
    assert target.read_bytes() == b"second" and os.listdir(target.parent) == ["entries.pickle"]


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "pages.json"
    storage.write_atomically(target, b"{}")

    def refuse(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        storage.write_atomically(target, b'{"half": ')
    assert target.read_bytes() == b"{}" and os.listdir(tmp_path) == ["pages.json"]


def test_link_tree_shares_the_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.txt").write_text("x")
    storage.link_tree(tmp_path / "a", tmp_path / "copy")
    assert (tmp_path / "copy" / "b" / "f.txt").read_text() == "x"
    assert os.path.samefile(tmp_path / "a" / "b" / "f.txt", tmp_path / "copy" / "b" / "f.txt")
