"""Named organisations: capitalised phrases built around an institution word, and known acronyms.

"Ministry of Foreign Affairs of the Republic of Kazakhstan", "Kazakh Foreign
Ministry", "Office of the Prosecutor General of Hungary": a run of
capitalised words (with of/for/the/and/on inside) containing a head word from
data/orgs.json. A lone head ("the Ministry") is generic and skipped. An
acronym in brackets right after a full name is that name's alias, not a new
organisation. Person names found by people.py cut a phrase ("Ministry of
Foreign Affairs of Poland Władysław Bartoszewski").
"""

from __future__ import annotations

import json
import operator
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from store.extract import wordstarts
from store.extract.letterclasses import letter_classes
from store.extract.meta import city_names, month_words
from store.extract.text import _ends_with_abbreviation, ascii_spaced, doc_cache, fold, has_cyrillic, plain, spelled_at

DATA = Path(__file__).with_name("data") / "orgs.json"

_WORD = r"[A-ZÀ-ÞĀ-Ž][\w'’&.-]*|[A-Z]{2,}[\w-]*|\d+(?:st|nd|rd|th)"
# _WORD with its first character taken out in front of the alternatives (a look-behind tells
# which one it was): a pattern that opens with a character class lets re skip to candidates.
_FIRST_WORD = r"[A-ZÀ-ÞĀ-Ž\d](?:(?<=[A-ZÀ-ÞĀ-Ž])[\w'’&.-]*|(?<=[A-Z])[A-Z]+[\w-]*|(?<=\d)\d*(?:st|nd|rd|th))"
_PHRASE = re.compile(
    rf"{_FIRST_WORD}(?:(?:[ \t]+|[-–][ \t]*)(?:(?:of|for|the|and|on|de|di|del|la|des|du|und|für|&)[ \t]+)*(?:{_WORD}))*")
_RU_PHRASE = re.compile(
    r"(?:[А-ЯЁ][а-яё-]+\s+)*(?:Министерств[оауем]|МИД|Посольств[оауем]|Организаци[яиюей]|[А-ЯЁ]?[а-яё]*\s?[Кк]омисси[яиюей]|[А-ЯЁ][а-яё]+\s+[Сс]овет[аеу]?|[Сс]овет[аеу]?|Университет\w*|"
    r"[А-ЯЁ][а-яё]+\s+университет\w*|[А-ЯЁ][а-яё]+\s+(?:торгово-промышленн\w+\s+)?палат\w+|Фонд\w*|[А-ЯЁ][а-яё]+\s+комитет\w*|Агентств\w*|[Пп]ресс-служб\w+)"
    r"(?:\s+(?:дел|[а-яё-]+(?:ых|их|ого|его|ой|ей|ому|ам|ям|ия|ии|ию|ва|а|я|ов|ев|ств|ству)(?![а-яё])|по(?=\s+[а-яё]+(?:ому|ему|ым|им|ой|ам|ям|у|ю)\b)|[А-ЯЁ][\w-]+|[А-ЯЁ]{2,}|[–—-]\s+[А-ЯЁ][\w-]+))*"
)
_QUOTED = re.compile(r"(?:компани\w+|организаци\w+|корпораци\w+|company|corporation)\s+[«\"“]([^»\"”]{2,60})[»\"”]", re.I)


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    acr = sorted(data["acronyms"], key=len, reverse=True)
    return {
        "heads": frozenset(data["heads"]),
        "place_heads": frozenset(data["place_heads"]),
        "acronyms": frozenset(data["acronyms"]),
        "not_orgs": frozenset(data["not_orgs"]),
        # "(?<![\w.])" is checked in code: a look-behind in front of a pattern makes re try every position
        "acr_re": re.compile(_by_first_char(acr) + r"(?![\w])"),
        # all caps ("OSCE") or mixed ("MoU", "KazAID"); the first letter stands before the alternatives
        # so that re skips to capitals ((?<=[A-Z]): the mixed form starts with a Latin one)
        "caps_re": re.compile(r"[A-ZА-ЯЁ](?:[A-ZА-ЯЁŞÇĞİÖÜ]{1,7}|(?<=[A-Z])[a-z]?[A-Z][A-Za-z]{0,4})(?![\w])"),
        "head_gate": _head_gate(data["heads"]),
        "ru_heads": tuple(data["ru_heads"]),
        # the full names of well-known acronyms, each with the acronym it stands for
        "full_names": tuple((name, acronym) for acronym, names in data["full_names"].items() for name in names),
        "full_name_keys": _full_name_keys(data["full_names"]),
    }


def _full_name_keys(full_names: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """The comparison key of each full name → the acronyms it is the full name of ("UN", "U.N.")."""
    out: dict[str, set[str]] = {}
    for acronym, names in full_names.items():
        for name in names:
            out.setdefault(_name_key(name)[1], set()).add(acronym)
    return {key: frozenset(acronyms) for key, acronyms in out.items()}


def _by_first_char(words: list[str]) -> str:
    """An alternation of ``words`` (tried in the given order) grouped by first character: "U(?:NESCO|N)|E(?:U)".

    Words with different first characters never match at the same place, so the grouping finds the
    same matches as the flat alternation while re only tries the words that start with the right letter.
    """
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    return "(?:" + "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in by_first.items()) + ")"


def _head_gate(heads: list[str]) -> re.Pattern[str]:
    """Institution words with a capital first letter, anywhere: a superset of the words a name needs.

    A phrase's words start with a capital letter, so only a capitalised head can make a name.
    """
    by_first: dict[str, list[str]] = {}
    for h in sorted(set(heads), key=len, reverse=True):
        by_first.setdefault(h[0], []).append(re.escape(h[1:]).replace("'", "['’]"))
    return re.compile("|".join(f"{first.upper()}(?i:{'|'.join(rest)})" for first, rest in by_first.items()))


def _sentence_ends(text: str, ms: int, me: int) -> list[tuple[int, int]]:
    """Where a sentence ends inside the phrase text[ms:me], as cuts (after its period, the next word's
    start): a period and a space or tab, unless the period closes an abbreviation ("U.S.", "St.", "J.")."""
    out = []
    p = text.find(".", ms, me)
    while p >= 0:
        q = p + 1
        if q < me and text[q] in " \t" and not _ends_with_abbreviation(text[max(0, p - 8):q]):
            r = q
            while r < me and text[r] in " \t":
                r += 1
            out.append((q, r))
        p = text.find(".", q, me)
    return out


# A line's leading run of words in capitals (after markup or a paragraph number) and the mark after it:
# a cable's heading ("6. NEXT STEPS:"), a dateline ("ASTANA, 3 July", "**ABU DHABI, 14 January**").
_LINE_CAPS_RUN = re.compile(r"[ \t*_#>]*(?:\(?\d{1,2}[.)][ \t]*)?"
                            r"((?:[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’&.-]*[ \t]+)*[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’&-]*)"
                            r"[ \t]*(?:[,.:]|[-–—][ \t])")


def _not_an_acronym(text: str, s: int, word: str) -> bool:
    """A word in capitals that names no organisation: a month ("JANUARY 21, 2025"), a word of a
    heading in capitals that starts its line ("6. NEXT STEPS:", "EAST ASIA BRIEF - Sunday edition")
    or a dateline's city ("ASTANA, 3 July", "МОСКВА. КАЗИНФОРМ"). A lone word before a colon or
    comma may be an acronym ("OSCE: to send observers"): only a city is ruled out there."""
    if fold(word) in month_words():
        return True
    ls = text.rfind("\n", 0, s) + 1
    m = _LINE_CAPS_RUN.match(text, ls)
    if m is None or not m.start(1) <= s < m.end(1):
        return False
    run = m.group(1)
    return " " in run or "\t" in run or fold(run) in city_names()


# Where caps_re can match in the letter classes (see store.extract.letterclasses): each of its
# matches opens with two capitals, or a Latin capital, a small letter and a capital ("MoU").
_CAPS_START = re.compile(rb"U(?=a?U)")
_UAU = re.compile(rb"UaU").search


def _words_in_capitals(text: str, caps_re: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """``caps_re.finditer(text)``, tried only where the letter classes show a match can start: the
    same matches (tried in order, going on from the end of each), without testing caps_re's first
    class at every character of the text."""
    classes = letter_classes(text)
    if classes is None:
        yield from caps_re.finditer(text)
        return
    match = caps_re.match
    pos = 0
    if _UAU(classes) is not None:  # (a regex finds it with fewer instructions than "in": 19.5 k vs 24.2 k)
        for c in _CAPS_START.finditer(classes):
            p = c.start()
            if p >= pos:
                m = match(text, p)
                if m is not None:
                    yield m
                    pos = m.end()
        return
    # Without "UaU" the starts are the "UU" pairs (overlapping: "UUU" holds two), which find() reaches
    # at C speed; the regex would try its look-ahead at every capital of the text (~80 a briefing).
    find = classes.find
    p = find(b"UU")
    while p >= 0:
        m = match(text, p)
        if m is not None:
            yield m
            pos = m.end()
        p = find(b"UU", max(p + 1, pos))


def _free_start(text: str, pos: int) -> bool:
    """No word character or period right before pos (the look-behind the patterns leave out)."""
    if not pos:
        return True
    c = text[pos - 1]
    return not (c.isalnum() or c == "_" or c == ".")


# The acronym keys of the walk that were given a space at their end, without it (see _word_start_keys).
_WORD_END_KEYS = wordstarts.WordEndKeys()


def _word_start_keys() -> list[tuple[str, tuple[str, Any]]]:
    """Institution words and the acronyms without Cyrillic as keys of the walk the modules share
    (see store.extract.wordstarts and _heads_and_acronyms)."""
    v = _vocab()
    keys: dict[str, tuple[str, Any]] = {}
    for h in v["heads"]:
        # (its length and the capital it must start with: _heads_and_acronyms tests that first)
        keys[ascii_spaced(h)] = ("head", (len(h), h[0].upper(), h))
    spelled: dict[str, list[str]] = {}
    for a in v["acronyms"]:
        if not _CYRILLIC_LETTER.search(a):
            spelled.setdefault(ascii_spaced(a.lower()), []).append(a)
    _WORD_END_KEYS.clear()
    for key, acronyms in spelled.items():
        assert key not in keys, key
        # ascii_spaced() keeps the length: the acronyms spelled by one key are as long as it less its space
        payload = (len(key) - 1, tuple(acronyms), 0)
        if key[-1] != " ":
            # An acronym counts only with no letter or digit after it, where the spaced text has a space:
            # the key with that space never hits inside a word (" un" in "under", "university"). Its
            # hit then ends one further (the payload's 1); an acronym ending the text has no space
            # after it and is looked up in _WORD_END_KEYS instead (see _heads_and_acronyms).
            _WORD_END_KEYS.add(key, payload)
            key += " "
            payload = (len(key) - 2, tuple(acronyms), 1)
        assert key not in keys, key
        keys[key] = ("acronym", payload)
    names: dict[str, list[tuple[str, str]]] = {}
    for name, acronym in v["full_names"]:
        names.setdefault(ascii_spaced(plain(name)), []).append((name, acronym))
    for key, pairs in names.items():
        assert key not in keys, key
        keys[key] = ("full name", tuple(pairs))
    return list(keys.items())


wordstarts.register("organisations", _word_start_keys)


class _Found(NamedTuple):
    heads: list[int]  # where capitalised institution words start
    acronyms: list[tuple[int, int, str]]  # (start, end, acronym)
    full_names: list[tuple[int, int, str, str]]  # (start, end, full name, its acronym)


def _heads_and_acronyms(text: str, v: dict[str, Any]) -> _Found:
    """Where capitalised institution words start, the known acronyms and the full names of acronyms.

    Text with Cyrillic is scanned with the regexes (and str.find for the full names); other text
    takes the hits of the walk the modules share, which finds a word at a word start only:
    "EuroBank" or "xMinistry" hold no institution word there (the regex finds one anywhere). An
    acronym is the longest one spelled at a word start with no letter, digit or "_" after it, as
    the regex finds it; a full name is spelled as the data file writes it, a whole word at its end.
    """
    if has_cyrillic(text):
        fulls = []
        for name, acronym in v["full_names"]:
            s = text.find(name)
            while s >= 0:
                e = s + len(name)
                if _free_start(text, s) and spelled_at(text, name, e):
                    fulls.append((s, e, name, acronym))
                s = text.find(name, s + 1)
        return _Found([m.start() for m in v["head_gate"].finditer(text)],
                      [(m.start(), m.end(), m.group(0)) for m in v["acr_re"].finditer(text)], sorted(fulls))
    low = fold(text)
    starts: list[int] = []
    acronyms: dict[int, tuple[int, int, str]] = {}
    full_names: list[tuple[int, int, str, str]] = []
    n = len(text)
    # (most hits are no name: "service", "under" for "UN"; the cheapest test that rejects them comes first)
    hits = wordstarts.hits(text, "organisations")
    # an acronym ending the text, which no key with a space after it finds (last: the walk reports hits by their end)
    at_end = _WORD_END_KEYS.hits(text)
    if at_end:
        hits = hits + [(end, ("acronym", payload)) for end, payload in at_end]
    for end, (kind, payload) in hits:
        if kind == "head":
            size, capital, head = payload
            s = end - size
            if text[s] == capital and low.startswith(head, s):
                starts.append(s)
        elif kind == "acronym":
            # spelled_at(text, a, end) for each of them ("Interpol", "INTERPOL": one key), the test
            # of what follows the word done once; they are as long, so one at most is spelled there
            size, spellings, after = payload
            end -= after  # (the key's space after the word: see _word_start_keys)
            if end < n and ((c := text[end]).isalnum() or c == "_"):
                continue
            s = end - size
            for a in spellings:
                if text.startswith(a, s):
                    acronyms[s] = (s, end, a)  # the walk reports the longer ones at a start later
        else:
            for name, acronym in payload:
                if spelled_at(text, name, end):
                    full_names.append((end - len(name), end, name, acronym))
    if len(starts) > 1:
        starts = sorted(set(starts))  # (two heads at one start: "Commission", "Commissions")
    return _Found(starts, sorted(acronyms.values()), full_names)


def _head_lines(text: str, starts: list[int]) -> list[tuple[int, int, int]]:
    """For each line that holds capitalised institution words starting at ``starts``: where a scan for
    the phrases holding them starts, the line's end, and where its last such word starts.

    A phrase never crosses a line break, so scanning these lines alone finds the same phrases;
    a phrase without such a word inside names no organisation. Nor does a phrase hold a comma, so
    a scan from just after the last comma before the line's first such word finds the same
    phrases from there on as a scan from the line's start.
    """
    lines: list[tuple[int, int, int]] = []
    last_end = -1
    for h in starts:
        if h < last_end:
            lines[-1] = lines[-1][:2] + (h,)
            continue
        ls = text.rfind("\n", 0, h) + 1
        ls = text.rfind(",", ls, h) + 1 or ls
        le = text.find("\n", h)
        le = len(text) if le < 0 else le
        lines.append((ls, le, h))
        last_end = le
    return lines


# "the UN-backed Astana International Financial Centre", "the U.S.-led Major Economies Forum": who
# backs or leads an institution is not part of its name.
_LEAD_PARTICIPLE = re.compile(r"^[^\s-]+-(?:backed|funded|led|based|sponsored|owned|run|hosted|brokered|supported|"
                              r"financed|initiated|organi[sz]ed|chaired|linked|affiliated)\b[ \t]*")
_LEAD_STRIP = re.compile(r"^[-–]?(?:The|A|An|In|On|At|By|For|From|With|During|Following|Under|And|Of|Both|Its|Their|His|Her|According\s+to|Minister|Deputy|"
                         r"President|Secretary|Ambassador|Director|Chairman|Head|Chief|Prime|Vice|First|Second|Third|Senior|State|General|Mr|Ms|Dr)\b[ \t]*")
# a phrase cut after a person's name starts with the connector that followed it:
# "[Chairman Aslambek Mergaliyev] of the Supreme Court of ..." → "Supreme Court of ..."
_LEAD_LOWER = re.compile(r"^[ \t]*(?:of|the|and|for|on|in|at|to|by|from|with|&)(?:[ \t]+|$)")
# (and a courtesy title that a person's name, cut out, leaves behind: "Ministry of Foreign Affairs Dr")
_TRAIL_STRIP = re.compile(r"(?:[ \t]+(?:of|for|the|and|on|de|&))+$|['’]s$|[ \t]+(?:Dr|Mr|Mrs|Ms|Prof|H\.E)\.?$")
_TRAIL_ENDINGS = ("of", "for", "the", "and", "on", "de", "&", "'s", "’s", "Dr", "Mr", "Mrs", "Ms", "Prof", "H.E",
                  "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "H.E.")
# A name of these words alone is a label, not an organisation's name ("Press Service", "PRESS RELEASE",
# "Media Center"); with a name in it, it is one ("European Council press office").
_LABEL_WORDS = frozenset("press release service department media center centre office information briefing "
                         "note statement readout news".split())
# A name ending in one of these names a document, not an organisation ("Comprehensive Economic Partnership
# Agreement", "Enhanced Partnership and Cooperation Agreement").
_DOCUMENT_WORDS = frozenset("agreement agreements treaty accord accords memorandum declaration charter convention "
                            "protocol roadmap".split())


# _RE_<n>: the patterns of the function below each block, compiled once (a re.search(pattern, ...)
# call looks the pattern up in re's cache every time).
_CYRILLIC_LETTER = re.compile(r"[А-Яа-я]")
_WORD_RUN = re.compile(r"\w+")
_TRAILING_RU_CONJUNCTION = re.compile(r"\s+(?:и|по|в)$")


def find_organizations(text: str, person_spans: list[tuple[int, int]] | None = None, lang: str = "en") -> list[str]:
    """Organisation names as written, first occurrence order, once each."""
    if not text:
        return []
    v = _vocab()
    cuts = sorted(person_spans or [])
    out: list[str] = []
    seen: set[str] = set()
    spans: list[tuple[int, int]] = []

    def add(name: str, s: int, e: int, acronym: bool = False) -> None:
        trimmed, key = _name_key(name)
        if not acronym:  # a known acronym is kept as written: "U.N." keeps its last period
            name = trimmed
        if not key or key in seen or len(name) < 2:
            return
        if not acronym and _not_an_organisation(name, key):
            return
        seen.add(key)
        out.append(name)
        spans.append((s, e))

    cut_starts = [cs for cs, _ in cuts]
    cut_ends = [ce for _, ce in cuts]
    # each cut ends where the next one starts or before (map() stops at the shorter list)
    disjoint = all(map(operator.le, cut_ends, cut_starts[1:]))
    found = _heads_and_acronyms(text, v)
    head_starts = found.heads
    for ls, le, last_head in _head_lines(text, head_starts):
        for m in _PHRASE.finditer(text, ls, le):
            ms, me = m.span()
            if ms > last_head:
                break  # this phrase and the ones after it hold no institution word
            if bisect_left(head_starts, ms) == bisect_left(head_starts, me):
                continue  # no institution word in the phrase, so in none of its pieces either
            # a person's name cuts the phrase: what stands before it and what follows it are read apart
            # ("Chairman Askar Tulegenov of the Constitutional Council" → the Council after the name)
            near = cuts[bisect_right(cut_ends, ms):bisect_left(cut_starts, me)] if disjoint else \
                [c for c in cuts if c[0] < me and c[1] > ms]
            # and so does a sentence's end ("the Supreme Court. The Ministry of Justice")
            if text.find(".", ms, me) >= 0:
                ends = _sentence_ends(text, ms, me)
                if ends:
                    near = sorted(near + ends)
            pieces = []
            s = ms
            for cs, ce in near:
                if cs > s:
                    pieces.append((s, min(cs, me)))
                s = max(s, ce)
            if s < me:
                pieces.append((s, me))
            for s, e in pieces:
                if bisect_left(head_starts, s) == bisect_left(head_starts, e):
                    continue  # no institution word inside: no part of it can be a name
                _phrase_orgs(text, s, e, v, cuts, add)
            if me > last_head:
                break  # the next phrase starts past the line's last institution word: no scan for it
    # A well-known acronym's full name, written outside the names found so far ("the United Nations",
    # not the one inside "United Nations Security Council"), names it once: the acronym is not listed too.
    for s, e, name, _acronym in found.full_names:
        if not _inside(s, spans):
            add(name, s, e)
            continue
        for j, (ps, pe) in enumerate(spans):
            if ps == s and pe < e:  # a phrase cut short of the full name ("... Co-operation" + "in Europe")
                out[j], spans[j] = name, (s, e)
                seen.add(_name_key(name)[1])
                break
    # (a name found as a phrase counts too, whatever its hyphens: "Co‑operation", "Co-operation")
    full_keys = v["full_name_keys"]
    named = {acronym for k in seen if k in full_keys for acronym in full_keys[k]}
    for s, e, acronym in found.acronyms:
        if acronym in named:
            continue
        if _free_start(text, s) and not _inside(s, spans) and not _alias(text, s, e):
            add(acronym, s, e, acronym=True)
    not_orgs = v["not_orgs"]
    for m in _words_in_capitals(text, v["caps_re"]):
        s, e = m.span()
        if not _free_start(text, s):
            continue
        w = m.group(0)
        if w in not_orgs or w in named or _inside(s, spans) or _alias(text, s, e):
            continue
        if _name_key(w)[1] in seen:
            # listed already (an acronym found before, written again): add() would drop it, and the
            # tests below, which read the word's line, cost more than this one
            continue
        if _caps_line(text, s) or _not_an_acronym(text, s, w):
            continue
        if _inside(s, cuts):  # part of a person's name
            continue
        if _country_abbr(w):
            continue
        add(w, s, e)
    # [А-Яа-я] is a narrower class than has_cyrillic()'s: checked only when that one finds a letter
    if lang == "ru" or (has_cyrillic(text) and _CYRILLIC_LETTER.search(text)):
        for m in _RU_PHRASE.finditer(text):
            name = m.group(0).strip()
            name = _TRAILING_RU_CONJUNCTION.sub("", name)
            if name.lower().startswith("пресс-служб"):
                continue
            if len(name.split()) >= 2 or name.isupper():
                add(name, m.start(), m.end())
        for m in _QUOTED.finditer(text):
            add(m.group(1), m.start(1), m.end(1))
    return out


_IN_TO_PLACE_EXTENSION = re.compile(r"[ \t]+(?:in|to)[ \t]+(?:the[ \t]+)?(?:[A-Z][\w'’-]*)(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'’-]*)*")


def _phrase_orgs(text: str, s: int, e: int, v: dict[str, Any], cuts: list[tuple[int, int]], add: Any) -> None:
    """The organisations of one capitalised phrase (between person names)."""
    for part_s, name, shape in _phrase_parts(text[s:e]):
        if shape is None:
            continue
        lower_inside, title_case, place_head = shape
        ps = s + part_s
        if not lower_inside and _caps_line(text, ps):
            continue  # a line in capitals is a headline
        if not title_case:
            continue
        pe = ps + len(name)
        if place_head:  # the org continues with "in <Place>" for embassies and missions
            ext = _IN_TO_PLACE_EXTENSION.match(text[pe:pe + 60])
            if ext and not any(pe <= cs < pe + ext.end() for cs, _ in cuts):
                name = name + ext.group(0)
                pe += ext.end()
        add(name, ps, pe)


# The functions below depend on a short string alone (a phrase, a name): the same ones recur from
# document to document, so they are cached.

@lru_cache(maxsize=8192)
def _phrase_parts(phrase: str) -> tuple[tuple[int, str, tuple[bool, bool, bool] | None], ...]:
    """Each candidate name in a phrase: (offset in the phrase, name, :func:`_org_shape` of the name)."""
    v = _vocab()
    out = []
    for part_s, part in _split(phrase, v):
        ps = part_s
        part2 = part
        while True:
            stripped = _LEAD_LOWER.sub("", _LEAD_PARTICIPLE.sub("", _LEAD_STRIP.sub("", part2)))
            if stripped == part2:
                break
            ps += len(part2) - len(stripped)
            part2 = stripped
        part2 = part2.rstrip()  # (a piece cut before a person's name ends with the space before it)
        if part2.endswith(_TRAIL_ENDINGS):  # what _TRAIL_STRIP can remove ends with one of them
            part2 = _TRAIL_STRIP.sub("", part2)
        part2 = part2.strip()
        out.append((ps, part2, _org_shape(part2)))
    return tuple(out)


def _org_shape(name: str) -> tuple[bool, bool, bool] | None:
    """None when ``name`` cannot be an organisation (one word, no institution word), else
    (a lower-case word after the first, enough capitalised words for a name, starts with a place head)."""
    v = _vocab()
    words = name.split()
    if len(words) < 2:
        return None
    low = [fold(w).strip(".,'’") for w in words]
    if not any(w in v["heads"] for w in low):
        return None
    lower_inside = any(w.islower() for w in words[1:])
    # a headline in title case ("Kazakhstan And Hungary Hold Talks") is not a name
    title_case = sum(1 for w in words if w[:1].isupper()) >= max(2, len(words) // 2)
    return lower_inside, title_case, fold(words[0]) in v["place_heads"]


@lru_cache(maxsize=8192)
def _not_an_organisation(name: str, key: str) -> bool:
    """A label ("Press Service"), a document ("... Partnership Agreement") or a state: its name ("Russian
    Federation") or its government ("Government of India", "the Kazakh Government")."""
    from store.extract.countries import resolve_country

    words = key.split()
    if _LABEL_WORDS.issuperset(words) or words[-1] in _DOCUMENT_WORDS or resolve_country(name) is not None:
        return True
    if words[0] == "government" and len(words) > 2 and words[1] == "of":
        rest = words[3:] if words[2] == "the" else words[2:]
        return bool(rest) and resolve_country(" ".join(rest)) is not None
    if words[-1] == "government" and len(words) > 1:
        return resolve_country(" ".join(words[:-1])) is not None
    return False


@lru_cache(maxsize=8192)
def _name_key(name: str) -> tuple[str, str]:
    """The name trimmed of punctuation, and its comparison key (folded words)."""
    name = name.strip(" \t,.;:-–")
    return name, " ".join(_WORD_RUN.findall(fold(name)))


_AND_ORG_SPLIT = re.compile(r"[ \t]+and[ \t]+the[ \t]+|[ \t]+and[ \t]+(?=(?:[A-Z][\w'’-]*[ \t]+){0,2}(?:Ministry|Embassy|Office|Council|Commission|Committee|Agency|Bank|University)\b)")


def _split(phrase: str, v: dict[str, Any]) -> list[tuple[int, str]]:
    """'Embassy of X and the Office of Y' is two organisations; 'Ministry of Foreign Affairs and Trade' is one."""
    if "and" not in phrase:
        return [(0, phrase)]
    parts: list[tuple[int, str]] = []
    pos = 0
    for m in _AND_ORG_SPLIT.finditer(phrase):
        parts.append((pos, phrase[pos:m.start()]))
        pos = m.end()
    parts.append((pos, phrase[pos:]))
    return parts


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    for s, e in spans:  # a handful: a loop costs less than any() over a generator
        if s <= pos < e:
            return True
    return False


def _alias(text: str, s: int, e: int) -> bool:
    """'(IRENA)' right after 'International Renewable Energy Agency'."""
    return text[s - 1:s] == "(" and text[e:e + 1] == ")" and s >= 2 and text[s - 2].isalpha() is False and _preceded_by_name(text, s - 1)


_CAPITALIZED_WORD_AT_END = re.compile(r"[A-Z][\w'’-]*$")


def _preceded_by_name(text: str, paren: int) -> bool:
    before = text[max(0, paren - 80):paren].rstrip()
    return bool(_CAPITALIZED_WORD_AT_END.search(before))


def _caps_line(text: str, pos: int) -> bool:
    ls = text.rfind("\n", 0, pos) + 1
    memo = doc_cache(text).setdefault("orgs_caps_lines", {})
    hit = memo.get(ls)
    if hit is None:
        le = text.find("\n", pos)
        line = text[ls:le if le >= 0 else len(text)]
        # counted on UTF-8 bytes: an ASCII letter is one byte there, every other character's bytes are >= 0x80
        raw = line.encode("utf-8", "surrogatepass")
        n_lower = len(raw) - len(raw.translate(None, _ASCII_LOWER))
        if line.isascii():
            n_upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
            letters = n_upper + n_lower
            hit = letters > 15 and n_upper > 0.8 * letters
        elif 4 * n_lower >= len(line):
            hit = False  # a quarter of the line is lower-case letters: capitals cannot make 80% of its letters
        else:
            letters = "".join(filter(str.isalpha, line))
            hit = len(letters) > 15 and sum(map(str.isupper, letters)) > 0.8 * len(letters)
        memo[ls] = hit
    return hit


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


@lru_cache(maxsize=4096)
def _country_abbr(word: str) -> bool:
    from store.extract.countries import resolve_country
    return resolve_country(word) is not None and (word.isupper() or len(word) <= 3)
