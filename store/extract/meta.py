"""Title, meeting date, source and location of a briefing.

Date: a memo's "Date of meeting:" field, a dateline ("ASTANA, 3 May 2024",
"Ташкент, 18 ноября 2025 года"), a date inside the meeting's own sentence
("On 12 March, ... met"), "today"/"yesterday"/a weekday resolved against the
document's date, and finally the document's date when the text names no
meeting date at all. Dates in sentences about other events (past visits,
future forums) are never used. Day and month without a year take the year of
the document's date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from store.extract.countries import _expand_ru, find_country_mentions, resolve_country
from store.extract import wordstarts
from store.extract.text import doc_cache, fold, spelled_at

DATA = Path(__file__).with_name("data")

_EN_MONTHS = {m: i for i, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")], start=1) for m in names}
_RU_MONTHS = {m: i for i, names in enumerate([
    ("января", "январь"), ("февраля", "февраль"), ("марта", "март"), ("апреля", "апрель"), ("мая", "май"), ("июня", "июнь"),
    ("июля", "июль"), ("августа", "август"), ("сентября", "сентябрь"), ("октября", "октябрь"), ("ноября", "ноябрь"),
    ("декабря", "декабрь")], start=1) for m in names}


def _by_first_letter(words: list[str]) -> str:
    """``a|b|...`` as ``(?:j(?:anuary|une)|m(?:arch|ay)|...)``: the same matches in the same order of trial.

    No two of these words start with letters that match each other case-insensitively, so only one
    group can match at a place, and re stops after the first letter of the others.
    """
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items()) + ")"


_MON = _by_first_letter(sorted(list(_EN_MONTHS) + list(_RU_MONTHS), key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
_DATE_RE = re.compile(
    rf"(?P<iso>(?P<iy>{_YEAR})-(?P<im>\d\d)-(?P<id>\d\d))"
    rf"|(?P<dmy>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?\s+(?:of\s+)?(?P<m1>{_MON})\.?(?:,?\s+(?P<y1>{_YEAR}))?)"
    rf"|(?P<mdy>(?P<m2>{_MON})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*[-–]\s*\d{{1,2}})?(?:,?\s+(?P<y2>{_YEAR}))?)"
    rf"|(?P<num>(?P<d3>\d{{1,2}})\.(?P<m3>\d{{1,2}})\.(?P<y3>{_YEAR}))",
    re.I)
_MONTH_NAMES = frozenset(fold(m) for m in list(_EN_MONTHS) + list(_RU_MONTHS))
_MONTH_LENGTHS = sorted({len(m) for m in _MONTH_NAMES}, reverse=True)
_MONTH_FINALS = frozenset(m[-1] for m in _MONTH_NAMES)  # the last letters of the month names
_ANY_DIGIT = re.compile(r"\d")


class _DateFinder:
    """``_DATE_RE`` with the same search/finditer results, tried only where a date can start.

    Every date starts at a digit, or at a month name followed by ``.``, whitespace and a
    digit; trying the big case-insensitive pattern at every position is what costs.
    The places are found digit by digit as the matches are consumed: a search stops at
    the first date without looking at the rest of the text.
    """

    pattern = _DATE_RE

    @staticmethod
    def _places(text: str, pos: int, q: int) -> tuple[int, ...] | list[int]:
        """Where a date ending in the digit at q can start, in order: after the month names that end
        right before the whitespace (and ".") in front of it, then q itself (text[q - 1] is whitespace)."""
        r = q - 1
        while r > pos and text[r - 1].isspace():
            r -= 1
        longest = _MONTH_LENGTHS[0]
        lengths = _month_name_lengths(text[r - longest if r - longest > pos else pos:r])
        if r > pos and text[r - 1] == ".":
            dotted = _month_name_lengths(text[r - 1 - longest if r - 1 - longest > pos else pos:r - 1])
            if dotted:
                out = sorted({r - n for n in lengths} | {r - 1 - n for n in dotted})
                out.append(q)
                return out
        if not lengths:
            return (q,)
        # (the lengths come longest first: their starts in order)
        return [r - n for n in lengths] + [q]

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        endpos = len(text) if endpos is None else min(endpos, len(text))
        match = _DATE_RE.match
        for d in _ANY_DIGIT.finditer(text, pos, endpos):
            q = d.start()
            # a month name before this digit starts after every earlier digit and its months: the
            # places come in order, as if they were all collected and sorted first (and none lies
            # before pos: _places reads no month name that starts there)
            # (_places gives (q,) alone when one space stands before the digit and the character
            # before it, neither a full stop nor a space, ends no month name: "ref 0", "were 2")
            places = (q,)
            if q > pos and text[q - 1].isspace() and (
                    q - 2 < pos or (c := text[q - 2]).isspace() or c == "." or c.lower() in _MONTH_FINALS):
                places = self._places(text, pos, q)
            for p in places:
                m = match(text, p, endpos)
                if m:
                    return m
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """One search after another, each from the end of the last date: a place before that end
        can start no later date, and month names that start before it are the ones a search from
        it does not read."""
        m = self.search(text, pos, endpos)
        while m is not None:
            yield m
            m = self.search(text, m.end(), endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return _DATE_RE.match(text, pos, len(text) if endpos is None else endpos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return _DATE_RE.fullmatch(text)


@lru_cache(maxsize=4096)
def _month_name_lengths(before: str) -> tuple[int, ...]:
    """The lengths of the month names that ``before`` ends with (its last few characters)."""
    return tuple(n for n in _MONTH_LENGTHS if n <= len(before) and before[-n:].lower() in _MONTH_NAMES)


_DATE = _DateFinder()
_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_RU_WEEKDAYS = {"понедельник": 0, "вторник": 1, "среду": 2, "среда": 2, "четверг": 3, "пятницу": 4, "пятница": 4, "субботу": 5, "суббота": 5, "воскресенье": 6}
_RELATIVE = re.compile(r"\b(today|this\s+morning|this\s+afternoon|this\s+evening|earlier\s+today|yesterday|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
                       r"|(?<!\w)(сегодня|вчера|в\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))(?!\w)", re.I)
# every match of _RELATIVE holds one of these words (folded)
_RELATIVE_WORDS = ("today", "morning", "afternoon", "evening", "yesterday", "monday", "tuesday", "wednesday", "thursday",
                   "friday", "saturday", "sunday", "сегодня", "вчера", "понедельник", "вторник", "среду", "четверг",
                   "пятницу", "субботу", "воскресенье")
_MEETING_FIELD = re.compile(r"(?im)^\s*(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date|date\s+and\s+time|дата\s+встречи|дата)\s*:\s*(.+)$")
_PLACE_FIELD = re.compile(r"(?im)^\s*(?:place|venue|location|место(?:\s+проведения)?)\s*:\s*(.+)$")
_DATELINE = re.compile(
    r"(?m)^[ \t*_#>]*(?P<city>[A-ZÀ-ÞА-ЯЁ][A-Za-zÀ-ÿА-Яа-яЁё'’.\- ]{1,30}?)[ \t]*(?:,|\.)[ \t]*(?:(?P<date>[^\n]{0,40}?\d[^\n]{0,25}?)|(?:\(?[A-ZА-Я][\w \t]+\)?))[ \t]*(?:\*\*|\(|--|—|–|-[ \t]|:|\.|$)")
# What a line needs for _DATELINE to match there: its city starts with a capital and has at most 30
# more letters, spaces, apostrophes, hyphens or full stops, then spaces or tabs and a comma or full
# stop. So within 31 characters of the capital, past such characters (and tabs), comes a comma or
# full stop, or the 31st starts a run of spaces and tabs that ends in one. (Spaces and tabs are such
# characters: a run of them after the first 30 follows only a full 30, so one pass over the 30 says both.)
_DATELINE_GATE_PATTERN = r"[ \t*_#>]*+[A-ZÀ-ÞА-ЯЁ][A-Za-zÀ-ÿА-Яа-яЁё'’\- \t]{0,30}+[ \t]*+[,.]"
# And what follows that first comma or full stop: a city may hold a full stop ("St. Petersburg"), never
# a comma. So where the first is a comma, it ends the city, and after it and spaces or tabs comes the
# date, with a digit within 40 characters on the line, or a capital (or "(" and one): a line of prose
# ("Healthcare cooperation, pharmaceuticals and ...") fails here, not in _DATELINE's costly retries.
_DATELINE_AFTER_SEPARATOR = r"(?:(?<=\.)|[ \t]*+(?:\(?[A-ZА-Я]|[^\n\d]{0,40}+\d))"
_DATELINE_GATE = re.compile(_DATELINE_GATE_PATTERN + _DATELINE_AFTER_SEPARATOR)
_DATELINE_GATE_AFTER_BREAK = re.compile("\n" + _DATELINE_GATE_PATTERN + _DATELINE_AFTER_SEPARATOR)
_EMAIL_HEADER = re.compile(r"(?im)^(?:from|to|cc|date|sent|subject|от|кому|дата|тема)\s*:")


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """The gazetteer's cities, folded ("astana", "abu dhabi", "москва")."""
    return frozenset(city_table())


@lru_cache(maxsize=1)
def month_words() -> frozenset[str]:
    """The month names and abbreviations the date rules read, English and Russian, lower-case."""
    return frozenset(_EN_MONTHS) | frozenset(_RU_MONTHS)


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, str]]:
    """Folded form → (English name, Russian nominative)."""
    return {k: v[:2] for k, v in city_table().items()}


@lru_cache(maxsize=1)
def city_table() -> dict[str, tuple[str, str, str]]:
    """Folded form → (English name, Russian nominative, ISO country)."""
    data = json.loads((DATA / "cities.json").read_text(encoding="utf-8"))
    paradigms = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))["paradigms"]
    out: dict[str, tuple[str, str, str]] = {}
    for name, entry in data["cities"].items():
        forms: list[str] = []
        for ru in entry.get("ru", []):
            forms.extend(_expand_ru(ru, paradigms))
        ru_nom = forms[0].title() if forms else name
        if ru_nom and "-" in ru_nom:
            ru_nom = "-".join(p[:1].upper() + p[1:] for p in ru_nom.split("-"))
        for form in [name] + entry.get("alt", []) + forms:
            out.setdefault(fold(form), (name, ru_nom, entry["cc"]))
    return out


_CITY_WORD = re.compile(r"[A-ZÀ-ÞА-ЯЁ][\w'’.-]*(?:\s+[A-ZÀ-Þ][\w'’-]*){0,2}")


def city_at(text: str, pos: int, lang: str) -> str | None:
    """The gazetteer city starting at pos (one to three capitalised words), as displayed in lang."""
    m = _CITY_WORD.match(text, pos)
    if not m:
        return None
    return _city_named(m.group(0), lang)


@lru_cache(maxsize=4096)
def _city_named(written: str, lang: str) -> str | None:
    """The gazetteer city that the first one to three of these words name (longest first)."""
    words = written.split()
    cities = _cities()
    for n in range(len(words), 0, -1):
        cand = fold(" ".join(words[:n])).strip(".,")
        hit = cities.get(cand)
        if hit:
            return hit[1] if lang == "ru" else _display(" ".join(words[:n]).strip(".,"), hit[0])
    return None


def _display(written: str, english: str) -> str:
    if written.isupper():
        return english if fold(english) == fold(written) or len(written) > 3 else written.title()
    return written


# ---------------------------------------------------------------- title

# _RE_<n>: the patterns of the function below each block, compiled once (a re.search(pattern, ...)
# call looks the pattern up in re's cache every time).
_SUBJECT_HEADER = re.compile(r"(?im)^\s*(?:subject|subj|тема)\s*:\s*(.+)$")
# a first line that is no headline: a classification, a letterhead or a sender, or a greeting
# ("Dear colleagues"; a prefix is enough there, without a word end), as one pattern, one match call
_NON_TITLE_HEADLINE = re.compile(r"(?i)^(?:(?:unclassified|confidential|restricted|secret|embassy\s+of|memo|from\s*:)\b"
                                 r"|dear|colleagues|hi|hello|коллеги|добрый|уважаем)")
_SENTENCE_END_PUNCT = re.compile(r"[.!?:]$")
_WHITESPACE_RUN = re.compile(r"\s+")


def find_title(text: str, doc_title: str | None) -> str | None:
    if doc_title and doc_title.strip():
        return _WHITESPACE_RUN.sub(" ", doc_title).strip()
    subj = _SUBJECT_HEADER.search(text) if ":" in text and _has(text, "subj", "тема") else None
    ls = _first_lines(text, 2)
    if not ls:
        return None
    if len(ls) > 1 and ls[1].startswith("@"):
        return None  # a social-media post: the first line is the account
    head = ls[0]
    if _NON_TITLE_HEADLINE.match(head):
        return _clean_title(subj.group(1)) if subj else None
    if subj and len(head) < 25:
        return _clean_title(subj.group(1))
    title = head
    # PDF lines break long headlines: join a short continuation line
    if len(ls) > 1 and len(head) > 45 and len(ls[1]) < 30 and not _SENTENCE_END_PUNCT.search(head) \
            and not _DATE.search(ls[1]) and not ls[1].isupper():
        raw_lines = _edge_lines(text)[0]
        if len(raw_lines) > 1 and raw_lines[1].strip() == ls[1]:
            title = head + " " + ls[1]
    return _clean_title(title)


_MARKDOWN_DECORATION = re.compile(r"^#+\s*|^\*+|\*+$")
_REPLY_FORWARD_PREFIX = re.compile(r"^(?:(?:fwd?|fw|re|тема)\s*:\s*)+", re.I)


def _clean_title(t: str) -> str:
    t = t.strip()
    if "#" in t or "*" in t:
        t = _MARKDOWN_DECORATION.sub("", t)
    if ":" in t:  # (every prefix ends in a colon)
        t = _REPLY_FORWARD_PREFIX.sub("", t)
    # runs of whitespace made single spaces; the substitution is skipped when every run already is
    # one space (any whitespace but " " is a control or separator character, which str.isprintable()
    # rejects)
    if "  " in t or not t.isprintable():
        t = _WHITESPACE_RUN.sub(" ", t)
    return t.strip()


# ---------------------------------------------------------------- date

def _parse(m: re.Match[str], default_year: int | None) -> tuple[int | None, int, int] | None:
    # which of _DATE_RE's four forms matched: the one whose group closed last (each encloses its parts)
    form = m.lastgroup
    try:
        if form == "iso":
            y, mon, d = m.group("iy", "im", "id")
            return int(y), int(mon), int(d)
        if form == "dmy":
            d, mon, y = m.group("d1", "m1", "y1")
            return (int(y) if y else default_year), _month(mon), int(d)
        if form == "mdy":
            mon, d, y = m.group("m2", "d2", "y2")
            return (int(y) if y else default_year), _month(mon), int(d)
        if form == "num":
            d, mon, y = m.group("d3", "m3", "y3")
            return int(y), int(mon), int(d)
    except (TypeError, ValueError):
        return None
    return None


def _month(word: str) -> int:
    w = fold(word).rstrip(".")
    return _EN_MONTHS.get(w) or _RU_MONTHS.get(w) or 0


def _iso(ymd: tuple[int | None, int, int] | None, ref: dt.date | None) -> str | None:
    if ymd is None:
        return None
    y, mth, d = ymd
    if y is None:
        if ref is None:
            return None
        y = ref.year
        try:
            cand = dt.date(y, mth, d)
        except ValueError:
            return None
        if (cand - ref).days > 60:  # "on 28 December" in a January document
            y -= 1
    try:
        return dt.date(y, mth, d).isoformat()
    except ValueError:
        return None


_URL = re.compile(r"\(https?://[^)]*\)|https?://\S+")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _may_hold_year(s: str) -> bool:
    """False only when no date in ``s`` has a year: every year _DATE_RE reads starts "19" or "20"."""
    return "20" in s or "19" in s


def _full_date(m: re.Match[str] | None) -> dt.date | None:
    """A date match with its own year as a real calendar date; None if it has no year or is impossible."""
    ymd = _parse(m, None) if m else None
    if not ymd or not ymd[0]:
        return None
    try:
        return dt.date(*ymd)  # type: ignore[arg-type]
    except ValueError:
        return None


def _page_date(text: str) -> dt.date | None:
    """A page's own date line near the top: 'August 27, 2025', 'Updated: June 24, 2025 21:40';
    else a sign-off date: 'Abu Dhabi\nDecember 15, 2025'. (One function, which reads the edge
    lines once: most documents have neither, and each call costs.)"""
    head, tail = _edge_lines(text)
    for line in head:
        if "20" not in line and "19" not in line:
            continue  # without a year (see _may_hold_year), no date in the line can be taken: most lines end here
        if len(line) > 140 and line[0] not in " *_#|" and line[-1] not in " *_#|":
            continue  # a paragraph: stripping would leave it as long
        s = line.strip(" *_#|")
        if not s or len(s) > 140:
            continue
        m = _DATE.search(s)
        if not m:
            continue
        rest = (s[:m.start()] + s[m.end():]).strip()
        rest = _URL.sub(" ", rest)
        long_words = len(_LONG_WORD.findall(rest))
        if long_words > 6 or (s.endswith(".") and long_words > 4):
            continue
        found = _full_date(m)
        if found:
            return found
    # the sign-off
    for line in reversed(tail):
        if "20" not in line and "19" not in line:
            continue  # (_full_date needs a year: _may_hold_year(line.strip()) is false)
        s = line.strip()
        m = _DATE.fullmatch(s) or (_DATE.match(s) if len(s) < 30 else None)
        found = _full_date(m)
        if found:
            return found
    return None


_MEETING_DATE_LABEL = re.compile(r"(?i)\s*(?:date\s+of|meeting\s+date|дата\s+встречи)")


def find_date(text: str, sentences: list[tuple[int, int]], meeting_sents: list[int], doc_date: str | None,
              cues: Any) -> str | None:
    """The meeting's date as ISO text; ``cues`` is the document's people.Cues (other-event phrases)."""
    dateline = _dateline_date(text)
    # (no call when the document comes without a date of its own)
    ref = _forwarded_date(text) or (_to_date(doc_date) if doc_date else None) or dateline or _page_date(text)
    year = ref.year if ref else None
    field = _MEETING_FIELD.search(text) if ":" in text and _has(text, "date", "дата") else None
    if field and (_MEETING_DATE_LABEL.match(field.group(0))
                  or not _EMAIL_HEADER.match(field.group(0).strip())):
        m = _DATE.search(field.group(1))
        if m:
            iso = _iso(_parse(m, year), ref)
            if iso:
                return iso
    # the meeting's own sentences, in order: an explicit date, or "today" / "on Tuesday"
    for si in meeting_sents:
        s, e = sentences[si]
        sent = text[s:e]
        # (_DATE.finditer(sent) as a loop of searches: a generator left at a return costs its close)
        m = _DATE.search(sent)
        while m is not None:
            if not (cues.first("other_event", s, s + m.start()) or _event_word_before(sent, m.start())):
                iso = _iso(_parse(m, year), ref)
                if iso:
                    return iso
            m = _DATE.search(sent, m.end())
        rel = _RELATIVE.search(sent) if ref and _may_hold(text, _RELATIVE_WORDS, s, e) else None
        if rel and ref:
            return _resolve_relative(rel.group(0), ref)
    if dateline:
        return dateline.isoformat()
    # the text names no date for the meeting: the document's own date
    return ref.isoformat() if ref else None


def _lines(text: str) -> list[str]:
    """``text.strip().splitlines()``, once per document (callers only read it)."""
    cache = doc_cache(text)
    lines = cache.get("stripped_lines")
    if lines is None:
        lines = cache["stripped_lines"] = text.strip().splitlines()
    return lines


def _edge_lines(text: str) -> tuple[list[str], list[str]]:
    """``_lines(text)[:8]`` and ``_lines(text)[-3:]``, once per document: what the rules read.

    splitlines() tests every character for a line break and makes a string of every line; where
    "\n" is the only line break in the text, str.split and str.rsplit with a maximum read and make
    only the lines asked for.
    """
    cache = doc_cache(text)
    edges = cache.get("edge_lines")
    if edges is None:
        stripped = text.strip()
        if not stripped or "\r" in stripped or "\v" in stripped or "\f" in stripped or "\x1c" in stripped \
                or "\x1d" in stripped or "\x1e" in stripped or not stripped.isascii() and (
                    "\x85" in stripped or "\u2028" in stripped or "\u2029" in stripped):
            lines = _lines(text)
            edges = lines[:8], lines[-3:]
        else:
            edges = stripped.split("\n", 8)[:8], stripped.rsplit("\n", 3)[-3:]
        cache["edge_lines"] = edges
    return edges


def _first_lines(text: str, n: int) -> list[str]:
    """The first ``n`` non-blank lines of ``text``, stripped."""
    head = _edge_lines(text)[0]
    out = _non_blank(head, n)
    if len(out) < n and len(head) == 8:
        out = _non_blank(_lines(text), n)  # more blank lines than the head holds
    return out


def _non_blank(lines: list[str], n: int) -> list[str]:
    out: list[str] = []
    for ln in lines:  # the same non-blank lines as text.splitlines(): strip() only drops blank ones
        ln = ln.strip()
        if ln:
            out.append(ln)
            if len(out) == n:
                break
    return out


def _has(text: str, *words: str) -> bool:
    """Any of the (lower-case) words in the folded text: a cheap test before a pattern that needs one."""
    low = fold(text)
    return any(w in low for w in words)


# re's case-insensitive matching takes these for i, s and some Cyrillic letters while fold() leaves
# them alone: in a text that has one, a word test on the folded text could miss a match
_FOLD_MISMATCH = re.compile("[İıſ\u1c80-\u1c88]")


def _may_hold(text: str, words: tuple[str, ...], start: int, end: int) -> bool:
    """False only when no case-insensitive pattern that needs one of ``words`` can match in text[start:end].

    ``words``: the lower-case words, looked for in the folded text. (One str.find a word: a regex
    of the words as alternatives starts with a class of first letters, which re tests at every
    character, several times slower over a sentence where, most often, none of them is.)
    """
    if text.isascii():  # (a flag, no scan) then so is the folded text: only the ASCII words can be in it
        words = _ascii_words(words)
    elif _FOLD_MISMATCH.search(text, start, end):
        return True
    low = fold(text)
    for w in words:
        if low.find(w, start, end) >= 0:
            return True
    return False


@lru_cache(maxsize=16)
def _ascii_words(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in words if w.isascii())


def _datelines(text: str) -> list[re.Match[str]]:
    """_DATELINE matches in the first 1,500 characters, once per document."""
    cache = doc_cache(text)
    hit = cache.get("datelines")
    if hit is None:
        head = text[:1500]
        hit = []
        # a dateline starts a line and never crosses one: try the line starts that pass the gate only
        starts = [0] if _DATELINE_GATE.match(head) else []
        starts += [g.start() + 1 for g in _DATELINE_GATE_AFTER_BREAK.finditer(head)]
        for ls in starts:
            m = _DATELINE.match(head, ls)
            if m:
                hit.append(m)
        cache["datelines"] = hit
    return hit


def _dateline_date(text: str) -> dt.date | None:
    for dm in _datelines(text):
        if dm.group("date") and _may_hold_year(dm.group("date")) and _looks_like_place(dm.group("city")):
            found = _full_date(_DATE.search(dm.group("date")))
            if found:
                return found
    return None


_FORWARDED_DATE_HEADER = re.compile(r"(?im)^-{3,}\s*(?:forwarded|пересылаемое)[^\n]*\n(?:[^\n]*\n){0,4}?\s*(?:date|дата)\s*:\s*([^\n]+)")


def _forwarded_date(text: str) -> dt.date | None:
    """A forwarded message's own 'Date:' header dates the readout, not the forward."""
    # "---" searched from the first hyphen, which memchr finds: quicker than a search from the start
    first = text.find("-")
    if first < 0 or text.find("---", first) < 0:
        return None
    m = _FORWARDED_DATE_HEADER.search(text)
    if not m:
        return None
    return _full_date(_DATE.search(m.group(1)))


_EVENT_WORD_BEFORE_DATE = re.compile(r"(?i)\b(?:visit|summit|forum|session|since|until|by|from|scheduled|planned|next|during|established|signed\s+in|визит|саммит|форум|заседани|до|с\s+\d)\w*\W+(?:\w+\W+){0,5}$")


def _event_word_before(sent: str, pos: int) -> bool:
    """'... the visit ... on 4 November' / '... summit held in January' belong to another event."""
    window = sent[max(0, pos - 90):pos]
    return bool(_EVENT_WORD_BEFORE_DATE.search(window))


def _resolve_relative(word: str, ref: dt.date) -> str:
    w = fold(word)
    if "yesterday" in w or "вчера" in w:
        return (ref - dt.timedelta(days=1)).isoformat()
    for name, idx in list(_WEEKDAYS.items()) + list(_RU_WEEKDAYS.items()):
        if name in w:
            delta = (ref.weekday() - idx) % 7
            return (ref - dt.timedelta(days=delta)).isoformat()
    return ref.isoformat()


def _to_date(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _looks_like_place(word: str) -> bool:
    w = word.strip(" *_")
    if fold(w) in _cities():
        return True
    return w.isupper() and len(w) > 2 and resolve_country(w) is None


# ---------------------------------------------------------------- location

_FUTURE = re.compile(r"(?i)\b(?:next|will|agreed\s+to|plan(?:s|ned)?\s+to|upcoming|forthcoming|invited)\b|следующ|очередн|договорились|планиру")
_FUTURE_WORDS = ("next", "will", "agreed", "plan", "upcoming", "forthcoming", "invited", "следующ", "очередн", "договорились",
                 "планиру")
# "in"/"at"/"в"/"во" as a word before a capital: \b(?:in|at)\s+|(?<!\w)(?:[вВ]о?\s+...), with the first
# letter up front (the look-behind is the word boundary) so that re skips to candidates
_IN_CITY = re.compile(r"[iaвВ](?<!\w.)(?:(?<=i)n\s+|(?<=a)t\s+|(?<=[вВ])о?\s+(?:г\.\s*|городе\s+)?)(?=[A-ZÀ-ÞА-ЯЁ])")


_COMMA_OR_SEMICOLON = re.compile(r"[,;]")
# "Tashkent - Today, ...": a line that opens with one or two capitalised words and a dash (a city, checked)
_DASH_DATELINE = re.compile(r"[ \t*_]*([A-ZÀ-ÞА-ЯЁ][\w'’.]*(?:[ \t]+[A-ZÀ-ÞА-ЯЁ][\w'’.]*)?)[ \t]+[-–—][ \t]+\S")
# "Budapest hosted today the fifth meeting": a city that hosts (one to three capitalised words before)
_CITY_HOSTED = re.compile(r"\b[A-ZÀ-ÞА-ЯЁ][\w'’.-]*(?:[ \t]+[A-ZÀ-ÞА-ЯЁ][\w'’.-]*){0,2}(?=[ \t]+(?:hosted|hosts|is hosting|will host)\b)")
# "Minister X, who is visiting Singapore": the place of a visit under way
_VISITING = re.compile(r"\bvisiting[ \t]+(?=[A-ZÀ-ÞА-ЯЁ])")


def find_location(text: str, sentences: list[tuple[int, int]], meeting_sents: list[int], lang: str) -> str | None:
    place = _PLACE_FIELD.search(text) if ":" in text and _has(text, "place", "venue", "location", "место") else None
    if place:
        for part in reversed(_COMMA_OR_SEMICOLON.split(place.group(1))):
            c = city_at(part.strip(), 0, lang)
            if c:
                return c
        parts = [p.strip() for p in place.group(1).split(",") if p.strip()]
        if parts:
            return parts[-1]
    # a dateline that opens the story ("ASTANA, 3 May 2024 – The talks ...") places the meeting
    for dm in _datelines(text):
        city = dm.group("city").strip(" *_")
        rest_of_line = text[dm.end():text.find("\n", dm.end()) if "\n" in text[dm.end():] else len(text)]
        if len(rest_of_line.strip()) > 40 and _looks_like_place(city) and (dm.group("date") or city.isupper()):
            c = city_at(city, 0, lang)
            if c:
                return c
            if city.isupper():
                return city.title()
    # a dateline with a dash: "Tashkent - Today, the Ambassador ..." (tried only at the starts of the
    # lines that hold a spaced dash: a multi-line pattern would be tried at every offset)
    c = _dash_dateline_city(text[:1500], lang)
    if c:
        return c
    # "held talks on 15 October in Moscow": the meeting's own sentence beats a press release's date line
    for si in meeting_sents[:4]:
        s, e = sentences[si]
        # (a sentence that names no city is passed over either way: the costlier test comes second)
        c = _city_in(text, s, e, lang)
        if c and not (_may_hold(text, _FUTURE_WORDS, s, e) and _FUTURE.search(text, s, e)):
            return c
    for dm in _datelines(text):
        city = dm.group("city").strip(" *_")
        if not _looks_like_place(city):
            continue
        if not (dm.group("date") and _DATE.search(dm.group("date"))) and not city.isupper():
            continue
        c = city_at(city, 0, lang)
        if c:
            return c
        if city.isupper():
            return city.title()
    for si in meeting_sents[4:]:
        s, e = sentences[si]
        c = _city_in(text, s, e, lang)
        if c:
            return c
    # the headline often carries it ("... hold talks in Brasília"); a kicker in capitals
    # ("OSSERVATORIO ITALIA-ASIA CENTRALE - DAILY NOTE") may stand above it
    for s, e in sentences[:3]:
        c = _city_after_in(text, s, e, lang)
        if c:
            return c
        if text[s:e].upper() != text[s:e]:
            break  # the headline: what follows is the story, where other places come up
    return None


def _dash_dateline_city(head: str, lang: str) -> str | None:
    starts = set()
    for dash in (" - ", " – ", " — "):
        first = head.find(dash[1])
        if first < 0:
            continue  # a one-character search is memchr-fast; a search for the spaced dash stops at every space
        i = head.find(dash, max(first - 1, 0))  # (it starts a character before a dash)
        while i >= 0:
            starts.add(head.rfind("\n", 0, i) + 1)
            i = head.find(dash, i + 3)
    if not starts:
        return None  # (most texts: no spaced dash, nothing to sort)
    for ls in sorted(starts):
        m = _DASH_DATELINE.match(head, ls)
        if m:
            c = city_at(m.group(1), 0, lang)
            if c:
                return c
    return None


def _city_after_in(text: str, s: int, e: int, lang: str) -> str | None:
    """The first gazetteer city after "in", "at" or "в" in text[s:e]."""
    for m in _IN_CITY.finditer(text, s, e):
        c = city_at(text, m.end(), lang)
        if c:
            return c
    return None


def _city_in(text: str, s: int, e: int, lang: str) -> str | None:
    """The place a meeting sentence names: "in/at/в <City>", "<City> hosted ...", "visiting <City>"."""
    c = _city_after_in(text, s, e, lang)
    if c:
        return c
    if text.find("host", s, e) >= 0:
        for m in _CITY_HOSTED.finditer(text, s, e):
            c = city_at(text, m.start(), lang)
            if c:
                return c
    if text.find("visiting", s, e) >= 0:
        for m in _VISITING.finditer(text, s, e):
            c = city_at(text, m.end(), lang)
            if c:
                return c
    return None


# ---------------------------------------------------------------- source

# "..., the Ministry of Foreign Affairs of Mongolia reports": a source named before a reporting verb,
# after a comma, a dash, a full stop or at the very start. The source part never holds , ; or a line
# break after its optional leading "press service": the look-ahead checks that a verb follows before
# one of them, so the costly part is only tried where it can succeed.
_REPORT_VERBS = r"(?:reports|reported|informs|informed|said|says|announced|stated|notes)\b"
_REPORT_VERB = r"[ \t]+" + _REPORT_VERBS
_REPORT_SOURCE = (
    r"(?:according\s+to\s+)?(?:the\s+)?"
    # (the look-ahead skips whole words, never backtracking: it only asks whether a verb comes)
    r"(?=(?:press\s+service|press\s+office|information\s+service)?(?:[^,;\n \t]++|[ \t](?!" + _REPORT_VERBS + "))*+[ \t]" + _REPORT_VERBS + ")"
    r"(?P<src>(?:press\s+service|press\s+office|information\s+service)?[^,;\n]{0,12}?"
    r"(?:[A-Z][\w'’.&-]*|of|the|and|for|in|on|to)(?:[ \t]+(?:[A-Z][\w'’.&-]*|of|the|and|for|in|on|to|MFA))*(?:[ \t]+(?:press[ \t]+service|press[ \t]+office|information[ \t]+service))?)"
    + _REPORT_VERB)
_REPORTS = re.compile(r"(?:,\s*|\s+--\s+|\s+—\s+|\s+–\s+|^|\.\s+)" + _REPORT_SOURCE)
# The same matches after the start of the text (where "^" no longer applies), each opening with a
# literal character so that re skips to candidates: a dash match starts at the dash, after whitespace
# (the look-behind) rather than at that whitespace; its source group is the same.
_REPORTS_AFTER_START = re.compile(r"(?:,\s*|-(?<=\s-)-\s+|—(?<=\s—)\s+|–(?<=\s–)\s+|\.\s+)" + _REPORT_SOURCE)


# The report verbs as keys of the word-start walk the modules share (store.extract.wordstarts):
# every match of _REPORTS ends with one after a space or tab, and its look-ahead stops at the first
# one after the source's start. (A search for "[ \t]" and a verb tries the verbs at every space.)
_REPORT_VERB_WORDS = ("reports", "reported", "informs", "informed", "said", "says", "announced", "stated", "notes")
assert _REPORT_VERBS == "(?:" + "|".join(_REPORT_VERB_WORDS) + r")\b"
wordstarts.register("report verbs", lambda: [(" " + w, w) for w in _REPORT_VERB_WORDS])
# What may stand between a match's first character and the words its look-ahead scans: whitespace
# (all that \s matches) and the lower-case words "according to", "the", "press service",
# "information service".
_LOWER_OR_SPACE = "abcdefghijklmnopqrstuvwxyz" + "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def _report_verbs(text: str, head: str) -> list[int]:
    """Where ``[ \t]`` and a report verb (whole word) stand in ``head``, a start of ``text``: the
    places of the space or tab, in order."""
    out = []
    for end, word in wordstarts.hits(text, "report verbs"):
        if end > len(head):
            break
        start = end - len(word)
        if start and head[start - 1] in " \t" and spelled_at(head, word, end):
            out.append(start - 1)
    return out


def _report_source(text: str, head: str, take: Callable[[str], str | None]) -> str | None:
    """The first ``take(src)`` that is not None, for the ``src`` groups of ``_REPORTS.finditer(head)``
    in order (``head``: a start of ``text``); None when there is none.

    (A callback rather than a generator: find_source stops at the first source it takes, and a
    generator left suspended there costs its close, an exception thrown into it.)

    The costly part of the pattern is its look-ahead, which reads the rest of the clause from each
    comma, full stop or dash, word by word, for a report verb. A match starting at c needs the first
    verb after c with no ",", ";" or line break between them, save whitespace and the lower-case
    words that may open the match (a line break inside "according to\nthe ..."). So the pattern is
    only tried between each verb and the last such break before it (see _verb_window), on the text up
    to the break after the verb: no match that starts before the verb reaches past that break.
    """
    verbs = _report_verbs(text, head)
    if not verbs:
        return None  # every match ends with a verb
    pos = 0  # where the next match may start
    if _may_open(head, verbs[0]):
        first = _REPORTS.match(head)
        if first:
            taken = take(first.group("src"))
            if taken is not None:
                return taken
            pos = first.end()
    prev = -1  # the verb before v: the places before it were tried with it
    for v in verbs:
        if v <= pos:
            continue  # a match from pos on needs a verb after it
        start = max(pos, prev, _verb_window(head, v))
        end = _clause_end(head, v)
        # a match starting from v on may need the text past ``end``: it is looked for again from
        # the next verb's window, on a longer text
        m = _REPORTS_AFTER_START.search(head, start, end)
        if m is not None and m.start() < v:
            taken = take(m.group("src"))
            if taken is not None:
                return taken
            pos = m.end()
            prev = -1
        else:
            prev = v
    return None


def _verb_window(text: str, v: int) -> int:
    """The first place a _REPORTS match with its look-ahead stopping at the verb at v can start.

    Before it lies a "," or ";" (the look-ahead stops there), or a line break with something between
    it and any earlier place other than whitespace and lower-case letters (what "according to the"
    or "press service" are made of); one place is kept before that something, for the second
    hyphen of "--".
    """
    lo = max(text.rfind(",", 0, v), text.rfind(";", 0, v))
    br = text.rfind("\n", lo + 1, v)
    if br < 0:
        return max(lo, 0)
    kept = len(text[lo + 1:br].rstrip(_LOWER_OR_SPACE))
    return max(lo + kept - 1, lo, 0) if kept else max(lo, 0)


def _may_open(text: str, v: int) -> bool:
    """False only when no _REPORTS match at the start of the text can reach the first verb, at v.

    Such a match opens with at most one "," or ".", then whitespace, dashes and "according to the";
    its look-ahead reads on to v and stops at any "," ";" or line break past that opening.
    """
    if max(text.rfind(",", 0, v), text.rfind(";", 0, v)) > 0:
        return False
    br = text.rfind("\n", 0, v)
    return br < 0 or len(text[:br].rstrip(_LOWER_OR_SPACE + "-—–")) <= 1


def _clause_end(text: str, v: int) -> int:
    """The first ",", ";" or line break after v, or the end of the text."""
    # (each search stops at the end found so far; written out, not as a loop over the three)
    end = text.find("\n", v)
    if end < 0:
        end = len(text)
    i = text.find(",", v, end)
    if i >= 0:
        end = i
    i = text.find(";", v, end)
    return i if i >= 0 else end


_ACCORDING = re.compile(r"\b(?:[Aa]ccording[ \t]+to|[Rr]eadout[ \t]+(?:circulated|issued|published|released)[ \t]+by|[Ss]tatement[ \t]+(?:from|by|of)|[Cc]iting)[ \t]+(?:a[ \t]+(?:statement|readout|release)[ \t]+(?:from|by|of)[ \t]+)?(?:the[ \t]+)?(?P<src>[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|of|the|and|for))*(?:[ \t]+(?:press[ \t]+service|press[ \t]+office))?)")
_RU_REPORTS = re.compile(r"(?:сообщает|сообщили|сообщил[аи]?|информирует|передает|передаёт)\s+(?P<src>[^.,;\n]{3,90})")
_SOURCE_LABEL = re.compile(r"(?im)^\s*(?:source|источник)\s*:\s*([^|\n]+)|\|\s*(?:source|источник)\s*:\s*([^|\n]+)")
_ORG_WORD = re.compile(r"(?i)\b(?:ministry|office|embassy|department|service|agency|press|government|presidency|council|commission|mfa|spokesperson|"
                       r"mission|consulate|secretariat|centre|center|wire|news|palace|chancellery|foreign\s+office|"
                       r"министерство|мид|пресс-служба|посольство|ведомство|служба)\b")


_DATELINE_SOURCE = re.compile(r"(?m)^[ \t*_]*[A-ZÀ-Þ][A-ZÀ-Þ .'-]{2,30},[ \t]+([A-Z][\w'’.&-]*(?:[ \t]+[A-Z][\w'’.&-]*){1,5})[ \t]*(?:\([A-Z]{2,6}\))?[ \t]*(?:--|—|–)")
_DRAFTED_BY_HEADER = re.compile(r"(?im)^\s*(?:drafted\s+by|prepared\s+by)\s*:\s*([^/\n]+)")
_FORWARDED_FROM_HEADER = re.compile(r"(?im)^-{3,}\s*(?:forwarded|пересылаемое)[^\n]*\n\s*(?:from|от)\s*:\s*([^<\n]+)")
_POSSESSIVE_PREFIX = re.compile(r"^[A-Z][a-z]+['’]s\s+")
_DEPARTMENT_OF_STATE = re.compile(r"(?i)department\s+of\s+state")
_LINE_END_PUNCT = re.compile(r"[.!?:;\"”»)]$")
_HEADER_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*\|\s*")
_RELEASE_OF_PREFIX = re.compile(r"(?i)^(?:press\s+release|briefing\s+note|readout|statement)\s+(?:of|by|from)\s+(?:the\s+)?")
_GENERIC_RELEASE_LABEL = re.compile(r"(?i)^(?:press\s+release|briefing\s+note|readout|news|media\s+center)$")
_LETTERHEAD_ORG_WORD = re.compile(r"(?i)(?:embassy|ministry|office|mission|consulate|department|press|mfa|permanent)\b")
_MEETING_VERB = re.compile(r"(?i)\b(?:held|met|hold|meets)\b")
_ANGLE_BRACKET_ADDRESS = re.compile(r"\s*<[^>]*>")


def find_source(text: str, meta: dict[str, str] | None = None) -> str | None:
    head = text[:2500]
    m = _SOURCE_LABEL.search(head) if ":" in head and _has(text, "source", "источник") else None
    if m:
        return (m.group(1) or m.group(2)).strip(" *_")
    # ("--" searched from the first hyphen, which memchr finds; "—" and "–" are not in most texts' alphabet)
    first = head.find("-")
    ag = None if (first < 0 or head.find("--", first) < 0) and "—" not in head and "–" not in head \
        else _DATELINE_SOURCE.search(head)
    if ag and _ORG_WORD.search(ag.group(1)):
        return ag.group(1)
    src = _report_source(text, head, _org_source)
    if src is not None:
        return src
    for rm in (_RU_REPORTS.finditer(text) if _has(text, "сообщ", "информир", "переда") else ()):
        src = rm.group("src").strip()
        if _ORG_WORD.search(src):
            return src
    for am in (_ACCORDING.finditer(text) if _has(text, "ccording", "eadout", "tatement", "citing") else ()):
        src = _trim_source(_POSSESSIVE_PREFIX.sub("", am.group("src")))  # "India's Ministry ..."
        if src and _ORG_WORD.search(src):
            return src
    dm = _DRAFTED_BY_HEADER.search(text) if _has(text, "by") and ":" in text else None
    if dm and _ORG_WORD.search(dm.group(1)):
        return dm.group(1).strip()
    # a forwarded message's sender
    fm = None if "---" not in text else _FORWARDED_FROM_HEADER.search(text)
    if fm and _ORG_WORD.search(fm.group(1)) and not _DEPARTMENT_OF_STATE.search(fm.group(1)):
        return fm.group(1).strip()
    # header lines: letterhead, "*Press release – European Council press office*", account name
    ls = [ln.strip(" *_#\t") for ln in _edge_lines(text)[0]]
    for i, ln in enumerate(ls):
        if not ln or len(ln) > 110 or ln.endswith(".") and len(ln.split()) > 4:
            continue
        if i + 1 < len(ls) and ls[i + 1].startswith("@"):
            return _strip_emoji(ln)
        if i > 0 and len(ls[i - 1]) >= 50 and not _LINE_END_PUNCT.search(ls[i - 1]):
            continue  # a hard-wrapped body line continues the sentence above: not a letterhead
        if i == 0 and not (len(ln) < 70 and _LETTERHEAD_ORG_WORD.match(ln)):
            continue  # the first line is the headline, unless it is a letterhead
        parts = [p.strip() for p in _HEADER_SEPARATOR.split(ln) if p.strip()]
        for p in parts:
            if _ORG_WORD.search(p) and not _DATE.search(p) and len(p.split()) <= 14 and not _MEETING_VERB.search(p):
                p = _RELEASE_OF_PREFIX.sub("", p)
                if _GENERIC_RELEASE_LABEL.match(p):
                    continue
                return p.rstrip(",")
    # a memo's drafter or an email's sender line
    dm = _DRAFTED_BY_HEADER.search(text) if _has(text, "by") and ":" in text else None
    if dm and _ORG_WORD.search(dm.group(1)):
        return dm.group(1).strip()
    lines = _edge_lines(text)[1]
    tail = lines[-1].strip() if lines else ""
    if tail and len(tail) < 80 and _ORG_WORD.search(tail) and not tail.endswith("."):
        return tail
    if meta:
        for key in ("forwarded_from", "site", "from"):
            val = _ANGLE_BRACKET_ADDRESS.sub("", str(meta.get(key) or "")).strip()
            if val and "@" not in val and (key == "site" or _ORG_WORD.search(val)):
                return val
    return None


def _org_source(src: str) -> str | None:
    """A reported source, trimmed, if it names an organisation (else None)."""
    src = _trim_source(src)
    return src if src and _ORG_WORD.search(src) else None


_PRESS_SERVICE_OF = re.compile(r"(?i)\bpress\s+(?:service|office)\s+of\b|\binformation\s+service\s+of\b")
_TRAILING_CONNECTOR_WORDS = re.compile(r"(?:\s+(?:and|of|the|for))+$")
_LEADING_LOWERCASE_WORDS = re.compile(r"^(?:[a-z]+\s+)+")


@lru_cache(maxsize=4096)
def _trim_source(src: str) -> str | None:
    src = src.strip().rstrip(".")
    keep = _PRESS_SERVICE_OF.search(src)
    if keep:
        src = src[keep.start():]
    else:
        src = _LEADING_LOWERCASE_WORDS.sub("", src)
    src = _TRAILING_CONNECTOR_WORDS.sub("", src)
    return src.strip(" ,") or None


_EMOJI = re.compile(r"[\U0001F000-\U0001FFFF\u2600-\u27BF\uFE0F]+")


def _strip_emoji(s: str) -> str:
    return _EMOJI.sub("", s).strip()


@lru_cache(maxsize=1)
def _home_sources() -> tuple[tuple[str, str], ...]:
    """Issuers that name no country but belong to one ("The White House" → US), from data/countries.json."""
    data = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))
    return tuple((fold(k), v) for k, v in data.get("home_sources", {}).items() if not k.startswith("_"))


_TRAILING_PLACE_PREPOSITION = re.compile(r"(?i)\b(?:to|in|at)$|(?:^|\s)(?:в|во)$")


@lru_cache(maxsize=4096)
def source_country(source: str | None) -> str | None:
    """The country a source speaks for: 'Ministry of Foreign Affairs of the Republic of Kazakhstan' → KZ."""
    if not source:
        return None
    low = fold(source)
    for phrase, code in _home_sources():
        if phrase in low:
            return code
    found = find_country_mentions(source)
    for m in found:
        before = source[:m.start].rstrip()
        if _TRAILING_PLACE_PREPOSITION.search(before):
            continue  # host country of an embassy
        return m.code
    return None


_GENERIC_TLDS = frozenset("com org net info biz int edu eu io co news media tv online site".split())
_TLD_ALIASES = {"uk": "GB"}
_US_TLDS = frozenset(("gov", "mil"))


_URL_HOST = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://([^/:?#]+)")


def url_country(meta: dict[str, Any] | None) -> str | None:
    """The country of the site a document came from: whitehouse.gov, state.gov → US; mfa.gov.kz → KZ."""
    if not meta:
        return None
    url = str(meta.get("source_url") or meta.get("url") or "")
    m = _URL_HOST.match(url.strip())
    if not m:
        return None
    labels = m.group(1).lower().rstrip(".").split(".")
    if len(labels) < 2:
        return None
    tld = labels[-1]
    if tld in _US_TLDS:
        return "US"
    if tld in _GENERIC_TLDS or len(tld) != 2:
        return None
    code = _TLD_ALIASES.get(tld, tld.upper())
    return code if resolve_country(code) == code else None


def meta_fields(text: str, title: str | None, doc_date: str | None, meta: dict[str, Any] | None,
                sentences: list[tuple[int, int]], meeting_sents: list[int], lang: str,
                cues: Any) -> dict[str, Any]:
    return {
        "title": find_title(text, title),
        "date": find_date(text, sentences, meeting_sents, doc_date, cues),
        "source": find_source(text, meta),
        "location": find_location(text, sentences, meeting_sents, lang),
    }
