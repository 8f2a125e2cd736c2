"""Inflected Ukrainian and Russian names: "у Києві", "Віталія Кличка", "в Харькове".

Ukrainian and Russian decline names: the registries write "Київ" and "Віталій
Кличко", the text "у Києві" and "Віталія Кличка". pymorphy3, with the
Russian and Ukrainian dictionaries published for it as packages,
gives every reading of a word with its dictionary form; a name matches when each
of its words shares a dictionary form with the word in the text. The analysers
load only when a text and a registry both have Cyrillic names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
WORD = re.compile(r"[\u0400-\u04FF][\u0400-\u04FF'’ʼ-]*")
_UKRAINIAN_ONLY = re.compile(r"[ІіЇїЄєҐґ]")
_RUSSIAN_ONLY = re.compile(r"[ЫыЭэЪъЁё]")
# Cases in which a city's name says where something is: in it (locative) or of it (genitive).
PLACE_CASES = frozenset({"loct", "gent", "loc2", "gen2"})


@dataclass(frozen=True)
class Reading:
    lemma: str
    case: str | None


class Morphology:
    """Dictionary forms of Ukrainian and Russian words, each word analysed once."""

    def __init__(self) -> None:
        self._memo: dict[str, tuple[Reading, ...]] = {}

    @cached_property
    def _analysers(self) -> dict[str, object]:
        import pymorphy3

        return {"uk": pymorphy3.MorphAnalyzer(lang="uk"), "ru": pymorphy3.MorphAnalyzer(lang="ru")}

    def readings(self, word: str) -> tuple[Reading, ...]:
        """Every reading of ``word`` in the languages its letters allow."""
        found = self._memo.get(word)
        if found is None:
            found = self._memo[word] = self._analyse(word)
        return found

    def lemmas(self, word: str) -> frozenset[str]:
        return frozenset(r.lemma for r in self.readings(word)) | {_folded(word)}

    def _analyse(self, word: str) -> tuple[Reading, ...]:
        languages = ("uk",) if _UKRAINIAN_ONLY.search(word) else ("ru",) if _RUSSIAN_ONLY.search(word) else ("uk", "ru")
        readings: dict[Reading, None] = {}
        for language in languages:
            for parse in self._analysers[language].parse(word):
                readings[Reading(_folded(parse.normal_form), parse.tag.case)] = None
        return tuple(readings)


def _folded(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")
