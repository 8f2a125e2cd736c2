"""Site settings from ``site_config/settings.yml``, as one typed, frozen object."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import schema, yamlsafe
from .i18n import LOCALES, has_catalogue
from .problems import ProblemLog
from .text_files import read_text

SETTINGS_FILE = "settings.yml"
# Where the entries are in the repository that ``repo_url`` names.
CONTENT_IN_REPO = "content/"


@dataclass(frozen=True)
class Publisher:
    """The organization that publishes the briefing, as the structured data names it."""

    name: str
    url: str = ""
    logo: str = ""

    @property
    def preview_logo(self) -> str:
        """The logo for a link's preview and a feed's picture, which take a PNG, JPEG or GIF
        (RSS 2.0, and the networks' previews), not a drawing: "" for an SVG, or none."""
        return self.logo if previews_show(self.logo) else ""


# The pictures RSS's <image> and the networks' previews show.
_RASTER_PICTURE = re.compile(r"\.(png|jpe?g|gif)$", re.IGNORECASE)


def previews_show(picture: str) -> bool:
    """Whether link previews and feed readers show the picture at this address: a PNG, JPEG or GIF."""
    return _RASTER_PICTURE.search(urlsplit(picture).path) is not None


@dataclass(frozen=True)
class Settings:
    """What a site owner can set; every field has the default a newsroom expects."""

    title: str
    site_url: str
    description: str = ""
    timezone: str = "Europe/Kyiv"
    language: str = "en"
    feed_size: int = 50
    # Whether `check` warns about an entry without sources (an error under --strict).
    require_sources: bool = False
    # Seconds between two requests of an open page of a running day for its updates (0: never).
    live_poll_seconds: int = 30
    publisher: Publisher | None = None
    # The repository holding the content (no "/" at the end), and the branch whose history
    # each update links; without it, no update links a history.
    repo_url: str = ""
    repo_branch: str = "main"

    # Whether the build publishes the open data (/data/: see open_data), and its licence, one line.
    open_data: bool = True
    data_licence: str = ""
    # The address the updates' permanent ids are made from (feed items, open data records):
    # the site's own unless it moved, when this keeps the ids it was first published with.
    ids_from: str = ""

    @property
    def id_url(self) -> str:
        """The address of ``ids_from``, else of the site: what a ``tag:`` id names."""
        return self.ids_from or self.site_url

    def history_url(self, rel_path: str) -> str:
        """The history of the entry file ``rel_path`` (in the content folder) on the repository's host, or ""."""
        if not self.repo_url:
            return ""
        # GitHub's form of the address; the content folder is content/ at the repository's root.
        return f"{self.repo_url}/commits/{quote(self.repo_branch)}/{quote(CONTENT_IN_REPO + rel_path)}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# What the rest of a run is checked with when the settings cannot be used: the defaults,
# and placeholders for the two settings that have none. Errors already stop the run.
_PLACEHOLDERS = {"title": "", "site_url": "https://example.org/"}


def load_settings(config_dir: Path, log: ProblemLog, *, best_effort: bool = False) -> Settings | None:
    """Read and check the settings file; problems go to ``log``.

    With errors, None; or with ``best_effort``, settings made of what is valid and the
    defaults in place of the rest, so that a check can go on to the entries and report
    their problems beside these (the errors logged stop any build).
    """
    path = config_dir / SETTINGS_FILE
    shown = str(path)
    fallback = Settings(**_PLACEHOLDERS) if best_effort else None
    if not path.is_file():
        log.error(shown, None, "settings file not found")
        return fallback
    text = read_text(path, log)
    if text is None:
        return fallback
    try:
        document = yamlsafe.load(text)
    except yamlsafe.YamlError as exc:
        for line, message in exc.each():
            log.error(shown, line, message)
        return fallback
    findings = schema.validate("settings", document)
    for finding in findings:
        log.error(shown, finding.line, finding.message)
    wrong = {finding.path[0] for finding in findings if finding.path}
    values = {key: value for key, value in _mapping(document.data).items() if key not in wrong}
    _warn_without_catalogue(values, document, shown, log)
    _warn_unshown_logo(values, document, shown, log)
    usable = not findings
    if not _names_a_folder(values, document, shown, log):
        values.pop("site_url")
        usable = False
    if not _known_zone(values, document, shown, log):
        values.pop("timezone")
        usable = False
    if usable:
        return _settings(values)
    return _settings({**_PLACEHOLDERS, **values}) if best_effort else None


def _mapping(data: object) -> dict:
    return dict(data) if isinstance(data, dict) else {}


def _warn_unshown_logo(values: dict, document: yamlsafe.Document, shown: str, log: ProblemLog) -> None:
    """A logo that link previews and feeds cannot show (an SVG drawing): said once, at the setting."""
    publisher = values.get("publisher")
    logo = publisher.get("logo") if isinstance(publisher, dict) else None
    if isinstance(logo, str) and logo and not previews_show(logo):
        log.warning(shown, document.line_of(("publisher", "logo")), "link previews and feed readers show a PNG, JPEG or "
                    "GIF logo, and not this one: the structured data names it, but previews and feeds show none; "
                    "give the address of a PNG or JPEG")  # fmt: skip


def _warn_without_catalogue(values: dict, document: yamlsafe.Document, shown: str, log: ProblemLog) -> None:
    """A language the generator has no words for: its labels stay English, said once, at the setting."""
    language = values.get("language")
    if language is None or has_catalogue(language):
        return
    known = ", ".join(sorted({"en", *(path.stem for path in LOCALES.glob("*.po"))}))
    meant = COUNTRY_NOT_LANGUAGE.get(str(language).lower())
    hint = f"; did you mean '{meant}'? ({language.upper()} is a country's code)" if meant else ""
    log.warning(
        shown,
        document.line_of(("language",)),
        f"'language: {language}': the site's own words have no catalogue in this language, and are in English"
        f" (catalogues: {known}; CONTRIBUTING.md says how to add one){hint}",
    )


# Countries' codes written for their languages' (ISO 3166 for ISO 639): Ukraine's UA is 'uk'. Only
# codes that are no language's: Sweden's SE is Northern Sami's, Slovenia's SI Sinhala's.
COUNTRY_NOT_LANGUAGE = {"ua": "uk", "gb": "en", "us": "en", "by": "be", "ge": "ka", "kz": "kk", "cz": "cs",
                        "dk": "da", "gr": "el", "jp": "ja", "cn": "zh"}  # fmt: skip


# The end of an address that names a page, not the folder a site is published at.
_PAGE_NAME = re.compile(r"/([^/]+\.(?:html?|php|aspx?|jsp|xml|json))/*$", re.IGNORECASE)


def _names_a_folder(values: dict, document: yamlsafe.Document, shown: str, log: ProblemLog) -> bool:
    """Whether ``site_url``, if given, is a folder's address; an error if it ends with a page's name.

    Every address of the site is made by adding to it: .../briefings/index.html would give
    .../briefings/index.html/2022/03/03/, and feed ids that no later correction could keep.
    """
    site_url = values.get("site_url")
    page = _PAGE_NAME.search(urlsplit(site_url).path) if isinstance(site_url, str) else None
    if page is None:
        return True
    folder = site_url[: site_url.rindex(page.group(1))]
    log.error(shown, document.line_of(("site_url",)), f"'site_url' ends with the name of a page ({page.group(1)}): give the "
                                                      f"address of the folder the site is published at, {folder}")  # fmt: skip
    return False


def _known_zone(values: dict, document: yamlsafe.Document, shown: str, log: ProblemLog) -> bool:
    """Whether the time zone, if given, is one the zone database knows; an error if not."""
    if "timezone" not in values:
        return True
    try:
        ZoneInfo(values["timezone"])
        return True
    except (ZoneInfoNotFoundError, ValueError):
        log.error(shown, document.line_of(("timezone",)), f"unknown time zone '{values['timezone']}' (use an IANA name like Europe/Kyiv)")
        return False


def ascii_url(url: str) -> str:
    """``url`` as feeds, sitemaps and tag: ids must write it: its host in ASCII (IDNA:
    пример.укр is xn--e1afmkfd.xn--j1amh) and its path percent-encoded. Browsers show it as written."""
    parts = urlsplit(url)
    if url.isascii() or not parts.hostname:
        return url
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:  # a host IDNA cannot write: left as it is
        return url
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe="/%"), parts.query, parts.fragment))


def _settings(values: dict) -> Settings:
    """``Settings`` from checked values, written as the site uses them."""
    values = dict(values)
    values["site_url"] = ascii_url(values["site_url"].rstrip("/") + "/")
    if values.get("ids_from"):
        values["ids_from"] = ascii_url(values["ids_from"].rstrip("/") + "/")
    if "repo_url" in values:
        values["repo_url"] = values["repo_url"].rstrip("/")
    if "publisher" in values:
        values["publisher"] = Publisher(**{key: " ".join(text.split()) for key, text in values["publisher"].items()})
    return Settings(**values)
