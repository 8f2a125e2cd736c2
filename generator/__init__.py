"""briefings: a static-site generator for archived live briefings."""

__version__ = "0.1.0"
