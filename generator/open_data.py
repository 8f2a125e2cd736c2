"""The archive as data: one record per published update, in the formats researchers use.

A record (``generator/schemas/record.schema.json``, published as
``data/entry.schema.json``) holds what a day page shows of an update, with its
feed guid as its id. The same records make every format: NDJSON, CSV (lists
joined), SQLite with a full-text index (as sqlite-utils makes one, so Datasette
and sqlite-utils search it as they are) and, for the cities, GeoJSON.

Records come a day at a time (``Chunk``), in the archive's order, so a build can
keep each day's lines and rewrite only the days that changed (``data_files``).
Every byte is a function of the archive and the settings: no clock, no random
page order, so the same archive always makes the same files.
"""

from __future__ import annotations

import csv
import io
import json
import mmap
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Collection, Iterable, Sequence
from zoneinfo import ZoneInfo

from . import urls
from .autolink import EntryLinks, with_root
from .feeds import entry_guid
from .markup import absolutize, may_be_relative, text_lines
from .model import Archive, Entity, Entry
from .zone_times import rfc3339

FOLDER = "data/"
NDJSON, CSV, SQLITE, GEOJSON, SCHEMA = "entries.ndjson", "entries.csv", "archive.sqlite", "cities.geojson", "entry.schema.json"
FORMATS = {"ndjson": NDJSON, "csv": CSV, "sqlite": SQLITE, "geojson": GEOJSON}
FILES = (NDJSON, CSV, SQLITE, GEOJSON, SCHEMA)  # every file of data/

# Lists in a CSV cell; a name holding this separator cannot be told apart there
# (NDJSON and SQLite keep lists as lists).
LIST_SEPARATOR = "; "
# Excel reads a CSV file as UTF-8 only after this mark; csv, pandas and R's readr skip it.
BOM = "\ufeff"


@cache
def record_schema() -> dict[str, Any]:
    """The JSON Schema of a record, whose properties, in order, are the columns of every format."""
    return json.loads(resources.files("generator.schemas").joinpath("record.schema.json").read_text("utf-8"))


@cache
def columns() -> tuple[str, ...]:
    """The record's fields, in the schema's order: the CSV's and SQLite's columns (once a process, not once a row)."""
    return tuple(record_schema()["properties"])


def schema_document(site_url: str) -> bytes:
    """The record schema as published beside the data, with its own address as its ``$id``."""
    schema = {"$schema": record_schema()["$schema"], "$id": urls.absolute(site_url, FOLDER + SCHEMA)}
    schema.update((key, value) for key, value in record_schema().items() if key != "$schema")
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def record(archive: Archive, entry: Entry, zone: ZoneInfo, links: EntryLinks) -> dict[str, Any]:
    """What the data says of ``entry``, in ``columns()`` order."""
    base = archive.settings.site_url
    url = urls.absolute(base, urls.entry_url(entry))
    named = archive.links.get(entry.rel_path, ())
    return {
        "id": entry_guid(archive, entry),
        "url": url,
        "title": entry.title,
        "published": rfc3339(entry.published, zone),
        "updated": rfc3339(entry.updated, zone) if entry.updated else None,
        "day": entry.day.isoformat(),
        "cities": [entity.name for entity in named if entity.kind == "city"],
        "people": [entity.name for entity in named if entity.kind == "person"],
        "tags": list(entry.tags),
        "key": entry.key,
        "sources": [{"name": source.name, "url": source.url} for source in entry.sources],
        "body_html": _absolute(entry, entry.html, links, base, url),
        "body_text": text_lines(entry.html),
        "corrections": [
            {"at": rfc3339(c.at, zone), "text": c.text, "text_html": _absolute(entry, c.text_html, links, base, url)}
            for c in entry.corrections
        ],
        "author": entry.author or None,
        "language": entry.language or archive.settings.language,
    }


def _absolute(entry: Entry, html: str, links: EntryLinks, base: str, url: str) -> str:
    """Sanitized HTML written in ``entry`` (its body or a correction), shown at ``url``, every
    link and image URL made absolute: one by path leads where the file or the entry is."""
    if not may_be_relative(html):
        return html  # as a rule: nothing to resolve, nothing to make absolute
    return absolutize(with_root(links.resolved(entry, html), base), url)


@dataclass(frozen=True)
class Chunk:
    """The lines of some updates (a day's) in NDJSON and in CSV, UTF-8."""

    ndjson: bytes
    csv: bytes


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def chunk(archive: Archive, entries: Sequence[Entry], links: EntryLinks) -> Chunk:
    """The NDJSON and CSV lines of ``entries``; ``links`` resolves their links to entry files."""
    zone = archive.settings.zone
    records = [record(archive, entry, zone, links) for entry in entries]
    lines = "".join(_JSON.encode(r) + "\n" for r in records)
    out = io.StringIO()
    writer = _csv_writer(out)
    writer.writerows(map(csv_row, records))
    return Chunk(lines.encode("utf-8"), out.getvalue().encode("utf-8"))


def _csv_writer(out: io.StringIO) -> Any:
    # RFC 4180: CRLF after each row, a cell quoted when it holds a comma, quote or line break.
    return csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def csv_header() -> bytes:
    out = io.StringIO()
    _csv_writer(out).writerow(columns())
    return (BOM + out.getvalue()).encode("utf-8")


def csv_row(record: dict[str, Any]) -> list[str]:
    """A record as CSV cells: lists joined, sources as 'name <url>', corrections as 'time: text',
    true or false, no value as empty.

    Line breaks inside a cell are LF only, so every CRLF in the file ends a row
    (the manifest check counts rows by them).
    """
    cells = []
    for name in columns():  # the header's order, whatever the record's
        value = record[name]
        if value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif name == "sources":
            cells.append(_text_cell(LIST_SEPARATOR.join(f"{source['name']} <{source['url']}>" for source in value)))
        elif name == "corrections":
            cells.append(LIST_SEPARATOR.join(_lf(f"{c['at']}: {c['text']}") for c in value))
        elif isinstance(value, list):
            cells.append(_text_cell(LIST_SEPARATOR.join(value)))
        else:
            cells.append(_text_cell(_lf(value)))
    return cells


# What makes a spreadsheet read a cell as a formula: "=HYPERLINK(...)" in an imported title would
# run on a researcher's machine, and "-10 °C expected" shows as an error.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Written before such a cell, as OWASP advises: spreadsheets show the text and hide the mark.
TEXT_MARK = "'"


def _text_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets ``TEXT_MARK`` first
    (the CSV is the spreadsheets' file; the NDJSON and SQLite files keep every value as written)."""
    return TEXT_MARK + text if text.startswith(_FORMULA_START) else text


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# GeoJSON (RFC 7946) -------------------------------------------------------------------


def geojson(archive: Archive) -> bytes:
    """The cities with coordinates as a FeatureCollection of points, longitude first."""
    features = []
    for city in archive.cities:
        if city.info is None or city.info.coordinates is None:
            continue
        latitude, longitude = city.info.coordinates
        properties = {"name": city.name, **mentions(archive, city)}
        properties.update(region=city.info.region or None, country=city.info.country or None)
        geometry = {"type": "Point", "coordinates": [longitude, latitude]}
        features.append({"type": "Feature", "id": city.slug, "geometry": geometry, "properties": properties})
    # One feature a line: small, and a change shows as the lines of the cities it changed.
    lines = ",\n".join(json.dumps(feature, ensure_ascii=False) for feature in features)
    return f'{{"type": "FeatureCollection", "features": [\n{lines}\n]}}\n'.encode("utf-8")


def mentions(archive: Archive, entity: Entity) -> dict[str, Any]:
    """An entity's page and how often and when the archive names it."""
    zone = archive.settings.zone
    newest, oldest = entity.entries[0], entity.entries[-1]  # newest first, never empty
    return {
        "url": urls.absolute(archive.settings.site_url, urls.entity_url(entity)),
        "count": len(entity.entries),
        "first_mention": rfc3339(oldest.published, zone),
        "last_mention": rfc3339(newest.published, zone),
    }


# SQLite ------------------------------------------------------------------------------

# Larger pages than SQLite's 4,096 bytes: an update's row then fits one page, and the
# file is a fifth smaller.
PAGE_SIZE = 8192
# FTS5 writes its index in segments of this much memory; a build's single segment
# holds the whole index, which no later merge then rewrites.
_ONE_SEGMENT = 1 << 30
_DEFAULT_HASH_SIZE = 1 << 20  # FTS5's own, for whoever adds rows to the file later
CACHE_KIB = 1 << 20  # SQLite's page cache: the whole database, written once, in order, at the end

_SQL_TYPES = {"string": "TEXT", "boolean": "INTEGER", "array": "TEXT"}

ENTITY_COLUMNS = {
    "city": (
        ("slug", "TEXT PRIMARY KEY", "The last part of its page's URL."),
        ("name", "TEXT NOT NULL UNIQUE", "Its canonical name, as entries.cities holds it."),
        ("url", "TEXT NOT NULL", "Its page."),
        ("count", "INTEGER NOT NULL", "How many updates name it."),
        ("first_mention", "TEXT NOT NULL", "When the first of them was published."),
        ("last_mention", "TEXT NOT NULL", "When the last of them was published."),
        ("latitude", "REAL", "From the registry, if it gives coordinates."),
        ("longitude", "REAL", "From the registry, if it gives coordinates."),
        ("region", "TEXT", "From the registry."),
        ("country", "TEXT", "From the registry."),
        ("description", "TEXT", "From the registry."),
        ("aliases", "TEXT NOT NULL", "Other names that stand for it, from the registry. A JSON array."),
    ),
    "person": (
        ("slug", "TEXT PRIMARY KEY", "The last part of their page's URL."),
        ("name", "TEXT NOT NULL UNIQUE", "Their canonical name, as entries.people holds it."),
        ("url", "TEXT NOT NULL", "Their page."),
        ("count", "INTEGER NOT NULL", "How many updates name them."),
        ("first_mention", "TEXT NOT NULL", "When the first of them was published."),
        ("last_mention", "TEXT NOT NULL", "When the last of them was published."),
        ("role", "TEXT", "From the registry."),
        ("description", "TEXT", "From the registry."),
        ("aliases", "TEXT NOT NULL", "Other names that stand for them, from the registry. A JSON array."),
    ),
}
ENTITY_TABLES = {"city": ("cities", "entry_cities", "city_slug"), "person": ("people", "entry_people", "person_slug")}


def sqlite_schema() -> list[str]:
    """The statements that make the tables, each column described by a comment (Datasette shows them)."""
    properties = record_schema()["properties"]
    entry_rows = []
    for column, spec in properties.items():
        types = [spec["type"]] if isinstance(spec["type"], str) else spec["type"]
        kind = types[0]
        about = spec["description"] + {"array": " A JSON array.", "boolean": " 1 or 0."}.get(kind, "")
        sql = "TEXT PRIMARY KEY" if column == "id" else _SQL_TYPES[kind] + ("" if "null" in types else " NOT NULL")
        entry_rows.append((column, sql, about))
    # Made from 'published' by SQLite itself, stored nowhere: a column to sort by time, which text
    # with offsets does not do when the clocks go back (03:30+02:00 is after 03:30+03:00).
    entry_rows.append(("published_utc", "TEXT GENERATED ALWAYS AS (strftime('%Y-%m-%dT%H:%M:%SZ', [published])) VIRTUAL",
                       "When it was published, in UTC: sort by this column to sort by time."))  # fmt: skip
    statements = [_table("entries", entry_rows)]
    for kind, (name, links, slug) in ENTITY_TABLES.items():
        statements.append(_table(name, ENTITY_COLUMNS[kind]))
        link_rows = [("entry_id", "TEXT NOT NULL REFERENCES [entries]([id])", "The update."),
                     (slug, f"TEXT NOT NULL REFERENCES [{name}]([slug])", f"A {kind} it names.")]  # fmt: skip
        statements.append(_table(links, link_rows, f"PRIMARY KEY ([entry_id], [{slug}])") + " WITHOUT ROWID")
        statements.append(f"CREATE INDEX [{links}_{slug}] ON [{links}] ([{slug}])")
    statements += ["CREATE INDEX [entries_day] ON [entries] ([day])", "CREATE INDEX [entries_published] ON [entries] ([published_utc])"]
    statements.append(_table("about", [("key", "TEXT PRIMARY KEY", ""), ("value", "TEXT NOT NULL", "")]))
    return statements


def _table(name: str, rows: Iterable[tuple[str, str, str]], constraint: str = "") -> str:
    items = [(f"[{column}] {sql}", " ".join(about.split())) for column, sql, about in rows]
    if constraint:
        items.append((constraint, ""))
    lines = []
    for index, (definition, about) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        lines.append(f"    {definition}{comma}" + (f" -- {about}" if about else ""))
    return f"CREATE TABLE [{name}] (\n" + "\n".join(lines) + "\n)"


# The full-text index as sqlite-utils' enable_fts(create_triggers=True) makes it: Datasette
# and sqlite-utils find it by its name and ``content=``, and the triggers keep it in step
# with the table for whoever edits a copy. Ukrainian writes its apostrophe three ways
# (' ’ ʼ): FTS5 splits words at the first two, and ʼ, a letter to Unicode, is made a
# separator as well, so that "Кам'янське" finds the town however either side typed it.
FTS_COLUMNS = ("title", "body_text")
_FTS_TABLE = (
    "CREATE VIRTUAL TABLE [entries_fts] USING FTS5 (\n    [title], [body_text],\n    content=[entries],\n"
    "    tokenize='unicode61 separators ''\u02bc'''\n)"
)
_FTS_TRIGGERS = (
    "CREATE TRIGGER [entries_ai] AFTER INSERT ON [entries] BEGIN\n"
    "  INSERT INTO [entries_fts] (rowid, [title], [body_text]) VALUES (new.rowid, new.[title], new.[body_text]);\nEND",
    "CREATE TRIGGER [entries_ad] AFTER DELETE ON [entries] BEGIN\n"
    "  INSERT INTO [entries_fts] ([entries_fts], rowid, [title], [body_text]) VALUES('delete', old.rowid, old.[title], old.[body_text]);\nEND",
    "CREATE TRIGGER [entries_au] AFTER UPDATE ON [entries] BEGIN\n"
    "  INSERT INTO [entries_fts] ([entries_fts], rowid, [title], [body_text]) VALUES('delete', old.rowid, old.[title], old.[body_text]);\n"
    "  INSERT INTO [entries_fts] (rowid, [title], [body_text]) VALUES (new.rowid, new.[title], new.[body_text]);\nEND",
)


# An entry's rowid in every table that has one (entries and its full-text index): its day
# and its place in the day, the same in every build that has the same day. A rebuild
# deletes and inserts the rows of the days that changed, by the rowids a clean build
# gives them too; rowids rise in the archive's order, so the tables fill their pages
# and the index's lists of rowids stay small.
DAY_BITS = 16


def rowid_of(day: date, index: int) -> int:
    """The rowid of the day's ``index``-th entry (from 0)."""
    if not 0 <= index < 1 << DAY_BITS:
        raise ValueError(f"{day}: more than {(1 << DAY_BITS) - 1} updates in one day")
    return day.toordinal() << DAY_BITS | index


def day_rowids(day: date, count: int) -> list[int]:
    return [rowid_of(day, index) for index in range(count)]


def _connect(path: Path) -> sqlite3.Connection:
    # No journal: the file is a new one, which no one reads before it is complete (a build
    # that stops halfway leaves a file nothing refers to).
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return db


def _insert_entries(db: sqlite3.Connection, rows: Iterable[tuple[int, bytes | memoryview]]) -> None:
    """Insert ``rows``, each a rowid and a record's NDJSON line: SQLite takes the record apart
    itself (``json_extract``), so a row holds exactly what the line holds."""
    fields = ", ".join(f"json_extract(j, '$.{column}')" for column in columns())
    names = ", ".join(f"[{column}]" for column in columns())
    db.executemany(
        f"INSERT INTO [entries] (rowid, {names}) SELECT r, {fields} FROM (SELECT ? AS r, CAST(? AS TEXT) AS j)", rows
    )


def _insert_entities(db: sqlite3.Connection, archive: Archive, where: str = "") -> None:
    """The cities and people, and the links to them of the entries ``where`` selects (all without)."""
    for kind, (table, links, slug) in ENTITY_TABLES.items():
        rows = [_entity_row(archive, entity) for entity in archive.entities(kind)]
        db.executemany(f"INSERT INTO [{table}] VALUES ({', '.join('?' * len(ENTITY_COLUMNS[kind]))})", rows)
        column = "cities" if kind == "city" else "people"
        db.execute(
            f"INSERT INTO [{links}] SELECT [entries].[id], [{table}].[slug] FROM [entries], json_each([entries].[{column}]) AS named "
            f"JOIN [{table}] ON [{table}].[name] = named.value {where} ORDER BY [entries].rowid, named.key"
        )
    db.executemany("INSERT INTO [about] VALUES (?, ?)", _about(archive))


def write_sqlite(path: Path, archive: Archive, rows: Iterable[tuple[int, bytes | memoryview]]) -> None:
    """Write the database to ``path`` (a new file) from ``rows``: each record's rowid (``rowid_of``)
    and NDJSON line (UTF-8), in the archive's order.

    One transaction, no journal, every page in memory until it is written, the full-text
    index made in one segment: the same records always make the same bytes.
    """
    db = _connect(path)
    try:
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        db.execute("BEGIN")
        for statement in sqlite_schema():
            db.execute(statement)
        _insert_entries(db, rows)
        _insert_entities(db, archive)
        db.execute(_FTS_TABLE)
        db.execute(f"INSERT INTO [entries_fts] ([entries_fts], rank) VALUES ('hashsize', {_ONE_SEGMENT})")
        db.execute("INSERT INTO [entries_fts] ([entries_fts]) VALUES ('rebuild')")
        db.execute(f"INSERT INTO [entries_fts] ([entries_fts], rank) VALUES ('hashsize', {_DEFAULT_HASH_SIZE})")
        for trigger in _FTS_TRIGGERS:
            db.execute(trigger)
        db.execute("COMMIT")
    finally:
        db.close()


def patch_sqlite(path: Path, archive: Archive, removed: Collection[int], added: Sequence[tuple[int, bytes | memoryview]]) -> None:
    """Bring the database at ``path``, a copy of the last build's, to ``archive``: the entries
    of rowids ``removed`` are deleted and the ``added`` rows inserted (an edited entry is
    both), with their links; the full-text index follows through its triggers, which delete
    and insert by rowid. The cities, people and the ``about`` table are written again whole.

    Its tables then hold what ``write_sqlite`` would write, row for row; its pages, and
    the full-text index's segments, are laid out by the history of edits.

    Nothing taken out stays in the file, as an update taken down must not: the bytes of
    deleted rows are overwritten (``secure_delete``), and where rows were deleted or
    replaced the full-text index is merged whole, which drops the words it kept of them
    (FTS5 keeps a deleted row's words, marked deleted, until its segments are merged).
    """
    db = _connect(path)
    try:
        db.execute("PRAGMA secure_delete = ON")
        db.execute("BEGIN")
        gone = ", ".join(map(str, sorted(removed)))
        for table, links, _ in ENTITY_TABLES.values():
            db.execute(f"DELETE FROM [{links}] WHERE [entry_id] IN (SELECT [id] FROM [entries] WHERE rowid IN ({gone}))")
            db.execute(f"DELETE FROM [{table}]")
        db.execute(f"DELETE FROM [entries] WHERE rowid IN ({gone})")
        db.execute("DELETE FROM [about]")
        _insert_entries(db, added)
        # Every link of the entries just added; the others' links are kept.
        new = ", ".join(str(rowid) for rowid, _ in added)
        _insert_entities(db, archive, f"WHERE [entries].rowid IN ({new})")
        if removed:
            db.execute("INSERT INTO [entries_fts]([entries_fts]) VALUES ('optimize')")
        db.execute("COMMIT")
    finally:
        db.close()


def _entity_row(archive: Archive, entity: Entity) -> tuple:
    info, seen = entity.info, mentions(archive, entity)
    aliases = json.dumps(list(entity.aliases), ensure_ascii=False)
    common = (entity.slug, entity.name, seen["url"], seen["count"], seen["first_mention"], seen["last_mention"])
    if entity.kind == "city":
        latitude, longitude = info.coordinates if info and info.coordinates else (None, None)
        return (*common, latitude, longitude, _or_none(info, "region"), _or_none(info, "country"), _or_none(info, "description"), aliases)
    return (*common, _or_none(info, "role"), _or_none(info, "description"), aliases)


def _or_none(info: Any, field: str) -> str | None:
    return (getattr(info, field) or None) if info is not None else None


def _about(archive: Archive) -> list[tuple[str, str]]:
    settings = archive.settings
    last = last_change(archive)
    return [
        ("title", settings.title),
        ("site_url", settings.site_url),
        ("licence", settings.data_licence or "none stated"),
        ("record_schema", urls.absolute(settings.site_url, FOLDER + SCHEMA)),
        ("timezone", settings.timezone),
        ("last_change", rfc3339(last, settings.zone) if last is not None else ""),
    ]


def last_change(archive: Archive) -> datetime | None:
    """When the data last changed (``Archive.last_change``), in the site's zone: the same
    archive always gives the same time, unlike the clock."""
    moment = archive.last_change
    return moment.astimezone(archive.settings.zone) if moment is not None else None


def record_lines(data: bytes | mmap.mmap) -> list[memoryview]:
    """The records of NDJSON ``data``, one JSON text each, as views into ``data`` (no copy)."""
    view, lines, start, size = memoryview(data), [], 0, len(data)
    while start < size:
        stop = data.find(b"\n", start)
        lines.append(view[start:stop])
        start = stop + 1
    return lines


def sqlite_rows(archive: Archive, lines: Sequence[bytes | memoryview]) -> list[tuple[int, bytes | memoryview]]:
    """The archive's records' NDJSON ``lines`` (in its order), each with its rowid."""
    return list(zip((rowid for day in archive.days for rowid in day_rowids(day.date, len(day.entries))), lines))


# Whole files, for `briefings export` -------------------------------------------------------


def entries_bytes(archive: Archive, kind: str) -> bytes:
    """The whole NDJSON or CSV file of the archive."""
    made = chunk(archive, archive.entries, EntryLinks(archive))
    return made.ndjson if kind == "ndjson" else csv_header() + made.csv


def export_bytes(archive: Archive, kind: str) -> bytes:
    """The ``kind`` file (a key of ``FORMATS``) of the archive, as the site's data folder has it."""
    if kind in ("ndjson", "csv"):
        return entries_bytes(archive, kind)
    if kind == "geojson":
        return geojson(archive)
    with tempfile.TemporaryDirectory(prefix="briefings-export-") as folder:
        path = Path(folder) / SQLITE
        write_sqlite(path, archive, sqlite_rows(archive, record_lines(entries_bytes(archive, "ndjson"))))
        return path.read_bytes()


def export_to(archive: Archive, kind: str, path: Path) -> None:
    """Write the ``kind`` file to ``path`` through a temporary file beside it: never half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as out:
            if kind != "sqlite":
                out.write(export_bytes(archive, kind))
        if kind == "sqlite":
            os.unlink(temporary)  # SQLite makes its file itself
            write_sqlite(Path(temporary), archive, sqlite_rows(archive, record_lines(entries_bytes(archive, "ndjson"))))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
