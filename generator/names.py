"""Names of cities and people: the key that makes variants one entity, and URL slugs."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator

from slugify import slugify
from translitua import UkrainianKMU, translit

from .i18n import base_language


# The ids the theme gives its own parts of a page (the search dialog, the charts): an
# entry's anchor, its file name's slug, starting so could name two elements of its day page.
THEME_ANCHORS = "brf-"


# Apostrophes that spell one name alike: a keyboard's "'", a word processor's "’" and the
# modifier letter "ʼ" that Ukrainian spelling prescribes ("Кам'янське", "Кам’янське").
APOSTROPHES = "'’ʼ"
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")


def name_key(name: str) -> str:
    """The identity of a name: Unicode-normalized, case-folded, spaces collapsed, invisible characters dropped.

    "Kyiv", " kyiv ", "KYIV", "Ky\u200biv" (a zero-width space pasted with it) and
    an NFD-encoded "Kyïv" against an NFC one are the same key, and so are names that
    differ only in their apostrophes (``APOSTROPHES``) or in Arabic's tatweel, which
    stretches a word for its look ("بيـــروت" is "بيروت"); "Kyiv" and "Kyïv" are not (an
    accent is a different spelling, which only a registry alias may merge).
    """
    text = as_spelled(unicodedata.normalize("NFC", visible(name)))
    return " ".join(text.casefold().split())


_TATWEEL = "\u0640"


def same_apostrophes(text: str) -> str:
    """``text`` with each of its apostrophes written "'"."""
    return _APOSTROPHE.sub("'", text)


def as_spelled(written: str) -> str:
    """A name as ``NameMatcher`` found it written, as its spelling is: apostrophes alike, no tatweel."""
    return same_apostrophes(written).replace(_TATWEEL, "")


def display_name(name: str) -> str:
    """The name as shown: NFC, with runs of whitespace collapsed and invisible characters dropped."""
    return " ".join(unicodedata.normalize("NFC", visible(name)).split())


# Characters that show nothing and spell nothing in any script, which a name copied from a
# web page or a chat brings along unseen: a zero-width space, a word joiner, a byte order
# mark, a soft hyphen, the invisible operators, the marks and controls of text direction.
_NEVER_SPELLING = "\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# The joiners spell Persian, Arabic-script and Indic names (they change how letters join),
# so they are kept there; in the alphabets of look-alike letters they change nothing.
_JOINERS = "\u200c\u200d"
_INVISIBLE = re.compile(f"[{_NEVER_SPELLING}{_JOINERS}]")
# In any text: what never spells anything, whatever the script (the joiners do in some).
NEVER_SPELLING = re.compile(f"[{_NEVER_SPELLING}]")
ALPHABETS = ("LATIN", "CYRILLIC", "GREEK")


def invisible_characters(name: str) -> list[int]:
    """The places in ``name`` of characters that show nothing and spell nothing there.

    Names differing only by these are one name: a zero-width space must never make a
    second page for a city, which the writer could not tell from the first.
    """
    found = [match.start() for match in _INVISIBLE.finditer(name)]
    if found and not all(alphabet_of(c) for c in letters(name)):
        found = [index for index in found if name[index] not in _JOINERS]
    return found


def visible(name: str) -> str:
    """``name`` without its invisible characters (``invisible_characters``)."""
    if _INVISIBLE.search(name) is None:
        return name  # nearly every name: no list built
    hidden = set(invisible_characters(name))
    return "".join(c for index, c in enumerate(name) if index not in hidden)


def letters(name: str) -> list[str]:
    """The letters of ``name`` that belong to a script: not an apostrophe such as "ʼ" (a modifier letter)."""
    return [c for c in name if c.isalpha() and unicodedata.category(c) != "Lm"]


def alphabet_of(letter: str) -> str | None:
    """"LATIN", "CYRILLIC" or "GREEK" for a letter of those alphabets, else None.

    Only these three: their letters look alike ("y" and "у", "o" and "ο"), while
    a name may rightly mix other scripts (Japanese writes kanji and kana together).
    """
    script = unicodedata.name(letter, "").partition(" ")[0]
    return script if script in ALPHABETS else None


_WORD = re.compile(r"\w+")


def mixed_alphabets(name: str) -> dict[str, list[str]]:
    """The letters, by alphabet, of the words of ``name`` that mix look-alike alphabets; empty if none.

    Only inside a word can a letter pass for another: a name half in Latin and half
    in Cyrillic words ("Volodymyr Зеленський") is plain to see. Letters are taken
    once each, alphabets and letters in the order of their first use.
    """
    found: dict[str, list[str]] = {}
    for word in _WORD.findall(name):
        by_alphabet: dict[str, list[str]] = {}
        for letter in letters(word):
            if alphabet := alphabet_of(letter):
                by_alphabet.setdefault(alphabet, []).append(letter)
        if len(by_alphabet) > 1:
            for alphabet, its_letters in by_alphabet.items():
                found[alphabet] = list(dict.fromkeys(found.get(alphabet, []) + its_letters))
    return found


SLUG_LENGTH = 80
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def romanizes_ukrainian(language: str) -> bool:
    """Whether an archive in ``language`` romanizes Cyrillic names as Ukraine's standard does (``slug_for``)."""
    return base_language(language) == "uk"


def slug_for(text: str, language: str = "") -> str:
    """Lowercase ASCII slug: scripts transliterated, accents folded, other runs a hyphen.

    In an archive in Ukrainian (``language`` "uk"), Cyrillic is romanized as Ukraine's
    national standard does (KMU 2010, which its atlases and passports use): Київ gives
    "kyiv" and Зеленський "zelenskyi", where the letter-by-letter transliteration any
    other archive keeps (its pages' addresses must not move) gives "kiiv", "zelenskii".
    """
    if len(text) <= SLUG_LENGTH and _SLUG.fullmatch(text):
        return text  # already a slug, as most file names are: slugify would return it as it is
    if romanizes_ukrainian(language) and _CYRILLIC.search(text):
        text = translit(text, UkrainianKMU)
    return slugify(text, lowercase=True, max_length=SLUG_LENGTH, word_boundary=True)


class NameMatcher:
    """Finds any of many names in text as whole words, the longest name first at a place.

    One regular expression of every name, without a leading (?<!\\w): a lookbehind
    first stops the regex engine from skipping ahead to the letters names start
    with, which made scanning ten times slower. ``finditer`` checks the character
    before each match instead.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(set(names), key=lambda n: (-len(n), n))
        alternatives = "|".join(map(_as_written, self.names))
        # A name ends a word: not followed by a letter, nor by an apostrophe that goes on in the
        # word (Ukrainian "Харків'яни", Kharkiv's people, is no mention of Kharkiv), save an
        # English possessive ("Kyiv's mayor").
        self._pattern = re.compile(f"(?:{alternatives})(?!\\w|['’ʼ](?![sS]\\b)\\w)") if self.names else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches of the names in ``text``, each starting a word."""
        if self._pattern is None:
            return
        position = 0
        while (match := self._pattern.search(text, position)) is not None:
            if match.start() and _WORD_CHAR.match(text, match.start() - 1):
                position = match.start() + 1  # inside a longer word: a real name may start within it
                continue
            yield match
            position = match.end()

    def found_in(self, text: str) -> bool:
        return next(self.finditer(text), None) is not None


_WORD_CHAR = re.compile(r"\w")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def _as_written(name: str) -> str:
    """The pattern of ``name`` as a text may write it: its apostrophe any of them ("Кам'янське" is
    found written "Кам’янське"), and Arabic letters stretched by tatweel ("بيـــروت" is "بيروت")."""
    pattern = []
    for index, char in enumerate(name):
        if index and _ARABIC_LETTER.match(char) and _ARABIC_LETTER.match(name[index - 1]):
            pattern.append(f"{_TATWEEL}*")
        pattern.append(f"[{APOSTROPHES}]" if _APOSTROPHE.match(char) else re.escape(char))
    return "".join(pattern)


def tag_form(tag: str) -> str:
    """A tag as tags are written: lowercase, its words joined by hyphens ('Air Defence' -> 'air-defence')."""
    return "-".join(re.split(r"[\s_-]+", tag.strip().lower())).strip("-")
