"""The synthetic archive: deterministic, the requested size and shape, and valid content."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import frontmatter
import pytest

from generator import synthetic

from conftest import run_cli


def tree_hash(root: Path) -> str:
    """One hash over every file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_files(root: Path) -> list[Path]:
    return sorted((root / "content").rglob("*.md"))


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    synthetic.generate(tmp_path / "a", 300, seed=7)
    synthetic.generate(tmp_path / "b", 300, seed=7)
    assert tree_hash(tmp_path / "a") == tree_hash(tmp_path / "b")


def test_another_seed_other_bytes(tmp_path: Path) -> None:
    synthetic.generate(tmp_path / "a", 100, seed=1)
    synthetic.generate(tmp_path / "b", 100, seed=2)
    assert tree_hash(tmp_path / "a") != tree_hash(tmp_path / "b")


def test_writes_the_requested_entries_and_config(tmp_path: Path) -> None:
    summary = synthetic.generate(tmp_path, 500, seed=1)
    files = entry_files(tmp_path)
    assert summary.entries == len(files) == 500
    assert {p.name for p in (tmp_path / "site_config").iterdir()} == {"settings.yml", "cities.yml", "people.yml"}
    # About 25 a day.
    assert 15 <= 500 / summary.days <= 35
    days = Counter(p.parent.relative_to(tmp_path / "content").as_posix() for p in files)
    assert len(days) == summary.days
    assert all(len(day.split("/")) == 3 for day in days)


def test_entries_have_the_declared_shape(tmp_path: Path) -> None:
    synthetic.generate(tmp_path, 400, seed=3)
    keys = updated = 0
    for path in entry_files(tmp_path):
        post = frontmatter.load(path)
        assert 1 <= len(post["cities"]) <= 3
        assert 0 <= len(post["people"]) <= 3
        assert 1 <= len(post["sources"]) <= 2
        assert 120 <= len(post.content.split()) <= 200 + 3 * 4 + 4  # filler words plus the names in the lead
        keys += bool(post.get("key"))
        updated += "updated" in post
    assert 0 < keys < 400 and 0 < updated < 400


def test_names_are_zipf_like(tmp_path: Path) -> None:
    summary = synthetic.generate(tmp_path, 3000, seed=1)
    cities = sorted(summary.city_counts.values(), reverse=True)
    people = sorted(summary.person_counts.values(), reverse=True)
    assert len(cities) == 60 and len(people) == 120
    for counts in (cities, people):
        # The head is heavy and the tail thin: rank 1 far above rank 10, rank 10 above the last.
        assert counts[0] > 4 * counts[9] > 0
        assert counts[9] > counts[-1]
        # Roughly 1/rank: rank 1 about twice rank 2 and five times rank 5 (loose bounds).
        assert 1.3 < counts[0] / counts[1] < 3.5
        assert 2.5 < counts[0] / counts[4] < 9
    # About 1.5 cities and 1.1 people an entry.
    assert 1.3 < sum(cities) / 3000 < 1.7
    assert 0.9 < sum(people) / 3000 < 1.4


def test_generation_uses_no_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files do not depend on when they were written."""
    import time

    synthetic.generate(tmp_path / "a", 50, seed=1)
    monkeypatch.setattr(time, "time", lambda: 0.0)
    synthetic.generate(tmp_path / "b", 50, seed=1)
    assert tree_hash(tmp_path / "a") == tree_hash(tmp_path / "b")


def test_check_passes_on_a_synthetic_archive(tmp_path: Path) -> None:
    synthetic.generate(tmp_path, 200, seed=1)
    result = run_cli("check", "--strict", "--content", tmp_path / "content", "--config", tmp_path / "site_config")
    assert result.code == 0, result.out + result.err
    assert result.out == ""  # no problem at all, not even a warning
    assert "ok: 200 entries" in result.err


def test_folder_dates_match_published_days(tmp_path: Path) -> None:
    """Each day folder is the entry's Kyiv date, with the right offset on both sides of the DST switch."""
    synthetic.generate(tmp_path, 1200, seed=5)  # 24 Feb 2022 into April: spans the 27 March switch
    zone = ZoneInfo("Europe/Kyiv")
    offsets = set()
    for path in entry_files(tmp_path):
        published = frontmatter.load(path)["published"]  # YAML reads the timestamp as an aware datetime
        if isinstance(published, str):
            published = datetime.fromisoformat(published)
        local = published.astimezone(zone)
        assert local.utcoffset() == published.utcoffset(), path
        assert local.strftime("%Y/%m/%d") == path.parent.relative_to(tmp_path / "content").as_posix()
        offsets.add(published.utcoffset())
    assert offsets == {timedelta(hours=2), timedelta(hours=3)}


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synthetic.main([str(tmp_path), "--entries", "20", "--seed", "1"]) == 0
    first = tree_hash(tmp_path)
    assert synthetic.main([str(tmp_path), "--entries", "20"]) == 1
    assert "--force" in capsys.readouterr().err
    assert synthetic.main([str(tmp_path), "--entries", "20", "--force"]) == 0
    assert tree_hash(tmp_path) == first


def test_a_busier_archive_has_more_entries_a_day(tmp_path: Path) -> None:
    synthetic.generate(tmp_path, 700, per_day=70)
    days = Counter(path.parent for path in entry_files(tmp_path))
    counts = [days[day] for day in sorted(days)]
    assert all(42 <= count <= 98 for count in counts[:-1])  # the last day has what is left
    assert 8 <= len(counts) <= 17
