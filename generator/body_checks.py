"""What an entry would lose on its way to the site, found in its text.

Each check returns (line, message) pairs for one entry: an empty body, no sources
where the settings require them, a picture or linked file that is not in the
content folder, and Markdown that GitHub's preview shows one way and the site
another. Bodies are read as cmark-gfm reads them (the parser of both the preview
and the site), and only those that hold what a check looks for are parsed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Iterator

import cmarkgfm

from . import entry_template
from .autolink import ENTRY_SUFFIX, by_path
from .markdown_tree import nodes
from .markup import CMARK_OPTIONS, GFM_EXTENSIONS, sanitize
from .yaml_advice import SOURCE_EXAMPLE



@dataclass(frozen=True)
class Finding:
    """One thing a body would lose, at the file's line that has it."""

    line: int
    message: str

# What makes a body worth parsing for these checks; most bodies hold none of it.
_TRIGGERS = re.compile(r"\]\(|\]:|<img|\[\^|\[[ xX]\]|\[!|\$\$|```|~~~", re.IGNORECASE)
_URL = re.compile(r' (href|src)="([^"]*)"')
_DRAFT = re.compile(r"^draft:\s*(?:true|True|TRUE|yes)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class BodyText:
    """An entry's body and where it is: the content folder's path and the entry's place in it."""

    root: str  # the content folder as messages name it, with a trailing "/" ("" for ".")
    rel_path: str
    body: str
    body_line: int  # the file's line of the body's first line
    closing_line: int = 0  # the file's line of the closing '---'
    title: str = ""


def empty_body(body: BodyText) -> Iterator[Finding]:
    if not body.body.strip():
        yield Finding(body.closing_line or body.body_line, "the body is empty: write the update below the closing '---'")


def no_sources(has_sources: bool, line: int, settings_file: str) -> Iterator[Finding]:
    if not has_sources:
        yield Finding(line, f"no sources: say where the facts come from, under 'sources:' as {SOURCE_EXAMPLE} "
                            f"({settings_file} requires sources)")  # fmt: skip


def _html(body: BodyText) -> str | None:
    if not _TRIGGERS.search(body.body):
        return None
    return cmarkgfm.markdown_to_html_with_extensions(body.body, options=CMARK_OPTIONS, extensions=GFM_EXTENSIONS)


def _line_of(body: BodyText, text: str) -> int:
    """The file's line of the first body line holding ``text`` (the body's first line if none)."""
    for number, line in enumerate(body.body.split("\n"), start=body.body_line):
        if text in line:
            return number
    return body.body_line


def missing_files(body: BodyText, html: str | None = None) -> Iterator[Finding]:
    """Pictures and links by path that lead to no file of the content folder, or to a draft;
    pictures shown from another site."""
    html = _html(body) if html is None else html
    if not html:
        return
    html = sanitize(html)  # as the site shows it: <IMG SRC=...> and single quotes written as <img src="...">
    seen: set[str] = set()
    for match in _URL.finditer(html):
        attribute, url = match.group(1), unescape(match.group(2))
        if url in seen or not url or url.startswith("#"):
            continue
        if attribute == "src" and re.match(r"(?:https?:)?//", url, re.IGNORECASE):
            seen.add(url)
            name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "picture.jpg"
            yield Finding(_line_of(body, url), f"the picture '{url}' is on another site: each reader's browser asks that "
                                               "site for it, telling it who reads, and it is gone when that site removes "
                                               f"it; add the picture beside the entry and write ![what it shows]({name})")  # fmt: skip
            continue
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
            continue
        seen.add(url)
        what = "picture" if attribute == "src" else "link"
        line = _line_of(body, url)
        if url.startswith("//"):
            continue  # another host, without a scheme: the reader's browser picks one
        if url.startswith("/"):
            yield Finding(line, f"the {what} '{url}' starts with '/': on GitHub it leads from the repository's root, on "
                                "the site from the host's, which is not the archive's when it is under a path; give the "
                                "path from this file instead, or a full https:// address")  # fmt: skip
            continue
        place = by_path(body.rel_path, url)
        if place is None:
            yield Finding(line, f"the {what} '{url}' leads outside {body.root or './'}, which is not published: "
                                "link a full https:// address")  # fmt: skip
            continue
        shown = f"{body.root}{place}"
        if not os.path.exists(shown):
            yield Finding(line, f"the {what} '{url}' leads to no file: {shown} does not exist")
        elif place.endswith(ENTRY_SUFFIX) and os.path.isfile(shown) and _is_draft(shown):
            yield Finding(line, f"the {what} '{url}' leads to a draft, which the site does not show until it is published")
        elif place.endswith(ENTRY_SUFFIX) and "#" in url:
            whole, _, part = url.partition("#")
            yield Finding(line, f"the link '{url}' leads to that update as a whole, as an update has no anchors inside it: "
                                f"'#{part}' is left out; link '{whole}'")  # fmt: skip


def _is_draft(path: str) -> bool:
    try:
        text = Path(path).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    front = text.split("\n---", 1)[0] if text.startswith("---") else ""
    return bool(_DRAFT.search(front))


# Markdown that GitHub's preview shows one way and the site (cmark-gfm without GitHub's
# own additions) another: found in the rendered HTML, so code blocks never count.
_UNRESOLVED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_TASK = re.compile(r"<li>(?:\n?<p>)?\[[ xX]\] ")
_ALERT = re.compile(r"<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]")
_DIAGRAM = re.compile(r'<pre><code class="language-(mermaid|math|geojson|topojson|stl)"')
_MATH = re.compile(r"\$\$|\$`")
_CODE = re.compile(r"<pre.*?</pre>|<code>.*?</code>", re.DOTALL)
# A link or picture left as text because its address has a space ("(kharkiv square.jpg)"), as
# opposed to an address and a quoted title, which Markdown allows.
_SPACED_ADDRESS = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\((?P<address>[^)\s\"'(<>]+(?: +[^)\s\"'(<>]+)+)\)")


def preview_differences(body: BodyText, html: str | None = None) -> Iterator[Finding]:
    html = _html(body) if html is None else html
    if not html:
        return
    prose = _CODE.sub("", html)
    for match in _UNRESOLVED_FOOTNOTE.finditer(prose):
        label = match.group(1)
        yield Finding(_line_of(body, match.group()), f"footnote [^{label}] has no note: add a line '[^{label}]: ...' "
                                                     "at the end of the body")  # fmt: skip
    if match := _TASK.search(prose):
        yield Finding(
            _line_of(body, "[ ]" if "[ ]" in match.group() else "]"),
            "task list boxes ('- [ ]') show as text on the site: write the list without the brackets",
        )
    if match := _ALERT.search(prose):
        yield Finding(
            _line_of(body, f"[!{match.group(1)}]"),
            f"'> [!{match.group(1)}]' shows as a plain quote on the site, with [!{match.group(1)}] in it: "
            "write the note as a sentence",
        )
    if match := _DIAGRAM.search(html):
        yield Finding(
            _line_of(body, f"```{match.group(1)}"),
            f"a ```{match.group(1)} block shows as code on the site, not as GitHub draws it: add a picture instead",
        )
    if _MATH.search(prose):
        yield Finding(_line_of(body, "$"), "math ($$ ... $$) shows as plain text on the site: write it out in words")
    for match in _SPACED_ADDRESS.finditer(prose):
        what = "picture" if match["bang"] else "link"
        fixed = f"{match['bang']}[{match['text']}](<{match['address']}>)"
        yield Finding(
            _line_of(body, match.group()),
            f"'{match.group()}' shows as text, not as a {what}: an address cannot hold a space; write it as "
            f"{fixed}, or name the file without spaces",
        )


# A heading on the body's first line: "# Title", "## Title ##".
_FIRST_HEADING = re.compile(r"\A\s*\n?( {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*)$", re.MULTILINE)


def repeated_title(body: BodyText) -> Iterator[Finding]:
    """A body that opens with its title as a heading (pasted with the headline): the page would show it twice."""
    match = _FIRST_HEADING.match(body.body)
    if match and body.title and _words(match.group(2)) == _words(body.title):
        yield Finding(_line_of(body, match.group(1).strip()),
                      "the body starts with the title as a heading: the page shows the title above the body already, "
                      "so delete that line")  # fmt: skip


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", unescape(text)).casefold().split())


# A front matter's opening: a '---' line, then a field every front matter has.
_SECOND_FRONT_MATTER = re.compile(r"^---[ \t]*\n(?:title|published):[ \t]", re.MULTILINE)


def second_front_matter(body: BodyText) -> Iterator[Finding]:
    """A front matter pasted into the body (the file copied twice): the site would show its fields as text."""
    for match in _SECOND_FRONT_MATTER.finditer(body.body):
        if len(_FENCE.findall(body.body, 0, match.start())) % 2:
            continue  # in a fenced block: an example, as written
        yield Finding(body.body_line + body.body.count("\n", 0, match.start()),
                      "a second front matter ('---', then 'title:') is in the body, and the site would show its "
                      "fields as text: delete it, from this '---' to the next")  # fmt: skip
        return


# A line that opens or closes a fenced block.
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)
# A line indented as code: a tab, or four spaces.
_INDENTED = re.compile(r"^(?:\t| {4})", re.MULTILINE)
# Prose, not code: words with spaces between them, and a sentence's end.
_PROSE = re.compile(r"[^\W\d_]{2,}(?: [^\W\d_]{2,}){3,}.*[.!?:»”\"]\s*$", re.MULTILINE)


def indented_prose(body: BodyText) -> Iterator[Finding]:
    """A paragraph indented with a tab or four spaces, as word processors indent them: Markdown
    reads it as code, shown in a fixed-width font with its links and names unlinked."""
    if not _INDENTED.search(body.body):
        return
    lines = body.body.split("\n")
    for node in nodes(body.body, frozenset()):
        first = lines[node.line - 1] if 0 < node.line <= len(lines) else ""
        if node.kind != "code_block" or not _INDENTED.match(first) or first.lstrip().startswith(("```", "~~~")):
            continue  # a fenced block (```), even in a list, is code its writer meant
        if _PROSE.search(node.literal or ""):
            yield Finding(body.body_line + node.line - 1,
                          "this paragraph starts with a tab or four spaces, so the site shows it as code, in a "
                          "fixed-width font and without its links: remove the indent")  # fmt: skip
            return


def placeholder(body: BodyText) -> Iterator[Finding]:
    for number, line in enumerate(body.body.split("\n"), start=body.body_line):
        if entry_template.BODY_PLACEHOLDER in line:
            yield Finding(number, "the body still has the placeholder from 'briefings new': write the update there")
            return


def body_findings(body: BodyText) -> list[Finding]:
    """Every check of this module on one body that needs nothing but the body."""
    html = _html(body)
    return [
        *empty_body(body),
        *repeated_title(body),
        *placeholder(body),
        *second_front_matter(body),
        *indented_prose(body),
        *missing_files(body, html),
        *preview_differences(body, html),
    ]
