"""How far a long build has come, for a person watching it in a terminal.

The library says which stage a build is in and how much of it is done
(``stage``, ``Stage.advance``); it never prints. Whoever wants to show it
listens (``listening``): the command line shows the latest step on one line of
the terminal, rewritten in place (``TerminalLine``), and nothing when its output
goes to a file or a pipe, where a log must stay readable.

Only the process that runs the build reports: forked workers hand their results
back, and their stage advances as each result arrives (``parallel.fork_map``).
"""

from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, TextIO


@dataclass(frozen=True)
class Step:
    """Where a build is: its stage ("rendering pages"), and how many of how many are done."""

    stage: str
    done: int = 0
    total: int | None = None  # None: a stage that is not counted


# A build that ends sooner shows no progress: a line that flashes by says nothing.
SHOWN_AFTER_S = 1.0

Listener = Callable[[Step], None]
_listeners: list[Listener] = []


class Stage:
    """One stage of a build, told to the listeners as it starts and as it advances."""

    def __init__(self, name: str, total: int | None = None) -> None:
        self.name, self.total, self.done = name, total, 0
        _tell(Step(name, 0, total))

    def advance(self, count: int = 1) -> None:
        self.done += count
        _tell(Step(self.name, self.done, self.total))


def stage(name: str, total: int | None = None) -> Stage:
    """Start the stage ``name``, of ``total`` things to do if they are counted."""
    return Stage(name, total)


def _tell(step: Step) -> None:
    for listener in _listeners:
        listener(step)


@contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    """Tell ``listener`` every step of the builds run inside the block."""
    _listeners.append(listener)
    try:
        yield listener
    finally:
        _listeners.remove(listener)


class TerminalLine:
    """The latest step on one line of a terminal, rewritten in place.

    Nothing is shown for a build that ends within ``after_s`` (a rebuild after
    an edit). Counts are rewritten at most
    every ``every_s``; a new stage is shown at once. ``clear`` removes the line
    before anything else is printed.
    """

    CLEAR = "\r\x1b[K"

    def __init__(
        self, stream: TextIO, *, after_s: float | None = None, every_s: float = 0.1, clock: Callable[[], float] = time.monotonic
    ) -> None:
        after_s = SHOWN_AFTER_S if after_s is None else after_s
        self.stream, self.after_s, self.every_s, self.clock = stream, after_s, every_s, clock
        self.started = clock()
        self._shown_at: float | None = None
        self._stage: str | None = None

    @classmethod
    def on_terminal(cls, stream: TextIO) -> "TerminalLine | None":
        """A line on ``stream`` if it is a terminal; None if it is a file or a pipe."""
        isatty = getattr(stream, "isatty", None)
        return cls(stream) if isatty is not None and isatty() else None

    def __call__(self, step: Step) -> None:
        now = self.clock()
        if now - self.started < self.after_s:
            return
        if step.stage == self._stage and self._shown_at is not None and now - self._shown_at < self.every_s:
            return
        self._stage, self._shown_at = step.stage, now
        width = max(shutil.get_terminal_size().columns - 1, 20)
        self.stream.write(self.CLEAR + describe(step)[:width])
        self.stream.flush()

    def clear(self) -> None:
        if self._shown_at is not None:
            self.stream.write(self.CLEAR)
            self.stream.flush()
            self._shown_at, self._stage = None, None


def describe(step: Step) -> str:
    """A step as a person reads it: "rendering pages: 1,200 of 6,896" or "writing the site...". """
    if step.total is None:
        return f"{step.stage}..."
    return f"{step.stage}: {step.done:,} of {step.total:,}"
