"""Ways around MkDocs', Jinja's and mkdocs-material's internals that make a large archive build faster.

The adapter (``mkdocs_plugin``) keeps to MkDocs' public plugin events; what
leans on the internals of MkDocs, Jinja or the theme is here, each under one
name in ``Speedups``. Each can be switched off, and a site built with any of
them off is the same, byte for byte, as one built with all of them on
(``tests/test_mkdocs_speedups.py``). To switch some off, name them in the
environment variable ``BRIEFINGS_SPEEDUPS_OFF`` ("shared_blocks,linked_files",
or "all"). What each buys at 20,000 entries is in ``docs/performance.md``.
"""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Callable, Iterator, Protocol

import jinja2
from jinja2.runtime import Context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme

from .problems import BriefingsError
from .cache.storage import link_or_copy

if TYPE_CHECKING:
    from .site import GeneratedSite

SWITCH = "BRIEFINGS_SPEEDUPS_OFF"


@dataclass(frozen=True)
class Speedups:
    """Which speedups a build uses (all, unless switched off in ``BRIEFINGS_SPEEDUPS_OFF``)."""

    # MkDocs lists the theme's files without its hidden folders (``visible_theme_files``).
    visible_theme_files: bool = True
    # The theme's navigation, tabs, footer, styles and settings rendered once per place (``share_blocks``).
    shared_blocks: bool = True
    # A generated page is not run through Markdown (``GeneratedPage``).
    generated_pages: bool = True
    # MkDocs walks an empty folder, not the content's entry files, and leaves the site's folders (``walking_nothing``).
    empty_docs_folder: bool = True
    # Unchanged pages, feeds and theme files are linked from the previous site, not copied by MkDocs (``Links``).
    linked_files: bool = True


def enabled() -> Speedups:
    """The speedups to use, from ``BRIEFINGS_SPEEDUPS_OFF``; raises ``BriefingsError`` naming an unknown one."""
    names = {field.name for field in fields(Speedups)}
    off = {name.strip() for name in os.environ.get(SWITCH, "").split(",") if name.strip()}
    if "all" in off:
        off = names
    unknown = sorted(off - names)
    if unknown:
        raise BriefingsError(f"{SWITCH}: unknown speedup {', '.join(map(repr, unknown))} (known: {', '.join(sorted(names))}, all)")
    return replace(Speedups(), **{name: False for name in off})


# --- visible_theme_files ----------------------------------------------------------------


def visible_theme_files(theme: Theme) -> None:
    """Have MkDocs list the theme's files without those in hidden folders.

    To find the theme's static files, MkDocs lists every file of the theme's
    folders on every build and drops the hidden ones (``.*`` and ``*/.*``).
    mkdocs-material's templates hold 14,000 icons in ``.icons/``, which its
    templates include by name. Replaces the theme's ``get_env`` (not a plugin event).
    """
    make_env = type(theme).get_env

    def get_env() -> jinja2.Environment:
        env = make_env(theme)
        env.loader = _VisibleFiles(theme.dirs)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


class _VisibleFiles(jinja2.FileSystemLoader):
    """A template loader that lists no file in a hidden folder, and no hidden file.

    Loading a template by name (an icon in ``.icons/``) works as before: only the listing changes.
    """

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for root in self.searchpath:
            for folder, subfolders, names in os.walk(root, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = os.path.relpath(folder, root).replace(os.path.sep, "/")
                prefix = "" if relative == "." else relative + "/"
                found.update(prefix + name for name in names if not name.startswith("."))
        return sorted(found)


# --- shared_blocks ----------------------------------------------------------------------

# The theme's blocks that show the same on every generated page at one place in the site:
# the navigation, the tabs, the footer, the stylesheets and the theme's settings.
SHARED_BLOCKS = ("styles", "config", "tabs", "site_nav", "footer")


def share_blocks(base: jinja2.Template, shareable: Callable[[Page], bool]) -> None:
    """Have each of ``SHARED_BLOCKS`` rendered once for all the ``shareable`` pages that write it alike.

    The theme renders them for every page. On a generated page not in the
    navigation (nothing active, no table of contents, no previous or next page)
    they depend on the page only through the relative URLs they write, which
    depend on its depth and its first folder (the navigation and the theme's
    files sit at the top). The blocks are replaced in ``Template.blocks`` (Jinja's
    internals), which template inheritance reads when it renders a page.
    """
    for name in SHARED_BLOCKS:
        if name in base.blocks:
            base.blocks[name] = _shared_block(name, base.blocks[name], shareable)


def _shared_block(
    name: str, render: Callable[[Context], Iterator[str]], shareable: Callable[[Page], bool]
) -> Callable[[Context], Iterator[str]]:
    rendered: dict[tuple[str, int], str] = {}

    def block(context: Context) -> Iterator[str]:
        page = context.get("page")
        if not isinstance(page, Page) or not shareable(page):
            yield from render(context)
            return
        url = page.url
        key = (url.split("/", 1)[0], url.count("/"))
        html = rendered.get(key)
        if html is None:
            html = rendered[key] = "".join(render(context))
        yield html

    block.__name__ = f"block_{name}"
    return block


# --- generated_pages --------------------------------------------------------------------


class GeneratedPage(Page):
    """A page the generator rendered: MkDocs runs no Markdown for it.

    MkDocs makes a Markdown converter with every configured extension for each
    page it renders, only to convert an empty text here. The plugin's
    ``on_page_markdown`` and ``on_page_content`` give the page its metadata and
    HTML either way. Overrides ``Page.render`` (not a plugin event).
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


# --- empty_docs_folder ------------------------------------------------------------------


@contextmanager
def walking_nothing(config: MkDocsConfig, plugin: "WalksContent") -> Iterator[bool]:
    """MkDocs given an empty folder to walk, the content folder handed to ``plugin`` (``content_dir``).

    MkDocs walks the docs folder and makes a file of each of 20,000 entries only
    for the plugin to drop them: the plugin adds the content's other files itself
    (``add_content_files``). Yields the ``dirty`` to build with: a dirty build
    leaves the site folder's folders (``site_folders``: the previous site's, which
    took long to make), and with no file there it still writes every page.
    """
    content_dir = config.docs_dir
    with tempfile.TemporaryDirectory(prefix="briefings-docs-") as nothing:
        config.docs_dir, plugin.content_dir = nothing, content_dir
        _quiet_dirty_notice()
        try:
            yield True
        finally:
            config.docs_dir, plugin.content_dir = content_dir, None


class WalksContent(Protocol):
    content_dir: str | None  # the content folder, while MkDocs walks an empty one


def add_content_files(files: Files, site: "GeneratedSite", content_dir: str, config: MkDocsConfig) -> None:
    """The content folder's other files (pictures...), as MkDocs' own walk would have found them."""
    # MkDocs applies `exclude_docs` (and its own defaults) to these after on_files.
    for path in site.content_files:
        file = File(path, content_dir, config.site_dir, config.use_directory_urls)
        if file.is_documentation_page():
            continue  # a near miss such as notes.markdown: check has warned about it
        theme_file = files.get_file_from_path(file.src_uri)
        if theme_file is not None:
            files.remove(theme_file)  # in MkDocs, the docs folder's file wins over the theme's
        files.append(file)


def _quiet_dirty_notice() -> None:
    build_logger = logging.getLogger("mkdocs.commands.build")
    if _DirtyNotice not in map(type, build_logger.filters):
        build_logger.addFilter(_DirtyNotice())


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning about dirty builds: the site folder holds no files."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


# --- linked_files -----------------------------------------------------------------------


class Links:
    """Files taken unchanged from the previous site, hard-linked into the new one at once.

    Not handed to MkDocs, which would copy each (with ``linked_files`` off, it
    does). The previous site is never written in place (``previous_site``), so
    the two may share a file; where links are not possible it is copied.
    """

    def __init__(self, site_dir: str) -> None:
        self.site_dir = site_dir
        self._folders: set[str] = set()

    def link(self, source: str, output: str) -> None:
        target = os.path.join(self.site_dir, output)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        link_or_copy(source, target)
