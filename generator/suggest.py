"""Did-you-mean: the known name closest to a misspelled one.

Matching is rapidfuzz's normalized similarity on name keys, so case and
spacing never count as differences; a suggestion is only offered when the
two spellings are close enough that a typo is the likely reason.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from rapidfuzz import fuzz, process

from .names import name_key

# 75 accepts one swapped or wrong letter in a four-letter name ("Kiyv" -> "Kyiv")
# and refuses unrelated short names that merely share a few letters ("Lviv").
MIN_SIMILARITY = 75


def closest(name: str, candidates: Mapping[str, str]) -> str | None:
    """The suggestion for ``name``, or None.

    ``candidates`` maps each spelling that may be matched (a registry name or
    alias, or a name used in the archive) to the name to suggest for it, so an
    alias can lead to its canonical name.
    """
    key = name_key(name)
    choices = {spelling: name_key(spelling) for spelling in sorted(candidates) if name_key(spelling) != key}
    if not choices:
        return None
    found = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
    return None if found is None else candidates[found[2]]


def candidates_from(registry_names: Iterable[tuple[str, str]], used_names: Iterable[str]) -> dict[str, str]:
    """Spelling -> suggestion: registry spellings point at their canonical name.

    A spelling the registry knows wins over the same spelling used in the archive.
    """
    result = {spelling: spelling for spelling in used_names}
    result.update(dict(registry_names))
    return result
