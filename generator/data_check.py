"""The manifest check of the open data: every published entry once in each file that holds
updates, and no draft there; every city with coordinates once in the GeoJSON.

Run where the files are made (``data_files.make``), and by ``manifest.verify_site`` on
files it finds changed since: a build whose data lost or doubled an update fails before
the new site replaces the old one.
"""

from __future__ import annotations

import json
import mmap
import re
import sqlite3
from collections import Counter
from pathlib import Path

from . import open_data
from .feeds import entry_guid
from .model import Archive


def check_folder(archive: Archive, folder: Path) -> list[str]:
    """What the data files in ``folder`` hold that they should not, or lack, one problem a line, read from them."""
    ids = [entry_guid(archive, entry) for entry in archive.entries]
    problems: list[str] = []
    missing = [name for name in open_data.FILES if not (folder / name).is_file()]
    if missing:
        return [f"the built site has no {open_data.FOLDER}{name}" for name in missing]
    for name, read in ((open_data.NDJSON, _ndjson_ids), (open_data.SQLITE, _sqlite_ids)):
        problems += _compare(archive, ids, read(folder / name), open_data.FOLDER + name)
    # The CSV rows are written with the NDJSON lines, from the same records: counted.
    rows = len(_line_ids(folder / open_data.CSV, b"\r\n", skip=1, ids=False))
    if rows != len(ids):
        problems.append(f"{open_data.FOLDER}{open_data.CSV}: holds {rows} rows, not {len(ids)}")
    features = json.loads((folder / open_data.GEOJSON).read_bytes())["features"]
    placed = Counter(feature["id"] for feature in features)
    for city in archive.cities:
        expected = int(city.info is not None and city.info.coordinates is not None)
        if placed[city.slug] != expected:
            problems.append(f"{open_data.FOLDER}{open_data.GEOJSON}: holds the city '{city.name}' {placed[city.slug]} times, not {expected}")
    return problems


def _compare(archive: Archive, expected: list[str], found: list[str], shown: str) -> list[str]:
    if found == expected:
        return []
    counts = Counter(found)
    if len(counts) == len(found) == len(expected) and counts.keys() == set(expected):
        return []  # each once, in another order (the SQLite file's)
    problems = [f"{e.path}: in {shown} {counts[i]} times, not once" for e, i in zip(archive.entries, expected) if counts[i] != 1]
    problems += [f"{shown}: holds '{i}', which is no published entry" for i in sorted(set(counts) - set(expected)) if i]
    if counts[""]:
        problems.append(f"{shown}: {counts['']} record(s) without an id, or cut short")
    return problems


# The file as ``open_data`` writes it, read line by line: a record is an NDJSON line that
# starts with its id. (A CSV row ends in CRLF, which no cell holds.)
_NDJSON_ID = re.compile(rb'\{"id":"([^"\\]*(?:\\.[^"\\]*)*)"')


def _ndjson_ids(path: Path) -> list[str]:
    return [json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode("utf-8") for raw in _line_ids(path, b"\n")]


def _line_ids(path: Path, end: bytes, skip: int = 0, *, ids: bool = True) -> list[bytes]:
    """The id at the start of each line after ``skip`` lines; b"" for a line without one,
    or cut short (without its ``end``), or for every line without ``ids``."""
    pattern = _NDJSON_ID
    if not path.stat().st_size:
        return []  # which mmap refuses
    found: list[bytes] = []
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        start, size, first = 0, len(data), end[:1]
        while start < size:
            stop = data.find(first, start)  # one byte: found at memchr's speed
            whole = stop >= 0 and data[stop : stop + len(end)] == end
            stop = size if stop < 0 else stop + len(end)
            if skip:
                skip -= 1
            else:
                match = pattern.match(data, start, stop) if whole and ids else None
                found.append(match.group(1) if match else b"")
            start = stop
    return found


def _sqlite_ids(path: Path) -> list[str]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        rows = db.execute("SELECT [id] FROM [entries]").fetchall()
        (indexed,) = db.execute("SELECT count(*) FROM [entries_fts_docsize]").fetchone()
    finally:
        db.close()
    ids = [row[0] for row in rows]  # in rowid order, not the archive's: compared as counts
    return ids if indexed == len(ids) else ids + ["(an update the full-text index misses)"]
