"""Every page and entity feed of the archive, rendered on both cores when it is large.

Pages and feeds do not depend on each other, so they are dealt out to forked
workers (``parallel.fork_map``), each rendering with its own copy of the
renderer. What a worker used or rendered comes back with its pages and goes
into this process's store, so the next build finds it in the cache.

Pages are kept in the store keyed by the digest of their view and its arguments
(``ViewGroup.args``), which are all the view reads: after one edit, only the edited entry's day page, the
entity pages whose lines it changed (a new update: each entity's first page)
and the pages of the whole archive are rendered again.

The keys are derived in ``cache.page_keys``. A rebuild that patched the last
build's archive (``cache.snapshot``) hands over the last build's keys
(``Keys``): a group whose day or entity is the very object the last build
showed, with the same other arguments, keeps its key unread.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from . import feeds, progress, urls
from .cache.output_store import digest
from .cache.page_keys import EntryInputs, Keys, entity_feed_key, group_keys, site_feeds_key
from .model import Archive, Entity
from .parallel import WORTH_FORKING, chunks, fork_map
from .render import RenderedFile, RenderedPage, Renderer
from .views import ViewGroup, view_groups

# More batches than workers, so a worker that finishes early takes another.
BATCHES = 8


Unit = tuple[str, int]  # ("pages", a group's index), ("site feeds", 0) or ("feed", an entity's index)


def render_outputs(
    archive: Archive,
    renderer: Renderer,
    on_days: Callable[[tuple[RenderedPage, ...]], None] | None = None,
    known: Keys | None = None,
) -> Rendered:
    """The rendered pages, in ``all_views`` order, the feeds by path, and their keys.

    The day pages are rendered first and given to ``on_days``: the search index
    needs only those, and starts on them while the rest is rendered. ``known``:
    the keys of the last build, whose archive this one's was patched from.
    """
    work = _Rendering(archive, renderer, known)
    renderer.load_templates()
    work.run(work.days, "rendering day pages")
    if on_days is not None:
        on_days(work.pages(work.days))
    work.run(work.rest, "rendering the other pages and feeds")
    return work.rendered()


class _Rendering:
    """One build's pages and feeds: their keys, their rendering in batches (by forked
    workers on a large archive), and what the batches gave back."""

    def __init__(self, archive: Archive, renderer: Renderer, known: Keys | None) -> None:
        self.archive, self.renderer = archive, renderer
        self.groups = view_groups(archive, renderer.linker.links)  # views are made by the worker that renders them
        self.entities = [*archive.cities, *archive.people]
        # The store's context (code, templates, linked names) and the settings go into every
        # key, so a page's key says everything its HTML is made from; with other ones, no key carries over.
        self.now: Keys = {"": (None, (), digest(renderer.store.context, archive.settings))}
        self.known = known if known is not None and known.get("") == self.now[""] else None
        self.inputs = EntryInputs(archive)
        self.keys: list[str | None] = [None] * len(self.groups)
        self.feed_keys: dict[str, str] = {}  # by path
        self.bodies = feeds.FeedBodies(archive, renderer.linker)
        self.updates: dict[str, RenderedFile] = {}  # the day documents made or taken since the last batch
        self.results: dict[Unit, Any] = {}
        self.day_documents: dict[str, RenderedFile] = {}  # by path
        self.days: list[Unit] = [("pages", i) for i, group in enumerate(self.groups) if group.days]
        self.rest: list[Unit] = [("pages", i) for i, group in enumerate(self.groups) if not group.days]
        self.rest += [("site feeds", 0)] + [("feed", i) for i in range(len(self.entities))]

    # --- keys

    def make_keys(self, part: list[Unit]) -> list[int]:
        """The keys of the groups in ``part`` (and, for the rest, the feeds'); the groups' indexes.

        Part by part: the search index starts on the day pages before the others' keys are made.
        """
        groups_in = [i for kind, i in part if kind == "pages"]
        for i, key in zip(groups_in, group_keys(self.inputs, [self.groups[i] for i in groups_in], self.known, self.now)):
            self.keys[i] = key
        if part is self.rest:
            self.feed_keys[urls.FEED] = self.feed_keys[urls.JSON_FEED] = site_feeds_key(self.inputs)
            for entity in self.entities:
                key = entity_feed_key(self.inputs, entity, self.known, self.now)
                self.feed_keys[urls.entity_feed_url(entity)] = self.feed_keys[urls.entity_json_feed_url(entity)] = key
        return groups_in

    # --- rendering

    def run(self, part: list[Unit], stage: str) -> None:
        """Render ``part`` in batches, and take in what each batch gave back."""
        groups_in = self.make_keys(part)
        store = self.renderer.store
        # After an edit nearly every group is in the store: forking would cost more than it saves.
        # Feeds follow their pages: an edit that changes few pages changes few feeds.
        to_render = sum(self.keys[i] is None or not store.has(self.keys[i]) for i in groups_in)
        parallel = len(self.archive.entries) >= WORTH_FORKING and to_render * 10 >= len(groups_in)
        batches = chunks(part, BATCHES)
        rendering = progress.stage(stage, len(part))
        done = fork_map(self.render_batch, batches, parallel=parallel, each=lambda batch: rendering.advance(len(batch)))
        for batch, (rendered, delta, made, documents) in zip(batches, done):
            store.adopt(delta)
            self.bodies.adopt(made)
            self.day_documents.update(documents)
            store.attach(list(documents.values()))  # from a worker: their bytes are in this store too
            for pages in rendered:
                if isinstance(pages, list):  # stored pages from a worker: their HTML is in this store too
                    store.attach(pages)
            self.results.update(zip(batch, rendered))

    def render_batch(self, batch: list[Unit]):  # noqa: ANN201 - (results, output_store.Delta, feed bodies, day documents)
        """What a batch gives back, from the worker that rendered it."""
        results = [self.render(unit) for unit in batch]
        made = dict(self.updates)
        self.updates.clear()
        return results, self.renderer.store.export(), self.bodies.export(), made

    def render(self, unit: Unit) -> list[RenderedPage] | dict[str, bytes]:
        kind, index = unit
        renderer, bodies = self.renderer, self.bodies
        if kind == "pages":
            group = self.groups[index]
            pages = render_group(renderer, group, self.keys[index])
            bodies.prepare(group.entries)  # a day's entries; no other group shows any whole
            if group.days:  # while its blocks are at hand
                self.updates[_updates_path(group)] = day_updates(renderer, group, self.keys[index])
            return pages
        if kind == "site feeds":
            return site_feeds(renderer, bodies, self.feed_keys[urls.FEED])
        entity = self.entities[index]
        return entity_feeds(renderer, bodies, entity, self.feed_keys[urls.entity_feed_url(entity)])

    # --- results

    def pages(self, part: list[Unit]) -> tuple[RenderedPage, ...]:
        return tuple(page for unit in part if unit[0] == "pages" for page in self.results[unit])

    def rendered(self) -> Rendered:
        """Every page in ``all_views`` order, the feeds and day documents, and the keys for the next build."""
        context = self.renderer.store.context
        files: dict[str, bytes | RenderedFile] = {}
        for unit in self.rest:
            if unit[0] != "pages":
                files.update(self.results[unit])
        fingerprints = {path: digest(context, key) for path, key in self.feed_keys.items()}
        for index, group in enumerate(self.groups):
            if group.days:
                path = _updates_path(group)
                files[path] = self.day_documents[path]
                fingerprints[path] = digest(context, _updates_key(self.keys[index]))
        pages = self.pages([("pages", i) for i in range(len(self.groups))])
        return Rendered(pages, files, fingerprints, self.now)


class Rendered(NamedTuple):
    pages: tuple[RenderedPage, ...]  # in ``all_views`` order
    # The feeds, and the days' documents (each read through its ``body`` only if written), by path.
    files: dict[str, bytes | RenderedFile]
    # The feeds' keys in the output store with the store's context, by path: what a feed's
    # bytes are made from (no need to digest 10 MB of feeds to tell).
    file_fingerprints: dict[str, str]
    keys: Keys  # for the next build's ``known``


def render_group(renderer: Renderer, group: ViewGroup, key: str | None) -> list[RenderedPage]:
    """The group's pages, from the store when its inputs are unchanged."""

    def make() -> list[RenderedPage]:
        return [renderer.render(view, key or "") for view in group.make(renderer.words)]

    return make() if key is None else renderer.store.get(key, make, f"pages {group.name}")


def day_updates(renderer: Renderer, group: ViewGroup, key: str | None) -> RenderedFile:
    """The JSON document of a day's updates (``day_updates``), kept in the store beside its
    page: made of what the page is made of, it is made again exactly when the page is.

    Kept as a page is, its bytes apart (``RenderedPage.body``): a rebuild that links the
    previous site's unchanged documents never reads them.
    """
    day, _, following = group.args  # day_view's
    path = _updates_path(group)

    def make() -> list[RenderedFile]:
        data = renderer.day_updates(day, following).data
        return [RenderedFile(path, "", data, f"the updates of the {group.name}", "", ())]

    return (make() if key is None else renderer.store.get(_updates_key(key), make, f"updates {group.name}"))[0]


def _updates_key(page_key: str | None) -> str:
    return digest("day updates", page_key)


def _updates_path(group: ViewGroup) -> str:
    return urls.day_updates_url(group.args[0].date)


def entity_feeds(renderer: Renderer, bodies: feeds.FeedBodies, entity: Entity, key: str) -> dict[str, bytes]:
    """The entity's RSS and JSON feeds, from the output store when nothing they show has changed (``key``).

    A feed depends on its newest entries, their entities and the settings: on a
    rebuild after one edit, only the feeds that list the edited entry are made again.
    """
    archive = renderer.archive
    url = urls.entity_feed_url(entity)

    def make() -> dict[str, bytes]:
        return {url: feeds.entity_feed(archive, bodies, entity), urls.entity_json_feed_url(entity): feeds.entity_json_feed(archive, bodies, entity)}

    return renderer.store.get(key, make, f"feed {url}")


def site_feeds(renderer: Renderer, bodies: feeds.FeedBodies, key: str) -> dict[str, bytes]:
    """The archive's RSS and JSON feeds, from the output store when their entries (``key``) are unchanged."""
    archive = renderer.archive

    def make() -> dict[str, bytes]:
        return {urls.FEED: feeds.site_feed(archive, bodies), urls.JSON_FEED: feeds.json_feed(archive, bodies)}

    return renderer.store.get(key, make, "feed " + urls.FEED)
