"""The Pagefind search index written after each build (generator/search_index.py).

Only day pages are indexed, one Pagefind page each, with every entry a sub-result
(its heading's id) and its cities and people as filters; what a reader downloads to
run one search stays under 1 MB, on the sample archive and on a 5,000-entry one.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from conftest import MKDOCS_YML, REPO, SAMPLE_CONFIG, SAMPLE_CONTENT, run_cli
from generator.parallel import usable_cores
from generator.search_index import SHARDS, IndexJob, SearchIndexError, _read, index_site, shard_of

MB = 1024 * 1024
RESULTS_SHOWN = 5  # Pagefind's UI loads the fragments of five results at a time


def _build(tmp: Path, content: Path, config: Path) -> Path:
    site = tmp / "site"
    result = run_cli(
        "build", "--content", content, "--config", config, "--site-dir", site, "--mkdocs-config", MKDOCS_YML,
    )  # fmt: skip
    assert result.code == 0, result.out + result.err
    return site


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("search"), SAMPLE_CONTENT, SAMPLE_CONFIG)


def _day_pages(site: Path) -> list[str]:
    return sorted("/" + p.parent.relative_to(site).as_posix() + "/" for p in site.glob("[0-9]*/*/*/index.html"))


def _bundles(site: Path) -> list[Path]:
    """The bundles the search merges, as pagefind/bundles.json lists them."""
    listed = json.loads((site / "pagefind" / "bundles.json").read_text("utf-8"))
    return [site / "pagefind" / path for path in listed]


def _fragments(site: Path) -> list[dict]:
    fragments = []
    for bundle in _bundles(site):
        for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
            data = gzip.decompress(path.read_bytes())
            assert data.startswith(b"pagefind_dcd"), path
            fragments.append(json.loads(data[len(b"pagefind_dcd") :]))
    return fragments


def _language(bundle: Path) -> dict:
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    (language,) = entry["languages"].values()
    return language


def _meta(bundle: Path) -> list:
    return _read(bundle / f"pagefind.{_language(bundle)['hash']}.pf_meta")


def search_download(site: Path) -> dict[str, int]:
    """Bytes a reader fetches to open the search and run one query, by part (an upper bound).

    From the first bundle: Pagefind's UI (script and styles), pagefind.js with its
    worker and the WebAssembly for the site's language; then the manifest; from every
    bundle: the entry file and the language's metadata, every filter file (the UI
    lists the filters) and the largest index chunk (a query reads the chunk holding
    its words); and the fragments of the five largest pages (the results shown).
    """
    bundles = _bundles(site)
    first = bundles[0]

    def size(*paths: Path) -> int:
        return sum(p.stat().st_size for p in paths)

    largest = lambda paths, n=1: sorted((p.stat().st_size for p in paths), reverse=True)[:n]  # noqa: E731
    return {
        "ui": size(first / "pagefind-ui.js", first / "pagefind-ui.css"),
        "engine": size(first / "pagefind.js", first / "pagefind-worker.js", first / f"wasm.{_language(first)['wasm']}.pagefind"),
        "manifest": size(site / "pagefind" / "bundles.json"),
        "entries + metadata": sum(
            size(b / "pagefind-entry.json", b / f"pagefind.{_language(b)['hash']}.pf_meta") for b in bundles
        ),
        "filters": sum(size(*b.glob("filter/*.pf_filter")) for b in bundles),
        "index chunks": sum(sum(largest(b.glob("index/*.pf_index"))) for b in bundles),
        "fragments": sum(largest([f for b in bundles for f in b.glob("fragment/*.pf_fragment")], RESULTS_SHOWN)),
    }


def test_the_build_writes_the_pagefind_bundles(sample_site):
    bundles = _bundles(sample_site)
    # The sample's three days fall in three shards: the search has bundles to merge.
    assert [b.name for b in bundles] == sorted((b.name for b in bundles), key=int) and len(bundles) == 3
    for name in ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css"):
        assert (bundles[0] / name).is_file(), f"{bundles[0]}/{name} is missing"
    assert not (sample_site / "search" / "search_index.json").exists(), "material's search index is still built"


def test_one_indexed_page_per_day_and_nothing_else(sample_site):
    days = _day_pages(sample_site)
    assert days
    fragments = _fragments(sample_site)
    assert sorted(f["url"] for f in fragments) == days  # no home, entity, archive or section pages
    bundles = _bundles(sample_site)
    assert sum(_language(b)["page_count"] for b in bundles) == len(days)
    assert sum(len(_meta(b)[1]) for b in bundles) == len(days)


def test_each_day_goes_to_the_shard_of_its_date(sample_site):
    for bundle in _bundles(sample_site):
        for fragment in _fragments_of(bundle):
            assert shard_of(fragment["url"].strip("/") + "/") == int(bundle.name), fragment["url"]


def _fragments_of(bundle: Path) -> list[dict]:
    return [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd") :]) for p in bundle.glob("fragment/*")]


def test_every_entry_is_a_sub_result_with_its_filters(sample_site):
    for fragment in _fragments(sample_site):
        page = lxml.html.fromstring((sample_site / fragment["url"].strip("/") / "index.html").read_bytes())
        articles = page.xpath("//article[contains(@class, 'brf-entry')]")
        headings = {a["id"]: a["text"] for a in fragment["anchors"] if a["element"] == "h2"}
        assert headings == {
            f"{a.get('id')}__title": a.xpath("string(.//h2[@class='brf-entry__title'])") for a in articles
        }, fragment["url"]
        cities = {c.text_content().strip() for c in page.xpath("//article//a[contains(@class, 'brf-chip--city')]")}
        people = {c.text_content().strip() for c in page.xpath("//article//a[contains(@class, 'brf-chip--person')]")}
        assert set(fragment["filters"].get("City", [])) == cities, fragment["url"]
        assert set(fragment["filters"].get("Person", [])) == people, fragment["url"]
        # The page's chrome and the entries' times, sources and "Updated 11:05" stay out of the index.
        assert "Sources:" not in fragment["content"] and "Made with Material" not in fragment["content"]
        assert not re.search(r"Updated \d", fragment["content"]), fragment["url"]


def test_a_filter_counts_each_day_once(sample_site):
    # A search lists days: the filter "Kyiv (3)" must mean three of the days found, however
    # many of each day's updates name Kyiv.
    named = 0
    for bundle in _bundles(sample_site):
        for path in bundle.glob("filter/*.pf_filter"):
            for value, pages in _read(path)[1]:
                assert len(pages) == len(set(pages)), (path.name, value, pages)
                named += len(pages)
    assert named  # the sample's days name cities and people


def test_a_name_shows_as_text_in_the_search_boxs_filters(tmp_path):
    # The search box writes a filter's values as HTML, and Pagefind reads a name's "&lt;" as "<":
    # a name written with entities must still show as text, never run as markup.
    content, config = tmp_path / "content", tmp_path / "site_config"
    shutil.copytree(SAMPLE_CONFIG, config)
    (config / "people.yml").write_text('- name: "Eve &lt;img src=x onerror=alert(1)&gt;"\n- name: "Tom & Jerry"\n', "utf-8")
    day = content / "2022" / "03" / "03"
    day.mkdir(parents=True)
    (day / "eve.md").write_text("---\ntitle: Eve\npublished: 2022-03-03T10:00:00+02:00\npeople:\n"
                                "  - 'Eve &lt;img src=x onerror=alert(1)&gt;'\n  - Tom & Jerry\n---\nBody.\n", "utf-8")  # fmt: skip
    site = _build(tmp_path, content, config)
    values = [value[0] for bundle in _bundles(site) for path in bundle.glob("filter/*.pf_filter") for value in _read(path)[1]]
    assert "Tom &amp; Jerry" in values  # "Tom & Jerry" as HTML text
    assert values and not [value for value in values if "<" in value]


def test_reindexing_writes_the_same_bytes(sample_site, tmp_path):
    def digest(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}

    # The build indexes stand-in pages while MkDocs writes the real ones (IndexJob);
    # indexing the finished site must give the very same bundle.
    before = digest(sample_site)
    for _ in range(3):  # Pagefind's own filter order changes from run to run
        shutil.rmtree(sample_site / "pagefind")
        index_site(sample_site)
        assert digest(sample_site) == before


def test_index_site_reports_a_missing_site(tmp_path):
    with pytest.raises(SearchIndexError, match="no such directory"):
        index_site(tmp_path / "nowhere")


def test_a_search_downloads_under_1_mb(sample_site):
    parts = search_download(sample_site)
    assert sum(parts.values()) < MB, parts


@pytest.mark.slow
def test_a_search_downloads_under_1_mb_at_5000_entries(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, "-m", "generator.synthetic", str(corpus), "--entries", "5000"],
        cwd=REPO, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    site = _build(tmp_path, corpus / "content", corpus / "site_config")
    assert len(_fragments(site)) == len(_day_pages(site))
    parts = search_download(site)
    assert sum(parts.values()) < MB, parts


def _bundle(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def _day(number: int, word: str) -> tuple[str, str]:
    html = f'<h1>{number} March 2022</h1><article data-pagefind-body><h2 id="a{number}">Sirens</h2><p>{word}.</p></article>'
    return (f"2022/03/{number:02d}/", html)


def test_a_rebuild_indexes_only_the_shard_of_the_edited_day(tmp_path):
    days = [_day(n, "Kyiv") for n in range(1, 2 * SHARDS + 1)]  # two days in each shard
    cache = tmp_path / "cache"
    sites = {name: tmp_path / name for name in ("first", "again", "edited", "clean")}
    first = IndexJob(days, "en", cache_dir=cache)
    assert first.reused == ()
    first.finish(sites["first"])
    again = IndexJob(days, "en", cache_dir=cache)
    assert again.reused == tuple(range(SHARDS))
    again.finish(sites["again"])
    assert _bundle(sites["again"]) == _bundle(sites["first"])
    edited_day = _day(3, "Lviv")
    edited = IndexJob([edited_day if url == edited_day[0] else (url, html) for url, html in days], "en", cache_dir=cache)
    assert edited.reused == tuple(n for n in range(SHARDS) if n != shard_of(edited_day[0]))
    edited.finish(sites["edited"])
    changed = {path.split("/")[1] for path, data in _bundle(sites["edited"]).items() if _bundle(sites["first"]).get(path) != data}
    assert changed == {str(shard_of(edited_day[0]))}
    clean = IndexJob(days, "en", cache_dir=cache, read=False)  # --clean reads no cache
    assert clean.reused == ()
    clean.finish(sites["clean"])
    assert _bundle(sites["clean"]) == _bundle(sites["first"])


def test_a_bundle_another_build_kept_meanwhile_stays_as_it_is(tmp_path):
    """Builds on one cache may index the same shard at once: the first to finish keeps its
    bundle, and the others leave it in place rather than replace it under each other."""
    cache = tmp_path / "cache"
    IndexJob([_day(1, "Kyiv")], "en", cache_dir=cache).finish(tmp_path / "first")
    (kept,) = [path for path in (cache / "search").iterdir()]
    entry = (kept / "pagefind-entry.json").stat().st_ino
    IndexJob([_day(1, "Kyiv")], "en", cache_dir=cache, read=False).finish(tmp_path / "second")
    assert (kept / "pagefind-entry.json").stat().st_ino == entry
    assert [path.name for path in (cache / "search").iterdir()] == [kept.name]  # no copy left behind
    assert _fragments(tmp_path / "second") == _fragments(tmp_path / "first")


def test_a_day_gone_since_the_last_build_leaves_the_index(tmp_path):
    cache = tmp_path / "cache"
    early, later = _day(1, "Kyiv"), _day(1 + SHARDS, "Lviv")  # one shard
    assert shard_of(early[0]) == shard_of(later[0])
    IndexJob([early, later], "en", cache_dir=cache).finish(tmp_path / "first")
    IndexJob([early], "en", cache_dir=cache).finish(tmp_path / "second")
    assert [fragment["url"] for fragment in _fragments(tmp_path / "second")] == ["/2022/03/01/"]


def test_no_days_no_bundles_and_a_search_that_says_so(tmp_path):
    IndexJob([], "en").finish(tmp_path)
    assert json.loads((tmp_path / "pagefind" / "bundles.json").read_text("utf-8")) == []


def test_stand_in_pages_leave_out_the_structured_data_and_what_the_search_skips():
    from generator.search_index import what_pagefind_reads

    ld = '<script type="application/ld+json">{"a": "<b>"}</script>'
    assert what_pagefind_reads(f"<h1>Day</h1>{ld}<p>x</p>{ld}") == "<h1>Day</h1><p>x</p>"
    assert what_pagefind_reads("<script>keep()</script><p>x</p>") == "<script>keep()</script><p>x</p>"
    assert what_pagefind_reads('<p>x</p><script type="application/ld+json">{') == '<p>x</p><script type="application/ld+json">{'
    permalink = '<a class="brf-entry__time" data-pagefind-ignore href="#a"><time>09:40</time></a>'
    sources = '<p class="brf-sources" data-pagefind-ignore>Sources: <cite><a href="https://x.org/">X</a></cite></p>'
    kept = '<a class="brf-mention" href="#k">Kyiv</a> <p class="brf-sources">Sources:</p>'
    assert what_pagefind_reads(f"<article>{permalink}<h2>T</h2>{kept}{sources}</article>") == f"<article><h2>T</h2>{kept}</article>"


def _fake_pagefind(tmp_path: Path, monkeypatch, script: str) -> Path:
    """A program in Pagefind's place, to see what the build does when Pagefind misbehaves."""
    from generator import search_index

    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\n" + script, "utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: program)
    return program


def test_a_failing_pagefind_fails_the_index_with_its_output(tmp_path, monkeypatch):
    _fake_pagefind(tmp_path, monkeypatch, 'echo "Error: cannot index"\necho "the reason" >&2\nexit 3\n')
    job = IndexJob([_day(1, "Kyiv")], "en", cache_dir=tmp_path / "cache")
    with pytest.raises(SearchIndexError, match=r"^Pagefind failed \(exit 3\):\nError: cannot index\nthe reason$"):
        job.finish(tmp_path / "site")
    assert not (tmp_path / "cache" / "search").exists() or not any((tmp_path / "cache" / "search").iterdir())


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads processor affinities from /proc")
def test_several_shards_index_each_on_one_processor_and_one_shard_on_all(tmp_path, monkeypatch):
    seen = tmp_path / "seen"
    _fake_pagefind(tmp_path, monkeypatch, f"grep Cpus_allowed_list /proc/$$/status >> {seen}\nexit 3\n")
    with pytest.raises(SearchIndexError):
        IndexJob([_day(n, "Kyiv") for n in range(1, 3)], "en").finish(tmp_path / "several")
    allowed = [line.split(":")[1].strip() for line in seen.read_text().splitlines()]
    assert allowed and all(value.isdigit() for value in allowed), allowed
    seen.unlink()
    with pytest.raises(SearchIndexError):
        IndexJob([_day(1, "Kyiv")], "en").finish(tmp_path / "one")
    everywhere = Path("/proc/self/status").read_text().split("Cpus_allowed_list:")[1].split()[0]
    assert seen.read_text().split(":")[1].strip() == everywhere


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_cancel_stops_pagefind_and_leaves_nothing_behind(tmp_path, monkeypatch):
    import time

    pids = tmp_path / "pids"
    _fake_pagefind(tmp_path, monkeypatch, f'echo $$ >> {pids}\nexec sleep 60\n')
    job = IndexJob([_day(n, "Kyiv") for n in range(1, SHARDS + 1)], "en")
    # One Pagefind a processor at a time (each holds its bundle's index in memory).
    at_once = min(SHARDS, max(2, usable_cores()))
    deadline = time.monotonic() + 10
    while len(pids.read_text().split() if pids.exists() else []) < at_once and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # time enough for another to start, were one let
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == at_once
    job.cancel()
    deadline = time.monotonic() + 5  # a kill is delivered, not waited for: give each a moment to end
    while not all(map(_ended, started)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in started:  # every Pagefind was killed with the job's child: gone, or dead and not yet reaped
        assert _ended(pid), pid
    assert not job._work.exists()


def _ended(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs the tmpfs at /dev/shm")
def test_the_index_is_the_same_with_the_cache_on_another_file_system(tmp_path):
    """Pagefind numbers pages in the order it finds them, which a folder's order on disk must not decide."""
    import tempfile

    from conftest import make_project

    project = make_project(tmp_path)
    for day in range(1, 32):  # every shard holds two or more days of March: pages side by side in one folder
        project.entry(f"2022/03/{day:02d}/d{day}.md", f"title: Day {day}\npublished: 2022-03-{day:02d}T10:00:00+02:00\n"
                      f"cities: [City {day % 3}]", f"Word{day} and more words.")  # fmt: skip
    sites = {}
    with tempfile.TemporaryDirectory(dir="/dev/shm") as tmpfs:
        for name, cache in (("disk", tmp_path / "cache"), ("tmpfs", Path(tmpfs) / "cache")):
            result = project.build("--cache-dir", str(cache), site=tmp_path / name)
            assert result.code == 0, result.out + result.err
            sites[name] = _bundle(tmp_path / name)
    assert len({path.split("/")[1] for path in sites["disk"] if path.count("/") > 1}) == SHARDS
    assert sites["disk"] == sites["tmpfs"]


def test_a_kept_bundle_is_copied_never_shared_and_a_damaged_one_is_indexed_again(tmp_path):
    cache = tmp_path / "cache"
    days = [_day(1, "Kyiv"), _day(2, "Lviv")]
    IndexJob(days, "en", cache_dir=cache).finish(tmp_path / "first")
    again = IndexJob(days, "en", cache_dir=cache)
    again.finish(tmp_path / "again")
    assert again.reused == tuple(sorted(shard_of(url) for url, _ in days)) and again.damaged == []

    def inodes(root: Path) -> set[tuple[int, int]]:
        return {(s.st_dev, s.st_ino) for p in root.rglob("*") if p.is_file() and (s := p.stat())}

    assert not inodes(tmp_path / "again") & inodes(cache) and not inodes(tmp_path / "first") & inodes(cache)
    kept = {_fragments_of(b)[0]["url"]: b for b in (cache / "search").iterdir() if not b.name.startswith(".")}  # a day each
    (damaged,) = (kept["/2022/03/01/"] / "fragment").iterdir()
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    third = IndexJob(days, "en", cache_dir=cache)
    assert third.reused == (shard_of("2022/03/02/"),)
    assert third.damaged == [str(damaged.parents[1])]
    third.finish(tmp_path / "third")
    assert _bundle(tmp_path / "third") == _bundle(tmp_path / "first")



def test_a_rebuild_takes_the_bundles_the_previous_site_holds_as_written(tmp_path):
    from generator.previous_site import PreviousSite, record

    cache, site = tmp_path / "cache", tmp_path / "site"
    days = [_day(1, "Kyiv"), _day(2, "Lviv")]
    first = IndexJob(days, "en", cache_dir=cache)
    first.finish(site)
    record(cache, site, first.outputs)
    built = _bundle(site)
    kyiv, lviv = (f"pagefind/{shard_of(url)}" for url, _ in days)
    (changed,) = (site / lviv / "fragment").iterdir()
    changed.write_bytes(changed.read_bytes() + b"\0")  # the previous site's Lviv bundle, rewritten since
    again = IndexJob(days, "en", cache_dir=cache, previous=PreviousSite.load(cache, site))
    assert again.reused == tuple(sorted(shard_of(url) for url, _ in days))
    again.finish(tmp_path / "new")
    assert _bundle(tmp_path / "new") == built
    for path in built:
        if path.startswith(kyiv + "/"):  # as written: the very file
            assert (tmp_path / "new" / path).stat().st_ino == (site / path).stat().st_ino, path
        elif path.startswith(lviv + "/"):  # a copy of the cache's, checked
            assert (tmp_path / "new" / path).stat().st_ino != (site / path).stat().st_ino, path
