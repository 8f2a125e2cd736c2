"""Rendered pages and feeds, kept by a digest of what they are made from.

Each group of pages (a day, one page of an entity, an index) and each feed
is keyed by a digest of what it is made from (``views.ViewGroup``, ``outputs``).
A build takes from the store whatever it would render the same, and hands the
rest to workers to render. With a ``cache_dir``, the store persists between
builds, so a rebuild after an edit renders the few groups and feeds the edit
touched. What they are made of (an entry's block, its line on an entity page,
a day's JSON-LD) is not kept: rendering those again for the few groups that
change is cheap, and keeping them cost a first build time and memory
(docs/performance.md).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

from .fingerprint import code_fingerprint
from .storage import STORED, LazyBuckets, PickleBuckets, cache_folder


class StoredPage(Protocol):
    """What the store needs of a rendered page (``render.RenderedPage``): its HTML kept apart."""

    data: bytes | None  # None while the HTML is only in the store's texts
    ref: str | None  # the key of the HTML in the texts

    @property
    def body(self) -> bytes: ...

    def kept_in(self, source: Any, ref: str, again: Callable[[], list[Any]] | None = None) -> None: ...


class OutputStore:
    """Groups of rendered pages and feeds by input digest; with a ``cache_dir`` they persist between builds."""

    FOLDER = "outputs"
    TEXTS = "output-texts"

    def __init__(self, cache_dir: Path | None, context: str, *, read: bool = True) -> None:
        self.context = hashlib.sha256(f"{code_fingerprint()}|{context}".encode()).hexdigest()
        self._store: PickleBuckets[str, Any] | None = None
        # The pages' HTML apart, read only as a build uses it: a rebuild that copies most
        # pages from the previous site reads back the HTML of the few it renders or indexes.
        self._texts: LazyBuckets[str, bytes] | None = None
        # Without either folder (a file in its place), the build goes on without the store, and says so.
        if cache_dir is not None and all([cache_folder(cache_dir / name) for name in (self.FOLDER, self.TEXTS)]):
            self._store = PickleBuckets(cache_dir / self.FOLDER, self.context, str, read=read)
            self._texts = LazyBuckets(cache_dir / self.TEXTS, self.context, str, read=read)
        self._stored: dict[str, Any] = {} if self._store is None else self._store.items
        self._used: dict[str, Any] = {}
        self.fresh: list[str] = []  # what this build had to render, e.g. "pages day 2022-03-03"
        self._used_since: list[str] = []
        self._rendered_since: dict[str, str] = {}

    def has(self, key: str) -> bool:
        """Whether a result is stored or used under ``key``."""
        return key in self._used or key in self._stored

    def get(self, key: str, render: Callable[[], Any], label: str) -> Any:
        """The stored result for ``key`` (a digest of everything it depends on), or ``render()``."""
        value = self._used.get(key)
        if value is None:
            self._used_since.append(key)
            value = self._stored_value(key, render)
            if value is None:
                value = render()
                self.fresh.append(label)
                self._rendered_since[key] = label
            self._used[key] = value
        return value

    def _stored_value(self, key: str, render: Callable[[], Any]) -> Any:
        found = self._stored.get(key)
        # Should a page's HTML turn out to be lost when it is read, the group is rendered again then.
        if _is_pages(found) and not self.attach(found, functools.cache(render)):
            return None  # a page's HTML is no longer stored: render it again
        return found

    def attach(self, pages: list[StoredPage], again: Callable[[], list[Any]] | None = None) -> bool:
        """Point stored pages (read back, or from a forked worker) at the texts that hold
        their HTML, ``again`` rendering them should it be lost; False if one of them is not there."""
        for page in pages:
            if page.data is None:
                if self._texts is None or page.ref not in self._texts.keys:
                    return False
                page.kept_in(self._texts, page.ref, again)
        return True

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
            elif (kept := self._stored.get(key)) is not None:
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
        refs = {page.ref for value in self._used.values() if _is_pages(value) for page in value}
        return self._used.keys() != self._stored.keys() or refs != self._texts.keys

    def save(self) -> None:
        """Keep what this build used, so the pages and feeds of removed or changed entries leave.

        Runs in a forked child (``parallel.later``): the pages it hands to the texts
        store are this process's copies.
        """
        if not self.changed:
            return
        assert self._store is not None and self._texts is not None  # changed says so
        texts: dict[str, Any] = {}
        for key, value in self._used.items():
            for number, page in enumerate(value if _is_pages(value) else ()):
                if page.ref is None:  # rendered by this build: its HTML goes to the texts
                    texts[f"{key}#{number}"] = page.body
                    page.kept_in(self._texts, f"{key}#{number}")
                else:
                    texts.setdefault(page.ref, STORED)
        self._store.save(self._used)
        self._texts.save(texts)


def _is_pages(value: Any) -> bool:
    """Whether ``value`` is a stored group of pages."""
    return type(value) is list and all(hasattr(page, "kept_in") for page in value)


@dataclass(frozen=True)
class Delta:
    """Keys a store used, and the results (with labels) it rendered, since its last export."""

    used: tuple[str, ...]
    rendered: dict[str, tuple[Any, str]]


def digest(*parts: object) -> str:
    """A key for the store: the digest of plain data (entries, names, strings)."""
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()
