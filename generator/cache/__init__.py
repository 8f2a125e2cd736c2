"""What makes rebuilds fast, kept apart from the domain: every cache of the build.

A cache is a hint, never a source of truth: each answers for one fingerprint of
the generator and its libraries (``fingerprint``), what it reuses is checked
against what it is, and a cache that cannot be read is rebuilt with a warning.
"""
