"""The copy of the entry schema in ``site_config/``, for editors' YAML support.

``generator/schemas/entry.schema.json`` is the one ``check`` validates with;
the copy is written from it byte for byte by ``briefings schema``, so an editor
pointed at the copy shows exactly the errors ``check`` reports.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXPORTED_NAME = "entry.schema.json"


def exported_path(config_dir: Path) -> Path:
    return config_dir / EXPORTED_NAME


def export_entry_schema(config_dir: Path) -> Path:
    """Write the copy; return its path."""
    path = exported_path(config_dir)
    path.write_bytes(schema_bytes())
    return path


def is_current(config_dir: Path) -> bool:
    """True when the copy exists and equals the schema ``check`` uses."""
    path = exported_path(config_dir)
    return path.is_file() and path.read_bytes() == schema_bytes()


def schema_bytes() -> bytes:
    return resources.files("generator.schemas").joinpath(EXPORTED_NAME).read_bytes()
