"""A killed build or server leaves nothing running: its forked workers end with it.

A worker left behind would wait forever for work that will not come, holding the
build's output open, so a CI step or ``briefings build | tee log`` would never end.
These tests start real builds of an archive big enough to fork
(``parallel.WORTH_FORKING``), kill them while they render, and wait for the end
of their output and of every process they started.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from generator import parallel, synthetic
from generator.serve import STOP_S

from conftest import MKDOCS_YML, REPO, Project, make_project

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or parallel.usable_cores() < 2, reason="forks workers only with two cores; reads /proc"
)

# How long a killed build's processes and output may outlive it: a server may give its
# threads STOP_S to stop, then ends whether they have or not.
GRACE_S = STOP_S + 5


def _session(leader: int) -> list[tuple[int, str]]:
    """The live processes of the session ``leader`` started (pid, command), zombies left out."""
    return [(pid, command) for pid, _, _, command in _processes(leader)]


def _processes(leader: int) -> list[tuple[int, int, int, str]]:
    """(pid, parent's pid, process group, command) of each live process in the session ``leader`` started."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
            command = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        state, parent, group, session = stat[stat.rindex(")") + 2 :].split()[:4]  # after "pid (name) "
        if int(session) == leader and state != "Z":
            found.append((int(name), int(parent), int(group), command.strip()))
    return found


def _start(*args: str | Path, cwd: Path) -> subprocess.Popen:
    """``briefings ARGS`` in a session of its own, its output (both streams) read by this test."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def _wait_until(ready, what: str, process: subprocess.Popen, timeout: float = 60) -> None:  # noqa: ANN001 - a predicate
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            pytest.fail(f"the process ended (exit {process.returncode}) before {what}: {process.stdout.read().decode()}")
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.005)


def _rendering(process: subprocess.Popen, cache: Path) -> bool:
    """Whether forked workers are at work in a first build, reading the entries or rendering the pages.

    The rendered pages are not saved yet (``outputs`` holds no file), and at least two
    children forked by the build are in its process group.
    """
    if any((cache / "outputs").glob("*")):
        return False
    children = [pid for pid, parent, group, _ in _processes(process.pid) if parent == group == process.pid]
    return len(children) >= 2


def _killed_leaves_nothing(process: subprocess.Popen, number: int) -> None:
    """Send ``number`` to the main process, then: its output ends, and so does every process of its session."""
    try:
        os.kill(process.pid, number)
        assert process.stdout is not None
        output = process.stdout.fileno()
        deadline = time.monotonic() + GRACE_S
        while time.monotonic() < deadline:  # read until the end of the output: no writer is left
            readable, _, _ = select.select([output], [], [], max(0.0, deadline - time.monotonic()))
            if readable and not os.read(output, 65536):
                break
        else:
            left = _session(process.pid)
            pytest.fail(f"the output did not end within {GRACE_S} s of the kill; still running: {left}")
        process.wait(GRACE_S)
        deadline = time.monotonic() + GRACE_S
        while (left := _session(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert left == []
    finally:
        for pid, _ in _session(process.pid):  # whatever the outcome, nothing stays running
            os.kill(pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    synthetic.generate(root, parallel.WORTH_FORKING + 400, seed=3)
    return root


@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGTERM], ids=["kill -9", "SIGTERM"])
def test_a_build_killed_while_it_renders_leaves_no_process_and_its_output_ends(
    big_archive: Path, tmp_path: Path, number: int
) -> None:
    cache = tmp_path / "cache"
    build = _start(
        "build", "--content", big_archive / "content", "--config", big_archive / "site_config",
        "--site-dir", tmp_path / "site", "--cache-dir", cache, "--mkdocs-config", MKDOCS_YML, cwd=REPO,
    )  # fmt: skip
    _wait_until(lambda: _rendering(build, cache), "the build rendered with forked workers", build)
    _killed_leaves_nothing(build, number)
    assert not (tmp_path / "site").exists()  # it never got as far as a site


@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGTERM], ids=["kill -9", "SIGTERM"])
def test_a_server_killed_while_it_builds_leaves_no_process_and_its_output_ends(
    big_archive: Path, tmp_path: Path, number: int
) -> None:
    cache = tmp_path / "cache"
    serve = _start(
        "serve", "--content", big_archive / "content", "--config", big_archive / "site_config", "--port", "0",
        "--site-dir", tmp_path / "site", "--cache-dir", cache, "--mkdocs-config", MKDOCS_YML, cwd=REPO,
    )  # fmt: skip
    _wait_until(lambda: _rendering(serve, cache), "the server's build rendered with forked workers", serve)
    _killed_leaves_nothing(serve, number)


# A program that forks as the build does, then waits to be killed: every kind of child
# parallel makes, one of them with a program of its own (as Pagefind runs).
FORKING = textwrap.dedent(
    """
    import subprocess, sys, time
    from generator import parallel

    if sys.argv[1] == "without the kernel's help":
        parallel._death_signal = lambda number: False  # as where there is no PR_SET_PDEATHSIG
    parallel.fork_work(lambda: subprocess.run(["sleep", "600"]), group=True)
    parallel.fork_work(lambda: time.sleep(600))
    parallel.fork_call(lambda: time.sleep(600))
    parallel.fork_map(lambda n: time.sleep(600), [1, 2])
    """
)


@pytest.mark.parametrize("how", ["with the kernel's help", "without the kernel's help"])
def test_every_kind_of_forked_child_ends_with_its_parent(tmp_path: Path, how: str) -> None:
    program = subprocess.Popen(
        [sys.executable, "-c", FORKING, how],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    # The parent, two workers, three forked children and the program one of them started.
    _wait_until(lambda: len(_session(program.pid)) == 7, "every child was forked", program, timeout=20)
    _killed_leaves_nothing(program, signal.SIGKILL)


def _left_beside(project: Project, temporary: Path) -> list[str]:
    """The staging folders beside the site, and the search index's work folders (tens of MB at
    20,000 entries) in the temporary folder."""
    return sorted([p.name for p in project.root.glob(".site.new-*")] + [p.name for p in temporary.glob("briefings-index-*")])


def _small_project(root: Path) -> Project:
    project = make_project(root)
    for hour in range(10, 20):
        project.entry(f"2022/03/03/at-{hour}.md", f"title: At {hour}\npublished: 2022-03-03T{hour}:00:00+02:00\ncities: [Kyiv]")
    return project


def _start_build(project: Project, temporary: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--content", project.content, "--config", project.config,
         "--site-dir", project.site, "--cache-dir", project.root / ".cache", "--mkdocs-config", MKDOCS_YML],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        start_new_session=True, env={**os.environ, "TMPDIR": str(temporary)},
    )  # fmt: skip


def _wait_gone(what, seconds: float = GRACE_S) -> list[str]:  # noqa: ANN001 - returns what is left
    """Wait for ``what()`` to be empty (folders are deleted in the background); what is left."""
    deadline = time.monotonic() + seconds
    while (left := what()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def test_the_next_build_removes_the_folders_a_killed_build_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _small_project(tmp_path / "project")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    build = _start_build(project, temporary)
    # Killed while MkDocs writes the staging folder, with the search index made in a temporary folder.
    _wait_until(lambda: list(project.root.glob(".site.new-*")), "the build made its staging folder", build)
    build.kill()
    build.wait()
    # Its forked children hold the folders' locks until the kernel has ended them too.
    assert _wait_gone(lambda: _session(build.pid)) == []
    assert [name.rsplit("-", 1)[0] for name in _left_beside(project, temporary)] == [".site.new", "briefings-index"]
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    result = project.build()
    assert result.code == 0, result.err
    assert _wait_gone(lambda: _left_beside(project, temporary)) == []


def test_a_build_never_removes_the_folders_of_a_build_still_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _small_project(tmp_path / "project")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    first = _start_build(project, temporary)
    _wait_until(lambda: list(project.root.glob(".site.new-*")), "the first build made its staging folder", first)
    os.kill(first.pid, signal.SIGSTOP)  # still running, however long it takes
    try:
        running = _left_beside(project, temporary)
        monkeypatch.setattr(tempfile, "tempdir", str(temporary))
        assert project.build().code == 0
        assert set(running) <= set(_left_beside(project, temporary))
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert first.wait(60) == 0
    assert _wait_gone(lambda: _left_beside(project, temporary)) == []
    assert project.page("2022/03/03/").xpath("//h1")
