"""Every page and entity feed of the archive, rendered on both cores when it is large.

Pages and feeds do not depend on each other, so they are dealt out to forked
workers (``parallel.fork_map``), each rendering with its own copy of the
renderer. The fragments a worker used or rendered come back with its pages and
go into this process's store, so the next build finds them in the cache.
"""

from __future__ import annotations

from . import feeds, urls
from .fragments import digest
from .model import Archive, Entity
from .parallel import WORTH_FORKING, chunks, fork_map
from .render import RenderedPage, Renderer
from .views import view_makers

# More batches than workers, so a worker that finishes early takes another.
BATCHES = 8


def render_outputs(archive: Archive, renderer: Renderer) -> tuple[tuple[RenderedPage, ...], dict[str, bytes]]:
    """The rendered pages, in ``all_views`` order, and the entity feeds by path."""
    makers = view_makers(archive)  # views are made by the worker that renders them
    entities = [*archive.cities, *archive.people]
    bodies = feeds.FeedBodies(archive, renderer.linker)

    def render(unit: tuple[str, int]) -> list[RenderedPage] | bytes:
        kind, index = unit
        if kind == "pages":
            return [renderer.render(view) for view in makers[index]()]
        return entity_feed(archive, renderer, bodies, entities[index])

    def render_batch(batch: list[tuple[str, int]]):  # noqa: ANN202 - (results, fragments.Delta)
        return [render(unit) for unit in batch], renderer.fragments.export()

    units = [("pages", i) for i in range(len(makers))] + [("feed", i) for i in range(len(entities))]
    batches = chunks(units, BATCHES)
    done = fork_map(render_batch, batches, parallel=len(archive.entries) >= WORTH_FORKING)
    results: dict[tuple[str, int], list[RenderedPage] | bytes] = {}
    for batch, (rendered, delta) in zip(batches, done):
        renderer.fragments.adopt(delta)
        results.update(zip(batch, rendered))
    pages = tuple(page for i in range(len(makers)) for page in results[("pages", i)])  # type: ignore[union-attr]
    files = {urls.entity_feed_url(entity): results[("feed", i)] for i, entity in enumerate(entities)}
    return pages, files  # type: ignore[return-value]


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
