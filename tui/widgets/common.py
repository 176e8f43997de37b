"""Small helpers the widgets share: terminal-safe text, theme colours, span clean-up.

Nothing here parses documents: it only shapes what ``store`` hands over for display.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

# Every C0/C1 control character and DEL becomes one visible replacement
# character, so character offsets (the extractor's spans) stay valid. A tab and
# a carriage return become a space; a newline is kept in bodies.
_REPLACEMENT = "\ufffd"
_BODY_TABLE: dict[int, str] = {code: _REPLACEMENT for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}
_BODY_TABLE[ord("\t")] = " "
_BODY_TABLE[ord("\r")] = " "
_BODY_TABLE[ord("\x0b")] = " "
_BODY_TABLE[ord("\x0c")] = " "
del _BODY_TABLE[ord("\n")]
_LINE_TABLE = dict(_BODY_TABLE)
_LINE_TABLE[ord("\n")] = " "


def safe_body(text: Any) -> str:
    """A document's text, safe for the terminal, same length (spans stay aligned)."""
    return str(text or "").translate(_BODY_TABLE)


def safe_line(text: Any) -> str:
    """One line of document text (a title, a name): controls and newlines become spaces or U+FFFD."""
    return str(text or "").translate(_LINE_TABLE)


def clean_spans(spans: Iterable[Any] | None, length: int) -> list[tuple[int, int]]:
    """Spans as (start, end) tuples clipped to ``length``; malformed ones dropped."""
    out: list[tuple[int, int]] = []
    for span in spans or ():
        try:
            start, end = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0, start), min(length, end)
        if end > start:
            out.append((start, end))
    return out


def theme_id(theme: Any) -> str:
    return theme if isinstance(theme, str) else str((theme or {}).get("id", ""))


# Used when the taxonomy cannot be loaded (or a stored theme is no longer in it).
FALLBACK_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                   "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6")


@lru_cache(maxsize=1)
def _taxonomy() -> dict[str, tuple[str, str]]:
    try:
        from store.extract.themes import load_taxonomy

        return {str(t["id"]): (str(t.get("label") or t["id"]), str(t.get("color") or ""))
                for t in load_taxonomy() if t.get("id")}
    except Exception:  # the extractor is optional for display: fall back to a palette
        return {}


def theme_label(tid: str) -> str:
    known = _taxonomy().get(tid)
    if known:
        return known[0]
    return tid.replace("-", " ").replace("_", " ").capitalize() or "Theme"


def theme_color(tid: str) -> str:
    known = _taxonomy().get(tid)
    if known and known[1].startswith("#") and len(known[1]) in (4, 7):
        return known[1]
    return FALLBACK_COLORS[zlib.crc32(tid.encode()) % len(FALLBACK_COLORS)]


def contrast_text(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (#rgb or #rrggbb)."""
    hexa = color.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    try:
        r, g, b = (int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return "white"
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.5 else "#ffffff"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


_BLANK_RUN = None


def compact_blank_lines(text: str) -> tuple[str, Callable[[int], int]]:
    """Collapse runs of blank lines to one blank line; returns the text and an offset mapper.

    Readouts copied from web pages often carry four or five empty lines between
    paragraphs; on a 24-line terminal that is most of the screen. Spans are
    mapped through the returned function so highlights stay on their words.
    """
    import bisect
    import re

    global _BLANK_RUN
    if _BLANK_RUN is None:
        _BLANK_RUN = re.compile(r"\n(?:[ \t\u00a0\ufffd]*\n){2,}")
    starts: list[int] = []
    ends: list[int] = []
    shifts: list[int] = []  # characters removed before each run's end
    pieces: list[str] = []
    removed = 0
    last = 0
    for m in _BLANK_RUN.finditer(text):
        pieces.append(text[last:m.start()])
        pieces.append("\n\n")
        starts.append(m.start())
        ends.append(m.end())
        removed += (m.end() - m.start()) - 2
        shifts.append(removed)
        last = m.end()
    if not starts:
        return text, lambda offset: offset
    pieces.append(text[last:])

    def mapper(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        before = shifts[i - 1] if i else 0
        if offset < ends[i]:
            return starts[i] - before + min(offset - starts[i], 2)
        return offset - shifts[i]

    return "".join(pieces), mapper
