"""Rebuilds after one edit: only what the edit touches is read and rendered again."""

from __future__ import annotations

from pathlib import Path

from conftest import make_project
from generator.site import generate


def _archive(tmp_path: Path):
    project = make_project(tmp_path)
    for n in range(12):
        city = ["Kyiv", "Kharkiv", "Odesa"][n % 3]
        project.entry(
            f"2022/03/0{1 + n % 4}/e{n}.md",
            f"title: E{n}\npublished: 2022-03-0{1 + n % 4}T1{n % 10}:00:00+02:00\ncities: [{city}]",
        )
    return project


def test_editing_one_entry_renders_only_its_fragments_and_its_entities_feeds(tmp_path: Path) -> None:
    project = _archive(tmp_path)
    cache = tmp_path / "cache"
    first = generate(project.content, project.config, cache_dir=cache)
    assert len(first.fresh) == 12 * 2 + 3  # a block and an entity-page line per entry, a feed per city
    assert generate(project.content, project.config, cache_dir=cache).fresh == ()
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    again = generate(project.content, project.config, cache_dir=cache)
    assert again.fresh == ("block 2022/03/02/e1.md", "feed cities/kharkiv/feed.xml", "item 2022/03/02/e1.md")
    pages = {page.url: page.html for page in again.pages}
    assert "E1 edited" in pages["2022/03/02/"] and "E1 edited" in pages["cities/kharkiv/"]


def test_clean_renders_everything_again(tmp_path: Path) -> None:
    project = _archive(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    assert len(generate(project.content, project.config, cache_dir=cache, clean=True).fresh) == 27
