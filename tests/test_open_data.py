"""The open data under /data/: what a researcher downloads holds the archive, and the tools they use read it."""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser
import jsonschema
import lxml.html
import pytest
import sqlite_utils

from conftest import Project, article, make_project, run_cli
from generator import data_files, open_data
from generator.cache.storage import SEAL
from generator.site import generate

SITE_URL = "https://news.example.org/briefing/"
SETTINGS = f"""\
title: Test Briefing
site_url: {SITE_URL}
timezone: Europe/Kyiv
data_licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)
"""
CITIES = """\
- name: Kyiv
  aliases: [Kiev, Київ]
  coordinates: [50.4501, 30.5234]
- name: Kharkiv
  region: Kharkiv Oblast
  country: Ukraine
  coordinates: [49.9935, 36.2304]
- name: Odesa
"""
PEOPLE = "- name: Vitali Klitschko\n  role: Mayor of Kyiv\n"


def _write_archive(project: Project) -> None:
    project.write("site_config/cities.yml", CITIES)
    project.write("site_config/people.yml", PEOPLE)
    project.entry(
        "2022/03/03/sirens.md",
        """\
        title: Sirens sound across Kiev
        published: 2022-03-03T07:10:00Z
        cities: [Kiev]
        people: [Vitali Klitschko]
        tags: [air-defence, night]
        key: true
        sources:
          - {name: RFE/RL, url: "https://www.rferl.org/"}
          - {name: Kyiv City Council, url: "https://kyivcity.gov.ua/"}
        """,
        "Air raid sirens woke the capital; zeppelinlike drones were reported.\n\nThe mayor asked people to stay in shelters.",
    )
    project.entry(
        "2022/03/03/kharkiv-shelling.md",
        """\
        title: 'Kharkiv: "heavy" shelling, officials say'
        published: 2022-03-03T11:00:00+02:00
        updated: 2022-03-03T12:30:00+02:00
        cities: [Kharkiv, Kyiv]
        corrections:
          - {at: "2022-03-03T12:00:00+02:00", text: "An earlier version named the *wrong* district ([the port](../02/odesa-port.md))."}
        """,
        "Shelling hit the centre. See [the map](../02/#odesa-port) and [the port's update](../02/odesa-port.md) and\n\n| district | hits |\n|---|---|\n| centre | 3 |\n\n"
        "A line\u2028separator stays inside its record.",
    )
    project.entry(
        "2022/03/02/odesa-port.md",
        "title: Odesa port closed\npublished: 2022-03-02T18:00:00+02:00\ncities: [Odesa, Mykolaiv]",
        "The port of Odesa closed to shipping.",
    )
    project.entry(
        "2022/03/04/after-midnight.md",
        "title: 'Київ: ніч минула спокійно'\npublished: 2022-03-04T00:30:00+02:00\ncities: [Київ]\nlanguage: uk\nauthor: Олена Коваль",
        "Ніч у столиці минула спокійно.",
    )
    project.entry(
        "2022/03/04/secret-draft.md",
        "title: Secret draft\npublished: 2022-03-04T09:00:00+02:00\ndraft: true\ncities: [Kyiv]",
        "An unpublished classifiedword.",
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_project(tmp_path_factory.mktemp("open-data"), SETTINGS)
    _write_archive(project)
    result = project.build()
    assert result.code == 0, result.out + result.err
    return project


def _data(project: Project, name: str, site: Path | None = None) -> Path:
    return (site or project.site) / "data" / name


def _records(project: Project) -> list[dict]:
    return [json.loads(line) for line in _data(project, "entries.ndjson").read_text("utf-8").split("\n")[:-1]]


PUBLISHED = ["odesa-port", "sirens", "kharkiv-shelling", "after-midnight"]  # the archive's order


def test_records_hold_every_published_update_once_in_the_archives_order(built: Project) -> None:
    records = _records(built)
    assert [record["url"].rsplit("#", 1)[1] for record in records] == PUBLISHED
    sirens = records[1]
    assert sirens == {
        "id": "tag:news.example.org,2022-03-03:briefing/sirens",
        "url": f"{SITE_URL}2022/03/03/#sirens",
        "title": "Sirens sound across Kiev",
        "published": "2022-03-03T09:10:00+02:00",  # written in UTC, given in the site's zone
        "updated": None,
        "day": "2022-03-03",
        "cities": ["Kyiv"],  # the alias written gives the canonical name
        "people": ["Vitali Klitschko"],
        "tags": ["air-defence", "night"],
        "key": True,
        "sources": [{"name": "RFE/RL", "url": "https://www.rferl.org/"}, {"name": "Kyiv City Council", "url": "https://kyivcity.gov.ua/"}],
        "body_html": "<p>Air raid sirens woke the capital; zeppelinlike drones were reported.</p>\n"
        "<p>The mayor asked people to stay in shelters.</p>",
        "body_text": "Air raid sirens woke the capital; zeppelinlike drones were reported.\nThe mayor asked people to stay in shelters.",
        "corrections": [],
        "author": None,  # no byline
        "language": "en",  # the archive's, which it does not override
    }
    shelling = records[2]
    assert shelling["updated"] == "2022-03-03T12:30:00+02:00"
    assert shelling["corrections"] == [
        {"at": "2022-03-03T12:00:00+02:00",
         "text": "An earlier version named the *wrong* district ([the port](../02/odesa-port.md)).",
         "text_html": f'<p>An earlier version named the <em>wrong</em> district (<a href="{SITE_URL}2022/03/02/#odesa-port" '
                      'rel="noopener noreferrer">the port</a>).</p>'}
    ]  # fmt: skip
    assert shelling["cities"] == ["Kharkiv", "Kyiv"]
    # Links absolute, as in the feeds: a link to an entry's file goes to the entry on its day page.
    assert shelling["body_html"].count(f'href="{SITE_URL}2022/03/02/#odesa-port"') == 2
    assert shelling["body_text"].split("\n") == [
        "Shelling hit the centre. See the map and the port's update and", "district hits", "centre 3", "A line separator stays inside its record."
    ]
    assert "A line\u2028separator" in shelling["body_html"]  # a line break to some readers, never to NDJSON's
    assert records[0]["cities"] == ["Odesa", "Mykolaiv"]  # a name no registry knows is kept


def test_every_format_gives_an_updates_byline_and_language(built: Project) -> None:
    # A researcher comparing bylines, or leaving out the updates in another language, finds both in every format.
    night = _records(built)[3]
    assert (night["author"], night["language"]) == ("Олена Коваль", "uk")
    with _data(built, "entries.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["author"], row["language"]) for row in rows] == [("", "en"), ("", "en"), ("", "en"), ("Олена Коваль", "uk")]
    with sqlite3.connect(_data(built, "archive.sqlite")) as db:
        assert db.execute("SELECT [author], [language] FROM [entries] ORDER BY [published_utc]").fetchall() == [
            (None, "en"), (None, "en"), (None, "en"), ("Олена Коваль", "uk")
        ]


def test_no_draft_is_in_any_file(built: Project) -> None:
    for name in ("entries.ndjson", "entries.csv", "archive.sqlite"):
        data = _data(built, name).read_bytes()
        assert b"secret-draft" not in data and b"classifiedword" not in data, name


def test_ids_are_the_feed_guids(built: Project) -> None:
    rss = feedparser.parse((built.site / "feed.xml").read_bytes())
    json_feed = json.loads((built.site / "feed.json").read_text("utf-8"))
    by_link = {item.link: item.id for item in rss.entries}
    records = _records(built)
    assert len(by_link) == len(records)
    assert {record["url"]: record["id"] for record in records} == by_link
    assert {item["url"]: item["id"] for item in json_feed["items"]} == by_link


def test_urls_open_their_update_on_its_day_page(built: Project) -> None:
    for record in _records(built):
        page, anchor = record["url"].removeprefix(SITE_URL).split("#")
        (found,) = article(built.page(page)).xpath(f".//article[@id='{anchor}']")
        assert found.xpath("string(.//h2)").strip() == record["title"]


def test_every_record_fits_the_published_schema(built: Project) -> None:
    schema = json.loads(_data(built, "entry.schema.json").read_text("utf-8"))
    assert schema["$id"] == f"{SITE_URL}data/entry.schema.json"
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for record in _records(built):
        validator.validate(record)
        assert list(record) == list(schema["properties"])


def test_the_csv_round_trips_through_the_csv_module(built: Project) -> None:
    with _data(built, "entries.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    records = _records(built)
    assert rows[0] == list(records[0])
    assert len(rows) == len(records) + 1
    for row, record in zip(rows[1:], records):
        cells = dict(zip(rows[0], row))
        assert cells["title"] == record["title"] and cells["body_html"] == record["body_html"]
        assert cells["body_text"] == record["body_text"]
        assert cells["cities"].split("; ") == record["cities"] if record["cities"] else cells["cities"] == ""
        assert cells["key"] == ("true" if record["key"] else "false")
        assert cells["updated"] == (record["updated"] or "")
        assert cells["sources"] == "; ".join(f"{s['name']} <{s['url']}>" for s in record["sources"])
        assert cells["corrections"] == "; ".join(f"{c['at']}: {c['text']}" for c in record["corrections"])
    assert _data(built, "entries.csv").read_bytes().startswith("\ufeffid,url,".encode())  # Excel reads it as UTF-8


def test_sqlite_full_text_search_finds_an_update_by_a_word_of_its_body(built: Project) -> None:
    db = sqlite3.connect(_data(built, "archive.sqlite"))
    found = db.execute(
        "SELECT entries.id FROM entries_fts JOIN entries ON entries.rowid = entries_fts.rowid WHERE entries_fts MATCH ?",
        ["zeppelinlike"],
    ).fetchall()
    assert found == [("tag:news.example.org,2022-03-03:briefing/sirens",)]
    assert db.execute("SELECT key, tags, cities, updated FROM entries WHERE id LIKE '%/sirens'").fetchone() == (
        1, '["air-defence","night"]', '["Kyiv"]', None
    )  # fmt: skip
    links = db.execute("SELECT entry_id, city_slug FROM entry_cities ORDER BY entry_id, city_slug").fetchall()
    assert ("tag:news.example.org,2022-03-03:briefing/kharkiv-shelling", "kharkiv") in links and len(links) == 6
    assert db.execute("SELECT name, count, latitude, longitude FROM cities WHERE slug = 'kyiv'").fetchone() == (
        "Kyiv", 3, 50.4501, 30.5234
    )  # fmt: skip
    assert dict(db.execute("SELECT key, value FROM about"))["licence"] == "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"


def test_sqlite_utils_finds_the_index_and_searches_it(built: Project) -> None:
    db = sqlite_utils.Database(_data(built, "archive.sqlite"))
    assert db["entries"].detect_fts() == "entries_fts"
    assert [row["title"] for row in db["entries"].search("shelters")] == ["Sirens sound across Kiev"]
    assert {fk.other_table for fk in db["entry_people"].foreign_keys} == {"entries", "people"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_datasette_serving_the_file_answers_a_full_text_query(built: Project) -> None:
    port = _free_port()
    datasette = Path(sys.executable).parent / "datasette"
    server = subprocess.Popen(
        [datasette, "serve", "-i", _data(built, "archive.sqlite"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/archive/entries.json?_search=zeppelinlike&_shape=array"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.loads(response.read())
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "Datasette did not answer within 30 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert [row["id"] for row in rows] == ["tag:news.example.org,2022-03-03:briefing/sirens"]


# RFC 7946, as far as this file uses it: a FeatureCollection of Point features, positions
# [longitude, latitude] in WGS 84 degrees, no "crs" member (section 4).
GEOJSON_POINTS = {
    "type": "object",
    "required": ["type", "features"],
    "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "not": {"required": ["crs"]},
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "properties": {"type": ["object", "null"]},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"const": "Point"},
                            "coordinates": {
                                "type": "array",
                                "minItems": 2,
                                "maxItems": 3,
                                "prefixItems": [
                                    {"type": "number", "minimum": -180, "maximum": 180},
                                    {"type": "number", "minimum": -90, "maximum": 90},
                                ],
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_geojson_is_valid_and_places_kyiv_at_longitude_30_5(built: Project) -> None:
    collection = json.loads(_data(built, "cities.geojson").read_text("utf-8"))
    jsonschema.Draft202012Validator(GEOJSON_POINTS).validate(collection)
    by_name = {feature["properties"]["name"]: feature for feature in collection["features"]}
    assert sorted(by_name) == ["Kharkiv", "Kyiv"]  # Odesa and Mykolaiv have no coordinates
    kyiv = by_name["Kyiv"]
    longitude, latitude = kyiv["geometry"]["coordinates"]
    assert round(longitude, 1) == 30.5 and round(latitude, 1) == 50.5
    assert kyiv["properties"] == {
        "name": "Kyiv",
        "url": f"{SITE_URL}cities/kyiv/",
        "count": 3,
        "first_mention": "2022-03-03T09:10:00+02:00",
        "last_mention": "2022-03-04T00:30:00+02:00",
        "region": None,
        "country": None,
    }


def test_the_data_page_lists_each_file_with_its_size_its_schema_and_the_licence(built: Project) -> None:
    page = article(built.page("data/"))
    rows = page.xpath(".//table[contains(@class, 'brf-data__files')]/tbody/tr")
    listed = {row.xpath("string(td[1])").strip(): row for row in rows}
    assert sorted(listed) == sorted(["entries.ndjson", "entries.csv", "archive.sqlite", "cities.geojson", "entry.schema.json"])
    for name, row in listed.items():
        assert row.xpath("td[1]/a/@href") == [f"../data/{name}"]
        assert int(row.xpath("td[3]/@data-bytes")[0]) == _data(built, name).stat().st_size
    assert "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in page.text_content()
    columns = [code.text for code in page.xpath(".//table[contains(@class, 'brf-data__columns')]//td[1]/code")]
    assert columns == list(open_data.columns())
    footer = built.page("2022/03/03/").xpath("//footer//a[normalize-space()='Open data']/@href")
    assert footer == ["../../../data/"]


def test_a_correction_made_years_later_changes_the_data_and_not_the_time_it_covers(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\nupdated: 2025-06-01T12:00:00+03:00\n"
                  "corrections:\n  - at: 2025-06-01T12:00:00+03:00\n    text: A name was misspelt.", "Words.")  # fmt: skip
    project.entry("2022/03/05/two.md", "title: Two\npublished: 2022-03-05T10:00:00+02:00", "Words.")
    assert project.build().code == 0
    (script,) = project.page("data/").xpath("//script[@type='application/ld+json']/text()")
    described = json.loads(script)
    assert described["temporalCoverage"] == "2022-03-03/2022-03-05"  # the days its updates were published on
    assert described["dateModified"] == "2025-06-01T12:00:00+03:00"


def test_dataset_search_engines_find_the_files_their_licence_and_the_time_they_cover(built: Project) -> None:
    (script,) = built.page("data/").xpath("//script[@type='application/ld+json']/text()")
    described = json.loads(script)
    assert (described["@type"], described["name"]) == ("Dataset", "Test Briefing: Open data")
    assert described["url"] == f"{SITE_URL}data/"
    assert described["license"] == "https://creativecommons.org/licenses/by/4.0/"  # the address in data_licence
    assert described["temporalCoverage"].startswith("2022-03-02/")  # from the first day
    files = {d["name"]: (d["encodingFormat"], d["contentUrl"]) for d in described["distribution"]}
    assert files["archive.sqlite"] == ("application/vnd.sqlite3", f"{SITE_URL}data/archive.sqlite")
    assert set(files) == {path.name for path in (built.site / "data").iterdir() if path.name != "index.html"}
    for _, url in files.values():
        assert (built.site / url[len(SITE_URL):]).is_file(), url


def test_a_site_whose_settings_leave_the_open_data_out_has_none_and_links_none(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", SETTINGS)
    _write_archive(project)
    assert project.build().code == 0 and (project.site / "data").is_dir()
    project.write("site_config/settings.yml", SETTINGS + "open_data: false\n")
    result = project.build()
    assert result.code == 0, result.err
    assert not (project.site / "data").exists()
    for url in ("", "2022/03/03/", "cities/kyiv/", "404.html"):
        page = lxml.html.fromstring((project.site / url / "index.html" if not url.endswith(".html") else project.site / url).read_bytes())
        assert page.xpath("//footer//a[normalize-space()='Open data']") == [], url
    assert "data/" not in (project.site / "sitemap.xml").read_text("utf-8")
    project.write("site_config/settings.yml", SETTINGS)  # and back: the cached rebuild equals a clean build
    cached, clean = project.build(), project.build("--clean", site=tmp_path / "clean")
    assert cached.code == 0 and clean.code == 0
    for name in ("entries.ndjson", "index.html"):
        assert _data(project, name).read_bytes() == _data(project, name, tmp_path / "clean").read_bytes(), name
    assert (project.site / "404.html").read_bytes() == (tmp_path / "clean" / "404.html").read_bytes()


def test_a_site_without_a_licence_says_so(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T09:00:00+02:00")
    assert project.build().code == 0
    text = article(project.page("data/")).text_content()
    assert "No licence is stated for these files: ask the publisher before you republish them." in text


def test_a_cached_rebuild_after_edits_equals_a_clean_build_byte_for_byte(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", SETTINGS)
    _write_archive(project)
    assert project.build().code == 0
    project.entry("2022/03/03/sirens.md", "title: Sirens again\npublished: 2022-03-03T07:10:00Z\ncities: [Kyiv]", "Edited body.")
    project.entry("2022/03/05/new-day.md", "title: A new day\npublished: 2022-03-05T08:00:00+02:00\ncities: [Kharkiv]")
    (project.content / "2022/03/02/odesa-port.md").unlink()
    cached = project.build()
    clean = project.build("--clean", site=tmp_path / "clean")
    assert cached.code == 0 and clean.code == 0, cached.err + clean.err
    names = sorted(path.name for path in (project.site / "data").iterdir())
    assert names == sorted(["index.html", *open_data.FORMATS.values(), "entry.schema.json"])
    for name in names:
        assert _data(project, name).read_bytes() == _data(project, name, tmp_path / "clean").read_bytes(), name
    assert [record["title"] for record in _records(project)] == ["Sirens again", "Kharkiv: \"heavy\" shelling, officials say",
                                                                  "Київ: ніч минула спокійно", "A new day"]  # fmt: skip


def test_a_rebuild_makes_the_lines_of_the_edited_day_only(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    chunk = open_data.chunk
    monkeypatch.setattr(open_data, "chunk", lambda archive, entries, links: made.append(entries[0].day.isoformat()) or chunk(archive, entries, links))
    for day in ("01", "02", "03"):
        project.entry(f"2022/03/{day}/e.md", f"title: E{day}\npublished: 2022-03-{day}T09:00:00+02:00")

    def titles() -> list[str]:
        assert project.build().code == 0
        return [record["title"] for record in _records(project)]

    assert titles() == ["E01", "E02", "E03"] and made == ["2022-03-01", "2022-03-02", "2022-03-03"]
    project.entry("2022/03/02/e.md", "title: E02 edited\npublished: 2022-03-02T09:00:00+02:00")
    assert titles() == ["E01", "E02 edited", "E03"] and made[3:] == ["2022-03-02"]
    assert titles() == ["E01", "E02 edited", "E03"] and made[4:] == []  # nothing changed: every file is kept as it is


def test_an_unchanged_data_file_is_the_published_one(project: Project) -> None:
    for day in ("01", "02"):
        project.entry(f"2022/03/{day}/e.md", f"title: E{day}\npublished: 2022-03-{day}T09:00:00+02:00\ncities: [Kyiv]")
    assert project.build().code == 0
    before = {name: _data(project, name).stat().st_ino for name in open_data.FILES}
    project.entry("2022/03/02/e.md", "title: E02 edited\npublished: 2022-03-02T09:00:00+02:00\ncities: [Kyiv]")
    assert project.build().code == 0
    after = {name: _data(project, name).stat().st_ino for name in open_data.FILES}
    assert [name for name in open_data.FILES if after[name] == before[name]] == ["cities.geojson", "entry.schema.json"]


def test_a_build_whose_data_misses_an_update_fails_and_leaves_the_site(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    for hour in (9, 10):
        project.entry(f"2022/03/03/e{hour}.md", f"title: E{hour}\npublished: 2022-03-03T{hour:02d}:00:00+02:00")
    assert project.build().code == 0
    before = _data(project, "entries.ndjson").read_bytes()
    chunk = open_data.chunk
    monkeypatch.setattr(open_data, "chunk", lambda archive, entries, links: chunk(archive, entries[1:], links))  # loses each day's first
    project.entry("2022/03/03/e10.md", "title: E10 edited\npublished: 2022-03-03T10:00:00+02:00")
    result = project.build()
    assert result.code == 1
    path = project.content / "2022/03/03/e9.md"
    assert result.err.splitlines() == [
        "briefings: error: the built site does not match the content:",
        f"{path}: in data/entries.ndjson 0 times, not once",
        f"{path}: in data/archive.sqlite 0 times, not once",
        "data/entries.csv: holds 1 rows, not 2",
        f"build failed; {project.site} was left as it was",
    ]
    assert _data(project, "entries.ndjson").read_bytes() == before


@pytest.mark.parametrize("kind", ["ndjson", "csv", "sqlite", "geojson"])
def test_export_writes_what_the_site_publishes(built: Project, kind: str, tmp_path: Path) -> None:
    output = tmp_path / f"out.{kind}"
    result = run_cli("export", "--format", kind, "--output", output, "--content", built.content, "--config", built.config)
    assert result.code == 0, result.err
    held = "2 cities" if kind == "geojson" else "4 updates"  # the cities with coordinates, or the records
    assert result.err.splitlines()[-1] == f"wrote {output}: {held}"
    assert output.read_bytes() == _data(built, open_data.FORMATS[kind]).read_bytes()


def test_export_writes_to_standard_output_or_beside_you(built: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "generator", "export", "--format", "sqlite", "--output", "-"]
    result = subprocess.run([*command, "--content", built.content, "--config", built.config], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == _data(built, "archive.sqlite").read_bytes()
    assert result.stderr.decode().splitlines()[-1] == "wrote standard output: 4 updates"
    monkeypatch.chdir(tmp_path)
    exported = run_cli("export", "--format", "csv", "--content", built.content, "--config", built.config)
    assert exported.code == 0 and exported.err.splitlines()[-1] == "wrote entries.csv: 4 updates"
    assert (tmp_path / "entries.csv").read_bytes() == _data(built, "entries.csv").read_bytes()


def test_export_of_an_archive_with_errors_reports_them_and_writes_nothing(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root)
    project.entry("2022/03/03/bad.md", "title: Bad\npublished: yesterday")
    result = run_cli("export", "--format", "ndjson", "--content", "content", "--config", "site_config")
    assert result.code == 1
    assert result.lines[0].startswith("content/2022/03/03/bad.md:3: error: 'published' must be")
    assert not (project.root / "entries.ndjson").exists()
    assert run_cli("export", "--format", "xml").code == 2


def test_export_to_a_folder_that_does_not_exist_is_an_error(built: Project, tmp_path: Path) -> None:
    output = tmp_path / "missing" / "entries.ndjson"
    result = run_cli("export", "--format", "ndjson", "--output", output, "--content", built.content, "--config", built.config)
    assert result.code == 1
    assert result.err.splitlines()[-1] == f"briefings: error: cannot write {output}: No such file or directory"


def test_without_open_data_a_data_folder_of_the_content_is_published_as_it_is(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS + "open_data: false\n")
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T09:00:00+02:00", "See the [chart](../../../data/chart.png).")
    project.write("content/data/chart.png", b"\x89PNG\r\n\x1a\n")
    result = project.build()
    assert result.code == 0, result.err
    assert sorted(path.name for path in (project.site / "data").iterdir()) == ["chart.png"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('data_licence: "CC BY\\n4.0"', "'data_licence' must be one line of text: 'CC BY\\n4.0'"),
        ("open_data: sometimes", "'open_data' must be true or false, not 'sometimes'"),
    ],
)
def test_a_data_setting_of_the_wrong_kind_is_a_settings_error(project: Project, monkeypatch: pytest.MonkeyPatch, line: str, message: str) -> None:
    monkeypatch.chdir(project.root)
    project.write("site_config/settings.yml", f"title: T\nsite_url: https://x.org/\n{line}\n")
    result = run_cli("check", "--content", "content", "--config", "site_config")
    assert result.code == 1
    assert result.lines == [f"site_config/settings.yml:3: error: {message}"]


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table a reader queries, with the entries' rowids, in a fixed order."""
    db = sqlite3.connect(path)
    try:
        tables = {"entries": db.execute("SELECT rowid, * FROM entries ORDER BY rowid").fetchall()}
        for table in ("cities", "people", "entry_cities", "entry_people", "about"):
            tables[table] = db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        # The full-text index holds what the entries hold: FTS5's own check, and a query for every word.
        db.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")
        words = {word for (text,) in db.execute("SELECT title || ' ' || body_text FROM entries") for word in text.split()}
        tables["found"] = [
            (word, db.execute("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid", [f'"{word}"']).fetchall())
            for word in sorted(words)
        ]
        tables["schema"] = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        db.close()
    return tables


def test_a_patched_database_holds_what_a_clean_build_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_files, "PATCH_FROM", 1)  # as a large archive's rebuilds do
    project = make_project(tmp_path / "p", SETTINGS)
    _write_archive(project)
    assert project.build().code == 0
    for edit in range(3):  # each rebuild patches the database the last one patched
        project.entry("2022/03/03/sirens.md", f"title: Sirens, edit {edit}\npublished: 2022-03-03T07:10:00Z\ncities: [Kyiv]", f"Edited unicornword{edit}.")
        project.entry(f"2022/03/0{5 + edit}/new-day.md", f"title: A new day\npublished: 2022-03-0{5 + edit}T08:00:00+02:00\ncities: [Kharkiv]")
        assert project.build().code == 0
    (project.content / "2022/03/02/odesa-port.md").unlink()
    cached = project.build()
    clean = project.build("--clean", site=tmp_path / "clean")
    assert cached.code == 0 and clean.code == 0, cached.err + clean.err
    patched, whole = _data(project, "archive.sqlite"), _data(project, "archive.sqlite", tmp_path / "clean")
    assert _tables(patched) == _tables(whole)
    db = sqlite3.connect(patched)
    found = db.execute("SELECT title FROM entries_fts WHERE entries_fts MATCH 'unicornword2'").fetchall()
    assert found == [("Sirens, edit 2",)]
    assert db.execute("SELECT rowid FROM entries_fts WHERE entries_fts MATCH 'unicornword1'").fetchall() == []
    for name in ("entries.ndjson", "entries.csv", "cities.geojson", "entry.schema.json"):  # the same bytes all the same
        assert _data(project, name).read_bytes() == _data(project, name, tmp_path / "clean").read_bytes(), name


def test_a_patched_database_keeps_no_trace_of_an_update_taken_down_or_words_edited_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A court order or a source's safety: the words must leave the published file, not only its tables.
    monkeypatch.setattr(data_files, "PATCH_FROM", 1)  # as a large archive's rebuilds do
    project = make_project(tmp_path / "p", SETTINGS)
    _write_archive(project)
    project.entry("2022/03/03/meeting.md", "title: Zebulonword met a source\npublished: 2022-03-03T09:00:00+02:00", "Zebulonword spoke.")
    project.entry("2022/03/03/sirens.md", "title: Sirens\npublished: 2022-03-03T07:10:00Z\ncities: [Kyiv]", "Quixotrick said so.")
    assert project.build().code == 0
    for edit in range(4):  # the full-text index's segments pile up, as over days of rebuilds
        project.entry(f"2022/03/0{5 + edit}/new-day.md", f"title: Day {edit}\npublished: 2022-03-0{5 + edit}T08:00:00+02:00")
        assert project.build().code == 0
    (project.content / "2022/03/03/meeting.md").unlink()
    project.entry("2022/03/03/sirens.md", "title: Sirens\npublished: 2022-03-03T07:10:00Z\ncities: [Kyiv]", "A resident said so.")
    assert project.build().code == 0
    data = _data(project, "archive.sqlite").read_bytes().lower()
    assert b"zebulonword" not in data and b"quixotrick" not in data


def test_no_published_data_file_shares_its_bytes_with_the_cache(built: Project) -> None:
    cache = {(status.st_dev, status.st_ino) for path in (built.root / ".cache").rglob("*") if (status := path.stat())}
    for path in (built.site / "data").iterdir():
        status = path.stat()
        assert (status.st_dev, status.st_ino) not in cache and status.st_nlink == 1, path.name
        assert oct(status.st_mode & 0o777) == "0o644", path.name  # readable by a web server running as anyone


def test_a_published_data_file_changed_by_hand_is_made_again_not_trusted(tmp_path: Path) -> None:
    monkeypatch = pytest.MonkeyPatch()
    project = make_project(tmp_path / "p", SETTINGS)
    _write_archive(project)
    assert project.build().code == 0
    for name in ("entries.ndjson", "archive.sqlite"):
        published = _data(project, name)
        data = bytearray(published.read_bytes())
        data[20:30] = b"XXXXXXXXXX"  # changed in place, as a careless upload might
        published.write_bytes(bytes(data))
    with monkeypatch.context() as patched:
        patched.setattr(data_files, "PATCH_FROM", 1)  # so that the database too would be patched, were it trusted
        project.entry("2022/03/03/sirens.md", "title: Sirens again\npublished: 2022-03-03T07:10:00Z\ncities: [Kyiv]", "Edited body.")
        result = project.build()
    assert result.code == 0, result.err
    clean = project.build("--clean", site=tmp_path / "clean")
    assert clean.code == 0
    for name in ("entries.ndjson", "entries.csv"):
        assert _data(project, name).read_bytes() == _data(project, name, tmp_path / "clean").read_bytes(), name
    assert _tables(_data(project, "archive.sqlite")) == _tables(_data(project, "archive.sqlite", tmp_path / "clean"))


def test_a_damaged_index_is_noticed_and_every_file_made_whole(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", SETTINGS)
    _write_archive(project)
    assert project.build().code == 0
    folder = project.root / ".cache" / "open-data"
    assert sorted(path.name for path in folder.iterdir()) == ["index.pickle"]  # the files themselves are the site's
    index = folder / "index.pickle"
    index.write_bytes(index.read_bytes()[:-3])  # a damaged index: nothing in the site is read through it
    project.entry("2022/03/03/sirens.md", "title: Sirens once more\npublished: 2022-03-03T07:10:00Z\ncities: [Kyiv]", "Edited.")
    result = project.build()
    assert result.code == 0 and f"{folder}: warning: a file of this cache was missing or damaged; what it held is built again" in result.out
    assert index.read_bytes().startswith(SEAL)
    assert _records(project)[1]["title"] == "Sirens once more"
    clean = project.build("--clean", site=tmp_path / "clean")
    assert clean.code == 0
    for name in open_data.FILES:
        assert _data(project, name).read_bytes() == _data(project, name, tmp_path / "clean").read_bytes(), name


def test_the_data_check_takes_the_sqlite_rows_in_any_order_and_names_one_replaced(project: Project) -> None:
    from generator.data_check import check_folder

    for hour in (9, 10, 11):
        project.entry(f"2022/03/03/e{hour}.md", f"title: E{hour}\npublished: 2022-03-03T{hour:02d}:00:00+02:00")
    assert project.build().code == 0
    archive = generate(project.content, project.config).archive
    folder = project.site / "data"
    database = folder / open_data.SQLITE
    with sqlite3.connect(database) as db:  # the rows in reverse order
        names = ", ".join(f"[{column}]" for column in open_data.columns())  # not the generated published_utc
        rows = db.execute(f"SELECT {names} FROM [entries] ORDER BY rowid DESC").fetchall()
        db.execute("DELETE FROM [entries]")
        db.executemany(f"INSERT INTO [entries] ({names}) VALUES ({', '.join('?' * len(rows[0]))})", rows)
    db.close()
    assert check_folder(archive, folder) == []
    with sqlite3.connect(database) as db:
        db.execute("UPDATE [entries] SET [id] = 'tag:example.org,2022-03-03:gone' WHERE [title] = 'E10'")
    db.close()
    assert check_folder(archive, folder) == [
        f"{project.content / '2022/03/03/e10.md'}: in data/archive.sqlite 0 times, not once",
        "data/archive.sqlite: holds 'tag:example.org,2022-03-03:gone', which is no published entry",
    ]


def test_a_time_when_the_zone_s_offset_had_seconds_is_written_as_rfc_3339_allows(project: Project) -> None:
    """Kyiv kept its local mean time, UTC+02:02:04, until 1924: RFC 3339 offsets have no seconds."""
    project.entry("1900/01/01/early.md", "title: Early\npublished: 1900-01-01T12:00:00+00:00")
    assert project.build().code == 0
    (record,) = _records(project)
    assert record["published"] == "1900-01-01T12:00:00+00:00"  # the same moment, in UTC
    zone = article(project.page("1900/01/01/")).xpath("string(.//p[@class='brf-zone'])")
    assert zone == "1 update. Times are Kyiv time (KMT, UTC+02:02)."


def test_a_text_that_would_start_a_formula_is_text_in_the_csv_and_as_written_elsewhere(tmp_path: Path) -> None:
    from generator.open_data import columns, csv_row

    record = {**dict.fromkeys(columns()), "id": "tag:x,2022-03-03:a", "title": "-10 °C expected in Kharkiv tonight",
              "cities": ["=HYPERLINK(\"http://evil.example\")"], "body_text": "@ZelenskyyUa said", "key": False}  # fmt: skip
    cells = dict(zip(columns(), csv_row(dict(reversed(record.items())))))  # in the header's order, whatever the record's
    assert [cells[name] for name in ("id", "title", "cities", "body_text", "key", "updated")] == [
        "tag:x,2022-03-03:a", "'-10 °C expected in Kharkiv tonight", "'=HYPERLINK(\"http://evil.example\")",
        "'@ZelenskyyUa said", "false", ""]  # fmt: skip


def test_the_data_says_as_of_when_its_latest_update_was_made(built: Project) -> None:
    text = article(built.page("data/")).text_content()
    assert "As of 4 March 2022, 00:30 (Europe/Kyiv): the time of the latest update or correction in these files." in text
    db = sqlite3.connect(_data(built, "archive.sqlite"))
    assert dict(db.execute("SELECT key, value FROM about"))["last_change"] == "2022-03-04T00:30:00+02:00"


def test_sqlite_sorts_by_time_through_the_night_the_clocks_go_back(project: Project) -> None:
    for name, at in (("first", "2022-10-30T03:30:00+03:00"), ("second", "2022-10-30T03:10:00+02:00")):
        project.entry(f"2022/10/30/{name}.md", f"title: {name}\npublished: {at}")  # 00:30 UTC, then 01:10 UTC
    assert project.build().code == 0
    db = sqlite3.connect(_data(project, "archive.sqlite"))
    by_text = [title for (title,) in db.execute("SELECT title FROM entries ORDER BY published")]
    assert by_text == ["second", "first"]  # text with offsets: out of order that night
    assert db.execute("SELECT title, published_utc FROM entries ORDER BY published_utc").fetchall() == [
        ("first", "2022-10-30T00:30:00Z"), ("second", "2022-10-30T01:10:00Z")
    ]


def test_full_text_search_finds_a_ukrainian_name_whichever_apostrophe_was_typed(project: Project) -> None:
    for name, town in (("straight", "Кам'янське"), ("curly", "Кам’янське"), ("letter", "Камʼянське")):
        project.entry(f"2022/03/03/{name}.md", f"title: {name}\npublished: 2022-03-03T10:00:00+02:00", f"Обстріл у {town}.")
    assert project.build().code == 0
    db = sqlite3.connect(_data(project, "archive.sqlite"))
    for typed in ('"Кам\'янське"', "Кам’янське", "Камʼянське"):
        found = db.execute("SELECT title FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid", [typed]).fetchall()
        assert sorted(found) == [("curly",), ("letter",), ("straight",)], typed
    entries = sqlite_utils.Database(db)["entries"]  # --quote, as the command line needs for a ' in a query
    assert len(list(entries.search("Кам'янське", quote=True))) == len(list(entries.search("Камʼянське"))) == 3
