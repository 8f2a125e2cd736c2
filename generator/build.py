"""Atomic builds: build beside the site, check, then swap; a failure leaves the old site."""

from __future__ import annotations

import ctypes
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .manifest import verify_site
from .mkdocs_plugin import PageReuse, SiteBuilder
from .parallel import background
from .problems import Problem, Severity
from .render import RenderedPage
from .search_index import IndexJob, indexed_pages
from .site import GeneratedSite, generate
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
) -> GeneratedSite:
    """Build the whole site into ``site_dir``; raise without touching it on any failure."""
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
        generated = _build(builder, content_dir, config_dir, site_dir.resolve(), strict=strict, cache_dir=cache_dir, clean=clean)
    # A cache that could not be saved costs the next build time, never this site.
    lost = tuple(Problem(cache, None, Severity.WARNING, f"this cache could not be saved ({why}); the next build reads "
                         "and renders it all again") for cache, why in unsaved)  # fmt: skip
    return dataclasses.replace(generated, warnings=generated.warnings + lost)


def _build(
    builder: SiteBuilder,
    content_dir: Path,
    config_dir: Path,
    site_dir: Path,
    *,
    strict: bool,
    cache_dir: Path | None,
    clean: bool,
) -> GeneratedSite:
    searches: list[IndexJob] = []

    def start_search(pages: tuple[RenderedPage, ...]) -> None:
        # Pagefind needs only the day pages: it starts now, on the other core, while the
        # other pages and the feeds are rendered and MkDocs runs.
        searches.append(IndexJob(indexed_pages(pages), builder.search_language, cache_dir=cache_dir, read=not clean))

    ledger = None if cache_dir is None else cache_dir / PAGES_FILE
    staging: Path | None = None
    try:
        generated = generate(content_dir, config_dir, strict=strict, cache_dir=cache_dir, clean=clean, on_days=start_search)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
        with _build_date(generated):
            built = builder.build(
                staging, generated, reuse=None if clean else _previous_pages(ledger, site_dir), search=searches[0]
            )
        if built.search is not None:
            searches.append(built.search)
        # Checked while Pagefind may still be at work on the other core.
        verify_site(generated.archive, staging, unchanged=built.reused)
        if built.search is not None:
            built.search.finish(staging)
        if ledger is not None:
            ledger.unlink(missing_ok=True)  # until the swap is done, no page may be taken as current
        _swap(staging, site_dir)
        if ledger is not None:
            write_atomically(ledger, json.dumps({"site": str(site_dir), "pages": built.fingerprints}, sort_keys=True).encode())
    finally:
        for search in searches:
            search.cancel()  # a no-op once the bundle is in the site
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return dataclasses.replace(generated, reused=built.reused)


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


def _swap(staging: Path, site_dir: Path) -> None:
    """Put ``staging`` in place of ``site_dir``; a reader or a crash never sees no site.

    On Linux the two directories trade places in one atomic renameat2 call;
    elsewhere two renames leave a moment with no site directory at all. The
    previous site is then deleted without waiting (``_discard``).
    """
    old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
    os.rmdir(old)  # only its unique name was wanted
    if site_dir.exists() and _exchange(staging, site_dir):
        os.rename(staging, old)  # staging now holds the previous site
    elif site_dir.exists():
        os.rename(site_dir, old)
        os.rename(staging, site_dir)
    else:
        os.rename(staging, site_dir)
    # With those of earlier builds whose deletion was cut short.
    for previous in site_dir.parent.glob(f".{site_dir.name}.old-*"):
        _discard(previous)


def _discard(path: Path) -> None:
    """Delete the directory ``path`` in a process of its own, which the build does not wait for.

    The new site is in place and a site's thousands of files take a noticeable
    part of a rebuild to delete. ``sh`` starts ``rm`` in the background and
    returns: ``rm`` belongs to no one here, leaves no zombie, holds none of our
    output open. Where there is no ``sh`` and ``rm``, it is deleted here.
    """
    shell, rm = shutil.which("sh"), shutil.which("rm")
    if os.name != "posix" or shell is None or rm is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    subprocess.run(
        [shell, "-c", '"$0" -rf -- "$1" &', rm, str(path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths with renameat2(2); False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
