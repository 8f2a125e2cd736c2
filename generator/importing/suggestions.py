"""Proper names no registry knows: suggestions for the registries, never entities.

A run of capitalized words that is not at the start of a sentence alone, not a
known name or alias, not a title, a month, a weekday or a demonym, and not the
name of an institution ("Council", "Ministry" ...) is a candidate. One word
counts only after a word that places something ("in Irpin"), and then it may be
a city; two to four words may be a person. The report lists the names by the
number of updates naming them; adding one to a registry and importing again with
``--refresh`` lists it on those entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..inflected_names import folded_words
from ..morphology import CYRILLIC, Morphology
from ..names import display_name, name_key

_SENTENCE_BREAK = re.compile(r"[.!?:;…\"“”«»()\[\]]\s*$|^\s*$")
_PLACE_WORDS = frozenset(
    "in at near outside around over across into inside through toward towards of beyond within from to "
    "у в во біля під над до з із зі від поблизу навколо около возле из от".split()
)
_PARTICLES = frozenset("de van von der den bin ibn al da di du la le dos".split())
# Capitalized words that are no name, or that come before one (titles, roles).
_NOT_NAMES = frozenset(
    """
    the a an and or but if as so yet he she it they we i you this that these those his her their its our my your there
    here when where while after before since during on off from to by with for of meanwhile however also earlier later
    today yesterday tomorrow tonight overnight morning evening update updates breaking live latest video watch photo
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december president prime minister mayor governor general gen foreign defence defense
    deputy chief secretary chancellor ambassador spokesman spokeswoman spokesperson mr mrs ms dr sir lady lord king
    queen pope senator sen rep representative commander colonel col lieutenant major captain sergeant officer head
    chairman chairwoman ceo director leader prosecutor judge justice minister's president's mayor's according
    because both although though despite even once until unless whether why what which who whom whose how every each
    many most some several all any no not only just more other such one two three first second last next new old
    another nearly about almost still then thus instead now again already officials residents people troops soldiers
    huge big small large major minor top senior western eastern northern southern central
    """.split()
)
_DEMONYMS = frozenset(
    """
    german french dutch greek swiss thai american european korean mexican african moldovan chechen czech polish turkish
    russian ukrainian belarusian georgian hungarian romanian lithuanian latvian estonian canadian australian indian
    italian austrian norwegian iranian syrian british english irish scottish spanish swedish danish finnish chinese
    japanese vietnamese portuguese israeli palestinian kazakh uzbek armenian azerbaijani serbian croatian slovak
    bulgarian soviet western nato
    """.split()
)
_DEMONYM_ENDINGS = ("ian", "ese", "ish")
# Words in the names of institutions, places that are not cities, and media.
_INSTITUTION_WORDS = frozenset(
    """
    council nations ministry agency committee court union party army forces force service services office bank fund
    organization organisation department assembly parliament government corporation news post times press university
    institute group company airlines station plant street square bridge river sea oblast region republic federation
    kingdom states guard police command staff association commission cup games olympics paralympics museum church
    cathedral airport hospital school center centre program programme
    """.split()
)


@dataclass(frozen=True)
class Suggestion:
    """A name no registry knows, the number of updates naming it, and whether it may be a city."""

    name: str
    updates: int
    maybe_city: bool


class NameCollector:
    """Collects candidate names over a run; ``suggestions`` ranks them."""

    def __init__(self, known: set[str], morphology: Morphology | None = None) -> None:
        self._known = known
        self._morphology = morphology
        self._seen: dict[str, set[str]] = {}  # name key -> origins
        self._shown: dict[str, str] = {}
        self._placed: set[str] = set()

    def collect(self, origin: str, text: str) -> None:
        self.record(origin, self.names(text))

    def record(self, origin: str, names: list[tuple[str, bool]]) -> None:
        """Count ``names`` (as ``names`` found them) for the update ``origin``."""
        for name, placed in names:
            key = name_key(name)
            if key in self._known:
                continue
            self._seen.setdefault(key, set()).add(origin)
            self._shown.setdefault(key, name)
            if placed:
                self._placed.add(key)

    def suggestions(self) -> list[Suggestion]:
        ranked = sorted(self._seen.items(), key=lambda item: (-len(item[1]), item[0]))
        return [Suggestion(self._shown[key], len(origins), key in self._placed) for key, origins in ranked]

    def names(self, text: str, written: frozenset[tuple[str, ...]] = frozenset()) -> list[tuple[str, bool]]:
        """Candidate names in ``text``, each with whether a place word comes right before it.

        ``written``: the words the recognizer found naming a registry entry (``Recognized.written``),
        left out wherever they stand: a declined form ("у Києві") is no name to add, and its
        dictionary form may be another word's ("кий").
        """
        found = []
        for run, before in _capitalized_runs(text):
            if len(run) == 1 and (not before or before.rsplit(None, 1)[-1].lower() not in _PLACE_WORDS):
                continue  # one word, not after a place word: no candidate (most runs: a sentence's first word)
            for words, placed in _unrecognized(_split(run, before), written):
                if len(words) == 1 and not placed:
                    continue
                if any(w.lower() in _INSTITUTION_WORDS for w in words) or len(words) > 4:
                    continue
                forms = self._dictionary_forms(words, place=placed and len(words) == 1)
                if not self._names_a_known_one(forms):
                    found.append((display_name(" ".join(forms)), placed and len(words) == 1))
        return found

    def _names_a_known_one(self, words: list[str]) -> bool:
        """Whether the words, or a run of them ("Kyiv" in "Kyiv City"), are a known name."""
        return any(
            name_key(" ".join(words[start:end])) in self._known
            for start in range(len(words)) for end in range(start + 1, len(words) + 1)
        )  # fmt: skip

    def _dictionary_forms(self, words: list[str], *, place: bool) -> list[str]:
        """Ukrainian and Russian names in their dictionary form ("Ірпені" -> "Ірпінь"); ``place``
        for one word after a place word, which may be a city's name."""
        if self._morphology is None or not CYRILLIC.search(" ".join(words)):
            return words
        forms = []
        for word in words:
            lemma = self._morphology.name_form(word, place=place)
            forms.append(lemma[:1].upper() + lemma[1:] if word[:1].isupper() else lemma)
        return forms


_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0400-\u042f\u0490"
_CAPITALIZED = rf"[{_UPPER}](?:[\w'’.-]*\w)?"
# Capitalized words one space apart, particles allowed between them ("Ursula von der Leyen").
_RUN = re.compile(
    rf"(?<![\w'’.-]){_CAPITALIZED}(?:[ \t]+(?:(?:{'|'.join(sorted(_PARTICLES))})[ \t]+)*{_CAPITALIZED})*"
)


def _capitalized_runs(text: str):
    """Runs of capitalized words (particles allowed inside, acronyms not) on one line, with the text
    before each run on that line."""
    for match in _RUN.finditer(text):
        run: list[str] = []
        before = _before(text, match.start())
        for word in match.group().split():
            if word.isupper() and len(word) > 1:  # an acronym ends a name
                if run:
                    yield run, before
                run = []
            else:
                run.append(word)
        if run:
            yield run, before


def _before(text: str, start: int) -> str:
    """Up to 40 characters before ``start``, on its line only: a line is a paragraph, a heading or
    a list item, so the word ending the one before neither places a name nor goes on in it."""
    line_start = text.rfind("\n", 0, start) + 1
    return text[max(line_start, start - 40) : start]


def _unrecognized(parts: list[tuple[list[str], bool]], written: frozenset[tuple[str, ...]]) -> list[tuple[list[str], bool]]:
    """The parts of a run without the registry names in them ("Мер Києва Іван Петренко": "Мер",
    "Іван Петренко"); what follows such a name is not placed by the word before it."""
    if not written:
        return parts
    pieces: list[tuple[list[str], bool]] = []
    for words, placed in parts:
        pieces += _pieces(words, placed, written)
    return pieces


def _pieces(words: list[str], placed: bool, written: frozenset[tuple[str, ...]]) -> list[tuple[list[str], bool]]:
    pieces: list[tuple[list[str], bool]] = []
    start = index = 0
    while index < len(words):
        length = _recognized_length(words, index, written)
        if not length:
            index += 1
            continue
        if index > start:
            pieces.append((words[start:index], placed and start == 0))
        index = start = index + length
    if start < len(words):
        pieces.append((words[start:], placed and start == 0))
    return pieces


def _recognized_length(words: list[str], index: int, written: frozenset[tuple[str, ...]]) -> int:
    """How many words from ``index`` on name a registry entry, the longest name first; 0 if none."""
    for length in range(len(words) - index, 0, -1):
        if folded_words(words[index : index + length]) in written:
            return length
    return 0


def _split(run: list[str], before: str) -> list[tuple[list[str], bool]]:
    """A run cut at titles, demonyms and other words that are no name; whether each part is placed."""
    parts: list[tuple[list[str], bool]] = []
    current: list[str] = []
    previous_word = before.split()[-1].lower() if before.split() else ""
    sentence_start = bool(_SENTENCE_BREAK.search(before))
    starts_placed = previous_word in _PLACE_WORDS and not sentence_start
    for index, word in enumerate(run):
        word = word.rstrip(".")
        bare = word.lower().removesuffix("'s").removesuffix("’s")
        if bare in _PLACE_WORDS:  # "У Ірпені": a preposition that opens a sentence
            if current:
                parts.append((current, False))
            current, starts_placed, sentence_start = [], True, False
            continue
        if bare in _NOT_NAMES or bare in _DEMONYMS or (index == 0 and bare.endswith(_DEMONYM_ENDINGS)):
            if current:
                parts.append((current, False))
            current = []
            continue
        if bare != word.lower():  # a possessive ends the name
            current.append(word[: len(bare)])
            parts.append((current, starts_placed and not parts))
            current, starts_placed = [], False
            continue
        current.append(word)
    if current:
        parts.append((current, starts_placed and not parts))
    if sentence_start and parts and len(parts[0][0]) == 1:
        parts = parts[1:]  # one capitalized word opening a sentence says nothing
    return parts
