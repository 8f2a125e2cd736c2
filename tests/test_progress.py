"""A long build shows how far it has come on one line of the terminal, and nothing in a log."""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path

import pytest

from generator import parallel, progress, synthetic
from generator.cli import main

from conftest import MKDOCS_YML, run_cli


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_step_reads_as_a_stage_and_its_counts() -> None:
    assert progress.describe(progress.Step("rendering day pages", 1200, 6896)) == "rendering day pages: 1,200 of 6,896"
    assert progress.describe(progress.Step("writing the site")) == "writing the site..."


def test_the_line_is_rewritten_in_place_once_the_build_has_taken_a_while() -> None:
    out, clock = io.StringIO(), Clock()
    line = progress.TerminalLine(out, after_s=1.0, every_s=0.1, clock=clock)
    with progress.listening(line):
        reading = progress.stage("reading entries", 20000)
        reading.advance(200)
        assert out.getvalue() == ""  # a quick rebuild shows nothing
        clock.now = 1.5
        reading.advance(200)
        clock.now = 1.55
        reading.advance(200)  # within a tenth of a second of the last: not shown
        clock.now = 1.56
        progress.stage("grouping the archive")  # a new stage: shown at once
        line.clear()
    assert out.getvalue() == "\r\x1b[Kreading entries: 400 of 20,000\r\x1b[Kgrouping the archive...\r\x1b[K"


def test_nothing_is_told_once_the_listener_has_stopped_listening() -> None:
    steps: list[progress.Step] = []
    with progress.listening(steps.append):
        progress.stage("reading entries", 2).advance()
    progress.stage("rendering day pages", 1)
    assert steps == [progress.Step("reading entries", 0, 2), progress.Step("reading entries", 1, 2)]


def test_a_line_is_shown_only_on_a_terminal(tmp_path: Path) -> None:
    assert progress.TerminalLine.on_terminal(io.StringIO()) is None
    with open(tmp_path / "log", "w") as log:
        assert progress.TerminalLine.on_terminal(log) is None
    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as terminal:
        assert isinstance(progress.TerminalLine.on_terminal(terminal), progress.TerminalLine)
    os.close(leader)


def _archive(tmp_path: Path) -> Path:
    synthetic.generate(tmp_path, parallel.WORTH_FORKING + 200)
    return tmp_path


def _build_args(corpus: Path) -> list[str]:
    return ["build", "--content", str(corpus / "content"), "--config", str(corpus / "site_config"),
            "--site-dir", str(corpus / "site"), "--cache-dir", str(corpus / ".cache"), "--mkdocs-config", str(MKDOCS_YML)]  # fmt: skip


def _on_a_terminal(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """``briefings ARGS`` with its error stream on a pseudo-terminal: its exit code and what the terminal got."""
    leader, follower = os.openpty()
    got = bytearray()

    def take() -> None:  # read as it comes: a terminal's buffer is small
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the other end closed
                return
            if not data:
                return
            got.extend(data)

    reader = threading.Thread(target=take)
    reader.start()
    terminal = os.fdopen(follower, "w", buffering=1)
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(progress, "SHOWN_AFTER_S", 0.0)
    try:
        code = main(args)
    finally:
        terminal.close()
        reader.join(10)
        os.close(leader)
    return code, got.decode()


def test_a_build_on_a_terminal_shows_its_stages_then_its_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _archive(tmp_path)
    code, shown = _on_a_terminal(_build_args(corpus), monkeypatch)
    assert code == 0
    steps = [part.strip() for part in shown.replace("\x1b[K", "").split("\r") if part.strip()]
    entries = parallel.WORTH_FORKING + 200
    assert any(step.startswith("reading entries: ") and step.endswith(f" of {entries:,}") for step in steps)
    assert "grouping the archive..." in steps
    assert any(step.startswith("rendering day pages: ") for step in steps)
    assert "writing the site..." in steps
    # The line is cleared before the summary, which stands on a line of its own.
    assert steps[-1].startswith(f"built {corpus / 'site'} in ")
    assert shown.rstrip().endswith("pages rendered; " + steps[-1].split("pages rendered; ")[1])


def test_a_build_whose_output_goes_to_a_log_shows_no_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _archive(tmp_path)
    monkeypatch.setattr(progress, "SHOWN_AFTER_S", 0.0)
    result = run_cli(*_build_args(corpus))
    assert result.code == 0
    assert "\r" not in result.err and "reading entries" not in result.err
    assert result.err.startswith(f"built {corpus / 'site'} in ")
