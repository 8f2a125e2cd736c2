"""JSON Schema checks of YAML documents, reported as plain-language problems.

The schemas in ``generator/schemas/`` are the single statement of what front
matter, settings and registries may hold: ``check`` validates with them and
editors can use the same files for completion, so the two never disagree.
A schema may carry an ``x-message`` next to a constraint: the text a
contributor reads when the value breaks it.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Callable, Iterator

import fastjsonschema

from .names import NEVER_SPELLING
from .yaml_advice import ODD_SPACE
from .yamlsafe import Document, Path

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}


@dataclass(frozen=True)
class Finding:
    """One schema violation: where it is and what to tell the writer."""

    path: Path
    line: int | None
    message: str
    unknown_field: bool = False
    missing: str = ""  # the required field that is missing, if that is the problem
    meant: str = ""  # the known field an unknown one is likely a slip for


@cache
def schema_text(name: str) -> str:
    return resources.files("generator.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")


@cache
def _validator(name: str) -> Draft202012Validator:
    # Imported here: it is needed only to explain a failure, and importing it is not free.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(schema_text(name)))


@cache
def _fast_check(name: str) -> Callable[[Any], Any]:
    # fastjsonschema compiles the schema to Python, which checks valid data (almost all
    # of an archive) quickly. jsonschema then explains the rare failures.
    return fastjsonschema.compile(draft7(json.loads(schema_text(name))))


def draft7(schema: Any) -> Any:
    """A 2020-12 schema in the words of draft 7, the newest draft fastjsonschema reads.

    Our schemas use one keyword draft 7 spells otherwise: ``prefixItems`` (a fixed
    tuple), which is draft 7's ``items`` as a list, its ``items`` then ``additionalItems``.
    """
    if isinstance(schema, list):
        return [draft7(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: draft7(value) for key, value in schema.items() if key not in {"$schema", "prefixItems"}}
    if "prefixItems" in schema:
        result["items"] = draft7(schema["prefixItems"])
        if "items" in schema:
            result["additionalItems"] = draft7(schema["items"])
    return result


def validate(name: str, document: Document) -> list[Finding]:
    """Every violation of schema ``name`` in ``document``, one per field, in document order."""
    try:
        _fast_check(name)(document.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(_validator(name).iter_errors(document.data), key=_error_order)
    findings: dict[tuple[Path, str], Finding] = {}
    for error in errors:
        for finding in _describe(error, document):
            # The first, most basic, problem of a field; but every missing field of an object.
            findings.setdefault((finding.path, finding.missing), finding)
    return sorted(findings.values(), key=lambda f: (f.line or 0, f.message))


def _error_order(error: ValidationError) -> tuple:
    # Report a wrong type before a too-short or badly formed value of the same field.
    rank = {"required": 0, "type": 1, "additionalProperties": 2, "minLength": 3}.get(error.validator, 4)
    return (tuple(str(p) for p in error.absolute_path), rank)


_ITEM_WORDS = {"corrections": "correction", "sources": "source", "cities": "city", "people": "person", "tags": "tag", "aliases": "alias"}


def label(path: Path) -> str:
    """A field path as a contributor reads it: ('sources', 1, 'url') is "'url' of source 2"."""
    words: list[str] = []
    for index, part in enumerate(path):
        if isinstance(part, int):
            parent = path[index - 1] if index else None
            item = _ITEM_WORDS.get(parent) if isinstance(parent, str) else None
            words[-1:] = [f"{item} {part + 1}" if item else f"item {part + 1} of {words[-1] if words else 'the list'}"]
        else:
            words.append(f"'{part}'")
    return " of ".join(reversed(words)) if words else "the document"


# What to do with a list field left empty: the lines that go under it, or none at all.
_EMPTY_LIST_HINTS: dict[tuple, str] = {
    ("corrections",): ": delete the line, or write each correction under it, as '  - at: 2022-03-03T12:30:00+02:00' "
                      "and, on the next line, '    text: What was wrong, and what is right.'",
    ("sources",): ": delete the line, or write each source under it, as '  - name: RFE/RL' and, on the next line, "
                  "'    url: https://www.rferl.org/...'",
}


def _describe(error: ValidationError, document: Document) -> Iterator[Finding]:
    path: Path = tuple(error.absolute_path)
    line = document.line_of(path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            odd = ODD_SPACE.search(key)
            if odd is not None:  # "\u00a0 - name": a list item YAML took for a field
                name = unicodedata.name(odd.group(), "a space").lower()
                message = (f"a {name} (U+{ord(odd.group()):04X}) before '{ODD_SPACE.sub(' ', key).strip()}', which text from "
                           "Word or a web page brings: YAML does not read it as a space; delete it and type ordinary spaces")  # fmt: skip
                yield Finding(path + (key,), document.line_of(path + (key,)), message, unknown_field=True)
                continue
            hidden = "".join(char for char in key if NEVER_SPELLING.match(char))
            if hidden and NEVER_SPELLING.sub("", key) in allowed:  # 'pub\u200blished': looks right, is not
                characters = ", ".join(sorted({f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in hidden}))
                message = f"the field '{NEVER_SPELLING.sub('', key)}' holds an invisible character ({characters}): retype its name"
                yield Finding(path + (key,), document.line_of(path + (key,)), message, unknown_field=True)
                continue
            close = _close_field(key, allowed)
            meant = f"; did you mean '{close}'?" if close else ""
            yield Finding(
                path + (key,),
                document.line_of(path + (key,)),
                f"unknown field '{key}' (known fields: {', '.join(allowed)}){meant}",
                unknown_field=True,
                meant=close or "",
            )
        return
    if kind == "required":
        missing = error.message.split("'")[1]
        where = "" if not path else f" in {label(path)}"
        yield Finding(path, line, f"missing required field '{missing}'{where}", missing=missing)
        return
    if kind == "type":
        expected = error.validator_value
        wanted = _TYPE_WORDS.get(expected, expected)
        hint = " (put the value in quotes)" if expected == "string" else ""
        if error.instance is None and expected == "array" and path in _EMPTY_LIST_HINTS:
            hint = _EMPTY_LIST_HINTS[path]  # a field left with nothing under it, its example still commented out
        yield Finding(path, line, f"{label(path)} must be {wanted}, not {yaml_word(error.instance, document.typed.get(path))}{hint}")
        return
    custom = error.schema.get("x-message")
    if custom and kind in {"pattern", "minLength", "format"}:
        shown = f": {error.instance!r}" if kind != "minLength" else ""
        yield Finding(path, line, f"{label(path)} {custom}{shown}")
        return
    yield Finding(path, line, f"{label(path)}: {error.message}")


def _close_field(key: str, allowed: list[str]) -> str | None:
    """The known field ``key`` is likely a slip for: the same in other case ('Key'), or a typo ('titel')."""
    same = [name for name in allowed if name.lower() == key.lower()]
    close = same or difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.7)
    return close[0] if close else None


def yaml_word(value: Any, typed: str | None = None) -> str:
    """How YAML read a value, so a surprise like `no` -> false is visible; ``typed``, what was
    typed (``Document.typed``), goes first where it differs: "12:30, which YAML reads as 750 (a number)"."""
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    if not isinstance(value, (bool, int, float)):
        return repr(value)
    shown = str(value).lower() if isinstance(value, bool) else repr(value)
    read = f"{shown} ({'a boolean' if isinstance(value, bool) else 'a number'})"
    return read if typed is None or typed.lower() == shown else f"{typed}, which YAML reads as {read}"
