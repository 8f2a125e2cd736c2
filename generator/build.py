"""Atomic builds: build beside the site, check, then swap; a failure leaves the old site."""

from __future__ import annotations

import dataclasses
import os
import re
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from . import data_files, interrupts, previous_site, progress
from .manifest import verify_site
from .mkdocs_plugin import SiteBuilder
from .parallel import background
from .previous_site import PreviousSite
from .entries import content_missing
from .problems import ContentError, Problem, Severity
from .render import RenderedPage
from .search_index import DAMAGED_BUNDLE, IndexJob, indexed_pages
from .site import GeneratedSite, generate
from .site_folders import check_cache_folder, check_site_folder, discard, keep_as_spare, prune_empty_folders, staging_folder, swap_in


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
    Raises ``SiteFolderError``, before anything is read, for a site folder a build must not replace.
    """
    project = [content_dir, config_dir, mkdocs_yml, *([cache_dir] if cache_dir is not None else [])]
    check_site_folder(site_dir, project)
    if cache_dir is not None:
        check_cache_folder(cache_dir, [content_dir, config_dir])
    if not content_dir.is_dir():  # said before MkDocs says it of its docs_dir, in its own words
        raise ContentError((Problem(str(content_dir), None, Severity.ERROR, content_missing(content_dir)),))
    builder = SiteBuilder(
        mkdocs_yml.resolve(),
        content_dir=content_dir.resolve(),
        config_dir=config_dir.resolve(),
        strict=strict,
        cache_dir=cache_dir,
        clean=clean,
    )
    site_dir = site_dir.resolve()
    # Caches are saved by forked children while the build goes on (parallel.later).
    with background() as unsaved:
        generated, written = _build(
            builder, content_dir, config_dir, site_dir, strict=strict, cache_dir=cache_dir, clean=clean, on_swap=on_swap
        )
    # Once the previous site's files are gone (the spare is emptied in the background), so
    # no link to a file of the new site is added or removed any more: each one's signature is final.
    if cache_dir is not None:
        saves = [(cache_dir / previous_site.SITE_INDEX, partial(previous_site.record, cache_dir, site_dir, written.fingerprints))]
        if generated.data is not None:  # the index of the open data just published, read with the record
            saves.append((cache_dir / data_files.FOLDER / data_files.INDEX, generated.data.keep))
        for path, save in saves:
            try:
                save()
            except OSError as exc:
                unsaved.append((str(path), exc.strerror or str(exc)))
        _discard_obsolete(cache_dir)
    # A cache that could not be saved costs the next build time, never this site.
    lost = tuple(Problem(cache, None, Severity.WARNING, f"this cache could not be saved ({why}); the next build reads "
                         "and renders it all again") for cache, why in unsaved)  # fmt: skip
    damaged = tuple(Problem(path, None, Severity.WARNING, DAMAGED_BUNDLE) for path in written.damaged)
    return dataclasses.replace(generated, warnings=generated.warnings + lost + damaged)


# What the caches of earlier versions held that no build reads any more: the site's pages
# as hard links (``last-pages``), a ledger trusted without a look at the site, stand-in pages.
OBSOLETE = ("last-pages", "pages.json", "search-pages")


def _discard_obsolete(cache_dir: Path) -> None:
    discard(*[path for path in (cache_dir / name for name in OBSOLETE) if os.path.lexists(path)])


@dataclasses.dataclass(frozen=True)
class _Written:
    """What a build put in the site, for the next build to take what it may."""

    fingerprints: dict[str, str]  # by path in the site: what each file is made from
    damaged: tuple[str, ...]  # the cache's search bundles found damaged and indexed again


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
) -> tuple[GeneratedSite, _Written]:
    searches: list[IndexJob] = []
    # What the site holds that this build may take as it is (a --clean build takes nothing).
    previous = None if clean or cache_dir is None else PreviousSite.load(cache_dir, site_dir)

    def start_search(pages: tuple[RenderedPage, ...]) -> None:
        # Pagefind needs only the day pages: it starts now, on the other core, while the
        # other pages and the feeds are rendered and MkDocs runs.
        language = builder.search_language
        searches.append(IndexJob(indexed_pages(pages), language, cache_dir=cache_dir, read=not clean, previous=previous))

    staging: Path | None = None
    generated: GeneratedSite | None = None
    try:
        generated = generate(
            content_dir, config_dir, strict=strict, cache_dir=cache_dir, clean=clean, on_days=start_search,
            data_meanwhile=True, previous=previous,
        )  # the open data is placed by MkDocs' last event
        _refuse_emptying(generated, content_dir, site_dir)
        # A --clean build makes every folder anew, as a first build does.
        staging, reused_folders = staging_folder(site_dir, reuse_folders=not clean)
        progress.stage("writing the site")
        with _build_date(generated):
            built = builder.build(staging, generated, previous=previous, search=searches[0])
        if built.search is not None:
            searches.append(built.search)
        if reused_folders:
            prune_empty_folders(staging)
        # Checked while Pagefind may still be at work on the other core.
        progress.stage("checking the site")
        verify_site(generated.archive, staging, unchanged=built.reused)
        fingerprints, damaged = dict(built.fingerprints), ()
        if generated.data is not None:
            fingerprints.update(generated.data.fingerprints)  # what the next build makes its data from
        if built.search is not None:
            progress.stage("finishing the search index")
            built.search.finish(staging)
            fingerprints.update(built.search.outputs)
            damaged = tuple(built.search.damaged)
        if cache_dir is not None:
            previous_site.forget(cache_dir)  # until the swap is done, no file may be taken as current
        interrupts.raise_if_heard()  # the last moment a stop leaves the published site as it was
        swap_in(staging, site_dir)
        staging = None
        if on_swap is not None:
            on_swap()
    except Exception:
        if generated is not None and generated.data is not None:
            generated.data.abandon()  # placed by MkDocs' last event, which this build did not reach
        raise
    finally:
        for search in searches:
            search.cancel()  # a no-op once the bundle is in the site
        if staging is not None:  # the build failed: its folders serve the next one
            keep_as_spare(staging, site_dir)
    return dataclasses.replace(generated, reused=built.reused), _Written(fingerprints, damaged)


def _refuse_emptying(generated: GeneratedSite, content_dir: Path, site_dir: Path) -> None:
    """An archive of no updates does not replace a site that has some: a content folder found
    empty is a checkout or a mount that failed, or a mistyped --content, as a rule, and the
    build would unpublish the whole archive. Emptying a site takes removing it first."""
    if generated.archive.entries or not site_dir.is_dir():
        return
    with os.scandir(site_dir) as listing:
        if not any(entry.is_dir() and _YEAR.fullmatch(entry.name) for entry in listing):
            return
    raise ContentError((Problem(str(content_dir), None, Severity.ERROR, (
        f"holds no updates, and {site_dir} holds an archive: a build would replace it with an empty site; check "
        f"that this is the content folder (a failed checkout?), or delete {site_dir} first to empty the site"
    )),))  # fmt: skip


_YEAR = re.compile(r"\d{4}")


@contextmanager
def _build_date(generated: GeneratedSite) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH to the archive's last change unless the caller set it.

    MkDocs and the theme's templates read the build date from it (else from the
    clock); deriving it from the content keeps builds of the same archive byte for
    byte the same at any time. The sitemap's dates are the generator's own, from
    the content too: a page that lists updates has the last change among them as
    its ``lastmod``, other pages none.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    moment = generated.last_change
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp())) if moment is not None else "0"
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
