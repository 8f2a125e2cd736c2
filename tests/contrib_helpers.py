"""Helpers for the contributor-tool tests: a throwaway project with the real registries.

The tests chdir into the project, so paths in messages read as a contributor
sees them (content/..., site_config/...).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
BRIEFINGS = REPO / ".venv" / "bin" / "briefings"
DAY = "content/2022/03/03"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def cli(*args: str | Path) -> Run:
    """``briefings ARGS`` in-process, exactly as the console script runs it."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def new_project(root: Path) -> Path:
    """``root`` with the shipped settings and registries and an empty content folder."""
    (root / "site_config").mkdir(parents=True)
    for name in ("settings.yml", "cities.yml", "people.yml"):
        shutil.copy(REPO / "site_config" / name, root / "site_config" / name)
    (root / "content").mkdir()
    return root


def write_entry(rel: str, front: str, body: str = "Body text.") -> Path:
    """Write content/<rel> in the current directory: ``front`` is dedented YAML."""
    path = Path("content") / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n{textwrap.dedent(body).strip()}\n", encoding="utf-8")
    return path
