"""An update's body, title and names, as its entry will hold them.

The work of an import: HTML to Markdown, the headline made where there is none,
the registries' cities and people, and the names to suggest.
"""

from __future__ import annotations

import posixpath
import re
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
        if not markdown.strip():
            # An entry needs a body (`check` refuses an empty one), and an empty body
            # upstream is more often a feed cut short than an update with nothing to say:
            # written, it would also wipe out the body an earlier import wrote.
            return Converted(reason="its body holds no text" if update.title else "no headline and no text")
        title = update.title or first_sentence(self.converter.text(_first_paragraph(markdown)))
        found = self.recognizer.recognize(title, markdown)
        # Line by line: the title, then each paragraph, heading and list item of the body.
        names = tuple(self.collector.names(f"{title}\n{text}", found.written))
        return Converted(markdown, title, found.cities, found.people, names)


def _first_paragraph(markdown: str) -> str:
    return next((block for block in markdown.split("\n\n") if block.strip()), "")


def links_by_path(markdown: str, site_url: str, folder: str) -> str:
    """``markdown`` with each link to an update of this archive's own site (an anchor on a
    day page under ``site_url``) written as a link to its entry's file, relative to
    ``folder``, as contributors write them: importing a built site gives its links back."""
    own = re.compile(rf"\]\({re.escape(site_url)}(\d{{4}}/\d{{2}}/\d{{2}})/#([A-Za-z0-9][\w-]*)\)")

    def by_path(match: re.Match[str]) -> str:
        return f"]({posixpath.relpath(f'{match[1]}/{match[2]}.md', folder.rstrip('/'))})"

    return own.sub(by_path, markdown)
