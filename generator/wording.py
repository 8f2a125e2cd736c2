"""How the generator's own sentences count things: "1 update", "2 updates", "1 city".

The site counts in its language, with that language's plural rules (``i18n.Words``):
Ukrainian says 1 оновлення, 2 оновлення, 5 оновлень, 21 оновлення. The command line
speaks English to contributors' tooling, and counts in English.
"""

from __future__ import annotations

from typing import Callable

from .i18n import Words

# The nouns whose plural is not the singular and an "s".
IRREGULAR = {"city": "cities", "person": "people", "entry": "entries"}

# What the site counts, each a plural message of the catalogue (one line each, so that
# the catalogue's extraction finds the singular and the plural together).
SITE_NOUNS: dict[str, Callable[[Words, int], str]] = {
    "update": lambda words, n: words.ngettext("%(num)d update", "%(num)d updates", n),
    "day": lambda words, n: words.ngettext("%(num)d day", "%(num)d days", n),
    "city": lambda words, n: words.ngettext("%(num)d city", "%(num)d cities", n),
    "person": lambda words, n: words.ngettext("%(num)d person", "%(num)d people", n),
}


def counted(count: int, noun: str, words: Words | None = None) -> str:
    """``count`` and ``noun`` agreeing: '1 city', '12 cities', '0 errors', '3 people'.

    With ``words``, in the site's language (``noun`` one of ``SITE_NOUNS``); without, in English.
    """
    if words is not None:
        return SITE_NOUNS[noun](words, count)
    return f"{count} {noun if count == 1 else IRREGULAR.get(noun, noun + 's')}"
