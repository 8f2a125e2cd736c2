"""Both cores: forked workers read and render exactly what one process would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import outputs, parallel, reading, synthetic
from generator.cache import entry_cache
from generator.site import generate


def _generate(corpus: Path, cache: Path | None, *, forked: bool, monkeypatch: pytest.MonkeyPatch):
    threshold = 0 if forked else 10**9
    monkeypatch.setattr(reading, "WORTH_FORKING", threshold)
    monkeypatch.setattr(entry_cache, "WORTH_FORKING", threshold)
    monkeypatch.setattr(outputs, "WORTH_FORKING", threshold)
    return generate(corpus / "content", corpus / "site_config", cache_dir=cache)


def test_forked_workers_build_what_one_process_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synthetic.generate(tmp_path, 120, seed=5)
    forked = _generate(tmp_path, tmp_path / "forked-cache", forked=True, monkeypatch=monkeypatch)
    alone = _generate(tmp_path, tmp_path / "cache", forked=False, monkeypatch=monkeypatch)
    assert [(p.url, p.html) for p in forked.pages] == [(p.url, p.html) for p in alone.pages]
    assert forked.files == alone.files
    # Each page group and feed is counted once.
    assert forked.fresh == alone.fresh and len(set(forked.fresh)) == len(forked.fresh)


def test_what_workers_render_is_cached_for_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synthetic.generate(tmp_path, 120, seed=5)
    cache = tmp_path / "cache"
    _generate(tmp_path, cache, forked=True, monkeypatch=monkeypatch)
    assert _generate(tmp_path, cache, forked=False, monkeypatch=monkeypatch).fresh == ()
    assert _generate(tmp_path, cache, forked=True, monkeypatch=monkeypatch).fresh == ()


def test_fork_map_keeps_order_and_runs_in_other_processes() -> None:
    parent = os.getpid()
    results = parallel.fork_map(lambda n: (n * n, os.getpid()), list(range(40)))
    assert [square for square, _ in results] == [n * n for n in range(40)]
    if parallel.usable_cores() > 1:
        assert parent not in {pid for _, pid in results}


def test_fork_map_can_stay_in_this_process() -> None:
    assert parallel.fork_map(lambda n: os.getpid(), [1, 2, 3], parallel=False) == [os.getpid()] * 3


def test_chunks_deal_round_robin() -> None:
    assert parallel.chunks(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert parallel.chunks([1], 8) == [[1]]


def test_check_reports_the_same_problems_from_forked_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import teaching
    from generator.problems import ContentError
    from generator.site import load_archive

    synthetic.generate(tmp_path, 120, seed=5)
    content = tmp_path / "content"
    city = next(iter(sorted(content.rglob("*.md")))).read_text("utf-8")
    (content / "2030").mkdir()
    (content / "2030" / "typo.md").write_text(city.replace("cities: [", "cities: [Kyivv, "), "utf-8")
    (content / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", "utf-8")

    def problems(forked: bool) -> list[str]:
        threshold = 0 if forked else 10**9
        monkeypatch.setattr(reading, "WORTH_FORKING", threshold)
        monkeypatch.setattr(teaching, "WORTH_FORKING", threshold)
        try:
            return [p.format() for p in load_archive(content, tmp_path / "site_config", teach=True)[1]]
        except ContentError as exc:
            return [p.format() for p in exc.problems]

    alone = problems(forked=False)
    assert any("Kyivv" in p for p in alone) and any("broken.md" in p for p in alone)
    assert problems(forked=True) == alone


def test_later_runs_at_once_outside_background_and_in_a_child_inside(tmp_path: Path) -> None:
    def note(name: str) -> None:
        (tmp_path / name).write_text(str(os.getpid()))

    parallel.later(lambda: note("now"), "now")
    assert (tmp_path / "now").read_text() == str(os.getpid())
    with parallel.background() as failures:
        parallel.later(lambda: note("later"), "later")
    # The block waited for the child, which was not this process.
    assert (tmp_path / "later").read_text() not in ("", str(os.getpid()))
    assert failures == []


def test_background_does_not_wait_for_its_children_once_interrupted(tmp_path: Path) -> None:
    import signal
    import time

    def linger() -> None:
        (tmp_path / "child").write_text(str(os.getpid()))
        time.sleep(60)

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with parallel.background():
            parallel.later(linger, "a slow cache")
            while not (tmp_path / "child").exists() or not (tmp_path / "child").read_text():
                time.sleep(0.01)
            raise KeyboardInterrupt  # Ctrl+C
    assert time.monotonic() - started < 30
    child = int((tmp_path / "child").read_text())
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)


def test_background_reports_what_failed_and_why(tmp_path: Path) -> None:
    def fail() -> None:
        raise OSError("No space left on device")

    with parallel.background() as failures:
        parallel.later(fail, "the cache")
        parallel.later(lambda: None, "another cache")
    assert failures == [("the cache", "No space left on device")]


def test_a_cache_that_cannot_be_saved_is_a_warning_not_a_failed_build(tmp_path: Path) -> None:
    from conftest import make_project

    project = make_project(tmp_path)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    cache = project.root / ".cache"
    cache.write_text("a file where the cache's folder goes")  # someone's: the build leaves it
    result = project.build()
    assert result.code == 0, result.err
    assert result.lines == [f"{cache}: warning: a file stands where this cache's folder should be; building without this cache"]
    assert (project.site / "2022/03/03/index.html").is_file()


def test_fork_work_runs_niced_in_a_child_and_says_why_it_failed(tmp_path: Path) -> None:
    def note() -> None:
        (tmp_path / "child").write_text(f"{os.getpid()} {os.nice(0)}")

    forked = parallel.fork_work(note, nice=5)
    assert forked is not None and forked.wait() is None
    pid, niceness = map(int, (tmp_path / "child").read_text().split())
    assert pid != os.getpid() and niceness == min(os.nice(0) + 5, 19)

    def fail() -> None:
        raise OSError("No space left on device")

    failing = parallel.fork_work(fail)
    assert failing is not None
    assert failing.wait() == "No space left on device"
    assert failing.wait() == "No space left on device"  # asked again: the same answer, no second wait
    failing.kill()  # an ended child: nothing to stop


def test_fork_call_brings_back_the_childs_result_or_works_it_out_here() -> None:
    from generator.parallel import fork_call

    parent = os.getpid()
    assert fork_call(lambda: (os.getpid() != parent, [1, 2]))() == (True, [1, 2])

    def fails_in_the_child() -> str:
        if os.getpid() != parent:
            raise RuntimeError("child")
        return "here"

    assert fork_call(fails_in_the_child)() == "here"



def _reader(corpus: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202 - read(forked=, cache=)
    """Reads the entries of ``corpus`` as a build does: ``read(forked=, cache=)`` gives them and the problems."""
    from generator.entries import find_content_files
    from generator.problems import ProblemLog
    from generator.settings import load_settings

    content = corpus / "content"
    settings = load_settings(corpus / "site_config", ProblemLog())
    assert settings is not None
    paths = find_content_files(content, ProblemLog()).entries

    def read(*, forked: bool, cache: Path | None) -> tuple[list, list[str]]:
        monkeypatch.setattr(reading, "WORTH_FORKING", 0 if forked else 10**9)
        monkeypatch.setattr(entry_cache, "WORTH_FORKING", 0 if forked else 10**9)
        log = ProblemLog()
        with parallel.background():  # as in a build: a cache that cannot be saved is not an error
            if cache is None:
                entries = reading.read_entries(paths, content, settings, log)
            else:
                opened = entry_cache.EntryCache.open(cache, settings, paths=paths, content_dir=content)
                entries = entry_cache.replay(paths, entry_cache.read_results(paths, content, settings, opened), log)
        return entries, [p.format() for p in log.problems]

    return read


def test_workers_write_the_empty_cache_buckets_they_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build's workers keep what they read in the cache themselves: the next build
    reads no file again though the build's own save of the entries did nothing."""
    from generator.cache import file_digests

    monkeypatch.setattr(file_digests, "SETTLED_NS", 0)  # files made just now count as left alone
    synthetic.generate(tmp_path, 60, seed=5)
    pipe = tmp_path / "content" / "2030-pipe.md"
    os.mkfifo(pipe)  # not a regular file: an error, and no result to keep
    read = _reader(tmp_path, monkeypatch)
    alone = read(forked=False, cache=None)
    assert any(pipe.name in p for p in alone[1])
    with monkeypatch.context() as saving:
        saving.setattr(entry_cache.EntryCache, "save", lambda self, keep: None)
        assert read(forked=True, cache=tmp_path / "cache") == alone
    read_again: list[str] = []
    digested = entry_cache._read_digested
    monkeypatch.setattr(entry_cache, "_read_digested", lambda reader, path, folder: read_again.append(path) or digested(reader, path, folder))
    assert read(forked=False, cache=tmp_path / "cache") == alone
    assert read_again == [str(pipe)]


def test_a_bucket_a_worker_cannot_write_is_left_to_the_builds_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synthetic.generate(tmp_path, 30, seed=5)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "entries").write_text("a file where the cache's folder goes")
    read = _reader(tmp_path, monkeypatch)
    assert read(forked=True, cache=tmp_path / "cache") == read(forked=False, cache=None)


# As the command line runs: SIGTERM is an interrupt, and the process ends with os._exit.
INTERRUPTED_MAP = """
import os, signal, time
from generator import parallel
signal.signal(signal.SIGTERM, signal.default_int_handler)
print("started", flush=True)
try:
    parallel.fork_map(lambda n: time.sleep(600), [1, 2], parallel=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
os._exit(0)
"""


@pytest.mark.skipif(parallel.usable_cores() < 2, reason="forks workers only with two cores")
def test_an_interrupt_ends_the_work_at_once_not_when_the_workers_finish_their_items(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO

    program = subprocess.Popen([sys.executable, "-c", INTERRUPTED_MAP], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert program.stdout is not None and program.stdout.readline() == "started\n"
    time.sleep(1)  # the workers are at their items
    started = time.monotonic()
    program.send_signal(signal.SIGTERM)
    try:
        assert program.wait(20) == 0
    finally:
        program.kill()
    assert program.stdout.read() == "interrupted\n"
    assert time.monotonic() - started < 10
