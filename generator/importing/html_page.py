"""Live blog pages: schema.org ``LiveBlogPosting`` in JSON-LD, or ``liveBlogUpdate`` microdata.

Most publishers and live-blog services describe a live blog page to search engines
as a ``LiveBlogPosting`` whose ``liveBlogUpdate`` items carry each update's
``headline``, ``datePublished``, ``dateModified``, ``articleBody`` and ``url``
(https://schema.org/LiveBlogPosting), so this is the importer for any page. Where
the page holds the update's own element (the element whose id is the anchor of
its URL, or ends in it), its body is taken from there, links and lists included;
otherwise from ``articleBody``. A page with no JSON-LD may mark its updates up as microdata
(``itemprop="liveBlogUpdate"``) instead, and is read from those elements; a page with
neither is read by ``html_posts`` (microformats, or plain HTML's repeated posts).

Captures of one page from a web archive are read alike: their links are taken
back out of the archive, and the 14-digit time in a capture's name orders its
versions of an update against other captures'.
"""

from __future__ import annotations

import html
import json
import re
import weakref
from dataclasses import dataclass
from datetime import timezone
from typing import Any, Iterator

import lxml.html
from lxml import etree

from . import html_posts, origins
from .bylines import credited
from .errors import CUT_SHORT, SourceError, json_mistake
from .html_body import absolute_url, as_written, plain, text_paragraphs, unarchived
from .html_parts import (
    capture_time, element_body, element_rest, inner_html, marked_key, page_headlines, page_source, site_name,
    told_apart, update_origin,
)  # fmt: skip
from .times import TimeError, iso_time, published_and_modified
from .update import Document, ImportedCorrection, ImportedUpdate, ParsedSource, Skipped

FORMAT = "html"
_PAGE_END = re.compile(rb"</(?:body|html)\s*>", re.I)
_NO_ADDRESS = (
    "the page gives no address of its own (no canonical link): its updates cannot be told apart from another page's; "
    'import it from its URL, or add <link rel="canonical" href="..."> with its address to the saved page'
)
# What some pages wrap their JSON-LD in, for browsers of another age: <!-- -->, CDATA.
_COMMENT_WRAPPING = re.compile(r"^\s*(?:<!--|(?://|/\*)\s*<!\[CDATA\[\s*(?:\*/)?)|(?:-->|(?://|/\*)\s*\]\]>\s*(?:\*/)?)\s*$")
# In an articleBody: a tag that makes paragraphs (then the text is HTML), any tag, and the tags never closed.
_BLOCK_TAG = re.compile(r"</?(?:p|div|ul|ol|li|h[1-6]|blockquote|table|figure|pre|section|article|br|hr)(?:\s[^<>]*)?/?>", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*?)?(/?)>")
_VOID_TAGS = frozenset({"br", "img", "wbr", "hr", "source"})


def read(document: Document) -> ParsedSource:
    """The updates of an HTML page's live blog."""
    if not _PAGE_END.search(document.data):
        raise SourceError(document.name, f"the page ends before its </body> and </html> tags: {CUT_SHORT}")
    tree = _parse(document)
    base = _page_url(tree, document)
    blocks, broken = _json_ld_blocks(tree, document)
    nodes = _nodes_by_id(blocks)
    postings = [_referenced(p, nodes) for block in blocks for p in _live_blog_postings(block)]
    if postings:
        return _from_postings(postings, document, base, tree)
    microdata = tree.xpath("//*[@itemprop][contains(concat(' ', normalize-space(@itemprop), ' '), ' liveBlogUpdate ')]")
    if microdata:
        return _from_microdata(microdata, document, base, tree)
    found = html_posts.read(document, tree, base)
    if found is not None and not base:
        raise SourceError(document.name, _NO_ADDRESS)
    if found is not None:
        return found
    why = f"; {broken}" if broken else ""
    raise SourceError(
        document.name,
        "no live blog in this page: no schema.org LiveBlogPosting in its JSON-LD, no liveBlogUpdate microdata, "
        f"no h-entry microformats, and no two elements with an id and a <time datetime>{why}",
    )


def read_json_ld(data: Any, document: Document) -> ParsedSource:
    """A JSON-LD document (a .json or .jsonld file) holding a LiveBlogPosting."""
    nodes = _nodes_by_id(data)
    postings = [_referenced(p, nodes) for p in _live_blog_postings(data)]
    if not postings:
        raise SourceError(document.name, "this JSON-LD holds no schema.org LiveBlogPosting")
    return _from_postings(postings, document, document.url, None)


def is_live_blog_json_ld(data: Any) -> bool:
    return next(_live_blog_postings(data), None) is not None


def _parse(document: Document) -> Any:
    source = page_source(document)
    try:
        if isinstance(source, str):
            return lxml.html.document_fromstring(source)
        return lxml.html.document_fromstring(source, parser=_parser(document))
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(document.name, f"not an HTML page: {exc}") from None


def _parser(document: Document) -> Any:
    """An HTML parser for the page's encoding where something names it: the server's
    (Content-Type), else the page's own (a <meta> tag, which lxml reads)."""
    served = re.search(r"charset\s*=\s*[\"']?([-\w.:]+)", document.content_type or "", re.I)
    return lxml.html.HTMLParser(encoding=served.group(1)) if served is not None else None


def _page_url(tree: Any, document: Document) -> str:
    for query in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content', "//base/@href"):
        found = tree.xpath(query)
        if found and (url := absolute_url(found[0], unarchived(document.url))):
            return url
    return unarchived(document.url)


def _json_ld_blocks(tree: Any, document: Document) -> tuple[list[Any], str]:
    blocks, problems = [], []
    scripts = [s for s in tree.iter("script") if (s.get("type") or "").split(";")[0].strip().lower() == "application/ld+json"]
    for number, script in enumerate(scripts, start=1):
        try:
            blocks.append(json.loads(_COMMENT_WRAPPING.sub("", script.text or "")))
        except json.JSONDecodeError as exc:
            problems.append(_json_ld_problem(number, script.sourceline, exc))
    return blocks, "; ".join(problems)


def _json_ld_problem(number: int, script_line: int | None, exc: json.JSONDecodeError) -> str:
    """A JSON-LD block's mistake, at its line of the page (the block's text starts on its script's line)."""
    message, ended = json_mistake(exc)
    line = f"line {script_line + exc.lineno - 1}, " if script_line else ""
    why = " (the block ends early: is the page cut short?)" if ended else ""
    return f"JSON-LD block {number} (line {script_line}) is not valid JSON: {message} at {line}column {exc.colno}{why}"


def _live_blog_postings(data: Any) -> Iterator[dict]:
    """Every LiveBlogPosting in a JSON-LD value: at its top, in a list or an @graph, or nested."""
    if isinstance(data, list):
        for item in data:
            yield from _live_blog_postings(item)
    elif isinstance(data, dict):
        if _is_type(data, "LiveBlogPosting"):
            yield data
            return
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _live_blog_postings(value)


def _nodes_by_id(data: Any, found: dict[str, dict] | None = None) -> dict[str, dict]:
    """Every node of a JSON-LD value that says more than its ``@id``, by that ``@id``."""
    found = {} if found is None else found
    if isinstance(data, list):
        for item in data:
            _nodes_by_id(item, found)
    elif isinstance(data, dict):
        if isinstance(data.get("@id"), str) and set(data) - {"@id", "@context"}:
            found.setdefault(data["@id"], data)
        for value in data.values():
            if isinstance(value, (dict, list)):
                _nodes_by_id(value, found)
    return found


def _referenced(posting: dict, nodes: dict[str, dict]) -> dict:
    """``posting`` with its updates and publisher given in full where it gives only their ``@id``,
    as a graph does (Yoast and other plugins write each node once and refer to it)."""

    def node(value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
            return nodes.get(value["@id"], value)
        return value

    def nodes_of(value: Any) -> Any:
        return [node(item) for item in value] if isinstance(value, list) else node(value)

    resolved = dict(posting)
    for key in ("liveBlogUpdate", "publisher", "sourceOrganization", "provider", "author"):
        if posting.get(key) is not None:
            resolved[key] = nodes_of(posting[key])
    if isinstance(resolved.get("liveBlogUpdate"), list):
        # An update's author too: a graph names each person once, as it does the publisher.
        resolved["liveBlogUpdate"] = [
            {**item, "author": nodes_of(item["author"])} if isinstance(item, dict) and item.get("author") is not None else item
            for item in resolved["liveBlogUpdate"]
        ]
    return resolved


def _is_type(node: dict, name: str) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == name for k in kinds)


def _from_postings(postings: list[dict], document: Document, base: str, tree: Any) -> ParsedSource:
    updates: list[ImportedUpdate] = []
    skipped: list[Skipped] = []
    first_blog = ""
    captured = capture_time(document)
    for number, posting in enumerate(postings):
        blog = _node_url(posting, base) or base
        first_blog = first_blog or blog
        page = _Blog(
            blog, _publisher(posting), _page_headlines(posting, tree), site_name(tree) or origins.host_name(blog),
            _json_ld_authors(posting.get("author")),
        )  # fmt: skip
        items = posting.get("liveBlogUpdate") or []
        items = items if isinstance(items, list) else [items]
        prefix = "liveBlogUpdate" if len(postings) == 1 else f"LiveBlogPosting {number + 1}: liveBlogUpdate"
        for index, item in enumerate(items):
            place = f"{prefix}[{index}]"
            if not isinstance(item, dict):
                skipped.append(Skipped(place, "not an object"))
                continue
            try:
                updates.append(_update(item, place, page, tree))
            except _Skip as skip:
                skipped.append(Skipped(place, str(skip)))
        captured = captured or _stamp(posting.get("dateModified"))
    updates = told_apart(updates)
    if not first_blog:
        raise SourceError(document.name, "the LiveBlogPosting has no url, and the page gives none: its updates cannot be told apart from another page's")
    return ParsedSource(FORMAT, first_blog, tuple(updates), tuple(skipped), captured=captured)


class _Skip(Exception):
    """An item that cannot be an update; the message says why."""


@dataclass(frozen=True)
class _Blog:
    """What a LiveBlogPosting and its page say of the live blog, for each of its updates."""

    url: str
    publisher: str  # the posting's own; else each update's, else the site's name or host
    headlines: frozenset[str]  # the page's own headline, as the posting and the page's title give it
    site: str
    authors: tuple[str, ...] = ()  # whom the posting credits: the byline of an update that names no one


def _page_headlines(posting: dict, tree: Any) -> frozenset[str]:
    own = plain(_text(posting.get("headline") or posting.get("name")))
    return page_headlines(tree) | ({own} if own else set())


def _update(item: dict, place: str, blog: _Blog, tree: Any) -> ImportedUpdate:
    try:
        published, modified = published_and_modified(
            item.get("datePublished") or item.get("dateCreated"), item.get("dateModified"), "datePublished"
        )
    except TimeError as exc:
        raise _Skip(str(exc)) from None
    url = _node_url(item, blog.url)
    element = _element(tree, url)
    article = _article_body(_text(item.get("articleBody") or item.get("text") or item.get("description")))
    body = element_body(element) if element is not None else ""
    if not body and element is not None:
        rest = element_rest(element)
        body = rest if _holds(rest, article) else ""
    body = body or article
    return ImportedUpdate(
        origin=update_origin(url, blog.url, published),
        published=published,
        modified=modified,
        title=_own_headline(plain(_text(item.get("headline") or item.get("name"))), blog, body),
        body_html=body,
        url=url if url and url != blog.url else "",
        base_url=url or blog.url,
        key=element is not None and marked_key(element),
        publisher=blog.publisher or _publisher(item) or blog.site,
        place=place,
        corrections=_corrections(item.get("correction"), published),
        authors=_json_ld_authors(item.get("author")) or blog.authors,
    )


def _holds(element_html: str, article_html: str) -> bool:
    """Whether an update element's HTML holds the words of its ``articleBody`` (all of them, with
    little besides: a caption, an embedded post's text), and so may stand for it with its links,
    lists and pictures, which an ``articleBody`` loses."""
    element, article = _squeezed(plain(element_html)), _squeezed(plain(article_html))
    if not element:
        return False
    return not article or (article in element and len(element) <= 2 * len(article) + 500)


# An ellipsis that ends a headline cut from the body's words.
_TRAILING_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)$")


def _own_headline(headline: str, blog: _Blog, body_html: str) -> str:
    """``headline``, unless it is not the update's own, so that the entry's title is made from its
    first sentence: the page's headline, which a CMS gives every update that has no title of its
    own (Quintype gives the story's), or the body's first words cut with an ellipsis, which
    Automattic's Liveblog writes as every update's headline ("Sirens sounded in Kharkiv again on
    Saturday morning, the…")."""
    if headline in blog.headlines:
        return ""
    cut = _TRAILING_ELLIPSIS.sub("", headline)
    if cut != headline and cut and _squeezed(plain(body_html)).startswith(_squeezed(cut)):
        return ""
    return headline


def _squeezed(text: str) -> str:
    """``text`` without white space, to compare words however tags spaced them."""
    return "".join(text.split())



def _article_body(text: str) -> str:
    """An ``articleBody`` as HTML. schema.org makes it text, which publishers fill three ways:
    HTML with its paragraphs (its markup escaped, at times); text whose paragraphs are blank-line apart, with inline markup
    (a link); or plain text, with character references ("It&#8217;s") and with '<' and '>'
    meant as themselves ("x < y", "the <b> tag")."""
    if _BLOCK_TAG.search(text):
        return text
    if _escaped_html(text):
        return html.unescape(text)
    blocks = [block for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if block.strip()]
    if _balanced_tags(text):
        return "".join(f"<p>{block}</p>" for block in blocks)
    return text_paragraphs(html.unescape(text))


def _escaped_html(text: str) -> bool:
    """Whether ``text`` is HTML with its markup escaped once: no tag, but paragraphs in tags,
    each one closed, once its character references are read. Some CMSs escape every '<' and '>'
    of their JSON-LD (Quintype's writes ``&lt;p&gt;…&lt;/p&gt;``); an '&lt;p&gt;' named in prose
    opens a tag that nothing closes, and stays text."""
    if "<" in text or "&lt;" not in text:
        return False
    unescaped = html.unescape(text)
    return bool(_BLOCK_TAG.search(unescaped)) and _balanced_tags(unescaped)


def _balanced_tags(text: str) -> bool:
    """Whether ``text`` holds tags and each one opened is closed, in order: markup, not a '<b>' named in prose."""
    open_tags: list[str] = []
    found = False
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        found = True
        if name in _VOID_TAGS or self_closing:
            continue
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return found and not open_tags


def _node_url(node: dict, base: str) -> str:
    for key in ("url", "@id", "mainEntityOfPage"):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and (url := absolute_url(value, base)):
            return url
    return ""


def _publisher(posting: dict) -> str:
    for key in ("publisher", "sourceOrganization", "provider"):
        value = posting.get(key)
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, dict) and isinstance(value.get("name"), str):
            return plain(value["name"])
        if isinstance(value, str):
            return plain(value)
    return ""


# schema.org's types of organization: Organization and the types under it that name themselves so.
_ORGANIZATION = re.compile(r"(?:Organization|Corporation|NGO)$")


def _json_ld_authors(value: Any) -> tuple[str, ...]:
    """The names a JSON-LD ``author`` credits: a text, a Person or an Organization, or a list of them."""
    people, organizations = [], []
    for author in value if isinstance(value, list) else [value]:
        if isinstance(author, str):
            people.append(author)
        elif isinstance(author, dict):
            kinds = author.get("@type") if isinstance(author.get("@type"), list) else [author.get("@type")]
            named = organizations if any(isinstance(k, str) and _ORGANIZATION.search(k) for k in kinds) else people
            named.append(_text(author.get("name")) or " ".join(_text(author.get(k)) for k in ("givenName", "familyName")))
    return credited(people, organizations)


def _element(tree: Any, url: str) -> Any:
    """The page's element for the update at ``url``: the one whose id is its anchor, else the one
    element whose id ends in it after a prefix (``liveblog-entry-5201``, ``id_5201`` for ``#5201``).

    A live-blog plugin may give an update's address an anchor its script scrolls to, while its
    markup prefixes the id (Automattic's Liveblog: ``#5201``, rendered as ``liveblog-entry-5201``
    on the server and ``id_5201`` in the browser); its JSON-LD then often holds no body at all.
    An anchor that more than one id ends in names none of them.
    """
    anchor = origins.fragment(url)
    if tree is None or not anchor:
        return None
    try:
        return tree.get_element_by_id(anchor)
    except KeyError:
        pass
    found = _ids_by_suffix(tree).get(anchor, [])
    return found[0] if len(found) == 1 else None


_ID_SUFFIXES: "weakref.WeakKeyDictionary[Any, dict[str, list]]" = weakref.WeakKeyDictionary()


def _ids_by_suffix(tree: Any) -> dict[str, list]:
    """The page's elements by each part of their id after a '-' or '_', built once per page."""
    root = tree.getroottree().getroot()
    index = _ID_SUFFIXES.get(root)
    if index is None:
        index = {}
        for element in root.iter():
            value = element.get("id") if isinstance(element.tag, str) else None
            for match in re.finditer(r"[-_]", value or ""):
                if match.end() < len(value):
                    index.setdefault(value[match.end():], []).append(element)
        _ID_SUFFIXES[root] = index
    return index


def _from_microdata(elements: list, document: Document, base: str, tree: Any) -> ParsedSource:
    updates: list[ImportedUpdate] = []
    skipped: list[Skipped] = []
    publisher = site_name(tree) or origins.host_name(base)
    if not base:
        raise SourceError(document.name, _NO_ADDRESS)
    for index, element in enumerate(elements):
        place = f"liveBlogUpdate element {index + 1} (line {element.sourceline})"
        try:
            published, modified = published_and_modified(
                _property(element, "datePublished"), _property(element, "dateModified"), "datePublished"
            )
        except TimeError as exc:
            skipped.append(Skipped(place, str(exc)))
            continue
        url = absolute_url(_property(element, "url"), base) or ""
        if not url and element.get("id"):
            url = f"{origins.without_fragment(base)}#{element.get('id')}"
        body = next((inner_html(e) for e in _properties(element, "articleBody")), "")
        updates.append(ImportedUpdate(
            origin=update_origin(url, base, published), published=published, modified=modified,
            title=_microdata_text(element, "headline"), body_html=body or element_body(element),
            url=url, base_url=url or base, key=marked_key(element), publisher=publisher, place=place,
            authors=_microdata_authors(element),
        ))  # fmt: skip
    return ParsedSource(FORMAT, base, tuple(told_apart(updates)), tuple(skipped), captured=capture_time(document))


def _properties(element: Any, name: str) -> Iterator[Any]:
    """The elements giving the item ``element`` its property ``name``, in document order.

    A nested item (an element with ``itemscope``, such as the update's author) holds
    its own properties: its ``url`` is the author's, not the update's, so the walk
    does not go into it (the microdata specification's rule).
    """
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if name in (child.get("itemprop") or "").split():
            yield child
        if child.get("itemscope") is None:
            yield from _properties(child, name)


def _microdata_authors(element: Any) -> tuple[str, ...]:
    """The names an update's microdata ``author`` properties credit: a Person or Organization item's
    ``name`` (else its given and family names, else its text), or a property's own value."""
    people, organizations = [], []
    for author in _properties(element, "author"):
        if author.get("itemscope") is None:
            people.append(author.get("content") or author.text_content())
            continue
        named = organizations if any(_ORGANIZATION.search(kind) for kind in (author.get("itemtype") or "").split()) else people
        given = " ".join(_property(author, part) for part in ("givenName", "familyName"))
        named.append(_property(author, "name") or given.strip() or author.text_content())
    return credited(people, organizations)


def _microdata_text(element: Any, name: str) -> str:
    """A text property: an attribute's value or an element's text, both text already (no markup)."""
    return as_written(_property(element, name))


def _property(element: Any, name: str) -> str:
    """A microdata property's value: its content, datetime or href attribute, or its text."""
    for candidate in _properties(element, name):
        for attribute in ("content", "datetime", "href", "src"):
            if candidate.get(attribute):
                return candidate.get(attribute)
        return candidate.text_content()
    return ""


def _stamp(value: Any) -> str:
    """A page's own time of its last change, in the form of a capture's time."""
    try:
        return iso_time(value).astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
    except TimeError:
        return ""


# Markdown's punctuation, escaped so that a correction's plain text reads back as written;
# '<', '>' and '&' as the entities, which no check takes for a tag.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]#|~!])")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _corrections(value: Any, published: Any) -> tuple[ImportedCorrection, ...]:
    """An update's schema.org ``correction``s (CorrectionComment) that say when they were made.

    A correction given as bare text or a URL has no time to show it at, and one dated
    before its update is a mistake of the source: neither can be an entry's correction.
    """
    found = []
    for comment in value if isinstance(value, list) else [value]:
        if not isinstance(comment, dict):
            continue
        text = " ".join(_text(comment.get("text")).split())  # schema.org Text: plain, kept as written
        try:
            at = iso_time(comment.get("datePublished") or comment.get("dateCreated"))
        except TimeError:
            continue
        if text and at >= published:
            found.append(ImportedCorrection(at, _MARKDOWN_PUNCTUATION.sub(r"\\\1", text.translate(_ENTITIES))))
    return tuple(found)


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""
