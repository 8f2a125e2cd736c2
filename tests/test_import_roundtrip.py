"""The round trip: importing the day pages of a site this project built gives its entries back.

Day pages carry a schema.org LiveBlogPosting with every update (structured_data.py)
and each update's own element; importing them into an empty archive and building
it again gives the same structured data: titles, times with their offsets, bodies
and addresses. This runs the real command line on the sample archive.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from conftest import SAMPLE_CONFIG, SAMPLE_CONTENT, Project
from generator.entries import EntryReader, find_entry_files, read_source
from generator.problems import ProblemLog
from generator.settings import load_settings
from generator.site import load_archive
from import_support import run_import, summary


def live_blog(site: Path, day: str) -> list[dict]:
    """The day's updates as its structured data gives them, but for what they are based on: an
    imported update credits the page it was imported from as its source."""
    page = lxml.html.fromstring((site / day / "index.html").read_bytes())
    (script,) = page.xpath("//script[@type='application/ld+json']")
    return [{k: v for k, v in update.items() if k != "isBasedOn"} for update in json.loads(script.text)["liveBlogUpdate"]]


def markdown_bodies(project: Project) -> dict[str, str]:
    log = ProblemLog()
    reader = EntryReader(load_settings(project.config, log), log, render=False)
    entries = [reader.read(read_source(p, project.content, log)) for p in find_entry_files(project.content, log)]
    return {e.slug: (project.content / e.rel_path).read_text("utf-8").split("\n---\n", 1)[1] for e in entries}


@pytest.mark.slow
def test_importing_a_built_site_gives_back_its_titles_times_and_bodies(tmp_path: Path) -> None:
    original = Project(tmp_path / "original")
    shutil.copytree(SAMPLE_CONTENT, original.content)
    shutil.copytree(SAMPLE_CONFIG, original.config)
    assert original.build().code == 0
    days = sorted(p.parent.relative_to(original.site).as_posix() for p in original.site.glob("2022/03/*/index.html"))
    assert days == ["2022/03/02", "2022/03/03", "2022/03/04"]

    again = Project(tmp_path / "again")
    shutil.copytree(SAMPLE_CONFIG, again.config)
    pages = [original.site / day / "index.html" for day in days]
    imported = run_import(again, *pages)
    assert imported.code == 0, imported.err
    count = len(load_archive(original.content, original.config)[0].entries)  # every update of the sample archive
    assert summary(imported) == f"imported 3 sources: {count} new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped"
    check = again.check("--strict")
    assert check.code == 0, check.out

    # Each update's file is named after its anchor, so its address is the same too.
    assert again.build().code == 0
    for day in days:
        assert live_blog(again.site, day) == live_blog(original.site, day)
    # The Markdown itself comes back, links and paragraphs included.
    # HTML comments (a contributor's notes to `check`, such as "<!-- in passing -->") are never published.
    published = {slug: re.sub(r"<!--.*?-->", "", body, flags=re.S) for slug, body in markdown_bodies(original).items()}
    assert markdown_bodies(again) == published

    rebuilt = [again.site / day / "index.html" for day in days]
    assert summary(run_import(again, *rebuilt)) == f"imported 3 sources: 0 new, 0 updated, {count} unchanged, 0 withdrawn, 0 skipped"
