"""Names of cities and people: the key that makes variants one entity, and URL slugs."""

from __future__ import annotations

import unicodedata

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


def slug_for(text: str) -> str:
    """Lowercase ASCII slug: scripts transliterated, accents folded, other runs a hyphen."""
    return slugify(text, lowercase=True, max_length=80, word_boundary=True)
