"""The build's manifest check: nothing a contributor wrote is lost on the way to the site.

After MkDocs has written the site (into the staging directory), every non-draft
entry must appear exactly once on its day page, once on the page of each of its
cities and people (for a busy one: once on its month's page, and on its own page
when it is among the latest), and in the main feed when it is among the latest. A mismatch
fails the build before the new site replaces the old one.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Callable, Collection

import lxml.etree

from . import data_files, open_data, urls
from .data_check import check_folder
from .feeds import entry_guid, latest
from .model import Archive, Day, Entity, Entry
from .parallel import WORTH_FORKING, batches, fork_map
from .views import entity_listed, entity_months, entity_page_urls
from .problems import BriefingsError


class ManifestError(BriefingsError):
    """The written site does not hold exactly what the content says."""


def verify_site(archive: Archive, site_dir: Path, *, unchanged: Collection[str] = ()) -> None:
    """Raise ``ManifestError`` naming every entry the written site does not hold as it should.

    ``unchanged``: URLs of pages copied from a site that passed this check, where
    they were made from the same inputs (see ``build``); they hold what they held.
    """
    unchanged = set(unchanged)
    days = [day for day in archive.days if urls.day_url(day.date) not in unchanged]
    entities = [
        entity
        for entity in (*archive.cities, *archive.people)
        if not unchanged.issuperset(entity_page_urls(entity))
    ]
    pages: list[Callable[[], list[str]]] = [partial(_check_day, site_dir, day) for day in days]
    pages += [partial(_check_entity, site_dir, entity) for entity in entities]
    # Reading every page back is most of the check's time: both cores share the pages.
    listed = sum(len(day.entries) for day in days) + sum(len(entity.entries) for entity in entities)
    done = fork_map(_run_all, batches(pages, 100), parallel=listed >= WORTH_FORKING)
    problems = [problem for batch in done for problem in batch]
    feed = lxml.etree.parse(str(site_dir / urls.FEED))
    guids = Counter(feed.xpath("//item/guid/text()"))
    for entry in latest(archive.entries, archive.settings.feed_size):
        if guids[entry_guid(archive, entry)] != 1:
            problems.append(f"{entry.path}: in {urls.FEED} {guids[entry_guid(archive, entry)]} times, not once")
    problems += _check_data(archive, site_dir)
    if problems:
        raise ManifestError("the built site does not match the content:\n" + "\n".join(problems))


def _run_all(checks: list[Callable[[], list[str]]]) -> list[str]:
    return [problem for check in checks for problem in check()]


def _check_day(site_dir: Path, day: Day) -> list[str]:
    ids = Counter(_ENTRY_ID.findall(_page(site_dir, urls.day_url(day.date))))
    return [f"{e.path}: on its day page {ids[e.slug]} times, not once" for e in day.entries if ids[e.slug] != 1]


def _check_entity(site_dir: Path, entity: Entity) -> list[str]:
    months = entity_months(entity)
    problems = _counted(_links(site_dir, urls.entity_url(entity)), entity_listed(entity, months), f"the page of '{entity.name}'")
    for (year, month), entries in months:
        page = urls.entity_month_url(entity, year, month)
        problems += _counted(_links(site_dir, page), entries, f"the page of '{entity.name}' for {year:04d}-{month:02d}")
    return problems


def _links(site_dir: Path, page_url: str) -> Counter[str]:
    """The entries a page of an entity lists, as site URLs, with how often each is listed."""
    return Counter(_from_root(page_url, href) for href in _ENTITY_LINK.findall(_page(site_dir, page_url)))


def _counted(hrefs: Counter[str], entries: tuple[Entry, ...], where: str) -> list[str]:
    """A problem for each of ``entries`` not listed exactly once, and for anything else listed."""
    expected = {urls.entry_url(entry): entry for entry in entries}
    problems = [f"{entry.path}: on {where} {hrefs[url]} times, not once" for url, entry in expected.items() if hrefs[url] != 1]
    problems += [f"{url}: on {where}, though it is not among its updates there" for url in hrefs if url not in expected]
    return problems


# The generator's own markup (fragments.py, templates/entity.html), matched as written:
# parsing a thousand pages would cost more than the rest of the check.
_ENTRY_ID = re.compile(r'<article class="brf-entry[^"]*"[^>]*? id="([^"]+)"')
_ENTITY_LINK = re.compile(r'<li class="brf-entity__entry"><a href="([^"]+)"')


def _from_root(page_url: str, href: str) -> str:
    """A link written on the page at ``page_url`` (always '../' per level) as a site URL."""
    up = "../" * page_url.count("/")
    return href[len(up) :] if href.startswith(up) else href


def _page(site_dir: Path, url: str) -> str:
    path = site_dir / url / "index.html"
    if not path.is_file():
        raise ManifestError(f"the built site has no page {url or '/'}")
    return path.read_text("utf-8")


def _check_data(archive: Archive, site_dir: Path) -> list[str]:
    """What the site's data files hold that they should not, or lack, one problem a line.

    Files the build checked as it made them (``data_files``), and moved into the site
    since, unchanged, are not read again: what was found in them stands. Where the
    settings leave the open data out there is nothing to check: a data/ folder is then
    the contributors' own.
    """
    if not archive.settings.open_data:
        return []
    found = data_files.checked(archive, site_dir)
    return list(found) if found is not None else check_folder(archive, site_dir / open_data.FOLDER)
