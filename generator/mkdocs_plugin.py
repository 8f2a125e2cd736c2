"""The MkDocs adapter: the only module that imports mkdocs.

It turns a ``GeneratedSite`` into MkDocs virtual files (``File.generated``),
so plain ``mkdocs build`` and ``mkdocs serve`` work, and offers ``build_site``
for the ``briefings`` CLI. Moving to another builder means replacing this file.
"""

from __future__ import annotations

import html
import logging
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

from .problems import BriefingsError, ContentError
from .render import RenderedPage
from .settings import load_settings
from .problems import ProblemLog
from .site import GeneratedSite, generate

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
        self._pages: dict[str, RenderedPage] = {}

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
        self._pages = {}
        for page in site.pages:
            self._add(files, File.generated(config, page.url + "index.md", content=""), page.origin)
            self._pages[page.url + "index.md"] = page
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
        """Index the written site for search (Pagefind writes site_dir/pagefind/)."""
        from .search_index import index_site

        try:
            index_site(Path(config.site_dir))
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):  # noqa: ANN001 (livereload types)
        server.watch(str(self._config_dir(config)))
        return server


def build_site(
    mkdocs_yml: Path,
    *,
    content_dir: Path,
    config_dir: Path,
    site_dir: Path,
    strict: bool,
    preloaded: GeneratedSite | None = None,
) -> None:
    """Run a real MkDocs build of ``mkdocs_yml`` into ``site_dir``."""
    _quiet_mkdocs_info()
    config = load_config(str(mkdocs_yml), docs_dir=str(content_dir), site_dir=str(site_dir))
    plugin = config.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, BriefingsPlugin):
        raise BriefingsError(f"{mkdocs_yml}: the '{PLUGIN_NAME}' plugin is not enabled under 'plugins'")
    plugin.config.config_dir = str(config_dir.resolve())
    plugin.config.strict = strict
    plugin.preloaded = preloaded
    try:
        mkdocs_build(config)
    except (Abort, PluginError) as exc:
        raise BriefingsError(f"MkDocs build failed: {exc}") from None


def _quiet_mkdocs_info() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
