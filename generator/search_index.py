"""The search index: Pagefind run over the built site, writing ``pagefind/`` into it.

Pagefind splits the index into chunks, so what a reader downloads to run a search
stays about the same however large the archive grows. Only entries are indexed:
``templates/_entry.html`` marks each entry ``data-pagefind-body`` (so the theme's
chrome, day navigation and entity pages stay out), its heading carries an id for
per-entry results, and its city and person chips are Pagefind filters.

The binary comes with the ``pagefind-bin`` package installed beside this one; it
is never downloaded at run time.

Pagefind 1.5 writes its filter indexes in hash-map order, which changes from run to
run; ``_make_reproducible`` sorts them and renames the files after their content,
so the same site always gets the same index, byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

import cbor2

from .problems import BriefingsError

BUNDLE_DIR = "pagefind"

# The home page repeats the latest day's entries: index the pages below the root
# (day pages) only, so every entry is found once, on its day page.
PAGE_GLOB = "*/**/*.html"

TIMEOUT_S = 600


class SearchIndexError(BriefingsError):
    """Pagefind is missing or could not index the built site."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the installed ``pagefind-bin`` package."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError(
            "the pagefind-bin package is not installed (pip install -r requirements.txt): "
            "it provides the Pagefind binary that builds the search index"
        ) from None
    try:
        return get_executable()
    except FileNotFoundError as exc:
        raise SearchIndexError(f"the pagefind-bin package has no Pagefind binary: {exc}") from None


class IndexJob:
    """Pagefind indexing the day pages while MkDocs writes the site, on the other core.

    The index depends only on what Pagefind reads: the ``data-pagefind-body``
    entries, the page's first <h1> and its language. Those are known before
    MkDocs runs, so Pagefind reads them from small stand-in pages at the same
    paths and the bundle is moved into the site once both are done.
    """

    def __init__(self, pages: Iterable[tuple[str, str]], language: str) -> None:
        self._work = Path(tempfile.mkdtemp(prefix="briefings-search-"))
        site = self._work / "site"
        for url, html in pages:
            path = site / url / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8"></head>'
                            f"<body>{html}</body></html>\n", "utf-8")  # fmt: skip
        site.mkdir(exist_ok=True)
        self._bundle = self._work / BUNDLE_DIR
        try:
            self._process = _start(site, self._bundle)
        except SearchIndexError:
            shutil.rmtree(self._work, ignore_errors=True)
            raise

    def finish(self, site_dir: Path) -> None:
        """Wait for Pagefind and put its bundle at ``site_dir/pagefind/``."""
        try:
            _finish(self._process, self._bundle)
            shutil.move(str(self._bundle), str(Path(site_dir) / BUNDLE_DIR))
        finally:
            shutil.rmtree(self._work, ignore_errors=True)

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._work, ignore_errors=True)


def index_site(site_dir: Path) -> None:
    """Write the search index of the finished site in ``site_dir`` to ``site_dir/pagefind/``."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise SearchIndexError(f"cannot index {site_dir}: no such directory")
    bundle = site_dir / BUNDLE_DIR
    _finish(_start(site_dir, bundle), bundle)


def _start(site: Path, bundle: Path) -> subprocess.Popen:
    command = [
        str(pagefind_executable()),
        "--site", str(site),
        "--output-path", str(bundle),
        "--glob", PAGE_GLOB,
        "--quiet",
    ]  # fmt: skip
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as exc:
        raise SearchIndexError(f"could not run Pagefind ({command[0]}): {exc}") from None


def _finish(process: subprocess.Popen, bundle: Path) -> None:
    """Wait for Pagefind, check it wrote an index, and make the index reproducible."""
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_S} s") from None
    if process.returncode != 0:
        raise SearchIndexError(f"Pagefind failed (exit {process.returncode}):\n{output.strip()}")
    if not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind wrote no index into {bundle}:\n{output.strip()}")
    _make_reproducible(bundle)


# --- reproducible filter indexes ------------------------------------------------------
#
# Pagefind's index files are gzip("pagefind_dcd" + CBOR). A language's metadata file,
# pagefind.<hash>.pf_meta, is [version, pages, index chunks, filters, sorts, meta
# fields], filters being [[filter name, file hash], ...]; each filter/<hash>.pf_filter
# is [filter name, [[value, [page numbers]], ...]]. File names are only references
# (the hashes are not checked when read), so sorted files are renamed after their
# content and the references updated: filter files in the metadata, the metadata in
# pagefind-entry.json.

_SIGNATURE = b"pagefind_dcd"


def _make_reproducible(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text("utf-8")
    for language in json.loads(entry_text)["languages"].values():
        meta_hash = language["hash"]
        meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
        meta = _read(meta_path)
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
            raise SearchIndexError(f"{meta_path}: not the metadata layout of Pagefind 1.5 (see requirements.txt)")
        filters = []
        for name, file_hash in meta[3]:
            path = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(path)
            data = _pack([filter_name, sorted(values, key=lambda value: value[0])])
            path.unlink()
            filters.append([name, _write(bundle / "filter", _prefix(file_hash), ".pf_filter", data, 7)])
        meta[3] = sorted(filters)
        meta_path.unlink()
        new_hash = _write(bundle, "pagefind." + _prefix(meta_hash), ".pf_meta", _pack(meta), 10)
        entry_text = entry_text.replace(f'"{meta_hash}"', f'"{new_hash.removeprefix("pagefind.")}"')
    entry_path.write_text(entry_text, "utf-8")


def _prefix(file_hash: str) -> str:
    """The language part of a Pagefind file hash: 'en_6a4ec85' -> 'en_'."""
    return file_hash[: file_hash.index("_") + 1] if "_" in file_hash else ""


def _read(path: Path):  # noqa: ANN202 - CBOR data
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind index file")
    try:
        return cbor2.loads(data[len(_SIGNATURE) :])
    except cbor2.CBORDecodeError as exc:
        raise SearchIndexError(f"{path}: not a Pagefind index file ({exc})") from None


def _pack(value) -> bytes:  # noqa: ANN001 - CBOR data
    # Canonical CBOR: the shortest form of every item, so equal data gives equal bytes.
    return gzip.compress(_SIGNATURE + cbor2.dumps(value, canonical=True), compresslevel=9, mtime=0)


def _write(directory: Path, prefix: str, suffix: str, data: bytes, digits: int) -> str:
    """Write ``data`` under a name made from its content; return the name without suffix."""
    name = prefix + hashlib.sha256(data).hexdigest()[:digits]
    (directory / (name + suffix)).write_bytes(data)
    return name
