"""An update's body, title and names, as its entry will hold them.

The work of an import: HTML to Markdown, the headline made where there is none,
the registries' cities and people, and the names to suggest.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entities import EntityRecognizer
from .html_body import BodyConverter, first_sentence
from .suggestions import NameCollector
from .update import ImportedUpdate


@dataclass(frozen=True)
class Converted:
    """An update made ready for its entry; ``reason`` says why it cannot be one."""

    markdown: str = ""
    title: str = ""
    cities: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    names: tuple[tuple[str, bool], ...] = ()  # other proper names, for the suggestions
    reason: str = ""


class Conversion:
    def __init__(self, recognizer: EntityRecognizer, collector: NameCollector) -> None:
        self.converter = BodyConverter()
        self.recognizer = recognizer
        self.collector = collector

    def convert(self, update: ImportedUpdate) -> Converted:
        markdown, text = self.converter.convert(update.body_html, update.base_url)
        title = update.title or first_sentence(self.converter.text(_first_paragraph(markdown)))
        if not title:
            return Converted(reason="no headline and no text")
        found = self.recognizer.recognize(title, markdown)
        names = tuple(self.collector.names(f"{title}.\n{text}"))
        return Converted(markdown, title, found.cities, found.people, names)


def _first_paragraph(markdown: str) -> str:
    return next((block for block in markdown.split("\n\n") if block.strip()), "")
