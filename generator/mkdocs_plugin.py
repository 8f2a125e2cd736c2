"""The MkDocs adapter: the only module that imports mkdocs.

It turns a ``GeneratedSite`` into MkDocs virtual files (``File.generated``),
so plain ``mkdocs build`` and ``mkdocs serve`` work, and offers ``SiteBuilder``
for the ``briefings`` CLI. Moving to another builder means replacing this file.
"""

from __future__ import annotations

import html
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

import jinja2
from jinja2.runtime import Context
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme

from . import __version__
from .cache.output_store import digest
from .cache.storage import link_or_copy
from .problems import BriefingsError, ContentError, ProblemLog
from .render import RenderedPage, compiled_templates
from .search_index import IndexJob, indexed_pages
from .settings import load_settings
from .site import GeneratedSite, generate, output_path

PLUGIN_NAME = "briefings"
log = get_plugin_logger(__name__)


class BriefingsConfig(base.Config):
    config_dir = c.Type(str, default="site_config")
    strict = c.Type(bool, default=False)
    # Read entries and rendered pages kept between builds: `mkdocs serve` rebuilds
    # after each edit, and only the edited entry is read again, and the pages that show it rendered again.
    cache_dir = c.Type(str, default=".cache/briefings")


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    """Adds the archive's day, entity, index and archive pages and its feeds."""

    def __init__(self) -> None:
        super().__init__()
        self.preloaded: GeneratedSite | None = None
        # Set by SiteBuilder for a rebuild: the previous site and its pages' fingerprints.
        self.reuse: PageReuse | None = None
        # Set by SiteBuilder: the search index job it started for these pages, if any.
        self.search: IndexJob | None = None
        # False for `briefings build --clean`, which reads no cache.
        self.read_cache = True
        # Set by SiteBuilder: the content folder, which MkDocs was not given to walk.
        self.content_dir: str | None = None
        self.fingerprints: dict[str, str] = {}
        self.reused: list[str] = []
        self._search: IndexJob | None = None

    def _config_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").parent / self.config.config_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        problems = ProblemLog()
        settings = load_settings(self._config_dir(config), problems)
        if settings is None:
            raise PluginError(ContentError(problems.problems).format())
        # settings.yml is the one place for the site's name and address.
        # MkDocs themes print names and titles unescaped; ours are text, so escape them here.
        config.site_name = html.escape(settings.title)
        config.site_url = settings.site_url
        config.site_description = config.site_description or settings.description
        # The generator writes the sitemap: it knows every page, reused ones included.
        config.theme.static_templates.discard("sitemap.xml")
        _skip_hidden_theme_files(config.theme)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        standalone = self.preloaded is None  # `mkdocs build` or `mkdocs serve`, not SiteBuilder
        site = self.preloaded or self._generate(config)
        if standalone:
            # MkDocs empties the site directory before building: the pages to reuse are
            # the copies the last standalone build kept in the cache (see on_post_build).
            self.reuse = PageReuse.load(self._cache_dir(config) / KEPT_PAGES)
        for warning in site.warnings:
            log.warning(warning.format())
        # Entry files are content, not pages of their own: the generator places them.
        for file in [f for f in files if f.is_documentation_page()]:
            files.remove(file)
        if self.content_dir is not None:
            self._add_content_files(files, site, config)
        # With sitemap.xml no longer a static template, the theme offers its template
        # file as a plain file; the generator's sitemap takes its place.
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            theme_file = files.get_file_from_path(name)
            if theme_file is not None and theme_file.src_dir in config.theme.dirs:
                files.remove(theme_file)
        links = _Links(config.site_dir)
        if self.reuse is not None:
            self._reuse_theme_files(files, config, links)
        self._start_search_index(site, config)
        self.fingerprints, self.reused = {}, []
        theme = _theme_fingerprint(config)
        in_nav = _nav_titles(config.nav)
        for page in site.pages:
            source, output = page.url + "index.md", output_path(page.url)
            # A page's inputs say all its HTML is made from: cheaper to digest than the HTML.
            fingerprint = digest(theme, page.url, page.inputs) if page.inputs else digest(theme, page)
            previous = self._previous(output, fingerprint) if source not in in_nav else None
            if previous is not None:
                # The same page from the same theme renders to the same bytes: link it.
                links.link(previous, _free(files, output, page.origin))
                self.reused.append(page.url)
                continue
            file = File.generated(config, source, content="")
            self._add(files, file, page.origin)
            GeneratedPage(page, file, config, in_nav.get(source), in_nav=source in in_nav)  # becomes file.page
        for path, content in sorted(site.files.items()):
            # Feeds and the like: an edit changes a few of the 180 feeds; the others are linked.
            previous = self._previous(path, site.file_fingerprints.get(path) or digest(content))
            if previous is None:
                content = getattr(content, "body", content)  # a day's updates, kept apart in the cache
                self._add(files, File.generated(config, path, content=content), path)
            else:
                links.link(previous, _free(files, path, path))
        return files

    def _previous(self, output: str, fingerprint: str) -> Path | None:
        """The previous site's file at ``output`` if it has the same ``fingerprint``; noted for the next build either way."""
        self.fingerprints[output] = fingerprint
        return None if self.reuse is None else self.reuse.unchanged(output, fingerprint)

    def _reuse_theme_files(self, files: Files, config: MkDocsConfig, links: "_Links") -> None:
        """The theme's files that the previous site holds as they are: linked from it, not copied.

        MkDocs copies the theme's 250 files into every site it builds; a rebuild spent
        a tenth of a second on them.
        """
        assert self.reuse is not None
        theme = set(config.theme.dirs)
        for file in [f for f in files if f.src_dir in theme and not f.is_documentation_page()]:
            previous = self.reuse.current_copy(file.dest_uri, file.abs_src_path)
            if previous is not None:
                files.remove(file)
                links.link(previous, file.dest_uri)

    def _add_content_files(self, files: Files, site: GeneratedSite, config: MkDocsConfig) -> None:
        """The content folder's other files (pictures...), as MkDocs' own walk would have found them."""
        assert self.content_dir is not None
        # MkDocs applies `exclude_docs` (and its own defaults) to these after on_files.
        for path in site.content_files:
            file = File(path, self.content_dir, config.site_dir, config.use_directory_urls)
            if file.is_documentation_page():
                continue  # a near miss such as notes.markdown: check has warned about it
            theme_file = files.get_file_from_path(file.src_uri)
            if theme_file is not None:
                files.remove(theme_file)  # in MkDocs, the docs folder's file wins over the theme's
            files.append(file)

    def _cache_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").parent / self.config.cache_dir

    def _generate(self, config: MkDocsConfig) -> GeneratedSite:
        try:
            cache_dir = self._cache_dir(config)
            return generate(Path(config.docs_dir), self._config_dir(config), strict=self.config.strict, cache_dir=cache_dir)
        except ContentError as exc:
            raise PluginError(exc.format()) from None
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    @staticmethod
    def _add(files: Files, file: File, origin: str) -> None:
        _free(files, file.src_uri, origin)
        files.append(file)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Put the search index, built while MkDocs wrote the pages, into the site.

        For ``SiteBuilder``, which checks the site first and finishes the index
        itself (``SiteBuild.search``), while Pagefind may still be at work.
        """
        if self.preloaded is not None:
            return
        job, self._search = self._search, None
        if job is not None:
            try:
                job.finish(Path(config.site_dir))
            except BriefingsError as exc:
                raise PluginError(str(exc)) from None
        keep_pages(Path(config.site_dir), self.fingerprints, self._cache_dir(config) / KEPT_PAGES)

    def on_build_error(self, *, error: Exception) -> None:
        if self._search is not None:
            self._search.cancel()
            self._search = None

    def _start_search_index(self, site: GeneratedSite, config: MkDocsConfig) -> None:
        language = page_language(config)
        job, self.search = self.search, None
        if job is not None and job.language == language:
            self._search = job  # started by the caller as soon as the pages were rendered
            return
        if job is not None:
            job.cancel()
        try:
            self._search = IndexJob(indexed_pages(site.pages), language, cache_dir=self._cache_dir(config))
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Keep the theme's compiled templates in the cache: compiling them took a quarter
        of a second of every build. Jinja checks each one against its source."""
        if self.read_cache:
            env.bytecode_cache = compiled_templates(self._cache_dir(config) / "templates")
        # MkDocs makes a new environment for each build, so no template changes while one
        # lives: checking each against its file at every include (37 a page) is not needed.
        env.auto_reload = False
        _render_shared_blocks_once(env.get_template("base.html"))
        return env

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):  # noqa: ANN001 (livereload types)
        server.watch(str(self._config_dir(config)))
        return server


def _skip_hidden_theme_files(theme: Theme) -> None:
    """Have MkDocs list the theme's files without those in hidden folders.

    To find the theme's static files, MkDocs lists every file of the theme's
    folders on every build and drops the hidden ones (``.*`` and ``*/.*``).
    mkdocs-material's templates hold 14,000 icons in ``.icons/``, which its
    templates include by name: listing them was half of MkDocs' part of a rebuild.
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


# The theme's blocks that show the same on every generated page at one place in the site:
# the navigation, the tabs, the footer, the stylesheets and the theme's settings.
SHARED_BLOCKS = ("styles", "config", "tabs", "site_nav", "footer")


def _render_shared_blocks_once(base: jinja2.Template) -> None:
    """Have each of ``SHARED_BLOCKS`` rendered once for all the generated pages that write it alike.

    The theme renders them for every page, a third of its time at 1,100 pages. On a
    ``GeneratedPage`` not in the navigation (nothing active, no table of contents,
    no previous or next page) they depend on the page only through the relative
    URLs they write, which depend on its depth and its first folder (the navigation
    and the theme's files sit at the top). The blocks are rendered through
    ``Template.blocks``, which template inheritance reads when it renders a page.
    """
    for name in SHARED_BLOCKS:
        if name in base.blocks:
            base.blocks[name] = _shared_block(name, base.blocks[name])


def _shared_block(name: str, render: Callable[[Context], Iterator[str]]) -> Callable[[Context], Iterator[str]]:
    rendered: dict[tuple[str, int], str] = {}

    def block(context: Context) -> Iterator[str]:
        page = context.get("page")
        if not isinstance(page, GeneratedPage) or page.in_nav:
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


class GeneratedPage(Page):
    """A page the generator rendered: MkDocs reads no source and runs no Markdown for it.

    MkDocs makes a Markdown converter with every configured extension for each
    page it renders; for thousands of archive pages that alone took a tenth of
    MkDocs' time. The page's HTML and metadata come from the ``RenderedPage``.
    """

    def __init__(
        self, rendered: RenderedPage, file: File, config: MkDocsConfig, title: str | None = None, *, in_nav: bool = False
    ) -> None:
        super().__init__(title, file, config)
        self.rendered = rendered
        self.in_nav = in_nav  # then the navigation shows it as the current page

    def read_source(self, config: MkDocsConfig) -> None:
        # MkDocs themes print titles and descriptions unescaped; ours are text.
        self.markdown = ""
        self.meta = {"title": html.escape(self.rendered.title), "briefings_feeds": self.rendered.feeds}
        if self.rendered.description:
            self.meta["description"] = html.escape(self.rendered.description)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.rendered.html
        self.toc = get_toc([])


class _Links:
    """Pages and files taken unchanged from the previous site, hard-linked into the new one at once.

    Not handed to MkDocs (which has emptied the site folder by ``on_files``, if it
    was to): as its files, the 2,500 of a rebuild at 20,000 entries took it a tenth
    of a second to list and copy. The previous site is deleted after the swap,
    never rewritten in place, so the two sites may share a file; where links are
    not possible it is copied.
    """

    def __init__(self, site_dir: str) -> None:
        self.site_dir = site_dir
        self._folders: set[str] = set()

    def link(self, source: Path, output: str) -> None:
        target = os.path.join(self.site_dir, output)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        link_or_copy(source, target)


def _free(files: Files, output: str, origin: str) -> str:
    """``output``, which no file MkDocs copies (from the content folder) may take too."""
    existing = files.get_file_from_path(output)
    if existing is not None:
        raise PluginError(f"{origin} would overwrite {existing.src_uri} from the content folder")
    return output


@dataclass(frozen=True)
class PageReuse:
    """The previous build's site and the fingerprint of each page and file it made, by output path."""

    site_dir: Path
    fingerprints: dict[str, str]

    @classmethod
    def load(cls, kept: Path) -> "PageReuse | None":
        """The pages ``keep_pages`` left in ``kept``, if any."""
        try:
            fingerprints = json.loads((kept / LEDGER).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return cls(kept, fingerprints) if isinstance(fingerprints, dict) else None

    def unchanged(self, output: str, fingerprint: str) -> Path | None:
        """The previous site's file at ``output`` ("2022/03/03/index.html"), if its inputs are unchanged."""
        if self.fingerprints.get(output) != fingerprint:
            return None
        path = self.site_dir / output
        return path if path.is_file() else None

    def current_copy(self, output: str, source: str | None) -> Path | None:
        """The previous site's file at ``output``, if it is a current copy of the file ``source``.

        A copy no older than its source and of its size is current, as MkDocs' own
        dirty builds judge it (they look at the times alone).
        """
        if source is None:
            return None
        path = self.site_dir / output
        try:
            kept, original = os.stat(path), os.stat(source)
        except OSError:
            return None
        return path if kept.st_size == original.st_size and kept.st_mtime_ns >= original.st_mtime_ns else None


@dataclass(frozen=True)
class SiteBuild:
    fingerprints: dict[str, str]  # by output path, for the next build's PageReuse
    reused: tuple[str, ...]  # URLs of pages copied from the previous site
    search: IndexJob | None  # the search index under way for this site, for the caller to finish


# In the cache: the pages and files of the last `mkdocs build` or `mkdocs serve` build,
# hard-linked, with their fingerprints in LEDGER, so the next one links the unchanged ones.
KEPT_PAGES = "last-pages"
LEDGER = "pages.json"


def keep_pages(site_dir: Path, fingerprints: dict[str, str], kept: Path) -> None:
    """Hard-link the pages and files of ``site_dir`` that have fingerprints into ``kept``, replacing what was there."""
    fresh = kept.with_name(kept.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    for output in fingerprints:
        (fresh / output).parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(site_dir / output, fresh / output)
    fresh.mkdir(parents=True, exist_ok=True)
    (fresh / LEDGER).write_text(json.dumps(fingerprints, sort_keys=True), "utf-8")
    shutil.rmtree(kept, ignore_errors=True)
    os.replace(fresh, kept)


def _theme_fingerprint(config: MkDocsConfig) -> str:
    """Everything besides a page's own content that shapes its HTML."""
    parts: list[object] = [metadata.version("mkdocs"), metadata.version("mkdocs-material"), __version__]
    parts.append(Path(__file__).read_bytes())  # this adapter's code shapes every page too
    config_file = Path(config.config_file_path) if config.config_file_path else None
    parts += [config.site_name, config.site_url, config_file.read_bytes() if config_file else b""]
    custom = config.theme.custom_dir
    if custom:
        parts += [(p.relative_to(custom).as_posix(), p.read_bytes()) for p in sorted(Path(custom).rglob("*")) if p.is_file()]
    return digest(*parts)


def _nav_titles(nav: object) -> dict[str, str | None]:
    """The source files named in ``nav``, with the title it gives each (None: the page's own).

    MkDocs renders those pages itself (they carry the navigation's state) and
    takes their titles from here, as its own reading of ``nav`` does.
    """
    if isinstance(nav, str):
        return {nav: None}
    found: dict[str, str | None] = {}
    for item in nav if isinstance(nav, list) else [nav] if isinstance(nav, dict) else []:
        for title, value in item.items() if isinstance(item, dict) else [(None, item)]:
            found.update({value: title} if isinstance(value, str) else _nav_titles(value))
    return found


class SiteBuilder:
    """A loaded MkDocs configuration, ready to run a real MkDocs build of a generated site.

    It is loaded before the archive is read, so the search index can start on the
    page language as soon as the pages are rendered (``search_language``).
    """

    def __init__(
        self, mkdocs_yml: Path, *, content_dir: Path, config_dir: Path, strict: bool, cache_dir: Path | None, clean: bool = False
    ) -> None:
        _quiet_mkdocs_info()
        try:
            self.config = load_config(str(mkdocs_yml), docs_dir=str(content_dir))
        except MkDocsException as exc:  # a missing or invalid mkdocs.yml: ConfigurationError and Abort
            raise BriefingsError(f"{mkdocs_yml}: {exc.format_message()}") from None
        plugin = self.config.plugins.get(PLUGIN_NAME)
        if not isinstance(plugin, BriefingsPlugin):
            raise BriefingsError(f"{mkdocs_yml}: the '{PLUGIN_NAME}' plugin is not enabled under 'plugins'")
        plugin.config.config_dir = str(config_dir.resolve())
        plugin.config.strict = strict
        if cache_dir is not None:
            plugin.config.cache_dir = str(cache_dir.resolve())
        plugin.read_cache = cache_dir is not None and not clean
        self.plugin = plugin

    @property
    def search_language(self) -> str:
        return page_language(self.config)

    def build(
        self, site_dir: Path, site: GeneratedSite, *, reuse: PageReuse | None = None, search: IndexJob | None = None
    ) -> SiteBuild:
        """Build ``site`` into ``site_dir``, which may hold folders but no files.

        With ``reuse``, pages whose fingerprint is unchanged are copied from the
        previous site instead of rendered again; ``search`` is an index job already
        under way for this site's day pages, which the caller finishes (``SiteBuild.search``).
        """
        self.config.site_dir = str(site_dir)
        self.plugin.preloaded, self.plugin.reuse, self.plugin.search = site, reuse, search
        content_dir = self.config.docs_dir
        # MkDocs would walk every entry file only for the plugin to drop it: it walks an
        # empty folder instead, and the plugin adds the content's other files (on_files).
        with tempfile.TemporaryDirectory(prefix="briefings-docs-") as nothing:
            self.config.docs_dir, self.plugin.content_dir = nothing, content_dir
            try:
                # Dirty: MkDocs must not empty ``site_dir``, which may hold the previous
                # site's folders (no files); with no file there, it renders every page.
                mkdocs_build(self.config, dirty=True)
            except MkDocsException as exc:
                raise BriefingsError(f"MkDocs build failed: {exc.format_message()}") from None
            finally:
                self.config.docs_dir, self.plugin.content_dir = content_dir, None
        search, self.plugin._search = self.plugin._search, None
        return SiteBuild(dict(self.plugin.fingerprints), tuple(self.plugin.reused), search)


def page_language(config: MkDocsConfig) -> str:
    """The language the theme writes into every page's <html lang>, which Pagefind reads."""
    return config.theme.get("language") or "en"


def _quiet_mkdocs_info() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    build_logger = logging.getLogger("mkdocs.commands.build")
    if _DirtyNotice not in map(type, build_logger.filters):
        build_logger.addFilter(_DirtyNotice())


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning about dirty builds: ``SiteBuilder`` builds into a folder with no files."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")
