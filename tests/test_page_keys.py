"""A page's key in the output store covers everything its rendering reads.

A day page shows its entries whole, and its key holds each entry's source digest
(which determines every field) with the names it links. An entity page reads its
entries only as ``views.Line`` values, and its key holds every field of each line:
showing another field of an entry there means adding it to ``Line``, and the keys
follow. These tests hold rendering to that.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import Project
from generator import fragments, views
from generator.cache import page_keys
from generator.archive import build_archive
from generator.model import Entry
from generator.problems import ProblemLog
from generator.registry import KINDS, load_registry
from generator.render import Renderer
from generator.settings import load_settings
from generator.site import load_archive
from test_cache_equivalence import EDITED, _archive


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return _archive(tmp_path)


@pytest.fixture
def archive(project: Project):  # noqa: ANN201 - generator.model.Archive
    return load_archive(project.content, project.config)[0]


def _regrouped(project: Project, entries: list[Entry]):  # noqa: ANN202 - generator.model.Archive
    """The archive of ``entries``, grouped with the project's settings and registries."""
    log = ProblemLog()
    settings = load_settings(project.config, log)
    registries = {kind: load_registry(project.config, kind, log) for kind in KINDS}
    return build_archive(entries, registries, settings, log)


def _keys(archive) -> dict[str, str | None]:  # noqa: ANN001
    groups = views.view_groups(archive)
    made: page_keys.Keys = {"": (None, (), "base")}
    keys = page_keys.group_keys(page_keys.EntryInputs(archive), groups, None, made)
    return dict(zip((group.name for group in groups), keys))


def test_entity_pages_read_no_field_of_an_entry_but_through_its_line(archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering every entity page reads entries only where their lines are made (``Lines.line``)."""
    read: list[str] = []
    making = []
    plain, line = object.__getattribute__, views.Lines.line

    def recorded(entry: Entry, name: str):  # noqa: ANN202
        if not making and not name.startswith("__"):
            read.append(name)
        return plain(entry, name)

    def made(lines: views.Lines, entry: Entry) -> views.Line:
        making.append(entry)
        try:
            return line(lines, entry)
        finally:
            making.pop()

    renderer = Renderer(archive)  # made before: its linker reads every body for the files they link
    monkeypatch.setattr(views.Lines, "line", made)
    # Made before too: making every group reads each entry's corrections, for the corrections page.
    groups = [group for group in views.view_groups(archive) if group.view is views.entity_view]
    monkeypatch.setattr(Entry, "__getattribute__", recorded)
    for group in groups:
        for view in group.make():
            renderer.render(view)
    assert len(groups) == 3 and read == []


def test_showing_a_field_an_entity_page_key_does_not_cover_fails(archive, monkeypatch: pytest.MonkeyPatch) -> None:
    item = fragments.entity_item
    monkeypatch.setattr(fragments, "entity_item", lambda line, zone: item(line, zone) + ", ".join(line.tags))
    (kyiv,) = [group for group in views.view_groups(archive) if group.name == "city kyiv"]
    with pytest.raises(AttributeError, match="'Line' object has no attribute 'tags'"):
        Renderer(archive).render(kyiv.make()[0])


@pytest.mark.parametrize("field", [field.name for field in dataclasses.fields(views.Line)])
def test_the_key_of_an_entity_page_follows_every_field_of_its_lines(project: Project, archive, field: str) -> None:
    entry = next(entry for entry in archive.entries if entry.rel_path == EDITED)
    if field == "linked":
        changed = dataclasses.replace(entry, people=())
    elif field == "published":  # a minute later, the same day
        changed = dataclasses.replace(entry, published=entry.published + timedelta(minutes=1))
    elif field == "day":
        changed = dataclasses.replace(entry, day=entry.day - timedelta(days=1))
    else:
        changed = dataclasses.replace(entry, **{field: getattr(entry, field) + "-changed"})
    # The same source digest, which keys what shows an entry whole: only the line can tell.
    assert changed.source_digest == entry.source_digest
    edited = _regrouped(project, [changed if e is entry else e for e in archive.entries])
    assert _keys(archive)["city kyiv"] != _keys(edited)["city kyiv"]
