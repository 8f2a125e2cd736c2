"""One fingerprint of the code that shapes what a build reads and writes.

Every cache answers for one fingerprint: the bytes of every file of the
``generator`` package (modules, templates, schemas, data) and the name and
version of every installed distribution. Any change to the generator, a template
or a library's version therefore empties every cache; no list of the modules
that matter is kept by hand, so none can miss one.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the generator package


@cache
def code_fingerprint() -> str:
    """The fingerprint of this process's generator and libraries.

    Worked out once a process: the code that runs is the code imported, whatever
    the files say later.
    """
    return fingerprint_of(PACKAGE, sys.path)


def fingerprint_of(package: Path, path: list[str]) -> str:
    """The digest of every file under ``package`` and every distribution found on ``path``."""
    digest = hashlib.sha256()
    for name, data in package_files(package):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    for distribution in installed_distributions(path):
        digest.update(f"{distribution}\n".encode())
    return digest.hexdigest()


def package_files(package: Path) -> list[tuple[str, bytes]]:
    """Every file of the package but compiled modules, by path relative to it, in a fixed order."""
    found = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in names:
            if not name.endswith((".pyc", ".pyo")):
                file = Path(folder, name)
                found.append((file.relative_to(package).as_posix(), file.read_bytes()))
    return sorted(found)


def installed_distributions(path: list[str]) -> list[str]:
    """The installed distributions, as their metadata folders name them: name and version.

    Listing the folders on the import path is enough: a distribution's metadata
    folder is named ``<name>-<version>.dist-info`` (or ``.egg-info``).
    """
    found: set[str] = set()
    # Only the folders libraries are installed in: the script's folder or the working
    # folder, first on the path, differ between `briefings` and `mkdocs`, which share caches.
    for entry in path:
        if not entry.endswith(("site-packages", "dist-packages")):
            continue
        try:
            names = os.listdir(entry)
        except OSError:  # a zip file, or a folder that is gone
            continue
        found.update(name for name in names if name.endswith((".dist-info", ".egg-info")))
    return sorted(found)
