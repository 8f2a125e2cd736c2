"""Rebuilds after one edit: only what the edit touches is read and rendered again."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_editing_one_entry_renders_only_its_day_its_entities_and_their_feeds(tmp_path: Path) -> None:
    project = _archive(tmp_path)
    cache = tmp_path / "cache"
    first = generate(project.content, project.config, cache_dir=cache)
    # A feed per city, the pages and the updates of each day, the pages of each city, the site's feeds,
    # and the corrections page and feed.
    assert len(first.fresh) == 3 + 4 + 4 + 3 + 1 + 2
    assert generate(project.content, project.config, cache_dir=cache).fresh == ()
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    again = generate(project.content, project.config, cache_dir=cache)
    assert again.fresh == (
        "feed cities/kharkiv/feed.xml", "feed feed.xml", "pages city kharkiv", "pages day 2022-03-02", "updates day 2022-03-02"
    )  # fmt: skip
    pages = {page.url: page.html for page in again.pages}
    assert "E1 edited" in pages["2022/03/02/"] and "E1 edited" in pages["cities/kharkiv/"]


def test_editing_a_body_leaves_the_entity_pages_that_list_it_alone(tmp_path: Path) -> None:
    project = _archive(tmp_path)
    cache = tmp_path / "cache"
    first = generate(project.content, project.config, cache_dir=cache)
    path = project.content / "2022/03/02/e1.md"
    path.write_text(path.read_text("utf-8") + "A corrected figure.\n", "utf-8")
    again = generate(project.content, project.config, cache_dir=cache)
    # An entity page shows an entry's time, title and link, never its body.
    assert again.fresh == ("feed cities/kharkiv/feed.xml", "feed feed.xml", "pages day 2022-03-02", "updates day 2022-03-02")
    pages = {page.url: page.html for page in again.pages}
    assert "A corrected figure." in pages["2022/03/02/"]
    assert pages["cities/kharkiv/"] == {page.url: page.html for page in first.pages}["cities/kharkiv/"]
    assert b"A corrected figure." in again.files["cities/kharkiv/feed.xml"]


def test_an_update_added_to_an_old_day_renders_its_month_not_the_other_months(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import views

    monkeypatch.setattr(views, "MONTHS_FROM", 3)
    monkeypatch.setattr(views, "ENTITY_LATEST", 2)
    project = make_project(tmp_path)
    for n, day in enumerate(["2022-01-15", "2022-02-10", "2022-03-01", "2022-03-05", "2022-04-01"]):
        project.entry(f"{day.replace('-', '/')}/u{n}.md", f"title: U{n}\npublished: {day}T10:00:00+02:00\ncities: [Kyiv]")
    cache = tmp_path / "cache"
    first = generate(project.content, project.config, cache_dir=cache)
    assert [page.url for page in first.pages if page.url.startswith("cities/kyiv/")] == [
        "cities/kyiv/", "cities/kyiv/2022/04/", "cities/kyiv/2022/03/", "cities/kyiv/2022/02/", "cities/kyiv/2022/01/",
    ]  # fmt: skip
    project.entry("2022/02/10/late.md", "title: Late\npublished: 2022-02-10T12:00:00+02:00\ncities: [Kyiv]")
    again = generate(project.content, project.config, cache_dir=cache)
    # Its day, its month's page and the entity's page (counts, chart); no other month.
    assert [label for label in again.fresh if label.startswith("pages")] == [
        "pages city kyiv", "pages city kyiv 2022-02", "pages day 2022-02-10",
    ]  # fmt: skip


def test_a_rebuild_reads_back_the_html_of_stored_pages_only_when_used(tmp_path: Path) -> None:
    project = _archive(tmp_path)
    cache = tmp_path / "cache"
    first = {page.url: page.html for page in generate(project.content, project.config, cache_dir=cache).pages}
    again = generate(project.content, project.config, cache_dir=cache)
    stored = [page for page in again.pages if page.inputs]
    assert stored and all(page.data is None for page in stored)  # none read back yet
    assert {page.url: page.html for page in again.pages} == first


def test_a_page_whose_stored_html_is_lost_is_rendered_again_with_a_warning(tmp_path: Path) -> None:
    project = _archive(tmp_path)
    assert project.build().code == 0
    texts = project.root / ".cache" / "output-texts"
    lost = list(texts.glob("[0-9]*.pickle"))
    for bucket in lost:
        bucket.unlink()  # the index still lists the pages' HTML
    # Into another folder: no page can be copied from a previous site, all would be read back.
    result = project.build(site=tmp_path / "other")
    assert result.code == 0, result.out + result.err
    assert result.lines == [f"{texts}: warning: {len(lost)} files of this cache were missing or damaged; what they held is built again"]
    assert {p.relative_to(project.site): p.read_bytes() for p in project.site.rglob("*") if p.is_file()} == {
        p.relative_to(tmp_path / "other"): p.read_bytes() for p in (tmp_path / "other").rglob("*") if p.is_file()
    }


def test_clean_renders_everything_again(tmp_path: Path) -> None:
    project = _archive(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    assert len(generate(project.content, project.config, cache_dir=cache, clean=True).fresh) == 17


def test_a_rebuild_copies_unchanged_pages_and_stays_byte_identical(tmp_path: Path) -> None:
    from conftest import MKDOCS_YML
    from generator.build import build

    project = _archive(tmp_path)
    cache = tmp_path / "cache"

    def rebuild(site: Path, clean: bool = False):
        return build(mkdocs_yml=MKDOCS_YML, content_dir=project.content, config_dir=project.config,
                     site_dir=site, cache_dir=cache, clean=clean)  # fmt: skip

    assert rebuild(project.site).reused == ()
    assert any((cache / "templates").iterdir())  # the theme's compiled templates, kept
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    again = rebuild(project.site)
    # Unchanged: the other days, the other cities, Kharkiv's older page... everything
    # but the edited day, Kharkiv's page and the pages in the navigation.
    assert "2022/03/02/" not in again.reused and "cities/kharkiv/" not in again.reused
    assert {"2022/03/01/", "2022/03/03/", "2022/03/04/", "cities/kyiv/", "cities/odesa/"} <= set(again.reused)
    clean = tmp_path / "clean"
    rebuild(clean, clean=True)
    from test_integrity import _digest

    assert _digest(project.site) == _digest(clean)


def test_a_rebuild_links_the_unchanged_feeds_and_theme_files_and_writes_the_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from conftest import MKDOCS_YML, REPO
    from generator import mkdocs_plugin
    from generator.build import build

    # Theme files changed a moment ago are copied again by every build until they settle.
    monkeypatch.setattr(mkdocs_plugin, "SETTLED_NS", -60 * 10**9)
    project = _archive(tmp_path)
    theme = shutil.copytree(REPO / "theme", tmp_path / "theme")
    yml = tmp_path / "mkdocs.yml"
    yml.write_text(MKDOCS_YML.read_text("utf-8").replace("custom_dir: theme", f"custom_dir: {theme}"), "utf-8")

    def rebuild() -> dict[str, int]:
        build(mkdocs_yml=yml, content_dir=project.content, config_dir=project.config, site_dir=project.site,
              cache_dir=tmp_path / "cache")  # fmt: skip
        return {p.relative_to(project.site).as_posix(): p.stat().st_ino for p in project.site.rglob("*") if p.is_file()}

    before = rebuild()
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    with (theme / "assets/stylesheets/briefings.css").open("a", encoding="utf-8") as css:
        css.write("\n/* changed */\n")
    after = rebuild()
    linked = {name for name in after if before.get(name) == after[name]}  # the same file in both sites
    assert "cities/kyiv/feed.xml" in linked and "assets/javascripts/search.js" in linked
    assert any(name.startswith("assets/javascripts/bundle.") for name in linked)  # mkdocs-material's own
    assert not {"cities/kharkiv/feed.xml", "feed.xml", "assets/stylesheets/briefings.css"} & linked
    assert (project.site / "assets/stylesheets/briefings.css").read_text("utf-8").endswith("/* changed */\n")


def test_a_build_that_changes_nothing_leaves_the_caches_as_they_were(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cache import file_digests

    # Files written a moment ago are hashed again by every build until they settle.
    monkeypatch.setattr(file_digests, "SETTLED_NS", -60 * 10**9)
    project = _archive(tmp_path)
    cache = tmp_path / "cache"

    def stamps() -> dict[str, int]:
        return {p.relative_to(cache).as_posix(): p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}

    generate(project.content, project.config, cache_dir=cache)
    before = stamps()
    # (The open data's index describes a published site: a build writes it, once its site is in place.)
    assert {name.split("/")[0] for name in before} == {"archive", "entries", "outputs", "output-texts", "generator-templates"}
    generate(project.content, project.config, cache_dir=cache)
    assert stamps() == before
    (project.content / "2022/03/01/e0.md").unlink()  # a removed entry leaves both caches...
    generate(project.content, project.config, cache_dir=cache)
    after = stamps()
    rewritten = {name.split("/")[0] for name in before if after.get(name) != before[name]}
    assert rewritten == {"archive", "entries", "outputs", "output-texts"}
    # ...and only the buckets that held it are written again.
    # (The index of what each bucket holds is written with them.)
    buckets = [name for name in before if name.startswith("entries/") and name not in ("entries/digests.pickle", "entries/index.pickle")]
    assert sum(after.get(name) != before[name] for name in buckets) == 1


def test_an_edit_rewrites_one_bucket_of_read_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cache import file_digests
    from generator.problems import ProblemLog
    from generator.cache.entry_cache import EntryCache
    from generator.cache.storage import LazyBuckets
    from generator.settings import load_settings

    monkeypatch.setattr(file_digests, "SETTLED_NS", -60 * 10**9)
    project = _archive(tmp_path)
    cache = tmp_path / "cache"
    generate(project.content, project.config, cache_dir=cache)
    buckets = sorted(p for p in (cache / "entries").iterdir() if p.name not in (file_digests.FileDigests.FILE, LazyBuckets.INDEX))
    assert 1 < len(buckets) <= 12  # spread by path
    before = {p.name: p.stat().st_mtime_ns for p in buckets}
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    generate(project.content, project.config, cache_dir=cache)
    changed = [p.name for p in buckets if p.stat().st_mtime_ns != before.get(p.name)]
    assert len(changed) == 1
    settings = load_settings(project.config, ProblemLog())
    assert settings is not None
    titles = sorted(entry.title for entry, _ in EntryCache.open(cache, settings).all_results().values() if entry)
    assert titles == sorted([f"E{n}" for n in range(12) if n != 1] + ["E1 edited"])


def test_mkdocs_build_and_serve_rebuild_through_the_caches_and_keep_no_pages_there(tmp_path: Path) -> None:
    """Plain `mkdocs build` (and each `mkdocs serve` rebuild) empties the site first: it reads
    and renders through the caches, and MkDocs writes every page; the cache holds no page."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from test_integrity import _digest

    project = _archive(tmp_path)
    yml = project.mkdocs_yml(tmp_path / "mkdocs.yml")

    def build(site: Path):  # noqa: ANN202 - the plugin instance
        config = load_config(str(yml), site_dir=str(site))
        mkdocs_build(config)
        return config.plugins["briefings"]

    assert build(tmp_path / "first").reused == []
    project.entry("2022/03/02/e1.md", "title: E1 edited\npublished: 2022-03-02T11:00:00+02:00\ncities: [Kharkiv]")
    assert build(tmp_path / "second").reused == []
    cache = tmp_path / ".cache" / "briefings"
    assert not (cache / "last-pages").exists() and not (cache / "site-index.json").exists()
    fresh_cache = tmp_path / "fresh"
    (fresh_cache / "mkdocs.yml").parent.mkdir()
    yml.rename(fresh_cache / "mkdocs.yml")  # the same site with an empty cache beside it
    yml = fresh_cache / "mkdocs.yml"
    build(tmp_path / "third")
    assert _digest(tmp_path / "second") == _digest(tmp_path / "third")


@pytest.mark.parametrize(
    "module", ["feeds.py", "structured_data.py", "outputs.py", "autolink.py", "fragments.py", "templates/day.html", "data/README.md"]
)
def test_changing_any_file_of_the_generator_empties_every_cache(tmp_path: Path, module: str) -> None:
    import shutil
    import sys

    from generator.cache.fingerprint import PACKAGE, code_fingerprint, fingerprint_of

    copy = tmp_path / "generator"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert fingerprint_of(copy, sys.path) == code_fingerprint()
    with (copy / module).open("a", encoding="utf-8") as changed:
        changed.write("\n")
    assert fingerprint_of(copy, sys.path) != code_fingerprint()


def test_another_version_of_any_library_empties_every_cache(tmp_path: Path) -> None:
    import sys

    from generator.cache.fingerprint import PACKAGE, code_fingerprint, fingerprint_of

    site_packages = tmp_path / "site-packages"
    site_packages.mkdir()
    (site_packages / "somelibrary-1.0.dist-info").mkdir()
    with_one = fingerprint_of(PACKAGE, [*sys.path, str(site_packages)])
    assert with_one != code_fingerprint()
    (site_packages / "somelibrary-1.0.dist-info").rename(site_packages / "somelibrary-1.1.dist-info")
    assert fingerprint_of(PACKAGE, [*sys.path, str(site_packages)]) != with_one


def test_the_day_pages_are_handed_on_before_the_other_pages_are_rendered(tmp_path: Path) -> None:
    from generator.outputs import render_outputs
    from generator.render import Renderer
    from generator.site import load_archive

    archive, _ = load_archive(_archive(tmp_path).content, tmp_path / "site_config")
    renderer = Renderer(archive)
    handed: list[tuple[list[str], list[str]]] = []

    def on_days(pages) -> None:  # what the search starts on
        handed.append(([page.url for page in pages], list(renderer.store.fresh)))

    pages = render_outputs(archive, renderer, on_days).pages
    days = ["2022/03/01/", "2022/03/02/", "2022/03/03/", "2022/03/04/"]
    assert [urls for urls, _ in handed] == [days]
    assert [page.url for page in pages if page.url.startswith("2022/")] == days
    # The days' pages and their updates' documents; no entity page, index page or feed yet.
    assert {" ".join(label.split()[:2]) for label in handed[0][1]} == {"pages day", "updates day"}


def test_stored_pages_keep_their_html_apart_and_read_it_back_when_used(tmp_path: Path) -> None:
    import pickle

    from generator.cache.output_store import OutputStore
    from generator.render import RenderedPage
    from generator.cache.storage import read_sealed

    html = "<p>Kyiv – Київ “quoted”</p>".encode("utf-8")
    first = OutputStore(tmp_path, "context")
    assert first.get("p", lambda: [RenderedPage("2022/03/03/", "3 March", html, "day", "", ())], "pages z")[0].body == html
    assert first.get("f", lambda: b"\xff raw bytes", "feed y") == b"\xff raw bytes"
    first.save()

    def stored(folder: str) -> dict:
        found: dict = {}
        for bucket in (tmp_path / folder).glob("[0-9]*.pickle"):
            found.update(pickle.loads(read_sealed(bucket))[1])
        return found

    # The pages' HTML is kept apart, read only when a build uses it; the rest is read at once.
    assert stored(OutputStore.TEXTS) == {"p#0": html}
    assert stored(OutputStore.FOLDER)["f"] == b"\xff raw bytes"
    second = OutputStore(tmp_path, "context")
    (page,) = second.get("p", lambda: [], "pages z")
    assert page.data is None and page.body == html
    assert second.get("f", lambda: b"again", "feed y") == b"\xff raw bytes"
    assert second.fresh == []


def test_the_cache_serves_the_content_folder_however_it_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cache import file_digests

    monkeypatch.setattr(file_digests, "SETTLED_NS", -60 * 10**9)
    project = _archive(tmp_path)
    project.entry("2022/03/04/bell.md", "title: Bell\npublished: 2022-03-04T09:00:00+02:00", "A bell\x07 rang.")
    cache = tmp_path / "cache"
    monkeypatch.chdir(tmp_path)
    # `briefings build` names the folder as given (content/); MkDocs gives an absolute path.
    relative = generate(Path("content"), project.config, cache_dir=cache)
    entries_cache = sorted((cache / "entries").iterdir())
    before = {p: p.stat().st_mtime_ns for p in entries_cache}
    absolute = generate(project.content.resolve(), project.config, cache_dir=cache)
    assert {p: p.stat().st_mtime_ns for p in entries_cache} == before  # nothing read again
    assert absolute.fresh == ()
    # Entries and their warnings name the file as this run does.
    assert [w.path for w in relative.warnings] == ["content/2022/03/04/bell.md"]
    assert [w.path for w in absolute.warnings] == [str(project.content.resolve() / "2022/03/04/bell.md")]
    assert {e.path for e in absolute.archive.entries} == {str(p.resolve()) for p in project.content.rglob("*.md")}
