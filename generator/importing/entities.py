"""Cities and people named in an imported update, and the other names worth a registry entry.

Recognition goes through the registries only, so nothing is invented: a name or
alias found as ``briefings check`` finds a mention (``mentions.MentionFinder``,
a city only where the text places something in or near it), and in Ukrainian and
Russian text also in its inflected forms (``morphology``). Every mention ``check``
would report as unlisted is therefore listed. Other proper names are collected
as suggestions for the registries, never written to an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..mentions import MentionFinder
from ..names import name_key
from ..registry import Registry, RegistryEntry
from .morphology import CYRILLIC, PLACE_CASES, WORD, Morphology

# Words before a Ukrainian or Russian city's name that place something in, near, from or to it.
_PLACE_PREPOSITIONS = frozenset(
    "у в во біля під над до з із зі від поблизу навколо через за на по коло поруч перед між "
    "под к ко с со при около возле близ из от между".split()
)


@dataclass(frozen=True)
class Recognized:
    """The registry names an update mentions (canonical, in order of first mention), and the words
    that name them as the text writes them, folded: any declined form ("києві", "віталієм кличком")."""

    cities: tuple[str, ...]
    people: tuple[str, ...]
    written: frozenset[tuple[str, ...]] = frozenset()


class EntityRecognizer:
    """Finds the registries' cities and people in titles and bodies; build it once per run."""

    def __init__(self, registries: dict[str, Registry], morphology: Morphology | None = None) -> None:
        self._finders = {kind: MentionFinder(registry) for kind, registry in registries.items()}
        self._morphology = morphology
        self._inflected = {kind: _InflectedNames(registry, morphology) for kind, registry in registries.items()} if morphology else {}

    def recognize(self, title: str, body: str) -> Recognized:
        written: set[tuple[str, ...]] = set()
        found = {kind: self._found(kind, title, body, written) for kind in ("city", "person")}
        return Recognized(tuple(found["city"]), tuple(found["person"]), frozenset(written))

    def _found(self, kind: str, title: str, body: str, written: set[tuple[str, ...]]) -> list[str]:
        """The names of ``kind`` the text mentions; the words naming them are added to ``written``."""
        finder = self._finders.get(kind)
        if finder is None:
            return []
        names: dict[str, None] = {}
        for text in (title, body):
            for mention in finder.mentions(text, 1):
                names[mention.entry.name] = None
                written.add(folded_words(mention.written.split()))
            inflected = self._inflected.get(kind)
            if inflected is not None and CYRILLIC.search(text):
                for entry, words in inflected.find(text, places=kind == "city"):
                    names[entry.name] = None
                    written.add(words)
        return list(names)


class _InflectedNames:
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

    def find(self, text: str, *, places: bool) -> list[tuple[RegistryEntry, tuple[str, ...]]]:
        """Each mention of a declined name: its entry and its words as written, folded. Every one
        counts, not only an entry's first: each form is a registry name, never a suggestion."""
        if not self._built:
            self._build()
        if not self._by_first:
            return []
        words = list(WORD.finditer(text))
        found: list[tuple[RegistryEntry, tuple[str, ...]]] = []
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
                found.append((entry, written))
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
        if index and words[index - 1].group().lower() in _PLACE_PREPOSITIONS and _adjacent(words[index - 1], words[index]):
            return True
        return any(r.case in PLACE_CASES and r.lemma in lemmas for r in self._morphology.readings(words[index].group()))


def _adjacent(first: re.Match, second: re.Match) -> bool:
    """Whether only white space separates two words (no punctuation, no line end)."""
    between = second.string[first.end() : second.start()]
    return between.strip() == "" and "\n" not in between


def folded_words(words) -> tuple[str, ...]:
    """Words as names are compared: lowercase, "ё" as "е"."""
    return tuple(w.lower().replace("ё", "е") for w in words)


def known_keys(registries: dict[str, Registry]) -> set[str]:
    """The keys of every registry name and alias."""
    return {name_key(n) for registry in registries.values() for e in registry.entries for n in (e.name, *e.aliases)}
