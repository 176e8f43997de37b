"""Country mentions in English and Russian text: names, adjectives, demonyms → ISO alpha-2.

Base names come from pycountry; adjectives, demonyms, aliases, Russian word
forms, case-sensitive abbreviations and region "blockers" come from
``data/countries.json``. Forms are looked up at word starts, leftmost-longest,
so "Guinea-Bissau" beats "Guinea", "South Sudanese" beats "Sudan" and "Central
Asian" (a blocker) hides nothing but adds no country: in the walk the modules
share (store.extract.wordstarts) for text without Cyrillic, in an automaton over
the folded text otherwise. Abbreviations (US, UK, РФ...) are one case-sensitive
regex.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import pycountry

from store.extract import wordstarts
from store.extract.text import _CYR, ascii_spaced, doc_cache, fold, has_cyrillic, plain, spelled_at, strip_accents

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


_LETTER_ORDER = {c: i for i, c in enumerate(" etaoinsrhldcumfpgwybvkxjqzоеаинтсрвлкмдпуяызьбгчйхжшюцщэф-.'")}


def _frequent_letters_first(item: tuple[str, _Form]) -> list[int]:
    """Sort key of a (form, _Form) pair: its letters ranked by how often they occur in text."""
    return [_LETTER_ORDER.get(c, len(_LETTER_ORDER)) for c in item[0]]


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
    # A node looks its children up one by one in the order they were added: adding the forms with
    # frequent letters first makes the common steps short. The automaton itself is the same.
    for key, form in sorted(forms.items(), key=_frequent_letters_first):
        value = (len(key), *form)  # flat: _find unpacks it in the loop header
        automaton.add_word(key, value)
        if _CYR.search(key) is None:
            latin.add_word(key, value)
    automaton.make_automaton()
    latin.make_automaton()
    _LATIN[0] = latin
    _SPACED_KEYS[0] = _spaced_keys(forms)

    abbr: dict[str, str] = data["abbr"]
    by_first: dict[str, list[str]] = {}
    for a in sorted(abbr, key=len, reverse=True):
        by_first.setdefault(a[0], []).append(re.escape(a[1:]))
    # longest first within each first letter; "(?<![\w.])" is checked in code (see _abbreviations)
    alternatives = "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in by_first.items())
    abbr_re = re.compile(rf"(?:{alternatives})(?![\w])")
    for a, code in abbr.items():
        lookup.setdefault(fold(a), code)
    for c in pycountry.countries:
        lookup.setdefault(c.alpha_2.lower(), c.alpha_2)
        lookup.setdefault(c.alpha_3.lower(), c.alpha_2)
    return automaton, abbr_re, abbr, lookup, display


def _spaced_keys(forms: dict[str, _Form]) -> list[tuple[str, tuple[int, tuple]]]:
    """The forms as keys of the shared word-start walk (see store.extract.wordstarts and _find_spaced).

    Each key is a form's plain spelling with a space in front and every character but letters and
    digits a space ("guinea-bissau" → " guinea bissau"); its value lists the forms spelled so, which
    the folded text must spell exactly. An open-ended form ("sino-") leaves its hyphen out, so that
    the word after it ("sino-kazakh") still has its space in front. Every form but the Russian ones
    has an ASCII plain spelling (asserted here): any such form in the folded text is then spelled by
    its key in the spaced text, where whatever precedes a word is a space.
    """
    by_key: dict[str, list[tuple[str, _Form]]] = {}
    for key, form in forms.items():
        bare = plain(key)
        if len(bare) != len(key) or not bare.isascii():
            assert _CYR.search(key), f"{key!r}: no ASCII spelling, the spaced walk would miss it"
            continue
        spelled = ascii_spaced(bare[:-1] if form.open_end else bare)
        by_key.setdefault(spelled, []).append((key, form))
    return [(spelled, (len(spelled) - 1, tuple((key, *form) for key, form in entries)))
            for spelled, entries in by_key.items()]


def _word_start_keys() -> list[tuple[str, tuple[int, tuple]]]:
    _tables()
    return _SPACED_KEYS[0]


# The abbreviation keys of the walk that were given a space at their end, without it: the text's
# last word, which has no space after it in the spaced text, is looked up here (see _abbreviation_keys;
# the walk, built before its first hits are read, fills it).
_WORD_END_ABBREVIATIONS = wordstarts.WordEndKeys()


def _abbreviation_keys() -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    """The abbreviations without Cyrillic as keys of the shared walk (see _abbreviations_at_word_starts),
    each with the abbreviations spelled so ("UAE" and "U.A.E." are not: " uae", " u a e "), shortest
    first, and how far the key's end lies past the abbreviation's.

    An abbreviation counts only with no letter, digit or "_" after it, where the spaced text has a
    space (no character that is none of these folds to an ASCII letter or digit: checked over all
    of Unicode): a key that does not end with a space is given one, and then never hits inside a
    word (" us " is not in "use", ~1.6 a briefing); its hit ends one past the abbreviation. So
    " u s " spells "U.S." (0) and "U.S" (1). An abbreviation ending the text has no space after it:
    the text's last word is looked up in _WORD_END_ABBREVIATIONS instead.
    """
    spelled: dict[str, list[tuple[str, int]]] = {}
    _WORD_END_ABBREVIATIONS.clear()
    for a in _tables()[2]:
        if _CYR.search(a) is None:
            key = ascii_spaced(a.lower())
            if key[-1] != " ":
                _WORD_END_ABBREVIATIONS.add(key, _WORD_END_ABBREVIATIONS.get(key, ()) + ((a, 0),))
                spelled.setdefault(key + " ", []).append((a, 1))
            else:
                spelled.setdefault(key, []).append((a, 0))
    # (shortest first: where two are spelled at one start, the longer one, as the regex takes it, comes last)
    return [(key, tuple(sorted(abbrs, key=lambda pair: len(pair[0])))) for key, abbrs in spelled.items()]


wordstarts.register("countries", _word_start_keys)
wordstarts.register("country abbreviations", _abbreviation_keys)


_CURRENCY_BEFORE = re.compile(r"(?i)доллар\w*\s+$")
_CURRENCY_AFTER = re.compile(r"(?i)\s*(?:dollars?|\$)")
_US_STATE_CONTEXT = re.compile(r"(?:Atlanta|state of|State of|U\.S\. state|Savannah|Augusta)\W*$")


_LATIN: list[ahocorasick.Automaton] = [None]  # type: ignore[list-item]
_SPACED_KEYS: list[list[tuple[str, tuple[int, tuple]]]] = [[]]
_START = attrgetter("start")
_new_mention = tuple.__new__  # CountryMention(...) without the Python-level __new__ of a NamedTuple
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
            hit = _SHORT_CACHE[text] = tuple(_find(text, short=True))
        return list(hit)
    cache = doc_cache(text)
    hit = cache.get("mentions")
    if hit is None:
        hit = cache["mentions"] = tuple(_find(text))
    return list(hit)


def _find(text: str, short: bool = False) -> list[CountryMention]:
    automaton, abbr_re, abbr, _, _ = _tables()
    folded = fold(text)
    cyr = has_cyrillic(text)
    # A document takes the hits of the walk the modules share. A short text (a title, a role) walks
    # the country forms alone: a walk with every module's keys would cost it three times as much.
    shared = not (cyr or short)
    out = _find_spaced(text, folded) if shared else None
    if out is None:
        out = _find_folded(text, folded, automaton if cyr else _LATIN[0])
    append = out.append
    abbreviations = _abbreviations_at_word_starts(text) if shared else _abbreviations(text, abbr_re)
    for s, a in abbreviations:
        e = s + len(a)
        if _CURRENCY_BEFORE.search(text, max(0, s - 12), s) or _CURRENCY_AFTER.match(text, e):
            continue  # "долларов США", "US dollars" name a currency
        append(CountryMention(abbr[a], s, e, "name"))
    if abbreviations:  # the automaton's matches come in order and never overlap: already sorted
        out.sort(key=_START)
    return out


def _find_folded(text: str, folded: str, automaton: ahocorasick.Automaton) -> list[CountryMention]:
    """The forms in the folded text: every form a key, matches inside words dropped after the walk."""
    if "\n" in folded:  # "United\nStates" wrapped across lines: same length, offsets stay valid
        folded = folded.replace("\n", " ")
    out: list[CountryMention] = []
    append = out.append
    for end_idx, (length, code, kind, upper_at, open_end) in automaton.iter_long(folded):
        if code is None:
            continue  # a blocker ("Central Asian"): it only hides what it covers
        start = end_idx - length + 1
        if start:
            c = folded[start - 1]
            if c.isalnum() or c == "_":
                continue
        mention = _mention(text, folded, code, kind, upper_at, open_end, start, end_idx + 1)
        if mention is not None:
            append(mention)
    return out


def _leftmost_longest(found: list[tuple[int, tuple[int, tuple]]]) -> list[tuple[int, int, tuple]]:
    """The walk's hits (end, (length, entries)) to look at, as (start, end, entries): leftmost-longest,
    then what starts past its end ("South Sudan", not "Sudan"). Start and end are the key's in the
    spaced text less one: start is where the key's space falls in the text, end is the form's end.

    What sorting the hits by start (longest first) and taking each that starts past the last one taken
    gives, chosen as the walk reports them (by end; at one end, longest first) instead: after each hit,
    `chosen` is that choice among the hits so far. A new hit ends at or past every earlier one, so it
    is the longest at its start: the choices that start before it stand, and it replaces those that
    start where it does or later ("Afghanistan" the "Afghan" before it) unless it overlaps the last
    choice that starts before it, which then wins and nothing changes. (The key's own space counts:
    "sino" + " kazakh" do not overlap.)
    """
    chosen: list[tuple[int, int, tuple]] = []
    last_end = -1  # the end of the last choice
    for end, (length, entries) in found:
        start = end - length
        if start > last_end:
            # (the common case) past the last choice, so past every one: kept, and nothing is dropped
            chosen.append((start, end, entries))
            last_end = end
            continue
        k = len(chosen)
        while k and chosen[k - 1][0] >= start:
            k -= 1
        if k == 0 or start > chosen[k - 1][1]:
            if k < len(chosen):
                del chosen[k:]
            chosen.append((start, end, entries))
            last_end = end
    return chosen


def _find_spaced(text: str, folded: str) -> list[CountryMention] | None:
    """What _find_folded finds in a text without Cyrillic, from the hits of the shared walk over its
    spaced() form; None where those cannot tell (a hit the folded text spells otherwise, or not at a
    word start: "_" or a letter beyond ASCII such as "ł" before it).

    Only word starts match there, so a match inside a word ("Oman" in "Romania") hides nothing.
    """
    out: list[CountryMention] = []
    append = out.append
    for start, _end, entries in _leftmost_longest(wordstarts.hits(text, "countries")):
        for key, code, kind, upper_at, open_end in entries:
            if folded.startswith(key, start):
                break
            if folded[start:start + len(key)].replace("\n", " ") == key:
                break  # "United\nStates" wrapped across lines
        else:
            return None  # "guinea bissau" where only "guinea-bissau" is a form: the other walk decides
        if start and ((c := folded[start - 1]).isalnum() or c == "_"):
            return None  # "_" or "ł" in front: not a word start, yet it hides what it covers
        if code is None:
            continue  # a blocker ("Central Asian"): it only hides what it covers
        mention = _mention(text, folded, code, kind, upper_at, open_end, start, start + len(key))
        if mention is not None:
            append(mention)
    return out


def _mention(text: str, folded: str, code: str, kind: str, upper_at: int, open_end: bool, start: int, end: int
             ) -> CountryMention | None:
    """The mention of a form spelled at [start, end), or None: a word goes on after it, the capital it
    needs is missing, or it names the US state of Georgia."""
    if end < len(folded) and not open_end:
        c = folded[end]
        if c.isalnum() or c == "_":
            return None
    if upper_at >= 0 and not text[start + upper_at].isupper():
        return None
    if code == "GE" and _is_us_state(text, start, end):
        return None
    return _new_mention(CountryMention, (code, start, end, kind))


def _abbreviations(text: str, abbr_re: re.Pattern[str]) -> list[tuple[int, str]]:
    r"""Case-sensitive abbreviations as whole words: what ``(?<![\w.])(?:US|U.S.|...)(?![\w])`` finds.

    The look-behind is checked here: in front of the pattern it would make re try every position.
    Leaving it out finds no other matches: a match it rejects is preceded by a letter, digit or
    period, and so is every position inside it, where no accepted match could start either.
    """
    out: list[tuple[int, str]] = []
    for m in abbr_re.finditer(text):
        pos = m.start()
        if pos:
            c = text[pos - 1]
            if c.isalnum() or c == "_" or c == ".":
                continue
        out.append((pos, m.group()))
    return out


def _abbreviations_at_word_starts(text: str) -> list[tuple[int, str]]:
    """What _abbreviations finds, in text without Cyrillic, from the hits of the shared walk: at each
    word start, the longest abbreviation the text spells with no word character after it (the
    regex tries them longest first), unless a period or word character stands before it."""
    found: dict[int, str] = {}
    hits = wordstarts.hits(text, "country abbreviations")
    # an abbreviation ending the text, which no key with a space after it finds (last: the walk reports hits by their end)
    at_end = _WORD_END_ABBREVIATIONS.hits(text)
    if at_end:
        hits = hits + at_end
    for end, abbrs in hits:
        for a, after in abbrs:
            if spelled_at(text, a, end - after):
                # the walk reports the longer ones at a start later (a key given a space ends one
                # past its abbreviation, yet never past a longer one's end: a longer one at that end
                # shares its key and comes after it)
                found[end - after - len(a)] = a
    out = []
    for s, a in sorted(found.items()):
        if s:
            c = text[s - 1]
            if c.isalnum() or c == "_" or c == ".":
                continue
        out.append((s, a))
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
