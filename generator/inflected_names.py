"""Registry names in their declined forms: "у Києві", "Віталія Кличка", "в Харькове".

A registry writes "Київ"; Ukrainian and Russian text writes "у Києві". A name is
found where each of its words shares a dictionary form (``morphology``) with the
words of the text, and, for a city, where the text places something in or near
it. ``briefings import`` lists the cities and people it finds so; ``briefings
check`` warns of those an entry names but does not list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .mentions import CYRILLIC_PLACE_WORDS
from .morphology import PLACE_CASES, WORD, Morphology
from .registry import Registry, RegistryEntry


@dataclass(frozen=True)
class InflectedMention:
    """A registry entry named in a declined form: the words as written, folded, and where they are."""

    entry: RegistryEntry
    written: tuple[str, ...]
    start: int  # in the text searched
    end: int




class InflectedNames:
    """One registry's Cyrillic names, matched word by word on dictionary forms."""

    def __init__(self, registry: Registry, morphology: Morphology) -> None:
        self._morphology = morphology
        self._by_first: dict[str, list[tuple[RegistryEntry, tuple[frozenset[str], ...]]]] = {}
        self._registry = registry
        self._spellings: set[tuple[str, ...]] = set()  # the names as the registry writes them
        self._built = False

    def _build(self) -> None:
        self._built = True
        for entry in self._registry.entries:
            for name in {entry.name, *entry.aliases}:
                words = WORD.findall(name)
                if not words or " ".join(words) != " ".join(name.split()):
                    continue  # not a Cyrillic name throughout
                self._spellings.add(folded_words(words))
                forms = tuple(self._morphology.lemmas(word) for word in words)
                for lemma in forms[0]:
                    self._by_first.setdefault(lemma, []).append((entry, forms))

    def find(self, text: str, *, places: bool) -> list[InflectedMention]:
        """Each mention of a declined name: its entry and its words as written, folded. Every one
        counts, not only an entry's first: each form is a registry name, never a suggestion.
        With ``places``, a name counts only where it says where something is (``_placed``)."""
        if not self._built:
            self._build()
        if not self._by_first:
            return []
        words = list(WORD.finditer(text))
        found: list[InflectedMention] = []
        for index, word in enumerate(words):
            if not word.group()[0].isupper():
                continue
            candidates = {id(c): c for lemma in self._morphology.lemmas(word.group()) for c in self._by_first.get(lemma, ())}
            for entry, forms in sorted(candidates.values(), key=lambda c: -len(c[1])):
                if not self._matches(words, index, forms):
                    continue
                written = folded_words(w.group() for w in words[index : index + len(forms)])
                if written in self._spellings:
                    continue  # written as the registry writes it: a mention only where `check` finds one
                if places and not self._placed(text, words, index, forms[0]):
                    continue
                found.append(InflectedMention(entry, written, word.start(), words[index + len(forms) - 1].end()))
        return found

    def _matches(self, words: list[re.Match], index: int, forms: tuple[frozenset[str], ...]) -> bool:
        if index + len(forms) > len(words):
            return False
        for offset, lemmas in enumerate(forms):
            word = words[index + offset]
            if offset and (not word.group()[0].isupper() or not _adjacent(words[index + offset - 1], word)):
                return False
            if not lemmas & self._morphology.lemmas(word.group()):
                return False
        return True

    def _placed(self, text: str, words: list[re.Match], index: int, lemmas: frozenset[str]) -> bool:
        if index and words[index - 1].group().lower() in CYRILLIC_PLACE_WORDS and _adjacent(words[index - 1], words[index]):
            return True
        return any(r.case in PLACE_CASES and r.lemma in lemmas for r in self._morphology.readings(words[index].group()))


def _adjacent(first: re.Match, second: re.Match) -> bool:
    """Whether only white space separates two words (no punctuation, no line end)."""
    between = second.string[first.end() : second.start()]
    return between.strip() == "" and "\n" not in between


def folded_words(words) -> tuple[str, ...]:
    """Words as names are compared: lowercase, "ё" as "е"."""
    return tuple(w.lower().replace("ё", "е") for w in words)
