"""Names of cities and people: the key that makes variants one entity, and URL slugs."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator

from slugify import slugify


def name_key(name: str) -> str:
    """The identity of a name: Unicode-normalized, case-folded, spaces collapsed.

    "Kyiv", " kyiv ", "KYIV" and an NFD-encoded "Kyïv" against an NFC one are
    the same key; "Kyiv" and "Kyïv" are not (an accent is a different spelling,
    which only a registry alias may merge).
    """
    text = unicodedata.normalize("NFC", name)
    return " ".join(text.casefold().split())


def display_name(name: str) -> str:
    """The name as shown: NFC, with runs of whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


SLUG_LENGTH = 80
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug_for(text: str) -> str:
    """Lowercase ASCII slug: scripts transliterated, accents folded, other runs a hyphen."""
    if len(text) <= SLUG_LENGTH and _SLUG.fullmatch(text):
        return text  # already a slug, as most file names are: slugify would return it as it is
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
        alternatives = "|".join(re.escape(n) for n in self.names)
        self._pattern = re.compile(f"(?:{alternatives})(?!\\w)") if self.names else None

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
