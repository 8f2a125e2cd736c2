"""Live blog pages that describe their updates to no search engine: microformats, or plain HTML.

``html_page`` reads the pages that mark their updates up for search engines (a
schema.org ``LiveBlogPosting``). A page without it is read in one of two other shapes:

- **microformats**: each update an ``h-entry`` (``dt-published``, ``p-name``,
  ``e-content``, ``p-author``), or the older hAtom ``hentry`` that many blog themes
  still write, parsed with mf2py, the microformats community's own parser;
- **plain HTML**: each update an element with an ``id`` holding a ``<time datetime>``,
  beside others like it (``<article id="post-5201">…<time datetime="…">``), the
  pattern HTML's own specification gives for the posts of a page.

A page needs two such updates at least: a page holding one is an article, not a live
blog. Updates read from plain HTML are found by their shape, not by what the page says
of them, and the import says so.
"""

from __future__ import annotations

import re
import warnings
from typing import Any, Iterator

import mf2py
from bs4 import XMLParsedAsHTMLWarning

from . import origins
from .bylines import credited
from .html_body import absolute_url, as_written, plain, text_paragraphs
from .html_parts import (
    AUTHOR_CLASS, capture_time, element_body, element_rest, first_heading, marked_key, page_headlines, page_source, site_name,
    told_apart, update_origin,
)  # fmt: skip
from .times import TimeError, published_and_modified
from .update import Document, ImportedUpdate, ParsedSource, Skipped

FORMAT = "html"
_UPDATED_CLASS = re.compile(r"(?:^|[-_])(?:updated|modified|edited)(?:$|[-_])", re.I)
_COMMENTS = re.compile(r"(?:^|[-_\s])comments?(?:$|[-_\s])", re.I)


def read(document: Document, tree: Any, base: str) -> ParsedSource | None:
    """The updates of a page with no structured data for them, or None when it shows no live blog."""
    return _from_microformats(document, tree, base) or _from_elements(document, tree, base)


def _from_microformats(document: Document, tree: Any, base: str) -> ParsedSource | None:
    # Links are left as written, then made absolute against the page and out of any web
    # archive (``absolute_url``), as every other reader of a page does.
    with warnings.catch_warnings():  # an XHTML page is read as HTML, as browsers read it: nothing to tell
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        parsed = mf2py.parse(doc=page_source(document), url=None, html_parser="lxml")
    entries = [item for item in _items(parsed.get("items", [])) if "h-entry" in item.get("type", [])]
    dated = [entry for entry in entries if entry["properties"].get("published")]
    if len(dated) < 2:
        return None
    updates: list[ImportedUpdate] = []
    skipped: list[Skipped] = []
    headlines, publisher = page_headlines(tree), site_name(tree) or origins.host_name(base)
    for number, entry in enumerate(entries, start=1):
        props = entry["properties"]
        place = f"h-entry {number}" + (f" (#{entry['id']})" if entry.get("id") else "")
        try:
            published, modified = published_and_modified(_first(props, "published"), _first(props, "updated") or None, "published")
        except TimeError as exc:
            skipped.append(Skipped(place, str(exc)))
            continue
        element = _by_id(tree, entry.get("id"))
        content = props.get("content") or props.get("summary") or [""]
        body = content[0]["html"] if isinstance(content[0], dict) else text_paragraphs(str(content[0]))
        url = _own_url(_first(props, "url"), entry.get("id"), base)
        updates.append(ImportedUpdate(
            origin=update_origin(url, base, published), published=published, modified=modified,
            title=_title(_first(props, "name"), content[0], headlines), body_html=body, url=url,
            base_url=url or base, key=element is not None and marked_key(element), publisher=publisher,
            place=place, authors=_mf_authors(props),
        ))  # fmt: skip
    return ParsedSource(FORMAT, base, tuple(told_apart(updates)), tuple(skipped), captured=capture_time(document))


def _items(items: list) -> Iterator[dict]:
    """Every microformat item, nested ones too (an h-feed's children, an entry's comments are not updates)."""
    for item in items:
        if not isinstance(item, dict):
            continue
        yield item
        if "h-entry" not in item.get("type", []):
            yield from _items(item.get("children", []))


def _first(props: dict, name: str) -> str:
    values = props.get(name) or [""]
    value = values[0]
    if isinstance(value, dict):
        value = value.get("value") or ""
    return value if isinstance(value, str) else ""


def _title(name: str, content: Any, headlines: frozenset[str]) -> str:
    """An entry's ``p-name``, unless it is the page's headline or its body's text (a name implied from it)."""
    title = as_written(name)
    text = content.get("value", "") if isinstance(content, dict) else str(content)
    if not title or plain(title) in headlines or "".join(text.split()) in "".join(title.split()):
        return ""
    return title


def _mf_authors(props: dict) -> tuple[str, ...]:
    people, organizations = [], []
    for author in props.get("author", []):
        if isinstance(author, dict):
            card = author.get("properties", {})
            name = _first(card, "name") or author.get("value", "")
            (organizations if _first(card, "org") == name and name else people).append(name)
        elif isinstance(author, str) and not author.startswith(("http://", "https://")):
            people.append(author)
    return credited(people, organizations)


def _from_elements(document: Document, tree: Any, base: str) -> ParsedSource | None:
    elements = _update_elements(tree)
    if len(elements) < 2:
        return None
    updates: list[ImportedUpdate] = []
    skipped: list[Skipped] = []
    headlines, publisher = page_headlines(tree), site_name(tree) or origins.host_name(base)
    for element in elements:
        place = f"<{element.tag} id=\"{element.get('id')}\"> (line {element.sourceline})"
        published_at, updated_at = _times(element)
        try:
            published, modified = published_and_modified(published_at, updated_at, "the <time>'s datetime")
        except TimeError as exc:
            skipped.append(Skipped(place, str(exc)))
            continue
        heading = first_heading(element)
        title = as_written(heading.text_content()) if heading is not None else ""
        url = f"{origins.without_fragment(base)}#{element.get('id')}"
        updates.append(ImportedUpdate(
            origin=url, published=published, modified=modified,
            title="" if plain(title) in headlines else title, body_html=element_body(element) or element_rest(element),
            url=url, base_url=base, key=marked_key(element), publisher=publisher, place=place, authors=_byline(element),
        ))  # fmt: skip
    warning = (
        f"this page marks up no update for search engines (no schema.org LiveBlogPosting, no microformats): "
        f"{len(elements)} <{elements[0].tag}> elements with an id and a <time datetime> were read as its updates; "
        "check the imported entries' titles and bodies"
    )
    return ParsedSource(FORMAT, base, tuple(told_apart(updates)), tuple(skipped), (warning,), captured=capture_time(document))


def _update_elements(tree: Any) -> list:
    """The page's updates in plain HTML: for each ``<time datetime>``, the nearest element around it
    with an id; of those, the ones of the tag most of them share, none holding another."""
    found: dict[Any, None] = {}
    for time in tree.iter("time"):
        if not time.get("datetime"):
            continue
        holder = next((node for node in time.iterancestors() if node.get("id")), None)
        if holder is not None and holder.tag not in ("html", "body", "main") and not _in_comments(holder):
            found[holder] = None
    tags: dict[str, list] = {}
    for element in found:
        tags.setdefault(element.tag, []).append(element)
    chosen = max(tags.values(), key=len, default=[])
    return [element for element in chosen if not any(other is not element and element in other.iterancestors() for other in chosen)]


def _in_comments(element: Any) -> bool:
    """Whether ``element`` is a reader's comment, or among them: an article's comments are not its updates."""
    for node in (element, *element.iterancestors()):
        if _COMMENTS.search(" ".join(filter(None, (node.get("id"), node.get("class"))))):
            return True
    return False


def _times(element: Any) -> tuple[str, str | None]:
    """The update's time of publishing, and of its last change where a ``<time>`` is marked as such."""
    published, updated = "", None
    for time in element.iter("time"):
        value = time.get("datetime") or ""
        marks = " ".join(filter(None, (time.get("class"), time.get("itemprop"), (time.getparent().get("class") or ""))))
        if _UPDATED_CLASS.search(marks) or "dateModified" in marks:
            updated = updated or value
        elif not published:
            published = value
    return published or (updated or ""), updated if published else None


def _byline(element: Any) -> tuple[str, ...]:
    for part in element.iter():
        if not isinstance(part.tag, str):
            continue
        if part.get("rel") == "author" or any(AUTHOR_CLASS.search(word) for word in (part.get("class") or "").split()):
            if name := credited([part.text_content()], []):
                return name
    return ()


def _own_url(url: str, element_id: str | None, base: str) -> str:
    """The update's address: its ``u-url`` where that is a page or an anchor of its own, else its id on the page."""
    page, url = origins.without_fragment(base), absolute_url(url, base) or ""  # a capture's lead into the archive
    if url and (origins.fragment(url) or origins.without_fragment(url) != page):
        return url
    return f"{page}#{element_id}" if element_id and page else ""


def _by_id(tree: Any, element_id: str | None) -> Any:
    if not element_id:
        return None
    try:
        return tree.get_element_by_id(element_id)
    except KeyError:
        return None



