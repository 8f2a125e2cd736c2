"""A Telegram channel, as Telegram Desktop exports its history ("Export chat history", JSON).

Many newsrooms ran their live coverage as a Telegram channel. The export is one
``result.json``: the channel's ``name``, ``type`` (``public_channel``,
``private_channel``...) and ``id``, and its ``messages``, each with its ``id``, its
``type`` (``message``, or ``service`` for the channel's own events: a message
pinned, the channel created), ``date_unixtime`` (when it was posted; ``date`` is the
exporting computer's clock without a zone) and ``edited_unixtime``, the channel's
signature in ``author`` where it signs posts, ``forwarded_from`` (the channel a
forwarded post comes from, credited as its author), and its ``text``:
a string, or a list of strings and entities (``{"type": "bold", "text": ...}``,
``text_link`` with an ``href``, ``hashtag``, ``mention``...). Photos and files are
named by their paths in the export's folder, which are not published.

Each message with text is an update; a message pinned by the channel is a key event,
its hashtags become tags. An export holds every message left between its first and its
last, so one imported before, in that span and missing now, was deleted from the channel. Its address is the post's, ``https://t.me/NAME/ID``: the
export does not say a public channel's NAME, which ``--source-url`` gives; a private
channel's posts are at ``https://t.me/c/ID/ID``, which its members can open.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .bylines import credited
from .errors import SourceError
from .html_body import as_written
from .times import TimeError, unix_time
from .update import Document, ImportedUpdate, ParsedSource, Skipped, source_tags

FORMAT = "telegram"
_KINDS = ("public_channel", "private_channel", "public_supergroup", "private_supergroup")
_CHANNEL_URL = re.compile(r"https://t\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,})/?$")
# Entities as HTML: the tag each wraps its text in.
_WRAPPED = {"bold": "strong", "italic": "em", "strikethrough": "del", "code": "code"}


def looks_like(data: Any) -> bool:
    return isinstance(data, dict) and data.get("type") in _KINDS and isinstance(data.get("messages"), list)


def read(data: Any, document: Document) -> ParsedSource:
    if not looks_like(data):
        raise SourceError(document.name, "not a Telegram export: expected a channel's 'type' and its 'messages'")
    address = _channel_address(data, document)
    publisher = as_written(data["name"]) if isinstance(data.get("name"), str) else ""
    pinned = {m.get("message_id") for m in data["messages"] if isinstance(m, dict) and m.get("action") == "pin_message"}
    updates, skipped = [], []
    for index, message in enumerate(data["messages"]):
        if not isinstance(message, dict) or message.get("type") != "message":
            continue  # the channel's own events (created, renamed, a message pinned): no update
        place = f"messages[{index}] (id {message.get('id')})"
        try:
            updates.append(_update(message, address, publisher, place, message.get("id") in pinned))
        except (_Skip, TimeError) as exc:
            skipped.append(Skipped(place, str(exc)))
    # The export holds every message left between its first and its last: one imported before
    # with an id in that span, and missing now, was deleted from the channel.
    ids = [m["id"] for m in data["messages"] if isinstance(m, dict) and isinstance(m.get("id"), int)]
    within = frozenset(f"{address}/{number}" for number in range(min(ids), max(ids) + 1)) if ids else frozenset()
    return ParsedSource(FORMAT, address, tuple(updates), tuple(skipped), complete_prefix=f"{address}/", complete_within=within)


def _channel_address(data: dict, document: Document) -> str:
    given = _CHANNEL_URL.match(document.url or "")
    if given:
        return f"https://t.me/{given.group(1)}"
    if document.url:
        raise SourceError(document.name, f"--source-url {document.url} is not a channel's address: give https://t.me/NAME")
    if str(data.get("type", "")).startswith("private") and isinstance(data.get("id"), int):
        return f"https://t.me/c/{data['id']}"
    raise SourceError(
        document.name,
        "a Telegram export does not give a public channel's address, which each update's source link and identity "
        "need: import it with --source-url https://t.me/NAME (the channel's name as in its t.me link)",
    )


class _Skip(Exception):
    """A message that cannot be imported; the message says why."""


def _update(message: dict, address: str, publisher: str, place: str, pinned: bool) -> ImportedUpdate:
    if "date_unixtime" not in message:
        raise _Skip("no 'date_unixtime': its 'date' has no time zone; export the channel again with a recent Telegram Desktop")
    published = unix_time(message["date_unixtime"])
    modified = unix_time(message["edited_unixtime"]) if "edited_unixtime" in message else None
    parts = message.get("text")
    parts = parts if isinstance(parts, list) else [parts] if isinstance(parts, str) else []
    title, parts = _headline(parts)
    hashtags = [part["text"].lstrip("#") for part in parts if _is_hashtag(part)]
    if not any(re.search(r"\w", _text_of(part)) for part in parts if not _is_hashtag(part)):
        raise _Skip(f"no text, only {_what_else(message, hashtags)}: a post without words is no update (the export keeps its files apart)")
    body = _html(parts)
    tags, key = source_tags(hashtags)
    url = f"{address}/{message.get('id')}"
    # A forwarded post is the other channel's words: it is credited to it, in no language of ours.
    forwarded, author = message.get("forwarded_from"), message.get("author")
    byline = forwarded if isinstance(forwarded, str) and forwarded.strip() else author
    return ImportedUpdate(
        origin=url, published=published, modified=modified, title=title, body_html=body, url=url, base_url=url,
        key=key or pinned, publisher=publisher, place=place, tags=tags,
        authors=credited([byline]) if isinstance(byline, str) else (),
    )  # fmt: skip


def _is_hashtag(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type") == "hashtag" and isinstance(part.get("text"), str)


def _text_of(part: Any) -> str:
    """A part's words: a string is its own; an entity's are its 'text'."""
    text = part if isinstance(part, str) else part.get("text") if isinstance(part, dict) else ""
    return text if isinstance(text, str) else ""


# What a post without words holds, by the export's keys and media types.
_MEDIA = {"sticker": "a sticker", "video_file": "a video", "video_message": "a video", "voice_message": "a voice message",
          "audio_file": "a sound file", "animation": "an animation"}  # fmt: skip


def _what_else(message: dict, hashtags: list[str]) -> str:
    if hashtags:
        return "hashtags"
    if "poll" in message:
        return "a poll"
    if message.get("media_type") in _MEDIA:
        return _MEDIA[message["media_type"]]
    if "photo" in message:
        return "a photo"
    if "location_information" in message:
        return "a place on a map"
    return "a file" if "file" in message else "nothing at all"


def _headline(parts: list) -> tuple[str, list]:
    """A first line all in bold, as channels write a post's headline: the title, and the parts after it.
    A sign before it (an emoji) goes with it; no headline: "" and the parts as they are."""
    words: list[str] = []
    for index, part in enumerate(parts):
        if isinstance(part, dict) and part.get("type") == "bold" and isinstance(part.get("text"), str) and "\n" not in part["text"].strip():
            words.append(part["text"])
        elif isinstance(part, str) and (part.strip() == "" or not re.search(r"\w", part)) and "\n" not in part:
            words.append(part)  # a space, or a sign such as an emoji, before or between the bold words
        elif isinstance(part, str) and part.startswith("\n") and any(isinstance(p, dict) for p in parts[:index]):
            headline = as_written("".join(words))
            return (headline, [part.lstrip("\n"), *parts[index + 1 :]]) if re.search(r"\w", headline) else ("", parts)
        else:
            break
    return "", parts


def _html(parts: list) -> str:
    """A message's text as HTML: paragraphs where a blank line parts them, a line break kept
    as one; a quote or a block of code a block of its own, never inside a paragraph."""
    blocks: list[str] = []
    inline: list[str] = []
    for part in parts:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind in _BLOCKS and isinstance(part.get("text"), str):
            blocks.append(_paragraphs("".join(inline)))
            inline = []
            text = html.escape(part["text"].strip("\n"), quote=False)
            blocks.append(f"<pre><code>{text}</code></pre>" if kind == "pre" else f"<blockquote>{_paragraphs(text)}</blockquote>")
        else:
            inline.append(_part(part))
    blocks.append(_paragraphs("".join(inline)))
    return "".join(blocks)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{block.strip().replace(chr(10), '<br>')}</p>" for block in re.split(r"\n\s*\n", text) if block.strip())


_BLOCKS = ("blockquote", "pre")


def _part(part: Any) -> str:
    if isinstance(part, str):
        return html.escape(part, quote=False)
    if not isinstance(part, dict) or not isinstance(part.get("text"), str):
        return ""
    text, kind = part["text"], part.get("type")
    shown = html.escape(text, quote=False)
    if kind == "text_link" and isinstance(part.get("href"), str):
        return f'<a href="{html.escape(part["href"])}">{shown}</a>'
    if kind == "link":
        href = text if re.match(r"https?://", text) else f"https://{text}"
        return f'<a href="{html.escape(href)}">{shown}</a>'
    if kind == "mention" and text.startswith("@"):
        return f'<a href="https://t.me/{html.escape(text[1:])}">{shown}</a>'
    if kind == "email":
        return f'<a href="mailto:{html.escape(text)}">{shown}</a>'
    tag = _WRAPPED.get(kind)
    return f"<{tag}>{shown}</{tag}>" if tag else shown
