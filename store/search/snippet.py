"""Snippets and match spans, found in the original text (never in folded text).

A query's words become one regular expression that matches every spelling
folding to them (see :func:`store.search.fold.term_pattern`), so every span
is an exact ``(start, end)`` into ``record["body"]`` or ``record["title"]``,
whatever folding did to lengths (ß, İ, decomposed accents).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

SNIPPET_CHARS = 220
LEAD_CONTEXT = 70
SENTENCE_REACH = 600

Span = tuple[int, int]


@lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def spans(text: str, rx: re.Pattern[str] | None) -> list[Span]:
    if not text or rx is None:
        return []
    return [m.span() for m in rx.finditer(text) if m.end() > m.start()]


def hit_parts(rec: dict[str, Any], pattern: str | None, marks_pattern: str | None = None,
              nfc: bool = True) -> tuple[str, list[Span], list[Span], list[Span]]:
    """(snippet, spans in the snippet, spans in the body, spans in the title) for one hit.

    ``marks_pattern`` (the same words, tolerating combining accents) is used
    for a body or title that is not in NFC; ``nfc`` says whether the body is.
    """
    body = rec.get("body") if isinstance(rec.get("body"), str) else ""
    title = rec.get("title") if isinstance(rec.get("title"), str) else ""
    rx = compiled(pattern) if pattern else None
    rx_marks = compiled(marks_pattern) if marks_pattern else rx
    body_rx = rx if nfc else rx_marks
    body_spans = spans(body, body_rx)
    title_rx = rx if title.isascii() or unicodedata.is_normalized("NFC", title) else rx_marks
    title_spans = spans(title, title_rx)
    snippet = best_snippet(body, body_spans, title)
    return snippet, spans(snippet, body_rx), body_spans, title_spans


def _clean(text: str) -> str:
    return " ".join(text.split())


def _sentence(body: str, s: int, e: int) -> Span:
    """The sentence around body[s:e]: from after the previous . ! ? or line break to the next
    (looking at most SENTENCE_REACH characters either way)."""
    lo = max(0, s - SENTENCE_REACH)
    start = max(body.rfind(". ", lo, s), body.rfind("? ", lo, s), body.rfind("! ", lo, s))
    start = start + 2 if start >= 0 else lo
    start = max(start, body.rfind("\n", lo, s) + 1)
    end = min(len(body), e + SENTENCE_REACH)
    for mark in (". ", "? ", "! ", ".\n", "\n"):
        k = body.find(mark, e, end)
        if k >= 0:
            end = min(end, k + (1 if mark[0] != "\n" else 0))
    return start, end


def best_snippet(body: str, body_spans: list[Span], title: str = "") -> str:
    """The sentence with the most distinct matched words (then most matches, then first),
    cut to about SNIPPET_CHARS around its first match; the opening lines when nothing matched.
    The title's own line in the body is used only when no other sentence matches."""
    if not body:
        return ""
    if not body_spans:
        return _lead(body, title)
    title_line = _clean(title) if title else ""
    best: tuple[tuple[int, int, int, int], Span, list[Span]] | None = None
    i, n = 0, len(body_spans)
    while i < n:
        start, end = _sentence(body, *body_spans[i])
        group = []
        while i < n and body_spans[i][0] < end:
            group.append(body_spans[i])
            i += 1
        distinct = len({body[s:e].casefold() for s, e in group})
        is_title = bool(title_line) and start == 0 and _clean(body[start:end]) == title_line
        key = (is_title, -distinct, -len(group), start)
        if best is None or key < best[0]:
            best = (key, (start, end), group)
    assert best is not None
    (start, end), group = best[1], best[2]
    first_s, first_e = group[0]
    if end - start <= SNIPPET_CHARS:
        return _clean(body[start:end])
    lo = max(start, first_s - LEAD_CONTEXT)
    if lo > start:
        space = body.find(" ", lo, first_s)
        lo = space + 1 if space >= 0 else lo
    hi = min(end, lo + SNIPPET_CHARS)
    if hi < end:
        space = body.rfind(" ", first_e, hi)
        hi = space if space > 0 else hi
    return ("…" if lo > start else "") + _clean(body[lo:hi]) + ("…" if hi < end else "")
def _lead(body: str, title: str) -> str:
    head = body[: SNIPPET_CHARS * 3]
    lines = [ln for ln in head.split("\n") if ln.strip()]
    if lines and title and _clean(lines[0]) == _clean(title):
        lines = lines[1:]
    text = _clean(" ".join(lines))
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARS)
    return text[: cut if cut > 0 else SNIPPET_CHARS] + "…"
