"""Known cities and people named in an entry's body.

A name counts only as a whole word, written as the registry spells it (case
included): "Sumy" inside another word or "paris" in a URL is no mention.

A city counts only where the text places something in or near it ("in Kyiv",
"north of Kyiv", "over central Kyiv"). Capitals are named for their
governments ("Moscow said", "sanctions against Moscow", "the government in
Kyiv", "officials in Moscow said"), which is no reason to list the city, and
"Kyiv region" names the region around it. A writer silences one mention with
an HTML comment right after the name (``Kyiv<!-- in passing -->``), which
neither the preview nor the site shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import NameMatcher
from .registry import Registry, RegistryEntry

# Link targets and bare URLs are addresses, not prose.
_ADDRESSES = re.compile(r"\]\([^)]*\)|<?https?://[^\s>)]+>?")
_REGION_WORDS = re.compile(r"\s+(?:region|Region|Oblast|oblast)\b")
# Who speaks for a capital: "the government in Kyiv", "officials of Moscow".
_GOVERNMENT = re.compile(
    r"\b(?:government|authorities|officials|leadership|leaders|regime|administration|rulers|ministry|ministries"
    r"|cabinet|parliament|diplomats|negotiators|delegation)\s+(?:in|of)\s+$",
    re.IGNORECASE,
)
# The capital says or does what its government does: "... in Kyiv said", "Moscow has denied".
_SPEAKS = re.compile(
    r"\s+(?:(?:has|had|have|also|later|then|again|quickly|officially)\s+)?(?:said|says|say|announced|announces"
    r"|claimed|claims|denied|denies|insisted|insists|warned|warns|accused|accuses|rejected|rejects|confirmed"
    r"|confirms|demanded|demands|responded|responds|stated|states|told|tells|urged|urges|called|calls|refused|refuses)\b"
)
# An HTML comment right after the name: the writer's way to say it is named in passing.
SILENCED = re.compile(r"(?:['’]s)?\s*<!--")  # after a possessive too
# Ukrainian and Russian words before a city's name that place something in, near, from or to it.
CYRILLIC_PLACE_WORDS = frozenset(
    "у в во біля під над до з із зі від поблизу навколо через за на по коло поруч перед між "
    "под к ко с со при около возле близ из от между".split()
)
# A place word just before the name, optionally with one lowercase word between ("in central"),
# and the name may open a link or emphasis ("in [Kherson](…)", "in **Kherson**").
_PLACED = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Nn]ear|[Oo]utside|[Aa]round|[Oo]ver|[Aa]cross|[Ii]nto|[Ii]nside|[Tt]hrough"
    r"|[Tt]owards?|[Oo]f|[Bb]eyond|[Ww]ithin"
    rf"|(?i:{'|'.join(sorted(CYRILLIC_PLACE_WORDS, key=len, reverse=True))}))\s+(?:[a-z][\w-]*\s+)?[\[*_]{{0,3}}$"
)


@dataclass(frozen=True)
class Mention:
    """The first body line naming a registry entry."""

    line: int
    entry: RegistryEntry
    written: str  # the spelling found in the body


class MentionFinder:
    """Finds one registry's names in bodies; build it once per run, the pattern is large."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._names = NameMatcher(name for entry in registry.entries for name in (entry.name, *entry.aliases))

    def mentions(self, body: str, first_line: int) -> list[Mention]:
        """Every registry entry the body names, once each, at its first line, in body order."""
        if not self._names.names:
            return []
        found: dict[str, Mention] = {}
        for number, line in enumerate(body.split("\n"), start=first_line):
            prose = _ADDRESSES.sub(" ", line)
            for match in self._names.finditer(prose):
                if SILENCED.match(prose, match.end()):
                    continue
                if self.registry.kind == "city" and not _names_a_place(prose, match):
                    continue
                entry = self.registry.resolve(match.group())
                if entry is not None and entry.name not in found:
                    found[entry.name] = Mention(number, entry, match.group())
        return list(found.values())

    def unlisted(self, listed: list[str], body: str, first_line: int) -> list[Mention]:
        """Mentions of entries that the front matter's list does not name by any of their names."""
        named = {entry.name for name in listed if (entry := self.registry.resolve(name)) is not None}
        return [m for m in self.mentions(body, first_line) if m.entry.name not in named]


def _names_a_place(prose: str, match: re.Match[str]) -> bool:
    if not _PLACED.search(prose, 0, match.start()) or _REGION_WORDS.match(prose, match.end()):
        return False
    return not (_GOVERNMENT.search(prose, 0, match.start()) or _SPEAKS.match(prose, match.end()))
