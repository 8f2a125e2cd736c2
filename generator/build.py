"""Atomic builds: build beside the site, check, then swap; a failure leaves the old site."""

from __future__ import annotations

import dataclasses
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from . import template_cache
from .manifest import verify_site
from .mkdocs_plugin import PageReuse, SiteBuilder
from .parallel import background
from .problems import Problem, Severity
from .render import RenderedPage
from .search_index import DAMAGED_BUNDLE, IndexJob, indexed_pages
from .site import GeneratedSite, generate
from .site_folders import keep_as_spare, prune_empty_folders, staging_folder, swap_in
from .storage import write_atomically


def build(
    *,
    mkdocs_yml: Path,
    content_dir: Path,
    config_dir: Path,
    site_dir: Path,
    strict: bool = False,
    cache_dir: Path | None = None,
    clean: bool = False,
    on_swap: Callable[[], None] | None = None,
) -> GeneratedSite:
    """Build the whole site into ``site_dir``; raise without touching it on any failure.

    ``on_swap`` is called as soon as the new site is in place, before the caches are saved.
    """
    builder = SiteBuilder(
        mkdocs_yml.resolve(),
        content_dir=content_dir.resolve(),
        config_dir=config_dir.resolve(),
        strict=strict,
        cache_dir=cache_dir,
        clean=clean,
    )
    # Caches are saved by forked children while the build goes on (parallel.later).
    with background() as unsaved:
        generated, damaged_bundles = _build(
            builder, content_dir, config_dir, site_dir.resolve(), strict=strict, cache_dir=cache_dir, clean=clean, on_swap=on_swap
        )
    # A cache that could not be saved costs the next build time, never this site.
    lost = tuple(Problem(cache, None, Severity.WARNING, f"this cache could not be saved ({why}); the next build reads "
                         "and renders it all again") for cache, why in unsaved)  # fmt: skip
    damaged = tuple(Problem(path, None, Severity.WARNING, template_cache.DAMAGED) for path in template_cache.damaged())
    damaged += tuple(Problem(path, None, Severity.WARNING, DAMAGED_BUNDLE) for path in damaged_bundles)
    return dataclasses.replace(generated, warnings=generated.warnings + lost + damaged)


def _build(
    builder: SiteBuilder,
    content_dir: Path,
    config_dir: Path,
    site_dir: Path,
    *,
    strict: bool,
    cache_dir: Path | None,
    clean: bool,
    on_swap: Callable[[], None] | None,
) -> tuple[GeneratedSite, tuple[str, ...]]:
    """The site built, and the cache's search bundles found damaged (and indexed again)."""
    searches: list[IndexJob] = []

    def start_search(pages: tuple[RenderedPage, ...]) -> None:
        # Pagefind needs only the day pages: it starts now, on the other core, while the
        # other pages and the feeds are rendered and MkDocs runs.
        searches.append(IndexJob(indexed_pages(pages), builder.search_language, cache_dir=cache_dir, read=not clean))

    ledger = None if cache_dir is None else cache_dir / PAGES_FILE
    staging: Path | None = None
    try:
        generated = generate(content_dir, config_dir, strict=strict, cache_dir=cache_dir, clean=clean, on_days=start_search)
        # A --clean build makes every folder anew, as a first build does.
        staging, reused_folders = staging_folder(site_dir, reuse_folders=not clean)
        with _build_date(generated):
            built = builder.build(
                staging, generated, reuse=None if clean else _previous_pages(ledger, site_dir), search=searches[0]
            )
        if built.search is not None:
            searches.append(built.search)
        if reused_folders:
            prune_empty_folders(staging)
        # Checked while Pagefind may still be at work on the other core.
        verify_site(generated.archive, staging, unchanged=built.reused)
        damaged: tuple[str, ...] = ()
        if built.search is not None:
            built.search.finish(staging)
            damaged = tuple(built.search.damaged)
        if ledger is not None:
            ledger.unlink(missing_ok=True)  # until the swap is done, no page may be taken as current
        swap_in(staging, site_dir)
        staging = None
        if on_swap is not None:
            on_swap()
        if ledger is not None:
            write_atomically(ledger, json.dumps({"site": str(site_dir), "pages": built.fingerprints}, sort_keys=True).encode())
    finally:
        for search in searches:
            search.cancel()  # a no-op once the bundle is in the site
        if staging is not None:  # the build failed: its folders serve the next one
            keep_as_spare(staging, site_dir)
    return dataclasses.replace(generated, reused=built.reused), damaged


# Fingerprints of the pages in the current site, so a rebuild can copy unchanged ones.
PAGES_FILE = "pages.json"


def _previous_pages(ledger: Path | None, site_dir: Path) -> PageReuse | None:
    if ledger is None or not ledger.is_file() or not site_dir.is_dir():
        return None
    try:
        stored = json.loads(ledger.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("site") != str(site_dir) or not isinstance(stored.get("pages"), dict):
        return None  # fingerprints of another site directory say nothing about this one
    return PageReuse(site_dir, stored["pages"])


@contextmanager
def _build_date(generated: GeneratedSite) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH to the newest entry unless the caller set it.

    The generator writes its own sitemap without dates, but MkDocs and theme
    templates read the build date from here; deriving it from the content makes
    the same archive build the same bytes at any time.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    moments = [e.updated or e.published for e in generated.archive.entries]
    os.environ["SOURCE_DATE_EPOCH"] = str(int(max(moments).timestamp())) if moments else "0"
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
