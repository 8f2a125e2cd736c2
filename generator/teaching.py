"""Checks that teach: unknown or invisibly altered names, unlisted mentions, and what would be lost.

They run in ``briefings check`` only, after the reader has checked each file, so
a file whose front matter could not be read is skipped here: its problems are
already reported. Besides names, they find what the site would drop or show
otherwise without a word: an empty body, the placeholder of ``new``, no sources
where the settings require them, a picture or linked file that is not there,
Markdown the preview shows otherwise, and the same update saved twice. Under
``--strict`` (the PR check) each of these is an error, so new names enter the
registries on purpose rather than by a typo.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import frontmatter
import yaml

from . import body_checks, yamlsafe
from .duplicates import Update, duplicates
from .entries import SourceText
from .inflected_names import InflectedNames
from .mentions import SILENCED, MentionFinder
from .morphology import CYRILLIC, Morphology
from .names import NEVER_SPELLING, display_name, tag_form, invisible_characters, mixed_alphabets, name_key, visible
from .parallel import WORTH_FORKING, batches, fork_map
from .problems import Problem, ProblemLog
from .registry import KINDS, REGISTRY_FILES, Registry, RegistryEntry
from .settings import SETTINGS_FILE, Settings, load_settings
from .suggest import Candidates, candidates_from
from .zone_times import written_moment

FIELDS = {"city": "cities", "person": "people"}

_FM = frontmatter.YAMLHandler()
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class WrittenCorrection:
    """A correction as its file writes it: 'at' and 'text' (str() of whatever YAML made of them), and the text's line."""

    at: str
    text: str
    line: int


@dataclass(frozen=True)
class Listing:
    """What one entry file says: its names (with lines), title, time, sources and body."""

    path: str
    names: dict[str, tuple[tuple[str, int | None], ...]]  # kind -> (name, line) pairs
    body: str
    body_line: int
    rel_path: str = ""  # its place in the content folder
    title: str | None = None
    published: datetime | None = None  # None unless a time with its offset
    draft: bool = False
    has_sources: bool = False
    sources_line: int | None = None  # the line of 'sources', or of the closing '---' without it
    closing_line: int = 0
    title_line: int | None = None
    updated: object = None  # 'updated' as written, whatever it is
    corrections: tuple[WrittenCorrection, ...] = ()  # each as written, whatever its mistakes
    corrections_line: int | None = None
    published_line: int | None = None
    draft_line: int | None = None
    # Where the file holds a character that shows and spells nothing: (line, the line's text, column).
    hidden: tuple[tuple[int, str, int], ...] = ()
    tags: tuple[tuple[str, int | None], ...] = ()  # (tag, line) pairs

    @property
    def body_text(self) -> body_checks.BodyText:
        root = self.path[: len(self.path) - len(self.rel_path)] if self.path.endswith(self.rel_path) else ""
        return body_checks.BodyText(root, self.rel_path, self.body, self.body_line, self.closing_line, self.title or "")

    @property
    def update(self) -> Update:
        return Update(self.path, " ".join((self.title or "").split()), self.published, " ".join(self.body.split()))


def read_listing(source: SourceText) -> Listing | None:
    """What a source says, or None when its front matter cannot be read."""
    text = source.text
    if not _FM.detect(text):
        return None
    try:
        fm, body = _FM.split(text)
        # The split keeps the newline after the opening '---', so the text starts on line 1.
        document = yamlsafe.load(fm, first_line=1)
    except (ValueError, yamlsafe.YamlError):
        return None
    data = document.data
    if not isinstance(data, dict):
        return None
    names = {kind: tuple(_names(document, FIELDS[kind])) for kind in KINDS}
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    closing_line = text[: len(text) - len(body)].rstrip("\n").count("\n") + 1
    sources = data.get("sources")
    return Listing(
        source.path, names, body, body_line, source.rel_path,
        title=data["title"] if isinstance(data.get("title"), str) else None,
        published=written_moment(data.get("published")),
        draft=data.get("draft") is True,
        has_sources=isinstance(sources, (list, dict)) and bool(sources),  # a malformed list is told of already
        sources_line=document.line_of(("sources",)) if "sources" in data else closing_line,
        closing_line=closing_line,
        title_line=document.line_of(("title",)) if "title" in data else None,
        updated=data.get("updated"),
        corrections=tuple(_corrections(document)),
        corrections_line=document.line_of(("corrections",)) if "corrections" in data else None,
        published_line=document.line_of(("published",)) if "published" in data else None,
        draft_line=document.line_of(("draft",)) if "draft" in data else None,
        hidden=tuple(_hidden(text)),
        tags=tuple(_names(document, "tags")),
    )  # fmt: skip


def _corrections(document: yamlsafe.Document) -> Iterator[WrittenCorrection]:
    corrections = document.data.get("corrections")
    for index, item in enumerate(corrections if isinstance(corrections, list) else ()):
        if isinstance(item, dict):
            line = document.line_of(("corrections", index, "text")) or 1
            yield WrittenCorrection(str(item.get("at", "")).strip(), str(item.get("text", "")), line)


# A name wrapped in a word processor's quotes (“Kyiv”, «Київ», ‘Kyiv’, „Kyiv“), which YAML does not take for quotes.
_TYPOGRAPHIC_QUOTES = re.compile(r"[“”‘’«»„‚](.+)[“”‘’«»]")
# What a front-matter line holds before a character of a field's name.
_FIELD_NAME = re.compile(r"^\s*[\w-]*$")


def _hidden(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character of ``text`` that shows and spells nothing, with its line and column."""
    if NEVER_SPELLING.search(text) is None:
        return  # nearly every file
    for number, line in enumerate(text.split("\n"), start=1):
        for match in NEVER_SPELLING.finditer(line):
            yield number, line, match.start()




def _names(document: yamlsafe.Document, field: str) -> Iterable[tuple[str, int | None]]:
    values = document.data.get(field)
    if not isinstance(values, list):
        return
    for index, value in enumerate(values):
        if isinstance(value, str) and value.strip():
            yield value, document.line_of((field, index))


def listed_names(source: SourceText) -> dict[str, list[str]]:
    """Just the names a source lists, read fast: for the archive around the files being checked.

    The C loader without line tracking is much cheaper than ``read_listing``;
    only top-level lists of text are taken, so no YAML trick reaches the checks.
    """
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    if not _FM.detect(source.text):
        return found
    try:
        fm, _ = _FM.split(source.text)
        data = yaml.load(fm, Loader=_FAST_LOADER)
    except (ValueError, yaml.YAMLError):
        return found
    if isinstance(data, dict):
        for kind in KINDS:
            values = data.get(FIELDS[kind])
            if isinstance(values, list):
                found[kind] = [v for v in values if isinstance(v, str) and v.strip()]
    return found


def used_names(listings: Iterable[Listing], more: Iterable[dict[str, list[str]]] = ()) -> dict[str, set[str]]:
    """Every name of each kind that some entry lists: the archive's own vocabulary.

    As shown (``display_name``): a spelling offered as a did-you-mean must not bring
    along an invisible character that its writer pasted, nor mix look-alike letters.
    """
    used: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for listing in listings:
        for kind in KINDS:
            used[kind].update(display_name(name) for name, _ in listing.names[kind])
    for names in more:
        for kind in KINDS:
            used[kind].update(display_name(name) for name in names[kind])
    return {kind: {name for name in names if not mixed_alphabets(name)} for kind, names in used.items()}


def unknown_name_message(kind: str, name: str, suggestion: str | Sequence[str] | None, config_dir: Path, hint: str = "") -> str:
    """``suggestion``: the names to offer (one, or several for a surname alone); ``hint`` replaces them."""
    registry_file = (config_dir / REGISTRY_FILES[kind]).as_posix()
    return f"unknown {kind} '{display_name(name)}': add it to {registry_file}{hint or did_you_mean(suggestion)}"


def did_you_mean(suggestion: str | Sequence[str] | None) -> str:
    """The end of a message offering names, " (did you mean 'Kyiv'?)"; empty without any."""
    names = [suggestion] if isinstance(suggestion, str) else list(suggestion or ())
    if not names:
        return ""
    quoted = _quoted(names)
    return f" (did you mean {' or '.join(quoted) if len(quoted) < 3 else ', '.join(quoted[:-1]) + ' or ' + quoted[-1]}?)"


def mixed_letters_message(kind: str, name: str, suggestion: Sequence[str]) -> str | None:
    """What to tell about an unknown name written in two alphabets of look-alike letters, or None.

    "Kуiv" with a Cyrillic "у" looks like "Kyiv" in every font: without naming the
    odd letters, the writer cannot see why the name is unknown. The alphabet of the
    most letters is taken for the one meant (the first used, on a tie).
    """
    found = mixed_alphabets(name)
    if not found:
        return None
    meant = max(found, key=lambda alphabet: len(found[alphabet]))  # max keeps the first of equals
    odd = [f"{_listed(_quoted(letters))} {'is' if len(letters) == 1 else 'are'} {alphabet.title()}"
           for alphabet, letters in found.items() if alphabet != meant]  # fmt: skip
    return (f"unknown {kind} '{display_name(name)}' mixes {_listed([a.title() for a in found])} letters: "
            f"{_listed(odd)}; retype it in {meant.title()} letters{did_you_mean(suggestion)}")  # fmt: skip


def invisible_message(kind: str, name: str, known: RegistryEntry | None) -> str:
    """What to tell about a name holding characters that show nothing: which, and where.

    The name is read without them (``names.name_key``), but the writer cannot see
    why a name that looks right is shown as another or found nowhere else.
    """
    hidden = invisible_characters(name)
    shown = display_name(name)
    if not shown:  # nothing to retype: the site would show a page of no name
        characters = _listed([_character(c) for c in dict.fromkeys(name) if not c.isspace()])
        return f"a name in '{FIELDS[kind]}' is nothing but invisible characters ({characters}): delete it"
    if len(hidden) == 1:
        what = f"an invisible character, {_character(name[hidden[0]])}, {_place(name, hidden[0])}:"
    else:
        what = f"invisible characters: {_listed([f'{_character(name[i])} {_place(name, i)}' for i in hidden])};"
    read_as = f" (it is read as '{known.name}')" if known is not None and known.name != shown else ""
    return f"{kind} '{shown}' holds {what} retype the name{read_as}"


# A headline past this reads as a paragraph in the day's list, the feeds and search results.
LONG_TITLE = 150
# Markdown, which a title shows as written: **bold**, *emphasis*, `code`, [a link](...). Not
# HTML: a source's plain-text title may hold "<Ministry>" or "the <b> tag" as words.
_TITLE_MARKUP = re.compile(
    r"(?<![\w*])\*\*?[^*\s](?:[^*]*[^*\s])?\*\*?(?![\w*])|(?<!\w)_[^_\s](?:[^_]*[^_\s])?_(?!\w)|`[^`]+`"
    r"|\[[^\]]+\]\([^)]*\)"
)


# Commas a keyboard types in another script, which YAML takes for letters: "[بيروت، صيدا]"
# is one name.
_COMMAS = {"\u060c": "an Arabic comma", "\uff0c": "a full-width comma", "\u3001": "an ideographic comma"}
_OTHER_COMMAS = re.compile(f"[{''.join(_COMMAS)}]")


def _other_commas(name: str) -> str | None:
    """What to tell of a name that is several, joined by another script's comma; None if it is not."""
    found = _OTHER_COMMAS.search(name)
    if found is None:
        return None
    parts = [part.strip() for part in _OTHER_COMMAS.split(name) if part.strip()]
    comma = found.group()
    if len(parts) < 2:
        return (f"'{display_name(name)}' holds {_COMMAS[comma]} ('{comma}'), which YAML reads as a letter of the name: "
                f"delete it: [{', '.join(parts)}]")  # fmt: skip
    return (f"'{display_name(name)}' is {len(parts)} names joined by {_COMMAS[comma]} "
            f"('{comma}'), which YAML reads as a letter: separate them with a comma ',' and a space: [{', '.join(parts)}]")


def title_advice(title: str) -> list[str]:
    """What to tell of a title: too long for a headline, or written with markup it shows as written."""
    found = []
    if len(title) > LONG_TITLE:
        found.append(f"the title is {len(title)} characters: a headline over {LONG_TITLE} reads as a paragraph in the "
                     "day's list, the feeds and search results; keep the news in it, and put the rest in the body")  # fmt: skip
    if markup := _TITLE_MARKUP.search(title):
        found.append(f"the title is plain text, and shows '{markup.group()}' as written: write it without the marks "
                     "(a title is shown in bold already)")  # fmt: skip
    return found


def hidden_message(found: Sequence[tuple[str, int]]) -> str:
    """What to tell of the characters at ``found`` (a line's text and a column), which show nothing."""
    places = [f"{_character(text[column])}, {_after(text, column)}" for text, column in found]
    what = f"an invisible character, {places[0]}" if len(places) == 1 else f"invisible characters: {'; '.join(places)}"
    return (f"{what}: delete {'it' if len(places) == 1 else 'them'} (copied text brings such characters along unseen; "
            "one in an address breaks the link, one in a word keeps the word from being found)")  # fmt: skip


def _after(text: str, column: int) -> str:
    """Where a character sits on its line, by the visible words before it (or after it, at the start)."""
    before = visible(text[:column]).rstrip()
    if before:
        return f"after '{before[-30:].lstrip()}'" if len(before) <= 30 else f"after '…{before[-30:]}'"
    after = visible(text[column + 1 :]).strip()
    return f"before '{after[:30]}'" if after else "on a line of its own"


def _character(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'without a name')}"


def _place(name: str, index: int) -> str:
    """Where a character sits, by the visible letters before it (or after it, at the start)."""
    before = visible(name[:index]).strip()
    return f"after '{before}'" if before else f"before '{visible(name[index + 1 :]).strip()}'"


def _quoted(items: Iterable[str]) -> list[str]:
    return [f"'{item}'" for item in items]


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def repeated_message(kind: str, shown: str, written: Sequence[str]) -> str:
    """What to tell about a list naming one city or person more than once (``written``: each spelling)."""
    times = {2: "twice", 3: "three times"}.get(len(written), f"{len(written)} times")
    spellings = f" ({', '.join(_quoted(written))})" if any(w != shown for w in written) else ""
    return f"'{FIELDS[kind]}' names {shown} {times}{spellings}: list it once"


def other_kind(kind: str) -> str:
    return "person" if kind == "city" else "city"


class Teacher:
    """Runs every teaching check on listings, against the registries and the archive's names."""

    def __init__(
        self,
        registries: dict[str, Registry],
        used: Callable[[], dict[str, set[str]]],
        config_dir: Path,
        log: ProblemLog,
        settings: Settings | None = None,
    ) -> None:
        self.registries = registries
        self.config_dir = config_dir
        self.log = log
        self.require_sources = settings is not None and settings.require_sources
        self.finders = {kind: MentionFinder(registries[kind]) for kind in KINDS}
        # The archive's names are needed only to suggest a spelling for an unknown name:
        # ``used`` is called then, so checking a correct file never gathers them.
        self._used = used

    @cached_property
    def candidates(self) -> dict[str, Candidates]:
        used = self._used()
        return {kind: Candidates(candidates_from(spellings(self.registries[kind]), used[kind])) for kind in KINDS}

    @cached_property
    def registry_candidates(self) -> dict[str, Candidates]:
        return {kind: Candidates(candidates_from(spellings(self.registries[kind]), ())) for kind in KINDS}

    def suggest(self, kind: str, name: str) -> tuple[str, ...]:
        """The registry's names close to ``name``, else the archive's: a spelling other files use
        (a city not yet in the registry) is suggested only where no registry name is close, so
        that one contributor's slip is never suggested for another's."""
        return self.registry_candidates[kind].suggest(name) or self.candidates[kind].suggest(name)

    def teach(self, listing: Listing) -> None:
        for kind in KINDS:
            if self.registries[kind].unreadable:
                continue  # every name would be "unknown": the registry's own error comes first
            self._names_as_written(listing, kind)
            self._repeated_names(listing, kind)
            self._unlisted_mentions(listing, kind)
        self._hidden_characters(listing)
        for message in title_advice(listing.title or ""):
            self.log.warning(listing.path, listing.title_line, message)
        self._tags_as_written(listing)
        findings = body_checks.body_findings(listing.body_text)
        for number, correction in enumerate(listing.corrections, start=1):
            # A correction's links are published as a body's are, and checked alike.
            said = replace(listing.body_text, body=correction.text, body_line=correction.line)
            findings += [replace(f, message=f"correction {number}: {f.message}") for f in body_checks.missing_files(said)]
        if self.require_sources and not listing.draft:  # a draft may be merged before its sources are in
            settings_file = (self.config_dir / SETTINGS_FILE).as_posix()
            findings += body_checks.no_sources(listing.has_sources, listing.sources_line or 1, settings_file)
        for finding in findings:
            self.log.warning(listing.path, finding.line, finding.message)

    def _names_as_written(self, listing: Listing, kind: str) -> None:
        """Each listed name that no registry knows, or that holds a character no one can see."""
        for name, line in listing.names[kind]:
            known = self.registries[kind].resolve(name)
            if invisible_characters(name):
                self.log.warning(listing.path, line, invisible_message(kind, name, known))
            quoted = _TYPOGRAPHIC_QUOTES.fullmatch(name.strip())
            if quoted is not None and known is None:  # “Kyiv”: a word processor's quotes, which YAML keeps
                self.log.warning(listing.path, line, f"'{name.strip()}' is in quotes, which YAML keeps as part of the "
                                                     f"name: write {quoted.group(1).strip()}")  # fmt: skip
            elif known is None and display_name(name):  # a name of invisible characters alone is told above
                self.log.warning(listing.path, line, self.describe_unknown(kind, name))

    def _hidden_characters(self, listing: Listing) -> None:
        """Characters that show nothing, pasted with a title, an address or a body: a zero-width
        space in an address breaks the link, in a name it hides the name from its page's links.
        Those in the names of 'cities' and 'people' are told with the name (``_names_as_written``)."""
        named = {line for kind in KINDS for _, line in listing.names[kind]}
        lines: dict[int, list[tuple[str, int]]] = {}
        for number, text, column in listing.hidden:
            in_field_name = number < listing.closing_line and ":" in text[column:] and _FIELD_NAME.match(text[:column])
            if number not in named and not in_field_name:  # a field's name is told of by the schema's check
                lines.setdefault(number, []).append((text, column))
        for number, found in lines.items():
            self.log.warning(listing.path, number, hidden_message(found))

    def _tags_as_written(self, listing: Listing) -> None:
        """Tags are one vocabulary across the archive, for the data and search: 'Air Defence' and
        'air-defence' would be two topics. Each is lowercase words joined by hyphens, once."""
        seen: set[str] = set()
        for tag, line in listing.tags:
            written = tag_form(tag)
            if written in seen:
                self.log.warning(listing.path, line, f"the tag '{tag}' is listed already: list it once")
            elif written and written != tag:
                self.log.warning(listing.path, line, f"the tag '{tag}' is not written as tags are (lowercase words "
                                                     f"joined by hyphens): write {written}")  # fmt: skip
            seen.add(written)

    def _repeated_names(self, listing: Listing, kind: str) -> None:
        """A city or person listed again, as written or by another spelling, told at its second line.

        The site shows it once all the same, so the list says more than the page does;
        and a second spelling ('Kyiv', 'kiev') may hide that another city was meant.
        """
        listed: dict[tuple[str, str], list[tuple[str, int | None]]] = {}  # entity -> (spelling, line) pairs
        shown: dict[tuple[str, str], str] = {}  # its registry name, or an unknown name as first written
        for name, line in listing.names[kind]:
            if written := display_name(name):  # a name of invisible characters alone is told of already
                known = self.registries[kind].resolve(name)
                entity = ("known", known.name) if known else ("name", name_key(name))
                listed.setdefault(entity, []).append((written, line))
                shown.setdefault(entity, known.name if known else written)
        for entity, spellings in listed.items():
            if len(spellings) > 1:
                message = repeated_message(kind, shown[entity], [spelling for spelling, _ in spellings])
                self.log.warning(listing.path, spellings[1][1], message)

    def describe_unknown(self, kind: str, name: str) -> str:
        """What to tell about a name no registry of ``kind`` knows: the other kind's, or a spelling to use."""
        other = other_kind(kind)
        known = self.registries[other].resolve(name)
        if known is not None:
            registry_file = (self.config_dir / REGISTRY_FILES[other]).as_posix()
            return (f"'{display_name(name)}' is a {other} in {registry_file}: list it under "
                    f"'{FIELDS[other]}', not '{FIELDS[kind]}'")  # fmt: skip
        if (separated := _other_commas(name)) is not None:
            return separated
        found = self.suggest(kind, name)
        if (mixed := mixed_letters_message(kind, name, found)) is not None:
            return mixed
        if not found and (elsewhere := self.registry_candidates[other].suggest(name)):
            hint = f" (did you mean the {other} '{elsewhere[0]}', listed under '{FIELDS[other]}'?)"
            return unknown_name_message(kind, name, None, self.config_dir, hint)
        return unknown_name_message(kind, name, found, self.config_dir)

    def _unlisted_mentions(self, listing: Listing, kind: str) -> None:
        listed = [name for name, _ in listing.names[kind]]
        told: set[str] = set()
        for mention in self.finders[kind].unlisted(listed, listing.body, listing.body_line):
            told.add(mention.entry.name)
            self._tell_unlisted(listing, kind, mention.entry.name, mention.written, mention.line)
        if CYRILLIC.search(listing.body):
            named = {entry.name for name in listed if (entry := self.registries[kind].resolve(name)) is not None}
            for line, entry, written in self._declined_mentions(listing, kind):
                if entry.name not in named and entry.name not in told:
                    told.add(entry.name)
                    self._tell_unlisted(listing, kind, entry.name, written, line)

    def _declined_mentions(self, listing: Listing, kind: str) -> Iterator[tuple[int, RegistryEntry, str]]:
        """The registry's Cyrillic names the body writes declined ("у Києві"), line by line,
        but for those named in passing (``<!-- in passing -->`` right after them)."""
        for number, line in enumerate(listing.body.split("\n"), start=listing.body_line):
            if not CYRILLIC.search(line):
                continue
            for mention in self.declined[kind].find(line, places=kind == "city"):
                if not SILENCED.match(line, mention.end):
                    yield number, mention.entry, line[mention.start : mention.end]

    @cached_property
    def declined(self) -> dict[str, InflectedNames]:
        morphology = Morphology()  # the dictionaries load on the first Cyrillic word looked up
        return {kind: InflectedNames(self.registries[kind], morphology) for kind in KINDS}

    def _tell_unlisted(self, listing: Listing, kind: str, name: str, written: str, line: int) -> None:
        shown = name if written == name else f"{name} (as '{written}')"
        self.log.warning(
            listing.path,
            line,
            f"{shown} is mentioned but not listed in '{FIELDS[kind]}': list it if the update is about {name}; "
            "if it is only named in passing, write <!-- in passing --> right after the name",
        )


def spellings(registry: Registry) -> Iterable[tuple[str, str]]:
    """Every registry spelling with the canonical name it stands for."""
    for entry in registry.entries:
        for spelling in (entry.name, *entry.aliases):
            yield spelling, entry.name


def teach_archive(
    sources: Iterable[SourceText], registries: dict[str, Registry], config_dir: Path, log: ProblemLog
) -> None:
    """Teach on every source, with the whole set as the archive's vocabulary."""
    sources = list(sources)
    parallel = len(sources) >= WORTH_FORKING

    def list_batch(batch: list[SourceText]) -> list[Listing]:
        return [listing for source in batch if (listing := read_listing(source)) is not None]

    listings = [listing for batch in fork_map(list_batch, batches(sources), parallel=parallel) for listing in batch]
    settings = load_settings(config_dir, ProblemLog(), best_effort=True)  # read and reported already, where the archive is read
    teacher = Teacher(registries, lambda: used_names(listings), config_dir, log, settings)

    def teach_batch(batch: list[Listing]) -> tuple[Problem, ...]:
        teacher.log = ProblemLog()  # this batch's own; replayed below, where --strict applies
        for listing in batch:
            teacher.teach(listing)
        return teacher.log.problems

    for problems in fork_map(teach_batch, batches(listings), parallel=parallel):
        log.replay(problems)
    for duplicate in duplicates(listing.update for listing in listings if not listing.draft):
        log.warning(duplicate.path, None, duplicate.message)
