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
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any

from store.extract.text import doc_cache, fold

DATA = Path(__file__).with_name("data") / "orgs.json"

_WORD = r"[A-ZÀ-ÞĀ-Ž][\w'’&.-]*|[A-Z]{2,}[\w-]*|\d+(?:st|nd|rd|th)"
_PHRASE = re.compile(
    rf"(?:{_WORD})(?:(?:[ \t]+|[-–][ \t]*)(?:(?:of|for|the|and|on|de|di|del|la|des|du|und|für|&)[ \t]+)*(?:{_WORD}))*")
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
        "acr_re": re.compile(r"(?:" + "|".join(re.escape(a) for a in acr) + r")(?![\w])"),
        "caps_re": re.compile(r"(?:[A-ZА-ЯЁ][A-ZА-ЯЁŞÇĞİÖÜ]{1,7}|[A-Z][a-z]?[A-Z][A-Za-z]{0,4})(?![\w])"),
        "head_gate": _head_gate(data["heads"]),
        "ru_heads": tuple(data["ru_heads"]),
    }


def _head_gate(heads: list[str]) -> re.Pattern[str]:
    """Institution words with a capital first letter, anywhere: a superset of the words a name needs.

    A phrase's words start with a capital letter, so only a capitalised head can make a name.
    """
    by_first: dict[str, list[str]] = {}
    for h in sorted(set(heads), key=len, reverse=True):
        by_first.setdefault(h[0], []).append(re.escape(h[1:]).replace("'", "['’]"))
    return re.compile("|".join(f"{first.upper()}(?i:{'|'.join(rest)})" for first, rest in by_first.items()))


def _free_start(text: str, pos: int) -> bool:
    """No word character or period right before pos (the look-behind the patterns leave out)."""
    if not pos:
        return True
    c = text[pos - 1]
    return not (c.isalnum() or c == "_" or c == ".")


def _head_lines(text: str, v: dict[str, Any]) -> tuple[list[tuple[int, int]], list[int]]:
    """Lines (start, end) that hold a capitalised institution word, and where those words start.

    A phrase never crosses a line break, so scanning these lines alone finds the
    same phrases; a phrase without such a word inside names no organisation.
    """
    lines: list[tuple[int, int]] = []
    starts: list[int] = []
    last_end = -1
    for m in v["head_gate"].finditer(text):
        h = m.start()
        starts.append(h)
        if h < last_end:
            continue
        ls = text.rfind("\n", 0, h) + 1
        le = text.find("\n", h)
        le = len(text) if le < 0 else le
        lines.append((ls, le))
        last_end = le
    return lines, starts


_LEAD_STRIP = re.compile(r"^(?:The|A|An|In|On|At|By|For|From|With|During|Following|Under|And|Of|Both|Its|Their|His|Her|According\s+to|Minister|Deputy|"
                         r"President|Secretary|Ambassador|Director|Chairman|Head|Chief|Prime|Vice|First|Second|Third|Senior|State|General|Mr|Ms|Dr)\b[ \t]*")
# a phrase cut after a person's name starts with the connector that followed it:
# "[Chairman Aslambek Mergaliyev] of the Supreme Court of ..." → "Supreme Court of ..."
_LEAD_LOWER = re.compile(r"^[ \t]*(?:of|the|and|for|on|in|at|to|by|from|with|&)(?:[ \t]+|$)")
_TRAIL_STRIP = re.compile(r"(?:[ \t]+(?:of|for|the|and|on|de|&))+$|['’]s$")


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

    def add(name: str, s: int, e: int) -> None:
        name = name.strip(" \t,.;:-–")
        key = " ".join(_WORD_RUN.findall(fold(name)))
        if not key or key in seen or len(name) < 2:
            return
        seen.add(key)
        out.append(name)
        spans.append((s, e))

    cut_starts = [cs for cs, _ in cuts]
    disjoint = all(cuts[i][1] <= cuts[i + 1][0] for i in range(len(cuts) - 1))
    cut_ends = [ce for _, ce in cuts]
    head_lines, head_starts = _head_lines(text, v)
    for ls, le in head_lines:
        for m in _PHRASE.finditer(text, ls, le):
            ms, me = m.span()
            # a person's name cuts the phrase: what stands before it and what follows it are read apart
            # ("Chairman Askar Tulegenov of the Constitutional Council" → the Council after the name)
            near = cuts[bisect_right(cut_ends, ms):bisect_left(cut_starts, me)] if disjoint else \
                [c for c in cuts if c[0] < me and c[1] > ms]
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
    for m in v["acr_re"].finditer(text):
        if _free_start(text, m.start()) and not _inside(m.start(), spans) and not _alias(text, m.start(), m.end()):
            add(m.group(0), m.start(), m.end())
    for m in v["caps_re"].finditer(text):
        w = m.group(0)
        if not _free_start(text, m.start()):
            continue
        if w in v["not_orgs"] or _inside(m.start(), spans) or _alias(text, m.start(), m.end()) or _caps_line(text, m.start()):
            continue
        if any(cs <= m.start() < ce for cs, ce in cuts):
            continue
        if _country_abbr(w):
            continue
        add(w, m.start(), m.end())
    if lang == "ru" or _CYRILLIC_LETTER.search(text):
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
    phrase = text[s:e]
    for part_s, part in _split(phrase, v):
        ps = s + part_s
        part2 = part
        while True:
            stripped = _LEAD_LOWER.sub("", _LEAD_STRIP.sub("", part2))
            if stripped == part2:
                break
            ps += len(part2) - len(stripped)
            part2 = stripped
        part2 = _TRAIL_STRIP.sub("", part2).strip()
        if _is_org(part2, v, text, ps):
            # the org continues with "in <Place>" for embassies and missions
            words = part2.split()
            pe = ps + len(part2)
            if words and fold(words[0]) in v["place_heads"]:
                ext = _IN_TO_PLACE_EXTENSION.match(text[pe:pe + 60])
                if ext and not any(pe <= cs < pe + ext.end() for cs, _ in cuts):
                    part2 = part2 + ext.group(0)
                    pe += ext.end()
            add(part2, ps, pe)


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


def _is_org(name: str, v: dict[str, Any], text: str, pos: int) -> bool:
    words = name.split()
    if len(words) < 2:
        return False
    low = [fold(w).strip(".,'’") for w in words]
    if not any(w in v["heads"] for w in low):
        return False
    if _caps_line(text, pos) and not any(w.islower() for w in words[1:]):
        return False
    # a headline in title case ("Kazakhstan And Hungary Hold Talks") is not a name
    return sum(1 for w in words if w[:1].isupper()) >= max(2, len(words) // 2)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


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
        if line.isascii():
            n_upper = len(_NOT_UPPER.sub("", line))
            letters = n_upper + len(_NOT_LOWER.sub("", line))
            hit = letters > 15 and n_upper > 0.8 * letters
        else:
            letters = "".join(filter(str.isalpha, line))
            hit = len(letters) > 15 and sum(map(str.isupper, letters)) > 0.8 * len(letters)
        memo[ls] = hit
    return hit


_NOT_UPPER = re.compile(r"[^A-Z]+")
_NOT_LOWER = re.compile(r"[^a-z]+")


def _country_abbr(word: str) -> bool:
    from store.extract.countries import resolve_country
    return resolve_country(word) is not None and (word.isupper() or len(word) <= 3)
