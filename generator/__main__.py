"""``python -m generator`` runs the ``briefings`` command line."""

from .cli import run

run()
