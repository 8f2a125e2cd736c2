"""What the import tests share: a newsroom project with the sample registries, and reading entries back."""

from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter

from conftest import REPO, SAMPLE_CONFIG, Project, Result, make_project, run_cli
from generator import yamlsafe

FIXTURES = REPO / "tests" / "fixtures" / "import"
GUARDIAN = FIXTURES / "guardian" / "live-blog.json"
GUARDIAN_LATER = FIXTURES / "guardian" / "live-blog-an-hour-later.json"
GUARDIAN_BLOG = "https://www.theguardian.com/world/live/2022/mar/03/russia-ukraine-war-latest-news"


def newsroom(root: Path) -> Project:
    """A project with the test settings and the sample archive's registries of cities and people."""
    project = make_project(root)
    for name in ("cities.yml", "people.yml"):
        shutil.copy(SAMPLE_CONFIG / name, project.config / name)
    return project


def run_import(project: Project, *args: str | Path) -> Result:
    return run_cli("import", *args, "--content", project.content, "--config", project.config)


def entry(project: Project, rel: str) -> tuple[dict, str]:
    """The front matter (as ``check`` reads it: times stay text) and the body of content/<rel>."""
    front, body = frontmatter.YAMLHandler().split((project.content / rel).read_text("utf-8"))
    return yamlsafe.load(front).data, body.strip("\n")


def entry_files(project: Project) -> list[str]:
    return sorted(p.relative_to(project.content).as_posix() for p in project.content.rglob("*.md"))


def snapshot(project: Project) -> dict[str, bytes]:
    return {p.relative_to(project.content).as_posix(): p.read_bytes() for p in sorted(project.content.rglob("*")) if p.is_file()}


def summary(result: Result) -> str:
    """The last line of an import's report."""
    return result.err.strip().splitlines()[-1]
