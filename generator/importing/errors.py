"""What goes wrong while importing, as typed errors with their place."""

from __future__ import annotations

import json

from ..problems import BriefingsError


def json_mistake(exc: json.JSONDecodeError) -> tuple[str, bool]:
    """What the JSON parser says, without its position, and whether the text ends before the value does.

    Python's message for a string never closed ends in "starting at" and its position is
    where the string starts: that string runs to the end of the text.
    """
    message = exc.msg.removesuffix(" at")
    ended = exc.msg.startswith("Unterminated string") or exc.pos >= len(exc.doc.rstrip())
    return message, ended


class SourceError(BriefingsError):
    """A source, or a file in it, cannot be read as a live blog.

    ``place`` says where: a file (with ``:line`` when known), a URL, or a file and a
    JSON path (``guardian.json: response.content.blocks``). The other sources of the
    run are imported all the same.
    """

    def __init__(self, place: str, message: str) -> None:
        super().__init__(f"{place}: {message}")
        self.place = place
        self.message = message

    def __reduce__(self) -> tuple:
        # Made in a forked worker (reading a folder's files) and sent back pickled.
        return (self.__class__, (self.place, self.message))


class FetchError(SourceError):
    """A URL could not be fetched (after the retries, where a retry could help)."""


class ImportSetupError(BriefingsError):
    """The import cannot start: bad usage, such as an unknown format."""


# Why a source that ends early is not read at all: its last update is cut short with it,
# and would replace an entry's whole text with a part of it.
CUT_SHORT = (
    "it looks cut short (a download or save that stopped early); nothing is imported from it, "
    "so that no entry loses text: fetch or save it again whole"
)
