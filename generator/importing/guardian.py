"""The Guardian's Content API: a live blog item fetched with ``show-blocks=all``.

The item (``response.content``) carries ``blocks.body``, one block per update:
``id``, ``title``, ``bodyHtml``, ``bodyTextSummary``, ``firstPublishedDate``,
``lastModifiedDate``, ``published`` and ``attributes`` (``keyEvent``, ``summary``,
``pinned``), as the Content API's models define them. A block's permalink is the
item's ``webUrl`` with ``?page=with:block-ID#block-ID``; its origin is
``webUrl#block-ID``. When ``blocks.totalBodyBlocks`` says the response holds every
block, a block imported before and missing now was deleted upstream.

A block's ``contributors`` are the ids of contributor tags; the item fetched with
``show-tags=contributor`` names them (``tags``: ``id``, ``type``, ``webTitle``), and
with ``show-fields=byline`` gives its own ``byline``: a block that names no one is
credited as the live blog is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import origins
from .bylines import credited
from .errors import SourceError
from .html_body import absolute_url, as_written, text_paragraphs
from .times import TimeError, iso_time
from .update import Document, ImportedUpdate, ParsedSource, Skipped

FORMAT = "guardian"
PUBLISHER = "The Guardian"
SITE = "https://www.theguardian.com/"


def looks_like(data: Any) -> bool:
    content = _content(data)
    return isinstance(content, dict) and isinstance(content.get("blocks"), dict)


def read(data: Any, document: Document) -> ParsedSource:
    response = data.get("response") if isinstance(data, dict) else None
    if isinstance(response, dict) and response.get("status") == "error":
        raise SourceError(document.name, f"the Content API answered with an error: {response.get('message', 'no message')}")
    content = _content(data)
    where = "response.content" if isinstance(response, dict) else "content" if "content" in data else "the item"
    if not isinstance(content, dict) or not isinstance(content.get("blocks"), dict):
        raise SourceError(document.name, f"at {where}: no 'blocks': fetch the item with show-blocks=all")
    web_url = _web_url(content)
    if not web_url:
        raise SourceError(document.name, f"at {where}: no 'webUrl' or 'id' to name the live blog by")
    blocks = content["blocks"]
    listed = _body_blocks(blocks)
    if not listed:
        raise SourceError(document.name, f"at {where}.blocks: no body blocks: fetch the item with show-blocks=all")
    credits = _Credits(_contributor_names(content), _blog_authors(content))
    updates, skipped, seen = [], [], set()
    for place, block in listed:
        place = f"{where}.blocks.{place}"
        if not isinstance(block, dict) or not isinstance(block.get("id"), str) or not block["id"].strip():
            skipped.append(Skipped(place, "a block without an 'id'"))
            continue
        if block["id"] in seen:
            continue
        seen.add(block["id"])
        try:
            updates.append(_update(block, place, web_url, credits))
        except TimeError as exc:
            skipped.append(Skipped(place, f"block {block['id']}: {exc}"))
    total = blocks.get("totalBodyBlocks")
    body = blocks.get("body")
    complete = isinstance(total, int) and isinstance(body, list) and len(body) >= total
    return ParsedSource(
        FORMAT, web_url, tuple(updates), tuple(skipped), complete_prefix=f"{web_url}#block-" if complete else None
    )


def _content(data: Any) -> Any:
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("response"), dict):
        return data["response"].get("content")
    if isinstance(data.get("content"), dict):
        return data["content"]
    return data if "blocks" in data else None


def _web_url(content: dict) -> str:
    url = content.get("webUrl")
    if isinstance(url, str) and (absolute := absolute_url(url)):
        return origins.without_fragment(absolute)
    if isinstance(content.get("id"), str) and content["id"].strip():
        return SITE + content["id"].strip().lstrip("/")
    return ""


def _body_blocks(blocks: dict) -> list[tuple[str, Any]]:
    """Every body block with its JSON path: ``body``, then any requested subsets (``body:latest:10``)."""
    listed = [(f"body[{i}]", block) for i, block in enumerate(blocks.get("body") or [])]
    requested = blocks.get("requestedBodyBlocks")
    if isinstance(requested, dict):
        for name, subset in requested.items():
            if isinstance(subset, list):
                listed += [(f"requestedBodyBlocks[{name!r}][{i}]", block) for i, block in enumerate(subset)]
    return listed


@dataclass(frozen=True)
class _Credits:
    """Who the item credits: its contributor tags' names by id, and the live blog's own byline."""

    names: dict[str, str]
    blog: tuple[str, ...]


def _contributor_names(content: dict) -> dict[str, str]:
    tags = content.get("tags") if isinstance(content.get("tags"), list) else []
    return {
        tag["id"]: tag["webTitle"] for tag in tags
        if isinstance(tag, dict) and tag.get("type") == "contributor" and isinstance(tag.get("id"), str) and isinstance(tag.get("webTitle"), str)
    }  # fmt: skip


def _blog_authors(content: dict) -> tuple[str, ...]:
    """The live blog's byline: its contributor tags' names, else its ``byline`` field."""
    named = credited(_contributor_names(content).values())
    fields = content.get("fields") if isinstance(content.get("fields"), dict) else {}
    return named or credited([fields.get("byline")])


def _block_authors(block: dict, credits: _Credits) -> tuple[str, ...]:
    """A block's contributors by name (an id no tag names is no name), else the live blog's byline."""
    listed = block.get("contributors") if isinstance(block.get("contributors"), list) else []
    names = []
    for contributor in listed:
        if isinstance(contributor, dict):
            names.append(contributor.get("webTitle") or contributor.get("name"))
        elif isinstance(contributor, str):
            names.append(credits.names.get(contributor, "" if "/" in contributor else contributor))
    return credited(names) or credits.blog


def _update(block: dict, place: str, web_url: str, credits: _Credits) -> ImportedUpdate:
    block_id = block["id"].strip()
    published = _time(block, "firstPublishedDate", "publishedDate", "createdDate")
    modified = _optional_time(block, "lastModifiedDate", "publishedDate")
    attributes = block.get("attributes") if isinstance(block.get("attributes"), dict) else {}
    title = block.get("title") or attributes.get("title") or ""
    body = block.get("bodyHtml") if isinstance(block.get("bodyHtml"), str) else ""
    if not body.strip() and isinstance(block.get("bodyTextSummary"), str):
        body = text_paragraphs(block["bodyTextSummary"])
    permalink = f"{web_url}?page=with:block-{block_id}#block-{block_id}"
    return ImportedUpdate(
        origin=f"{web_url}#block-{block_id}",
        published=published,
        modified=modified,
        title=as_written(title) if isinstance(title, str) else "",  # the Content API's titles are plain text
        body_html=body,
        url=permalink,
        base_url=web_url,
        key=any(attributes.get(flag) is True for flag in ("keyEvent", "summary", "pinned")),
        withdrawn=block.get("published") is False,
        publisher=PUBLISHER,
        place=place,
        authors=_block_authors(block, credits),
    )


def _time(block: dict, *fields: str):
    for field in fields:
        if block.get(field):
            try:
                return iso_time(_iso(block[field]))
            except TimeError as exc:
                raise TimeError(f"'{field}' {exc}") from None
    raise TimeError(f"no '{fields[0]}'")


def _optional_time(block: dict, *fields: str):
    try:
        return _time(block, *fields)
    except TimeError:
        return None


def _iso(value: Any) -> Any:
    """A CapiDateTime as JSON gives it: an ISO string, or an object with one."""
    return value.get("iso8601") if isinstance(value, dict) else value
