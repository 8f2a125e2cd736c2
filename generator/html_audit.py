"""What the sanitizer will remove from a body, found before it does, with lines.

The sanitizer (``markup.sanitize``) is the guarantee; this audit is the
explanation a contributor reads in ``check``: raw HTML tags, attributes and link
schemes outside the allowlist, each named at its line. What is raw HTML, a link
or code is the renderer's own reading (``markdown_tree``): code blocks (fenced or
indented), code spans, autolinks and links' titles are text on the page, and only
what cmark-gfm passes on as HTML is read as tags, by Python's HTML parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .markdown_tree import Locator, Node, nodes
from .markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, GENERIC_ATTRIBUTES, URL_SCHEMES

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_ATTRIBUTES = {"href", "src", "cite"}
# Elements whose content the sanitizer drops along with the tags.
_CONTENT_DROPPED = {"script", "style", "iframe", "object", "noscript", "template", "textarea", "select"}
_AUDITED_INLINES = frozenset({"html_inline", "link", "image"})
# What a body needs to hold any raw HTML or link: most hold neither, and are not parsed.
_MAY_HOLD_HTML_OR_LINKS = re.compile(r"<|\]\(|\]:")


def audit(body: str) -> list[tuple[int, str]]:
    """(line within ``body``, 1-based; message) for everything the sanitizer removes."""
    if not _MAY_HOLD_HTML_OR_LINKS.search(body):
        return []
    findings: list[tuple[int, str]] = []
    locator = Locator(body)
    for node in nodes(body, _AUDITED_INLINES):
        if node.kind in ("html_block", "html_inline"):
            findings += _html_findings(node, locator)
        elif node.url is not None and (problem := _url_problem(node.url, picture=node.kind == "image")):
            findings.append((locator.line_of(node, _scheme_as_written(node.url)), problem))
        elif node.inline is False:
            locator.line_of(node)  # a block: where its inlines are looked for
    return sorted(set(findings))


_COMMENT_NODES = frozenset({"text", "html_inline"})


@dataclass(frozen=True)
class OpenComment:
    """An HTML comment (or another of HTML's blocks that end at a marker: a processing
    instruction, CDATA, a declaration) opened and never closed, at ``line`` of the body (1-based).

    One that starts a block ``hides`` the rest of the update (the renderer reads it to
    the end); a comment within a paragraph is shown to readers as text.
    """

    line: int
    hides: bool
    opening: str = "<!--"
    closing: str = "-->"

    @property
    def message(self) -> str:
        what = "comment" if self.opening == "<!--" else "HTML block"
        if self.hides:
            return (f"this {what} ({self.opening}) is never closed with {self.closing}: everything after it, to the end "
                    f"of the update, is hidden from readers; close it with {self.closing}"
                    + (" where the note ends" if what == "comment" else ", or delete it"))  # fmt: skip
        return f"this {what} ({self.opening}) is never closed with {self.closing}, so readers see it as text; close it with {self.closing} where the note ends"


# HTML's blocks that run to their end marker, or to the end of the update without it (CommonMark's
# kinds 2 to 5): a comment, a processing instruction, CDATA (pasted with a feed's text), a declaration.
_MARKED_BLOCKS = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))


def open_comments(body: str) -> list[OpenComment]:
    """The HTML comments (and blocks like them) of ``body`` opened and never closed. In code they are text, as written."""
    if "<!" not in body and "<?" not in body:
        return []
    found: list[OpenComment] = []
    locator = Locator(body)
    for node in nodes(body, _COMMENT_NODES):
        literal = node.literal or ""
        opened = literal.rfind("<!--")
        if node.kind == "html_block" and opened >= 0 and "-->" not in literal[opened:]:
            found.append(OpenComment(node.line + literal.count("\n", 0, opened), hides=True))
        elif node.kind == "html_block" and (marked := _unended(literal)) is not None:
            found.append(OpenComment(node.line, hides=True, opening=marked[0], closing=marked[1]))
        elif node.kind == "text" and opened >= 0:
            at = body.find("<!--", locator.cursor)
            escaped = at > 0 and body[at - 1] == "\\"  # \<!-- writes the characters on purpose
            line = locator.line_of(node, "<!--")
            if not escaped:
                found.append(OpenComment(line, hides=False))
        elif not node.inline:
            locator.line_of(node)
    return found


def _unended(literal: str) -> tuple[str, str] | None:
    """The opening and end marker of a block of ``literal`` that starts with one and lacks its end."""
    start = literal.lstrip(" ")
    for opening, closing in _MARKED_BLOCKS[1:]:
        if start.startswith(opening) and (opening != "<!" or start[2:3].isalpha()):
            return None if closing in start[len(opening):] else (opening, closing)
    return None


def _html_findings(node: Node, locator: Locator) -> list[tuple[int, str]]:
    """What the sanitizer removes from one piece of raw HTML, at the lines of the body."""
    literal = node.literal or ""
    first = locator.line_of(node, literal.split("\n", 1)[0])
    scanner = _Scanner()
    scanner.feed(literal)
    scanner.close()
    return [(first + line - 1, message) for line, message in scanner.findings]


def _scheme_as_written(url: str) -> str:
    scheme = _SCHEME.match(url)
    return scheme.group(1) + ":" if scheme else url


def _url_problem(url: str, picture: bool = False) -> str | None:
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", url))
    if not scheme or scheme.group(1).lower() in URL_SCHEMES:
        return None
    if len(scheme.group(1)) == 1 or scheme.group(1).lower() == "file":  # C:\Users\..., file:///...
        name = re.split(r"[/\\]", url.rstrip("/\\"))[-1]
        if picture:
            return (f"the picture '{url}' is on your computer, where readers cannot see it: add {name} beside the "
                    f"entry and write ![what it shows]({name})")  # fmt: skip
        return f"the link '{url}' leads to a file on your computer, where readers cannot follow it: link a full https:// address"
    return f"link with the scheme '{scheme.group(1)}:' will be removed: only http, https and mailto links are allowed"


# What the embed codes of social networks and video sites are made of (with a script they load).
_EMBEDS = frozenset({"iframe", "embed", "object", "video", "audio"})


def _removed_tag(tag: str, written: str) -> str:
    """What happens to a tag outside the allowlist, and the two ways out: a stray tag pasted
    with text goes; words in angle brackets ("<Kyiv>"), which HTML takes for a tag, stay as text."""
    dropped = " with its content" if tag in _CONTENT_DROPPED else ""
    if tag in _EMBEDS or tag == "script" and "src=" in written.lower():  # an embed code, pasted as a platform gives it
        return (f"HTML <{tag}> is not allowed and will be removed{dropped}: the site shows no embedded posts or players; "
                "link the post or the video instead, as [the post](https://...), and quote its words if they matter")  # fmt: skip
    name = written[1 : 1 + len(tag)]  # as written: "Kyiv", where the parser says "kyiv"
    return f"HTML <{tag}> is not allowed and will be removed{dropped}: delete it, or write \\<{name} for <{name} to show it as text"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag not in ALLOWED_TAGS:
            self.findings.append((line, _removed_tag(tag, self.get_starttag_text() or f"<{tag}")))
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | GENERIC_ATTRIBUTES
        for name, value in attrs:
            if name not in allowed:
                self.findings.append((line, f"attribute '{name}' on <{tag}> is not allowed and will be removed"))
            elif name in _URL_ATTRIBUTES and value and (problem := _url_problem(value, picture=tag == "img" and name == "src")):
                self.findings.append((line, problem))

    handle_startendtag = handle_starttag
