"""The import benchmark's corpus: the synthetic archive as live-blog pages, every update of it importable."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from conftest import run_cli
from generator import synthetic

_SPEC = importlib.util.spec_from_file_location("briefings_bench_import", Path(__file__).parent / "bench" / "bench.py")
bench = importlib.util.module_from_spec(_SPEC)
sys.modules["briefings_bench_import"] = bench
_SPEC.loader.exec_module(bench)


def test_the_benchmarks_pages_import_to_every_update_of_the_archive(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    synthetic.generate(corpus, 60, seed=3)
    written = bench.live_blog_pages(corpus, tmp_path / "pages")
    assert written == 60
    content = tmp_path / "imported"
    result = run_cli("import", tmp_path / "pages", "--content", content, "--config", corpus / "site_config")
    assert result.code == 0, result.err
    assert result.err.splitlines()[-1] == "imported 1 source: 60 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped"
    stems = sorted(p.stem for p in content.rglob("*.md"))
    assert stems == sorted(p.stem for p in (corpus / "content").rglob("*.md"))  # each named after its anchor
    assert run_cli("check", "--content", content, "--config", corpus / "site_config", "--strict").code == 0


def test_the_import_rows_say_whether_the_targets_are_met() -> None:
    row = bench.ImportRow(20000, pages=797, first_s=12.5, first_cpu_s=19.0, again_s=3.1, again_cpu_s=2.8, peak_mb=210)
    lines = bench.import_lines(row, 3)
    assert "| 20000 | 12.50 | 19.00 | 3.10 | 2.80 |" in "\n".join(lines)
    assert lines[-2:] == ["- import of 20000 updates within 30 s — met", "- again, unchanged, within 10 s — met"]
