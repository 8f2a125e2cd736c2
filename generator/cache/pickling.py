"""How the model is pickled into the caches and between forked workers.

Registered with ``copyreg`` when the cache package is imported, so every pickler
uses them: an entry as the tuple of its values (no field names, and read back
without the frozen ``__init__``'s checks), a source as its two values, and a
fixed UTC offset, through ``ZONE_REDUCERS``, as this process's one tzinfo object
for it (``model.shared_zone``), so times read back compare without asking for
their offsets.
"""

from __future__ import annotations

import copyreg
from dataclasses import fields
from datetime import timezone
from operator import itemgetter

from ..model import Entry, Source, shared_offset, shared_zone

_ENTRY_FIELDS = tuple(field.name for field in fields(Entry))
_entry_values = itemgetter(*_ENTRY_FIELDS)  # the values in field order, in one call


def _reduce_entry(entry: Entry) -> tuple:
    return (_entry_from, (_entry_values(entry.__dict__),))


def _entry_from(values: tuple) -> Entry:
    entry = object.__new__(Entry)
    state = entry.__dict__
    state.update(zip(_ENTRY_FIELDS, values))
    # Entries pickled without ZONE_REDUCERS (by a worker, for one) each bring their own tzinfo object back.
    state["published"] = shared_offset(state["published"])
    if state["updated"] is not None:
        state["updated"] = shared_offset(state["updated"])
    return entry


def _reduce_source(source: Source) -> tuple:
    return (Source, (source.name, source.url))


def _reduce_zone(zone: timezone) -> tuple:
    return (shared_zone, (zone.utcoffset(None),))


# For a pickler's ``dispatch_table``: fixed offsets unpickled as this process's own objects.
# Not registered globally: a timezone pickled for another process must stay a timezone.
ZONE_REDUCERS = {timezone: _reduce_zone}

copyreg.pickle(Entry, _reduce_entry)
copyreg.pickle(Source, _reduce_source)
