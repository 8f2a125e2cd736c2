"""Cities and people named in an imported update, and the other names worth a registry entry.

Recognition goes through the registries only, so nothing is invented: a name or
alias found as ``briefings check`` finds a mention (``mentions.MentionFinder``,
a city only where the text places something in or near it), and in Ukrainian and
Russian text also in its inflected forms (``morphology``). Every mention ``check``
would report as unlisted is therefore listed. Other proper names are collected
as suggestions for the registries, never written to an entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inflected_names import InflectedNames, folded_words
from ..mentions import MentionFinder
from ..morphology import CYRILLIC, Morphology
from ..names import name_key
from ..registry import Registry


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
        self._inflected = {kind: InflectedNames(registry, morphology) for kind, registry in registries.items()} if morphology else {}

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
                for mention in inflected.find(text, places=kind == "city"):
                    names[mention.entry.name] = None
                    written.add(mention.written)
        return list(names)


def known_keys(registries: dict[str, Registry]) -> set[str]:
    """The keys of every registry name and alias."""
    return {name_key(n) for registry in registries.values() for e in registry.entries for n in (e.name, *e.aliases)}
