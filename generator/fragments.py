"""Per-entry HTML fragments, rendered once and reused across pages and builds.

An entry's block on its day page (and on the home page) and its line on each
entity page depend only on the entry, the entities it names, the set of linked
names and the templates. They are rendered with every link starting at
``ROOT`` (see ``autolink.with_root``), so one string serves pages at any depth,
and kept on disk keyed by a digest of all those inputs: after an edit, only the
edited entry's fragments are rendered again.
"""

from __future__ import annotations

import hashlib
import itertools
import pickle
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import __version__
from .model import Entity, Entry
from .storage import STORED, LazyBuckets, PickleBuckets

if TYPE_CHECKING:
    from .render import RenderedPage


def templates_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("generator")
    # Every module whose code shapes a stored fragment, page, JSON-LD or feed.
    for name in ("render.py", "autolink.py", "names.py", "urls.py", "fragments.py", "outputs.py", "feeds.py",
                 "markup.py", "structured_data.py", "views.py", "charts.py", "archive_calendar.py", "archive.py",
                 "model.py", "registry.py", "settings.py"):  # fmt: skip
        digest.update(package.joinpath(name).read_bytes())
    for template in sorted(package.joinpath("templates").iterdir(), key=lambda t: t.name):
        if template.name.endswith(".html"):
            digest.update(template.name.encode() + template.read_bytes())
    return digest.hexdigest()


class FragmentStore:
    """Rendered fragments, pages and feeds by input digest; with a ``cache_dir`` they persist between builds."""

    FOLDER = "fragments"
    TEXTS = "fragment-texts"

    def __init__(self, cache_dir: Path | None, context: str, *, read: bool = True) -> None:
        self.context = hashlib.sha256(f"{templates_fingerprint()}|{context}".encode()).hexdigest()
        self._store: PickleBuckets[str, Any] | None = None
        # The texts (entry blocks, JSON-LD, the pages' HTML; not the small ones, SMALL_TEXT)
        # apart, read only as a build uses them: a rebuild of 20,000 entries read back all
        # of them (200 MB) to use a few, which took a tenth of its time and 150 MB of memory.
        self._texts: LazyBuckets[str, bytes] | None = None
        if cache_dir is not None:
            self._store = PickleBuckets(cache_dir / self.FOLDER, self.context, str, read=read)
            self._texts = LazyBuckets(cache_dir / self.TEXTS, self.context, str, read=read)
        self._stored: dict[str, Any] = {} if self._store is None else self._store.items
        self._used: dict[str, Any] = {}
        self._entries: dict[str, tuple[Entry, str]] = {}
        self._keys: dict[tuple[str, str], tuple[Entry, tuple, str]] = {}
        self.fresh: list[str] = []  # what this build had to render, e.g. "block 2022/03/03/x.md"
        self._used_since: list[str] = []
        self._rendered_since: dict[str, str] = {}
        self._recording: list[set[str]] = []  # the parts used by each composite being made

    def get(self, kind: str, entry: Entry, entities: tuple[Entity, ...], render: Callable[[], str]) -> str:
        named = tuple((e.kind, e.slug, e.name) for e in entities)
        # An entry's fragment is asked for by every page that shows it: key it once.
        known = self._keys.get((kind, entry.rel_path))
        if known is None or known[0] is not entry or known[1] != named:
            key = hashlib.sha256(f"{kind}\0{self.entry_digest(entry)}\0{named!r}".encode()).hexdigest()
            known = self._keys[(kind, entry.rel_path)] = (entry, named, key)
        return self.get_keyed(known[2], render, f"{kind} {entry.rel_path}")

    def entry_digest(self, entry: Entry) -> str:
        if entry.source_digest:
            return entry.source_digest  # set by the reader; the context holds the reading code's fingerprint
        # An entry made some other way: digest it whole, once per build.
        found = self._entries.get(entry.rel_path)
        if found is None or found[0] is not entry:
            found = self._entries[entry.rel_path] = (entry, digest(entry))
        return found[1]

    def has(self, key: str) -> bool:
        """Whether a group of pages (never a text) is stored or used under ``key``."""
        return key in self._used or key in self._stored

    def get_keyed(self, key: str, render: Callable[[], Any], label: str) -> Any:
        """The stored result for ``key`` (a digest of everything it depends on), or ``render()``."""
        for parts in self._recording:
            parts.add(key)
        value = self._used.get(key)
        if value is None or value is STORED:
            if value is None:
                self._used_since.append(key)
            value = self._stored_value(key)
            if value is None:
                value = _stored_form(render())
                self.fresh.append(label)
                self._rendered_since[key] = label
            self._used[key] = value
        return _used_form(value)

    def _stored_value(self, key: str) -> Any:
        found = self._stored.get(key)
        if found is None:
            return None if self._texts is None else self._texts.get(key)
        if _is_pages(found) and not self.attach(found[0]):
            return None  # a page's HTML is no longer stored: render it again
        return found

    def attach(self, pages: list[RenderedPage]) -> bool:
        """Point stored pages (read back, or from a forked worker) at the texts that hold
        their HTML; False if one of them is not there."""
        for page in pages:
            if page.data is None:
                if self._texts is None or page.ref not in self._texts.keys:
                    return False
                page.kept_in(self._texts, page.ref)
        return True

    def _kept(self, key: str) -> Any:
        """The stored value of ``key`` for ``save`` to keep, without reading a text (None: not stored)."""
        found = self._stored.get(key)
        if found is None and self._texts is not None and key in self._texts.keys:
            return STORED
        return found

    def get_composite(self, key: str, render: Callable[[], Any], label: str) -> Any:
        """``get_keyed`` for a result made of stored parts (a page of fragments).

        The store keeps only what a build used, and a build that takes the page
        from the store asks for none of its parts: so the page keeps its parts.
        Otherwise the next change to the page would find them gone.
        """

        def make() -> tuple[Any, tuple[str, ...]]:
            self._recording.append(set())
            try:
                value = render()
            finally:
                parts = self._recording.pop()
            return value, tuple(sorted(parts))

        value, parts = self.get_keyed(key, make, label)
        for recording in self._recording:  # a composite within another: its parts are the outer one's too
            recording.update(parts)
        return value

    def _parts_kept(self) -> dict[str, Any]:
        """The parts of the used page groups that the build did not use itself, as ``save`` keeps them.

        Worked out when the store is saved, not as each group is taken: a rebuild
        takes a thousand groups with 75,000 parts from the store, and looking each
        part up took a tenth of its time.
        """
        found: dict[str, Any] = {}
        used = self._used
        for value in used.values():
            if _is_pages(value):
                for key in value[1]:
                    if key not in used and key not in found and (kept := self._kept(key)) is not None:
                        found[key] = kept
        return found

    def export(self) -> "Delta":
        """What this store used and rendered since the last export: a forked worker's share."""
        rendered = {key: (self._used[key], label) for key, label in self._rendered_since.items()}
        delta = Delta(tuple(self._used_since), rendered)
        self._used_since, self._rendered_since = [], {}
        return delta

    def adopt(self, delta: "Delta") -> None:
        """Take in a worker's ``export()``, so ``save`` keeps what the worker used."""
        for key in delta.used:
            if key in self._used:
                continue  # this process or another worker had it already
            if key in delta.rendered:
                self._used[key], label = delta.rendered[key]
                self.fresh.append(label)
            elif (kept := self._kept(key)) is not None:
                self._used[key] = kept

    @property
    def folder(self) -> Path | None:
        return None if self._store is None else self._store.folder

    @property
    def changed(self) -> bool:
        """Whether the stored buckets differ from what this build rendered and used."""
        if self._store is None or self._texts is None:
            return False
        if self.fresh:
            return True
        refs = {page.ref for value in self._used.values() if _is_pages(value) for page in value[0]}
        return self._used.keys() | self._parts_kept().keys() | refs != self._stored.keys() | self._texts.keys

    def save(self) -> None:
        """Keep what this build used, so fragments of removed or changed entries leave.

        Runs in a forked child (``parallel.later``): the pages it hands to the texts
        store are this process's copies.
        """
        if not self.changed:
            return
        assert self._store is not None and self._texts is not None  # changed says so
        texts: dict[str, Any] = {}
        kept: dict[str, Any] = {}
        for key, value in itertools.chain(self._used.items(), self._parts_kept().items()):
            if value is STORED or (type(value) is bytes and len(value) > SMALL_TEXT):
                texts[key] = value
                continue
            kept[key] = value
            for number, page in enumerate(value[0] if _is_pages(value) else ()):
                if page.ref is None:  # rendered by this build: its HTML goes to the texts
                    texts[f"{key}#{number}"] = page.body
                    page.kept_in(self._texts, f"{key}#{number}")
                else:
                    texts.setdefault(page.ref, STORED)
        self._store.save(kept)
        self._texts.save(texts)


# How results are kept, in memory and on disk. Text (a fragment, JSON-LD) is kept as its
# UTF-8 bytes and made a str each time it is used: a str with one character outside
# Latin-1 (a dash, a quote, Cyrillic) unpickles ten times slower than its bytes, and a
# rebuild reads back 40,000 fragments to use a few. The few results that are bytes
# themselves (feeds) are wrapped, so that the two never mix.


# Texts up to this many bytes (an entry's line on an entity page) are kept with the
# results read whole at the start, not in the buckets read on demand: a busy entity's
# first page lists 400 lines, whose texts lay in 400 buckets of the lazy store, and
# reading those took a tenth of a rebuild. All of them together weigh 4 MB at 20,000 entries.
SMALL_TEXT = 512


@dataclass(frozen=True)
class Binary:
    """A result that is bytes, as kept: unwrapped when used."""

    data: bytes


def _is_pages(value: Any) -> bool:
    """Whether ``value`` is a stored group of pages: ([RenderedPage, ...], their parts' keys)."""
    return type(value) is tuple and len(value) == 2 and type(value[0]) is list and all(hasattr(p, "kept_in") for p in value[0])


def _stored_form(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8")
    return Binary(value) if isinstance(value, bytes) else value


def _used_form(value: Any) -> Any:
    if type(value) is bytes:
        return value.decode("utf-8")
    return value.data if type(value) is Binary else value


@dataclass(frozen=True)
class Delta:
    """Keys a store used, and the results (with labels) it rendered, since its last export."""

    used: tuple[str, ...]
    rendered: dict[str, tuple[Any, str]]


def digest(*parts: object) -> str:
    """A key for the store: the digest of plain data (entries, names, strings)."""
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()
