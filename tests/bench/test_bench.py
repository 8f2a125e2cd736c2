"""The benchmark's own helpers, on tiny inputs (no builds, no timing)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import yaml

from generator import synthetic

_SPEC = importlib.util.spec_from_file_location("briefings_bench", Path(__file__).with_name("bench.py"))
bench = importlib.util.module_from_spec(_SPEC)
sys.modules["briefings_bench"] = bench
_SPEC.loader.exec_module(bench)


def write(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)


def test_search_download_of_mkdocs_search(tmp_path: Path) -> None:
    write(tmp_path / "search" / "search_index.json", 1000)
    write(tmp_path / "assets" / "javascripts" / "workers" / "search.abc.min.js", 200)
    write(tmp_path / "assets" / "javascripts" / "workers" / "search.abc.min.js.map", 5000)
    assert bench.search_download(tmp_path) == (1200, "search_index.json + search worker")


def test_search_download_of_pagefind_takes_fixed_files_and_the_largest_chunk(tmp_path: Path) -> None:
    pf = tmp_path / "pagefind"
    write(pf / "pagefind.js", 10)
    write(pf / "pagefind-entry.json", 1)
    write(pf / "wasm.en.pagefind", 100)
    write(pf / "wasm.unknown.pagefind", 90)
    write(pf / "pagefind.en_1.pf_meta", 20)
    write(pf / "index" / "en_1.pf_index", 300)
    write(pf / "index" / "en_2.pf_index", 400)
    write(pf / "pagefind-worker.js", 7)
    write(pf / "pagefind-ui.js", 50)
    write(pf / "pagefind-ui.css", 5)
    write(pf / "pagefind-component-ui.js", 8000)  # another UI, never loaded
    write(pf / "filter" / "en_1.pf_filter", 3)
    for n in range(7):
        write(pf / "fragment" / f"en_{n}.pf_fragment", 1000 + n)
    size, kind = bench.search_download(tmp_path)
    assert size == 10 + 1 + 100 + 20 + 400 + 7 + 50 + 5 + 3 + sum(1000 + n for n in range(2, 7))
    assert kind.startswith("Pagefind")
    assert bench.search_download(tmp_path / "nothing") == (None, "no search")


def test_search_download_of_merged_bundles_counts_each_bundles_index_once(tmp_path: Path) -> None:
    pf = tmp_path / "pagefind"
    (pf / "bundles.json").parent.mkdir(parents=True)
    (pf / "bundles.json").write_text('["0/", "2/"]\n')  # 13 bytes
    for shard, extra in (("0", 0), ("2", 1)):
        b = pf / shard
        for name, size in (("pagefind.js", 10), ("pagefind-worker.js", 7), ("pagefind-ui.js", 50), ("pagefind-ui.css", 5),
                           ("wasm.en.pagefind", 100), ("pagefind-entry.json", 1), ("pagefind.en_1.pf_meta", 20 + extra),
                           ("index/en_1.pf_index", 300 + extra), ("filter/en_1.pf_filter", 3),
                           ("fragment/en_1.pf_fragment", 1000 + extra)):  # fmt: skip
            write(b / name, size)
    write(pf / "1" / "pagefind-entry.json", 10**6)  # not listed: never loaded
    size, kind = bench.search_download(tmp_path)
    engine_and_ui = 10 + 7 + 50 + 5 + 100
    per_bundle = (1 + 20 + 300 + 3) * 2 + 2  # entry, metadata, largest chunk, filters; the second one's extra bytes
    assert size == 13 + engine_and_ui + per_bundle + 1000 + 1001
    assert kind.startswith("Pagefind, 2 bundles")


def test_blog_conversion_keeps_every_entry_with_date_and_categories(tmp_path: Path) -> None:
    synthetic.generate(tmp_path / "corpus", 40, seed=1)
    project = tmp_path / "blog"
    bench.convert_to_blog(tmp_path / "corpus", project, True, tmp_path / "site")
    posts = sorted((project / "docs" / "blog" / "posts").glob("*.md"))
    assert len(posts) == 40
    config = (project / "mkdocs.yml").read_text()
    assert "- blog:" in config and "- rss:" in config
    front = yaml.safe_load(posts[0].read_text().split("---\n")[1])
    assert front["date"]["created"].year == 2022
    assert front["categories"] and front["slug"]
    cities = {item["name"] for item in yaml.safe_load((tmp_path / "corpus" / "site_config" / "cities.yml").read_text())}
    people = {item["name"] for item in yaml.safe_load((tmp_path / "corpus" / "site_config" / "people.yml").read_text())}
    for post in posts:  # aliases are mapped to their canonical names
        categories = yaml.safe_load(post.read_text().split("---\n")[1])["categories"]
        assert set(categories) <= cities | people


def test_report_prints_the_ratios_and_skipped_peers() -> None:
    rows = [
        bench.Row(bench.OURS, 5000, clean_s=4.0, peak_mb=200, add_s=1.0, edit_s=1.5, check_s=2.0,
                  output_bytes=10 * bench.MB, files=300, largest_page=2048, search_bytes=4096),
        bench.Row(bench.HUGO, 5000, clean_s=5.0, peak_mb=300, output_bytes=20 * bench.MB, files=900, largest_page=1024),
        bench.Row(bench.BLOG, 5000, clean_s=80.0, peak_mb=400),
        bench.Row(bench.OURS, 20000, clean_s=16.0, peak_mb=500, add_s=1.0, edit_s=1.2,
                  output_bytes=40 * bench.MB, files=900, largest_page=4096, search_bytes=4096),
        bench.Row(bench.HUGO, 20000, skipped="hugo not installed"),
    ]
    args = argparse.Namespace(sizes=[5000, 20000], runs=3, seed=1)
    text = bench.report(rows, args, ["briefings 0.1.0"], [0.5, 0.7])
    assert "| Hugo | 20000 | skipped: hugo not installed |" in text
    assert "ours / Hugo at 5000: 0.80x" in text
    assert "ours is 20.0x faster" in text and "— met" in text
    assert "20k / 5k clean build: 4.00x" in text
    assert "inflated" not in text
    assert bench.report(rows, args, [], [9.0, 9.0]).count("inflated") == 1


def test_each_size_is_held_to_its_own_targets() -> None:
    rows = [
        bench.Row(bench.OURS, 20000, clean_s=16.0, peak_mb=500, add_s=1.0, edit_s=1.2, serve_add_s=1.5, serve_edit_s=1.5),
        bench.Row(bench.OURS, 100000, clean_s=80.0, peak_mb=1500, add_s=1.8, edit_s=1.9, serve_add_s=1.5, serve_edit_s=0.9),
    ]
    args = argparse.Namespace(sizes=[20000, 100000], runs=3, seed=1)
    text = bench.report(rows, args, [], [0.5, 0.5])
    assert "- growth, ours 100k / 20k clean build: 5.00x (target: at most 5.5x) — met" in text
    assert "- peak memory at 20000: 500 MB (target: at most 600 MB) — met" in text
    assert "- peak memory at 100000: 1500 MB (target: at most 2048 MB) — met" in text
    # Under serve, 1.5 s is within the 2 s of 20,000 entries but not the 1 s of 100,000.
    assert "at 20000 under briefings serve, file saved to page served: 1.50 s / 1.50 s (target: at most 2 s) — met" in text
    assert "at 100000 under briefings serve, file saved to page served: 1.50 s / 0.90 s (target: at most 1 s) — not met" in text


def test_the_largest_archive_has_seventy_updates_a_day() -> None:
    assert bench.per_day(100000) == 70
    assert bench.per_day(20000) == synthetic.PER_DAY
