"""Reading the project's text files: UTF-8, whatever editor saved them.

Entries, the settings and the registries are all read here, so that a file saved
in another encoding gets the same message naming what to do, whichever it is.
"""

from __future__ import annotations

from pathlib import Path

from .problems import ProblemLog


def read_text(path: Path, log: ProblemLog) -> str | None:
    """The text of ``path`` as ``decode`` gives it; None, with the problem logged, if it is not UTF-8."""
    return decode(path.read_bytes(), str(path), log)


def decode(raw: bytes, shown: str, log: ProblemLog) -> str | None:
    """UTF-8 text with a BOM removed and CRLF/CR made LF, so all three build alike."""
    if _utf16(raw):
        log.error(shown, 1, "saved as UTF-16 (what Notepad calls 'Unicode'), not UTF-8: save the file again with the "
                            "encoding UTF-8")  # fmt: skip
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        log.error(shown, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); save the file as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-16: its byte order mark, or a zero byte beside each character of Latin text
    (which UTF-8 decodes without an error, as text full of NUL characters)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:256]
    return len(head) >= 8 and max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 4
