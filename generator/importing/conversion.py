"""An update's body, title and names, as its entry will hold them.

The work of an import: HTML to Markdown, the headline made where there is none,
the registries' cities and people, and the names to suggest. It is shared among
forked workers on large imports (``parallel.fork_map``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..parallel import WORTH_FORKING, batches, fork_map
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
        markdown = self.converter.markdown(update.body_html, update.base_url)
        text = self.converter.text(markdown) if markdown else ""
        title = update.title or first_sentence(self.converter.text(_first_paragraph(markdown)))
        if not title:
            return Converted(reason="no headline and no text")
        found = self.recognizer.recognize(title, markdown)
        names = tuple(self.collector.names(f"{title}.\n{text}"))
        return Converted(markdown, title, found.cities, found.people, names)

    def convert_all(self, updates: list[ImportedUpdate]) -> list[Converted]:
        work = lambda batch: [self.convert(update) for update in batch]  # noqa: E731
        done = fork_map(work, batches(updates, 100), parallel=len(updates) >= WORTH_FORKING)
        return [converted for batch in done for converted in batch]


def _first_paragraph(markdown: str) -> str:
    return next((block for block in markdown.split("\n\n") if block.strip()), "")
