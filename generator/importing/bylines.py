"""Bylines: whom a source credits with an update, and the entry's ``author`` made of it.

Every format names an update's writers its own way (a JSON-LD ``Person``, a Guardian
contributor tag, an RSS ``<author>`` that is an e-mail address with the name in
brackets); each reader gives the names it found to ``credited``, which keeps those
of people, or an organization's where no person is named, each as plain text. The
entry's ``author`` is one text, as the day page shows it ("By …"): ``byline`` joins
the names as the archive's language writes a list ("Anna Smith and Ben Jones",
"A, B and C"; "A, B і C" in Ukrainian).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..i18n import ENGLISH, base_language
from .html_body import plain

# An e-mail address, bare, in angle brackets or as a mailto: link: never a byline.
_ADDRESS = re.compile(r"<?(?:mailto:)?[^\s<>()\[\],;@]+@[^\s<>()\[\],;@]+\.[^\s<>()\[\],;@]+>?", re.I)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")
_URL = re.compile(r"^(?:https?:)?//\S*$|^www\.\S*$", re.I)
_EDGES = " ,;:|/-–—"
_BY = re.compile(r"^(?:posted\s+)?by\s+", re.I)  # "By Anna Smith": the day page says "By" itself


def name_of(value: Any) -> str:
    """A name as the source writes it, as plain text: no markup, no e-mail address, white space single.

    RSS's ``<author>`` is an address with the name in brackets ("mail@example.org (Anna
    Smith)"): the name is kept. What is left of an address alone, or of a link, is no name.
    """
    if not isinstance(value, str):
        return ""
    text = _EMPTY_BRACKETS.sub(" ", _ADDRESS.sub(" ", value))
    text = plain(text).strip(_EDGES)
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip(_EDGES)
    text = _BY.sub("", text)
    return "" if _URL.match(text) else text


def credited(people: Iterable[Any], organizations: Iterable[Any] = ()) -> tuple[str, ...]:
    """The names an update is credited to: its people's, else its organizations' (a newsroom
    credits the agency or the desk only when no one is named), each once, in the source's order."""
    named = _distinct(name_of(person) for person in people)
    return named or _distinct(name_of(organization) for organization in organizations)


def byline(names: tuple[str, ...], language: str = "en") -> str:
    """The entry's ``author``: ``names`` joined as a list in ``language``; "" for none.

    English without a comma before the last name ("A, B and C"), as newsrooms write
    bylines; another language as its CLDR list pattern says (Babel's), English where
    Babel does not know the language.
    """
    if len(names) < 2:
        return names[0] if names else ""
    if base_language(language) != ENGLISH:
        joined = _cldr_list(names, language)
        if joined:
            return joined
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _cldr_list(names: tuple[str, ...], language: str) -> str:
    from babel import Locale, UnknownLocaleError
    from babel.lists import format_list

    try:
        return format_list(list(names), style="standard", locale=Locale.parse(language, sep="-"))
    except (UnknownLocaleError, ValueError):
        return ""


def _distinct(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        if name:
            seen.setdefault(name.casefold(), name)
    return tuple(seen.values())
