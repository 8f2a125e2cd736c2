"""Ctrl+C and a stop signal, heard for good: an interrupted build never publishes.

Python raises KeyboardInterrupt where the main thread happens to be when the signal
comes, and drops it when that is inside a finalizer or a weak reference's callback
("Exception ignored in: ..."): the build would then go on and swap its site in. The
handler here also remembers the signal, and the build asks (``raise_if_heard``) before
anything it does cannot be undone. SIGTERM, which a process manager or ``kill`` sends,
is heard as Ctrl+C is: the build stops the same way, and the site stays as it was.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

_heard = threading.Event()


def listen() -> None:
    """Hear SIGINT and SIGTERM in this process (from its main thread)."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _interrupted)


def _interrupted(number: int, frame: FrameType | None) -> None:  # noqa: ARG001 - a signal handler's signature
    _heard.set()
    raise KeyboardInterrupt


def raise_if_heard() -> None:
    """Raise KeyboardInterrupt if an interrupt came, though it was dropped where it was raised."""
    if _heard.is_set():
        raise KeyboardInterrupt
