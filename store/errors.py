"""Errors the store raises; each message names the file and says what to do."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
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


def id_by_prefix(key: str, sorted_ids: Sequence[str], *, what: str, asked: str, hint: str = "") -> str:
    """The one id of ``sorted_ids`` that is ``key`` or starts with it (ids are shown shortened).

    Raises :class:`NotFound` (with ``hint`` appended) or :class:`AmbiguousId` naming the first few.
    """
    start = bisect.bisect_left(sorted_ids, key)
    matches = []
    for candidate in sorted_ids[start:start + 6]:
        if not candidate.startswith(key):
            break
        matches.append(candidate)
    if not matches:
        raise NotFound(f"no {what} has the id {asked!r}{hint}")
    if len(matches) > 1 and matches[0] != key:
        raise AmbiguousId(f"{asked!r} matches several {what}s ({', '.join(matches[:5])}…): type more of the id")
    return matches[0]
