"""Entry bodies: Markdown to HTML, then an allowlist sanitizer.

Anyone can open a pull request, so the rendered HTML goes through nh3 (the
Ammonia sanitizer) with a small allowlist before it reaches a page or a feed.
The same allowlist, with a URL rewriter, makes feed HTML absolute.
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import urljoin

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
        "figcaption", "figure", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "img": {"src", "alt", "title", "width", "height"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

# Characters XML 1.0 forbids; a feed containing one is not XML at all.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C0/C1 controls other than tab and newline, and lone surrogates (which a YAML
# escape like "\\ud800" can make): invisible, unencodable, poison in feeds.
CONTROL_CHARS = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff]")


class MarkdownRenderer:
    """Renders entry bodies; one instance per process keeps Markdown's setup cost once."""

    def __init__(self) -> None:
        # baselevel 3: an entry's own title is an h2 on its day page, so body
        # headings start below it. No attr_list: contributors don't set attributes.
        self._md = markdown.Markdown(
            extensions=["fenced_code", "tables", "sane_lists", "toc"],
            extension_configs={"toc": {"baselevel": 3}},
            output_format="html",
        )

    def render(self, text: str) -> str:
        self._md.reset()
        return sanitize(self._md.convert(text))


def sanitize(html: str, url_filter: Callable[[str], str] | None = None) -> str:
    """The allowlisted subset of ``html``; ``url_filter`` may rewrite kept URLs."""

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if url_filter is not None and attribute in _URL_ATTRIBUTES:
            return url_filter(value)
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        attribute_filter=attribute_filter if url_filter is not None else None,
        strip_comments=True,
    ).strip()


def absolutize(html: str, base_url: str) -> str:
    """``html`` with every link and image URL made absolute against ``base_url``."""
    return sanitize(html, url_filter=lambda value: urljoin(base_url, value))


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def plain_text(html: str) -> str:
    """The text of an HTML fragment, for summaries and search descriptions."""
    return " ".join(nh3.clean(html, tags=set()).split())
