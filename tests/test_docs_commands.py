"""Every shell command the README and CONTRIBUTING show still works.

The convention for documents: commands are shown in fenced blocks marked ``sh``
(every line a command; ``#`` lines and `` # `` to the end of a line are comments) or ``console`` (lines starting
``$ `` are commands, the lines after one are its output, each of which must
appear in what the command prints). A ``markdown`` or ``yaml`` block right after
a line ``<!-- file: PATH -->`` is written to PATH before the commands that follow,
so a worked example runs end to end.

The commands of one document run in order in a fresh copy of the project and
must exit 0. A command that installs, needs the network, changes git state or
never ends is listed in SKIPPED with the reason; any other command that this
runner does not know fails the test, so nothing documented goes untried.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [p for p in (REPO / "README.md", REPO / "CONTRIBUTING.md", REPO / "docs" / "importing.md") if p.exists()] + sorted(
    (REPO / "docs-snippets").glob("*.md")
)

SKIPPED = {
    "sudo apt-get install git make python3 python3-venv": "installs system packages",
    "xcode-select --install": "installs system packages (macOS)",
    "git clone https://github.com/YOUR-USER-NAME/briefings.git": "network; the tests run in a copy already",
    "cd briefings": "the tests run in the project folder already",
    "git switch -c add-kharkiv-shelling": "changes git state",
    "git add content/2022/03/05/shelling-damages-central-kharkiv.md": "changes git state",
    'git commit -m "Add: shelling damages central Kharkiv"': "changes git state",
    "git push -u origin add-kharkiv-shelling": "network",
    "make serve": "a server that runs until stopped",
    "make test": "runs this test suite itself",
    'git config --global user.name "Your Name"': "changes git state",
    'git config --global user.email "you@example.org"': "changes git state",
    ".venv/bin/pip install pre-commit": "installs a package (network)",
    ".venv/bin/pre-commit install": "installs a git hook; its configuration is tested in test_workflows.py",
}
# Make targets run with their recipe only: `-o` keeps make from reinstalling the
# virtual environment (a download) when requirements.txt is newer than it.
MAKE_TARGETS = {"make site", "make check", "make messages", "make help"}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>\w*)[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
_COMMENT = re.compile(r"\s+#\s.*$")
_FILE_MARK = re.compile(r"<!-- file: (?P<path>\S+) -->\s*$")


@dataclass(frozen=True)
class Step:
    line: int  # where the document shows it
    command: str = ""
    output: tuple[str, ...] = ()
    file: str = ""  # a file to write instead of a command
    text: str = ""


def steps(document: Path) -> list[Step]:
    text = document.read_text("utf-8")
    found: list[Step] = []
    for block in _FENCE.finditer(text):
        line = text.count("\n", 0, block.start()) + 1
        indent = len(block["indent"])
        body = "\n".join(row[indent:] for row in block["body"].split("\n"))
        before = text[: block.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if mark := _FILE_MARK.search(before):
            found.append(Step(line, file=mark["path"], text=body))
        elif block["lang"] == "sh":
            found += [Step(line, command=c) for c in _sh_commands(body)]
        elif block["lang"] == "console":
            found += [Step(line, command=c, output=o) for c, o in _console_commands(body)]
    return found


def _sh_commands(body: str) -> list[str]:
    joined = body.replace("\\\n", " ")
    rows = (_COMMENT.sub("", row).strip() for row in joined.split("\n"))
    return [row for row in rows if row and not row.startswith("#")]


def _console_commands(body: str) -> list[tuple[str, tuple[str, ...]]]:
    commands: list[tuple[str, list[str]]] = []
    for row in body.rstrip("\n").split("\n"):
        if row.startswith("$ "):
            commands.append((row[2:].strip(), []))
        elif commands and row.strip():
            commands[-1][1].append(row.rstrip())
    return [(command, tuple(output)) for command, output in commands]


def argv(command: str) -> list[str] | None:
    """How this runner runs a documented command, or None when it does not know it."""
    if command.startswith(".venv/bin/briefings "):
        return shlex.split(command)
    if command in MAKE_TARGETS:
        return ["make", "-o", ".venv/bin/briefings", command.split()[1]]
    return None


def copy_project(root: Path) -> Path:
    for name in ("content", "site_config", "theme"):
        shutil.copytree(REPO / name, root / name)
    # `make messages` reads the generator's code and templates, and writes its catalogues.
    shutil.copytree(REPO / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "Makefile"):
        shutil.copy(REPO / name, root / name)
    (root / ".venv").symlink_to(REPO / ".venv")
    return root


def test_documents_are_found_and_show_commands() -> None:
    assert REPO / "CONTRIBUTING.md" in DOCUMENTS
    assert sum(1 for d in DOCUMENTS for s in steps(d) if s.command and argv(s.command)) >= 8


def test_every_skipped_command_is_still_documented() -> None:
    # A stale entry here would hide that a new command went untested.
    shown = {s.command for d in DOCUMENTS for s in steps(d)}
    assert set(SKIPPED) <= shown, set(SKIPPED) - shown


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_documented_commands_work(document: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}
    ran = 0
    for step in steps(document):
        where = f"{document.name}:{step.line}"
        if step.file:
            (root / step.file).parent.mkdir(parents=True, exist_ok=True)
            (root / step.file).write_text(step.text, "utf-8")
            continue
        if step.command in SKIPPED:
            continue
        args = argv(step.command)
        assert args is not None, f"{where}: `{step.command}` is neither run by this test nor in SKIPPED"
        done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=300, env=env)
        printed = (done.stdout + done.stderr).splitlines()
        assert done.returncode == 0, f"{where}: `{step.command}` exited {done.returncode}:\n{done.stdout}{done.stderr}"
        for expected in step.output:
            assert expected in printed, f"{where}: `{step.command}` did not print {expected!r}; it printed:\n" + "\n".join(printed)
        ran += 1
    assert ran, f"{document.name} shows no command this test runs"


def _command_line_section() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    start = readme.index("## Command line")
    return readme[start : readme.index("\n## ", start + 1)]


def test_every_cli_command_and_option_is_documented() -> None:
    import argparse

    from generator.cli import _parser

    section = _command_line_section()
    parser = _parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert commands.choices, "the CLI has no commands"
    for name, command in commands.choices.items():
        usage = re.search(rf"^briefings {name}\b(?P<rest>.*(?:\n {{16}}.*)*)", section, re.M)
        assert usage, f"README's Command line section shows no usage line for 'briefings {name}'"
        for action in command._actions:
            for option in action.option_strings:
                if option in ("-h", "--help"):
                    continue
                assert re.search(rf"\[{re.escape(option)}\b", usage.group("rest")), (
                    f"'briefings {name} {option}' is missing from README's usage line for {name}"
                )


def test_contributing_gives_kyivs_offsets_as_the_time_zone_database_has_them() -> None:
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Kyiv")
    text = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    rows = re.findall(r"^\| (\d{4}) \| (\d+) March to (\d+) October \| before \2 March, from \3 October \|$", text, re.M)
    assert [int(year) for year, _, _ in rows] == list(range(2022, 2027))

    def offset(day: date, hour: int) -> timedelta:
        return datetime(day.year, day.month, day.day, hour, tzinfo=zone).utcoffset()

    summer, winter = timedelta(hours=3), timedelta(hours=2)
    for year, march, october in rows:
        start, end = date(int(year), 3, int(march)), date(int(year), 10, int(october))
        assert (offset(start - timedelta(days=1), 12), offset(start, 2), offset(start, 5)) == (winter, winter, summer)
        assert (offset(end - timedelta(days=1), 12), offset(end, 2), offset(end, 5)) == (summer, summer, winter)


def test_make_help_names_every_target_of_the_makefile() -> None:
    import re
    import subprocess

    targets = set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text("utf-8"), re.M)) - {"help"}
    shown = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert {line.split()[1] for line in shown.splitlines()} == targets
