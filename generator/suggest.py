"""Did-you-mean: the known names closest to a misspelled, partial or transliterated one.

Matching is rapidfuzz's normalized similarity on name keys, so case and spacing
never count as differences, and on a transliteration key, so "Charkiw", "Кличко"
and "Zhivitskiy" come close to "Kharkiv", "Klitschko" and "Zhyvytskyy". A surname
or given name alone is matched to every known name that has it as a word. A
suggestion is only offered when the spellings are close enough that a typo or
another transliteration is the likely reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Mapping

from rapidfuzz import fuzz, process
from text_unidecode import unidecode

from .names import name_key

# 75 accepts one swapped or wrong letter in a four-letter name ("Kiyv" -> "Kyiv")
# and refuses unrelated short names that merely share a few letters ("Lviv").
MIN_SIMILARITY = 75
MAX_SUGGESTIONS = 3
# Spellings that transliterations of one name differ by, each folded to one (in this order).
_FOLDS = (("tsch", "h"), ("shch", "s"), ("sch", "s"), ("tch", "h"), ("kh", "h"), ("ch", "h"), ("zh", "j"), ("sh", "s"),
          ("ts", "c"), ("tz", "c"), ("cz", "h"), ("w", "v"), ("y", "i"), ("j", "i"), ("ii", "i"), ("ie", "e"))  # fmt: skip
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_WORDS = re.compile(r"[\s-]+")


def folded(name: str) -> str:
    """A key that transliterations of one name share more often than not: "Klitschko", "Кличко" -> "klihko"."""
    text = " ".join(_NOT_LETTERS.sub("", unidecode(name_key(name)).lower().replace("-", " ")).split())
    for spelling, fold in _FOLDS:
        text = text.replace(spelling, fold)
    return text


@dataclass(frozen=True)
class Candidates:
    """Spelling -> the name to suggest for it (a registry alias leads to its canonical name)."""

    names: Mapping[str, str]

    @cached_property
    def _keys(self) -> dict[str, str]:
        return {spelling: name_key(spelling) for spelling in sorted(self.names)}

    @cached_property
    def _folded(self) -> dict[str, str]:
        return {spelling: folded(spelling) for spelling in sorted(self.names)}

    @cached_property
    def _words(self) -> dict[str, set[str]]:
        """The suggestions for each word (by key, and folded) of a name of two words or more."""
        found: dict[str, set[str]] = {}
        for spelling, target in self.names.items():
            words = [word for word in _WORDS.split(spelling) if word]
            if len(words) > 1:
                for word in words:
                    for key in (name_key(word), folded(word)):
                        if len(key) > 2:
                            found.setdefault(key, set()).add(target)
        return found

    def suggest(self, name: str) -> tuple[str, ...]:
        """The names to suggest for ``name``, best first; empty when none is close."""
        key, fold = name_key(name), folded(name)
        if " " not in key:
            whole = self._words.get(key) or self._words.get(fold)
            if whole:
                return tuple(sorted(whole))[:MAX_SUGGESTIONS]
        best = self._closest(key, {s: k for s, k in self._keys.items() if k != key}, fuzz.ratio)
        if best is None and fold:
            # Transliterated, and in any order of the words ("Кличко Віталій").
            folds = {s: f for s, f in self._folded.items() if self._keys[s] != key}
            best = self._closest(fold, folds, fuzz.token_sort_ratio)
        return () if best is None else (self.names[best],)

    @staticmethod
    def _closest(key: str, choices: dict[str, str], scorer) -> str | None:
        if not choices:
            return None
        found = process.extractOne(key, choices, scorer=scorer, score_cutoff=MIN_SIMILARITY)
        return None if found is None else found[2]


def closest(name: str, candidates: Mapping[str, str]) -> str | None:
    """The one best suggestion for ``name``, or None (see ``Candidates.suggest``)."""
    found = Candidates(candidates).suggest(name)
    return found[0] if found else None


def candidates_from(registry_names: Iterable[tuple[str, str]], used_names: Iterable[str]) -> dict[str, str]:
    """Spelling -> suggestion: registry spellings point at their canonical name.

    A spelling the registry knows wins over the same spelling used in the archive.
    """
    result = {spelling: spelling for spelling in used_names}
    result.update(dict(registry_names))
    return result
