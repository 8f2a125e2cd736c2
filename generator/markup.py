"""Entry bodies: Markdown to HTML, then an allowlist sanitizer.

Anyone can open a pull request, so the rendered HTML goes through nh3 (the
Ammonia sanitizer) with a small allowlist before it reaches a page or a feed.
Its output is well formed, so what comes after (plain text for structured data,
absolute URLs for feeds, linked mentions) reads its tags without parsing it again.
"""

from __future__ import annotations

import re
from html import unescape
from itertools import count
from urllib.parse import urljoin

import cmarkgfm
import nh3
from cmarkgfm import cmark

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
        "figcaption", "figure", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "section", "small", "strong", "sub", "sup", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)
# Footnotes need ids (each prefixed with its entry's anchor, see ``_namespaced``) and the
# back link's label; table alignment is the cells' ``align``, which the theme honours; a
# numbered list's first number is its ``start`` ("2022. The city..." is item 2022, not 1).
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "aria-label", "class"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id"},
    "ol": {"start"},
    "q": {"cite"},
    "section": {"class"},
    "sup": {"class"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
}
# On any tag: the language of a passage (a quote in Ukrainian, which a screen reader then reads
# in Ukrainian) and a tooltip. nh3 keeps these two on every tag unless told otherwise; said here,
# the check of contributors' HTML (``html_audit``) knows them too.
GENERIC_ATTRIBUTES = frozenset({"lang", "title"})
# Attributes kept only with one of these values (and so left out of nh3's ``attributes``).
_ALIGNMENTS = frozenset({"left", "center", "right"})
ATTRIBUTE_VALUES = {"td": {"align": _ALIGNMENTS}, "th": {"align": _ALIGNMENTS}}
# The classes cmark-gfm gives footnotes, as GitHub's stylesheet and the theme know them.
ALLOWED_CLASSES = {"a": {"footnote-backref"}, "section": {"footnotes"}, "sup": {"footnote-ref"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Characters XML 1.0 forbids; a feed containing one is not XML at all.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C0/C1 controls other than tab and newline, and lone surrogates (which a YAML
# escape like "\\ud800" can make): invisible, unencodable, poison in feeds.
CONTROL_CHARS = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff]")


class MarkdownRenderer:
    """Renders entry bodies as GitHub does: cmark-gfm, the C library behind GitHub's Markdown.

    A contributor previews an entry in the pull request; the site shows what the
    preview showed. Raw HTML is passed on (CMARK_OPT_UNSAFE) because the sanitizer,
    not the Markdown parser, decides what HTML stays, and ``check`` names the lines
    of what it will remove.
    """

    def render(self, text: str, anchor: str = "") -> str:
        """``text`` as sanitized HTML; the ids in it (footnotes') start with ``anchor`` + "__"."""
        html = cmarkgfm.markdown_to_html_with_extensions(text, options=CMARK_OPTIONS, extensions=GFM_EXTENSIONS)
        return _namespaced(sanitize(_shift_headings(html)), f"{anchor}__")


# Footnotes as GitHub renders them: numbered references and a list at the end.
CMARK_OPTIONS = cmark.Options.CMARK_OPT_UNSAFE | cmark.Options.CMARK_OPT_FOOTNOTES
# GitHub's set, less tagfilter and tasklist. tagfilter turns <script> and the like into
# visible text, where the sanitizer removes them with their content (as `check` tells
# the contributor); task lists would need form inputs, which the allowlist leaves out
# (`check` says their boxes show as text).
GFM_EXTENSIONS = ("table", "strikethrough", "autolink")
_ID = re.compile(r' id="([^"]*)"')


def _namespaced(html: str, prefix: str) -> str:
    """``html`` with each id prefixed, and each link to one of them on the page.

    A day page holds many entries, each of whose footnotes starts at 1: the prefix
    (the entry's anchor, which no other entry of the page has) keeps their ids apart,
    and keeps a contributor's raw ``id`` from taking one of the page's own.
    """
    if ' id="' not in html:
        return html  # no footnote and no raw id: almost every body
    ids = set(_ID.findall(html))
    html = _ID.sub(lambda m: f' id="{prefix}{m.group(1)}"', html)
    return re.sub(r' href="#([^"]*)"', lambda m: f' href="#{prefix}{m.group(1)}"' if m.group(1) in ids else m.group(), html)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _shift_headings(html: str) -> str:
    """Body headings two levels down: an entry's title is an <h2> on its day page.

    cmark writes Markdown headings as bare <hN> tags, so "# Casualties" becomes an <h3>.
    """
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}>", html)


# What nh3 keeps, and how it writes links: the allowlist as its options.
ALLOWLIST = {
    "tags": ALLOWED_TAGS,
    "attributes": {
        "*": GENERIC_ATTRIBUTES,
        **{tag: frozenset(names - set(ATTRIBUTE_VALUES.get(tag, ())) - {"class"}) for tag, names in ALLOWED_ATTRIBUTES.items()},
    },
    "tag_attribute_values": {tag: {name: set(values) for name, values in names.items()} for tag, names in ATTRIBUTE_VALUES.items()},
    "allowed_classes": {tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
    "url_schemes": URL_SCHEMES,
    "link_rel": "noopener noreferrer",
    "strip_comments": True,
}


# Built once: nh3.clean would build its sanitizer from the options at every call.
_CLEANER = nh3.Cleaner(**ALLOWLIST)


def sanitize(html: str) -> str:
    """The allowlisted subset of ``html``."""
    return _CLEANER.clean(html).strip()


# A start or end tag as ``sanitize`` writes it: well formed, attribute values always
# double-quoted. It escapes '<' and '>' in text and in values alike, so every '<' starts a tag.
SANITIZED_TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>"]|"[^"]*")*>')
# Inside such a tag: an attribute holding a URL. A value has its '"' escaped, so none holds this.
_URL_ATTRIBUTE = re.compile(r' (href|src|cite)="([^"]*)"')
# Anywhere: what may be a URL attribute with a relative URL (or text that looks like one).
_MAYBE_RELATIVE = re.compile(r' (?:href|src|cite)="(?!https?:|mailto:)')
# How the sanitizer escapes an attribute value.
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;"})


_PICTURE = re.compile(r'<img [^>]*?src="([^"]+)"')


def picture_sources(html: str) -> list[str]:
    """The addresses of the pictures in ``html`` (in the form ``sanitize`` writes), in order, unescaped."""
    return [unescape(found) for found in _PICTURE.findall(html)] if "<img " in html else []


def addresses(html: str) -> list[str]:
    """Every address ``html`` (in the form ``sanitize`` writes) shows or links, in order, unescaped."""
    return [unescape(found.group(2)) for found in _URL_ATTRIBUTE.finditer(html)]


def may_be_relative(html: str) -> bool:
    """Whether ``html``, in the form ``sanitize`` writes, may hold a relative link or image URL."""
    return _MAYBE_RELATIVE.search(html) is not None


def absolutize(html: str, base_url: str) -> str:
    """``html``, in the form ``sanitize`` writes, with every link and image URL made absolute against ``base_url``.

    Only the URL attributes of its tags are rewritten, and only if one may be
    relative: sanitizing the whole fragment again with a URL filter would give the
    same result at a far greater cost.
    """
    if not may_be_relative(html):
        return html

    def joined(attribute: re.Match) -> str:
        value = unescape(attribute.group(2))
        url = urljoin(base_url, value)
        return attribute.group() if url == value else f' {attribute.group(1)}="{url.translate(_ATTRIBUTE_ESCAPES)}"'

    return SANITIZED_TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(joined, tag.group()), html)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


# Where a block of a sanitized body ends, or a line breaks: the text after it is not the same
# word's (a raw <br> has no newline after it, and neither has a raw <p> after another).
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|tr|dt|dd|figcaption|ul|ol|dl|table)>|<br ?/?>|<hr ?/?>")
_CELL_END = re.compile(r"</t[dh]>")


def text_lines(html: str) -> str:
    """The text of a fragment ``sanitize`` wrote, one line per block, white space made single spaces."""
    return _text(html, "\n")


def plain_text(html: str) -> str:
    """The text of a fragment ``sanitize`` wrote, on one line: blocks and line breaks keep words apart."""
    return _text(html, " ")


# A footnote as text reads as it does in print: "killed.[1]", and under the body
# "[1] Regional officials." (the page's "↩" back to the reference is no text of it).
_FOOTNOTE_REF = re.compile(r'<sup class="footnote-ref"><a [^>]*>([^<]*)</a></sup>')
_FOOTNOTE = re.compile(r'<li id="[^"]*fn-[^"]*">')
_FOOTNOTE_BACK = re.compile(r' ?<a [^>]*class="footnote-backref"[^>]*>[^<]*</a>')


def _text(html: str, between_blocks: str) -> str:
    """Its tags dropped without parsing the fragment again: it has no comment, script or style to leave out.
    White space is collapsed before the characters are unescaped, so a written &nbsp; stays one."""
    if 'class="footnote' in html:
        numbers = count(1)  # as the references show them: in the order of the notes, whatever their labels
        html = _FOOTNOTE.sub(lambda note: f"{note.group()}[{next(numbers)}] ", _FOOTNOTE_REF.sub(r"[\1]", html))
        html = _FOOTNOTE_BACK.sub("", html)
    lines = (" ".join(SANITIZED_TAG.sub("", _CELL_END.sub(" ", block)).split()) for block in _BLOCK_END.split(html))
    return unescape(between_blocks.join(line for line in lines if line))
