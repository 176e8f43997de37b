"""Errors the store raises; each message names the file and says what to do."""

from __future__ import annotations

from pathlib import Path


def printable(text: str) -> str:
    """Escape control characters so a file name or message cannot drive the terminal."""
    out = []
    for ch in str(text):
        code = ord(ch)
        if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
            out.append(repr(ch)[1:-1] if ch in "\n\r\t" else f"\\x{code:02x}")
        else:
            out.append(ch)
    return "".join(out)


class BriefingsError(Exception):
    """Base of every error the store reports to a person."""


class IngestError(BriefingsError):
    """One input file could not be read: the batch goes on without it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{printable(str(path))}: {reason}")


class StoreError(BriefingsError):
    """The store file cannot be opened or written; it is never overwritten blindly."""


class NotFound(BriefingsError):
    """No briefing has that id (or id prefix)."""


class AmbiguousId(BriefingsError):
    """An id prefix matches more than one briefing."""
