"""Registry aliases that look like typos: an alias makes its spelling valid everywhere.

An alias one letter away from another spelling is either another transliteration
("Kharkov" of Харьков beside "Kharkiv" of Харків) or a typo that every entry may
now repeat unwarned ("Mariupil"). What tells them apart is the entity's names in
Cyrillic: a real transliteration spells one of them, letter by letter, in one of
the usual systems. An alias with letters outside ASCII (Genève, Orbán) is a
spelling of its own language and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterator

from rapidfuzz.distance import DamerauLevenshtein

from . import yamlsafe
from .problems import ProblemLog
from .registry import KINDS, REGISTRY_FILES, Registry

# Each Cyrillic letter (Ukrainian and Russian) with the Latin spellings the usual
# transliterations give it; '' where one of them leaves it out.
_LETTERS = {
    "а": "a", "б": "b", "в": "v|w", "г": "h|g|gh|kh", "ґ": "g", "д": "d", "е": "e|ye|ie|je", "є": "ye|ie|je|e",
    "ж": "zh|z|j|g", "з": "z", "и": "y|i", "і": "i", "ї": "yi|i|ji|yyi", "й": "y|i|j|", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh|h|ch|x",
    "ц": "ts|c|tz|z", "ч": "ch|tch|tsch|c", "ш": "sh|sch|ch", "щ": "shch|sch|sc|shh", "ь": "'|", "ъ": "'|",
    "ю": "yu|iu|ju|u", "я": "ya|ia|ja|a", "ё": "yo|e|io|jo", "э": "e", "ы": "y|i", "'": "'|", "’": "'|",
}  # fmt: skip
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SEPARATORS = re.compile(r"[\s\-]+")


def _ascii_key(name: str) -> str:
    return " ".join(_SEPARATORS.split(re.sub(r"['’.,]", "", name.casefold()))).strip()


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = ["".join(f"(?:{_LETTERS[c]})" if c in _LETTERS else re.escape(c) for c in word) for word in words]
    return re.compile(" ".join(parts))


def transliterates(alias: str, cyrillic: str) -> bool:
    """Whether ``alias`` spells ``cyrillic``, or a run of its words, in a usual transliteration."""
    wanted = " ".join(_SEPARATORS.split(alias.casefold().replace("’", "'"))).strip()
    words = tuple(word for word in _SEPARATORS.split(cyrillic.casefold()) if word)
    return any(
        _pattern(words[start:end]).fullmatch(wanted) for start in range(len(words)) for end in range(start + 1, len(words) + 1)
    )


@dataclass(frozen=True)
class SuspiciousAlias:
    """An alias like a typo: where it is in the registry, and the spelling it is one letter from."""

    entry_index: int
    alias_index: int
    alias: str
    like: str


def suspicious_aliases(registry: Registry) -> Iterator[SuspiciousAlias]:
    """Each alias one letter from another spelling that transliterates none of its entity's Cyrillic names."""
    spellings = [(entry, spelling) for entry in registry.entries for spelling in (entry.name, *entry.aliases)]
    for index, entry in enumerate(registry.entries):
        cyrillic = [s for s in (entry.name, *entry.aliases) if _CYRILLIC.search(s)]
        if not cyrillic:
            continue  # nothing to tell a transliteration from a typo by
        for alias_index, alias in enumerate(entry.aliases):
            if not alias.isascii() or any(transliterates(alias, c) for c in cyrillic):
                continue
            key = _ascii_key(alias)
            for _, other in spellings:
                other_key = _ascii_key(other)
                if other != alias and other_key != key and DamerauLevenshtein.distance(key, other_key) == 1:
                    yield SuspiciousAlias(index, alias_index, alias, other)
                    break


def audit_registries(registries: dict[str, Registry], config_dir: Path, log: ProblemLog) -> None:
    """Warn about each alias that looks like a misspelling, at its line."""
    for kind in KINDS:
        path = config_dir / REGISTRY_FILES[kind]
        found = list(suspicious_aliases(registries[kind]))
        if not found:
            continue
        try:
            document = yamlsafe.load(path.read_text("utf-8-sig"))
        except (OSError, UnicodeDecodeError, yamlsafe.YamlError):
            continue  # reported where the registry is read
        for found_alias in found:
            index, alias_index, alias, other = found_alias.entry_index, found_alias.alias_index, found_alias.alias, found_alias.like
            entry = registries[kind].entries[index]
            cyrillic = [s for s in (entry.name, *entry.aliases) if _CYRILLIC.search(s)]
            spells = f"it spells none of {', '.join(cyrillic)}"
            log.warning(
                str(path),
                document.line_of((index, "aliases", alias_index)),
                f"alias '{alias}' of '{entry.name}' looks like a misspelling of '{other}' ({spells}): an alias makes "
                "its spelling pass the check in every entry, so keep only real spellings",
            )
