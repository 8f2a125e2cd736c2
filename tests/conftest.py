"""Shared fixtures: throwaway projects driven through the real ``briefings`` CLI."""

from __future__ import annotations

import contextlib
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
MKDOCS_YML = REPO / "mkdocs.yml"
# The sample archive as the tests know it (tests/fixtures/sample/README.md): content/ and
# site_config/ are the archive's own, which contributors add to and newsrooms replace.
SAMPLE_CONTENT = REPO / "tests" / "fixtures" / "sample" / "content"
SAMPLE_CONFIG = REPO / "tests" / "fixtures" / "sample" / "site_config"

SETTINGS = """\
title: Test Briefing
description: Updates for the tests.
site_url: https://news.example.org/briefing/
timezone: Europe/Kyiv
feed_size: 50
"""


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run_cli(*args: str | Path) -> Result:
    """Run ``briefings ARGS`` in-process, as the console script would."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


@dataclass
class Project:
    """A content folder and a site_config folder in a temporary directory."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def config(self) -> Path:
        return self.root / "site_config"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def entry(self, rel: str, front: str, body: str = "Body text.") -> Path:
        """Write content/<rel> with ``front`` (YAML, dedented) as front matter."""
        text = f"---\n{textwrap.dedent(front).strip()}\n---\n{textwrap.dedent(body).strip()}\n"
        return self.write(f"content/{rel}", text)

    def check(self, *args: str) -> Result:
        return run_cli("check", "--content", self.content, "--config", self.config, *args)

    def build(self, *args: str, site: Path | None = None, cache: Path | None = None) -> Result:
        return run_cli(
            "build",
            "--content", self.content,
            "--config", self.config,
            "--site-dir", site or self.site,
            "--cache-dir", cache or self.root / ".cache",
            "--mkdocs-config", MKDOCS_YML,
            *args,
        )  # fmt: skip

    def mkdocs_yml(self, path: Path) -> Path:
        """The project's mkdocs.yml at ``path``, pointed at this project, for a plain `mkdocs build`."""
        path.write_text(
            MKDOCS_YML.read_text("utf-8")
            .replace("docs_dir: content", f"docs_dir: {self.content}")
            .replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
            .replace("config_dir: site_config", f"config_dir: {self.config}"),
            "utf-8",
        )
        return path

    def page(self, url: str, site: Path | None = None) -> lxml.html.HtmlElement:
        """The parsed HTML of the built page at site-relative ``url``."""
        path = (site or self.site) / url.strip("/") / "index.html" if url.strip("/") else (site or self.site) / "index.html"
        return lxml.html.fromstring(path.read_bytes())


def make_project(root: Path, settings: str = SETTINGS) -> Project:
    project = Project(root)
    project.write("site_config/settings.yml", settings)
    project.content.mkdir(parents=True, exist_ok=True)
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path)


def article(page: lxml.html.HtmlElement):
    """The page's own content, without the theme's header, nav and footer."""
    (node,) = page.xpath("//article[contains(@class, 'md-content__inner')]")
    return node


def entry_ids(page: lxml.html.HtmlElement) -> list[str]:
    return [a.get("id") for a in article(page).xpath(".//article[contains(@class, 'brf-entry')]")]


@pytest.fixture(scope="session")
def browser():
    """Chromium, shared by every module of browser tests (test_browser.chromium)."""
    from test_browser import chromium

    yield from chromium()
