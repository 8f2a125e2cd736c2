"""Property tests: random entries, names and bytes never crash, never lose an entry, never break a feed."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SETTINGS, make_project, run_cli
from generator import urls
from generator.feeds import latest
from generator.site import generate, output_path

# Up to U+FFFF: the writer below uses JSON escapes, which YAML reads one UTF-16 unit at a time.
TEXT = st.characters(codec="utf-8", max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc"))
# Names never hold < or >, which check refuses (a name is a search filter's label, written as HTML).
NAMES = st.text(alphabet=TEXT, min_size=1, max_size=12).filter(lambda s: s.strip() and any(c.isalnum() for c in s) and not {"<", ">"} & set(s))
TIMES = st.datetimes(min_value=datetime(2021, 1, 1), max_value=datetime(2023, 12, 31)).map(
    lambda d: d.replace(tzinfo=timezone.utc)
)
OFFSETS = st.sampled_from([timedelta(hours=h) for h in (-5, 0, 2, 3, 5)])
ENTRY = st.fixed_dictionaries(
    {
        "title": st.text(alphabet=TEXT, min_size=1, max_size=30).filter(lambda s: s.strip()),
        "when": TIMES,
        "offset": OFFSETS,
        "cities": st.lists(NAMES, max_size=3),
        "people": st.lists(NAMES, max_size=2),
        "draft": st.booleans(),
        "body": st.text(max_size=80),
    }
)


def _yaml(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars.
    import json

    return json.dumps(value, ensure_ascii=True)


def _write(project, index: int, e: dict) -> None:
    moment = e["when"].astimezone(timezone(e["offset"])).isoformat()
    front = "\n".join(
        [
            f"title: {_yaml(e['title'])}",
            f"published: {moment}",
            f"cities: [{', '.join(_yaml(n) for n in e['cities'])}]",
            f"people: [{', '.join(_yaml(n) for n in e['people'])}]",
            f"draft: {'true' if e['draft'] else 'false'}",
        ]
    )
    project.write(f"content/e{index}.md", f"---\n{front}\n---\n{e['body']}\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, min_size=1, max_size=12))
def test_every_entry_lands_once_and_feeds_parse(entries: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp))
        for index, e in enumerate(entries):
            _write(project, index, e)
        site = generate(project.content, project.config)
    pages = {page.url: lxml.html.fragment_fromstring(page.html, create_parent="div") for page in site.pages}
    paths = [output_path(p.url) for p in site.pages] + list(site.files)
    assert len(paths) == len(set(paths))
    for path in paths:  # nothing a name or slug holds can lead outside the site directory
        assert not path.startswith("/") and ".." not in path.split("/") and "\\" not in path, path
    published = site.archive.entries
    assert len(published) == sum(not e["draft"] for e in entries)
    for entry in published:
        ids = Counter(pages[urls.day_url(entry.day)].xpath(".//article[contains(@class,'brf-entry')]/@id"))
        assert ids[entry.slug] == 1
        for entity in site.archive.links.get(entry.rel_path, ()):
            page = urls.entity_url(entity)
            links = pages[page].xpath(".//ul[@class='brf-entity__entries']//a/@href")
            assert links.count(urls.relative(page, urls.entry_url(entry))) == 1
    for name, body in site.files.items():
        if name.endswith(".xml"):
            assert feedparser.parse(body).bozo == 0, name
    # Feeds take the newest entries from lists the model keeps sorted, either way round.
    archive = site.archive
    for listed in [archive.entries, *(entity.entries for entity in (*archive.cities, *archive.people))]:
        for size in (1, 3, 50):
            assert latest(listed, size) == sorted(listed, key=lambda e: e.sort_key, reverse=True)[:size]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_check(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), SETTINGS)
        project.write("content/2022/03/03/random.md", b"---\n" + raw)
        result = run_cli("check", "--content", project.content, "--config", project.config)
    assert result.code in (0, 1)
    assert "Traceback" not in result.out + result.err


# "body" and "title" change one field of an entry and keep the rest: entity pages keyed by
# the lines they list (views.Line) must follow a new title.
EDIT = st.tuples(st.sampled_from(["replace", "remove", "add", "body", "title"]), st.integers(min_value=0, max_value=20), ENTRY)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, min_size=1, max_size=8), st.lists(EDIT, min_size=1, max_size=3))
def test_a_cached_rebuild_after_any_edits_equals_a_build_from_nothing(entries: list[dict], edits: list) -> None:
    """Pages kept by the digest of their views' arguments (views.ViewGroup) must never go
    stale: whatever the edits (titles, days, the archive's first or last day, names), the
    cache changes nothing. Every entity of two updates has month pages, so that edits move
    updates between pages too."""
    from unittest import mock

    from generator import views

    with (
        tempfile.TemporaryDirectory() as tmp,
        mock.patch.object(views, "MONTHS_FROM", 2),
        mock.patch.object(views, "ENTITY_LATEST", 1),
    ):
        project = make_project(Path(tmp))
        cache = Path(tmp) / "cache"
        files = {index: e for index, e in enumerate(entries)}
        for index, e in files.items():
            _write(project, index, e)
        generate(project.content, project.config, cache_dir=cache)
        for action, number, e in edits:
            index = sorted(files)[number % len(files)] if files else 0
            if action == "remove" and len(files) > 1:
                (project.content / f"e{index}.md").unlink()
                del files[index]
            elif action in ("body", "title") and index in files:
                files[index] = {**files[index], action: e[action]}
                _write(project, index, files[index])
            else:
                index = index if action == "replace" else max(files, default=-1) + 1
                files[index] = e
                _write(project, index, e)
            cached = generate(project.content, project.config, cache_dir=cache)
            fresh = generate(project.content, project.config)
            assert [(p.url, p.title, p.html, p.description, p.feeds) for p in cached.pages] == [
                (p.url, p.title, p.html, p.description, p.feeds) for p in fresh.pages
            ]
            assert cached.files == fresh.files
