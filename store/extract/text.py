"""Text utilities shared by the extractor modules: folding, sentences, language.

Every function keeps character offsets intact (folded text has the same length
as the original) so that matches found on folded text are spans of ``doc.text``.
"""

from __future__ import annotations

import re
import unicodedata

# Characters whose lower-case form is longer than one character (e.g. "İ")
# would shift every offset after them; they are folded one by one instead.
_SAME_LENGTH = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ё": "е", "Ё": "е",
                              "‐": "-", "‑": "-", "–": "-", "\u00a0": " "})


def fold(text: str) -> str:
    """Lower-case, apostrophes and hyphens unified, ё→е; same length as ``text``."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_SAME_LENGTH)


def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[cp] = base
    table[ord("ı")] = "i"
    return table


_ACCENTS = _accent_table()


def plain(text: str) -> str:
    """fold() plus Latin diacritics removed, still the same length as ``text`` ("Gábor" → "gabor")."""
    return fold(text).translate(_ACCENTS)


def strip_accents(text: str) -> str:
    """Diacritics removed (for comparing names, not for offsets)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """Comparison key for a name: folded, no diacritics, words only."""
    return " ".join(re.findall(r"\w+", strip_accents(fold(text))))


_CYR = re.compile(r"[А-Яа-яЁё]")
_LAT = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str:
    """"ru" when Cyrillic letters outnumber Latin ones, else "en"."""
    sample = text[:1500]
    return "ru" if len(_CYR.findall(sample)) > len(_LAT.findall(sample)) else "en"


def has_cyrillic(text: str) -> bool:
    return _CYR.search(text) is not None


# A sentence ends at . ! ? (optionally followed by quotes/brackets) before
# whitespace and a capital/digit/quote, or at a blank line / line break.
# Abbreviations that end with a period are protected by a look-behind check
# in code (a regex look-behind cannot have variable width).
_BOUNDARY = re.compile(r"[.!?…]+[\"'»”)\]]*(?=\s+[\"'«“(\[]?[A-ZА-ЯЁ0-9])|\n\s*\n|\n(?=\s*[-•*\u2022]|\s*[A-ZА-ЯЁ0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Col|Lt|Maj|Capt|Adm|Sen|Rep|Gov|Amb|H\.E|No|Nos|Art|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|e\.g|i\.e|approx|Inc|Ltd|Co|Corp|г|гг|т\.е|т\.д|им|ул|д|см)"
    r"|\b[A-Z]|\b[A-Z]\.[A-Z]|\b[A-Z]\.[A-Z]\.[A-Z])\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0) == "\n" and _wrapped(text, m.start()):
            continue
        end = m.end() if m.group(0)[0] in ".!?…" else m.start()
        if m.group(0)[0] == "." and _ABBREV.search(text, max(0, m.start() - 8), m.start() + 1):
            continue
        _push(text, start, end, spans)
        start = m.end()
    _push(text, start, len(text), spans)
    return spans


def _wrapped(text: str, nl: int) -> bool:
    """A single line break inside a sentence (PDF text, hard-wrapped mail): the line before is long and unfinished."""
    ls = text.rfind("\n", 0, nl) + 1
    line = text[ls:nl].rstrip()
    if len(line) < 50 or line[-1:] in ".!?:;\"»”)":
        return False
    nxt = text[nl + 1:nl + 3].lstrip()
    return not nxt[:1] in ("-", "•", "*", "#") and not nxt[:1].isdigit()


def _push(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        _push(text, pos, pos + len(line), out)
        pos += len(line) + 1
    return out
