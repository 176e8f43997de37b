"""Text utilities shared by the extractor modules: folding, sentences, language.

Every function keeps character offsets intact (folded text has the same length
as the original) so that matches found on folded text are spans of ``doc.text``.
"""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

# Characters whose lower-case form is longer than one character (e.g. "İ")
# would shift every offset after them; they are folded one by one instead.
_SAME_LENGTH = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ё": "е", "Ё": "е",
                              "‐": "-", "‑": "-", "–": "-", "\u00a0": " "})


# (no replacement is itself replaced: replacing one character after another gives what one pass would)
_SAME_PAIRS = tuple((chr(k), v) for k, v in _SAME_LENGTH.items())
assert not any(ord(same) in _SAME_LENGTH for _, same in _SAME_PAIRS)


# Latin-1 lower-cased as bytes: every Latin-1 capital's lower case is one Latin-1 character
_LATIN1_LOWER = bytes(ord(chr(b).lower()) for b in range(256))


def lower(text: str) -> str:
    """text.lower(), quicker on Latin-1 text: str.lower() looks every non-ASCII character up in the
    Unicode tables, a Latin-1 text is one bytes.translate away (no Latin-1 letter has a context rule)."""
    if text.isascii():
        return text.lower()
    try:
        return text.encode("latin-1").translate(_LATIN1_LOWER).decode("latin-1")
    except UnicodeEncodeError:
        return text.lower()


def _lower_aligned(text: str) -> str:
    low = lower(text)
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def lower_aligned(text: str) -> str:
    """text.lower() with the same offsets: a character whose lower case is longer ("İ") stays as it is.

    Worked out once for the document being extracted: several modules ask for it.
    """
    if text is _current.text:
        return _per_document(text, "lower", _lower_aligned)
    return _lower_aligned(text)


def _fold(text: str) -> str:
    low = lower_aligned(text)
    if text.isascii():
        return low
    # str.translate reads a dict per character and a regex tests a class at every one: slow on long
    # text; "in" and str.replace are plain scans, and most of these characters occur in no document
    for c, same in _SAME_PAIRS:
        if c in low:
            low = low.replace(c, same)
    return low


def fold(text: str) -> str:
    """Lower-case, apostrophes and hyphens unified, ё→е; same length as ``text``."""
    if text is _current.text:  # the whole document: folded once, shared by every module
        return _per_document(text, "fold", _fold)
    if len(text) > 300:
        return _fold(text)
    low = _SHORT_FOLD.get(text)
    if low is None:
        if len(_SHORT_FOLD) > 20_000:
            _SHORT_FOLD.clear()
        low = _SHORT_FOLD[text] = _fold(text)
    return low


_SHORT_FOLD: dict[str, str] = {}


class _Current(threading.local):
    """The document being extracted and its memo, one per thread: two threads may extract at once."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.data: dict = {}


_current = _Current()
_T = TypeVar("_T")


def begin_document(text: str) -> dict:
    """Make ``text`` the document this thread is extracting: its memo (see :func:`doc_cache`) starts empty."""
    cur = _current
    cur.data = {}
    cur.text = text
    return cur.data


def doc_cache(text: str) -> dict:
    """Per-document memo shared by every module while ``text`` (the same object) is extracted by this thread.

    Any other text gets a fresh dict (nothing shared), so results never depend on the cache.
    """
    cur = _current
    if text is cur.text:
        return cur.data
    return {}


def _per_document(text: str, key: str, compute: Callable[[str], _T]) -> _T:
    """``compute(text)``, worked out once while ``text`` is the document being extracted."""
    cur = _current
    if text is not cur.text:
        return compute(text)
    data = cur.data
    value = data.get(key)
    if value is None:
        value = data[key] = compute(text)
    return value


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


_ACCENT_RE = re.compile("[" + re.escape("".join(chr(k) for k in _ACCENTS)) + "]")
_ACCENT_MAP = {chr(k): v for k, v in _ACCENTS.items()}


def _accent_char(m: re.Match[str]) -> str:
    return _ACCENT_MAP[m.group()]


# The accent table as bytes: a text of Latin-1 characters loses its accents in one bytes.translate.
_LATIN1_UNACCENTED = bytes(ord(_ACCENT_MAP.get(chr(b), chr(b))) for b in range(256))
# Letters above Latin-1 whose base letter is in Latin-1 ("ł" → "l"), for the encoder (see _unaccent).
_BEYOND_LATIN1 = {c: base for c, base in _ACCENT_MAP.items() if c > "\xff" and base <= "\xff"}
assert not any(base in _ACCENT_MAP for base in _ACCENT_MAP.values())  # (translating a base again changes nothing)


def _unaccent_beyond_latin1(err: UnicodeEncodeError) -> tuple[str, int]:
    """Encoding error handler: letters above Latin-1 in _BEYOND_LATIN1 become their base letter; any
    other character gives up (see _unaccent)."""
    try:
        return "".join([_BEYOND_LATIN1[c] for c in err.object[err.start:err.end]]), err.end
    except KeyError:
        raise err from None


codecs.register_error("store.extract.unaccent", _unaccent_beyond_latin1)


def _unaccent(low: str) -> str:
    """Latin diacritics removed, same length; mostly in C: only a text with other characters above Latin-1
    (Cyrillic, curly quotes) goes through the regex, whose search tests a character class at every offset."""
    try:
        raw = low.encode("latin-1", "store.extract.unaccent")
    except UnicodeEncodeError:
        return _ACCENT_RE.sub(_accent_char, low)
    return raw.translate(_LATIN1_UNACCENTED).decode("latin-1")


def plain(text: str) -> str:
    """fold() plus Latin diacritics removed, still the same length as ``text`` ("Gábor" → "gabor")."""
    low = fold(text)
    if low.isascii():
        return low
    return _per_document(text, "plain", lambda _: _unaccent(low))


# ASCII letters and digits kept, every other byte a space ("?" too: spaced() encodes other characters as "?").
_SPACED = bytes(c if chr(c).isalnum() else 32 for c in range(256))


def ascii_spaced(low: str) -> str:
    """``low`` with a space in front and every character but ASCII letters and digits a space (offsets + 1).

    An automaton whose keys all start with a space finds in it only words' starts, and walks it
    fast: away from a key, each character is compared with the root's one branch, the space.
    """
    return " " + low.encode("ascii", "replace").translate(_SPACED).decode("ascii")


def spelled_at(text: str, word: str, end: int) -> bool:
    """Whether ``word`` ends at ``end`` in ``text`` with no letter, digit or "_" after it: a hit of the
    spaced walk (a prefix of the spaced text, in any case and accents) checked against the text."""
    return text.startswith(word, end - len(word)) and (end == len(text) or not ((c := text[end]).isalnum() or c == "_"))


def spaced(text: str) -> str:
    """ascii_spaced(plain(text)), worked out once for the document being extracted."""
    return _per_document(text, "spaced", lambda _: ascii_spaced(plain(text)))


def strip_accents(text: str) -> str:
    """Diacritics removed (for comparing names, not for offsets)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """Comparison key for a name: folded, no diacritics, words only."""
    return " ".join(re.findall(r"\w+", strip_accents(fold(text))))


_CYR = re.compile(r"[А-Яа-яЁё]")
# "[x][x]*" rather than "[x]+": a pattern that opens with a character class lets re skip ahead
_CYR_RUN = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё]*")
_LAT_RUN = re.compile(r"[A-Za-z][A-Za-z]*")


def detect_lang(text: str) -> str:
    """"ru" when Cyrillic letters outnumber Latin ones, else "en"."""
    sample = text[:1500]
    if sample.isascii() or not has_cyrillic(text):  # (once per document: the other modules ask too)
        return "en"
    cyr = sum(map(len, _CYR_RUN.findall(sample)))
    if not cyr:
        return "en"
    return "ru" if cyr > sum(map(len, _LAT_RUN.findall(sample))) else "en"


def has_cyrillic(text: str) -> bool:
    """Any Russian letter ([А-Яа-яЁё]) in ``text``; once per document for the one being extracted."""
    if text.isascii():
        return False
    return _per_document(text, "has_cyrillic", _search_cyrillic)


def _search_cyrillic(text: str) -> bool:
    try:
        text.encode("latin-1")  # in C: a text of Latin-1 characters has no Cyrillic ones
    except UnicodeEncodeError:
        pass
    else:
        return False
    # _CYR.search tests a class at every character (~200,000 instructions for 3 KB of text with a "ł"
    # or "ř" but no Cyrillic). In UTF-32-LE every character is four bytes, and one of U+0400-U+04FF
    # has 04 as its second: a one-byte search (memchr) finds those bytes, in most such texts none
    # but the few a rare character has elsewhere, and the regex looks at the character of each.
    raw = text.encode("utf-32-le", "surrogatepass")  # (a lone surrogate too: four bytes, as every character)
    i = raw.find(4)
    while i >= 0:
        if i % 4 == 1 and _CYR.match(text, i // 4) is not None:
            return True
        i = raw.find(4, i + 1)
    return False


# A sentence ends at . ! ? (optionally followed by quotes/brackets) before
# whitespace and a capital/digit/quote, or at a blank line / line break.
# Abbreviations that end with a period are protected by a look-behind check
# in code (a regex look-behind cannot have variable width).
# The alternatives share their first character class up front: a pattern that starts with one
# character class lets re skip to candidate characters instead of trying every position.
# After a stop: more stops, closing quotes and brackets, then whitespace and a capital, a digit or an opening quote.
_AFTER_STOP = r"[.!?…]*[\"'»”)\]]*(?=\s+[\"'«“(\[]?[A-ZА-ЯЁ0-9])"
# After a line break: a blank line, or a line that starts a bullet, a capital or a digit.
_AFTER_BREAK = r"\s*\n|(?=\s*[-•*\u2022]|\s*[A-ZА-ЯЁ0-9])"
_BOUNDARY = re.compile(rf"[.!?…\n](?:(?<=[.!?…]){_AFTER_STOP}|(?<=\n)(?:{_AFTER_BREAK}))")
# _BOUNDARY, and in group 1 the whitespace after it (a look-ahead: the next search still starts at its end)
_BOUNDARY_THEN_SPACE = re.compile(_BOUNDARY.pattern + r"(?=(\s*))")
# Its matches that start at a full stop, and those that start at a line break (see _boundaries).
_PERIOD_THEN_SPACE = re.compile(rf"\.{_AFTER_STOP}(?=(\s*))")
_BREAK_THEN_SPACE = re.compile(rf"\n(?:{_AFTER_BREAK})(?=(\s*))")
# The same, less the line breaks that a period match (the look-ahead) ends right before, after no
# space or one, and the line breaks right after those: when that period ends a sentence, the next
# one starts after all the whitespace that follows it, so such a line break ends nothing and
# starts the same sentence. (".\n\nThe", ". \nThe": the usual spellings; a third line break
# still matches, and does nothing.)
_BREAK_NOT_AFTER_PERIOD = re.compile(
    rf"\n(?:(?<!\.\n)(?<!\. \n)(?<!\.\n\n)(?<!\. \n\n)|(?!\s*[\"'«“(\[]?[A-ZА-ЯЁ0-9]))(?:{_AFTER_BREAK})(?=(\s*))")
_START = re.Match.start
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Col|Lt|Maj|Capt|Adm|Sen|Rep|Gov|Amb|H\.E|No|Nos|Art|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|e\.g|i\.e|approx|Inc|Ltd|Co|Corp|г|гг|т\.е|т\.д|им|ул|д|см)"
    r"|\b[A-Z]|\b[A-Z]\.[A-Z]|\b[A-Z]\.[A-Z]\.[A-Z])\.$")


@lru_cache(maxsize=8192)
def _ends_with_abbreviation(window: str) -> bool:
    """The period that ends ``window`` (the nine characters up to it) closes an abbreviation ("Mr.", "e.g.").

    An abbreviation is at most seven characters with its period, so the match never starts at the
    window's first two characters, where a word boundary would depend on what stands before them.
    """
    return _ABBREV.search(window) is not None


def _boundaries(text: str, two_scans: bool) -> Iterable[re.Match[str]]:
    """``_BOUNDARY_THEN_SPACE.finditer(text)``, less (with ``two_scans``: the text has no "!", "?"
    or "…") the line breaks right after a period match (see ``_BREAK_NOT_AFTER_PERIOD`` and
    ``_break_left_out``).

    re looks for a pattern that opens with a character class by testing the class at every
    character (~50 instructions each: 150,000 for a 3 KB briefing), for one that opens with a
    literal character with a plain loop. Text with no "!", "?" or "…" (most briefings) takes two
    such scans, one for the matches at a full stop and one for those at a line break: at each
    character only the alternative for that character can match, and a match at a stop takes in
    only stops, quotes and brackets, one at a line break only whitespace, so neither holds where
    the other starts and together, in order, they are finditer's matches.
    """
    if not two_scans:
        return _BOUNDARY_THEN_SPACE.finditer(text)
    found = [*_PERIOD_THEN_SPACE.finditer(text), *_BREAK_NOT_AFTER_PERIOD.finditer(text)]
    found.sort(key=_START)
    return found


def _break_left_out(text: str, end: int) -> re.Match[str] | None:
    """The line-break match that ``_boundaries`` left out after the period match ending at ``end``, if any.

    It left out a line break at ``end`` or after one space when the match ends with a period (the
    look-ahead of the period match then holds there), and one more right after it; no other match
    lies between them. The match at the first line break takes in the second (``\\s*\\n``), as
    finditer's would.
    """
    if text[end - 1] != ".":
        return None
    if text[end] == "\n":
        return _BREAK_THEN_SPACE.match(text, end)
    if text.startswith(" \n", end):
        return _BREAK_THEN_SPACE.match(text, end + 1)
    return None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    append = spans.append
    start = len(text) - len(text.lstrip())  # every start is kept past whitespace
    # _boundaries leaves out line breaks right after a period only when it scans twice
    two_scans = not ("!" in text or "?" in text or "…" in text)
    for m in _boundaries(text, two_scans):
        ms, me = m.span()
        c = text[ms]
        # seven letters before the period: no abbreviation fits after a word boundary there
        if c == "." and not (ms >= 7 and text[ms - 7:ms].isalpha()) and _ends_with_abbreviation(text[ms - 8 if ms > 8 else 0:ms + 1]):
            # No boundary at the abbreviation, so a line break after it that _boundaries left out
            # (it counted on the period to end the sentence) ends the sentence instead.
            m = _break_left_out(text, me) if two_scans else None
            if m is None:
                continue
            ms, me = m.span()
            c = "\n"
        if c == "\n":
            end = ms
            if me - ms == 1 and _wrapped(text, end):
                continue
            while end > start and text[end - 1].isspace():
                end -= 1
        else:
            end = me  # after the punctuation: no whitespace to trim
        if end > start:
            append((start, end))
        start = m.end(1)  # the next sentence starts after the whitespace that follows
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
