"""The /data/ page: each open data file, its size and what it holds, the record's columns, the licence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from markupsafe import Markup

from . import open_data
from .data_files import DataFile
from .i18n import N_, Words
from .model import Archive
from .render import LatePage, RenderedPage, Renderer
from .structured_data import Distribution, dataset, script_json
from .views import PageView

URL = open_data.FOLDER
TITLE = N_("Open data")
ORIGIN = "the open data page"
DESCRIPTION = N_("Every update of the archive as data: NDJSON, CSV, SQLite and GeoJSON")

# What each file holds, by name, and its media type; the page shows it in the site's language.
ABOUT = {
    open_data.NDJSON: ("application/x-ndjson", N_("Every update as one JSON object a line (NDJSON), oldest day first and each day in reading order.")),
    open_data.CSV: (
        "text/csv",
        N_("The same records as a table with a header row, for spreadsheets: UTF-8 with a byte order mark, lists joined with '; ', each source as 'name <url>'. A text that would start a formula (=, +, -, @) has a ' before it, which spreadsheets hide; the NDJSON and SQLite files hold it as written."),
    ),
    open_data.SQLITE: (
        "application/vnd.sqlite3",
        N_("An SQLite database: the tables entries, cities and people, the links between them (entry_cities, entry_people) and a full-text index of titles and bodies (entries_fts), ready for Datasette and sqlite-utils."),
    ),
    open_data.GEOJSON: (
        "application/geo+json",
        N_("The cities with coordinates as GeoJSON points (longitude, latitude), each with its name, page, number of updates and first and last mention."),
    ),
    open_data.SCHEMA: ("application/schema+json", N_("The JSON Schema of a record: every column, its type and what it means.")),
}


@dataclass(frozen=True)
class Download:
    name: str
    url: str  # site-relative
    media_type: str
    about: str
    size: int
    size_text: str  # as the site's language writes it: "32.1 KB", "32,1 кБ"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    about: str


@dataclass(frozen=True)
class Counts:
    entries: int
    cities: int
    people: int
    on_map: int  # cities with coordinates
    as_of: str = ""  # the day and time of the archive's last change, as the site shows times ("" for none)


def data_view(
    downloads: tuple[Download, ...], columns: tuple[Column, ...], counts: Counts, licence: str, json_ld: str, *, words: Words
) -> PageView:
    return PageView(
        url=URL,
        title=words.gettext(TITLE),
        template="data.html",
        context={
            "downloads": downloads,
            "schema": next(file for file in downloads if file.name == open_data.SCHEMA),
            "columns": columns,
            "counts": counts,
            "licence": licence,
            "json_ld": Markup(json_ld),  # already safe inside <script>: autoescaping would break the JSON
        },
        origin=ORIGIN,
        description=words.gettext(DESCRIPTION),
    )


def data_page(renderer: Renderer, archive: Archive, files: Callable[[], tuple[DataFile, ...]]) -> RenderedPage:
    """The /data/ page, made when its HTML is first read: it shows the files' sizes, which
    ``files()`` waits for (they are made in a forked child on a large archive), and MkDocs
    gets on with the other pages meanwhile.

    Not kept in the output store nor taken from the previous site: it is one small page,
    and a rebuild after an edit changes the sizes it shows.
    """
    words = renderer.words
    page = LatePage(URL, words.gettext(TITLE), None, ORIGIN, words.gettext(DESCRIPTION), ())
    page.kept_in({}, "", again=lambda: [renderer.render(data_view(*page_arguments(archive, files(), words), words=words))])
    return page


def page_arguments(archive: Archive, files: tuple[DataFile, ...], words: Words) -> tuple[Any, ...]:
    downloads = tuple(Download(f.name, f.path, ABOUT[f.name][0], words.gettext(ABOUT[f.name][1]), f.size, _size(f.size, words))
                      for f in files)  # fmt: skip
    properties = open_data.record_schema()["properties"]
    columns = tuple(Column(name, _type_text(name, spec), spec["description"]) for name, spec in properties.items())
    on_map = sum(1 for city in archive.cities if city.info is not None and city.info.coordinates is not None)
    last = open_data.last_change(archive)
    as_of = f"{words.day_title(last.date())}, {last:%H:%M} ({archive.settings.timezone})" if last is not None else ""
    counts = Counts(len(archive.entries), len(archive.cities), len(archive.people), on_map, as_of)
    # For dataset search engines: the files as a schema.org Dataset.
    settings = archive.settings
    covers = (archive.days[0].date, archive.days[-1].date) if archive.days else None
    described = dataset(settings, f"{settings.title}: {words.gettext(TITLE)}", words.gettext(DESCRIPTION),
                        [Distribution(f.name, f.url, f.media_type) for f in downloads], covers, last)  # fmt: skip
    return (downloads, columns, counts, settings.data_licence.strip(), script_json(described))


def _type_text(name: str, spec: dict[str, Any]) -> str:
    kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    words = {"string": "text", "boolean": "true or false", "array": "list", "null": "null"}
    text = " or ".join(words[kind] for kind in kinds)
    if "items" in spec:
        text += " of " + (name if spec["items"].get("type") == "object" else "text")
    return text + (f" ({spec['format']})" if "format" in spec else "")


def _size(size: int, words: Words) -> str:
    """Bytes as a reader reads them, in decimal units: '56.4 MB', '812 KB', '950 bytes'; in
    another language, as CLDR writes them there ('56,4 МБ')."""
    for unit, name, scale in (("GB", "gigabyte", 10**9), ("MB", "megabyte", 10**6), ("KB", "kilobyte", 10**3)):
        if size >= scale:
            value, pattern = size / scale, ("#,##0.0" if size < 100 * scale else "#,##0")
            break
    else:
        value, unit, name, pattern = size, "bytes", "byte", "#,##0"
    if words.english:
        return f"{value:.1f} {unit}" if pattern.endswith(".0") else f"{value:.0f} {unit}"
    from babel.units import format_unit

    return format_unit(value, f"digital-{name}", length="short", format=pattern, locale=words.locale)
