"""Folding: how a word in a briefing and a word in a query come to be the same term.

One analyzer decides what a term is, for the index and for queries alike:
tantivy's ``simple`` tokenizer (runs of letters and digits), ``lowercase``
(full Unicode case folding, Cyrillic included) and ``ascii_fold`` (Gábor →
gabor, Szijjártó → szijjarto, Łukasz → lukasz, Straße → strasse, Æ → ae).
Before it, :func:`prefold` makes a few same-length script-variant
replacements that ``ascii_fold`` leaves alone: ё → е, İ → I, and the Kazakh
(and Ukrainian/Belarusian) Cyrillic letters to their Russian look-alikes
(қ → к, ұ → у, ә → а, і → и …), so Сапарбекұлы and Сапарбекулы are one
term; decomposed text (NFD) is composed first.

Matches are highlighted in the *original* text, never in folded text, so
folding may change lengths freely: :func:`term_pattern` turns a folded term
back into a regular expression that matches every spelling that folds to it
(``gabor`` → ``[gĝğ…][aáàâä…][bḃ…]…``, ``strasse`` also matches ``Straße``),
and the spans of its matches are exact offsets into the original string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import tantivy

ANALYZER_NAME = "briefings_fold"
MAX_TERM_CHARS = 40

_PRE_PAIRS = {
    "ё": "е", "Ё": "Е", "İ": "I",
    "қ": "к", "Қ": "К", "ғ": "г", "Ғ": "Г", "ұ": "у", "Ұ": "У", "ү": "у", "Ү": "У",
    "ә": "а", "Ә": "А", "ө": "о", "Ө": "О", "ң": "н", "Ң": "Н", "һ": "х", "Һ": "Х",
    "і": "и", "І": "И", "ї": "и", "Ї": "И", "є": "е", "Є": "Е", "ґ": "г", "Ґ": "Г",
    "ў": "у", "Ў": "У",
}
_PRE_TABLE = str.maketrans(_PRE_PAIRS)
_PRE_RE = re.compile("[" + "".join(_PRE_PAIRS) + "]")
_COMBINING = "\u0300-\u036f"


def analyzer() -> tantivy.TextAnalyzer:
    return _analyzer()


@lru_cache(maxsize=1)
def _analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(MAX_TERM_CHARS))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


def prefold(text: str) -> str:
    """The text as the analyzer should see it (not for offsets: NFC may change lengths)."""
    return text if text.isascii() else prefold_checked(text)[0]


def prefold_checked(text: str) -> tuple[str, bool]:
    """(:func:`prefold` of ``text``, whether ``text`` was already NFC)."""
    nfc = unicodedata.is_normalized("NFC", text)
    if not nfc:
        text = unicodedata.normalize("NFC", text)
    if _PRE_RE.search(text):
        text = text.translate(_PRE_TABLE)
    return text, nfc


def terms(text: str) -> list[str]:
    """The folded terms of ``text``, in order: ``"Gábor Bálint-Nagy"`` → ``[gabor, balint, nagy]``."""
    if not text:
        return []
    return _analyzer().analyze(prefold(text))


@lru_cache(maxsize=4096)
def fold_word(word: str) -> str:
    """One word folded to one string (its terms joined): for comparing labels and names."""
    return " ".join(terms(word))


# -- folded term → regex over original text ----------------------------------
# Ranges whose letters may fold to something else; everything outside is
# matched literally (case-insensitively).
_SCAN_RANGES = ((0x00C0, 0x0250), (0x0370, 0x0590), (0x1E00, 0x1F00), (0x2C60, 0x2C80),
                (0xA720, 0xA800), (0xFB00, 0xFB07), (0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B))


@lru_cache(maxsize=1)
def _folds() -> tuple[dict[str, frozenset[str]], dict[str, list[str]]]:
    """One pass of the analyzer over the candidate characters: (folded char → every char folding
    to it, itself included; multi-char fold → the chars folding to it)."""
    singles: dict[str, set[str]] = {}
    multis: dict[str, list[str]] = {}
    candidates = [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for lo, hi in _SCAN_RANGES for c in range(lo, hi)]
    candidates += list(_PRE_PAIRS)
    an = _analyzer()
    for ch in candidates:
        out = an.analyze(prefold(ch))
        if len(out) != 1 or not out[0]:
            continue
        folded = out[0]
        if len(folded) == 1:
            singles.setdefault(folded, set()).add(ch)
        elif len(folded) <= 3:
            multis.setdefault(folded, []).append(ch)
    return {folded: frozenset(chars | {folded}) for folded, chars in singles.items()}, multis


@lru_cache(maxsize=1)
def _fold_sources() -> tuple[dict[str, str], dict[str, list[str]]]:
    """(single char → regex class of every char folding to it, multi-char fold → chars folding to it)."""
    sets, multis = _folds()
    return {folded: _class_of(chars) or "" for folded, chars in sets.items()}, multis


def _char(ch: str) -> str:
    classes, _ = _fold_sources()
    cls = classes.get(ch)
    if cls:
        return cls
    up = ch.upper()
    return f"[{re.escape(ch)}{re.escape(up)}]" if len(up) == 1 and up != ch else re.escape(ch)


# Not preceded by a letter or digit. Placed just after the first character (a
# fixed-width look-behind over that character and the one before it) so that
# the pattern starts with a character class, which the regex engine scans for
# quickly; at the very start it would make every position a candidate.
_AFTER_FIRST = r"(?<![^\W_].)"
_BEFORE_FIRST = r"(?<![^\W_])"


def _seq(term: str, i: int, budget: list[int], marks: bool) -> str:
    """Regex for term[i:], allowing a multi-char fold source (ß for "ss") where it fits."""
    if i >= len(term):
        return ""
    _, multis = _fold_sources()
    combining = f"[{_COMBINING}]*" if marks else ""
    guard = _AFTER_FIRST if i == 0 and not marks else ""
    alternatives = [_char(term[i]) + guard + combining + _seq(term, i + 1, budget, marks)]
    if budget[0] > 0:
        for folded, chars in multis.items():
            if term.startswith(folded, i):
                budget[0] -= 1
                cls = "".join(re.escape(c) for c in chars)
                alternatives.append(f"[{cls}]" + guard + _seq(term, i + len(folded), budget, marks))
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


@lru_cache(maxsize=8192)
def term_pattern(term: str, prefix: bool = False, marks: bool = False) -> str:
    """A regex (case-sensitive: the classes hold both cases) for every original spelling of ``term``.

    With ``prefix`` the match runs on to the end of the word (a completion
    of a word being typed); otherwise it must end where the word ends.
    ``marks`` allows combining accents after each letter, for text that is
    not in NFC (``Ga\u0301bor``); it is slower, so only for such text.
    """
    core = _seq(term, 0, [3], marks)
    tail = r"[^\W_]*" if prefix else r"(?![^\W_])"
    head = _BEFORE_FIRST if marks else ""
    return rf"{head}(?:{core}){tail}"



# -- the same regex, for text over a known alphabet --------------------------------
# The titles of a store use few of the letters the classes above hold: where a text's
# characters all come from ``alphabet``, the classes cut down to it give the same
# matches, and compile several times faster (re.compile is pure Python: ~10-20 ms
# for a one-letter prefix's 24 completions in full, in the middle of a keystroke).
_NEVER = "(?!)"


def _fold_sets() -> dict[str, frozenset[str]]:
    """Folded char → every char folding to it, itself included."""
    return _folds()[0]


def _class_of(chars: Iterable[str]) -> str | None:
    ordered = sorted(chars)
    if not ordered:
        return None
    body = "".join(re.escape(c) for c in ordered)
    return f"[{body}]" if len(ordered) > 1 else body


def _char_in(ch: str, alphabet: frozenset[str]) -> str | None:
    sets = _fold_sets()
    if ch in sets:
        return _class_of(sets[ch] & alphabet)
    up = ch.upper()
    return _class_of({c for c in ((ch, up) if len(up) == 1 else (ch,)) if c in alphabet})


def _seq_in(term: str, i: int, budget: list[int], alphabet: frozenset[str]) -> str | None:
    """:func:`_seq` (marks off) keeping only what can match text over ``alphabet``; None: nothing can."""
    if i >= len(term):
        return ""
    _, multis = _fold_sources()
    guard = _AFTER_FIRST if i == 0 else ""
    alternatives = []
    first = _char_in(term[i], alphabet)
    rest = _seq_in(term, i + 1, budget, alphabet) if first is not None else None
    if first is not None and rest is not None:
        alternatives.append(first + guard + rest)
    if budget[0] > 0:
        for folded, chars in multis.items():
            if term.startswith(folded, i):
                budget[0] -= 1  # spent as in _seq, so the same alternatives are tried
                cls = "".join(re.escape(c) for c in chars if c in alphabet)
                tail = _seq_in(term, i + len(folded), budget, alphabet)
                if cls and tail is not None:
                    alternatives.append(f"[{cls}]" + guard + tail)
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


@lru_cache(maxsize=8192)
def term_pattern_in(term: str, prefix: bool, alphabet: frozenset[str]) -> str:
    """:func:`term_pattern` (marks off) for NFC text whose characters are all in ``alphabet``:
    the same matches there, far cheaper to compile."""
    core = _seq_in(term, 0, [3], alphabet)
    if core is None:
        return _NEVER
    tail = r"[^\W_]*" if prefix else r"(?![^\W_])"
    return rf"(?:{core}){tail}"


def prepare() -> None:
    """Build the tables behind :func:`term_pattern` and :func:`term_pattern_in` now (~5 ms),
    e.g. in a background thread, so that the first search does not pay for them."""
    _fold_sources()
    _fold_sets()
