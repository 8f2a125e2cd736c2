"""docs/importing.md shows its examples in full: the files in docs/examples/ are those it shows.

The guide's commands run in tests/test_docs_commands.py, on the files the guide writes
from its own blocks; a reader trying them from a checkout uses docs/examples/, so both
must be the same bytes.
"""

from __future__ import annotations

from conftest import REPO
from test_docs_commands import steps

GUIDE = REPO / "docs" / "importing.md"
EXAMPLES = REPO / "docs" / "examples"


def test_every_example_file_is_shown_in_the_guide_as_it_is() -> None:
    shown = {step.file: step.text for step in steps(GUIDE) if step.file}
    files = {p.relative_to(REPO).as_posix(): p.read_text("utf-8") for p in sorted(EXAMPLES.rglob("*")) if p.is_file()}
    assert shown == files


def test_the_guide_shows_a_worked_example_of_every_format() -> None:
    from generator.importing import FORMATS

    text = GUIDE.read_text("utf-8")
    commands = [step.command for step in steps(GUIDE) if step.command]
    assert len([c for c in commands if c.startswith(".venv/bin/briefings import ")]) >= 7
    for summary in (f": {name}: " for name in FORMATS if name != "json-feed"):
        assert summary in text, summary
    assert "docs/examples/feed.json" in text and "docs/examples/captures" in text
