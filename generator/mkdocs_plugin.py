"""The MkDocs adapter: the only module that imports mkdocs.

It turns a ``GeneratedSite`` into MkDocs virtual files (``File.generated``),
so plain ``mkdocs build`` and ``mkdocs serve`` work, and offers ``build_site``
for the ``briefings`` CLI. Moving to another builder means replacing this file.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import __version__
from .fragments import digest
from .problems import BriefingsError, ContentError, ProblemLog
from .render import RenderedPage
from .search_index import IndexJob
from .settings import load_settings
from .site import GeneratedSite, generate, output_path

PLUGIN_NAME = "briefings"
log = get_plugin_logger(__name__)


class BriefingsConfig(base.Config):
    config_dir = c.Type(str, default="site_config")
    strict = c.Type(bool, default=False)
    # Read entries and rendered fragments kept between builds: `mkdocs serve` rebuilds
    # after each edit, and only the edited entry is read and rendered again.
    cache_dir = c.Type(str, default=".cache/briefings")


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    """Adds the archive's day, entity, index and archive pages and its feeds."""

    def __init__(self) -> None:
        super().__init__()
        self.preloaded: GeneratedSite | None = None
        # Set by build_site for a rebuild: the previous site and its pages' fingerprints.
        self.reuse: PageReuse | None = None
        self.fingerprints: dict[str, str] = {}
        self.reused: list[str] = []
        self._pages: dict[str, RenderedPage] = {}
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
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = self.preloaded or self._generate(config)
        for warning in site.warnings:
            log.warning(warning.format())
        # Entry files are content, not pages of their own: the generator places them.
        for file in [f for f in files if f.is_documentation_page()]:
            files.remove(file)
        # With sitemap.xml no longer a static template, the theme offers its template
        # file as a plain file; the generator's sitemap takes its place.
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            theme_file = files.get_file_from_path(name)
            if theme_file is not None and theme_file.src_dir in config.theme.dirs:
                files.remove(theme_file)
        self._start_search_index(site, config)
        self._pages, self.fingerprints, self.reused = {}, {}, []
        theme = _theme_fingerprint(config)
        in_nav = _nav_sources(config.nav)
        for page in site.pages:
            source = page.url + "index.md"
            fingerprint = digest(theme, page)
            self.fingerprints[source] = fingerprint
            previous = self.reuse.unchanged(source, fingerprint) if self.reuse and source not in in_nav else None
            if previous is not None:
                # The same page from the same theme renders to the same bytes: copy it.
                self._add(files, File.generated(config, output_path(page.url), abs_src_path=str(previous)), page.origin)
                self.reused.append(page.url)
                continue
            self._add(files, File.generated(config, source, content=""), page.origin)
            self._pages[source] = page
        for path, content in sorted(site.files.items()):
            self._add(files, File.generated(config, path, content=content), path)
        return files

    def _generate(self, config: MkDocsConfig) -> GeneratedSite:
        try:
            cache_dir = Path(config.config_file_path or ".").parent / self.config.cache_dir
            return generate(Path(config.docs_dir), self._config_dir(config), strict=self.config.strict, cache_dir=cache_dir)
        except ContentError as exc:
            raise PluginError(exc.format()) from None
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    @staticmethod
    def _add(files: Files, file: File, origin: str) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            raise PluginError(f"{origin} would overwrite {existing.src_uri} from the content folder")
        files.append(file)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        rendered = self._pages.get(page.file.src_uri)
        if rendered is not None:
            page.meta["title"] = html.escape(rendered.title)
            if rendered.description:
                page.meta["description"] = html.escape(rendered.description)
            page.meta["briefings_feeds"] = rendered.feeds
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        rendered = self._pages.get(page.file.src_uri)
        return rendered.html if rendered is not None else html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Put the search index, built while MkDocs wrote the pages, into the site."""
        job, self._search = self._search, None
        if job is None:
            return
        try:
            job.finish(Path(config.site_dir))
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    def on_build_error(self, *, error: Exception) -> None:
        if self._search is not None:
            self._search.cancel()
            self._search = None

    def _start_search_index(self, site: GeneratedSite, config: MkDocsConfig) -> None:
        # Only day pages hold entries (data-pagefind-body); the home page repeats the latest day.
        pages = [(p.url, p.html) for p in site.pages if p.url and "data-pagefind-body" in p.html]
        try:
            self._search = IndexJob(pages, config.theme.get("language") or "en")
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):  # noqa: ANN001 (livereload types)
        server.watch(str(self._config_dir(config)))
        return server


@dataclass(frozen=True)
class PageReuse:
    """The previous build's site and the fingerprint of each page it rendered."""

    site_dir: Path
    fingerprints: dict[str, str]

    def unchanged(self, source: str, fingerprint: str) -> Path | None:
        """The previous output of the page at ``source``, if its inputs are unchanged."""
        if self.fingerprints.get(source) != fingerprint:
            return None
        path = self.site_dir / output_path(source[: -len("index.md")])
        return path if path.is_file() else None


@dataclass(frozen=True)
class SiteBuild:
    fingerprints: dict[str, str]  # by page source, for the next build's PageReuse
    reused: tuple[str, ...]  # URLs of pages copied from the previous site


def _theme_fingerprint(config: MkDocsConfig) -> str:
    """Everything besides a page's own content that shapes its HTML."""
    parts: list[object] = [metadata.version("mkdocs"), metadata.version("mkdocs-material"), __version__]
    config_file = Path(config.config_file_path) if config.config_file_path else None
    parts += [config.site_name, config.site_url, config_file.read_bytes() if config_file else b""]
    custom = config.theme.custom_dir
    if custom:
        parts += [(p.relative_to(custom).as_posix(), p.read_bytes()) for p in sorted(Path(custom).rglob("*")) if p.is_file()]
    return digest(*parts)


def _nav_sources(nav: object) -> set[str]:
    """The source files named in ``nav``: MkDocs must render those pages itself."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_nav_sources(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_nav_sources(v) for v in nav)) if nav else set()
    return set()


def build_site(
    mkdocs_yml: Path,
    *,
    content_dir: Path,
    config_dir: Path,
    site_dir: Path,
    strict: bool,
    preloaded: GeneratedSite | None = None,
    reuse: PageReuse | None = None,
) -> SiteBuild:
    """Run a real MkDocs build of ``mkdocs_yml`` into ``site_dir``.

    With ``reuse``, pages whose fingerprint is unchanged are copied from the
    previous site instead of rendered again.
    """
    _quiet_mkdocs_info()
    config = load_config(str(mkdocs_yml), docs_dir=str(content_dir), site_dir=str(site_dir))
    plugin = config.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, BriefingsPlugin):
        raise BriefingsError(f"{mkdocs_yml}: the '{PLUGIN_NAME}' plugin is not enabled under 'plugins'")
    plugin.config.config_dir = str(config_dir.resolve())
    plugin.config.strict = strict
    plugin.preloaded = preloaded
    plugin.reuse = reuse
    try:
        mkdocs_build(config)
    except (Abort, PluginError) as exc:
        raise BriefingsError(f"MkDocs build failed: {exc}") from None
    return SiteBuild(dict(plugin.fingerprints), tuple(plugin.reused))


def _quiet_mkdocs_info() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
