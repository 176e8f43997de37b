"""Named people in a briefing: who took part in the meeting (parties) and who is only mentioned.

How a name is found: a run of capitalised name-like tokens (particles such as
"von der", "bin", "da" and initials allowed inside) counts as a person when a
title stands right before it ("Prosecutor General of Hungary Gábor Bálint
Nagy"), a title follows it as an apposition ("Ádám Stifter, Deputy State
Secretary ..."), a courtesy word or "counterpart" precedes it, it is a line of
a memo's participant list, or it joins such a name with "and". Every later
capitalised run made only of that person's words (the surname alone, or the
given name for "bin" names) is another mention of the same person.

Who took part: the meeting's own sentences ("met with", "held talks", "was
attended by", "встретился", ...; data/triggers.json), read in order until two
participants are known, plus sentences that add participants ("also took
part", "joined by") and memo participant lists. Everybody else is a person
merely mentioned.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

try:  # CPython's regex parser (private): only to read the trigger patterns, see _compatible
    from re import _constants as _sre, _parser as _sre_parser
except ImportError:  # another Python: every pattern is tried for every key (same results, slower)
    _sre_parser = None

from store.extract import wordstarts
from store.extract.countries import CountryMention, _expand_ru, find_country_mentions, resolve_country
from store.extract.due import folds_like_lower
from store.extract.letterclasses import letter_classes
from store.extract.text import _wrapped, ascii_spaced, fold, has_cyrillic, plain, strip_accents

DATA = Path(__file__).with_name("data")

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+|[^\w\s]")
_CYRILLIC = re.compile(r"[а-яё]")
PARTICLES = frozenset("van von der den de da do dos das di del della la le du bin bint ibn al el ben ter zu y e ul".split())
_EN_CONNECTORS = frozenset("of for the and at to in on responsible & - – — 's ’s d'affaires d’affaires".split())
_RU_STOP = frozenset("с со между от для к о об на за у из что как который которая которые также а но или же не".split())
_RU_VERB = re.compile(r"^[а-яё-]{2,}(?:ался|ялся|ился|елся|ались|ились|алась|илась|ала|яла|ила|ела|али|яли|или|ели|ал|ял|ил|ел|ует|ают|яют|ает|яет|ит|ят|ют|ть|ться|ся)$")
_POSSESSIVE = re.compile(r"^(.*?)['’]s$", re.I)
_HOST_PREFIX = re.compile(r"(?:\b(?:to|in|at)\s+(?:the\s+)?|(?:^|\s)(?:в|во|при)\s+)$", re.I)
_STATE_WORDS = re.compile(
    r"(?:(?:\bof\s+)?(?:the\s+)?(?:(?:Islamic|Federal|Democratic|Socialist|People['’]s|United|Arab|Kyrgyz|Slovak|Czech|Argentine|Italian|French|Hellenic|Swiss|Lebanese|Gabonese|Togolese|Rwandese|Portuguese)\s+)?"
    r"(?:Republic|Kingdom|Federation|Sultanate|Commonwealth|Principality|Emirates|Confederation|Grand\s+Duchy)(?:\s+of)?\s+(?:the\s+)?"
    r"|(?:\bof\s+)?the\s+State\s+of\s+(?:the\s+)?)$")
_RU_STATE_BEFORE = re.compile(r"(?:Республик[аиеуой]+|Королевств[аоеу]|Федераци[ияюей]+|Государств[аоеу])\s+$")
_RU_STATE_AFTER = re.compile(r"^\s+(?:Республик[аиеуой]+|Федераци[ияюей]+)")
_LIST_HEADER = re.compile(r"^\W*(?:participants|attendees|present|delegations|participation|участники|состав\s+делегаций)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[-•*\u2022–]|\d+[.)])\s+")
_PAREN = re.compile(r"\s*\([^)]*\)")
_SIDE = re.compile(r"\b(?:the\s+)?([A-Z][\w-]+)\s+(?:side|delegation|team)\b|\b([а-яё]+(?:ая|ой|ую))\s+(?:сторон|делегаци)", re.I)


def _org_heads() -> list[str]:
    """Institution words, and the known organisations' acronyms ("EBRD", "OSCE"): never a person's name."""
    data = json.loads((DATA / "orgs.json").read_text(encoding="utf-8"))
    return data["heads"] + data["acronyms"]


# Endings of abstract nouns that no name has: "Reconstruction", "Partnership" ("-ment", "-ness" and
# "-ity" have: Clement, Holness, Felicity).
_NOUN_ENDINGS = ("tion", "sion", "ship", "ism")


_EVENT_NOUN = re.compile(r"(?i)\b(?:summit|forum|conference|format|ceremony|dinner|reception|exhibition|festival|visit|саммит|форум|конференци|визит)\w*")


def _load() -> dict[str, Any]:
    return json.loads((DATA / "people.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    data = _load()
    paradigms = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["paradigms"]
    heads = {fold(w) for w in data["role_heads"]}
    for entry in data["role_heads_ru"]:
        heads.update(fold(f) for f in _expand_ru(entry, paradigms))
    trig = json.loads((DATA / "triggers.json").read_text(encoding="utf-8"))
    for group in CUE_GROUPS:
        trig[group] = [_letter_after_scan(p) for p in trig[group]]

    def rx(key: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{_possessive_before_space(p)})" for p in trig[key]))

    def rx_for(group: str, key: str) -> re.Pattern[str] | None:
        """The group's alternation reduced to the patterns that can match where ``key`` starts (same order)."""
        keep = [p for p in trig[group] if _compatible(p, key)]
        return re.compile("|".join(f"(?:{_possessive_before_space(p)})" for p in keep)) if keep else None

    keys: dict[str, list[str]] = {}
    for group, words in trig["keys"].items():
        for w in words:
            keys.setdefault(fold(w), []).append(group)
    checks = {w: tuple((g, r) for g in groups if (r := rx_for(g, w)) is not None) for w, groups in keys.items()}
    # Very short keys ("on", "in", ",") hit everywhere but rarely start a phrase: their phrases are searched
    # for directly instead (see Cues). So are keys not starting with a letter or digit (the automaton's hits
    # are only checked for a letter before them).
    gated = {w for w in checks if checks[w] and (len(w) <= 2 or not w[0].isalnum())}
    # A key's check of a group is redundant when a shorter key it starts with checks that group too: both
    # occur at the same place, and the shorter key's regex holds every pattern the longer key's does
    # ("discuss" and "discussed"), so the same phrase is found.
    def redundant(w: str, g: str) -> bool:
        return any(w2 != w and w.startswith(w2) and w2 not in gated and any(g2 == g for g2, _ in checks[w2])
                   for w2 in checks)

    narrowed = {w: tuple((g, r) for g, r in checks[w] if not redundant(w, g)) for w in checks if w not in gated}
    group_index = {g: i for i, g in enumerate(CUE_GROUPS)}

    def key_checks(wchecks: tuple[tuple[str, re.Pattern[str]], ...]) -> tuple[tuple[int, Any], ...]:
        return tuple((group_index[g], r.match) for g, r in wchecks)

    def sentence_word(key: str, wchecks: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
        return _sentence_word(key, [p for g, _r in wchecks for p in trig[g] if _compatible(p, key.strip())])

    # Keys of ASCII letters are looked up in the text with every character but ASCII letters and digits
    # turned into a space (see ascii_spaced), each key with a space in front: a hit is then a key at the start
    # of a word. They are keys of the walk the modules share (see Cues). Other keys (Cyrillic) are looked up
    # in the folded text itself.
    spaced_keys: dict[str, tuple[int, str | None, tuple[tuple[int, Any], ...]]] = {}
    other = ahocorasick.Automaton()
    for w, wchecks in narrowed.items():
        if not wchecks:
            continue
        if w.isascii():
            key = ascii_spaced(w)
            # (a longer key starting with w relies on w's hits for the groups it leaves to w: see redundant)
            longer = any(w2 != w and w2.startswith(w) for w2 in narrowed)
            next_words = None if longer else _next_word_keys(w, [p for g, _r in wchecks for p in trig[g] if _compatible(p, w)])
            if next_words is not None:
                for k in next_words:
                    spaced_keys[k] = (len(k) - 1, None, key_checks(wchecks), sentence_word(k, wchecks))
                continue
            # a key with a hyphen or a space in it ("co-chaired") has a look-alike in the spaced text
            spaced_keys[key] = (len(w), w if key[1:] != w else None, key_checks(wchecks), sentence_word(w, wchecks))
        else:
            other.add_word(w, (len(w) - 1, None, key_checks(wchecks), sentence_word(w, wchecks)))
    other.make_automaton()
    # every Cyrillic key holds a Russian letter: a text without one needs no look-up of them
    assert all(_RU_LETTER.search(w) for w in other.keys())
    gated_checks = []
    for w in sorted(gated):
        gate = _phrase_gate(w, [p for g, _r in checks[w] for p in trig[g] if _compatible(p, w)])
        # a longer key starting with this one (or the other way round) may find the same phrase
        shared = any(w2 != w and (w2.startswith(w) or w.startswith(w2)) and set(keys[w2]) & set(keys[w]) for w2 in narrowed)
        patterns = [p for g, _r in checks[w] for p in trig[g] if _compatible(p, w)]
        needles = _needles(patterns)
        gated_checks.append((w, gate, needles, key_checks(checks[w]), shared, _gate_words(patterns)))

    io = sorted((fold(w) for w in data["io_words"]), key=len, reverse=True)
    return {
        "heads": frozenset(heads),
        "heads_honorifics": frozenset(heads) | frozenset(fold(w) for w in data["honorifics"]),
        # what _role_before looks for right before a name ("h" of "H.E.", "i" of "a.i.", "interim" of "ad interim")
        "title_words": frozenset(heads) | frozenset(fold(w) for w in data["honorifics"] + data["evidence"])
        | {"h", "i", "interim"},
        "honorifics": frozenset(fold(w) for w in data["honorifics"]),
        "evidence": frozenset(fold(w) for w in data["evidence"]),
        "non_name": frozenset(fold(w) for w in data["non_name"] + data["regions"] + _org_heads()),
        "io": re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in io) + r")(?!\w)", re.I),
        "meeting": rx("meeting"), "joined_after": rx("joined_after"), "joined_before": rx("joined_before"),
        "other_event": rx("other_event"), "cut": rx("cut"),
        "cue_spaced": list(spaced_keys.items()), "cue_other": other, "cue_gated": tuple(gated_checks),
        "cue_gate_words": [(key, i) for i, gc in enumerate(gated_checks) if gc[5] is not None for key in gc[5]],
        "cue_gated_unworded": tuple(i for i, gc in enumerate(gated_checks) if gc[5] is None),
        "cities": _cities(),
        "role_countries": {fold(k): c for k, c in data["role_countries"].items()},
        "like_cache": {},
        # the like_cache's words of more than one letter that are not name-like (see cap_starts)
        "not_like": set(),
        # ASCII token text -> what the walk over a title does at such a token (see _title_step)
        "title_steps": {},
    }


def _literal_prefix(pattern: str) -> str:
    """The plain characters a regular expression starts with ("met(?:\\s+with)?" → "met"; "meets?" → "meet")."""
    depth, esc = 0, False
    for c in pattern:  # an alternative at the top level may start with anything
        if esc:
            esc = False
        elif c == "\\":
            esc = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return ""
    out = []
    for c in pattern:
        if c in "\\()[]{}.*+?|^$":
            if c in "*+?{" and out:
                out.pop()  # the previous character is optional or repeated
            break
        out.append(c)
    return "".join(out)


_SCAN_TO_WORD = re.compile(r"\[\^\.\]\*\\b([a-z])")
_RU_LETTER = re.compile(r"[а-яё]")


def _letter_after_scan(pattern: str) -> str:
    """"[^.]*\\bwith" → "[^.]*w(?<=\\bw)ith": the same matches, but a letter right after the scan lets re jump
    back between the w's, not try the word boundary at every character of the rest of the sentence."""
    return _SCAN_TO_WORD.sub(lambda m: f"[^.]*{m[1]}(?<=\\b{m[1]})", pattern)


# (the whitespace must be there: "\s*", "\s?" or "\s{0,n}" after the run would let a shorter run be
# followed by a class character, and giving one back could matter)
_CLASS_RUN_BEFORE_SPACE = re.compile(r"(?<!\\)(\[(?:\\.|[^\]\\])+\])\+(?=\\s(?![*?{]))")


def _possessive_before_space(pattern: str) -> str:
    """"(?:[\\w'’-]+\\s+){0,5}" → "(?:[\\w'’-]++\\s+){0,5}": a run of a class that holds no whitespace, right before
    whitespace, is never given back (the same matches: a shorter run leaves a class character where the
    whitespace must be), so re does not try each shorter run of each word before the phrase's last word."""
    def possessive(m: re.Match[str]) -> str:
        cls = re.compile(m[1])
        return m[0] if any(cls.fullmatch(c) for c in _WHITESPACE) else m[0] + "+"
    return _CLASS_RUN_BEFORE_SPACE.sub(possessive, pattern)


# every character \s matches (str.isspace, as re has it; none lies above U+3000)
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def _compatible(pattern: str, key: str) -> bool:
    """Can ``pattern`` match text that starts with ``key``? False only when no way through it can
    ("(?:held|holds?)\\s+..." cannot start with "were"): a key's regex then need not try it."""
    lit = _literal_prefix(pattern)
    n = min(len(lit), len(key))
    if lit[:n] != key[:n]:
        return False
    if _sre_parser is None:
        return True
    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return True
        ends = _key_positions_after(parsed.data, key, {0})
    except Exception:  # noqa: BLE001 - a parser that changed shape: "can" is always a safe answer
        return True
    return ends is None or bool(ends)  # the key read to its end, or the pattern matched within it


def _key_positions_after(items: Any, key: str, at: set[int]) -> set[int] | None:
    """The offsets in ``key`` where the parsed regex ``items`` can stop when started at the offsets ``at``;
    None once the key can be read to its end (or the regex holds what this does not follow: then anything
    may match). Lookarounds and anchors are passed over, possessive and atomic parts read as plain ones:
    the answer may say "can" too often, never "cannot" wrongly."""
    for op, av in items:
        if len(key) in at:
            return None
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
            at = {i + 1 for i in at if _sre_char_ok(op, av, key[i])}
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        elif op is _sre.SUBPATTERN:
            if av[1] or av[2]:  # inline flags ("(?i:...)"): not followed
                return None
            got = _key_positions_after(av[3], key, at)
            if got is None:
                return None
            at = got
        elif op is _sre.ATOMIC_GROUP:
            got = _key_positions_after(av, key, at)
            if got is None:
                return None
            at = got
        elif op is _sre.BRANCH:
            out: set[int] = set()
            for alt in av[1]:
                got = _key_positions_after(alt, key, at)
                if got is None:
                    return None
                out |= got
            at = out
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            lo, hi, item = av
            out = set(at) if lo == 0 else set()
            cur, n = at, 0
            while cur and n < hi:
                got = _key_positions_after(item, key, cur)
                if got is None:
                    return None
                n += 1
                if n >= lo:
                    if got <= out:
                        break  # nothing new: later rounds give nothing new either
                    out |= got
                cur = got
            at = out
        else:
            return None
        if not at:
            return at
    return None if len(key) in at else at


def _sre_char_ok(op: Any, av: Any, c: str) -> bool:
    """May this one-character item of a parsed regex match ``c``? (True when unsure)"""
    if op is _sre.LITERAL:
        return ord(c) == av
    if op is _sre.NOT_LITERAL:
        return ord(c) != av
    if op is _sre.ANY:
        return True  # (any character but a line break, or any at all under re.DOTALL)
    hit, negate = False, False
    for iop, iav in av:
        if iop is _sre.NEGATE:
            negate = True
        elif iop is _sre.LITERAL:
            hit = hit or ord(c) == iav
        elif iop is _sre.RANGE:
            hit = hit or iav[0] <= ord(c) <= iav[1]
        elif iop is _sre.CATEGORY and iav in _SRE_CATEGORIES:
            hit = hit or _SRE_CATEGORIES[iav](c)
        else:
            return True
    return hit != negate


_SRE_CATEGORIES = {
    _sre.CATEGORY_DIGIT: str.isdecimal, _sre.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    _sre.CATEGORY_SPACE: str.isspace, _sre.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    _sre.CATEGORY_WORD: lambda c: c.isalnum() or c == "_", _sre.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


def _phrase_gate(key: str, patterns: list[str]) -> re.Pattern[str]:
    """One regex matching exactly where one of ``patterns`` (each able to start with ``key``) matches.

    When every pattern spells ``key`` out first, the key is pulled in front of the alternation: a regex
    with a literal start is searched for much faster.
    """
    unique = list(dict.fromkeys(patterns))
    if all(p.startswith(key) and _literal_prefix(p).startswith(key) for p in unique):
        return re.compile(re.escape(key) + "(?:" + "|".join(f"(?:{p[len(key):]})" for p in unique) + ")")
    return re.compile("|".join(f"(?:{p})" for p in unique))


def _needles(patterns: list[str]) -> tuple[str, ...]:
    """Plain strings of which every match of one of ``patterns`` holds one ("on\\s+behalf\\s+of\\b" → "behalf"),
    or () when some pattern has none of three characters or more to offer (or cannot be read).

    A text without any of them has no match: a few plain "in" scans of the text, cheaper than a regex
    search whose short literal start ("on", ",") occurs all over it.
    """
    out = []
    for pattern in dict.fromkeys(patterns):
        run = _longest_literal_run(pattern)
        if len(run) < 3:
            return ()
        out.append(run)
    return tuple(dict.fromkeys(out))


# A year after "in": the spaced text spells "in", one or two spaces and "19" or "20", or "in" and three spaces
# (and more, perhaps), which the regex then checks.
_IN_YEAR = "in\\s+(?:19|20)\\d\\d\\b"
_IN_YEAR_KEYS = (" in 19", " in 20", " in  19", " in  20", " in   ")


def _gate_words(patterns: list[str]) -> tuple[str, ...] | None:
    """Keys of the shared word-start walk (spelled as ascii_spaced spells them), one of which the walk finds
    wherever one of ``patterns`` without a Russian letter matches; None when some such pattern has none.

    A pattern's word is a run of ASCII letters after a character no ASCII letter or digit matches (",\\s+who"
    → " who"): spaced(text) has a space there, so the walk finds the word where the pattern matches
    plain(text). A pattern spelling a Russian letter matches only a text holding one (see Cues).
    """
    if _sre_parser is None:
        return None
    keys = []
    for pattern in dict.fromkeys(patterns):
        if _RU_LETTER.search(pattern):
            continue
        if pattern == _IN_YEAR:
            keys.extend(_IN_YEAR_KEYS)
            continue
        try:
            parsed = _sre_parser.parse(pattern)
            if parsed.state.flags & re.IGNORECASE:
                return None
            best, run, after_gap = "", "", False
            for op, av in parsed.data:
                if op is _sre.LITERAL and chr(av).isascii() and chr(av).isalpha() and (run or after_gap):
                    run += chr(av)
                    if len(run) > len(best):
                        best = run
                    continue
                run = ""
                item = av[2] if op is _sre.MAX_REPEAT and av[0] >= 1 and len(av[2]) == 1 else [(op, av)]
                iop, iav = item[0]
                after_gap = iop in (_sre.LITERAL, _sre.IN) and not any(
                    _sre_char_ok(iop, iav, c) for c in "abcdefghijklmnopqrstuvwxyz0123456789")
        except Exception:  # noqa: BLE001 - a parser that changed shape: the needles or the regex decide
            return None
        if len(best) < 3:
            return None
        keys.append(" " + best)
    return tuple(dict.fromkeys(keys))


_GAP = object()  # a run of whitespace ("\s+") in a path of _lead_paths
_STOP = object()  # what _lead_paths does not follow: the path ends there


def _lead_paths(items: list[Any]) -> list[list[Any]]:
    """The ways through the parsed regex ``items`` as far as they are plain characters and whitespace runs:
    each a list of characters and _GAP, ended by _STOP where something else comes ("(?:also\\s+)?took\\b" →
    "also", _GAP, "took", _STOP and "took", _STOP; an optional part and the alternatives of a group are read
    each way). Every match starts as one of them does."""
    for i, (op, av) in enumerate(items):
        if op is _sre.LITERAL:
            continue
        head = [chr(a) for _op, a in items[:i]]
        rest = items[i + 1:]
        if op is _sre.MAX_REPEAT and av[0] >= 1 and list(av[2]) == [(_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])]:
            return [head + [_GAP] + p for p in _lead_paths(rest)]
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:
            return [head + p for p in _lead_paths(list(av[3]) + rest)]
        if op is _sre.MAX_REPEAT and av[0] == 0 and av[1] == 1:  # an optional part: the ways without it and with it
            return [head + p for p in _lead_paths(rest) + _lead_paths(list(av[2]) + rest)]
        if op is _sre.BRANCH:  # alternatives ("(?:with|between)"): the ways through each
            return [head + p for alt in av[1] for p in _lead_paths(list(alt) + rest)]
        return [head + [_STOP]]
    return [[chr(a) for _op, a in items] + [_STOP]]


def _next_word_keys(key: str, patterns: list[str]) -> tuple[str, ...] | None:
    """Keys of the shared walk (spelled as ascii_spaced spells them) to look ``key`` up by when each of
    ``patterns`` spells ``key``, whitespace and a word ("was\\s+held\\s+between" → " was held between"),
    or None when one does not. Where the word is followed by whitespace and another word, that one is part
    of the key too ("were\\s+also\\s+present" → " were also present", not " were also"); an optional part
    is read both with and without it ("(?:also\\s+)?took\\s+part" gives "also" " also took part").

    A short key that starts many other phrases ("was", "were", "also") then hits only where a pattern can
    match, not at every "was paid" or "were also on the agenda". Each whitespace run is a run of spaces in
    the spaced text: one or two spaces before each word, and three spaces or more (" was   ", " were also   ")
    left to the regex, as _IN_YEAR_KEYS does.
    """
    if _sre_parser is None:
        return None
    n = len(key)
    spaced_key = ascii_spaced(key)
    keys: list[str] = []
    for pattern in dict.fromkeys(patterns):
        try:
            parsed = _sre_parser.parse(pattern)
            if parsed.state.flags & re.IGNORECASE:
                return None
            paths = _lead_paths(list(parsed.data))
        except Exception:  # noqa: BLE001 - a parser that changed shape: the key itself is looked up
            return None
        for path in paths:
            lead = path[:n]
            if any(isinstance(c, str) and c != k for c, k in zip(lead, key)):
                continue  # this way through the pattern cannot start where the key is spelled
            if lead != list(key) or path[n] is not _GAP:
                return None
            words = []
            i = n + 1
            while len(words) < 2:
                word = ""
                while isinstance(path[i], str) and "a" <= path[i] <= "z":
                    word += path[i]
                    i += 1
                if len(word) < 2:
                    break
                words.append(word)
                if path[i] is not _GAP:
                    break
                i += 1
            if not words:
                return None
            if len(words) == 1:
                keys += [spaced_key + gap + words[0] for gap in (" ", "  ")]
            else:
                for gap in (" ", "  "):
                    keys += [spaced_key + gap + words[0] + gap2 + words[1] for gap2 in (" ", "  ")]
                    keys.append(spaced_key + gap + words[0] + "   ")
    if not keys:
        return None
    keys.append(spaced_key + "   ")
    # Two keys of the set hitting at one place would have the regexes tried twice there (the same phrase found
    # twice): a key with a shorter one in front of it is left out, the shorter one's hit stands for it.
    keys = list(dict.fromkeys(keys))
    return tuple(k for k in keys if not any(k2 != k and k.startswith(k2) for k2 in keys))


def _may_match_period(op: Any, av: Any) -> bool:
    """May this item of a parsed regex consume a "." (True when unsure)? Zero-width items consume nothing."""
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return False
    if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
        return _sre_char_ok(op, av, ".")
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return any(_may_match_period(o, a) for o, a in av[2])
    if op is _sre.SUBPATTERN:
        return any(_may_match_period(o, a) for o, a in av[3])
    if op is _sre.ATOMIC_GROUP:
        return any(_may_match_period(o, a) for o, a in av)
    if op is _sre.BRANCH:
        return any(_may_match_period(o, a) for alt in av[1] for o, a in alt)
    return True


def _words_before_period(items: list[Any]) -> set[str]:
    """Runs of plain characters (3 or more) that every match of the parsed regex ``items`` spells before
    it reads any "." (or where a lookahead reads on without one): "discuss(?:ed|es)?\\b(?=[^.]*with\\b)" →
    "discuss", "with". Zero-width items between two characters (a word boundary, a lookbehind) leave the run
    whole; anything else ends it, and an item that may consume a "." ends the reading."""
    out: set[str] = set()
    run = ""
    items = list(items)
    while items:
        op, av = items.pop(0)
        if op is _sre.LITERAL and av != ord("."):
            run += chr(av)
            continue
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:
            items[:0] = list(av[3])  # a plain group is read in line
            continue
        if op is _sre.AT or (op in (_sre.ASSERT, _sre.ASSERT_NOT) and av[0] < 0) or op is _sre.ASSERT_NOT:
            continue  # zero-width: the characters around it are adjacent
        if len(run) >= 3:
            out.add(run)
        run = ""
        if op is _sre.ASSERT:  # a lookahead reads on from here, every match passing it
            out |= _words_before_period(av[1])
            continue
        if _may_match_period(op, av):
            return out
    if len(run) >= 3:
        out.add(run)
    return out


def _sentence_word(key: str, patterns: list[str]) -> str | None:
    """A word besides ``key`` that every match of each of ``patterns`` spells before any "." after its start
    (the longest such), or None: a key's hit without the word before the next "." can have no phrase, and
    two str.find calls are cheaper than the regexes there ("discussed ... with" read to the end of a sentence).
    """
    if _sre_parser is None or not patterns:
        return None
    common: set[str] | None = None
    for pattern in dict.fromkeys(patterns):
        try:
            parsed = _sre_parser.parse(pattern)
            if parsed.state.flags & re.IGNORECASE:
                return None
            words = {w for w in _words_before_period(list(parsed.data)) if w not in key}
        except Exception:  # noqa: BLE001 - a parser that changed shape: no word, the regexes decide
            return None
        common = words if common is None else common & words
    return max(sorted(common), key=len) if common else None


def _longest_literal_run(pattern: str) -> str:
    """The longest run of plain characters in the top level of ``pattern``, which every match spells out
    ("" when the pattern cannot be read, or ignores case)."""
    if _sre_parser is None:
        return ""
    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return ""
        best, run = "", ""
        for op, av in parsed.data:
            # adjacent LITERAL items of the top-level sequence match adjacent characters, exactly
            run = run + chr(av) if op is _sre.LITERAL else ""
            if len(run) > len(best):
                best = run
        return best
    except Exception:  # noqa: BLE001 - a parser that changed shape: no needles, the regex is searched
        return ""


def _cities() -> frozenset[str]:
    from store.extract.meta import city_names
    return city_names()


class Tok(NamedTuple):
    """A token: a tuple made by :data:`_tok` without a Python-level constructor (thousands per document).
    Identity matters: the same start offset always gives the same object (see :class:`Tokens`)."""
    text: str
    start: int
    end: int
    low: str
    cap: bool
    word: bool


_tok = tuple.__new__  # _tok(Tok, (text, start, end, low, cap, word))


@dataclass(slots=True)
class Mention:
    first: Tok          # first and last token of the name
    last: Tok
    start: int          # character span of the name
    end: int
    words: tuple[str, ...]
    role: str | None = None
    role_country: str | None = None
    role_io: bool = False
    confirmed: bool = False
    titled: bool = False
    list_country: str | None = None
    party: bool = False
    pid: int = -1
    partner: "Mention | None" = None
    counterpart: bool = False
    pending: bool = False  # role and "of <country>" not read yet (see _read_role_after)


@dataclass(slots=True)
class Person:
    mentions: list[Mention] = field(default_factory=list)
    words: tuple[str, ...] = ()
    name: str = ""


def tokenize(text: str) -> list[Tok]:
    """Every token of ``text`` (the extractor itself reads tokens lazily through :class:`Tokens`)."""
    s = Tokens(text)
    out: list[Tok] = []
    t = s.first_from(0)
    while t is not None:
        out.append(t)
        t = s.next(t)
    return out


_SKIP = frozenset("*_#`")
_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s*){1,5})")
_ARABIC_PARTICLE = re.compile(r"^(?:al|el|ad|ar|as|an|ash|az|abu|bin|ibn|ben)-[A-Z]")
_ARABIC_WORDS = frozenset("al el ad ar as an ash az abu bin ibn ben".split())
_UPPER_CLASS = "".join(sorted({re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper()}))
# A capitalised word token: what _TOKEN's word alternative reads from an upper-case letter.
# ("[a-z]*" first: the same match, ASCII letters checked without a Unicode category lookup each)
_CAP_WORD = re.compile(rf"[{_UPPER_CLASS}][a-z]*[^\W\d_]*(?:[-'’][^\W\d_]+)*")
# _CAP_WORD, read on a text's letter classes (see store.extract.letterclasses): one byte per character, "U" an
# upper-case letter, "a" any other letter, "-" a joiner ("-", "'", "’"), " " anything else. A search for
# its literal first byte is a plain loop; the search for _CAP_WORD's big first class tests a set per character.
# (Possessive repeats: the same matches, as nothing after a run of letters can be a letter, but re keeps no
# backtracking state for them: ~300 instructions less a word, about 75 words a briefing.)
_CAP_WORD_CLASSES = re.compile(rb"U[Ua]*+(?:-[Ua]++)*+")
_SPAN = re.Match.span
_DASH_UPPER = re.compile(r"-[A-Z]")
_SPACE = re.compile(r"\s")
_MISSING = object()
_NO_WORDS: frozenset[str] = frozenset()
_POSSESSIVE_ENDS = ("'s", "’s", "'S", "’S")
# A run of letters after ``pos`` that is a whole token: nothing that would join it follows.
_WORD_AHEAD = re.compile(r"\s*([^\W\d_]+)(?![\w'’-])")
# A space and a word of lower-case ASCII letters that is a whole token.
_LOWER_WORD_AHEAD = re.compile(r" ([a-z]+)(?![\w'’-])")
# In the mirrored text: a chunk that is a run of letters, perhaps with a stop after it (see Tokens.prev).
_CHUNK_BEHIND = re.compile(r"\s*([,.;:!?)\"»”\]]?)([^\W\d_]+)(?!\S)")
# What _CHUNK_BEHIND's letters read, forward (see Tokens._chunk_behind).
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# A space and a letter: the next token after the offset is a word (_TOKEN's first alternative; letters are
# neither digits nor the markdown characters a token scan skips).
_WORD_NEXT = re.compile(r" [^\W\d_]").match
# One-character tokens that can follow a word directly and never join it (see Tokens._before).
_FAST_PUNCT = frozenset(',.;:!?)"»”]')


class Tokens:
    """The tokens of a text, read lazily around the places that need them.

    Tokens never contain whitespace, so tokenising from just after any
    whitespace character gives exactly the tokens a scan from the start would:
    ``prev``/``next`` tokenise only a few characters each and remember what
    they saw. The same start offset always gives the same :class:`Tok` object.
    """

    __slots__ = ("text", "flat", "at_start", "_next", "_prev", "_reversed")

    def __init__(self, text: str, flat: str | None = None) -> None:
        self.text = text
        self.flat = flat if flat is not None else plain(text)
        self.at_start: dict[int, Tok] = {}
        self._next: dict[int, Tok | None] = {}
        self._prev: dict[int, Tok | None] = {}
        self._reversed: str | None = None  # text[::-1], made when first needed (see _chunk_behind)

    def _make(self, m: re.Match[str]) -> list[Tok]:
        t = m.group(0)
        if t in _SKIP:
            return []  # markdown emphasis is not text
        s, e = m.span()
        known = self.at_start.get(s)
        if known is not None:
            nxt = self._next.get(s, _MISSING)
            return [known] if known.end == e else [known, nxt]  # type: ignore[list-item]
        c = t[0]
        text, flat = self.text, self.flat
        if ("'" in t or "’" in t) and (t.endswith(("'s", "’s", "'S", "’S"))) and len(t) > 2:
            cut = e - 2
            a = _tok(Tok, (text[s:cut], s, cut, flat[s:cut], c.isupper(), c.isalpha()))
            b = _tok(Tok, (text[cut:e], cut, e, "'s", False, False))
            self.at_start[s] = a
            self.at_start[cut] = b
            self._next[s] = b
            self._prev[cut] = a
            return [a, b]
        tok = _tok(Tok, (t, s, e, flat[s:e], c.isupper() or (c in "aebi" and bool(_ARABIC_PARTICLE.match(t))), c.isalpha()))
        self.at_start[s] = tok
        return [tok]

    def first_from(self, pos: int) -> Tok | None:
        """The first token starting at or after ``pos`` (``pos`` must not be inside a token)."""
        text = self.text
        # the common case, a word of letters, needs no token regex (see _word)
        m = _WORD_AHEAD.match(text, pos)
        if m is not None:
            s, e = m.span(1)
            # self._word(s, e), inlined: every name's next token is read here
            w = self.at_start.get(s)
            if w is None:
                word = text[s:e]
                if word.isalpha():
                    w = self.at_start[s] = _tok(Tok, (word, s, e, self.flat[s:e], word[0].isupper(), True))
            elif w.end != e:
                w = None
            if w is not None:
                return w
        while True:
            m = _TOKEN.search(text, pos)
            if m is None:
                return None
            made = self._make(m)
            if made:
                return made[0]
            pos = m.end()

    def next(self, t: Tok) -> Tok | None:
        r = self._next.get(t.start, _MISSING)
        if r is _MISSING:
            e = t.end
            # One space, then a token already made (a name's next word, made by cap_starts): first_from would
            # give that token (no token starts inside whitespace, and the one made there is what tokenising
            # from that offset reads), after a regex match.
            if self.text[e:e + 1] != " " or (r := self.at_start.get(e + 1)) is None:
                r = self.first_from(e)
            self._next[t.start] = r
            if r is not None:
                self._prev[r.start] = t
        return r  # type: ignore[return-value]

    def prev(self, t: Tok) -> Tok | None:
        pos = t.start
        r = self._prev.get(pos, _MISSING)
        if r is not _MISSING:
            return r  # type: ignore[return-value]
        r = None
        text = self.text
        # the commonest chunk before, a word and one space ("Minister of"): found by the space before it. When
        # text[s:pos - 1] is all letters, _CHUNK_BEHIND below matches that one space, no stop and exactly those
        # letters (the character before them is a space or the text's start), so it would give the same word.
        if pos > 1 and text[pos - 1] == " ":
            s = text.rfind(" ", 0, pos - 1) + 1
            w = self.at_start.get(s)
            if w is None:
                word = text[s:pos - 1]
                if word.isalpha():
                    w = self.at_start[s] = _tok(Tok, (word, s, pos - 1, self.flat[s:pos - 1], word[0].isupper(), True))
            elif w.end != pos - 1:
                w = None
            if w is not None:
                self._prev[pos] = w
                self._next[s] = t
                return w
        # the other common chunks before, a word after a line break or a word and a stop ("Minister,"): no
        # tokenising
        chunk = self._chunk_behind(pos)
        if chunk is not None:
            s, e, stop = chunk
            # self._word(s, e), inlined: the backward walk over a title calls this for every word
            w = self.at_start.get(s)
            if w is None:
                word = text[s:e]
                if word.isalpha():
                    w = self.at_start[s] = _tok(Tok, (word, s, e, self.flat[s:e], word[0].isupper(), True))
            elif w.end != e:
                w = None
            if w is not None:
                if stop:  # the stop is the token right before
                    r = self.at_start.get(e)
                    if r is None:
                        r = self.at_start[e] = _tok(Tok, (text[e], e, e + 1, self.flat[e], False, False))
                    self._next[w.start] = r
                    self._prev[e] = w
                else:
                    r = w
        if r is None:
            r = self._before(pos)
        self._prev[pos] = r
        if r is not None:
            self._next[r.start] = t
        return r

    def _chunk_behind(self, pos: int) -> tuple[int, int, bool] | None:
        """The word _CHUNK_BEHIND reads before ``pos`` (back over whitespace and one stop, letters that whitespace
        or the text's start comes before) as (start, end, a stop follows it); None if it matches nothing."""
        text = self.text
        e = pos
        while e > 0 and text[e - 1].isspace():  # (\s is str.isspace)
            e -= 1
        stop = e > 0 and text[e - 1] in _FAST_PUNCT  # (_CHUNK_BEHIND's stops)
        if stop:
            e -= 1
        # The commonest chunk, a word after a space or a line break: when all letters, the regex's greedy run of
        # letters reads exactly it (no letter is whitespace).
        s = max(text.rfind(" ", 0, e), text.rfind("\n", 0, e)) + 1
        if text[s:e].isalpha():
            return s, e, stop
        if _SPACE.search(text, s, e) is None:
            # no other whitespace in between: the regex's letters must run back to that space or line break
            # ("2024,": no run of letters there)
            return (s, e, stop) if _LETTER_RUN.fullmatch(text, s, e) is not None else None
        # other whitespace before the word (a tab, a no-break space): the regex on the mirrored text (made once:
        # a reversed copy costs ~30,000 instructions, most briefings never need it)
        mirror = self._reversed
        if mirror is None:
            mirror = self._reversed = text[::-1]
        n = len(text)
        m = _CHUNK_BEHIND.match(mirror, n - pos)
        if m is None:
            return None
        a, b = m.span(2)
        return n - b, n - a, m.end(1) > m.start(1)

    def _restart(self, pos: int) -> int:
        """Just after a whitespace character before ``pos`` (0 if none): tokenising can start there."""
        text = self.text
        lo = pos - 200 if pos > 200 else 0
        r = text.rfind(" ", lo, pos)
        r2 = text.rfind("\n", r + 1 if r >= lo else lo, pos)  # only a line break after that space matters
        if r2 > r:
            r = r2
        if r < 0:
            m = None
            for m in _SPACE.finditer(text, 0, pos):
                pass
            return m.end() if m is not None else 0
        return r + 1

    def _before(self, pos: int) -> Tok | None:
        text = self.text
        end = pos
        while True:
            while end > 0 and text[end - 1].isspace():
                end -= 1
            if end <= 0:
                return None
            start = self._restart(end)
            # the common chunks, a word ("President") or a word and a stop ("Minister,"): no regex
            chunk = text[start:end]
            if chunk.isalpha():
                w = self._word(start, end)
                if w is not None:
                    return w
            elif len(chunk) > 1 and chunk[-1] in _FAST_PUNCT and chunk[:-1].isalpha():
                w = self._word(start, end - 1)
                if w is not None:
                    p = self.at_start.get(end - 1)
                    if p is None:
                        p = self.at_start[end - 1] = _tok(Tok, (chunk[-1], end - 1, end, self.flat[end - 1:end], False, False))
                    self._next[w.start] = p
                    self._prev[p.start] = w
                    return p
            last = None
            nxt, prv = self._next, self._prev
            for m in _TOKEN.finditer(text, start, end):
                made = self._make(m)
                if made:
                    # consecutive tokens of the chunk are consecutive in the text: link them, so that
                    # stepping further back over this chunk reads nothing again
                    if last is not None and made[0] is not last:
                        nxt[last.start] = made[0]
                        prv[made[0].start] = last
                    last = made[-1]
            if last is not None:
                return last
            end = start

    def _word(self, s: int, e: int) -> Tok | None:
        """The token of text[s:e] when that is a whole _TOKEN match of letters, as _make gives it; None if unsure
        (other characters than letters: _TOKEN's word alternative also reads some digits, "²", "Ⅳ")."""
        known = self.at_start.get(s)
        if known is not None:
            return known if known.end == e else None
        t = self.text[s:e]
        if not t.isalpha():
            return None
        tok = _tok(Tok, (t, s, e, self.flat[s:e], t[0].isupper(), True))
        self.at_start[s] = tok
        return tok

    def at(self, pos: int) -> Tok | None:
        """The token starting exactly at ``pos``, if one does."""
        t = self.at_start.get(pos)
        if t is not None:
            return t
        t = self.first_from(self._restart(pos))
        while t is not None and t.start < pos:
            t = self.next(t)
        return t if t is not None and t.start == pos else None

    def cap_starts(self, known: dict[str, bool] | None = None, not_like: set[str] | None = None) -> list[Tok]:
        """Every capitalised word token ("al-Thani" too), in order: where names can start.

        ``known`` maps words to whether they are name-like (see _name_like): no token is made
        for a word known not to be, unless it is a single letter (an initial). ``not_like`` holds
        some of those words of more than one letter: a quicker test for the commonest ones.
        """
        text, flat = self.text, self.flat
        out: list[Tok] = []
        at_start = self.at_start
        known_get = known.get if known is not None else {}.get
        classes = letter_classes(text)
        if classes is not None and known_get("The") is False and "The " in text:
            classes = _without_the(text, classes)
        # (the same spans: the classes keep what _CAP_WORD reads of each character)
        spans = map(_SPAN, _CAP_WORD_CLASSES.finditer(classes) if classes is not None else _CAP_WORD.finditer(text))
        skip = not_like if not_like is not None else _NO_WORDS
        for p, e in spans:
            w = text[p:e]
            if w in skip:
                continue  # (what the test below skips, without a call: ~57 words a briefing, "The")
            like = known_get(w)
            if like is None and w[-2:] in _POSSESSIVE_ENDS:
                like = known_get(w[:-2])  # the token is the word without "'s"
            if like is False and len(w) > 1:
                continue
            if p and text[p - 1] != " ":
                c = text[p - 1]
                if c.isalnum() and not c.isdecimal():
                    continue  # inside a word ("McDonald")
                if c in "-'’" and p > 1 and text[p - 2].isalnum() and not text[p - 2].isdecimal():
                    continue  # "Abdul-Aziz": one token
            t = at_start.get(p)
            if t is None:
                if "'" in w or "’" in w:
                    t = self._make(_CAP_WORD.match(text, p))[0]  # type: ignore[arg-type]
                else:  # what _make gives for a word starting with a capital
                    t = at_start[p] = _tok(Tok, (w, p, e, flat[p:e], True, w[0].isalpha()))
            if t.word:
                out.append(t)
        if "-" in text:
            extra = False
            for m in _DASH_UPPER.finditer(text):
                h = m.start()
                for n in (2, 3):
                    if h >= n and text[h - n:h] in _ARABIC_WORDS:
                        t = self.at(h - n)
                        if t is not None and t.word and t.cap:
                            out.append(t)
                            extra = True
            if extra:
                out = sorted({t.start: t for t in out}.values(), key=lambda t: t.start)
        return out


def _without_the(text: str, classes: bytes) -> bytearray:
    """A copy of ``classes`` in which every "The" before a space reads as lower-case letters.

    "The" is the commonest capitalised word of a briefing (a sentence's first word, ~16 a briefing) and never
    name-like, so cap_starts drops it, after a regex match, a slice and a look-up each (~4,000 instructions).
    Its capital changed from "U" to "a", the scan makes no match there, and the other matches are the same:
    inside a match "U" and "a" both go on ([Ua]), and a match that starts at that "T" is exactly "The" (a space
    ends it), which cap_starts would drop (callers use this only when their ``known`` says "The" is not
    name-like)."""
    out = bytearray(classes)
    p = text.find("The ")
    while p >= 0:
        out[p] = 97  # "a"
        p = text.find("The ", p + 4)
    return out


# ---------------------------------------------------------------- name tokens

def _name_like(tok: Tok, v: dict[str, Any]) -> bool:
    if not tok.word or not tok.cap:
        return False
    cache = v["like_cache"]
    hit = cache.get(tok.text)
    if hit is None:
        hit = cache[tok.text] = _name_like_uncached(tok, v)
        if not hit and len(tok.text) > 1:
            v["not_like"].add(tok.text)
        if len(cache) > 50_000:
            cache.clear()
            v["not_like"].clear()
    return hit


def _name_like_uncached(tok: Tok, v: dict[str, Any]) -> bool:
    low = tok.low
    if low in v["non_name"] or low in v["heads"] or low in v["honorifics"] or low in v["evidence"]:
        return False
    if tok.text.isupper() and len(tok.text) > 1 and len(tok.text) < 4:
        return False  # acronyms: UN, MFA, EU
    if len(low) > 6 and low.endswith(_NOUN_ENDINGS):
        return False
    if low in v["cities"]:
        return False
    if "-" in low and any(part in v["heads"] for part in low.split("-")):
        return False  # "Minister-Foreign"
    if resolve_country(tok.text) and tok.low not in ("al",):
        return False
    return True


def _segments(S: Tokens, text: str, v: dict[str, Any]) -> list[list[Tok]]:
    """Candidate names: each a run of consecutive tokens (initials' periods and particles included)."""
    segs: list[list[Tok]] = []
    resume = -1  # tokens starting before this offset were already read as part of a run
    nxt = S.next
    like_cache = v["like_cache"]
    like_get = like_cache.get

    for first in S.cap_starts(like_cache, v["not_like"]):
        if first.start < resume:
            continue
        # _name_like and _initial, the cached answer first (the common case)
        like = like_get(first.text)  # every start is a capitalised word
        if like is None:
            like = _name_like(first, v)
        if not like and not (len(first.text) == 1 and _initial(S, first)):
            continue
        run = [first]
        j = first
        while True:
            pending: list[Tok] = []
            before = j
            if len(j.text) == 1 and _initial(S, j):
                before = nxt(j)  # type: ignore[assignment]  # the period
                pending.append(before)
            else:
                lw = _LOWER_WORD_AHEAD.match(text, before.end)
                if lw is not None and lw.group(1) not in PARTICLES:
                    break  # the next token is a plain lower-case word: neither a name nor a particle
            k = nxt(before)
            if k is None:
                break
            gap = k.start - before.end
            if gap > 2 or gap == 2 and text[before.end:k.start] == "\n\n":
                break
            like = (like_get(k.text) if k.cap and k.word else False)
            if like is None:
                like = _name_like(k, v)
            if like or len(k.text) == 1 and _initial(S, k):
                run.extend(pending)
                run.append(k)
                j = k
                continue
            if k.low in PARTICLES and not k.cap:
                q: Tok | None = k
                parts = [k]
                n = 0
                while q is not None and q.low in PARTICLES and not q.cap and n < 3:
                    q = nxt(q)
                    n += 1
                    if q is not None:
                        parts.append(q)
                if q is not None and _name_like(q, v) and q.start - parts[-2].end <= 1:
                    run.extend(pending)
                    run.extend(parts)
                    j = q
                    continue
            if k.cap and k.low in PARTICLES:
                k2 = nxt(k)
                if k2 is not None and _name_like(k2, v):
                    run.extend(pending)
                    run.append(k)
                    run.append(k2)
                    j = k2
                    continue
            break
        if len(run) == 1 and len(first.text) > 1:
            # A lone word (most runs): the checks below reduce to the capitals-line test. It is no initial to
            # drop, it is name-like (the test that started the run said so) and no title word goes back.
            resume = first.end
            if first.text.upper() != first.text or not _all_caps_line(text, first.start):
                segs.append(run)
            continue
        # trailing initial without a surname is not a name
        while run and len(run[-1].text) == 1 and _initial(S, run[-1]):
            run.pop()
        resume = run[-1].end if run else first.end
        if not run:
            continue
        last = run[-1]
        like = like_get(last.text) if last.word and last.cap else False
        if like is None:
            like = _name_like(last, v)
        if like:
            s0 = 0
            # "... for International Partnerships Jozef Síkela": the first word still belongs to the title
            if len(run) - 1 >= 2 and not (len(run[0].text) == 1 and _initial(S, run[0])):
                p = S.prev(run[0])
                if p is not None and p.low in ("for", "of", "on"):
                    s0 = 1
            lead = run[s0].text
            # a line in capitals has this word in capitals too
            if len(run) - 1 - s0 < 7 and (lead.upper() != lead or not _all_caps_line(text, run[s0].start)):
                segs.append(run[s0:])
    return segs


def _initial(S: Tokens, t: Tok) -> bool:
    if not (t.word and t.cap and len(t.text) == 1):
        return False
    n = S.next(t)
    return n is not None and n.text == "." and n.start == t.end


def _all_caps_line(text: str, pos: int) -> bool:
    """A line in capitals (a cable's subject) holds no names we can trust."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    line = text[ls:le if le >= 0 else len(text)]
    if len(line) < 14:
        return False
    return line.upper() == line and sum(c.isalpha() for c in line) > 12


# ---------------------------------------------------------------- titles

_AD_INTERIM = re.compile(r"\ba\.\s?i\.\s*$|\bad interim\s*$")


# What the backward walk over a title (_role_before) does at a token: go on over it, take it as the title's
# first head so far, go on only if the word before is "of", "in", "to" or "at" (a city), or stop.
_GO, _HEAD, _CITY, _STOP = range(4)
_UNKNOWN = -1  # (a true value, unlike _GO)
# A chunk's last characters that make its last token one _title_step stops at: a one-character stop token
# (see Tokens._before) or the end of a run of digits.
_STOP_OR_DIGIT = _FAST_PUNCT | frozenset("0123456789")
# A space and five words of ASCII letters with one space between, the last a whole token: five word tokens.
_FIVE_WORDS = re.compile(r" ([A-Za-z]+) [A-Za-z]+ [A-Za-z]+ [A-Za-z]+ [A-Za-z]+(?![\w'’-])").match


def _title_step(t: Tok, v: dict[str, Any]) -> int:
    """The walk's step at ``t`` (a function of its text, low, cap and word: cached by text, see _role_before)."""
    low = t.low
    if low in v["heads"]:
        return _HEAD
    if t.word and t.cap:
        if _name_like(t, v):
            return _STOP
        if low in v["cities"]:
            return _CITY
        return _STOP if low in v["honorifics"] else _GO
    if t.word and not low.isascii() and _CYRILLIC.search(low):
        return _STOP if low in _RU_STOP or (_RU_VERB.search(low) and low not in v["heads"]) else _GO
    return _GO if low in _EN_CONNECTORS or t.text in ("-", "–", "—", "'s", "&") else _STOP


def _after_stop_and_break(S: Tokens, text: str, pos: int, heads: set[str]) -> bool:
    """Whether a stop, then a line break or a blank line, stands right before the name at ``pos``
    ("in 2027.\n\nQuestions"), so that :func:`_role_before` finds no title, told without tokenising.

    The token before the name is then that stop, which the courtesy loop, the comma and the counterpart
    tests of _role_before do not take (a line break lies between) and its walk stops at (no stop is a
    head or a connector). Not when "a.i." or "ad interim" may end there: the walk first steps back over it.
    """
    if pos <= 2 or text[pos - 1] != "\n":
        return False
    e = pos - 2 if text[pos - 2] == "\n" else pos - 1
    if text[e - 1] not in _FAST_PUNCT or S.flat[e - 1] in heads:
        return False
    window = text[pos - 12 if pos > 12 else 0:pos]
    return "a." not in window and "ad interim" not in window


def _role_before(S: Tokens, first: Tok, text: str, v: dict[str, Any], single: bool = False
                 ) -> tuple[Tok | None, Tok | None, bool, bool, bool]:
    """Title in front of the name starting at token ``first``.

    Returns (first role token or None, last role token, courtesy word seen,
    "counterpart"-like word seen, title directly touches the name). For a
    ``single`` word only a title ending in a head word right before it counts
    (see find_people): no other title is looked for.
    """
    honorifics, heads = v["honorifics"], v["heads"]
    if _after_stop_and_break(S, text, first.start, heads):
        return None, None, False, False, False
    after = first          # the token right after t
    t = S.prev(first)
    honor = False
    while t is not None and (t.low in honorifics or t.text == "." or t.low == "h") \
            and "\n" not in text[t.end:after.start]:
        if t.low in honorifics or t.low == "h":
            honor = True
        after, t = t, S.prev(t)
    window = text[max(0, after.start - 12):after.start]
    if "a." in window or "ad interim" in window:  # (what _AD_INTERIM's two branches spell out)
        ai = _AD_INTERIM.search(window)
        if ai:
            cut = after.start - (len(ai.group(0)))
            while t is not None and t.start >= cut:
                after, t = t, S.prev(t)
    comma = False
    if t is not None and t.text == "," and "\n" not in text[t.end:after.start]:
        comma = True  # "the President of Uzbekistan, Shavkat Mirziyoyev"
        after, t = t, S.prev(t)
    if t is None:
        return None, None, honor, False, False
    if not comma and t.low in v["evidence"] and "\n" not in text[t.end:after.start]:
        return None, None, honor, True, False
    if single and not honor and t.low not in heads:
        return None, None, honor, False, False
    role_end = t
    first_role = None
    steps = 0
    prev, steps_get, title_steps = S.prev, v["title_steps"].get, v["title_steps"]
    while t is not None and steps < 18:
        kind = steps_get(t.text)
        if kind is None:
            kind = _title_step(t, v)
            if t.text.isascii() and t.text.isalpha():  # (then low, cap and word are functions of the text alone)
                if len(title_steps) > 50_000:
                    title_steps.clear()
                title_steps[t.text] = kind
        if kind:  # (_GO is 0: the walk goes on over the token)
            if kind == _HEAD:
                first_role = t
            elif kind == _CITY:
                p = prev(t)
                if not (p is not None and p.low in ("of", "in", "to", "at")):
                    break
            else:
                break
        steps += 1
        # The words before t that are a word of letters and one space (the chunk Tokens.prev's fast path reads)
        # and whose step is known, read as plain strings: the walk makes a token only for a head. One space
        # between: no line break to judge. A word not known yet or a city is left to the token walk.
        s = t.start
        stopped = False
        if s > 1 and text[s - 1] == " ":
            # e: the space right after the word read next, sp: the space before it (-1: none). The character
            # before a word read is the space sp, so the test above is needed for the first word only.
            e = s - 1
            head_start = head_end = 0  # the last head read (none: 0); its token is made once the words are read
            for steps in range(steps, 18):  # (steps: the count before the word read)
                sp = text.rfind(" ", 0, e)
                kind = steps_get(text[sp + 1:e], _UNKNOWN)  # (only words of ASCII letters are cached)
                if kind:
                    if kind == _HEAD:
                        head_start, head_end = sp + 1, e
                    elif kind == _STOP:
                        stopped = True
                        break
                    else:
                        # a city or a chunk not known yet: left to the token walk, unless the chunk ends in a
                        # stop or a digit ("2024, Minister"): its last token, the one the walk reads next, is
                        # that stop or a run of digits, which _title_step stops at (no head or connector is one)
                        stopped = text[e - 1] in _STOP_OR_DIGIT
                        break
                e = sp
                if sp < 1:
                    # no space before the word, or only the text's first character: no token comes before it,
                    # so the token walk would end here too
                    stopped = True
                    break
            else:
                steps = 18  # every step taken
            if head_end:
                # only the head read last (the furthest back) is the first role so far: a token for each head
                # read before it would only be replaced (~1 a briefing)
                first_role = S._word(head_start, head_end)
            s = e + 1  # the start of the last word read (t.start if none)
        if stopped:
            break
        after = t if s == t.start else S._word(s, text.index(" ", s))
        t = prev(after)  # type: ignore[arg-type]
        if t is not None and not (t.end + 1 == after.start and text[t.end] == " "):  # type: ignore[union-attr]
            # a line break between the token and the title read so far ends the title unless the title wraps
            gap = text[t.end:after.start]  # type: ignore[union-attr]
            if "\n" in gap and (gap.count("\n") > 1 or not (t.low in heads or t.low in _EN_CONNECTORS
                                                              or _wrapped(text, t.end + gap.index("\n")))):
                break
    if first_role is None:
        return None, None, honor, False, False
    if comma:
        # "X, President of A, Y, President of B": that title belongs to X, not to Y
        b = S.prev(first_role)
        while b is not None and b.low in ("the", "and"):
            b = S.prev(b)
        if b is not None and b.text == ",":
            bb = S.prev(b)
            if bb is not None and _name_like(bb, v):
                return None, None, honor, False, False
    end_tok = role_end
    touching = honor or end_tok.low in heads or (end_tok.word and (end_tok.cap or bool(_CYRILLIC.search(end_tok.low))))
    return first_role, role_end, honor, False, touching


def _plain_word_before(S: Tokens, pos: int, v: dict[str, Any]) -> bool:
    """Is the chunk before ``pos`` a word, perhaps with a stop, that is no title, courtesy or counterpart word?

    Then _role_before finds nothing in front of a lone word (which only a title ending right before it, a
    courtesy word or a counterpart word would confirm), and it need not tokenise there.
    """
    text = S.text
    if pos > 1:
        # The common chunks: a word after a space, perhaps with a stop, then one space, one line break or a
        # blank line ("Minister X", "discussed. X", "in detail.\n\nX"). _CHUNK_BEHIND matches the same word
        # there: it reads back over the whitespace and the stop, and the letters run back to that space.
        e = pos - 1
        c = text[e]
        if c == "\n" and text[e - 1] == "\n":
            e -= 1
        if c == " " or c == "\n":
            s = text.rfind(" ", 0, e) + 1
            word = text[s:e]
            if word.isalpha():
                return S.flat[s:e] not in v["title_words"]
            if word[-1:] in _FAST_PUNCT and word[:-1].isalpha():
                return S.flat[s:e - 1] not in v["title_words"]
    chunk = S._chunk_behind(pos)
    if chunk is None:
        return False
    s, e, _ = chunk
    return text[s:e].isalpha() and S.flat[s:e] not in v["title_words"]


_ROLE_STOP = frozenset(("the", "on", "in", "at", "during", "with", "by", "and", "of", "for", "to", "from", "a", "as"))


def _role_start(S: Tokens, first_role: Tok, text: str, v: dict[str, Any]) -> Tok:
    """Extend a role back over capitalised words glued to its first head ("Kazakh Foreign Minister", "OSCE Secretary General")."""
    k = first_role
    while True:
        s = k.start
        if s == 0:
            break  # nothing before k
        if s > 1 and text[s - 1] == " ":
            c = text[s - 2]
            if c in _STOP_OR_DIGIT:
                # a stop or a run of digits and one space ("On 5 May 2024, Minister"): no capitalised word or
                # "'s" comes right before k (no token needed to tell, see _role_before)
                break
            if c.islower():
                # a word of letters, one space: a token, capitalised only if its first letter is ("meets
                # Minister"; the "al-" rule needs a hyphen), which a lower-case one is not
                word = text[text.rfind(" ", 0, s - 2) + 1:s - 1]
                if word.isalpha() and word[0].islower():
                    break
        t = S.prev(k)
        if t is None:
            break
        if "\n" in text[t.end:k.start] and not _wrapped(text, text.index("\n", t.end)):
            break
        if t.word and t.cap and not _name_like(t, v) and t.low not in v["honorifics"] and t.low not in v["cities"] \
                and t.low not in _ROLE_STOP:
            k = t
            continue
        if t.low == "'s":
            t2 = S.prev(t)
            if t2 is not None and t2.cap and not _name_like(t2, v):
                k = t2
                continue
        break
    return k


def _role_after(S: Tokens, last_tok: Tok, text: str, v: dict[str, Any]) -> tuple[Tok, Tok] | None:
    """First and last token of an apposition title: 'Name, Deputy Minister of ...,'."""
    end = last_tok.end
    if text[end:end + 1] == ",":
        t = None  # the comma right after the name is the next token (one character, nothing between): made if needed
        comma_end = end + 1
    else:
        if _WORD_NEXT(text, end):
            return None  # the next token is a word, not the comma an apposition needs (no tokenising)
        t = S.next(last_tok)
        if t is None or t.text != "," or "\n" in text[end:t.end]:
            return None
        comma_end = t.end
    honorifics, heads = v["honorifics"], v["heads"]
    # The walk below gives up unless one of the first five tokens it reads (after a courtesy word in front,
    # which it skips) is a head. When five plain words with one space between follow the comma (", the
    # Ministry of Foreign Affairs"), they are those tokens: with the first no courtesy word and none a head,
    # the answer is None without making their tokens. (Their low forms are the folded text's words.)
    five = _FIVE_WORDS(text, comma_end)
    if five is not None:
        lows = S.flat[five.start(1):five.end()].split(" ")
        if lows[0] not in honorifics and heads.isdisjoint(lows):
            return None
    if t is None:
        t = S.next(last_tok)
    prev = t
    t = S.next(t)
    start = t
    idx = 0  # k - start
    has_head = False
    last: Tok | None = None
    while t is not None and idx < 25:
        if idx > 0 and "\n" in text[prev.end:t.start]:
            break
        if t.low in honorifics and idx == 0:
            prev, t = t, S.next(t)
            start = t
            continue
        if t.low in heads:
            has_head = True
            last = t
        elif t.word and t.cap:
            if _name_like(t, v) and not has_head and idx >= 2:
                return None
            if has_head and _name_like(t, v):
                n2 = S.next(t)
                if n2 is not None and _name_like(n2, v):
                    break  # the next person's name
            last = t
        elif t.word and _CYRILLIC.search(t.low) and has_head and t.low not in _RU_STOP and not _RU_VERB.search(t.low):
            last = t
        elif t.low in _EN_CONNECTORS or t.text in ("-", "–", "—"):
            pass
        else:
            break
        if not has_head and idx > 3:
            return None
        prev, t = t, S.next(t)
        idx += 1
    if not has_head or last is None or start is None:
        return None
    return start, last


# _RE_<n>: the patterns of the function below each block, compiled once (a re.search(pattern, ...)
# call looks the pattern up in re's cache every time).
_WHITESPACE_RUN = re.compile(r"\s+")
_ROLE_EDGE_FILLER = re.compile(r"^(?:\s|of\b|the\b|and\b|,|-|–)+|(?:\s|of\b|the\b|and\b|at\b|to\b|in\b|,|-|–|—)+$", re.I)
_HONORIFIC_EXCELLENCY = re.compile(r"\b(?:His|Her)\s+(?:Excellency|Highness|Royal\s+Highness|Majesty)\s*")
_WORD_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_TRAILING_OF_THE = re.compile(r"\bof\s+(?:the\s+)?$")
_EXTRAORDINARY_PLENIPOTENTIARY = re.compile(r"(?i)\b(?:extraordinary\s+and\s+plenipotentiary|чрезвычайн\w*\s+и\s+полномочн\w*)\s*")


def _tidied_role(role: str) -> str:
    """A title's whitespace made single, filler words at its ends, "His Excellency" and "Extraordinary and
    Plenipotentiary" taken out, stripped.

    Each substitution runs only when what every match needs is there (a cheap test first; the tests hold
    this to the four substitutions run in turn).
    """
    if "  " in role or not role.isprintable():  # (every \s but the ASCII space is unprintable)
        role = _WHITESPACE_RUN.sub(" ", role)  # PDF and mail line breaks inside a title
    first, last = role[:1], role[-1:]
    if not (first.isascii() and first.isalpha() and first not in "oOtTaA") \
            or not (last.isascii() and last.isalpha() and last not in "fFeEdDtToOnN"):
        # (a filler word's first or last letter, a space or a dash at either end)
        role = _ROLE_EDGE_FILLER.sub("", role)
    if "His" in role or "Her" in role:
        role = _HONORIFIC_EXCELLENCY.sub("", role)
    low = role.lower()
    if "xtraord" in low or "чрез" in low:  # (letters without special case-insensitive matches)
        role = _EXTRAORDINARY_PLENIPOTENTIARY.sub("", role)
    return role.strip()


@lru_cache(maxsize=4096)
def _clean_role_text(raw: str) -> tuple[str | None, str | None, bool]:
    """(role without the country, the country it names, is an international organisation's title) of a title's
    text (it reads nothing else): titles repeat, so it is memoised. Callers pass text[start:end] themselves: a
    wrapper taking the offsets cost a Python call for each title (~3.8 a briefing)."""
    v = _vocab()
    mentions = find_country_mentions(raw)
    country = None
    cut: list[tuple[int, int]] = []
    for m in mentions:
        s, e = m.start, m.end
        host = bool(_HOST_PREFIX.search(raw[:s]))
        sw = _STATE_WORDS.search(raw[:s])
        if sw:
            s = sw.start()
            host = host or bool(_HOST_PREFIX.search(raw[:s]))
        rb = _RU_STATE_BEFORE.search(raw[:s])
        if rb:
            s = rb.start()
        ra = _RU_STATE_AFTER.match(raw[e:])
        if ra:
            e += ra.end()
        if raw[e:e + 2] in ("'s", "’s"):
            e += 2
        hp = _HOST_PREFIX.search(raw[:s])
        if hp:
            s = hp.start()
        elif _TRAILING_OF_THE.search(raw[:s]):
            s = _TRAILING_OF_THE.search(raw[:s]).start()
        if country is None and not host:
            country = m.code
        cut.append((s, e))
    role = raw
    for s, e in sorted(cut, reverse=True):
        role = role[:s] + " " + role[e:]
    role = _tidied_role(role)
    is_io = bool(v["io"].search(role)) and country is None
    if country is None and not is_io:
        from store.extract.meta import city_table
        table = city_table()
        for w in _WORD_TOKEN.findall(raw):
            hit = table.get(fold(w))
            if hit and w[0].isupper():
                country = hit[2]
                break
    return (role or None), country, is_io


_RU_ROLE_LEMMA = [
    (re.compile(r"^(?:заместител[ьяюем]+|заместителем)", re.I), "Заместитель"),
    (re.compile(r"^(?:министр(?:а|у|ом|е)?)\b", re.I), "Министр"),
    (re.compile(r"^(?:посл(?:ом|а|у)|посол)\b", re.I), "Посол"),
    (re.compile(r"^(?:президент(?:а|у|ом|е)?)\b", re.I), "Президент"),
    (re.compile(r"^(?:премьер-министр(?:а|у|ом|е)?)\b", re.I), "Премьер-министр"),
    (re.compile(r"^(?:мэр(?:а|у|ом|е)?)\b", re.I), "Мэр"),
    (re.compile(r"^(?:председател[ьяюем]+)", re.I), "Председатель"),
    (re.compile(r"^(?:специальн\w+\s+представител\w+)", re.I), "Специальный представитель"),
    (re.compile(r"^(?:постоянн\w+\s+представител\w+)", re.I), "Постоянный представитель"),
    (re.compile(r"^(?:представител\w+)", re.I), "Представитель"),
    (re.compile(r"^(?:глав(?:а|ы|е|ой|у))\b", re.I), "Глава"),
    (re.compile(r"^(?:первого|первым|первый)\b", re.I), "Первый"),
]


def _ru_role_nominative(role: str) -> str:
    """Russian titles appear in any case ('с Министром ...'); the gold writes the nominative head."""
    out = role
    for rx, lemma in _RU_ROLE_LEMMA:
        m = rx.match(out)
        if m:
            out = lemma + out[m.end():]
            if lemma == "Первый":
                rest = _ru_role_nominative(out[len(lemma):].strip())
                out = f"{lemma} {rest[:1].lower()}{rest[1:]}" if rest else lemma
            break
    return out


# ---------------------------------------------------------------- sentences and meeting cues

CUE_GROUPS = ("meeting", "joined_after", "joined_before", "other_event", "cut")

wordstarts.register("meeting cues", lambda: _vocab()["cue_spaced"])
wordstarts.register("meeting cue gates", lambda: _vocab()["cue_gate_words"])


class Cues:
    """Every meeting/participation/other-event phrase of one text, found in one pass.

    Keys from data/triggers.json are looked up at word starts in the walk the
    modules share (store.extract.wordstarts), Cyrillic ones with an automaton over
    the folded text; each group's regular expression is then tried only where a
    key starts.
    """

    def __init__(self, text: str) -> None:
        v = _vocab()
        low = plain(text)
        self.text = text
        spans: list[list[tuple[int, int]]] = [[] for _ in CUE_GROUPS]
        hits: Iterable[tuple[int, Any]] = wordstarts.hits(text, "meeting cues")
        cyrillic = not low.isascii() and has_cyrillic(text)
        if cyrillic:
            hits = chain(hits, v["cue_other"].iter(low))
        for end, (length, spelled, checks, word) in hits:
            # (``length`` is where the key starts, counted back from its hit; see _vocab)
            start = end - length if spelled is None or low.startswith(spelled, end - length) else -1
            if start < 0 or start and low[start - 1].isalnum():
                continue  # a look-alike, or inside a word
            if word is not None:
                # every phrase of the key spells ``word`` before any "." (see _sentence_word)
                stop = low.find(".", start)
                if low.find(word, start, stop if stop >= 0 else len(low)) < 0:
                    continue
            for gi, match in checks:
                m = match(low, start)
                if m is not None:
                    spans[gi].append(m.span())
        # the short keys: only where one of their phrases matches
        redo = False
        # the gated keys whose patterns' words the shared walk found (see _gate_words)
        gated = v["cue_gated"]
        if cyrillic:
            tried: Iterable[int] = range(len(gated))
        else:
            # a text without a Russian letter: only the keys the walk found a word of, and those without words
            # (the others would be passed over below; none of them costs a loop step then)
            gate_hits = wordstarts.hits(text, "meeting cue gates")
            tried = sorted({i for _end, i in gate_hits}.union(v["cue_gated_unworded"])) if gate_hits else v["cue_gated_unworded"]
        for i in tried:
            w, gate, needles, checks, shared, words = gated[i]
            if cyrillic or words is None:
                if needles and not any(map(low.__contains__, needles)):
                    continue  # every phrase of the key holds one of them
            g = gate.search(low)
            while g is not None:
                start = g.start()
                if low.startswith(w, start) and not (start and low[start - 1].isalnum() and low[start].isalnum()):
                    for gi, match in checks:
                        m = match(low, start)
                        if m is not None:
                            spans[gi].append(m.span())
                            redo = redo or shared
                g = gate.search(low, start + 1)
        found: dict[str, list[tuple[int, int]]] = {}
        starts: dict[str, list[int]] = {}
        for g, lst in zip(CUE_GROUPS, spans):
            if lst:
                if redo and len(lst) > 1:
                    lst = list(set(lst))  # a short key and a longer one starting with it found the same phrase
                lst.sort()
                starts[g] = list(map(_FIRST, lst))
            else:
                starts[g] = []  # (most groups of most texts: nothing to sort or read)
            found[g] = lst
        self.found = found
        self._starts = starts

    def first(self, group: str, start: int, end: int) -> tuple[int, int] | None:
        """The first phrase of the group starting in [start, end)."""
        starts = self._starts[group]
        i = bisect_left(starts, start)
        if i < len(starts) and starts[i] < end:
            return self.found[group][i]
        return None

    def all(self, group: str, start: int, end: int) -> list[tuple[int, int]]:
        starts = self._starts[group]
        i = bisect_left(starts, start)
        out = []
        while i < len(starts) and starts[i] < end:
            out.append(self.found[group][i])
            i += 1
        return out


def _sentence_index(sent_spans: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(sent_spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = sent_spans[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return mid
    return -1


# ---------------------------------------------------------------- main entry

def find_people(text: str, sentences: list[tuple[int, int]], *, home_country: str | None = None,
                mentions: list[CountryMention] | None = None, lang: str = "en",
                cues: Cues | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(parties, people) as result dicts: name, role, country, spans."""
    if not text.strip():
        return [], []
    v = _vocab()
    S = Tokens(text)
    segs = _segments(S, text, v)
    ru = lang == "ru"
    found: list[Mention] = []
    # The lone words without a title ("pending" below), by start: most never join a person, so their Mention is
    # made only where a later step needs one (see _lone_mention)
    lone: dict[int, tuple[Tok, Tok]] = {}
    heads = v["heads"]
    for run in segs:
        ft, lt = run[0], run[-1]
        # (a run's first token is a capitalised word: its only word when the run has one token)
        words = (ft.low,) if len(run) == 1 else tuple([t.low for t in run if t.word and (t.low not in PARTICLES or t.cap)])
        single = len(words) < 2
        if single and _plain_word_before(S, ft.start, v):
            # no title, courtesy or counterpart word in front: pending, as below
            lone[ft.start] = ft, lt
            continue
        first_role, role_end, honor, evidence, touching = _role_before(S, ft, text, v, single)
        if first_role is None and not honor and not evidence and single:
            # a lone word without a title: never confirmed here, it matters only if it turns out to be
            # a known person's name, so what follows it is read only then (see _read_role_after)
            lone[ft.start] = ft, lt
            continue
        m = Mention(ft, lt, ft.start, lt.end, words)
        single_ok = role_end.low in heads or honor if first_role is not None else honor  # type: ignore[union-attr]
        if first_role is not None and touching and (len(m.words) >= 2 or single_ok):
            rs = _role_start(S, first_role, text, v)
            role, rc, io = _clean_role_text(text[rs.start:role_end.end])  # type: ignore[union-attr]
            m.role, m.role_country, m.role_io = role, rc, io
            m.confirmed = m.titled = True
        # a word after the name (most names): no apposition title, and "of <country>" only if the word is "of"
        # (what _role_after and _of_country would find out themselves, after a call each)
        word_next = _WORD_NEXT(text, lt.end) is not None
        if m.role_country is None and (not word_next or text.startswith("of", lt.end + 1)):
            m.role_country = _of_country(text, lt.end)
            if m.role_country is not None:
                m.role_io = False
        after = None if word_next else _role_after(S, lt, text, v)
        if after is not None:
            role, rc, io = _clean_role_text(text[after[0].start:after[1].end])
            if m.role is None or (m.role_country is None and rc is not None):
                m.role, m.role_io = role, io
                m.role_country = rc or m.role_country
            m.confirmed = True
        if honor or evidence:
            m.confirmed = True
            m.counterpart = evidence
            if evidence and m.role_country is None:
                m.role_country = _glued_country(text, max(0, ft.start - 40), ft.start)
        if m.confirmed and not m.titled and not honor and not evidence and after is None:
            m.confirmed = False
        if ru and m.role:
            m.role = _ru_role_nominative(m.role)
        # a lone word is a name only with a title in front of it
        if len(m.words) < 2 and not m.titled and not honor:
            m.confirmed = False
        if honor:
            m.titled = True
        found.append(m)
    _list_participants(text, S, found, v, ru, lone)
    for m in found:
        if m.pending and m.confirmed:  # a participant list's line
            _read_role_after(S, m, text, v, ru)
    _and_chains(S, found, text, lone)
    persons = _group(found, ru, lone)
    if not persons:
        return [], []
    for p in persons:
        for m in p.mentions:
            if m.pending:
                _read_role_after(S, m, text, v, ru)
    _mark_parties(text, sentences, found, v, cues or Cues(text))
    return _finish(persons, text, sentences, home_country, mentions or [], ru)


def _lone_mention(run: tuple[Tok, Tok]) -> Mention:
    """The Mention find_people would make for a lone pending word: ``run``'s first and last token (its only word
    is the first token's: a lowercase particle or a token that is no word may follow it)."""
    ft, lt = run
    return Mention(ft, lt, ft.start, lt.end, (ft.low,), pending=True)


def _read_role_after(S: Tokens, m: Mention, text: str, v: dict[str, Any], ru: bool) -> None:
    """What find_people reads after an unconfirmed lone word: an apposition title, else 'of <country>'."""
    m.pending = False
    end = m.last.end
    word_next = _WORD_NEXT(text, end) is not None  # (as in find_people)
    m.role_country = _of_country(text, end) if not word_next or text.startswith("of", end + 1) else None
    if m.role_country is not None:
        m.role_io = False
    after = None if word_next else _role_after(S, m.last, text, v)
    if after is not None:
        role, rc, io = _clean_role_text(text[after[0].start:after[1].end])
        m.role, m.role_io = role, io
        m.role_country = rc or m.role_country
    if ru and m.role:
        m.role = _ru_role_nominative(m.role)


_STATE_PREFIX = re.compile(
    r"(?:(?:Islamic|Federal|Democratic|Socialist|People['’]s|United|Arab|Hashemite|Plurinational|Bolivarian|Cooperative|Independent)\s+)*"
    r"(?:Republic|Kingdom|Federation|Sultanate|Commonwealth|Principality|Emirates|Confederation|Grand\s+Duchy|State)"
    r"\s+of\s+(?:the\s+)?")


def _of_country(text: str, pos: int) -> str | None:
    """'<Name> of Hungary', '<Name> of the Republic of Korea' (a line break anywhere): the country after the name."""
    if not text[pos:pos + 1].isspace():
        return None  # (the regex's first step, "\s", without a regex call: mostly a stop or "'s" follows a name)
    om = _OF_COUNTRY.match(text, pos)
    if om is None:
        return None
    start = om.start(1)
    sp = _STATE_PREFIX.match(text, start)
    if sp:
        start = sp.end()
    found_c = find_country_mentions(" ".join(text[start:start + 60].split("\n")))
    if found_c and found_c[0].start == 0:
        return found_c[0].code
    return None


def _word_key(t: Tok) -> str:
    return t.low


def _glued_country(text: str, start: int, end: int | None = None) -> str | None:
    """Country adjective right before a title or a 'counterpart': 'his Kazakh counterpart'."""
    window = text[max(0, start - 30):end if end is not None else start]
    found = find_country_mentions(window)
    if end is None:
        return None
    return found[-1].code if found else None


_PRESIDENTS_RU = re.compile(r"(?i)^президенты$")


def _and_chains(S: Tokens, found: list[Mention], text: str, lone: dict[int, tuple[Tok, Tok]] | None = None) -> None:
    """'Presidents Sadyr Japarov and Kassym-Jomart Tokayev': the second name shares the first's evidence.

    ``lone`` holds pending lone words not made into mentions yet (see find_people): one that a chain reaches
    is made and added to ``found``, as it was one of them."""
    by_first: dict[int, Mention] | None = None  # (made at the first "and": most texts have no chain)
    made: list[Mention] = []
    skip = _vocab()["heads_honorifics"]
    flat = S.flat
    for m in found:
        if not m.confirmed:
            continue
        if _WORD_NEXT(text, m.last.end) and flat[m.last.end + 1] not in "aи":
            continue  # the next token is a word, whose plain form (its .low) is no "and" or "и"
        k = S.next(m.last)
        while k is not None and k.text in (",",):
            if _WORD_NEXT(text, k.end) and flat[k.end + 1] not in "aи":
                k = None  # as above: the token after the comma is a word and no "and" (no tokenising)
                break
            k = S.next(k)
        if k is not None and k.low in ("and", "и", "&"):
            if by_first is None:
                by_first = {m.first.start: m for m in found}
            k1 = S.next(k)
            q = k1
            while q is not None and q.low in skip:
                q = S.next(q)
            other = by_first.get(q.start) if q is not None else None
            if other is None and q is not None and lone and q.start in lone:
                other = by_first[q.start] = _lone_mention(lone.pop(q.start))
                made.append(other)
            if other is not None:
                m.partner, other.partner = other, m
            nxt = by_first.get(k1.start) if k1 is not None else None
            if nxt is not None and not nxt.confirmed and len(nxt.words) >= 2:
                nxt.confirmed = True
                if nxt.role is None and m.role:
                    nxt.role = m.role[:-1] if m.role.endswith("s") and not m.role.endswith("ss") else m.role
                    nxt.role = _PRESIDENTS_RU.sub("Президент", nxt.role)
    # (after the loop, which reads only confirmed mentions: these are not; the order of ``found`` matters
    # only to _list_participants, which ran before)
    found.extend(made)


_PARTICIPANTS_HEADING = re.compile(r"(?im)^[ \t]*(?:\d+\.\s*)?(?:participants|attendees|present|участники)\b[^\n]*$")
_PARTICIPANTS_HEADING_LATER = re.compile(r"(?im)\n" + _PARTICIPANTS_HEADING.pattern[5:])
# The words a heading starts with, one of which every heading holds (in any case): the Latin ones are looked
# up in the walk the modules share, at word starts (see _may_hold_heading).
_PARTICIPANTS_WORDS = ("participants", "attendees", "present")
assert all(w in _PARTICIPANTS_HEADING.pattern for w in _PARTICIPANTS_WORDS + ("участники",))
wordstarts.register("participants headings", lambda: [(ascii_spaced(w), w) for w in _PARTICIPANTS_WORDS])


def _may_hold_heading(text: str) -> bool:
    """False when ``text`` has no line _PARTICIPANTS_HEADING matches: no heading word starts a word anywhere.

    A heading's word comes after the line's start, a blank or "1." and so starts a word, and the shared walk
    over spaced(text) finds it there: in any case it is the lower-case word in plain(text), the look-alikes
    the regex also matches, "ı" for "i" and "ſ" for "s", being unaccented to them; but for "İ", which
    plain() keeps as "I". The Russian word needs an "и" (a letter with no look-alike). (Each "in" here is
    a plain scan, or none in a text of Latin-1 characters: a character beyond them is not looked for.)
    """
    if wordstarts.hits(text, "participants headings"):
        return True
    if text.isascii():
        return False
    return "İ" in text or "и" in text or "И" in text
_LINE_WITH_NEWLINE = re.compile(r"[^\n]*\n?")
_NAME_HONORIFIC_PREFIX = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Prof|H\.E)\.?\s+)+")
_SIDE_DELEGATION_AFFIX = re.compile(r"(?i)^(?:the\s+)?|\s+(?:side|delegation)$")


def _list_participants(text: str, S: Tokens, found: list[Mention], v: dict[str, Any], ru: bool = False,
                       lone: dict[int, tuple[Tok, Tok]] | None = None) -> None:
    """Memo participant lists: 'Participants' then '<Country>:' and '- Name, Title' lines.

    With a list, the pending lone words of ``lone`` (see find_people) are all made into mentions of
    ``found`` first, in order, as the lines read and replace them."""
    # the first heading line: the first line, or one after a line break (a search for the break is fast)
    m = _PARTICIPANTS_HEADING.match(text)
    if m is None:
        # (the search tries the rest of the pattern after every line break: ~55,000 instructions a briefing)
        if not _may_hold_heading(text):
            return
        m = _PARTICIPANTS_HEADING_LATER.search(text)
        if m is None:
            return
    if m.re is _PARTICIPANTS_HEADING_LATER:
        m = _PARTICIPANTS_HEADING.match(text, m.start() + 1)
    pos = m.end()
    if lone:
        found.extend(map(_lone_mention, lone.values()))
        found.sort(key=_START)  # (each part in order, the starts all different: the order find_people found them in)
        lone.clear()
    country = None
    header_tail = text[m.start():m.end()].split(":", 1)
    inline = header_tail[1].strip() if len(header_tail) > 1 else ""
    by_start = {x.start: x for x in found}
    if len(inline) > 40:
        # a cable's PARTICIPANTS paragraph: everyone named in it took part
        for x in found:
            if m.start() <= x.start < m.end():
                x.party = True
                x.confirmed = True
        return
    blank = 0
    for line_m in _LINE_WITH_NEWLINE.finditer(text[pos:]):
        line = line_m.group(0)
        ls = pos + line_m.start()
        body = line.strip()
        if not body:
            blank += 1
            if blank >= 2 and country is not None:
                break
            continue
        if not _BULLET.match(line) and blank and country is not None and len(body) > 60:
            break
        head = body.rstrip(":").strip()
        code = resolve_country(_SIDE_DELEGATION_AFFIX.sub("", head))
        if code and len(head) < 40:
            country = code
            continue
        if not _BULLET.match(line):
            if country is None:
                continue
            break
        item_start = ls + _BULLET.match(line).end()
        item_end = ls + len(line.rstrip())
        item = text[item_start:item_end]
        name_part = item.split(",", 1)[0]
        name_part = _NAME_HONORIFIC_PREFIX.sub("", name_part)
        ns = item_start + item.find(name_part)
        ne = ns + len(name_part.rstrip())
        x = by_start.get(ns)
        if x is not None and x.pending:
            _read_role_after(S, x, text, v, ru)
        if x is None:
            # the name may hold words that look like a country ("Iran Sharkhan")
            seg_toks = []
            t = S.first_from(S._restart(ns))
            while t is not None and t.start < ns:
                t = S.next(t)
            while t is not None and t.end <= ne:
                if t.word:
                    seg_toks.append(t)
                t = S.next(t)
            if not seg_toks:
                continue
            x = Mention(seg_toks[0], seg_toks[-1], ns, ne, tuple(t.low for t in seg_toks))
            found[:] = [f for f in found if not (ns <= f.start < ne)]
            found.append(x)
            by_start[ns] = x
        rest = item[len(item.split(",", 1)[0]) + 1:] if "," in item else ""
        rest = _PAREN.sub("", rest).strip()
        x.confirmed = x.titled = x.party = True
        x.list_country = country
        if rest:
            x.role = rest
            rc = None
            for cm in find_country_mentions(rest):
                rc = cm.code
                break
            x.role_country = None if rc == country else rc
    found.sort(key=lambda f: f.start)


def _same_word(a: str, b: str, ru: bool) -> bool:
    if a == b:
        return True
    if not ru or not _CYRILLIC.search(a):
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    common = 0
    for x, y in zip(short, long_):
        if x != y:
            break
        common += 1
    return common >= max(3, len(short) - 1) and len(long_) - common <= 3


def _contains(big: tuple[str, ...], small: tuple[str, ...], ru: bool) -> bool:
    """Whether each word of ``small`` is a word of ``big``, a different one each ("B B" is not in "B C")."""
    if not ru and len(set(small)) == len(small):
        # _same_word is plain equality and no word repeats (nearly always): a map of the tuple's
        # test, no generator frame per call
        return all(map(big.__contains__, small))
    rest = list(big)
    for s in small:
        for i, b in enumerate(rest):
            if _same_word(s, b, ru):
                del rest[i]
                break
        else:
            return False
    return True


def _group(found: list[Mention], ru: bool, lone: dict[int, tuple[Tok, Tok]] | None = None) -> list[Person]:
    """Confirmed mentions grouped into persons; unconfirmed runs attach when they are a person's name form.

    ``lone`` holds pending lone words not made into mentions yet (see find_people): those that may attach,
    their word a person's word, are made and added to ``found`` (the others would be skipped below)."""
    persons: list[Person] = []
    confirmed = sorted(compress(found, map(_CONFIRMED, found)), key=_minus_words_count)
    for m in confirmed:
        target = None
        for p in persons:
            # (the same words, the commonest repeat: the test below holds for them, each word being its own match)
            if m.words == p.words or _contains(p.words, m.words, ru) and (len(m.words) > 1 and _same_word(m.words[-1], p.words[-1], ru)
                                                     and (_same_word(m.words[0], p.words[0], ru) or len(p.words) < 3)
                                                     or len(m.words) > 1 and set(m.words) == set(p.words)
                                                     or len(m.words) == 1 and _single_ok(m, p, persons, ru)):
                target = p
                break
        if target is None:
            target = Person(words=m.words)
            persons.append(target)
        target.mentions.append(m)  # (its pid is set once twins are merged, below)
    merged: list[Person] = []
    for p in persons:
        twin = None
        if len(p.words) >= 2:  # (a plain loop: a generator made per person costs more than its few tests)
            for q in merged:
                if len(q.words) >= 2 and _same_word(p.words[-1], q.words[-1], ru) and p.words[0][:2] == q.words[0][:2]:
                    twin = q
                    break
        if twin is None:
            merged.append(p)
        else:  # "Joe Biden" and "Joseph R. Biden"
            twin.mentions.extend(p.mentions)
            if len(p.words) > len(twin.words):
                twin.words = p.words
    persons[:] = merged
    for idx, p in enumerate(persons):
        for m in p.mentions:
            m.pid = idx
    # (outside Russian, a mention's words must all be a person's words: _contains)
    known = None if ru else set(chain.from_iterable(map(_WORDS, persons)))  # (_WORDS reads a Person's words too)
    if lone:
        # (each mention below is read on its own, whatever its place in ``found``)
        runs = lone.values()
        if known is not None:
            # those whose word is a person's word, picked with no Python step per run (most are none)
            runs = compress(runs, map(known.__contains__, map(_LOW, map(_FIRST, runs))))  # type: ignore[assignment]
        found.extend(map(_lone_mention, runs))
    for m in found:
        if m.confirmed or known is not None and not known.issuperset(m.words):
            continue
        # (indexes: persons.index would compare the persons before the hit by the dataclass's __eq__, field
        # by field; no two are equal, as their mentions' pids differ)
        if known is not None and len(m.words) == 1:
            # a lone word outside Russian (nearly every mention here): _contains is "w in p.words" and
            # _same_word is equality, and a person whose only word is w (set(m.words) == set(p.words))
            # has w last; the same test, written out with no call per person
            w = m.words[0]
            hits = [i for i, p in enumerate(persons) if w in p.words and (w == p.words[-1] or _single_ok(m, p, persons, ru))]
        else:
            hits = [i for i, p in enumerate(persons) if _contains(p.words, m.words, ru)
                    and (_same_word(m.words[-1], p.words[-1], ru) or set(m.words) == set(p.words) or _single_ok(m, p, persons, ru))]
        if len(hits) == 1:
            persons[hits[0]].mentions.append(m)
            m.pid = hits[0]
    for p in persons:
        p.mentions.sort(key=_START)
    return persons


_START = attrgetter("start")
_WORDS = attrgetter("words")
_CONFIRMED = attrgetter("confirmed")
_START_END = attrgetter("start", "end")
_ROLE = attrgetter("role")
_ROLE_COUNTRY = attrgetter("role_country")
_ROLE_IO = attrgetter("role_io")
_PARTY = attrgetter("party")
_COUNTERPART = attrgetter("counterpart")
_FIRST = itemgetter(0)
_LOW = attrgetter("low")


def _minus_words_count(m: Mention) -> int:
    return -len(m.words)


def _single_ok(m: Mention, p: Person, persons: list[Person], ru: bool) -> bool:
    """A one-word mention is a person's when it is the surname, or the given name of a 'bin' name or of a titled mention."""
    w = m.words[0]
    if len(p.words) < 2:
        return _same_word(w, p.words[0], ru)
    owners = [q for q in persons if any(_same_word(w, x, ru) for x in q.words)]
    if len(owners) > 1:
        return _same_word(w, p.words[-1], ru) and sum(_same_word(w, q.words[-1], ru) for q in owners) == 1
    if _same_word(w, p.words[-1], ru):
        return True
    if _same_word(w, p.words[0], ru):
        return m.titled or any(x in ("bin", "ibn", "bint") for x in p.words) or len(p.words[0]) <= 4
    # "Lula" for "Luiz Inácio Lula da Silva": a middle word nobody else has
    return len(w) > 3 and any(_same_word(w, x, ru) for x in p.words[1:-1])


_PASSIVE_AUX_BEFORE = re.compile(r"(?i)\b(?:was|were|is|are|been)\s+(?:also\s+)?$")


def _mark_parties(text: str, sentences: list[tuple[int, int]], found: list[Mention], v: dict[str, Any], cues: Cues) -> None:
    by_sent: dict[int, list[Mention]] = {}
    parties: set[int] = set()
    # (a search of the starts: a search of the spans by (pos, maxsize) compares tuples, dearer at ~8 mentions)
    starts = list(map(_FIRST, sentences))  # (no Python step per sentence)
    for m in found:
        if m.pid < 0:
            continue
        if m.party:
            parties.add(m.pid)
        # the sentence holding m.start (sentences in order, apart): the last one that starts at or before it
        pos = m.start
        si = bisect_right(starts, pos) - 1
        if si >= 0 and pos < sentences[si][1]:
            by_sent.setdefault(si, []).append(m)
    list_given = bool(parties)
    # cues that add participants: "attended by X", "X also took part" (only the groups the text has any
    # phrase of: most texts have none, and then no sentence needs a look-up)
    joined = [(group, after) for group, after in (("joined_after", True), ("joined_before", False)) if cues.found[group]]
    for si in sorted(by_sent):  # the sentences with a person, in order
        ms = by_sent[si]
        s, e = sentences[si]
        for group, after in joined:
            for cs, ce in cues.all(group, s, e):
                if cues.first("other_event", s, cs):
                    continue
                if after and not _PASSIVE_AUX_BEFORE.search(text[max(s, cs - 12):cs]) \
                        and _EVENT_NOUN.search(text, max(s, cs - 60), cs):
                    continue  # "the first summit ..., hosted by X": X hosted another event
                if after:
                    stop = _cut_position(cues, ce, e)
                    hit = [m for m in ms if ce <= m.start < stop]
                else:
                    clause = max(text.rfind(";", s, cs), text.rfind(",", s, cs), s - 1) + 1
                    hit = [m for m in ms if clause <= m.start < cs]
                for m in hit:
                    m.party = True
                    parties.add(m.pid)
        if len(parties) >= 2 or list_given:
            if not joined:
                break  # (parties only grow: every later sentence would come here too, with nothing else to do)
            continue
        cue = cues.first("meeting", s, e)
        if cue is None or cues.first("other_event", s, cue[0]):
            continue
        stop = _cut_position(cues, cue[1], e)
        for m in ms:
            if m.start < stop:
                m.party = True
                parties.add(m.pid)
    if parties:
        return
    # no meeting phrase named anyone ("A and B signed an agreement in London"): the lead sentence's people took part
    for si in sorted(by_sent)[:4]:
        s, e = sentences[si]
        if cues.first("other_event", s, e):
            continue
        ms = [m for m in by_sent[si] if m.confirmed or m.pid >= 0]
        if len({m.pid for m in ms}) >= 2:
            for m in ms:
                m.party = True
            return


def meeting_sentences(text: str, sentences: list[tuple[int, int]], cues: Cues | None = None) -> list[int]:
    """Indexes of the sentences that report the meeting itself (a meeting phrase, no other event before it)."""
    cues = cues or Cues(text)
    # a sentence's first meeting or "attended by" phrase: the first of both lists merged
    if cues.found["joined_after"]:
        cue_starts = list(map(_FIRST, sorted(cues.found["meeting"] + cues.found["joined_after"])))
    else:
        cue_starts = cues._starts["meeting"]  # (most texts: the meeting phrases alone, already in order)
    if not cue_starts:
        return []
    n = len(cue_starts)
    other = cues._starts["other_event"]
    n_other = len(other)
    out: list[int] = []
    for si, (s, e) in enumerate(sentences):
        i = bisect_left(cue_starts, s)
        if i == n or cue_starts[i] >= e:
            continue
        j = bisect_left(other, s)
        if j < n_other and other[j] < cue_starts[i]:
            continue  # another event is named first
        out.append(si)
    return out


def _cut_position(cues: Cues, frm: int, end: int) -> int:
    c = cues.first("cut", frm, end)
    return c[0] if c else end


def _finish(persons: list[Person], text: str, sentences: list[tuple[int, int]], home: str | None,
            mentions: list[CountryMention], ru: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    v = _vocab()
    recs: list[tuple[Person, dict[str, Any], bool, bool]] = []
    # Whether some person's title is "counterpart", and whether some has no country and is not of an
    # international body (an open country): the steps below that resolve those have nothing to do without
    # one (most texts), as countries are only ever filled in.
    counterparts = open_country = False
    for p in persons:
        # (map, filter and compress over attrgetters: no generator frame per person)
        ms = p.mentions
        if not any(map(_CONFIRMED, ms)):
            continue
        name_m = ms[0] if len(ms) == 1 else _best_name(p, ru)  # (one mention: the best name whatever the rule)
        with_role = list(compress(ms, map(_ROLE, ms)))
        if len(with_role) > 1:
            role_m = max(with_role, key=lambda m: (bool(m.role_country or m.role_io), len(m.words), -m.start))
        else:
            role_m = with_role[0] if with_role else None
        role = role_m.role if role_m else None
        country = next(filter(None, map(_ROLE_COUNTRY, ms)), None)
        io = country is None and any(map(_ROLE_IO, ms))
        if country is None and not io:
            country = next((v["role_countries"].get(fold(m.role)) for m in with_role if fold(m.role) in v["role_countries"]), None)
        if country is None and not io:
            country = next((m.list_country for m in p.mentions if m.list_country), None)
            open_country = open_country or country is None
        party = any(map(_PARTY, ms))
        if role is None and any(map(_COUNTERPART, ms)):
            role = "counterpart"  # resolved below: the same title as the other side's
        rec = {"name": " ".join(text[name_m.start:name_m.end].split()), "role": _singular(role), "country": country,
               "spans": list(map(list, map(_START_END, ms)))}
        # (a title read as "counterpart" is resolved too)
        counterparts = counterparts or rec["role"] == "counterpart"
        recs.append((p, rec, party, io))
    if counterparts:
        party_roles = [r["role"] for _, r, party, _ in recs if party and r["role"] not in (None, "counterpart")]
        for _, rec, _, _ in recs:
            if rec["role"] == "counterpart":
                rec["role"] = party_roles[0] if party_roles else None
    parties: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    if not open_country:
        # every person has a country or is of an international body: what follows would change nothing
        for _, rec, party, _ in recs:
            (parties if party else people).append(rec)
        return parties, people
    _adjective_roles(text, recs, mentions)
    for p, rec, _, io in recs:
        if rec["country"] is None and not io:
            rec["country"] = _side_country(text, sentences, p)
    party_codes = {r["country"] for _, r, party, _ in recs if party and r["country"]}
    # "President X and President Y" with one of them known: the other is the other party's country
    for p, rec, party, io in recs:
        if rec["country"] or io:
            continue
        for m in p.mentions:
            q = m.partner
            if q is None or q.pid < 0:
                continue
            qc = next((r["country"] for pp, r, _, _ in recs if pp is persons[q.pid]), None)
            others = party_codes - {qc} if qc else set()
            if qc and len(others) == 1:
                rec["country"] = others.pop()
                break
    # the home side: the issuing country, else the most mentioned country no party represents
    taken = {r["country"] for _, r, party, _ in recs if party and r["country"]}
    fallback = home
    if home is not None and home not in taken:
        # A readout from one side's own government ("President Biden spoke with President Putin"),
        # two parties and neither has a country: the one named first is the issuer's, the other
        # is from the most mentioned other country, not from the issuer's.
        open_parties = sorted((min(m.start for m in p.mentions), id(rec), rec)
                              for p, rec, party, io in recs if party and rec["country"] is None and not io)
        if len(open_parties) == 2 and not taken:
            others = [c for c, _ in Counter(map(_CODE, mentions)).most_common() if c != home]
            if others:
                open_parties[0][2]["country"] = home
                open_parties[1][2]["country"] = others[0]
    elif home is None and any(rec["country"] is None and not io for _, rec, _, io in recs):  # (else no need)
        counts = Counter(map(_CODE, mentions))
        free = [c for c, _ in counts.most_common() if c not in taken]
        fallback = free[0] if free else (counts.most_common(1)[0][0] if counts else None)
    for p, rec, party, io in recs:
        if rec["country"] is None and not io:
            rec["country"] = fallback
        (parties if party else people).append(rec)
    return parties, people


_CODE = attrgetter("code")
_HYPHENATED_WORD = re.compile(r"[\w-]+")


def _adjective_roles(text: str, recs: list[tuple[Person, dict[str, Any], bool, bool]], mentions: list[CountryMention]) -> None:
    """'an Indian prime minister', 'the Brazilian president': the one person with that title is from that country."""
    # Only a titled person without a country (and not of an international body) can gain one here, and the
    # loop below only fills countries in: with no such person, no mention needs reading (the common case).
    if not any(rec["role"] and rec["country"] is None and not io for _, rec, _, io in recs):
        return
    v = _vocab()
    for cm in mentions:
        if cm.kind != "adjective":
            continue
        first_word = _HYPHENATED_WORD.search(fold(text[cm.end:cm.end + 30]))
        if first_word is None or first_word.group() not in v["heads"]:
            continue
        head = "prime minister" if first_word.group() == "prime" else first_word.group()
        head_rx = _whole_words(head)
        owners = [rec for _, rec, _, io in recs if not io and rec["role"] and head_rx.search(fold(rec["role"]))]
        if len(owners) == 1 and owners[0]["country"] is None:
            owners[0]["country"] = cm.code


@lru_cache(maxsize=256)
def _whole_words(words: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(words)}\b")


_PLURAL_ROLE = re.compile(r"(?i)(minister|president|secretar[yi]|ambassador|leader|head)(s|es)$")


@lru_cache(maxsize=4096)  # (titles repeat across documents)
def _singular(role: str | None) -> str | None:
    """'Ministers Sikorski and Nurtleu' → each is a 'Minister'."""
    if not role:
        return role
    return _PLURAL_ROLE.sub(lambda m: m.group(1), role) \
        .replace("Secretari", "Secretary").replace("Президенты", "Президент").replace("Министры", "Министр")


def _best_name(p: Person, ru: bool) -> Mention:
    if not ru:
        # the first of the longest (max keeps the first): lengths read without a Python call per mention
        counts = list(map(len, map(_WORDS, p.mentions)))
        return p.mentions[counts.index(max(counts))]
    longest = max(len(m.words) for m in p.mentions)
    cands = [m for m in p.mentions if len(m.words) == longest]
    return min(cands, key=lambda m: (m.end - m.start, m.start))


def _words_count(m: Mention) -> int:
    return len(m.words)


# Every _SIDE match holds one of these (lower-cased) after whitespace: a sentence without any
# needs no regex scan, which tries every word there.
_SIDE_WORDS = ("side", "delegation", "team", "сторон", "делегаци")


def _may_name_a_side(low: str, s: int, e: int) -> bool:
    """Whether low[s:e] holds a _SIDE_WORDS word after whitespace (not "side" in "President")."""
    for w in _SIDE_WORDS:
        i = low.find(w, s + 1, e)
        while i >= 0:
            if low[i - 1].isspace():
                return True
            i = low.find(w, i + 1, e)
    return False


def _side_country(text: str, sentences: list[tuple[int, int]], p: Person) -> str | None:
    """'Deputy Foreign Minister X also took part on the Turkish side' / 'the Kazakh delegation was led by X'."""
    # (where letters fold unlike lower(), "SİDE" say, the case-insensitive regex decides alone)
    low = fold(text) if folds_like_lower(text) else None
    for m in p.mentions:
        si = _sentence_index(sentences, m.start)
        if si < 0:
            continue
        s, e = sentences[si]
        if low is not None and not _may_name_a_side(low, s, e):
            continue
        best: tuple[int, str] | None = None
        for sm in _SIDE.finditer(text, s, e):
            word = sm.group(1) or sm.group(2)
            code = resolve_country(word) if word else None
            if code is None and word:
                found = find_country_mentions(word)
                code = found[0].code if found else None
            if not code:
                continue
            # the side named closest before the name wins ("the Kazakh delegation by A, and the Uzbek delegation by B")
            dist = m.start - sm.end() if sm.end() <= m.start else 10_000 + sm.start() - m.start
            if sm.end() > m.start and sm.start() - m.start > 60:
                continue
            if best is None or dist < best[0]:
                best = (dist, code)
        if best:
            return best[1]
    return None
