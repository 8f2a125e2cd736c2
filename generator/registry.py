"""Registries of known cities and people: canonical names, aliases, descriptions."""

from __future__ import annotations

import math

from dataclasses import dataclass
from pathlib import Path

from . import schema, yamlsafe
from .names import display_name, name_key
from .problems import ProblemLog
from .text_files import read_text

KINDS = ("city", "person")
REGISTRY_FILES = {"city": "cities.yml", "person": "people.yml"}


@dataclass(frozen=True)
class RegistryEntry:
    """One known city or person as a registry declares it."""

    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    role: str = ""
    region: str = ""
    country: str = ""
    coordinates: tuple[float, float] | None = None


@dataclass(frozen=True)
class Registry:
    """Known entities of one kind, and the lookup from any of their names."""

    kind: str
    entries: tuple[RegistryEntry, ...]
    by_key: dict[str, RegistryEntry]
    # Its file could not be read: its names are unknown for now, not absent, and no entry is
    # told that a name it lists is unknown (the file's own error says what to fix).
    unreadable: bool = False

    def resolve(self, name: str) -> RegistryEntry | None:
        return self.by_key.get(name_key(name))


def empty_registry(kind: str, *, unreadable: bool = False) -> Registry:
    return Registry(kind, (), {}, unreadable)


def load_registry(config_dir: Path, kind: str, log: ProblemLog) -> Registry:
    """Read ``cities.yml`` or ``people.yml``; a missing file is an empty registry."""
    path = config_dir / REGISTRY_FILES[kind]
    if not path.is_file():
        return empty_registry(kind)
    shown = str(path)
    text = read_text(path, log)
    if text is None:
        return empty_registry(kind, unreadable=True)
    try:
        document = yamlsafe.load(text)
    except yamlsafe.YamlError as exc:
        for line, message in exc.each():
            log.error(shown, line, message)
        return empty_registry(kind, unreadable=True)
    if document.data is None:
        return empty_registry(kind)
    findings = schema.validate("registry", document)
    findings += _not_numbers(document, {finding.path[:2] for finding in findings})
    for finding in findings:
        log.error(shown, finding.line, finding.message)
    if not isinstance(document.data, list):
        return empty_registry(kind, unreadable=True)
    entries: list[RegistryEntry] = []
    by_key: dict[str, RegistryEntry] = {}
    for index, item in _usable_blocks(document.data, findings):
        entry = _entry(kind, item)
        for name in (entry.name, *entry.aliases):
            key = name_key(name)
            other = by_key.get(key)
            if other is not None and other is not entry:
                log.error(
                    shown,
                    document.line_of((index,)),
                    f"name '{display_name(name)}' belongs to both '{other.name}' and '{entry.name}'",
                )
                continue
            by_key[key] = entry
        entries.append(entry)
    return Registry(kind, tuple(entries), by_key)


def _not_numbers(document: yamlsafe.Document, reported: set[tuple]) -> list[schema.Finding]:
    """Coordinates that YAML reads as numbers but are none (.nan), which the schema's bounds
    let through and no map, GeoJSON reader or JSON parser takes (unless ``reported`` already)."""
    found = []
    for index, block in enumerate(document.data if isinstance(document.data, list) else ()):
        coordinates = block.get("coordinates") if isinstance(block, dict) else None
        path = (index, "coordinates")
        if path in reported or not isinstance(coordinates, list):
            continue
        if any(isinstance(c, float) and not math.isfinite(c) for c in coordinates):
            found.append(schema.Finding(path, document.line_of(path), f"{schema.label(path)} must be two numbers, "
                                                                      f"latitude and longitude, not {coordinates}"))  # fmt: skip
    return found


def _usable_blocks(blocks: list, findings: list[schema.Finding]) -> list[tuple[int, dict]]:
    """Each block with a name, by its index, without the fields that have an error.

    One wrong field must not drop the whole registry: every entry naming a city
    would be told to add it. A block keeps its names and its valid fields.
    """
    wrong: dict[int, set[str]] = {}
    for finding in findings:
        if finding.path and isinstance(finding.path[0], int):
            wrong.setdefault(finding.path[0], set()).update(str(part) for part in finding.path[1:2])
    usable = []
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        kept = {key: value for key, value in block.items() if key not in wrong.get(index, ())}
        if isinstance(kept.get("name"), str) and kept["name"].strip():
            usable.append((index, kept))
    return usable


def _entry(kind: str, item: dict) -> RegistryEntry:
    coordinates = item.get("coordinates")
    return RegistryEntry(
        kind=kind,
        name=display_name(item["name"]),
        aliases=tuple(display_name(a) for a in item.get("aliases", ())),
        description=item.get("description", "").strip(),
        role=item.get("role", "").strip(),
        region=item.get("region", "").strip(),
        country=item.get("country", "").strip(),
        coordinates=None if coordinates is None else (float(coordinates[0]), float(coordinates[1])),
    )
