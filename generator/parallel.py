"""Both cores for the CPU-bound stages (reading entries, rendering pages, saving caches).

Workers are forked, so they inherit the work and everything it refers to (the
reader, the archive, the renderer and its caches) instead of receiving them
pickled; only the items' indexes go out and only results come back.

Every forked child ends with the process that forked it, however that one ends
(``kill -9`` included): a child left behind would wait forever for work that
will not come, holding the build's output open, so a CI step or ``| tee`` reading
it would never end (``_end_with_parent``).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below about this many entries' worth of work, starting workers costs more than it saves.
WORTH_FORKING = 800
# One worker a core, up to four: each worker's copy of the archive grows as it touches it.
WORKERS = 4

_job: tuple[Callable, Sequence] | None = None


def fork_map(
    work: Callable[[Item], Result], items: Sequence[Item], *, parallel: bool = True, each: Callable[[Item], None] | None = None
) -> list[Result]:
    """``[work(item) for item in items]``, the items shared among forked workers.

    Results come back in the order of ``items``; ``each(item)`` is called in this
    process as each one does (a build's progress). Without ``parallel``, or where
    fork is not available or there is one core, it runs in this process.
    """
    workers = min(WORKERS, usable_cores(), len(items))
    if not parallel or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _each_done(items, map(work, items), each)
    global _job
    _job = (work, items)
    try:
        context = multiprocessing.get_context("fork")
        lifeline = _lifeline()
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_end_with_parent, initargs=lifeline)
        interrupted = False
        try:
            return _each_done(items, pool.map(_run, range(len(items))), each)
        except (KeyboardInterrupt, SystemExit):
            interrupted = True
            raise
        finally:
            # Ctrl+C or SIGTERM: the process ends now, not once each worker has finished its
            # item, and the workers end with it (``_end_with_parent``).
            pool.shutdown(wait=not interrupted, cancel_futures=True)
    finally:
        _job = None


def _each_done(items: Sequence[Item], results: Iterator[Result], each: Callable[[Item], None] | None) -> list[Result]:
    if each is None:
        return list(results)
    done = []
    for item, result in zip(items, results):
        done.append(result)
        each(item)
    return done


def usable_cores() -> int:
    """The cores this process may run on (its affinity), not all the machine has."""
    return len(usable_processors()) or os.cpu_count() or 1


def usable_processors() -> list[int]:
    """The numbers of the processors this process may run on; none where that cannot be known or set."""
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return []


def _run(index: int):  # noqa: ANN202 - whatever the work returns
    assert _job is not None, "fork_map's work is inherited by forking"
    work, items = _job
    return work(items[index])


def batches(items: Sequence[Item], size: int = 200) -> list[list[Item]]:
    """``items`` in consecutive runs of ``size``: small enough to share out, big enough to be worth sending."""
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def chunks(items: Sequence[Item], count: int) -> list[list[Item]]:
    """``items`` dealt round-robin into ``count`` lists, so each gets a share of big and small."""
    return [list(items[start::count]) for start in range(min(count, len(items)))]


@dataclass
class Forked:
    """Work running in a forked child (``fork_work``)."""

    pid: int
    messages: int  # the read end of a pipe: why the work failed, if it did
    group: bool  # the child leads a process group of its own, with whatever it started
    _ended: tuple[str | None] | None = field(default=None, repr=False)

    def wait(self) -> str | None:
        """Wait for the child to end; None if the work succeeded, else why it failed."""
        if self._ended is None:
            with os.fdopen(self.messages, "rb") as pipe:
                why = pipe.read().decode("utf-8", "replace")
            _, status = os.waitpid(self.pid, 0)
            self._ended = (None if status == 0 else why or "the process was stopped",)
        return self._ended[0]

    def kill(self) -> None:
        """Stop the child (and, with ``group``, what it started) and reap it."""
        if self._ended is not None:
            return
        try:
            if self.group:
                os.killpg(self.pid, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:  # the child had not made its group yet, or is gone
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.wait()


def fork_work(work: Callable[[], None], *, group: bool = False, nice: int = 0) -> Forked | None:
    """Run ``work`` in a forked child, at ``nice`` more niceness; None where there is no fork.

    With ``group``, the child leads a process group of its own, so ``kill``
    also stops the programs it started.
    """

    def child() -> bytes:
        if nice:
            os.nice(nice)
        work()
        return b""

    def why(exc: BaseException) -> bytes:  # reported to the parent, never raised in the child
        return _reason(exc).encode()[:4000]

    forked = _fork(child, why, group=group)
    return None if forked is None else Forked(*forked, group)


def _reason(exc: BaseException) -> str:
    """What went wrong, in words: "No space left on device: cache/outputs/07.pickle", not "[Errno 28] ..."."""
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename2 if exc.filename2 is not None else exc.filename
        return exc.strerror if where is None else f"{exc.strerror}: {where}"
    return str(exc) or type(exc).__name__


def fork_call(work: Callable[[], Result]) -> Callable[[], Result]:
    """Start ``work()`` in a forked child; the function returned waits for its result.

    For a small result worked out beside something else this process must do.
    Where there is no fork, or the child fails, ``work()`` runs here when its result
    is asked for: the same result, later.
    """
    forked = _fork(lambda: pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL), lambda exc: b"")
    if forked is None:
        return work
    pid, reading = forked

    def result() -> Result:
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        return pickle.loads(data) if status == 0 else work()

    return result


def _fork(
    child: Callable[[], bytes], failed: Callable[[BaseException], bytes], *, group: bool = False
) -> tuple[int, int] | None:
    """Fork a child that runs ``child`` and sends back what it returns (or, if it raises,
    what ``failed`` makes of the exception, and exits 1); (its pid, the pipe to read),
    or None where there is no fork. With ``group``, the child leads a process group of its own."""
    if not hasattr(os, "fork"):
        return None
    lifeline = _lifeline()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send back what it has to say, and leave at once
        os.close(reading)
        code = 0
        try:
            if group:
                os.setpgid(0, 0)
            _end_with_parent(*lifeline, group=group)
            reply = child()
        except BaseException as exc:  # noqa: BLE001 - the parent hears of it
            reply, code = failed(exc), 1
        try:
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(reply)
        except BaseException:  # noqa: BLE001 - the parent stopped listening
            code = 1
        os._exit(code)
    os.close(writing)
    return pid, reading


# --- children end with their parent ---------------------------------------------------

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _death_signal(number: int) -> bool:
    """Have the kernel send this process signal ``number`` when its parent ends (Linux); False elsewhere.

    The parent is the thread that forked this process: the build forks from the
    thread that waits for its children, so they never outlive the work they do.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    return prctl(_PR_SET_PDEATHSIG, number, 0, 0, 0) == 0


# Where the kernel cannot be asked (``_death_signal``): the write end of a pipe that only
# the process that forks holds open; its children see the end of the pipe when it ends.
# (the process that made it, the read end, the write end)
_LIFELINE: tuple[int, int, int] | None = None


def _lifeline() -> tuple[int, int, int]:
    """This process's pid and lifeline pipe, for a child it is about to fork (``_end_with_parent``)."""
    global _LIFELINE
    if _LIFELINE is None or _LIFELINE[0] != os.getpid():  # a forked child forking in turn makes its own
        _LIFELINE = (os.getpid(), *os.pipe())
    return _LIFELINE


def _end_with_parent(parent: int, reading: int, writing: int, *, group: bool = False) -> None:
    """In a child just forked by ``parent``: end whenever ``parent`` ends, however it ends.

    With ``group``, the child leads a process group (the programs it started), and
    the whole group ends. On Linux the kernel signals the child (``_death_signal``);
    elsewhere a thread waits for the end of the parent's lifeline pipe.
    """
    os.close(writing)  # only the parent may hold it open, or its end would never be seen
    if group:
        # The signal comes to this process alone; it takes the programs it started along.
        signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
    if _death_signal(signal.SIGTERM if group else signal.SIGKILL):
        os.close(reading)
    else:
        threading.Thread(target=_wait_for_end, args=(reading, group), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent ended before it could be watched
        _end(group)


def _wait_for_end(reading: int, group: bool) -> None:
    while os.read(reading, 1):  # nothing is ever written: the read returns at the pipe's end
        pass
    _end(group)


def _end(group: bool) -> None:
    if group:
        os.killpg(0, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


_later: list[tuple[Forked, str]] | None = None  # inside background(): work forked by later()


def later(work: Callable[[], None], what: str) -> None:
    """Run ``work`` (saving a cache) now or, inside ``background()``, in a forked child.

    The build does not read what ``work`` writes, so it goes on at once: at
    20,000 entries, pickling the caches takes a second of the build's time.
    """
    forked = None if _later is None else fork_work(work)
    if forked is None:
        work()
        return
    assert _later is not None
    _later.append((forked, what))


@contextmanager
def background() -> Iterator[list[tuple[str, str]]]:
    """Inside, ``later`` forks its work; the block ends when all of it has ended, or at
    once if it is interrupted (Ctrl+C).

    Yields a list that then holds (what, why) for each piece of work that failed.
    """
    global _later
    outer, _later = _later, []
    failures: list[tuple[str, str]] = []
    stopped = False
    try:
        yield failures
    except KeyboardInterrupt:
        stopped = True  # the process is ending: the children finish their work on their own
        raise
    finally:
        pending, _later = _later, outer
        for forked, what in [] if stopped else pending:
            why = forked.wait()
            if why is not None:
                failures.append((what, why))
