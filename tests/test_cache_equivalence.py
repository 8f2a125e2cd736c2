"""A rebuild through the caches publishes what a build from nothing publishes, after any edit.

The edits are generated from the schemas the checks validate with: every field of
the entry front matter, of settings.yml and of the registries is changed in turn
(set where the archive leaves it out), so a field added to a schema is covered
here without editing this file. Files are also added, removed, renamed and touched.
After each edit, a build that reads the caches of the build before it must write
the same bytes, file for file, as a clean build with no cache.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from conftest import Project, make_project
from test_integrity import _digest

SCHEMAS = Path(__file__).resolve().parents[1] / "generator" / "schemas"

SETTINGS = {
    "title": "Test Briefing",
    "description": "Updates for the tests.",
    "site_url": "https://news.example.org/briefing/",
    "timezone": "Europe/Kyiv",
    "language": "en",
    "feed_size": 2,
    "repo_url": "https://github.com/newsroom/briefing",  # each update links its history: repo_branch shows
}
CITIES = [
    {"name": "Kyiv", "aliases": ["Kiev"], "description": "Capital of Ukraine.", "region": "Kyiv", "country": "Ukraine",
     "coordinates": [50.45, 30.52]},
    {"name": "Kharkiv", "coordinates": [49.99, 36.23]},
]  # fmt: skip
PEOPLE = [{"name": "Vitali Klitschko", "aliases": ["Vitaliy Klychko"], "role": "Mayor of Kyiv"}]
# The entry every field edit is made to, and the others around it.
EDITED = "2022/03/03/mayor.md"
ENTRIES = {
    EDITED: {
        "title": "Mayor says the air defences held",
        "published": "2022-03-03T09:40:00+02:00",
        "updated": "2022-03-03T11:05:00+02:00",
        "cities": ["Kyiv"],
        "people": ["Vitali Klitschko"],
        "sources": [{"name": "RFE/RL", "url": "https://www.rferl.org/a/example.html"}],
        "tags": ["air-defence"],
        "key": True,
    },
    "2022/03/03/curfew.md": {"title": "Curfew in Kyiv", "published": "2022-03-03T07:00:00+02:00", "cities": ["Kiev"]},
    "2022/03/04/kharkiv.md": {"title": "Shelling in Kharkiv", "published": "2022-03-04T08:15:00+02:00",
                              "cities": ["Kharkiv", "Kyiv"]},
    "2022/03/02/earlier.md": {"title": "Talks announced", "published": "2022-03-02T20:00:00+02:00",
                              "people": ["Vitali Klitschko"]},
}  # fmt: skip
BODY = "Kyiv's mayor Vitali Klitschko said the city's **air defences** held overnight."


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text("utf-8"))


def changed(schema: dict[str, Any], value: Any) -> Any:
    """A valid value for ``schema`` other than ``value`` (None: the field is left out)."""
    kind = schema.get("type")
    if value is None:
        return _made(schema)
    if kind == "boolean":
        return not value
    if kind == "integer":
        return value + 1 if value + 1 <= schema.get("maximum", value + 1) else value - 1
    if kind == "number":
        return round(value + 0.5, 6) if value + 0.5 <= schema.get("maximum", value + 1) else round(value - 0.5, 6)
    if kind == "array" and "prefixItems" in schema:
        return [changed(item, part) for item, part in zip(schema["prefixItems"], value)]
    if kind == "array":
        return [*value, _made(schema["items"], len(value))]
    if kind == "object":
        first = next(iter(schema["properties"]))
        return {**value, first: changed(schema["properties"][first], value.get(first))}
    if kind == "string":
        others = [example for example in schema.get("examples", []) if example != value]
        if others:
            return others[0]
        try:
            return (datetime.fromisoformat(value) + timedelta(minutes=20)).isoformat()
        except ValueError:
            pass
        for candidate in (value + " edited", value.rstrip("/") + "/edited/"):
            if re.search(schema.get("pattern", ""), candidate):
                return candidate
    raise AssertionError(f"no edit is known for a value of schema {schema}: teach changed() one")


def _made(schema: dict[str, Any], index: int = 0) -> Any:
    """A new valid value for ``schema``, where there was none."""
    kind = schema.get("type")
    if "examples" in schema:
        return schema["examples"][index % len(schema["examples"])]
    if kind == "boolean":
        return not schema.get("default", False)
    if kind in ("number", "integer"):
        return (schema.get("minimum", 0) + schema.get("maximum", 2)) // 2
    if kind == "array" and "prefixItems" in schema:
        return [_made(item) for item in schema["prefixItems"]]
    if kind == "array":
        return [_made(schema["items"])]
    if kind == "object":
        return {name: _made(part) for name, part in schema["properties"].items() if name in schema.get("required", ())}
    if kind == "string":
        for candidate in (f"Added {index}", "https://example.org/added"):
            if re.search(schema.get("pattern", ""), candidate):
                return candidate
    raise AssertionError(f"no value is known for schema {schema}: teach _made() one")


Edit = Callable[[Project], None]


def _entry_edit(field: str) -> Edit:
    def edit(project: Project) -> None:
        front = dict(ENTRIES[EDITED])
        front[field] = changed(_schema("entry.schema.json")["properties"][field], front.get(field))
        _write_entry(project, EDITED, front)

    return edit


def _settings_edit(field: str) -> Edit:
    def edit(project: Project) -> None:
        settings = dict(SETTINGS)
        settings[field] = changed(_schema("settings.schema.json")["properties"][field], settings.get(field))
        project.write("site_config/settings.yml", yaml.safe_dump(settings, allow_unicode=True))

    return edit


def _registry_edit(file: str, registry: list[dict[str, Any]], field: str) -> Edit:
    def edit(project: Project) -> None:
        edited = [dict(item) for item in registry]
        properties = _schema("registry.schema.json")["items"]["properties"]
        edited[0][field] = changed(properties[field], edited[0].get(field))
        project.write(f"site_config/{file}", yaml.safe_dump(edited, allow_unicode=True))

    return edit


def _body_edit(project: Project) -> None:
    _write_entry(project, EDITED, ENTRIES[EDITED], BODY.replace("held", "mostly held"))


def _added(project: Project) -> None:
    _write_entry(project, "2022/03/04/added.md", {"title": "A new update", "published": "2022-03-04T21:00:00+02:00",
                                                  "cities": ["Kyiv"], "people": ["Vitali Klitschko"]})  # fmt: skip


def _removed(project: Project) -> None:
    (project.content / "2022/03/04/kharkiv.md").unlink()


def _renamed(project: Project) -> None:
    (project.content / EDITED).rename(project.content / "2022/03/03/mayor-renamed.md")


def _touched(project: Project) -> None:
    path = project.content / EDITED
    later = path.stat().st_mtime_ns + 5 * 10**9
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(later, later))


# Fields no page shows (yet): an edit of them must change nothing published.
UNSHOWN = {"entry origin", "entry digest", "people.yml region", "people.yml country", "people.yml coordinates",
           "settings require_sources"}  # what `check` asks of entries, not what the site shows

EDITS: dict[str, Edit] = {
    **{f"entry {field}": _entry_edit(field) for field in _schema("entry.schema.json")["properties"]},
    "entry body": _body_edit,
    **{f"settings {field}": _settings_edit(field) for field in _schema("settings.schema.json")["properties"]},
    **{
        f"{file} {field}": _registry_edit(file, registry, field)
        for file, registry in (("cities.yml", CITIES), ("people.yml", PEOPLE))
        for field in _schema("registry.schema.json")["items"]["properties"]
    },
    "a file added": _added,
    "a file removed": _removed,
    "a file renamed": _renamed,
    "a file touched": _touched,
}


def _write_entry(project: Project, rel: str, front: dict[str, Any], body: str = BODY) -> None:
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    project.write(f"content/{rel}", f"---\n{text}---\n{body}\n")


def _archive(root: Path) -> Project:
    project = make_project(root)
    project.write("site_config/settings.yml", yaml.safe_dump(SETTINGS, allow_unicode=True))
    project.write("site_config/cities.yml", yaml.safe_dump(CITIES, allow_unicode=True))
    project.write("site_config/people.yml", yaml.safe_dump(PEOPLE, allow_unicode=True))
    for rel, front in ENTRIES.items():
        _write_entry(project, rel, front)
    return project


def _build(project: Project, site: Path, cache: Path, *extra: str) -> None:
    result = project.build(*extra, site=site, cache=cache)
    assert result.code == 0, result.err


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_cached_rebuild_after_an_edit_equals_a_clean_build(tmp_path: Path, name: str) -> None:
    project = _archive(tmp_path / "project")
    warm, cache = tmp_path / "warm", tmp_path / "cache"
    _build(project, warm, cache)
    before = _digest(warm)
    EDITS[name](project)
    _build(project, warm, cache)
    _build(project, tmp_path / "clean", tmp_path / "no-cache", "--clean")
    after = _digest(warm)
    assert after == _digest(tmp_path / "clean")
    if name != "a file touched":
        # Guards the edits themselves: one that changed nothing the site shows would test nothing.
        assert (after != before) == (name not in UNSHOWN), f"the edit '{name}' and UNSHOWN disagree"


def test_every_field_of_every_schema_has_an_edit() -> None:
    """A field added to a schema gets its edit above without a change here."""
    entry = _schema("entry.schema.json")["properties"]
    settings = _schema("settings.schema.json")["properties"]
    registry = _schema("registry.schema.json")["items"]["properties"]
    for field, schema in entry.items():
        assert changed(schema, ENTRIES[EDITED].get(field)) != ENTRIES[EDITED].get(field)
    for field, schema in settings.items():
        assert changed(schema, SETTINGS.get(field)) != SETTINGS.get(field)
    for field, schema in registry.items():
        assert changed(schema, CITIES[0].get(field)) != CITIES[0].get(field)
        assert changed(schema, PEOPLE[0].get(field)) != PEOPLE[0].get(field)
