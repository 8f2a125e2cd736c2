"""What the sanitizer will remove from a body, found before it does, with lines.

The sanitizer (``markup.sanitize``) is the guarantee; this audit is the
explanation a contributor reads in ``check``: raw HTML tags, attributes and link
schemes outside the allowlist, each named at its line. Code blocks and code
spans are blanked first, since what they hold is shown as text, never run, and
only what the Markdown renderer takes for a tag is read as one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

# A fenced code block: closed by a fence of its character at least as long, indented up to three spaces.
_FENCE = re.compile(r"^( {0,3})((`)\3{2,}|(~)\4{2,}).*?^ {0,3}\2(?:\3|\4)*[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_MARKDOWN_URL = re.compile(r"\]\(\s*<?([^)\s>]+)")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
# Raw HTML as CommonMark (and so cmark-gfm, the renderer) reads it: a '<' that starts no
# such tag is text on the page, as are autolinks (<https://...>, <press@example.org>) and
# link destinations in angle brackets, which the scanner, a browser's parser, took for tags.
_TAG_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_RAW_TAG = re.compile(rf"(?<!\\)<(?:{_TAG_NAME}(?:{_ATTRIBUTE})*\s*/?|/{_TAG_NAME}\s*)>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ANGLE_DESTINATION = re.compile(r"(?<=\]\()(\s*)<[^<>\n]*>")
# A link's or picture's title, inline ([a](url "title")) or in a reference ([r]: url "title"):
# an attribute's text on the page, never a tag.
_TITLE = r"""(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\))"""
_LINK_TITLE = re.compile(
    rf"(?<=\]\()\s*(?:<[^<>\n]*>|[^\s()<>]+)\s+({_TITLE})\s*(?=\))|^ {{0,3}}\[[^\]\n]+\]:\s*\S+\s+({_TITLE})\s*$", re.M
)
_URL_ATTRIBUTES = {"href", "src", "cite"}
# Elements whose content the sanitizer drops along with the tags.
_CONTENT_DROPPED = {"script", "style", "iframe", "object", "noscript", "template", "textarea", "select"}


def audit(body: str) -> list[tuple[int, str]]:
    """(line within ``body``, 1-based; message) for everything the sanitizer removes."""
    text = _blank(body)
    findings: list[tuple[int, str]] = []
    if "<" in text:
        scanner = _Scanner()
        scanner.feed(_tags_only(text))
        scanner.close()
        findings.extend(scanner.findings)
    for match in _MARKDOWN_URL.finditer(text):
        problem = _url_problem(match.group(1))
        if problem:
            findings.append((text.count("\n", 0, match.start()) + 1, problem))
    return sorted(set(findings))


def _blank(body: str) -> str:
    """``body`` with code blocks and spans replaced by spaces, lines kept in place."""
    if "`" not in body and "~~~" not in body:
        return body  # no fence and no code span: most bodies, spared two scans
    keep_lines = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    return _CODE_SPAN.sub(keep_lines, _FENCE.sub(keep_lines, body))


def _tags_only(text: str) -> str:
    """``text`` with everything but its raw HTML tags blanked, lines kept in place."""
    text = _LINK_TITLE.sub(_titles_blanked, text) if "](" in text or "]:" in text else text
    text = _COMMENT.sub(_blanked, _ANGLE_DESTINATION.sub(_blanked, text))
    pieces, end = [], 0
    for tag in _RAW_TAG.finditer(text):
        pieces += [_BLANKS.sub(" ", text[end : tag.start()]), tag.group()]
        end = tag.end()
    pieces.append(_BLANKS.sub(" ", text[end:]))
    return "".join(pieces)


_BLANKS = re.compile(r"[^\n]")


def _blanked(match: re.Match[str]) -> str:
    return _BLANKS.sub(" ", match.group())


def _titles_blanked(match: re.Match[str]) -> str:
    """The link with its title blanked, its destination kept for the check of its scheme."""
    title, end = match.span(1 if match.group(1) is not None else 2)
    text, start = match.group(), match.start()
    return text[: title - start] + " " * (end - title) + text[end - start :]


def _url_problem(url: str) -> str | None:
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", url))
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return f"link with the scheme '{scheme.group(1)}:' will be removed: only http, https and mailto links are allowed"
    return None


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag not in ALLOWED_TAGS:
            dropped = " with its content" if tag in _CONTENT_DROPPED else ""
            self.findings.append((line, f"HTML <{tag}> is not allowed and will be removed{dropped}"))
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.findings.append((line, f"attribute '{name}' on <{tag}> is not allowed and will be removed"))
            elif name in _URL_ATTRIBUTES and value and (problem := _url_problem(value)):
                self.findings.append((line, problem))

    handle_startendtag = handle_starttag
