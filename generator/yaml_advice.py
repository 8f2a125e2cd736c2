"""YAML mistakes in plain words: the line the writer got wrong and what to type instead.

PyYAML says where it stopped reading, in a parser's words ("mapping values are not
allowed here"), and often on the line after the mistake. Its marks are the input
here; the message is ours, and names the line to change, with the line as it
should be written wherever that can be worked out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Fields whose value is a list: a '[' starts them on purpose.
LIST_FIELDS = frozenset({"cities", "people", "sources", "tags", "aliases", "coordinates"})
SOURCE_EXAMPLE = "\"  - name: RFE/RL\" and, on the next line, \"    url: https://www.rferl.org/...\""
SOURCE_FORM = f"a source is two lines, {SOURCE_EXAMPLE} (two spaces before '-', four before 'url')"

_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*) *:(?=[ \t]|$)[ \t]*(?P<value>.*?)[ \t]*$")
_NO_SPACE = re.compile(r"^ *(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:].*)$")
_SPECIAL_START = {
    "@": "'@'", "`": "'`'", "%": "'%'", "*": "'*'", "&": "'&'", "!": "'!'", "[": "'['", "{": "'{'", "|": "'|'", ">": "'>'",
}  # fmt: skip


@dataclass(frozen=True)
class Advice:
    line: int  # 0-based, in the text given
    message: str


@dataclass(frozen=True)
class Marks:
    """What the parser said, where (0-based lines and columns; None where it gave none)."""

    problem: str
    problem_line: int | None
    problem_column: int | None
    context: str = ""
    context_line: int | None = None


def quoted(value: str) -> str:
    """``value`` as a YAML quoted value: in single quotes if it holds a '"' and no "'", else in double quotes."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def explain(text: str, marks: Marks) -> Advice:
    """The writer's mistake behind a parser error, in plain words, at the line to change."""
    lines = text.split("\n")
    where = marks.problem_line if marks.problem_line is not None else marks.context_line or 0
    for rule in (_tab, _odd_space, _wide_colon, _no_space, _quote_unclosed, _bracket_unclosed, _special_start, _colon_in_value,
                 _misaligned):  # fmt: skip
        advice = rule(lines, marks, where)
        if advice is not None:
            return advice
    return Advice(where, f"YAML cannot read this line ({marks.problem}): check its indentation, colons and quotes")


def start_advice(text: str, line: int, character: str) -> Advice | None:
    """For a value that starts with '*', '&' or '!' (an alias, anchor or tag to YAML): quote it."""
    lines = text.split("\n")
    match = _KEY_LINE.match(lines[line]) if 0 <= line < len(lines) else None
    if match is None or not match["value"].startswith(character) or match["key"] in LIST_FIELDS:
        return None
    after = match["value"].split(None, 1)[1:]
    if not after or after[0][:1] in "[{":
        return None  # YAML's own anchor, alias or tag, meant as such: its own message says what is refused
    return _quote_it(line, match, f"a value cannot start with '{character}' in YAML")


_CONTROL_NAMES = {
    0x00: "a null character", 0x07: "a bell", 0x08: "a backspace", 0x0B: "a vertical tab", 0x0C: "a form feed",
    0x1B: "an escape", 0x7F: "a delete",
}  # fmt: skip
# Word writes a line break typed with Shift+Enter as a vertical tab and a page break as a form
# feed; both survive copying into a plain-text editor, where they cannot be seen.
_PASTED = frozenset({0x0B, 0x0C})


def unreadable_character(lines: list[str], line: int, column: int) -> Advice:
    """A character YAML refuses to read (0-based ``line`` and ``column``): which, where, and what to do."""
    code = ord(lines[line][column])
    kind = "control character" if unicodedata.category(chr(code)) == "Cc" else "character"
    match = _KEY_LINE.match(lines[line].replace(chr(code), " "))
    place = f"'{match['key']}'" if match and column >= match.end("key") else "this line"
    what = f"invisible {kind} U+{code:04X} in {place}, column {column + 1}"
    name = _CONTROL_NAMES.get(code)
    if code in _PASTED:
        return Advice(line, f"{what} ({name}, which text pasted from Word or a PDF often carries): delete it, "
                            "and type the space or line break it stood for")  # fmt: skip
    named = f" ({name})" if name else ""
    return Advice(line, f"{what}{named}: YAML cannot read it; delete it")


def _line(lines: list[str], index: int | None) -> str:
    return lines[index] if index is not None and 0 <= index < len(lines) else ""


def _tab(lines: list[str], marks: Marks, where: int) -> Advice | None:
    if "'\\t'" not in marks.problem:
        return None
    return Advice(where, "this line has a tab, and YAML takes only spaces before a field or a list item: use spaces instead")


# Spaces YAML does not read as spaces, which Word and web pages put where a space was typed:
# the no-break spaces, the typographic spaces, the ideographic space.
_ODD = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
ODD_SPACE = re.compile(f"[{_ODD}]")
_ODD_SPACE_PLACE = re.compile(f"^(?P<indent>[ {_ODD}]*)(?:- *)?(?:[A-Za-z_][\\w-]*:)?(?P<after>[ {_ODD}]*)")


def _odd_space(lines: list[str], marks: Marks, where: int) -> Advice | None:
    """A no-break space (or another) before a field or after its colon, up to where the parser
    stopped: YAML reads it as part of a word, and stops lines later, at a line that is right."""
    for index in range(0, min(where, len(lines) - 1) + 1):
        match = _ODD_SPACE_PLACE.match(lines[index])
        odd = ODD_SPACE.search(match.group(0)) if match else None
        if odd is None:
            continue
        name = unicodedata.name(odd.group(), "a space").lower()
        key = _KEY_LINE.match(ODD_SPACE.sub(" ", lines[index]))
        place = f"after '{key['key']}:'" if key and odd.start() >= match.end("indent") else "before the text"
        return Advice(index, f"a {name} (U+{ord(odd.group()):04X}) {place}, which text from Word or a web page "
                             "brings: YAML does not read it as a space; delete it and type an ordinary space")  # fmt: skip
    return None


# The colons of Chinese and Japanese keyboards (full-width) and of Arabic script's
# presentation forms: YAML takes them for letters, so "title：余震" is no field.
_WIDE_COLON = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[A-Za-z_][\w-]*) *(?P<colon>[\uff1a\ufe55\ufe13])")


def _wide_colon(lines: list[str], marks: Marks, where: int) -> Advice | None:
    """A field's name followed by a full-width colon, up to where the parser stopped (lines
    later); not in a block of text (``text: |``), where it is a word's colon."""
    text = _block_text(lines)
    for index in range(0, min(where, len(lines) - 1) + 1):
        if index not in text and (match := _WIDE_COLON.match(lines[index])):
            colon = match["colon"]
            name = unicodedata.name(colon, "a colon").lower()
            rest = lines[index][match.end():].strip()
            return Advice(index, f"'{match['key']}' is followed by a {name} ('{colon}', U+{ord(colon):04X}), which YAML "
                                 f"does not read as one: type the colon ':' and a space: {match['key']}: {rest}")  # fmt: skip
    return None


_BLOCK_START = re.compile(r"^(?P<indent> *)(?:- +)?[^\s:#][^:#]*:[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _block_text(lines: list[str]) -> set[int]:
    """The lines of block scalars (the text after ``text: |`` or ``>``, indented under it)."""
    found: set[int] = set()
    opened: int | None = None  # the indentation of the line that opened the block being read
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if opened is not None and (not line.strip() or indent > opened):
            found.add(index)
            continue
        opened = None
        if match := _BLOCK_START.match(line):
            opened = len(match["indent"])
    return found


def _no_space(lines: list[str], marks: Marks, where: int) -> Advice | None:
    # "title:Kyiv" reads as text, so the parser stops a line or more later: find the line.
    for index in range(min(where, len(lines) - 1), -1, -1):
        match = _NO_SPACE.match(lines[index])
        if match and not lines[index].lstrip().startswith(("http:", "https:")):
            key, value = match["key"], match["value"]
            return Advice(index, f"'{key}:' needs a space after the colon: {key}: {value}")
    return None


def _quote_unclosed(lines: list[str], marks: Marks, where: int) -> Advice | None:
    if marks.context != "while scanning a quoted scalar":
        return None
    line = marks.context_line if marks.context_line is not None else where
    match = _KEY_LINE.match(_line(lines, line))
    if "escape" in marks.problem:
        field = f"the value of '{match['key']}'" if match else "this value"
        return Advice(line, f"the '\\' in {field} starts an escape YAML does not know: write '\\\\' for a backslash, "
                            "or put the value in single quotes instead")  # fmt: skip
    if match is None or not match["value"][:1] in ("'", '"'):
        return Advice(line, "the quote that opens this value is never closed: end the value with the same quote on this line")
    mark = match["value"][0]
    return Advice(
        line,
        f"the {mark} that opens the value of '{match['key']}' is never closed: end the value with {mark} on the "
        f"same line: {match['key']}: {match['value']}{mark}",
    )


def _bracket_unclosed(lines: list[str], marks: Marks, where: int) -> Advice | None:
    kind = {"while parsing a flow sequence": ("[", "]", "list"), "while parsing a flow mapping": ("{", "}", "mapping")}
    if marks.context not in kind:
        return None
    opening, closing, what = kind[marks.context]
    line = marks.context_line if marks.context_line is not None else where
    match = _KEY_LINE.match(_line(lines, line))
    field = f" of '{match['key']}'" if match else ""
    if marks.problem_line == line and "':'" in marks.problem:
        return Advice(line, f"an item of the {what}{field} has ': ' in it: put that item in quotes")
    if match is not None and match["key"] not in LIST_FIELDS and match["value"].startswith(opening):
        return _quote_it(line, match, f"a value cannot start with '{opening}' in YAML")  # text, not a list
    if match is None or closing in match["value"]:
        return Advice(line, f"the '{opening}' that opens the {what}{field} is never closed: end it with '{closing}'")
    return Advice(
        line,
        f"the '{opening}' that opens the {what}{field} is never closed: end it with '{closing}' on the same line: "
        f"{match['key']}: {match['value']}{closing}",
    )


def _special_start(lines: list[str], marks: Marks, where: int) -> Advice | None:
    scanning = marks.context in {"while scanning an alias", "while scanning an anchor", "while scanning a block scalar"}
    line = marks.context_line if scanning and marks.context_line is not None else where
    match = _KEY_LINE.match(_line(lines, line))
    if match is None or not match["value"] or match["value"][0] not in _SPECIAL_START:
        return None
    first = match["value"][0]
    if first in "[{" and match["key"] in LIST_FIELDS:
        return None  # a list, as meant: something else is wrong
    if first in "[{" and "block mapping" not in marks.context:
        return None
    if first not in "[{" and not (scanning or "cannot start any token" in marks.problem):
        return None
    return _quote_it(line, match, f"a value cannot start with {_SPECIAL_START[first]} in YAML")


def _colon_in_value(lines: list[str], marks: Marks, where: int) -> Advice | None:
    text = _line(lines, where)
    match = _KEY_LINE.match(text)
    if match is None:
        return None
    value = match["value"]
    if marks.problem == "mapping values are not allowed here" and marks.problem_column is not None:
        if marks.problem_column > match.end("key") and ": " in value + " ":
            return _quote_it(where, match, f"the value of '{match['key']}' has ': ' in it, which YAML reads as a new field")
    if "expected <block end>" in marks.problem and "block mapping" in marks.context and value[:1] in ("'", '"'):
        mark = value[0]
        inner = value[1:-1] if len(value) > 1 and value.endswith(mark) else value[1:]
        return Advice(
            where,
            f"the value of '{match['key']}' ends at its second {mark}: to keep quotes inside a value, "
            f"write it as {match['key']}: {quoted(inner)}",
        )
    return None


def _misaligned(lines: list[str], marks: Marks, where: int) -> Advice | None:
    text = _line(lines, where)
    match = _KEY_LINE.match(text)
    if match is None:
        return None
    key = match["key"]
    parent = _parent_key(lines, where)
    emptied = _emptied_list(lines, where)
    if emptied is not None:
        return Advice(emptied, f"'{_KEY_LINE.match(lines[emptied])['key']}: []' says the list is empty, so YAML cannot "
                               "read the items below it: delete the [] and keep the items")  # fmt: skip
    if key in ("name", "url") or parent == "sources":
        return Advice(where, f"'{key}' is not lined up with the source above it: {SOURCE_FORM}")
    above = _previous_key(lines, where)
    if above is not None and len(match["indent"]) + len(match["dash"] or "") > above[1]:
        return Advice(where, f"'{key}' is indented further than '{above[0]}' above it, so YAML reads it as part of "
                             f"that value: start it where '{above[0]}' starts")  # fmt: skip
    return Advice(where, f"'{key}' is indented differently from the lines around it: line it up with the fields at its level")


def _emptied_list(lines: list[str], index: int) -> int | None:
    """The line of a list field written empty ('sources: []'), as ``briefings new`` leaves it,
    above the indented items of line ``index``: the writer added the items and kept the brackets."""
    for above in range(index - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#") or text.startswith(" "):
            continue  # blank, a comment, or another of the indented items
        match = _KEY_LINE.match(text)
        return above if match and match["value"].replace(" ", "") == "[]" else None
    return None


def _quote_it(line: int, match: re.Match[str], why: str) -> Advice:
    dash = match["dash"] or ""
    written = f"{match['indent']}{dash}{match['key']}: {quoted(match['value'])}".strip()
    return Advice(line, f"{why}: put the whole value in quotes: {written}")


def _previous_key(lines: list[str], index: int) -> tuple[str, int] | None:
    """The nearest key above line ``index``, with the column its key starts at."""
    for above in range(index - 1, -1, -1):
        match = _KEY_LINE.match(lines[above])
        if match:
            return match["key"], len(match["indent"]) + len(match["dash"] or "")
    return None


def _parent_key(lines: list[str], index: int) -> str | None:
    """The key of the nearest line above ``index`` that starts further left: the field it belongs to."""
    column = len(lines[index]) - len(lines[index].lstrip(" "))
    for above in range(index - 1, -1, -1):
        text = lines[above]
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent < column or (indent == 0 and column == 0):
            match = _KEY_LINE.match(text)
            return match["key"] if match and indent < column else None
    return None


def list_hint(field: str, raw_value: str) -> str:
    """How to write a field's value as the list it must be, from what was written."""
    if field == "sources":
        return f": {SOURCE_FORM}"
    items = [item.strip() for item in raw_value.strip().strip("[]").split(",") if item.strip()]
    return f": write it as {field}: [{', '.join(items)}]" if items else ""


# A value wrapped in a word processor's quotes, which YAML keeps as part of it: “true”, «Kyiv».
_TYPOGRAPHIC_QUOTED = re.compile(r"[\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a](.+)[\u201c\u201d\u2018\u2019\u00ab\u00bb\u2039\u203a]")


def typographic_quotes(value: object) -> str:
    """For a value refused as written: what a word processor's quotes around it do, and what to
    write instead ("" for a value without them)."""
    quoted = _TYPOGRAPHIC_QUOTED.fullmatch(value.strip()) if isinstance(value, str) else None
    if quoted is None:
        return ""
    inner = quoted.group(1).strip()
    # true, false and numbers are what they are only without quotes; a text may keep straight ones.
    straight = "" if inner.lower() in ("true", "false") or inner.replace(".", "", 1).lstrip("-").isdigit() else ", or in straight quotes"
    return (f"; the {value.strip()[0]} {value.strip()[-1]} around it are a word processor's quotes, which YAML keeps "
            f"as part of the value: write it without them, {inner}{straight}")

