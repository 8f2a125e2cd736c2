"""The site's own words in the archive's language (the settings' ``language``).

Every label briefings writes itself ("Key events", "Updated", "3 updates", day titles)
is an English message in the code or a template, looked up in a gettext catalogue,
``locales/<language>.po``, read with Babel. Babel's CLDR data gives the dates, the
month and weekday names and the plural rules (Ukrainian has three forms for whole
numbers: 1 оновлення, 2 оновлення, 5 оновлень, 21 оновлення).

English is the language the messages are written in: it needs no catalogue, and
its dates are formatted by hand as they always were, so English pages keep their
bytes and a build that speaks English never reads a catalogue. A language without
a catalogue speaks English (``settings.load_settings`` warns once, naming the setting).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).parent / "locales"
TEMPLATE = LOCALES / "briefings.pot"  # every message, as the code and the templates hold them
ENGLISH = "en"
ENGLISH_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # Monday first (ISO 8601)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue where it is written, to be translated where it is shown."""
    return message


def base_language(language: str) -> str:
    """The language a regional tag belongs to: 'de' for 'de-AT', 'uk' for 'uk'."""
    return language.split("-")[0].lower()


def language_codes(language: str) -> tuple[str, ...]:
    """``language`` and then its base language, each once: the codes to look a resource up by."""
    return tuple(dict.fromkeys((language, base_language(language))))


def catalogue_for(language: str) -> Path | None:
    """The catalogue of ``language`` ('pt-BR': pt-BR.po, else pt.po); None for English or for a language without one."""
    for code in language_codes(language):
        if code == ENGLISH:
            return None
        path = LOCALES / f"{code}.po"
        if path.is_file():
            return path
    return None


def has_catalogue(language: str) -> bool:
    return base_language(language) == ENGLISH or catalogue_for(language) is not None


@dataclass(frozen=True, eq=False)
class Words:
    """One language's labels, dates and plural rules; made once a process (``words_for``)."""

    language: str  # the catalogue's ("en" for English and for a language without one)
    translations: gettext.NullTranslations
    locale: Any = None  # Babel's Locale; None for English, whose dates are written by hand
    _days: dict[date, str] = field(default_factory=dict, repr=False)  # day titles, by date

    @property
    def english(self) -> bool:
        return self.locale is None

    @property
    def direction(self) -> str:
        """The language's writing direction, as HTML's ``dir`` says it: "rtl" (Arabic) or "ltr"."""
        return "rtl" if self.locale is not None and self.locale.character_order == "right-to-left" else "ltr"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of the message for ``count``, its ``%(num)d`` filled in."""
        return self.translations.ngettext(singular, plural, count) % {"num": count}

    def day_title(self, day: date) -> str:
        """'3 March 2022', '3 березня 2022 р.': formatted once per date (a page names hundreds)."""
        title = self._days.get(day)
        if title is None:
            title = self._days[day] = _english_day(day) if self.locale is None else _babel_day(day, self.locale)
        return title

    def short_day(self, day: date) -> str:
        """'3 Mar 2022', '3 бер. 2022 р.': a day under a chart's axis."""
        if self.locale is None:
            return f"{day.day} {day:%b %Y}"
        from babel.dates import format_date

        return format_date(day, format="medium", locale=self.locale)

    def month_title(self, first: date) -> str:
        """'March 2022', 'березень 2022 р.': a month standing alone, as a heading."""
        if self.locale is None:
            return f"{first:%B %Y}"
        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", first, locale=self.locale)

    @property
    def weekdays(self) -> tuple[str, ...]:
        """The calendar's columns, Monday first."""
        if self.locale is None:
            return ENGLISH_WEEKDAYS
        names = self.locale.days["stand-alone"]["abbreviated"]
        return tuple(names[number] for number in range(7))

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """The message's form for each CLDR plural category of the language ('one', 'few',
        'many', 'other'), for a browser to choose with ``Intl.PluralRules``; '%(num)d' kept."""
        from babel import Locale

        rule = (self.locale or Locale.parse(ENGLISH)).plural_form
        forms = {}
        for category in sorted(rule.tags | {"other"}):
            sample = next((n for n in range(1000) if rule(n) == category), None)
            if sample is not None:
                forms[category] = self.translations.ngettext(singular, plural, sample)
        forms.setdefault("other", self.translations.ngettext(singular, plural, 5))  # fractions only, as in Ukrainian
        return forms


def _english_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _babel_day(day: date, locale: Any) -> str:
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale)


@cache
def words_for(language: str) -> Words:
    """The words of ``language``: its catalogue's, or English's if it has none."""
    path = catalogue_for(language)
    if path is None:
        return Words(ENGLISH, gettext.NullTranslations())
    from babel import Locale

    return Words(path.stem, read_catalogue(path), Locale.parse(path.stem, sep="-"))


def read_catalogue(path: Path) -> gettext.GNUTranslations:
    """A .po file as gettext translations, through Babel (no compiled .mo file to keep in step)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        catalogue = read_po(source, locale=path.stem.replace("-", "_"))
    compiled = BytesIO()
    write_mo(compiled, catalogue)  # fuzzy messages are left out: they show in English
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


# The words of a site that sets no language: the default of every function that takes words.
ENGLISH_WORDS = words_for(ENGLISH)
