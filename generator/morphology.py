"""Dictionary forms of Ukrainian and Russian words, for names in their declined forms (``inflected_names``).

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
# What the dictionaries tag a person's name with: a first name, a surname, a patronymic.
_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})


@dataclass(frozen=True)
class Reading:
    lemma: str
    case: str | None
    known: bool = True  # from a dictionary, not guessed from the word's ending
    grammemes: frozenset[str] = frozenset()


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

    def name_form(self, word: str, *, place: bool) -> str:
        """The dictionary form of ``word`` in a name (folded), for a place's name if ``place``.

        Only a reading a dictionary knows: for a word it does not know, pymorphy3 guesses
        from the ending and invents one ("Харькова" read as Ukrainian gives "харьковий").
        Of those, a place's (an inanimate noun in a case of place: "Львові" is Lviv's, not
        Lvov's the surname's) or a person's ("Дмитрием" is Dmitry's); else the first.
        Where no dictionary knows the word, the word as written.
        """
        known = [reading for reading in self.readings(word) if reading.known]
        if not known:
            return _folded(word)
        return min(known, key=_as_place if place else _as_person).lemma

    def _analyse(self, word: str) -> tuple[Reading, ...]:
        languages = ("uk",) if _UKRAINIAN_ONLY.search(word) else ("ru",) if _RUSSIAN_ONLY.search(word) else ("uk", "ru")
        readings: dict[Reading, None] = {}
        for language in languages:
            analyser = self._analysers[language]
            known = analyser.word_is_known(word.lower())
            for parse in analyser.parse(word):
                readings[Reading(_folded(parse.normal_form), parse.tag.case, known, frozenset(parse.tag.grammemes))] = None
        return tuple(readings)


def _as_place(reading: Reading) -> tuple[bool, bool, bool]:
    """Sorts the readings a place's name may have first (``min`` keeps the dictionaries' order in a tie)."""
    return "NOUN" not in reading.grammemes, "anim" in reading.grammemes, reading.case not in PLACE_CASES


def _as_person(reading: Reading) -> bool:
    return not _PERSON_TAGS & reading.grammemes


def _folded(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")
