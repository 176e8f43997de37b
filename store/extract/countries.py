"""Country mentions in English and Russian text: names, adjectives, demonyms → ISO alpha-2.

Base names come from pycountry; adjectives, demonyms, aliases, Russian word
forms, case-sensitive abbreviations and region "blockers" come from
``data/countries.json``. All forms go into one Aho-Corasick automaton over the
folded text (leftmost-longest matches), so "Guinea-Bissau" beats "Guinea",
"South Sudanese" beats "Sudan" and "Central Asian" (a blocker) hides nothing
but adds no country. Abbreviations (US, UK, РФ...) are one case-sensitive regex.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import pycountry

from store.extract.text import _CYR, doc_cache, fold, strip_accents

DATA = Path(__file__).with_name("data") / "countries.json"


class CountryMention(NamedTuple):
    code: str   # ISO 3166-1 alpha-2, e.g. "HU"
    start: int  # offsets into the text
    end: int
    kind: str   # "name" | "adjective" | "demonym"


class _Form(NamedTuple):
    code: str | None  # None: a blocker (region, body of water...)
    kind: str
    upper_at: int     # offset inside the form whose letter must be a capital; -1: any case
    open_end: bool    # form ends with "-" ("Sino-"): the next char may be a letter


def _expand_ru(entry: str, paradigms: dict[str, list[str]]) -> list[str]:
    """'южн:adj коре:ia' → every combination of the inflected words."""
    words: list[list[str]] = []
    for word in entry.split(" "):
        stem, _, par = word.partition(":")
        words.append([stem + end for end in paradigms[par]] if par else [stem])
    out = [""]
    for options in words:
        out = [f"{head} {w}".strip() for head in out for w in options]
    return out


def _ru_kind(entry: str) -> str:
    last = entry.split(" ")[0]
    if last.endswith((":adj",)) and " " not in entry:
        return "adjective"
    if last.endswith((":anim", ":ets", ":pl")) or entry.endswith(("ец", "анин")):
        return "demonym"
    return "name"


def _english_names(code: str) -> list[str]:
    try:
        c = pycountry.countries.get(alpha_2=code)
    except (KeyError, LookupError):
        c = None
    if c is None:
        return []
    names = [getattr(c, attr, None) for attr in ("name", "common_name", "official_name")]
    # "Korea, Republic of" style inverted names never occur in prose.
    return [n for n in names if n and "," not in n and "(" not in n]


@lru_cache(maxsize=1)
def _tables() -> tuple[ahocorasick.Automaton, re.Pattern[str], dict[str, str], dict[str, str], dict[str, str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    paradigms = data["paradigms"]
    forms: dict[str, _Form] = {}
    lookup: dict[str, str] = {}      # resolve_country keys
    display: dict[str, str] = {}

    def add(form: str, code: str | None, kind: str, case_sensitive: bool) -> None:
        key = fold(form)
        if not key or key in forms and forms[key].code is not None:
            return
        upper_at = -1
        if case_sensitive:
            upper_at = 4 if key.startswith("the ") else 0
        forms[key] = _Form(code, kind, upper_at, key.endswith("-"))
        plain = strip_accents(key)
        if plain != key and len(plain) == len(key) and plain not in forms:
            forms[plain] = forms[key]
        if code is not None:
            bare = key.removeprefix("the ").rstrip("-")
            lookup.setdefault(bare, code)
            lookup.setdefault(strip_accents(bare), code)

    for code, entry in data["countries"].items():
        display[code] = entry.get("display") or (_english_names(code) or [code])[0]
        for name in entry.get("names", []) + _english_names(code):
            add(name, code, "name", True)
        for adj in entry.get("adj", []):
            add(adj, code, "adjective", True)
        for dem in entry.get("dem", []):
            add(dem, code, "demonym", True)
        for ru in entry.get("ru", []):
            kind = _ru_kind(ru)
            for form in _expand_ru(ru, paradigms):
                # Russian proper nouns are capitalised; adjectives are not.
                add(form, code, kind, kind == "name")
    for c in pycountry.countries:  # territories: names only, never adjectives
        if c.alpha_2 not in display:
            display[c.alpha_2] = getattr(c, "common_name", None) or c.name
            for name in _english_names(c.alpha_2):
                add(name, c.alpha_2, "name", True)
    for phrase in data["blockers"]:
        key = fold(phrase)
        if key not in forms:
            forms[key] = _Form(None, "blocker", -1, False)

    automaton = ahocorasick.Automaton()
    latin = ahocorasick.Automaton()  # the same forms without Cyrillic ones: smaller, faster on text without any
    for key, form in forms.items():
        automaton.add_word(key, (len(key), form))
        if _CYR.search(key) is None:
            latin.add_word(key, (len(key), form))
    automaton.make_automaton()
    latin.make_automaton()
    _LATIN[0] = latin

    abbr: dict[str, str] = data["abbr"]
    _ABBR_BY_FIRST.clear()
    for a in sorted(abbr, key=len, reverse=True):
        _ABBR_BY_FIRST.setdefault(a[0], []).append(a)
    _ABBR_FIRST[0] = re.compile("[" + re.escape("".join(sorted(_ABBR_BY_FIRST))) + "]")
    alternatives = "|".join(re.escape(a) for a in sorted(abbr, key=len, reverse=True))
    abbr_re = re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")
    for a, code in abbr.items():
        lookup.setdefault(fold(a), code)
    for c in pycountry.countries:
        lookup.setdefault(c.alpha_2.lower(), c.alpha_2)
        lookup.setdefault(c.alpha_3.lower(), c.alpha_2)
    return automaton, abbr_re, abbr, lookup, display


_CURRENCY_BEFORE = re.compile(r"(?i)доллар\w*\s+$")
_CURRENCY_AFTER = re.compile(r"(?i)\s*(?:dollars?|\$)")
_US_STATE_CONTEXT = re.compile(r"(?:Atlanta|state of|State of|U\.S\. state|Savannah|Augusta)\W*$")


_LATIN: list[ahocorasick.Automaton] = [None]  # type: ignore[list-item]
_ABBR_BY_FIRST: dict[str, list[str]] = {}
_ABBR_FIRST: list[re.Pattern[str]] = [re.compile("x")]
_SHORT_CACHE: dict[str, tuple[CountryMention, ...]] = {}


def find_country_mentions(text: str) -> list[CountryMention]:
    """Every country name, adjective and demonym in ``text``, sorted by start."""
    if not text:
        return []
    if len(text) <= 300:  # titles, roles, sources: the same short strings recur
        hit = _SHORT_CACHE.get(text)
        if hit is None:
            if len(_SHORT_CACHE) > 20_000:
                _SHORT_CACHE.clear()
            hit = _SHORT_CACHE[text] = tuple(_find(text))
        return list(hit)
    cache = doc_cache(text)
    hit = cache.get("mentions")
    if hit is None:
        hit = cache["mentions"] = tuple(_find(text))
    return list(hit)


def _find(text: str) -> list[CountryMention]:
    automaton, abbr_re, abbr, _, _ = _tables()
    folded = fold(text)
    if "\n" in folded:  # "United\nStates" wrapped across lines: same length, offsets stay valid
        folded = folded.replace("\n", " ")
    cyr = not text.isascii() and _CYR.search(text) is not None
    n = len(text)
    out: list[CountryMention] = []
    for end_idx, (length, form) in (automaton if cyr else _LATIN[0]).iter_long(folded):
        if form.code is None:
            continue
        start, end = end_idx - length + 1, end_idx + 1
        if start > 0 and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
            continue
        if not form.open_end and end < n and (folded[end].isalnum() or folded[end] == "_"):
            continue
        if form.upper_at >= 0 and not text[start + form.upper_at].isupper():
            continue
        if form.code == "GE" and _is_us_state(text, start, end):
            continue
        out.append(CountryMention(form.code, start, end, form.kind))
    for s, a in _abbreviations(text):
        e = s + len(a)
        if _CURRENCY_BEFORE.search(text, max(0, s - 12), s) or _CURRENCY_AFTER.match(text, e):
            continue  # "долларов США", "US dollars" name a currency
        out.append(CountryMention(abbr[a], s, e, "name"))
    out.sort(key=lambda m: m.start)
    return out


def _abbreviations(text: str) -> list[tuple[int, str]]:
    r"""Case-sensitive abbreviations as whole words: what ``(?<![\w.])(?:US|U.S.|...)(?![\w])`` finds."""
    out: list[tuple[int, str]] = []
    last = -1
    for m in _ABBR_FIRST[0].finditer(text):
        pos = m.start()
        if pos < last:
            continue
        if pos and (text[pos - 1].isalnum() or text[pos - 1] in "_."):
            continue
        for a in _ABBR_BY_FIRST[m.group(0)]:  # longest first: the first valid form at a position wins
            if text.startswith(a, pos):
                after = text[pos + len(a):pos + len(a) + 1]
                if not (after.isalnum() or after == "_"):
                    out.append((pos, a))
                    last = pos + len(a)
                    break
    return out


def _is_us_state(text: str, start: int, end: int) -> bool:
    """'Atlanta, Georgia', 'the state of Georgia', 'Georgia, USA': the US state, cheaply."""
    if _US_STATE_CONTEXT.search(text, max(0, start - 20), start):
        return True
    after = text[end:end + 12]
    return after.startswith((", USA", ", U.S.", " State Univ", " Tech", " state"))


def country_name(code: str) -> str:
    """English short name for display: "HU" → "Hungary"."""
    return _tables()[4].get(code.upper(), code.upper())


def resolve_country(word: str) -> str | None:
    """"hungary" / "Hungarian" / "HU" / "венгрия" → "HU"; None when it names no country."""
    if not word:
        return None
    _, _, abbr, lookup, _ = _tables()
    word = word.strip()
    if word in abbr:
        return abbr[word]
    key = fold(word)
    return lookup.get(key) or lookup.get(strip_accents(key))


_tables()  # precompile at import: the first document must not pay for it
