"""``briefings import``: live blogs from other systems as entry files.

A source (a file, a folder of files or an http(s) URL) is read in its own
format (``html_page``, ``guardian``, ``wordpress``, ``feeds``, ``json_feed``, ``telegram``;
``formats`` tells them apart) into ``ImportedUpdate`` objects; ``run``
matches them against the entries already imported (by their ``origin``) and
writes, rewrites or withdraws entry files (``entry_files``), each checked as
``briefings check`` would before it is written. Nothing here prints: the
command line formats the ``ImportReport`` and the typed errors.
"""

from __future__ import annotations

# The formats --format takes (each read by a module of this package; see ``formats``).
FORMATS = ("html", "guardian", "wordpress", "feed", "json-feed", "telegram")
