"""The renderer's own reading of a body: cmark-gfm's parse tree, node by node, with lines.

cmarkgfm's Python API turns Markdown into HTML and no more, but the library it ships
is cmark-gfm itself, and exports cmark's node API (parse, walk, a node's type,
literal, URL and lines). Walking that tree asks the very parser that renders a body
what in it is raw HTML, a link or code, where patterns could only guess; the options
and extensions are the renderer's (``markup``), so the tree is the page's.

Lines: a block's lines are exact. An inline node's line is cmark-gfm's, which lags
after an inline construct that spans lines (a code span, a tag) and after reference
definitions; ``locate`` finds a node's own text from its block's first line on.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

from cmarkgfm import _cmark

from .markup import CMARK_OPTIONS, GFM_EXTENSIONS

_LIB = ctypes.CDLL(_cmark.__file__)  # already loaded by cmarkgfm: the same library, not a second copy
_P = ctypes.c_void_p
for _name, _result, _arguments in [
    ("cmark_gfm_core_extensions_ensure_registered", None, []),
    ("cmark_find_syntax_extension", _P, [ctypes.c_char_p]),
    ("cmark_parser_new", _P, [ctypes.c_int]),
    ("cmark_parser_attach_syntax_extension", ctypes.c_int, [_P, _P]),
    ("cmark_parser_feed", None, [_P, ctypes.c_char_p, ctypes.c_size_t]),
    ("cmark_parser_finish", _P, [_P]),
    ("cmark_parser_free", None, [_P]),
    ("cmark_node_free", None, [_P]),
    ("cmark_iter_new", _P, [_P]),
    ("cmark_iter_next", ctypes.c_int, [_P]),
    ("cmark_iter_get_node", _P, [_P]),
    ("cmark_iter_free", None, [_P]),
    ("cmark_node_get_type", ctypes.c_int, [_P]),
    ("cmark_node_get_type_string", ctypes.c_char_p, [_P]),
    ("cmark_node_get_literal", ctypes.c_char_p, [_P]),
    ("cmark_node_get_url", ctypes.c_char_p, [_P]),
    ("cmark_node_get_start_line", ctypes.c_int, [_P]),
]:
    _function = getattr(_LIB, _name)
    _function.restype, _function.argtypes = _result, _arguments
_LIB.cmark_gfm_core_extensions_ensure_registered()
_EXTENSIONS = [_LIB.cmark_find_syntax_extension(name.encode()) for name in GFM_EXTENSIONS]

_ENTER, _DONE = 2, 1  # cmark_event_type
_INLINE = 0x4000  # the bit cmark sets in the type of every inline node (CMARK_NODE_TYPE_INLINE)
_KINDS: dict[int, str] = {}  # cmark's name of each node type, asked once
_WITH_LITERAL = frozenset({"html_block", "html_inline", "code_block", "code", "text"})
_WITH_URL = frozenset({"link", "image"})


@dataclass(frozen=True)
class Node:
    """One node of the tree, in document order: a block, or an inline within the last block before it."""

    kind: str  # cmark's name: "paragraph", "html_block", "html_inline", "link", "image", "code", ...
    line: int  # its first line in the text, 1-based (cmark-gfm's: see the module's note on inlines)
    inline: bool
    literal: str | None = None  # raw HTML and code as written; None for the other kinds
    url: str | None = None  # a link's or picture's destination, as the page will have it


def nodes(text: str, inlines: frozenset[str]) -> Iterator[Node]:
    """Every block of ``text`` as the renderer parses it, and its inline nodes of the kinds
    ``inlines`` names (the others cost time and tell where nothing is), in document order."""
    data = text.encode("utf-8")
    parser = _LIB.cmark_parser_new(int(CMARK_OPTIONS))
    try:
        for extension in _EXTENSIONS:
            _LIB.cmark_parser_attach_syntax_extension(parser, extension)
        _LIB.cmark_parser_feed(parser, data, len(data))
        document = _LIB.cmark_parser_finish(parser)
    finally:
        _LIB.cmark_parser_free(parser)
    walker = _LIB.cmark_iter_new(document)
    try:
        yield from _walked(walker, inlines)
    finally:
        _LIB.cmark_iter_free(walker)
        _LIB.cmark_node_free(document)


def _walked(walker: int, inlines: frozenset[str]) -> Iterator[Node]:
    while (event := _LIB.cmark_iter_next(walker)) != _DONE:
        if event != _ENTER:
            continue
        node = _LIB.cmark_iter_get_node(walker)
        number = _LIB.cmark_node_get_type(node)
        kind = _KINDS.get(number) or _KINDS.setdefault(number, _LIB.cmark_node_get_type_string(node).decode())
        if number & _INLINE and kind not in inlines:
            continue
        literal = _text(_LIB.cmark_node_get_literal(node)) if kind in _WITH_LITERAL else None
        url = _text(_LIB.cmark_node_get_url(node)) if kind in _WITH_URL else None
        yield Node(kind, _LIB.cmark_node_get_start_line(node), bool(number & _INLINE), literal, url)


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8", "replace")


class Locator:
    """The lines of inline nodes, found from their blocks' exact lines by their text as written.

    Feed it every node in document order: a block moves the search to its first line;
    an inline node's text is looked for from there on (past the last one found, so
    the same tag twice gets each its own line). Text found nowhere keeps cmark's line.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]  # the offset of each line's first character
        while (end := text.find("\n", self.starts[-1])) >= 0:
            self.starts.append(end + 1)
        self.cursor = 0

    def line_of(self, node: Node, written: str = "") -> int:
        """``node``'s line; for an inline node, the line of ``written`` (its text as written), when found."""
        if not node.inline:
            self.cursor = self.starts[min(max(node.line, 1), len(self.starts)) - 1]
            return node.line
        found = self.text.find(written, self.cursor) if written else -1
        if found < 0:
            return node.line
        self.cursor = found + len(written)
        return bisect_right(self.starts, found)
