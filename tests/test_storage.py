"""Files the build keeps: atomic writes, hard-linked copies and bucketed caches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cache import storage


def test_write_atomically_replaces_the_whole_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "entries.pickle"
    storage.write_atomically(target, b"first")
    storage.write_atomically(target, b"second")
    assert target.read_bytes() == b"second" and os.listdir(target.parent) == ["entries.pickle"]


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "pages.json"
    storage.write_atomically(target, b"{}")

    def refuse(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        storage.write_atomically(target, b'{"half": ')
    assert target.read_bytes() == b"{}" and os.listdir(tmp_path) == ["pages.json"]


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_pickle_buckets_round_trip_and_rewrite_only_changed_buckets(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    items = {f"key-{n}": n for n in range(200)}
    storage.PickleBuckets(folder, "v1", str).save(items)
    assert len(os.listdir(folder)) == storage.PickleBuckets.BUCKETS
    again = storage.PickleBuckets(folder, "v1", str)
    assert again.items == items
    before = _mtimes(folder)
    again.save(items)
    assert _mtimes(folder) == before  # same keys: nothing written
    again.save({**items, "key-new": -1})
    assert sum(_mtimes(folder)[name] != stamp for name, stamp in before.items()) == 1
    assert storage.PickleBuckets(folder, "v1", str).items == {**items, "key-new": -1}


def test_pickle_buckets_ignore_another_stamp_and_damaged_files(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    storage.PickleBuckets(folder, "v1", str).save({f"key-{n}": n for n in range(200)})
    assert storage.PickleBuckets(folder, "v2", str).items == {}
    assert storage.PickleBuckets(folder, "v1", str, read=False).items == {}
    (folder / "00.pickle").write_bytes(b"not a pickle")
    damaged = storage.PickleBuckets(folder, "v1", str)
    assert 0 < len(damaged.items) < 200
    damaged.save({f"key-{n}": n for n in range(200)})  # the damaged bucket is written again
    assert storage.PickleBuckets(folder, "v1", str).items == {f"key-{n}": n for n in range(200)}


def test_an_entry_comes_back_from_a_pickle_field_for_field() -> None:
    """Entries are pickled as bare tuples of values (cache.pickling): every field returns."""
    import dataclasses
    import pickle
    from datetime import date, datetime, timedelta, timezone

    from generator.model import Correction, Entry, Source

    moment = datetime(2022, 3, 3, 9, 40, tzinfo=timezone(timedelta(hours=2)))
    entry = Entry(
        path="content/a.md", rel_path="a.md", slug="a", title="Київ “quoted”", published=moment,
        updated=moment + timedelta(hours=1), day=date(2022, 3, 3), cities=("Kyiv",), people=("Vitali Klitschko",),
        sources=(Source("RFE/RL", "https://www.rferl.org/"),), tags=("air-defence",), key=True, draft=True,
        autolink=False, author="Jane Doe", language="uk", html="<p>Body</p>", source_digest="abc",
        corrections=(Correction(moment + timedelta(hours=1), "<p>Fixed</p>", "Fixed"),),
        linked_entries=("2022/03/02/earlier.md",),
    )  # fmt: skip
    assert all(getattr(entry, f.name) != f.default for f in dataclasses.fields(Entry))  # no field left at its default
    back = pickle.loads(pickle.dumps([entry, entry], protocol=5))
    assert back[0] == entry and back[0] is back[1]
    assert dataclasses.asdict(back[0]) == dataclasses.asdict(entry)


def test_entries_from_separate_pickles_share_one_tzinfo_per_offset() -> None:
    """A cache bucket holds entries read by different workers; unpickled, times of one
    offset share one tzinfo, so comparing them never asks for their offsets."""
    import pickle
    from datetime import date, datetime, timedelta, timezone

    from generator.model import Entry

    def entry(n: int, hours: int) -> Entry:
        moment = datetime(2022, 3, 3, n, tzinfo=timezone(timedelta(hours=hours)))  # a tzinfo object each
        return Entry(path=f"{n}.md", rel_path=f"{n}.md", slug=str(n), title="T", published=moment,
                     updated=moment, day=date(2022, 3, 3), cities=(), people=())  # fmt: skip

    back = [pickle.loads(pickle.dumps(entry(n, 2 + n % 2), protocol=5)) for n in range(6)]
    zones = {id(moment.tzinfo) for e in back for moment in (e.published, e.updated)}
    assert len(zones) == 2
    assert [e.published for e in back] == [entry(n, 2 + n % 2).published for n in range(6)]


def test_buckets_with_the_zone_reducers_bring_times_back_with_the_shared_tzinfo(tmp_path: Path) -> None:
    # Nothing to replace after unpickling: the tzinfo a time comes back with is the process's own.
    from datetime import datetime, timedelta, timezone

    from generator.cache.pickling import ZONE_REDUCERS
    from generator.model import shared_zone

    zone = timezone(timedelta(hours=5, minutes=30))  # an object of its own
    stored = storage.PickleBuckets(tmp_path, "v1", str, reducers=ZONE_REDUCERS)
    stored.save({"a": datetime(2022, 3, 3, 9, tzinfo=zone)})
    back = storage.PickleBuckets(tmp_path, "v1", str).items["a"]
    assert back == datetime(2022, 3, 3, 9, tzinfo=zone) and back.tzinfo is shared_zone(timedelta(hours=5, minutes=30))


def test_lazy_buckets_read_only_the_buckets_of_the_values_asked_for(tmp_path: Path) -> None:
    folder = tmp_path / "lazy"
    items = {f"key-{n}": f"value-{n}".encode() for n in range(500)}
    storage.LazyBuckets(folder, "v1", str).save(items)
    again = storage.LazyBuckets(folder, "v1", str)
    assert again.keys == set(items) and again.items == {}  # the index alone
    assert again.get("key-7") == b"value-7"
    assert 0 < len(again.items) < 10  # one small bucket's worth
    assert again.get("key-missing") is None
    assert storage.LazyBuckets(folder, "v2", str).keys == set()
    assert storage.LazyBuckets(folder, "v1", str, read=False).keys == set()


def test_a_kept_value_survives_the_rewrite_of_its_bucket_unread_until_then(tmp_path: Path) -> None:
    folder = tmp_path / "lazy"
    storage.LazyBuckets(folder, "v1", str).save({f"key-{n}": n for n in range(500)})
    store = storage.LazyBuckets(folder, "v1", str)
    kept = {key: storage.STORED for key in store.keys if key != "key-3"}  # key-3 is gone,
    assert store.save({**kept, "key-new": -1})  # and key-new joins a bucket, which is written again
    assert len(store.items) < 20  # read: the few small buckets written again, not all 500 values
    again = storage.LazyBuckets(folder, "v1", str)
    assert again.keys == {*kept, "key-new"}
    assert {key: again.get(key) for key in again.keys} == {**{f"key-{n}": n for n in range(500) if n != 3}, "key-new": -1}
    assert not again.save({key: storage.STORED for key in again.keys})  # nothing changed: nothing written
