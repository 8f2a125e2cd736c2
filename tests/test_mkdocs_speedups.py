"""Each speedup that leans on MkDocs', Jinja's or the theme's internals (generator/mkdocs_speedups.py)
can be switched off, and the site is the same, byte for byte, with it on or off."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from conftest import Project, make_project
from generator import mkdocs_speedups
from generator.mkdocs_speedups import SWITCH, Speedups

SPEEDUPS = [field.name for field in fields(Speedups)]


def _varied_project(root: Path) -> Project:
    """Pages at every depth and under every section, paginated entity pages, pages in the
    navigation, a picture and a hidden file in the content folder."""
    p = make_project(root)
    p.write("site_config/people.yml", "- name: Vitali Klitschko\n  role: Mayor of Kyiv\n")
    for n in range(6):
        p.entry(f"2022/03/0{n + 1}/kyiv-{n}.md", f"title: Kyiv {n}\npublished: 2022-03-0{n + 1}T08:00:00+02:00\ncities: [Kyiv]")
    p.entry("2022/03/03/mayor.md", "title: Mayor\npublished: 2022-03-03T09:00:00+02:00\npeople: [Vitali Klitschko]",
            "![a map](map.png) Kyiv & <b>Kharkiv</b>.")  # fmt: skip
    p.write("content/2022/03/03/map.png", b"\x89PNG picture")
    p.write("content/media/.hidden.png", b"never published")
    return p


def _files(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file()}


def _first_and_rebuilt(p: Project, name: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The site of a first build, and of a rebuild after one edit (which takes what it can from the first)."""
    site, cache = p.root / f"site-{name}", p.root / f".cache-{name}"
    first = p.build("--cache-dir", str(cache), site=site)
    assert first.code == 0, first.out + first.err
    built = _files(site)
    p.entry("2022/03/02/kyiv-1.md", "title: Kyiv 1, edited\npublished: 2022-03-02T08:00:00+02:00\ncities: [Kyiv]")
    again = p.build("--cache-dir", str(cache), site=site)
    assert again.code == 0, again.out + again.err
    p.entry("2022/03/02/kyiv-1.md", "title: Kyiv 1\npublished: 2022-03-02T08:00:00+02:00\ncities: [Kyiv]")
    return built, _files(site)


@pytest.mark.parametrize("speedup", SPEEDUPS)
def test_a_site_built_with_a_speedup_off_is_the_site_built_with_it_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, speedup: str
) -> None:
    from generator import views

    monkeypatch.setattr(views, "MONTHS_FROM", 3)
    p = _varied_project(tmp_path)
    monkeypatch.delenv(SWITCH, raising=False)
    on = _first_and_rebuilt(p, "on")
    monkeypatch.setenv(SWITCH, speedup)
    off = _first_and_rebuilt(p, "off")
    assert "cities/kyiv/2022/03/index.html" in on[0] and "2022/03/03/map.png" in on[0]
    assert on[0] == off[0]  # a first build
    assert on[1] == off[1]  # a rebuild, which takes unchanged files from the first
    assert on[1]["2022/03/02/index.html"] != on[0]["2022/03/02/index.html"]


def test_speedups_are_switched_off_by_name_or_all_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SWITCH, raising=False)
    assert mkdocs_speedups.enabled() == Speedups()
    monkeypatch.setenv(SWITCH, " shared_blocks, linked_files ")
    assert mkdocs_speedups.enabled() == Speedups(shared_blocks=False, linked_files=False)
    monkeypatch.setenv(SWITCH, "all")
    assert not any(getattr(mkdocs_speedups.enabled(), name) for name in SPEEDUPS)


def test_an_unknown_speedup_is_one_clear_error(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    monkeypatch.setenv(SWITCH, "shared_blocks,warp_drive")
    result = project.build()
    assert result.code == 1
    known = ", ".join(sorted(SPEEDUPS))
    assert result.err.splitlines()[-2:] == [
        f"briefings: error: {SWITCH}: unknown speedup 'warp_drive' (known: {known}, all)",
        f"build failed; {project.site} was left as it was",
    ]
    assert not project.site.exists()


def test_mkdocs_lists_the_same_theme_files_without_walking_hidden_folders(project: Project) -> None:
    import jinja2
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config = load_config(str(project.mkdocs_yml(project.root / "mkdocs.yml")))
    quick, plain = config.theme.get_env(), config.theme.get_env()
    mkdocs_speedups.visible_theme_files(config.theme)
    quick = config.theme.get_env()
    assert type(quick.loader) is not jinja2.FileSystemLoader and type(plain.loader) is jinja2.FileSystemLoader
    found = []
    for env in (quick, plain):
        files = Files([])
        files.add_files_from_theme(env, config)
        found.append(sorted((f.src_uri, f.abs_src_path) for f in files))
    assert found[0] == found[1]
    assert len(found[0]) > 40  # the theme's stylesheets, scripts and fonts
    assert quick.get_template(".icons/material/rss.svg") is not None  # icons still load by name
