"""Entry files are hashed again only when their signature says they may have changed."""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path

import pytest

from generator.cache import file_digests, storage
from generator.cache.file_digests import FileDigests


def _settled(path: Path, text: str) -> Path:
    """``text`` at ``path``, last changed long enough ago to be trusted."""
    path.write_text(text, "utf-8")
    return path


def _digest(digests: FileDigests, path: Path) -> str:
    """As a build does: the stored digest if the file is unchanged, else the file read and recorded."""
    found = digests.known(path)
    if found is None:
        found = file_digests.file_digest(path)
        digests.record(str(path), file_digests.signature(os.stat(path)), found)
    return found


def _run(folder: Path, paths: list[Path]) -> tuple[FileDigests, list[str]]:
    digests = FileDigests(folder, "v1")
    found = [_digest(digests, path) for path in paths]
    if digests.changed:
        digests.save()
    return digests, found


@pytest.fixture
def settled_now(monkeypatch: pytest.MonkeyPatch) -> None:
    # Files written by the test count as settled: as if each run started a minute later.
    monkeypatch.setattr(file_digests, "SETTLED_NS", -60 * 10**9)


def test_an_unchanged_file_is_not_read_again(tmp_path: Path, settled_now: None) -> None:
    paths = [_settled(tmp_path / f"{n}.md", f"entry {n}") for n in range(3)]
    first, digests = _run(tmp_path / "cache", paths)
    assert first.reads == 3 and digests[0] == hashlib.sha256(b"entry 0").hexdigest()
    again, same = _run(tmp_path / "cache", paths)
    assert (again.reads, again.changed, same) == (0, False, digests)


def test_a_rewrite_with_the_same_size_and_mtime_is_still_seen(tmp_path: Path, settled_now: None) -> None:
    path = _settled(tmp_path / "a.md", "entry A")
    _, (before,) = _run(tmp_path / "cache", [path])
    status = path.stat()
    time.sleep(0.02)
    path.write_text("entry B", "utf-8")  # same size
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # and the old modification time
    again, (after,) = _run(tmp_path / "cache", [path])
    assert again.reads == 1 and after == hashlib.sha256(b"entry B").hexdigest() != before


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(tmp_path: Path) -> None:
    path = _settled(tmp_path / "a.md", "entry")  # changed now: within SETTLED_NS of the run
    first, _ = _run(tmp_path / "cache", [path])
    again, _ = _run(tmp_path / "cache", [path])
    assert (first.reads, again.reads) == (1, 1)


def test_another_stamp_or_a_damaged_file_hashes_everything(tmp_path: Path, settled_now: None) -> None:
    path = _settled(tmp_path / "a.md", "entry")
    _run(tmp_path / "cache", [path])
    other = FileDigests(tmp_path / "cache", "v2")
    _digest(other, path)
    assert other.reads == 1
    (tmp_path / "cache" / FileDigests.FILE).write_bytes(b"damaged")
    damaged, _ = _run(tmp_path / "cache", [path])
    assert damaged.reads == 1


def test_a_first_build_records_the_digest_of_the_bytes_it_read(tmp_path: Path, settled_now: None) -> None:
    from conftest import make_project
    from generator.site import generate

    project = make_project(tmp_path)
    for n in range(3):
        project.entry(f"2022/03/0{n + 1}/e{n}.md", f"title: E{n}\npublished: 2022-03-0{n + 1}T10:00:00+02:00")
    generate(project.content, project.config, cache_dir=tmp_path / "cache")
    # The workers digest the bytes they read: each file is read once, and the digest is its bytes'.
    # Files are known by their place in the content folder, however the folder is named.
    (digests_file,) = (tmp_path / "cache").rglob(FileDigests.FILE)
    stamp = pickle.loads(storage.read_sealed(digests_file))[0]
    stored = FileDigests(digests_file.parent, stamp)
    paths = sorted(project.content.rglob("*.md"))
    places = [path.relative_to(project.content).as_posix() for path in paths]
    assert [stored.known(path, place) for path, place in zip(paths, places)] == [
        hashlib.sha256(path.read_bytes()).hexdigest() for path in paths
    ]
    assert stored.known(paths[0]) is None  # not known by its path
    assert stored.known(tmp_path / "not-there.md", places[0]) is None


def test_a_file_that_cannot_be_read_is_reported_by_name(tmp_path: Path) -> None:
    from generator.entries import read_source
    from generator.problems import ProblemLog

    log = ProblemLog()
    assert read_source(tmp_path / "gone.md", tmp_path, log) is None
    assert [problem.format() for problem in log.problems] == [f"{tmp_path / 'gone.md'}: error: could not be read: No such file or directory"]


def test_signatures_compared_ahead_in_a_child_give_the_same_answers(
    tmp_path: Path, settled_now: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_digests, "WORTH_FORKING", 1)
    paths = [_settled(tmp_path / f"{n}.md", f"entry {n}") for n in range(4)]
    _, digests = _run(tmp_path / "cache", paths)
    paths[1].write_text("entry 1, longer now", "utf-8")
    paths[2].unlink()
    again = FileDigests(tmp_path / "cache", "v1")
    again.prefetch([(str(path), str(path)) for path in paths[:3]])  # the last one is asked about directly
    assert [again.known(path) for path in paths] == [digests[0], None, None, digests[3]]
    assert again._answered == {str(paths[0]): True, str(paths[1]): False, str(paths[2]): False}


def test_the_unchanged_prefetched_files_are_known_at_once(tmp_path: Path, settled_now: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_digests, "WORTH_FORKING", 1)
    paths = [_settled(tmp_path / f"{n}.md", f"entry {n}") for n in range(3)]
    _, digests = _run(tmp_path / "cache", paths)
    paths[1].write_text("entry 1, longer now", "utf-8")
    again = FileDigests(tmp_path / "cache", "v1")
    again.prefetch([(str(path), str(path)) for path in paths])
    assert again.unchanged() == {str(paths[0]): digests[0], str(paths[2]): digests[2]}
    assert again.changed  # the edited file is not known until it is read again
    assert FileDigests(tmp_path / "other", "v1").unchanged() == {}  # nothing prefetched
