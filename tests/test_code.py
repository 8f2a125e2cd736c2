"""The generator's code and its tests, read as a linter reads them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_no_import_goes_unused_and_no_name_is_undefined() -> None:
    # Pyflakes' rules (ruff's F): an unused import, an undefined name, a shadowed import,
    # an f-string without a placeholder. Style is left to review.
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--select", "F", "--output-format", "concise", "--no-cache", "generator", "tests"],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
