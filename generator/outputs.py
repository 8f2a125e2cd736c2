"""Every page and entity feed of the archive, rendered on both cores when it is large.

Pages and feeds do not depend on each other, so they are dealt out to forked
workers (``parallel.fork_map``), each rendering with its own copy of the
renderer. The fragments a worker used or rendered come back with its pages and
go into this process's store, so the next build finds them in the cache.

Pages are kept in the store too, keyed by what their view group declares it
shows (``ViewGroup.inputs``): after one edit, only the edited entry's day and
entity pages, and the pages of the whole archive, are rendered again.
"""

from __future__ import annotations

from . import feeds, urls
from typing import Any

from .fragments import digest
from .model import Archive, Entity, Entry
from .parallel import WORTH_FORKING, chunks, fork_map
from .render import RenderedPage, Renderer
from .views import ViewGroup, view_groups

# More batches than workers, so a worker that finishes early takes another.
BATCHES = 8


def render_outputs(archive: Archive, renderer: Renderer) -> tuple[tuple[RenderedPage, ...], dict[str, bytes]]:
    """The rendered pages, in ``all_views`` order, and the entity feeds by path."""
    groups = view_groups(archive)  # views are made by the worker that renders them
    keys = group_keys(archive, renderer, groups)
    entities = [*archive.cities, *archive.people]
    bodies = feeds.FeedBodies(archive, renderer.linker)

    def render(unit: tuple[str, int]) -> list[RenderedPage] | bytes:
        kind, index = unit
        if kind == "pages":
            return render_group(renderer, groups[index], keys[index])
        return entity_feed(archive, renderer, bodies, entities[index])

    def render_batch(batch: list[tuple[str, int]]):  # noqa: ANN202 - (results, fragments.Delta)
        return [render(unit) for unit in batch], renderer.fragments.export()

    units = [("pages", i) for i in range(len(groups))] + [("feed", i) for i in range(len(entities))]
    batches = chunks(units, BATCHES)
    # After an edit nearly every group is in the store: forking would cost more than it saves.
    to_render = sum(key is None or not renderer.fragments.has(key) for key in keys)
    parallel = len(archive.entries) >= WORTH_FORKING and to_render * 10 >= len(groups)
    done = fork_map(render_batch, batches, parallel=parallel)
    results: dict[tuple[str, int], list[RenderedPage] | bytes] = {}
    for batch, (rendered, delta) in zip(batches, done):
        renderer.fragments.adopt(delta)
        results.update(zip(batch, rendered))
    pages = tuple(page for i in range(len(groups)) for page in results[("pages", i)])  # type: ignore[union-attr]
    files = {urls.entity_feed_url(entity): results[("feed", i)] for i, entity in enumerate(entities)}
    return pages, files  # type: ignore[return-value]


def render_group(renderer: Renderer, group: ViewGroup, key: str | None) -> list[RenderedPage]:
    """The group's pages, from the store when its inputs are unchanged."""

    def make() -> list[RenderedPage]:
        return [renderer.render(view, key or "") for view in group.make()]

    return make() if key is None else renderer.fragments.get_composite(key, make, f"pages {group.name}")


def group_keys(archive: Archive, renderer: Renderer, groups: list[ViewGroup]) -> list[str | None]:
    """Per group, a digest of its declared inputs (None: made every time).

    An entry among the inputs counts as its source digest and the names it
    links; the store's context (code, templates, linked names) and the settings
    go into every key, so a page's key says everything its HTML is made from.
    """
    known: dict[str, tuple[str, tuple]] = {}

    def entry_key(entry: Entry) -> tuple[str, tuple]:
        found = known.get(entry.rel_path)
        if found is None:
            named = tuple((e.kind, e.slug, e.name) for e in archive.links.get(entry.rel_path, ()))
            found = known[entry.rel_path] = (renderer.fragments.entry_digest(entry), named)
        return found

    def plain(value: Any) -> Any:
        if isinstance(value, tuple) and value and isinstance(value[0], Entry):
            return tuple(entry_key(entry) for entry in value)
        return value

    base = (renderer.fragments.context, archive.settings)
    return [None if g.inputs is None else digest("pages", *base, *map(plain, g.inputs)) for g in groups]


def entity_feed(archive: Archive, renderer: Renderer, bodies: feeds.FeedBodies, entity: Entity) -> bytes:
    """The entity's RSS feed, from the fragment store when nothing it shows has changed.

    A feed depends on its newest entries, their entities and the settings: on a
    rebuild after one edit, only the feeds that list the edited entry are made again.
    """
    items = feeds.latest(entity.entries, archive.settings.feed_size)
    named = [tuple((e.kind, e.slug, e.name) for e in archive.links.get(i.rel_path, ())) for i in items]
    shown = [renderer.fragments.entry_digest(item) for item in items]  # not the entries themselves: faster
    key = digest("feed", archive.settings, entity.kind, entity.slug, entity.name, shown, named)
    url = urls.entity_feed_url(entity)
    return renderer.fragments.get_keyed(key, lambda: feeds.entity_feed(archive, bodies, entity), f"feed {url}")
