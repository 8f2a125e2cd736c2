"""The pipeline: site_config + content -> load -> check -> model -> views -> pages and feeds.

Reading and checking finish before anything is rendered, and rendering
finishes before anything is written: a run with errors writes nothing.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence
from urllib.parse import quote, unquote

from . import data_files, progress, urls
from .autolink import EntryLinks
from .cache import Caches
from .cache.storage import take_notices
from .corrections import corrections_files
from .data_files import Exports
from .data_page import data_page
from .entries import SITE_FILES, SourceText, content_missing, content_prefix, find_content_files, written_times
from .i18n import words_for
from .markup import addresses
from .model import Archive, Entry
from .problems import ContentError, OutputCollisionError, Problem, ProblemLog, Severity
from .reading import read_for_check
from .redirects import moved_json, redirect_html, redirects
from .registry import KINDS, load_registry
from .outputs import render_outputs
from .previous_site import PreviousSite
from .render import RenderedFile, RenderedPage, Renderer
from .settings import load_settings
from .sitemap import feed_sitemaps, page_changes, robots_txt, sitemap_files


@dataclass(frozen=True)
class GeneratedSite:
    """Everything the generator adds to the site, by output path."""

    archive: Archive
    pages: tuple[RenderedPage, ...]
    # Extra files such as feeds, by site-relative path: their bytes, or a page whose
    # ``body`` holds them (a day's updates.json, read back from the cache only if written).
    files: dict[str, bytes | RenderedFile]
    warnings: tuple[Problem, ...]
    # The page groups and feeds this run rendered rather than took from the cache.
    fresh: tuple[str, ...] = ()
    # URLs of pages a rebuild copied unchanged from the previous site (see build.py).
    reused: tuple[str, ...] = ()
    # The content folder's other files (pictures and the like), by relative path.
    content_files: tuple[str, ...] = ()
    # Of some of ``files``, by path: a digest of what they are made from, which changes
    # whenever their bytes do (files not here are digested whole).
    file_fingerprints: dict[str, str] = field(default_factory=dict)
    # The open data files (data/...), which the site takes from their work folder (``Exports.place``);
    # None where the settings leave them out.
    data: Exports | None = None
    # When an entry was last published or updated (None: no entry): the build's date.
    last_change: datetime | None = None


def load_archive(
    content_dir: Path,
    config_dir: Path,
    *,
    strict: bool = False,
    teach: bool = False,
    cache_dir: Path | None = None,
    clean: bool = False,
) -> tuple[Archive, tuple[Problem, ...]]:
    """Read and check everything; raise ``ContentError`` with every problem if any is an error.

    ``teach`` adds the contributor checks of ``briefings check`` (unknown names,
    unlisted mentions); the build leaves them out, they are about how to write.
    With ``cache_dir``, unchanged files are not read again unless ``clean``.
    """
    caches = Caches(None if teach else cache_dir, clean=clean)
    loaded = _load(content_dir, config_dir, strict=strict, teach=teach, caches=caches)
    return loaded.archive, loaded.problems


@dataclass(frozen=True)
class _Loaded:
    archive: Archive
    problems: tuple[Problem, ...]
    others: list[str]  # the content folder's files that are not entries


def _load(content_dir: Path, config_dir: Path, *, strict: bool, teach: bool, caches: Caches) -> _Loaded:
    """``load_archive``, with what the build needs besides; reading and grouping go through ``caches``."""
    log = ProblemLog(strict=strict)
    # Settings with errors are taken as far as they are valid, so that the entries' problems
    # are reported with theirs; the errors stop the run before anything is rendered.
    settings = load_settings(config_dir, log, best_effort=True)
    registries = {kind: load_registry(config_dir, kind, log) for kind in KINDS}
    if not content_dir.is_dir():
        log.error(str(content_dir), None, content_missing(content_dir))
    if settings is None or not content_dir.is_dir():
        raise ContentError(log.problems)
    progress.stage("finding the entry files")
    found = find_content_files(content_dir, log)
    sources: list[SourceText] = []
    if teach:
        entries, sources = read_for_check(found.entries, content_dir, settings, log)
    else:
        entries = caches.read(found.entries, content_dir, settings, registries, log)
    progress.stage("grouping the archive")
    archive = caches.group(entries, registries, settings, log)
    warn_future(could_be_future(archive, entries), log)
    if teach:
        from .teaching import teach_archive  # `check` only: it brings the fuzzy matcher

        teach_archive(sources, registries, config_dir, log)
        for path in unshown_files(found.others, (source.text for source in sources)):
            log.warning(str(content_dir / path), None, UNSHOWN)
    if log.has_errors():
        raise ContentError(log.problems)
    return _Loaded(archive, log.problems, _not_only_drafts(found.others, entries))


def _not_only_drafts(others: list[str], entries: list[Entry]) -> list[str]:
    """The content folder's other files less those that only drafts show or link: a photograph
    or a document held back with its update (under embargo, say) is not published at its
    address before it. A file that a published update shows or links is published."""
    drafts = [entry for entry in entries if entry.draft and (" src=" in entry.html or " href=" in entry.html)]
    held = {place for entry in drafts for place in _files(entry)} & set(others)
    if not held:
        return others
    names = {place.rsplit("/", 1)[-1] for place in held}
    for entry in entries:  # the published updates that may show or link one: those that name its file
        if not entry.draft and any(name in _shown(entry) for name in names):
            held -= set(_files(entry))
    return [path for path in others if path not in held]


UNSHOWN = ("no update shows or links this file, and it is published at its address all the same: if the update "
           "that showed it was taken down, delete it too; else show it or link it from an update")  # fmt: skip


def unshown_files(others: list[str], texts: Iterable[str]) -> list[str]:
    """The content folder's files (pictures, documents) whose names no entry file, published
    or draft, writes: left behind when the update that showed them was deleted, and published
    all the same. By name, as ``check`` renders no body: a file whose name an entry writes
    anywhere is taken as shown. A site's own files (``SITE_FILES``: robots.txt...) are no update's."""
    candidates = [path for path in others if path not in SITE_FILES]
    if not candidates:
        return []
    written = "\n".join(texts)
    return [path for path in candidates if not any(name in written for name in _names_of(path))]


def _names_of(path: str) -> tuple[str, ...]:
    """How an entry may write the file at ``path``'s name: as it is, or percent-encoded."""
    name = path.rsplit("/", 1)[-1]
    return (name, quote(name)) if quote(name) != name else (name,)


def _shown(entry: Entry) -> str:
    """The HTML ``entry`` shows: its body and its corrections."""
    return entry.html + "".join(correction.text_html for correction in entry.corrections)


def _files(entry: Entry) -> list[str]:
    """The files of the content folder that ``entry`` shows or links, by their paths there."""
    return [unquote(place) for found in addresses(_shown(entry)) if (place := urls.linked_place(entry.rel_path, found))]


def warn_future(entries: Iterable[Entry], log: ProblemLog, now: datetime | None = None) -> None:
    """A time in the future is almost always a typo in the year or offset: of publication,
    of the update, or of a correction, each of which the feeds show as the item's last change.

    Checked here, not while reading, because the answer changes with the clock
    and read results are cached; it never changes what is built.
    """
    now = now or datetime.now(timezone.utc)
    for entry in entries:
        latest = entry.updated or entry.published  # 'updated' is at least its newest correction's time
        if latest <= now:
            continue  # almost every entry: its file is not read again
        for name, moment, line in written_times(entry.path) or [("updated" if entry.updated else "published", latest, None)]:
            if moment > now:
                what = "a correction's 'at'" if name == "at" else f"'{name}'"
                log.warning(entry.path, line, f"{what} is in the future ({moment.isoformat()}); check the date")


def could_be_future(archive: Archive, entries: list[Entry], now: datetime | None = None) -> Iterator[Entry]:
    """The entries that may hold a time after ``now``: those of the days changed after it
    (``Day.last_change``, kept with the days a rebuild did not touch, so only their days
    are looked at), and the drafts, which no day lists."""
    now = now or datetime.now(timezone.utc)
    for day in archive.days:
        if day.last_change > now:
            yield from day.entries
    yield from (entry for entry in entries if entry.draft)


def generate(
    content_dir: Path,
    config_dir: Path,
    *,
    strict: bool = False,
    cache_dir: Path | None = None,
    clean: bool = False,
    on_days: Callable[[tuple[RenderedPage, ...]], None] | None = None,
    data_meanwhile: bool = False,
    previous: PreviousSite | None = None,
) -> GeneratedSite:
    """Everything the generator adds to the site; ``on_days`` gets the day pages as soon as they are rendered.

    With ``cache_dir``, reading, grouping and rendering go through the caches
    (``cache.Caches``): only what changed since the last build is read and rendered.
    Its warnings include those about the caches (``storage.take_notices``): a damaged
    cache file is built again, never trusted, and the build says so.

    With ``data_meanwhile``, the open data files may still be under way when this
    returns, while MkDocs writes the pages: the caller places them in the site
    (``Exports.place``, which waits for them), and the /data/ page is made when
    its HTML is first read. Without it, they are made before this returns. They are
    made from the files of ``previous``, the site they will replace, where they can be.
    """
    take_notices()  # what an earlier run in this process left untold is not this run's
    caches = Caches(cache_dir, clean=clean)
    loaded = _load(content_dir, config_dir, strict=strict, teach=False, caches=caches)
    archive, others = loaded.archive, loaded.others
    links = EntryLinks(archive)  # where links to entry files lead, for the pages, the feeds and the data
    # The open data, made meanwhile (in another process on a large archive), unless the settings leave it out.
    data = data_files.start(archive, caches, previous, links) if archive.settings.open_data else None
    with data or nullcontext():
        renderer = Renderer(archive, caches=caches, links=links)
        rendered = render_outputs(archive, renderer, on_days, caches.known_keys())
        rendered.files.update(corrections_files(renderer))
        pages, files = tuple(rendered.pages), rendered.files
        if data is not None:
            pages += (data_page(renderer, archive, data.finish),)
            if not data_meanwhile:
                data.finish()
    # Before the caches are kept: the snapshot keeps each day's and each entity's month's last
    # change, so that the next build asks only the days and entities it patched.
    last_change, changes = archive.last_change, page_changes(archive)
    caches.keep(renderer.store, {**rendered.keys, **(data.keys if data else {})})
    words = words_for(archive.settings.language)
    redirected = list(redirects(archive, taken=[page.url for page in pages]))
    for redirect in redirected:
        files[output_path(redirect.url)] = redirect_html(redirect, archive.settings.site_url, words)
        # A feed reader follows no page's refresh: an entity's feeds are at its old addresses too,
        # as they are at its own (their self links name those), so a subscription made there goes on.
        for name in (urls.FEED, urls.JSON_FEED):
            if (feed := files.get(redirect.target + name)) is not None:
                files[redirect.url + name] = feed
                if (made_from := rendered.file_fingerprints.get(redirect.target + name)) is not None:
                    rendered.file_fingerprints[redirect.url + name] = made_from  # taken from the previous site alike
    files.update(sitemap_files((page.url for page in pages), archive.settings.site_url, changes))
    files[urls.MOVED] = moved_json(redirected)
    if "robots.txt" not in others and (robots := robots_txt(archive.settings.site_url)) is not None:
        files["robots.txt"] = robots
    files.update(feed_sitemaps(pages, archive.settings.site_url))
    data_paths = data.paths if data else ()
    check_output_paths(pages, {**files, **dict.fromkeys(data_paths, b"")}, others, content_prefix(content_dir))
    warnings = loaded.problems + take_notices()
    fresh = tuple(sorted(renderer.store.fresh))
    return GeneratedSite(
        archive, pages, files, warnings, fresh, content_files=tuple(others), file_fingerprints=rendered.file_fingerprints,
        data=data, last_change=last_change,
    )  # fmt: skip


def output_path(url: str) -> str:
    """The file a page URL is written to: cities/kyiv/ -> cities/kyiv/index.html."""
    return f"{url}index.html" if url.endswith("/") or not url else url


def check_output_paths(
    pages: tuple[RenderedPage, ...], files: dict[str, bytes], content_files: Sequence[str] = (), prefix: str = ""
) -> None:
    """Refuse to write one output path twice (catches slug collisions of any kind).

    A file of the content folder (``content_files``, by relative path; ``prefix`` is
    what names them in messages) where the generator writes a page or feed is the
    contributor's error (``ContentError``). None can be, as a rule: what the content folder
    publishes besides entries (``entries.PUBLISHED_SUFFIXES``) the generator never writes.
    """
    owners: dict[str, str] = {}
    for path, origin in [(output_path(p.url), p.origin) for p in pages] + [(p, p) for p in files]:
        if path in owners:
            raise OutputCollisionError(f"{owners[path]} and {origin} would both be written to {path}")
        owners[path] = origin
    what = {output_path(p.url): _page_of(p.origin) for p in pages}
    taken = [_overwrites(prefix + file, file, what.get(file, "a file the generator writes")) for file in content_files if file in owners]
    if taken:
        raise ContentError(tuple(taken))


def _page_of(origin: str) -> str:
    """'the page of the day 2022-03-03', 'the home page': what a view's ``origin`` names as a page."""
    return origin if origin.endswith(("page", "index")) else f"the page of {origin}"


def _overwrites(path: str, output: str, what: str) -> Problem:
    return Problem(path, None, Severity.ERROR, f"would overwrite {what} ({output}); rename or move this file")
