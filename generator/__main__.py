"""``python -m generator`` runs the ``briefings`` command line."""

import sys

from .cli import main

sys.exit(main())
