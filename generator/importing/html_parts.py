"""What every reader of a live blog page looks for in it, whatever marks its updates up.

An update element's body (``element_body``), whether it is marked as a key event
(``marked_key``), the site's name, the time a web archive captured the page, and an
update's origin: ``html_page`` reads them for pages with structured data,
``html_posts`` for those without.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import charset_normalizer
import lxml.html

from . import origins
from .html_body import as_written, plain
from .update import Document, ImportedUpdate, timed_told_apart

# The 14-digit time in the name of a web archive's capture.
_CAPTURE_TIME = re.compile(r"(?<!\d)(\d{14})(?!\d)")
# Class words that mark a key event, a summary or a pinned update in live-blog markup.
_KEY_CLASS = re.compile(r"(?:^|[-_])(?:key|key-?event|keyevent|pinned|highlight(?:ed)?)$", re.I)
_BODY_CLASS = re.compile(r"(?:^|[-_])(?:body|content|text)$", re.I)
# Parts of an update element that are not its body, though their class may end in -text.
_NOT_BODY_TAGS = frozenset({"header", "footer", "nav", "aside", "figcaption", "time"})
_NOT_BODY_CLASS = re.compile(
    r"(?:^|[-_])(?:meta|header|footer|byline|author|screen-reader|sr-only|visually-hidden|hidden|caption|credit|share|tags?)(?:$|[-_])",
    re.I,
)


# Parts of an update element that are never its body, whatever their class.
_NEVER_BODY = ("header", "footer", "nav", "aside", "time", "script", "style", "button", "form", "noscript")
AUTHOR_CLASS = re.compile(r"(?:^|[-_])(?:author|byline|contributor)s?(?:$|[-_])", re.I)


def site_name(tree: Any) -> str:
    if tree is None:
        return ""
    found = tree.xpath('//meta[@property="og:site_name"]/@content')
    return as_written(found[0]) if found else ""


def element_body(element: Any) -> str:
    """The HTML of an update element's body: its articleBody, or the body or content part holding its text.

    Live-blog markup gives more than the body a class like ``-text`` or ``-content``:
    a permalink's screen-reader label, a byline, a caption. Those sit in the
    update's header or are named as such, and hold less text than the body, so the
    part with the most text among the others is taken.
    """
    parts = [c for c in element.iter() if c is not element and isinstance(c.tag, str)]
    marked = next((c for c in parts if "articleBody" in (c.get("itemprop") or "").split()), None)
    if marked is not None:
        return inner_html(marked)
    candidates = [c for c in parts if _classed_as_body(c) and not _beside_body(c, element)]
    best = max(candidates, key=_text_length, default=None)  # max keeps the first of equals: the outermost
    return inner_html(best) if best is not None and _text_length(best) else ""


def _classed_as_body(candidate: Any) -> bool:
    return any(_BODY_CLASS.search(c) for c in (candidate.get("class") or "").split())


def _beside_body(candidate: Any, update: Any) -> bool:
    """Whether ``candidate`` is, or is in, a part of the update that is not its body (header, byline, label)."""
    node = candidate
    while node is not None and node is not update:
        if node.tag in _NOT_BODY_TAGS or any(_NOT_BODY_CLASS.search(c) for c in (node.get("class") or "").split()):
            return True
        node = node.getparent()
    return False


def _text_length(candidate: Any) -> int:
    return len("".join(candidate.text_content().split()))


def inner_html(element: Any) -> str:
    parts = [element.text or ""] if element.text else []
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts)


def marked_key(element: Any) -> bool:
    return any(_KEY_CLASS.search(c) for c in (element.get("class") or "").split())


def capture_time(document: Document) -> str:
    """The 14-digit time a web archive gives a capture, from its file name or URL."""
    found = _CAPTURE_TIME.findall(document.url or document.name)
    return found[-1] if found else ""


def update_origin(url: str, blog: str, published: Any) -> str:
    if url and (origins.fragment(url) or origins.without_fragment(url) != origins.without_fragment(blog)):
        return url
    return origins.at_time(blog, published)


def page_headlines(tree: Any) -> frozenset[str]:
    """The page's own headline, as its link previews and its first heading give it: a CMS gives it
    to every update without a title of its own, which is then no title."""
    if tree is None:
        return frozenset()
    found = [plain(title) for title in tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content')]
    found += [plain(h1.text_content()) for h1 in tree.xpath("//h1")[:1]]
    return frozenset(headline for headline in found if headline)


def first_heading(element: Any) -> Any:
    """The update's heading: its first ``<h1>``..``<h6>`` with words in it."""
    return next((h for h in element.iter("h1", "h2", "h3", "h4", "h5", "h6") if "".join(h.text_content().split())), None)


def element_rest(element: Any) -> str:
    """The HTML of an update element without its heading, times, header, footer, byline and
    controls: its body, where no part of it is classed as one (``element_body``)."""
    heading = first_heading(element)
    body = copy.deepcopy(element)
    for part in list(body.iter()):
        if part is body or not isinstance(part.tag, str) or part.getparent() is None:
            continue
        classes = (part.get("class") or "").split()
        same_heading = heading is not None and part.tag == heading.tag and part.text_content() == heading.text_content()
        if part.tag in _NEVER_BODY or same_heading or any(AUTHOR_CLASS.search(word) for word in classes):
            part.drop_tree()
    return inner_html(body)


# A page's own word on its encoding, in its first bytes: <meta charset> or http-equiv.
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([-\w.:]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# The encodings pages were saved in before UTF-8, to guess among: the Windows code pages, KOI8,
# the ISO ones, DOS Cyrillic, and the East Asian ones (not the Mac ones, which a short
# Cyrillic text in windows-1251 passes for, and which no newsroom's page uses).
_PAGE_ENCODINGS = [
    "cp1251", "koi8_r", "koi8_u", "cp866", "cp1250", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15", "gb18030", "big5", "shift_jis",
    "euc_jp", "euc_kr",
]  # fmt: skip


def page_source(document: Document) -> str | bytes:
    """The page to parse: its bytes where something names their encoding (the server, a <meta>
    tag), which the parsers then read; else its text, as UTF-8 where the bytes are UTF-8, else in
    the encoding they show. Left to guess, lxml reads them as Latin-1: a saved page's UTF-8, or a
    Cyrillic page saved in windows-1251, becomes "Â Õàðüêîâå"."""
    if "charset" in (document.content_type or "").lower() or _DECLARED_CHARSET.search(document.data[:4096]):
        return document.data
    try:
        text = document.data.decode("utf-8")
    except UnicodeDecodeError:
        found = charset_normalizer.from_bytes(document.data, cp_isolation=_PAGE_ENCODINGS).best()
        if found is None:
            return document.data  # the parsers' own guess
        text = str(found)
    return _XML_DECLARATION.sub("", text.removeprefix("\ufeff"), count=1)


def told_apart(updates: list[ImportedUpdate]) -> list[ImportedUpdate]:
    """Updates without an address of their own are known by their time: those of one second told apart."""
    return timed_told_apart(updates, [update.origin != update.url for update in updates])
