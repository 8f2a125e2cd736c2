"""Helpers for the contributor-tool tests: a throwaway project with the real registries.

The tests chdir into the project, so paths in messages read as a contributor
sees them (content/..., site_config/...).
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from conftest import REPO, SAMPLE_CONFIG, Result, run_cli

BRIEFINGS = REPO / ".venv" / "bin" / "briefings"
DAY = "content/2022/03/03"


# One way to run the CLI in-process, shared with the build tests.
Run = Result
cli = run_cli


def new_project(root: Path, *, require_sources: bool = False) -> Path:
    """``root`` with the shipped settings and registries and an empty content folder.

    The shipped settings require sources; the tests of other rules leave them out.
    """
    (root / "site_config").mkdir(parents=True)
    for name in ("settings.yml", "cities.yml", "people.yml"):
        shutil.copy(SAMPLE_CONFIG / name, root / "site_config" / name)
    if not require_sources:
        settings = root / "site_config" / "settings.yml"
        settings.write_text(settings.read_text("utf-8").replace("require_sources: true", "require_sources: false"), "utf-8")
    (root / "content").mkdir()
    return root


def write_entry(rel: str, front: str, body: str = "Body text.") -> Path:
    """Write content/<rel> in the current directory: ``front`` is dedented YAML."""
    path = Path("content") / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n{textwrap.dedent(body).strip()}\n", encoding="utf-8")
    return path
