"""The MkDocs adapter: the only module (with ``mkdocs_speedups``) that imports mkdocs.

It turns a ``GeneratedSite`` into MkDocs virtual files (``File.generated``) through
MkDocs' public plugin events, so plain ``mkdocs build`` and ``mkdocs serve`` work,
and offers ``SiteBuilder`` for the ``briefings`` CLI. What leans on the internals
of MkDocs, Jinja or the theme for speed is in ``mkdocs_speedups``, each part
switchable. Moving to another builder means replacing these two modules.
"""

from __future__ import annotations

import html
import logging
import os
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import __version__, mkdocs_speedups, urls
from .cache.output_store import digest
from .cache.storage import take_notices
from .cache.templates import compiled_templates
from .data_files import Exports
from .entries import is_published
from .i18n import N_, Words, catalogue_for, language_codes, words_for
from .mkdocs_speedups import Speedups
from .previous_site import PreviousSite, signature
from .problems import BriefingsError, ContentError, ProblemLog
from .render import RenderedPage
from .search_index import DAMAGED_BUNDLE, IndexJob, indexed_pages
from .settings import load_settings
from .site import GeneratedSite, generate, output_path
from .views import Feed

PLUGIN_NAME = "briefings"
log = get_plugin_logger(__name__)

# A theme file changed less than this long before a build may change again within the
# same clock tick without its signature showing it: it is not taken from the previous
# site until it has been left alone this long (as Git's index treats "racily clean" files).
SETTLED_NS = 2_000_000_000


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
        # Set by SiteBuilder for a rebuild: the site it replaces, whose unchanged files it takes.
        self.previous: PreviousSite | None = None
        # Set by SiteBuilder: the search index job it started for these pages, if any.
        self.search: IndexJob | None = None
        # Set by SiteBuilder: whether the cache is written (no --cache-dir: no) and read (--clean: no).
        self.write_cache = True
        self.read_cache = True
        # The content folder, while MkDocs walks an empty one (mkdocs_speedups.walking_nothing).
        self.content_dir: str | None = None
        self.speedups = Speedups()
        # By path in the site: the fingerprint of what each page and file is made from.
        self.fingerprints: dict[str, str] = {}
        self.reused: list[str] = []  # URLs of the pages taken from the previous site
        self._search: IndexJob | None = None
        self._pages: dict[str, RenderedPage] = {}  # the generated pages MkDocs renders, by source
        self._in_nav: dict[str, str | None] = {}
        self._data: Exports | None = None  # the open data files, moved into the site by on_post_build
        self.words: Words = words_for("en")  # the site's language's, set from the settings by on_config

    def _config_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").parent / self.config.config_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.speedups = mkdocs_speedups.enabled()
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None
        problems = ProblemLog()
        settings = load_settings(self._config_dir(config), problems)
        if settings is None:
            raise PluginError(ContentError(problems.problems).format())
        # settings.yml is the one place for the site's name and address.
        # MkDocs themes print names and titles unescaped; ours are text, so escape them here.
        config.site_name = html.escape(settings.title)
        config.site_url = settings.site_url
        config.site_description = html.escape(config.site_description or settings.description)
        # One language for the whole page: material's words (and <html lang>, which the
        # search reads) follow the settings' language, as the generator's own words do.
        config.theme["language"] = theme_language(config, settings.language)
        self.words = words_for(settings.language)
        config.nav = _translated_nav(config.nav, self.words)
        if "palette" in config.theme:
            config.theme["palette"] = _translated_palette(config.theme["palette"], self.words)
        # What the theme's scripts say (live.js, search.js), from the page: a list of words and plural forms.
        config.extra["briefings_words"] = script_words(self.words)
        # For the footer's link to the open data (theme/partials/copyright.html).
        config.extra["briefings_open_data"] = settings.open_data
        # The picture of a link's preview (theme/main.html): the publisher's logo, if the settings name one.
        config.extra["briefings_share_image"] = settings.publisher.preview_logo if settings.publisher else ""
        # The generator writes the sitemap: it knows every page, reused ones included.
        config.theme.static_templates.discard("sitemap.xml")
        if self.speedups.visible_theme_files:
            mkdocs_speedups.visible_theme_files(config.theme)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = self.preloaded or self._generate(config)
        for warning in site.warnings:
            log.warning(warning.format())
        # Entry files are content, not pages of their own: the generator places them. Of the
        # content folder's other files, only what an update shows or links to is published.
        files = Files([file for file in files if not file.is_documentation_page() and not _unpublished(file, config)])
        if self.content_dir is not None:
            mkdocs_speedups.add_content_files(files, site, self.content_dir, config)
        # With sitemap.xml no longer a static template, the theme offers its template
        # file as a plain file; the generator's sitemap takes its place.
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            theme_file = files.get_file_from_path(name)
            if theme_file is not None and theme_file.src_dir in config.theme.dirs:
                files.remove(theme_file)
        self.fingerprints, self.reused, self._pages = {}, [], {}
        links = mkdocs_speedups.Links(config.site_dir) if self.speedups.linked_files else None
        self._theme_files(files, config, links)
        self._start_search_index(site, config)
        theme = _theme_fingerprint(config)
        self._in_nav = _nav_titles(config.nav)
        for page in site.pages:
            source, output = page.url + "index.md", output_path(page.url)
            _free(files, output, page.origin)
            previous = None
            if source not in self._in_nav and page.reusable:
                # A page's inputs say all its HTML is made from: cheaper to digest than the HTML.
                fingerprint = digest(theme, page.url, page.inputs) if page.inputs else digest(theme, page)
                previous = self._previous(output, fingerprint)
            if previous is not None:
                # The same page from the same theme renders to the same bytes.
                self._take(files, previous, output, page.origin, config, links)
                self.reused.append(page.url)
                continue
            file = File.generated(config, source, content="")
            self._add(files, file, page.origin)
            self._pages[source] = page  # given its metadata and HTML by on_page_markdown and on_page_content
            if self.speedups.generated_pages:
                mkdocs_speedups.GeneratedPage(self._in_nav.get(source), file, config)  # becomes file.page
        self._data = site.data
        for path in site.data.paths if site.data else ():
            _free(files, path, path)
        for path, content in sorted(site.files.items()):
            # Feeds and the like: an edit changes a few of the 180 feeds; the others are taken as they are.
            previous = self._previous(path, site.file_fingerprints.get(path) or digest(content))
            if previous is None:
                content = getattr(content, "body", content)  # a day's updates, kept apart in the cache
                self._add(files, File.generated(config, path, content=content), path)
            else:
                self._take(files, previous, path, path, config, links)
        return files

    def _previous(self, output: str, fingerprint: str) -> Path | None:
        """The previous site's file at ``output`` if it is made from ``fingerprint`` and still as written; noted either way."""
        self.fingerprints[output] = fingerprint
        return None if self.previous is None else self.previous.unchanged(output, fingerprint)

    @staticmethod
    def _take(
        files: Files, previous: Path, output: str, origin: str, config: MkDocsConfig, links: mkdocs_speedups.Links | None
    ) -> None:
        """The previous site's file ``previous`` at ``output`` in the new site: linked, or copied by MkDocs."""
        _free(files, output, origin)
        if links is not None:
            links.link(str(previous), output)
        else:
            files.append(File.generated(config, output, abs_src_path=str(previous)))

    def _theme_files(self, files: Files, config: MkDocsConfig, links: mkdocs_speedups.Links | None) -> None:
        """Note the fingerprint of each of the theme's files; take those the previous site holds as they are.

        A theme file is known by its place and its signature (inode, size, times),
        as Git's index knows a file: a copy put in its place, even an older one of
        the same size (``cp -p``, ``rsync -a``), has another.
        """
        theme = set(config.theme.dirs)
        settled = time.time_ns() - SETTLED_NS
        for file in [f for f in files if f.src_dir in theme and f.abs_src_path is not None]:
            try:
                signed = signature(os.stat(file.abs_src_path))
            except OSError:
                continue
            if max(signed[2], signed[3]) >= settled:
                continue  # changed a moment ago: copied by MkDocs, and not noted for the next build
            previous = self._previous(file.dest_uri, digest("theme file", file.abs_src_path, signed))
            if previous is not None and links is not None:
                files.remove(file)
                links.link(str(previous), file.dest_uri)

    def _cache_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").parent / self.config.cache_dir

    def _generate(self, config: MkDocsConfig) -> GeneratedSite:
        try:
            cache_dir = self._cache_dir(config)
            return generate(
                Path(config.docs_dir), self._config_dir(config), strict=self.config.strict, cache_dir=cache_dir, data_meanwhile=True
            )  # the open data is placed by on_post_build
        except ContentError as exc:
            raise PluginError(exc.format()) from None
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    @staticmethod
    def _add(files: Files, file: File, origin: str) -> None:
        _free(files, file.src_uri, origin)
        files.append(file)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        rendered = self._pages.get(page.file.src_uri)
        if rendered is None:
            return markdown
        # MkDocs themes print titles and descriptions unescaped; ours are text.
        feeds = [Feed(html.escape(feed.title), feed.url) for feed in rendered.feeds]
        page.meta = {"title": html.escape(rendered.title), "briefings_feeds": feeds}
        if rendered.description:
            page.meta["description"] = html.escape(rendered.description)
        if (share := rendered.share) is not None:
            picture = urls.full_address(config.site_url, share.picture)
            page.meta["briefings_share"] = {"published": share.published, "modified": share.modified,
                                            "picture": html.escape(picture), "headline": html.escape(share.headline)}  # fmt: skip
        return ""

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        rendered = self._pages.get(page.file.src_uri)
        return html if rendered is None else rendered.html

    def _shares_blocks(self, page: Page) -> bool:
        """Whether ``page`` writes the theme's shared blocks as every generated page at its place does."""
        return page.file.src_uri in self._pages and page.file.src_uri not in self._in_nav

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Put the search index, built while MkDocs wrote the pages, into the site.

        For ``SiteBuilder``, which checks the site first and finishes the index
        itself (``SiteBuild.search``), while Pagefind may still be at work.
        """
        data, self._data = self._data, None
        if data is not None:
            data.place(Path(config.site_dir))
        if self.preloaded is not None:
            return
        for problem in take_notices():  # the theme's compiled templates, found damaged while rendering
            log.warning(problem.format())
        job, self._search = self._search, None
        if job is not None:
            try:
                job.finish(Path(config.site_dir))
            except BriefingsError as exc:
                raise PluginError(str(exc)) from None
            for path in job.damaged:
                log.warning(f"{path}: {DAMAGED_BUNDLE}")

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
            cache = self._cache_dir(config) if self.write_cache else None
            self._search = IndexJob(indexed_pages(site.pages), language, cache_dir=cache, read=self.read_cache)
        except BriefingsError as exc:
            raise PluginError(str(exc)) from None

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Keep the theme's compiled templates in the cache: compiling mkdocs-material's is a
        noticeable part of every build (docs/performance.md). Jinja checks each one against its source."""
        if self.write_cache:
            env.bytecode_cache = compiled_templates(self._cache_dir(config) / "templates", read=self.read_cache)
        # The theme's overrides say {{ _("Page not found") }}: the catalogue of the generator's words.
        env.install_gettext_translations(self.words.translations, newstyle=True)  # type: ignore[attr-defined]
        if self.speedups.shared_blocks:
            mkdocs_speedups.share_blocks(env.get_template("base.html"), self._shares_blocks)
        return env

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):  # noqa: ANN001 (livereload types)
        server.watch(str(self._config_dir(config)))
        return server


def _free(files: Files, output: str, origin: str) -> str:
    """``output``, which no file MkDocs copies (from the content folder) may take too."""
    existing = files.src_uris.get(output)  # ``output`` is a POSIX path already
    if existing is not None:
        raise PluginError(f"{origin} would overwrite {existing.src_uri} from the content folder")
    return output


@dataclass(frozen=True)
class SiteBuild:
    fingerprints: dict[str, str]  # by path in the site, for the next build (previous_site.record)
    reused: tuple[str, ...]  # URLs of pages taken from the previous site
    search: IndexJob | None  # the search index under way for this site, for the caller to finish


def _theme_fingerprint(config: MkDocsConfig) -> str:
    """Everything besides a page's own content that shapes its HTML."""
    parts: list[object] = [metadata.version("mkdocs"), metadata.version("mkdocs-material"), __version__]
    # The adapter's code shapes every page too.
    parts += [Path(__file__).read_bytes(), Path(mkdocs_speedups.__file__).read_bytes()]
    config_file = Path(config.config_file_path) if config.config_file_path else None
    parts += [config.site_name, config.site_url, config_file.read_bytes() if config_file else b""]
    parts.append(config.extra.get("briefings_open_data"))  # set from the settings, which the footer reads
    parts.append(config.extra.get("briefings_share_image"))  # likewise, which every page's head reads
    # The language, set from the settings: the theme's words, the overrides' and the scripts'.
    parts += [config.theme.get("language"), repr(config.extra.get("briefings_words"))]
    catalogue = catalogue_for(config.theme.get("language") or "en")
    parts.append(catalogue.read_bytes() if catalogue else b"")
    custom = config.theme.custom_dir
    if custom:
        parts += [(p.relative_to(custom).as_posix(), p.read_bytes()) for p in sorted(Path(custom).rglob("*")) if p.is_file()]
    return digest(*parts)


# The tabs mkdocs.yml names, in English; in another language the catalogue's words for them.
NAV_TITLES = (N_("Latest"), N_("Archive"), N_("Cities"), N_("People"))


def _translated_nav(nav: object, words: Words) -> object:
    """``nav`` with each title the catalogue knows in the archive's language (a title of its own stays as written)."""
    if words.english or nav is None:
        return nav
    if isinstance(nav, list):
        return [_translated_nav(item, words) for item in nav]
    if isinstance(nav, dict):
        return {words.gettext(title) if isinstance(title, str) else title: _translated_nav(value, words) for title, value in nav.items()}
    return nav


# The names mkdocs.yml gives the palette's toggle (its button's label and tooltip), likewise.
PALETTE_TOGGLES = (N_("Switch to the dark palette"), N_("Switch to the light palette"))


def _translated_palette(palette: object, words: Words) -> object:
    """``palette`` with each toggle's name the catalogue knows in the archive's language."""
    if words.english:
        return palette
    if isinstance(palette, list):
        return [_translated_palette(scheme, words) for scheme in palette]
    toggle = palette.get("toggle") if isinstance(palette, dict) else None
    if isinstance(toggle, dict) and isinstance(name := toggle.get("name"), str):
        return {**palette, "toggle": {**toggle, "name": words.gettext(name)}}
    return palette


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
        plugin.write_cache = cache_dir is not None
        plugin.read_cache = cache_dir is not None and not clean
        self.plugin = plugin

    @property
    def search_language(self) -> str:
        """The pages' language, which on_config sets from the settings (read here: the search starts before)."""
        settings = load_settings(Path(self.plugin.config.config_dir), ProblemLog())
        return page_language(self.config) if settings is None else theme_language(self.config, settings.language)

    def build(
        self, site_dir: Path, site: GeneratedSite, *, previous: PreviousSite | None = None, search: IndexJob | None = None
    ) -> SiteBuild:
        """Build ``site`` into ``site_dir``, which may hold folders but no files.

        Files of the ``previous`` site that are made from what the new ones would be
        are taken as they are instead of written again; ``search`` is an index job already
        under way for this site's day pages, which the caller finishes (``SiteBuild.search``).
        """
        self.config.site_dir = str(site_dir)
        self.plugin.preloaded, self.plugin.previous, self.plugin.search = site, previous, search
        try:
            if mkdocs_speedups.enabled().empty_docs_folder:
                with mkdocs_speedups.walking_nothing(self.config, self.plugin) as dirty:
                    mkdocs_build(self.config, dirty=dirty)
            else:
                mkdocs_build(self.config)
        except MkDocsException as exc:
            raise BriefingsError(f"MkDocs build failed: {exc.format_message()}") from None
        search, self.plugin._search = self.plugin._search, None
        return SiteBuild(dict(self.plugin.fingerprints), tuple(self.plugin.reused), search)


def page_language(config: MkDocsConfig) -> str:
    """The language the theme writes into every page's <html lang>, which Pagefind reads."""
    return config.theme.get("language") or "en"


def theme_language(config: MkDocsConfig, language: str) -> str:
    """The language material is to speak for the settings' ``language``: that one if material has
    it ('pt-BR'), else its base language ('de' for 'de-AT'), else what mkdocs.yml says."""
    for code in language_codes(language):
        if any(Path(folder, "partials", "languages", f"{code}.html").is_file() for folder in config.theme.dirs):
            return code
    return page_language(config)


def script_words(words: Words) -> dict[str, object]:
    """The words live.js and search.js show, for the page to hold (theme/main.html): plain
    messages, and counts as their forms by CLDR plural category, which the browser
    chooses with Intl.PluralRules ('%(num)d' stands for the number)."""
    _ = words.gettext
    return {
        "updates": words.plural_forms("%(num)d update", "%(num)d updates"),
        "newUpdates": words.plural_forms("%(num)d new update", "%(num)d new updates"),
        "changed": words.plural_forms("%(num)d update changed", "%(num)d updates changed"),
        "removed": words.plural_forms("%(num)d update removed.", "%(num)d updates removed."),
        "keyEvents": _("Key events"),
        "keyDays": _("Key events of the last days"),
        "dayOver": _("This day is over. Updates continue on %(day)s."),
        "pause": _("Pause live updates"),
        "moreMatches": words.plural_forms("%(num)d more matching update on this day", "%(num)d more matching updates on this day"),
        "nothingToSearch": _("There is nothing to search yet."),
        "searchUnavailable": _("Search is unavailable: %(error)s"),
    }


def _quiet_mkdocs_info() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _unpublished(file: File, config: MkDocsConfig) -> bool:
    """Whether ``file`` is one of the content folder's files that are not published (``entries.is_published``),
    as MkDocs' own walk of that folder finds them in a plain ``mkdocs build``."""
    return file.src_dir == config.docs_dir and not is_published(file.src_uri)
