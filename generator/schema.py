"""JSON Schema checks of YAML documents, reported as plain-language problems.

The schemas in ``generator/schemas/`` are the single statement of what front
matter, settings and registries may hold: ``check`` validates with them and
editors can use the same files for completion, so the two never disagree.
A schema may carry an ``x-message`` next to a constraint: the text a
contributor reads when the value breaks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Iterator

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .yamlsafe import Document, Path

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


@cache
def schema_text(name: str) -> str:
    return resources.files("generator.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_text(name)))


def validate(name: str, document: Document) -> list[Finding]:
    """Every violation of schema ``name`` in ``document``, in document order."""
    findings = [f for error in _validator(name).iter_errors(document.data) for f in _describe(error, document)]
    return sorted(findings, key=lambda f: (f.line or 0, f.message))


def label(path: Path) -> str:
    """A field path as a contributor reads it: sources[1].url is 'url' of source 2."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"item {part + 1} of")
        else:
            parts.append(f"'{part}'")
    return " ".join(reversed(parts)) if parts else "the document"


def _describe(error: ValidationError, document: Document) -> Iterator[Finding]:
    path: Path = tuple(error.absolute_path)
    line = document.line_of(path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            yield Finding(
                path + (key,),
                document.line_of(path + (key,)),
                f"unknown field '{key}' (known fields: {', '.join(allowed)})",
                unknown_field=True,
            )
        return
    if kind == "required":
        missing = error.message.split("'")[1]
        where = "" if not path else f" in {label(path)}"
        yield Finding(path, line, f"missing required field '{missing}'{where}")
        return
    if kind == "type":
        expected = error.validator_value
        wanted = _TYPE_WORDS.get(expected, expected)
        hint = " (put the value in quotes)" if expected == "string" else ""
        yield Finding(path, line, f"{label(path)} must be {wanted}, not {_yaml_word(error.instance)}{hint}")
        return
    custom = error.schema.get("x-message")
    if custom and kind in {"pattern", "minLength", "format"}:
        shown = f": {error.instance!r}" if kind != "minLength" else ""
        yield Finding(path, line, f"{label(path)} {custom}{shown}")
        return
    yield Finding(path, line, f"{label(path)}: {error.message}")


def _yaml_word(value: Any) -> str:
    """How YAML read a value, so a surprise like `no` -> false is visible."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"{value!r} (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return repr(value)
