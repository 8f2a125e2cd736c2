"""Reading entry files: bytes to text, front matter to a checked ``Entry``.

Every problem goes to the ``ProblemLog`` with its file and line; a file with
errors yields no entry but never stops the others from being read.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import frontmatter

from . import schema, yaml_advice, yamlsafe, zone_times
from .autolink import linked_entries
from .html_audit import OpenComment, audit, open_comments
from .markup import CONTROL_CHARS, MarkdownRenderer
from .model import Correction, Entry, Source, shared_zone
from .names import THEME_ANCHORS, display_name, slug_for
from .problems import ProblemLog
from .settings import Settings
from .text_files import decode

MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_BYTES = 64_000
ENTRY_SUFFIX = ".md"
# Files that look like entries but would be ignored: say so rather than drop them.
NEAR_MISS_SUFFIXES = (".markdown", ".mdown", ".mkd", ".txt")
# What the content folder publishes besides entries: what an update shows or links to. Anything
# else (a reporter's notes.txt, a draft in Word, a spreadsheet) is left out with a warning: a
# file in the folder is not meant for readers just for being there, and may name a source.
PUBLISHED_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".pdf",
    ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".mp4", ".m4v", ".webm",
)  # fmt: skip
# Files a site keeps at its root for crawlers and hosts, published from the content folder's top.
SITE_FILES = frozenset({"robots.txt", "humans.txt", "ads.txt", "favicon.ico", "CNAME", "_headers", "_redirects"})
NOT_PUBLISHED = (
    "not published: the content folder publishes entries (.md), pictures (PNG, JPEG, GIF, WebP, AVIF), PDFs, "
    "and audio and video files, and at its top robots.txt, favicon.ico, CNAME and a host's _headers and _redirects; "
    "move this one out of content/, or give readers a link to it where it is kept"
)
# The content folder's other files are published as they are, at the site's address: a web
# page, a script or a drawing that can hold one would run there with the site's rights, in
# front of a reader who trusts it. An entry's body is sanitized; these cannot be.
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".swf")
ACTIVE_FILE = (
    "a web page, script or SVG drawing is not published from the content folder: it would run at the site's "
    "address as it is, unchecked; an update is a .md file, and a picture a PNG, JPEG, GIF or WebP (export an SVG "
    "drawing as PNG)"
)

_FM = frontmatter.YAMLHandler()
# Dashes a word processor writes for '-' as it is typed: en and em dashes, the minus sign.
_NOT_HYPHEN = re.compile("[\u2010-\u2015\u2212]")
TIME_FORM = "must be an ISO 8601 time with a UTC offset or Z, like 2022-03-03T09:40:00+02:00"
CORRECTION_FORM = (
    "a correction is two lines under 'corrections:', \"  - at: 2022-03-03T12:30:00+02:00\" and, on the next line, "
    "\"    text: An earlier version gave the wrong time.\" (two spaces before '-', four before 'text')"
)
# A date in the folders, as the archive writes them (2022/03/03/) and as a contributor may (2022/3/3/, 2022-03-03/).
_DATE_FOLDERS = re.compile(r"^((\d{4})[/-](\d{1,2})[/-](\d{1,2}))/")


def _not_a_time(field: str, value: object, typed: str | None) -> str:
    """What to say of a time that YAML read as something else: ``15:02`` (a number to YAML 1.1) is a time of day without its date."""
    if typed and (clock := _CLOCK.fullmatch(typed)):
        shown = typed if clock.group(1) else f"{typed}:00"
        return (f"'{field}' is a time of day without its date: {typed}; write the date, the time and the UTC offset, "
                f"like {field}: 2022-03-03T{shown.zfill(8)}+02:00")  # fmt: skip
    return f"'{field}' must be a date and time, like 2022-03-03T09:40:00+02:00, not {schema.yaml_word(value, typed)}"


def _before_published(what: str, time: datetime, published: datetime) -> str:
    """Both times, in the site's zone as every time is read, so the one mistyped shows."""
    return f"{what} ({time.isoformat()}) is before 'published' ({published.isoformat()})"


_CLOCK = re.compile(r"\d{1,2}:\d\d(:\d\d)?")


@dataclass(frozen=True)
class SourceText:
    """A content file decoded and with its line endings made LF."""

    path: str
    rel_path: str
    text: str


def is_entry_name(name: str) -> bool:
    """Whether a file of this name is read as an entry (hidden files never are)."""
    return not name.startswith(".") and name.lower().endswith(ENTRY_SUFFIX)


@dataclass(frozen=True)
class ContentFiles:
    # Sorted, each as ``str(content_dir / relative path)``: a rebuild of a large archive
    # only looks these up, so no Path object is made for each.
    entries: list[str]
    others: list[str]  # the other files (pictures and the like) by relative path: published as they are


def find_entry_files(content_dir: Path, log: ProblemLog) -> list[Path]:
    """Entry files under ``content_dir``, sorted; symlinks and near misses reported."""
    return [Path(path) for path in find_content_files(content_dir, log).entries]


def find_content_files(content_dir: Path, log: ProblemLog) -> ContentFiles:
    """Every file under ``content_dir`` but hidden ones; symlinks and near misses reported."""
    found = ContentFiles([], [])
    _scan(str(content_dir), content_prefix(content_dir), "", found, log)
    return found


def content_prefix(content_dir: Path) -> str:
    """What ``find_content_files`` puts before a file's path in the content folder.

    Paths as pathlib writes them: "content/2022/...", "2022/..." for ".", "/2022/..." for "/".
    """
    root = str(content_dir)
    return "" if root == "." else root if root.endswith(os.sep) else root + os.sep


def content_place(path: str, content_dir: Path, prefix: str | None = None) -> str:
    """A file's place in the content folder: "2022/03/03/kyiv.md" (``prefix``: ``content_prefix``, if known)."""
    prefix = content_prefix(content_dir) if prefix is None else prefix
    if path.startswith(prefix):  # as find_content_files names it: no Path needed
        return path[len(prefix) :]
    return Path(path).relative_to(content_dir).as_posix()


# What editors and desktops leave beside the files they open, never meant for the site: Word's
# owner file of an open document (~$), backups (name~, #name#), swap files, Windows' and
# macOS's folder files. Skipped without a word, as hidden files are.
_LEFTOVER = re.compile(r"~\$.*|.*~|#.*#|.*\.sw[op]|thumbs\.db|desktop\.ini|icon\r", re.IGNORECASE)


def _scan(folder: str, prefix: str, relative: str, found: ContentFiles, log: ProblemLog) -> None:
    # os.scandir knows each name's type from the directory itself: no stat per file.
    with os.scandir(folder) as listing:
        items = sorted((item for item in listing if not item.name.startswith(".") and not _LEFTOVER.fullmatch(item.name)),
                       key=lambda item: item.name)  # fmt: skip
    folders = []
    for item in items:
        path = prefix + relative + item.name
        if item.is_symlink():
            log.error(path, None, "symbolic links are not allowed in content")
        elif item.is_dir():
            folders.append(item)
        elif is_entry_name(item.name):
            found.entries.append(path)
        elif is_published(relative + item.name):
            if relative.startswith(RESERVED_FOLDERS):
                log.error(path, None, f"the site's own folder {relative.split('/', 1)[0]}/ holds the theme's files and "
                                      "the search index, which a file of the same name would replace: move this one "
                                      "to another folder of content/")  # fmt: skip
            else:
                found.others.append(relative + item.name)
        else:
            name = item.name.lower()
            if name.endswith(NEAR_MISS_SUFFIXES) or _entry_without_suffix(item):
                log.warning(path, None, f"not read as an entry, nor published: entry files end in '{ENTRY_SUFFIX}'")
            elif name.endswith(ACTIVE_SUFFIXES):
                log.error(path, None, ACTIVE_FILE)
            else:
                log.warning(path, None, NOT_PUBLISHED)
    for item in folders:
        _scan(item.path, prefix, f"{relative}{item.name}/", found, log)


# The site's own folders: the theme's stylesheets, scripts and pictures, and the search index.
RESERVED_FOLDERS = ("assets/", "pagefind/")


def is_published(relative: str) -> bool:
    """Whether a file of the content folder other than an entry (by its path there) is published:
    a picture, a PDF, audio or video anywhere, and the site's own files at the top."""
    return relative.lower().endswith(PUBLISHED_SUFFIXES) or relative in SITE_FILES


def _entry_without_suffix(item: os.DirEntry) -> bool:
    """Whether a file without a suffix starts as an entry does (a '---' line): one whose '.md'
    was forgotten, which would otherwise be published as it is. Pictures have suffixes,
    so few files are opened."""
    if "." in item.name or not item.is_file():
        return False
    try:
        with open(item.path, "rb") as file:
            first_line = file.read(8).split(b"\n", 1)[0]
    except OSError:
        return False
    return first_line.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r") == b"---"


@dataclass(frozen=True)
class ContentFile:
    """A file's bytes as read, with the status they were read at."""

    path: str  # as named in messages
    status: os.stat_result
    data: bytes | None  # None: larger than MAX_FILE_BYTES, not read


def read_file(path: Path | str, log: ProblemLog) -> ContentFile | None:
    """``path``'s bytes and status; None, with the problem logged, if it cannot be read."""
    shown = str(Path(path))
    try:
        # One open and one status, without a buffered file object: a build reads
        # every entry, and open() asked for the status twice more.
        # Not blocking: a named pipe would wait for a writer, and is reported instead.
        handle = os.open(shown, os.O_RDONLY | os.O_NONBLOCK)
        try:
            status = os.fstat(handle)
            if not stat.S_ISREG(status.st_mode):
                log.error(shown, None, "could not be read: not a regular file")
                return None
            if status.st_size > MAX_FILE_BYTES:
                return ContentFile(shown, status, None)
            return ContentFile(shown, status, _read_all(handle, status.st_size))
        finally:
            os.close(handle)
    except OSError as exc:
        log.error(shown, None, f"could not be read: {exc.strerror or exc}")
        return None


def _read_all(handle: int, size: int) -> bytes:
    """Every byte left in the open file ``handle``, expected to be ``size`` bytes."""
    data = os.read(handle, size + 1)
    if len(data) <= size:
        return data  # a short read of a regular file means its end
    chunks = [data]  # it grew since its status was taken
    while chunk := os.read(handle, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def read_source(path: Path | str, content_dir: Path, log: ProblemLog) -> SourceText | None:
    file = read_file(path, log)
    return None if file is None else source_of(file, content_dir, log)


def source_of(file: ContentFile, content_dir: Path, log: ProblemLog) -> SourceText | None:
    """The decoded text of a file read by ``read_file``; None, with the problem logged, if it has none."""
    if file.data is None:
        size = file.status.st_size
        log.error(file.path, None, f"file is {size:,} bytes; an entry may be at most {MAX_FILE_BYTES:,} bytes")
        return None
    text = decode(file.data, file.path, log)
    if text is None:
        return None
    return SourceText(file.path, content_place(file.path, content_dir), text)


# Word writes a line break typed with Shift+Enter as a vertical tab, a page break as a form
# feed: a space, as a line break within a paragraph shows, or the words on either side would
# run together (a new line would move every later line, and could start a list or a heading).
_LINE_BREAKS = {"\u000b": "vertical tab", "\u000c": "form feed"}


def _windows_1252(character: str) -> str | None:
    """What Windows-1252 writes with this C1 control's byte (U+0093: “), or None."""
    try:
        return bytes([ord(character)]).decode("cp1252")
    except (UnicodeDecodeError, ValueError):
        return None


# Text saved in Windows-1252 and read as Latin-1 turns its curly quotes, dashes and the euro
# sign into C1 controls (U+0080-U+009F), which no text means: they are read as Windows meant them.
_BODY_REPLACEMENT = {
    **dict.fromkeys(_LINE_BREAKS, " "),
    **{chr(code): meant for code in range(0x80, 0xA0) if (meant := _windows_1252(chr(code))) is not None},
}


def body_character(character: str, column: int) -> str:
    """What becomes of a control character in a body (0-based ``column``), in a contributor's words."""
    code = f"invisible control character U+{ord(character):04X} at column {column + 1}"
    if character in _LINE_BREAKS:
        return (f"{code} (a {_LINE_BREAKS[character]}, which text pasted from Word or a PDF often carries) "
                "is read as a space: delete it, and press Enter where the line should break")  # fmt: skip
    meant = _BODY_REPLACEMENT.get(character)
    if meant is not None:
        return (f"{code} is read as '{meant}', as Windows writes it: the text was saved in one encoding "
                "and read in another; type the character again")  # fmt: skip
    return f"{code} was removed from the body: delete it"


class EntryReader:
    """Turns source texts into entries, checking each against the schema and the settings."""

    def __init__(self, settings: Settings, log: ProblemLog, *, render: bool = True) -> None:
        self.settings = settings
        self.zone = settings.zone
        self.log = log
        # `check` builds nothing: it skips the Markdown rendering, the slowest step of reading.
        self.renderer = MarkdownRenderer() if render else None

    def read(self, source: SourceText) -> Entry | None:
        split = self._split(source)
        if split is None:
            return None
        document, body, body_line, plain = split
        errors_before = self.log.error_count
        values = self._check_fields(source, document, plain)
        if self.log.error_count > errors_before:
            return None
        body = self._clean_body(source, body, body_line)
        for comment in open_comments(body):
            self._tell_open(source, body_line + comment.line - 1, comment)
        if self.log.error_count > errors_before:
            return None
        for line, message in audit(body):
            self.log.warning(source.path, body_line + line - 1, message)
        for _, text, line in values["corrections"]:
            for comment in open_comments(text):
                self._tell_open(source, line, comment, "in a correction: ")
            for _, message in audit(text):
                self.log.warning(source.path, line, f"in a correction: {message}")
        return self._entry(source, document, values, body)

    def _tell_open(self, source: SourceText, line: int, comment: OpenComment, where: str = "") -> None:
        """A comment (or block) left open that hides the text after it is an error; one shown as text, a warning."""
        tell = self.log.error if comment.hides else self.log.warning
        tell(source.path, line, where + comment.message)

    def _split(self, source: SourceText) -> tuple[yamlsafe.Document, str, int, bool] | None:
        """The front matter's data, the body, the body's first line, and whether the front
        matter's text is plain: with no control character and no escape to make one."""
        text = source.text
        if not _FM.detect(text):
            self.log.error(source.path, *_no_front_matter(text))
            return None
        try:
            fm, body = _FM.split(text)
        except ValueError:
            self.log.error(source.path, *_unclosed_front_matter(text))
            return None
        if len(fm.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
            self.log.error(source.path, 1, f"front matter is larger than {MAX_FRONT_MATTER_BYTES:,} bytes")
            return None
        # The front matter text starts right after the opening '---' (on line 1).
        body_line = text.count("\n", 0, len(text) - len(body)) + 1
        try:
            document = yamlsafe.load(fm, first_line=1)
        except yamlsafe.YamlError as exc:
            for line, message in exc.each():
                self.log.error(source.path, line, message)
            return None
        if not isinstance(document.data, dict):
            self.log.error(source.path, 1, "front matter must be fields like 'title: ...', one per line")
            return None
        plain = "\\" not in fm and not CONTROL_CHARS.search(fm)
        return document, body, body_line, plain

    def _check_fields(self, source: SourceText, document: yamlsafe.Document, plain: bool) -> dict:
        findings = schema.validate("entry", document)
        reported = {f.path for f in findings}
        for finding in findings:
            message = _refined(finding, document, source.text)
            if finding.unknown_field and finding.meant == "corrections":
                # A misspelled 'corrections:' would publish the corrected text and hide the correction.
                self.log.error(source.path, finding.line, message + " Under this name no reader would see the correction, only the text it corrects.")
            elif finding.unknown_field and finding.path[0] != "corrections":
                self.log.warning(source.path, finding.line, message)
            elif finding.path not in {("published",), ("updated",)} and not _is_correction_time(finding.path):
                # An unknown key in a correction is an error: a correction is a public
                # statement, and words in it that no reader would see must not pass.
                self.log.error(source.path, finding.line, message)
        values = dict(document.data)
        for path, value in () if plain else _strings(values):
            if CONTROL_CHARS.search(value):
                self.log.error(source.path, document.line_of(path), f"{schema.label(path)} contains a control character")
        published = self._time(source, document, ("published",), ("published",) in reported)
        updated = self._time(source, document, ("updated",), ("updated",) in reported)
        if published and updated and updated < published:
            self.log.error(source.path, document.line_of(("updated",)), _before_published("'updated'", updated, published))
        values["published"], values["updated"] = published, updated
        values["corrections"] = self._correction_times(source, document, published, reported)
        return values

    def _correction_times(
        self, source: SourceText, document: yamlsafe.Document, published: datetime | None, reported: set
    ) -> list[tuple[datetime, str, int]]:
        """Each well-formed correction's time, text and line (the schema has checked the rest)."""
        found = []
        corrections = document.data.get("corrections")
        for index, item in enumerate(corrections if isinstance(corrections, list) else ()):
            if not isinstance(item, dict) or "at" not in item:
                continue
            path = ("corrections", index, "at")
            at = self._time(source, document, path, path in reported, f"correction {index + 1}: ")
            if at is not None and published is not None and at < published:
                self.log.error(source.path, document.line_of(path), _before_published(f"correction {index + 1}: 'at'", at, published))
            elif at is not None and isinstance(item.get("text"), str):
                found.append((at, item["text"], document.line_of(("corrections", index, "text")) or 1))
        return found

    def _time(
        self, source: SourceText, document: yamlsafe.Document, path: tuple, malformed: bool, where: str = ""
    ) -> datetime | None:
        """Parse a time field at ``path``; ``malformed`` says the schema found it badly formed;
        ``where`` goes before every message ("correction 2: ")."""
        field = path[-1]
        holder = document.data
        for part in path[:-1]:
            holder = holder[part]
        if field not in holder:
            return None
        value = holder[field]
        line = document.line_of(path)
        if not isinstance(value, str):
            self.log.error(source.path, line, where + _not_a_time(field, value, document.typed.get(path)))
            return None
        if zone_times.DATE_ONLY.fullmatch(value.strip()):
            try:
                self.log.error(source.path, line, where + zone_times.date_without_time(field, value, self.zone))
            except ValueError:
                self.log.error(source.path, line, f"{where}'{field}' is not a real date: {value!r}")
            return None
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            if dash := _NOT_HYPHEN.search(value):  # a word processor's dash, which looks like the hyphen
                fixed = _NOT_HYPHEN.sub("-", value.strip())
                name = unicodedata.name(dash.group()).lower()
                self.log.error(source.path, line, f"{where}'{field}' has {'an' if name[0] in 'aeiou' else 'a'} {name} "
                                                  f"(U+{ord(dash.group()):04X}) where a hyphen goes: write {field}: {fixed}")  # fmt: skip
            elif other := "".join(sorted({c for c in value if c.isdecimal() and not c.isascii()})):
                # Arabic-Indic, Persian, Devanagari digits...: what a phone's keyboard in that script types.
                ascii_digits = "".join(str(unicodedata.decimal(c)) if c in other else c for c in value.strip())
                self.log.error(source.path, line, f"{where}'{field}' is written with the digits {other}: dates and times take "
                                                  f"the digits 0 to 9: {field}: {ascii_digits}")  # fmt: skip
            elif malformed:
                self.log.error(source.path, line, f"{where}'{field}' {TIME_FORM}: {value!r}{yaml_advice.typographic_quotes(value)}")
            else:
                self.log.error(source.path, line, f"{where}'{field}' is not a real date and time: {value!r}")
            return None
        outside = zone_times.outside_years(value, moment)
        if outside is not None:
            self.log.error(source.path, line, f"{where}'{field}' {outside}")
            return None
        if moment.tzinfo is None:
            self.log.error(source.path, line, where + zone_times.no_offset(field, value, moment, self.zone))
            return None
        slip = zone_times.offset_slip(field, value, moment, self.zone)
        if slip is not None:
            self.log.warning(source.path, line, where + slip)
        # In the site's zone, as every page, feed and data file gives it: "23:30Z" is "01:30+02:00".
        local = moment.astimezone(self.zone)
        return local.replace(tzinfo=shared_zone(local.utcoffset()))

    def _clean_body(self, source: SourceText, body: str, body_line: int) -> str:
        """``body`` without control characters, each told at its line: what it was and what it became."""
        if not CONTROL_CHARS.search(body):
            return body
        lines = body.split("\n")
        for number, line in enumerate(lines):
            for found in CONTROL_CHARS.finditer(line):
                self.log.warning(source.path, body_line + number, body_character(found.group(), found.start()))
        return CONTROL_CHARS.sub(lambda found: _BODY_REPLACEMENT.get(found.group(), ""), body)

    def _entry(self, source: SourceText, document: yamlsafe.Document, values: dict, body: str) -> Entry | None:
        published: datetime = values["published"]
        day = published.astimezone(self.zone).date()
        self._check_folder(source, day, document.line_of(("published",)), draft=values.get("draft", False))
        stem = source.rel_path.rsplit("/", 1)[-1][: -len(ENTRY_SUFFIX)]
        slug = slug_for(stem)
        if not slug:
            self.log.error(source.path, None, "the file name has no letters or digits to make an anchor from")
            return None
        if slug.startswith(THEME_ANCHORS):
            self.log.error(
                source.path, None, f"the file name makes the anchor '{slug}', but anchors that start with "
                f"'{THEME_ANCHORS}' belong to the site's own parts of a page (its search box): rename the file",
            )  # fmt: skip
            return None
        corrections = self._corrections(values["corrections"], slug)
        html = self.renderer.render(body, slug) if self.renderer else ""
        updated = values["updated"]
        if corrections and (updated is None or corrections[0].at > updated):
            updated = corrections[0].at  # a correction is a change: the entry was updated then
        return Entry(
            path=source.path,
            rel_path=source.rel_path,
            slug=slug,
            title=" ".join(values["title"].split()),
            published=published,
            updated=updated,
            day=day,
            cities=tuple(display_name(n) for n in values.get("cities", ())),
            people=tuple(display_name(n) for n in values.get("people", ())),
            sources=tuple(Source(s["name"].strip(), s["url"].strip()) for s in values.get("sources", ())),
            tags=tuple(t.strip() for t in values.get("tags", ())),
            key=values.get("key", False),
            draft=values.get("draft", False),
            autolink=values.get("autolink", True),
            author=" ".join(values.get("author", "").split()),
            language=values.get("language", ""),
            html=html,
            corrections=corrections,
            linked_entries=linked_entries(source.rel_path, "".join([html, *(c.text_html for c in corrections)])),
            source_digest=hashlib.sha256(f"{source.rel_path}\0{source.text}".encode()).hexdigest(),
        )

    def _corrections(self, found: list[tuple[datetime, str, int]], slug: str) -> tuple[Correction, ...]:
        """The corrections, newest first, their text rendered as a body is (ids apart from the body's)."""
        ordered = sorted(enumerate(found), key=lambda item: (item[1][0], item[0]), reverse=True)
        return tuple(
            Correction(
                at=at,
                text_html=self.renderer.render(text, f"{slug}__correction-{index + 1}") if self.renderer else "",
                text=text.strip(),
            )
            for index, (at, text, _) in ordered
        )

    def _check_folder(self, source: SourceText, day: date, line: int | None, *, draft: bool) -> None:
        match = _DATE_FOLDERS.match(source.rel_path)
        if not match:
            return
        try:
            folder_day = date(*(int(g) for g in match.groups()[1:]))
        except ValueError:
            self.log.warning(source.path, line, f"the folder {match.group(1)} is no date of the calendar; the entry is "
                                                f"listed on {day.isoformat()}, its published date: move it to "
                                                f"{day:%Y/%m/%d}/")  # fmt: skip
            return
        if folder_day != day:
            self.log.warning(
                source.path,
                line,
                f"folder date {folder_day.isoformat()} differs from the published date "
                f"{day.isoformat()} in {self.settings.timezone}; the entry "
                f"{'will be listed, once not a draft,' if draft else 'is listed'} on {day.isoformat()}, "
                f"with that day's address and feed id{_slip_advice(folder_day, day)}",
            )


def _slip_advice(folder_day: date, day: date) -> str:
    """A typing slip in 'published' is likelier than a file in the wrong folder when one part of the date differs alone."""
    differs = [part for part, a, b in (("year", folder_day.year, day.year), ("month", folder_day.month, day.month),
                                       ("day", folder_day.day, day.day)) if a != b]  # fmt: skip
    if len(differs) == 1 and differs[0] != "day":
        return f"; if the update is of {folder_day.isoformat()}, the {differs[0]} in 'published' is mistyped"
    return ""


def written_times(path: str) -> list[tuple[str, datetime, int | None]]:
    """Each time the entry file ``path`` gives, as written: its field ('published', 'updated'
    or a correction's 'at'), the moment and its line. Read again, for entries keep no lines:
    the warnings that depend on the clock find theirs here. Empty if the file cannot be read."""
    try:
        fm, _ = _FM.split(Path(path).read_text("utf-8-sig"))
        document = yamlsafe.load(fm, first_line=1)
    except (OSError, UnicodeDecodeError, ValueError, yamlsafe.YamlError):
        return []
    corrections = _value_at(document.data, ("corrections",))
    places = [("published",), ("updated",)]
    places += [("corrections", index, "at") for index in range(len(corrections) if isinstance(corrections, list) else 0)]
    found = []
    for place in places:
        moment = zone_times.written_moment(_value_at(document.data, place))
        if moment is not None:
            found.append((place[-1], moment, document.line_of(place)))
    return found


def _value_at(data: object, place: tuple) -> object:
    """The value at ``place`` (keys and list indexes) in parsed YAML; None where there is none."""
    for key in place:
        if isinstance(key, int) and isinstance(data, list) and key < len(data):
            data = data[key]
        elif isinstance(key, str) and isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


def _no_front_matter(text: str) -> tuple[int, str]:
    """The line and the message for a file whose front matter does not open with '---'."""
    if _FM.detect(text.lstrip(" \t\n")):  # an empty line above the '---' hides the front matter
        return 1, "no front matter: the '---' must be the file's first line: remove the empty line(s) above it"
    if (dashes := _dash_fence(text.split("\n", 1)[0])) is not None:
        return 1, dashes
    return 1, "no front matter: the file must start with a line '---'"


def _unclosed_front_matter(text: str) -> tuple[int, str]:
    """The line and the message for a front matter opened with '---' and never closed by one."""
    for number, line in enumerate(text.split("\n")[1:], start=2):
        if (dashes := _dash_fence(line)) is not None:
            return number, dashes
    return 1, "front matter is not closed: add a line '---' after it"


# A fence typed with a word processor's dashes: it turns '---' into an em dash, or '--' into an en dash.
_DASH_FENCE = re.compile(r"[-\u2010-\u2015\u2212]*[\u2010-\u2015\u2212][-\u2010-\u2015\u2212]*")


def _dash_fence(line: str) -> str | None:
    """What to say of a line of dashes that is not '---', as a fence: which dash it holds, and what to type."""
    if not _DASH_FENCE.fullmatch(line.strip()):
        return None
    dash = _NOT_HYPHEN.search(line)
    assert dash is not None  # the pattern holds one
    name = unicodedata.name(dash.group()).lower()
    return (f"this line is {'an' if name[0] in 'aeiou' else 'a'} {name} (U+{ord(dash.group()):04X}), as a word "
            "processor types '---': the front matter opens and closes with a line of three hyphens, '---'")  # fmt: skip


def _refined(finding: schema.Finding, document: yamlsafe.Document, text: str) -> str:
    """The schema's message with what to write instead, where the written line shows the slip."""
    path, value = finding.path, document.data
    for part in path:
        if isinstance(value, list) and isinstance(part, int):
            value = value[part] if 0 <= part < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else None
    line = text.split("\n")[finding.line - 1] if finding.line else ""
    written = line.split(":", 1)[1].strip() if ":" in line else ""
    if finding.unknown_field and len(path) == 3 and path[0] == "corrections":
        return finding.message.replace(" (known", f" in {schema.label(path[:2])} (known", 1)
    if path == ("corrections",) and isinstance(value, (str, dict)):
        return f"{finding.message}: {CORRECTION_FORM}"
    if finding.unknown_field and path in {("url",), ("name",)}:
        return f"'{path[0]}' is not a field of its own but part of a source, indented under 'sources': {yaml_advice.SOURCE_FORM}"
    if len(path) == 1 and path[0] in yaml_advice.LIST_FIELDS and isinstance(value, (str, dict)):
        return finding.message + yaml_advice.list_hint(str(path[0]), written if isinstance(value, str) else "")
    if quotes := yaml_advice.typographic_quotes(value):
        return finding.message + quotes
    if value is None and written.startswith("#") and finding.message.endswith("(put the value in quotes)"):
        field = path[-1]
        return (f"YAML reads everything from a '#' after a space as a comment, so '{field}' is empty: put the whole "
                f"value in quotes: {field}: {yaml_advice.quoted(written)}")  # fmt: skip
    return finding.message


def _is_correction_time(path: tuple) -> bool:
    return len(path) == 3 and path[0] == "corrections" and path[2] == "at"


def _strings(value: object, path: tuple = ()):
    """Every string in a front-matter value, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def content_missing(content_dir: Path) -> str:
    """Why ``content_dir`` cannot be read as the content folder."""
    if os.path.lexists(content_dir) and not content_dir.is_dir():
        return "the content folder is a file: give the folder that holds the entries, like content/"
    return "content folder not found"
