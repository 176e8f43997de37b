"""Time expressions in a commitment clause -> its ``due`` value.

The rule (shared/eval/GUIDELINES.md, *commitments*): the LATEST date the clause
points to, at the text's own precision, resolved against the meeting date:

* a day ``YYYY-MM-DD``: "on 5 May 2026", "by 30 January", "(1-4 March 2026)";
* a month ``YYYY-MM``: "in October 2025", "in April", "next month";
* a part of a year as its last month: "first half of 2026" -> 2026-06,
  "third quarter" -> YYYY-09, "by the end of the year" -> YYYY-12,
  "this autumn" -> YYYY-11;
* a year ``YYYY``: "next year", "later this year", "in 2027", "by 2030",
  "within the next five years" (meeting year + 5).

Vague times ("soon", "at an early date", "в удобные сроки") give None. Dates
before the meeting date are past events mentioned in passing ("the summit held
in September 2023"), never a deadline, so they are ignored. A span of years
that names a programme's period ("the roadmap for 2025-2027") is not a
deadline either. Expressions that need the meeting date (relative ones, a
month without a year) give nothing when no anchor is known.
"""

from __future__ import annotations

import calendar
import operator
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

import ahocorasick

from store.extract.text import lower

__all__ = ["resolve_due", "resolve_dues"]

_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
# Russian month stems: the genitive ("12 ноября") and prepositional ("в ноябре")
# forms differ only in the ending.
_RU_MONTH_STEMS = (("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6),
                   ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11),
                   ("декабр", 12))
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1,
    "один": 1, "одного": 1, "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4,
    "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7,
    "семи": 7, "десять": 10, "десяти": 10,
}
# The last month of each part of a year.
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2,
               "весн": 5, "лет": 8, "осен": 11, "зим": 2}

_EN_MONTH_RE = (r"(?P<mon>january|february|march|april|may|june|july|august|september|october|"
                r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_RU_MONTH_RE = (r"(?P<mon>январ[яеь]|феврал[яеь]|марта?|марте|апрел[яеь]|ма[яйе]|июн[яеь]|"
                r"июл[яеь]|августа?|августе|сентябр[яеь]|октябр[яеь]|ноябр[яеь]|декабр[яеь])")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DASH = r"\s*[-–—]\s*"
_NUM = (r"(?P<num>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|"
        r"один|одного|два|двух|три|тр[её]х|четыре|четыр[её]х|пять|пяти|шесть|шести|семь|семи|"
        r"десять|десяти)")

Value = tuple[int, int | None, int | None]  # year, month, day
Handler = Callable[[re.Match, date | None], Value | None]


@lru_cache(maxsize=None)
def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_no(token: str) -> int:
    token = token.lower().rstrip(".")
    if token in _EN_MONTHS:
        return _EN_MONTHS[token]
    for stem, no in _RU_MONTH_STEMS:
        if token.startswith(stem):
            return no
    raise KeyError(token)


def _num(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


def _roll(month: int, day: int | None, anchor: date | None) -> int | None:
    """Year of a month (and day) given without one: the next such date on or after the meeting."""
    if anchor is None:
        return None
    if (month, day or 31) < (anchor.month, anchor.day if day else 1):
        return anchor.year + 1
    return anchor.year


def _add_months(anchor: date, n: int) -> tuple[int, int]:
    total = anchor.year * 12 + anchor.month - 1 + n
    return total // 12, total % 12 + 1


def _g(m: re.Match, name: str) -> str | None:
    """The group called name, or None when it did not match or the rule has no such group."""
    return m[name] if name in m.re.groupindex else None  # (m.groupdict() would build a dict each time)


# --- handlers: each turns a match into (year, month|None, day|None) ----------------

def _full_date(m: re.Match, anchor: date | None) -> Value | None:
    month = _month_no(m["mon"])
    day = int(m["day2"] or m["day"]) if _g(m, "day2") else int(m["day"])
    year = int(m["year"]) if m["year"] else _roll(month, day, anchor)
    if year is None or day > _month_days(year, month):
        return None
    return (year, month, day)


def _month_year(m: re.Match, anchor: date | None) -> Value | None:
    month = _month_no(m["mon"])
    year = int(m["year"]) if _g(m, "year") else _roll(month, None, anchor)
    return None if year is None else (year, month, None)


def _iso(m: re.Match, anchor: date | None) -> Value | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= _month_days(y, mo)):
        return None
    return (y, mo, d)


def _year_of(m: re.Match, anchor: date | None) -> int | None:
    """The year a part-of-year phrase refers to: explicit, "next year", or the meeting's."""
    if _g(m, "year"):
        return int(m["year"])
    if anchor is None:
        return None
    return anchor.year + (1 if _g(m, "next") else 0)


def _part_of_year(m: re.Match, anchor: date | None, end_month: int) -> Value | None:
    """A half or quarter: its last month, next year's when this year's has passed."""
    year = _year_of(m, anchor)
    if year is None:
        return None
    if anchor is not None and not _g(m, "year") and not _g(m, "next") and end_month < anchor.month:
        year += 1
    return (year, end_month, None)


def _half(m: re.Match, anchor: date | None) -> Value | None:
    first = (m["part"] or "").lower()[:2] in ("fi", "1", "h1", "пе", "i")
    return _part_of_year(m, anchor, 6 if first else 12)


_ORDINALS = {"fi": 1, "1": 1, "i": 1, "пе": 1, "se": 2, "2": 2, "ii": 2, "вт": 2,
             "th": 3, "3": 3, "iii": 3, "тр": 3, "fo": 4, "4": 4, "iv": 4, "че": 4, "la": 4}


def _quarter(m: re.Match, anchor: date | None) -> Value | None:
    part = m["part"].lower()
    q = _ORDINALS.get(part) or _ORDINALS.get(part[:2]) or _ORDINALS.get(part[:1])
    return None if q is None else _part_of_year(m, anchor, q * 3)


def _end_of_year(m: re.Match, anchor: date | None) -> Value | None:
    year = _year_of(m, anchor)
    return None if year is None else (year, 12, None)


def _end_of_month(m: re.Match, anchor: date | None) -> Value | None:
    if _g(m, "mon"):
        return _month_year(m, anchor)
    if anchor is None:
        return None
    return (*_add_months(anchor, 1 if _g(m, "next") else 0), None)


def _season_value(word: str, year: int | None, nxt: bool, anchor: date | None) -> Value | None:
    end = next(v for k, v in _SEASON_END.items() if word.lower().startswith(k))
    if year is not None:
        return (year, end, None)
    if anchor is None:
        return None
    year = anchor.year + (1 if nxt else 0)
    # Winter ends in February: the coming winter's February is next year's
    # unless the meeting is itself in January or February.
    if end == 2 and anchor.month > 2 and not nxt:
        year += 1
    if end != 2 and end < anchor.month and not nxt:
        year += 1  # "in the spring" said in June means next spring
    return (year, end, None)


def _season(m: re.Match, anchor: date | None) -> Value | None:
    year = int(m["year"]) if _g(m, "year") else None
    return _season_value(m["season"], year, bool(_g(m, "next") or _g(m, "next2")), anchor)


def _this_year(m: re.Match, anchor: date | None) -> Value | None:
    return None if anchor is None else (anchor.year, None, None)


def _next_year(m: re.Match, anchor: date | None) -> Value | None:
    return None if anchor is None else (anchor.year + 1, None, None)


def _this_month(m: re.Match, anchor: date | None) -> Value | None:
    return None if anchor is None else (anchor.year, anchor.month, None)


def _next_month(m: re.Match, anchor: date | None) -> Value | None:
    return None if anchor is None else (*_add_months(anchor, 1), None)


def _within_years(m: re.Match, anchor: date | None) -> Value | None:
    return None if anchor is None else (anchor.year + _num(m["num"]), None, None)


def _within_months(m: re.Match, anchor: date | None) -> Value | None:
    return None if anchor is None else (*_add_months(anchor, _num(m["num"])), None)


def _year_range(m: re.Match, anchor: date | None) -> Value | None:
    return (int(m["year2"]), None, None)


def _year(m: re.Match, anchor: date | None) -> Value | None:
    return (int(m["year"]), None, None)


def _p(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# Most specific first: a later pattern never claims text an earlier one matched.
_EN_RULES: list[tuple[re.Pattern, Handler]] = [
    (_p(r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"), _iso),
    # 5 May 2026 / 1-4 March 2026 / 30 January
    (_p(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:{_DASH}(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)?"
        rf"(?:\s+of)?\s+{_EN_MONTH_RE}(?:,?\s+{_YEAR})?\b"), _full_date),
    # May 5, 2026 / July 6-7
    (_p(rf"\b{_EN_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:{_DASH}(?P<day2>\d{{1,2}}))?"
        rf"\b(?:,?\s+{_YEAR})?"), _full_date),
    (_p(rf"\b(?:the\s+)?end\s+of\s+(?:(?P<next>next)\s+month|this\s+month|the\s+month|{_EN_MONTH_RE}(?:\s+{_YEAR})?)"),
     _end_of_month),
    (_p(rf"\b(?P<part>first|second|1st|2nd|h1|h2)\s+half\s+of\s+(?:{_YEAR}|(?P<next>next)\s+year|"
        r"(?:this|the(?:\s+current)?)\s+year)"), _half),
    (_p(rf"\b(?P<part>h1|h2)\s+{_YEAR}"), _half),
    (_p(r"\b(?:the\s+)?(?:(?P<part>first|second|1st|2nd)\s+half|(?P<partb>first|second)\s+six\s+months)"
        r"(?:\s+of\s+the\s+year)?\b"), lambda m, a: _half_plain(m, a)),
    (_p(rf"\b(?P<part>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?:{_YEAR}|"
        r"(?P<next>next)\s+year|(?:this|the(?:\s+current)?)\s+year))?"), _quarter),
    (_p(rf"\bq(?P<part>[1-4])\s*(?:{_YEAR})?\b"), _quarter),
    (_p(rf"\b(?:the\s+)?(?:end|close)\s+of\s+(?:{_YEAR}|(?P<next>next)\s+year|(?:this|the(?:\s+current)?)\s+year|"
        r"the\s+calendar\s+year)|\byear[-\s]end\b|\bend[-\s]of[-\s]year\b|\bend\s+of\s+the\s+current\s+year"),
     _end_of_year),
    (_p(rf"\b(?:(?P<next>next)|this|in\s+the|in|by|during\s+the|the\s+coming|the\s+upcoming)\s+"
        rf"(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?{_YEAR})?\b"), _season),
    (_p(rf"\b(?:in|by|before|until|till|from|during|for|as\s+of|no\s+later\s+than|not\s+later\s+than)\s+"
        rf"(?:early\s+|late\s+|mid-?\s*)?{_EN_MONTH_RE}(?:\s+{_YEAR})?\b"), _month_year),
    (_p(rf"\b{_EN_MONTH_RE}\s+{_YEAR}\b"), _month_year),
    (_p(r"\b(?:(?:later|earlier)\s+)?(?:this|the\s+current|the\s+present)\s+year\b"), _this_year),
    (_p(r"\b(?:next|the\s+coming|the\s+upcoming|the\s+following|the\s+next)\s+year\b|\byear\s+ahead\b"),
     _next_year),
    (_p(r"\b(?:later\s+)?this\s+month\b"), _this_month),
    (_p(r"\b(?:next|the\s+coming|the\s+following)\s+month\b"), _next_month),
    (_p(rf"\b(?:within|in|over|during)\s+(?:the\s+)?(?:next|coming|following)?\s*{_NUM}\s+years?\b"
        r"|\b(?:within|in)\s+(?:a|one)\s+year\b"), lambda m, a: _within_years_a(m, a)),
    (_p(rf"\b(?:within|in|over|during)\s+(?:the\s+)?(?:next|coming|following)?\s*{_NUM}\s+months?\b"),
     _within_months),
    # A span of years after "for" names a period ("the roadmap for 2025-2027"); a
    # span after in/by/between/during is a time for the action.
    (_p(rf"\bfor\s+(?:the\s+(?:period|years)\s+)?(?:19|20)\d\d{_DASH}(?:(?:19|20)?\d\d)\b"), None),
    (_p(rf"\b(?:in|by|until|till|through|during|between|over)\s+(?:the\s+(?:period|years)\s+)?"
        rf"(?:19|20)\d\d(?:{_DASH}|\s+and\s+|\s+to\s+)(?P<year2>(?:19|20)\d\d)\b"), _year_range),
    (_p(rf"\b(?:(?:planned|scheduled|slated|set|due|envisaged|earmarked|timed)\s+for|in|by|until|till|from|"
        rf"before|during|no\s+later\s+than|not\s+later\s+than|starting|beginning|as\s+of)\s+"
        rf"(?:early\s+|late\s+|mid-?\s*|the\s+(?:start|beginning|middle|course)\s+of\s+)?{_YEAR}\b"), _year),
    (_p(rf"\b(?:early|late|mid-?)\s*{_YEAR}\b"), _year),
]


def _half_plain(m: re.Match, anchor: date | None) -> Value | None:
    if anchor is None:
        return None
    part = (m["part"] or m["partb"] or "").lower()
    return (anchor.year, 6 if part[:1] in ("f", "1") else 12, None)


def _within_years_a(m: re.Match, anchor: date | None) -> Value | None:
    if anchor is None:
        return None
    n = _num(m["num"]) if _g(m, "num") else 1
    return (anchor.year + n, None, None)


_RU_YEAR_TAIL = r"\s*(?:г(?:ода?|\.)?|году)?"
_RU_RULES: list[tuple[re.Pattern, Handler]] = [
    (_p(r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"), _iso),
    (_p(rf"(?<!\w)(?P<day>\d{{1,2}})(?:{_DASH}(?P<day2>\d{{1,2}}))?\s+{_RU_MONTH_RE}(?:\s+{_YEAR}{_RU_YEAR_TAIL})?"),
     _full_date),
    (_p(rf"(?<!\w)(?:в|во)\s+(?P<part>первом|втором|1|2|i|ii)[-\s]*(?:м\s+)?полугодии"
        rf"(?:\s+{_YEAR}{_RU_YEAR_TAIL}|\s+(?P<next>следующего|будущего|предстоящего)\s+года|\s+(?:текущего|этого)\s+года)?"),
     _half),
    (_p(rf"(?<!\w)(?:в|во)\s+(?P<part>первой|второй)\s+половине(?:\s+{_YEAR}{_RU_YEAR_TAIL}|"
        r"\s+(?P<next>следующего|будущего|предстоящего)\s+года|\s+(?:текущего|этого)\s+года)?"), _half),
    (_p(rf"(?<!\w)(?:в|во)\s+(?P<part>первом|втором|третьем|четв[её]ртом|i|ii|iii|iv|1|2|3|4)[-\s]*(?:м\s+)?квартале"
        rf"(?:\s+{_YEAR}{_RU_YEAR_TAIL}|\s+(?P<next>следующего|будущего|предстоящего)\s+года|\s+(?:текущего|этого)\s+года)?"),
     _quarter),
    (_p(rf"(?<!\w)(?:до|к)\s+конц[ау]\s+(?:{_YEAR}{_RU_YEAR_TAIL}|(?P<next>следующего|будущего)\s+года|"
        r"(?:текущего|этого|нынешнего)\s+года|года)"), _end_of_year),
    (_p(rf"(?<!\w)(?:до|к)\s+конц[ау]\s+(?:(?P<next>следующего)\s+месяца|(?:текущего|этого)\s+месяца|{_RU_MONTH_RE})"),
     _end_of_month),
    (_p(rf"(?<!\w)(?:(?P<next>следующей|будущей)\s+)?(?P<season>весной|летом|осенью|зимой)"
        rf"(?:\s+{_YEAR}{_RU_YEAR_TAIL}|\s+(?:этого|текущего)\s+года|\s+(?P<next2>следующего|будущего)\s+года)?(?!\w)"),
     _season),
    (_p(rf"(?<!\w)(?:в|во|до|к|с|не\s+позднее)\s+{_RU_MONTH_RE}(?:\s+{_YEAR}{_RU_YEAR_TAIL})?(?!\w)"), _month_year),
    (_p(rf"(?<!\w){_RU_MONTH_RE}\s+{_YEAR}{_RU_YEAR_TAIL}"), _month_year),
    (_p(r"(?<!\w)(?:в|на|до\s+конца)?\s*(?:текущ(?:ем|ий|его)|эт(?:ом|от|ого)|нынешн(?:ем|ий|его))\s+год[уа]?(?!\w)"),
     _this_year),
    (_p(r"(?<!\w)(?:в|на)?\s*(?:следующ(?:ем|ий)|будущ(?:ем|ий)|предстоящ(?:ем|ий)|наступающ(?:ем|ий))\s+год[уа]?(?!\w)"),
     _next_year),
    (_p(r"(?<!\w)(?:в|на)?\s*(?:следующ(?:ем|ий)|будущ(?:ем|ий))\s+месяц[еа]?(?!\w)"), _next_month),
    (_p(r"(?<!\w)(?:в|на)?\s*(?:текущ(?:ем|ий)|этом)\s+месяце(?!\w)"), _this_month),
    (_p(rf"(?<!\w)(?:в\s+течение|в\s+ближайшие|за)\s+(?:ближайших\s+|следующих\s+)?{_NUM}\s+(?:лет|года?)(?!\w)"),
     _within_years),
    (_p(rf"(?<!\w)(?:в\s+течение|в\s+ближайшие|за)\s+(?:ближайших\s+|следующих\s+)?{_NUM}\s+месяц(?:ев|а)?(?!\w)"),
     _within_months),
    (_p(rf"(?<!\w)на\s+(?:период\s+)?(?:19|20)\d\d{_DASH}(?:19|20)\d\d\s*(?:годы|гг\.?)"), None),
    (_p(rf"(?<!\w)(?:в|до|к|с|по)\s+(?:19|20)\d\d{_DASH}(?P<year2>(?:19|20)\d\d){_RU_YEAR_TAIL}"), _year_range),
    (_p(rf"(?<!\w)(?:в|во|до|к|с|на|не\s+позднее|начиная\s+с)\s+(?:начале\s+|конце\s+|середине\s+)?{_YEAR}\s*(?:г(?:ода?|\.)?|году)(?!\w)"),
     _year),
]


def _end_key(v: Value) -> tuple[int, int, int, int]:
    """Sort key: the last day a value covers, then precision (a finer value wins a tie)."""
    y, mo, d = v
    last_mo = mo or 12
    last_d = d or _month_days(y, last_mo)
    return (y, last_mo, last_d, (mo is not None) + (d is not None))


def _fmt(v: Value) -> str:
    # (printf-style formatting: quicker than an f-string's format specs, the same text)
    y, mo, d = v
    if mo is None:
        return "%04d" % y
    if d is None:
        return "%04d-%02d" % (y, mo)
    return "%04d-%02d-%02d" % v


def _parse_anchor(anchor: str | None) -> date | None:
    if not anchor:
        return None
    head = anchor[:10]
    # A plain "YYYY-MM-DD" (nearly every anchor) read in C: where date.fromisoformat reads ASCII
    # text with dashes at 4 and 7 (not a week date, "2025-W40-1"), it reads the ints the split
    # below reads; where it fails ("2025- 5-05"), the split decides.
    if len(head) == 10 and head[4] == head[7] == "-" and head.isascii():
        try:
            return date.fromisoformat(head)
        except ValueError:
            pass
    try:
        parts = [int(p) for p in anchor[:10].split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _before(v: Value, anchor: date) -> bool:
    """True when the whole period of v lies before the meeting (a past event)."""
    y, mo, d = v
    if mo is None:
        return y < anchor.year
    if d is None:
        return (y, mo) < (anchor.year, anchor.month)
    return (y, mo, d) < (anchor.year, anchor.month, anchor.day)


# Every rule needs a digit or one of these words: most clauses have none and skip all rules.
_ANY_TIME = re.compile(
    r"\d|year|month|quarter|half|end|spring|summer|autumn|fall|winter|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
    r"q[1-4]|h[12]|год|лет|недел|месяц|квартал|полугод|половин|конц|весн|летом|осен|зим|январ|феврал|март|апрел|ма[йяе]|июн|июл|"
    r"август|сентябр|октябр|ноябр|декабр", re.IGNORECASE)


def _hint_words(pattern: str) -> tuple[str, ...] | None:
    """Substrings one of which any match of a rule must contain (None: no cheap test)."""
    if re.search(r"\\d|\(\?P<(?:day|year|y|num|part)>", pattern):
        return None
    words = set()
    for alt in ("year", "month", "quarter", "half", "end", "close", "spring", "summer", "autumn", "fall", "winter",
                "год", "месяц", "квартал", "полугод", "половин", "конц", "весн", "летом", "осен", "зим"):
        if alt in pattern:
            words.add(alt)
    return tuple(words) or None


def _with_hints(rules: list[tuple[re.Pattern, Handler | None]]) -> list[tuple[re.Pattern, Handler | None, tuple | None]]:
    return [(p, h, _hint_words(p.pattern)) for p, h in rules]


# What every match of each rule contains: a rule is tried only on text that has one word of each
# group (lower-cased substrings; "\\d" a digit, "\\dd" a number of one or two digits, "\\y" a
# year 19xx/20xx, "\\yy" two years; "\\ny" and "\\nm": "year" and "month" after a number and
# whitespace, see _number_before; "\\ky": a year after a word that can end rule 21's lead, see
# _year_after_lead).
_D, _DD, _Y, _YY, _NY, _NM = ("\\d",), ("\\dd",), ("\\y",), ("\\yy",), ("\\ny",), ("\\nm",)
_MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS_RU = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
_EN_NEEDS: list[tuple[tuple[str, ...], ...]] = [
    # (a day: one or two digits, with no digit on either side: after \\b, before a letter, a space or \\b)
    (_Y, ("-",)), (_DD, _MONTHS_EN), (_DD, _MONTHS_EN), (("end",),), (("half",),), (("h1", "h2"), _Y),
    (("half", "six"),), (("quarter",),), (("q1", "q2", "q3", "q4"),), (("end", "close"),),
    (("spring", "summer", "autumn", "fall", "winter"),), (_MONTHS_EN,), (_MONTHS_EN, _Y), (("year",),), (("year",),),
    (("month",),), (("month",),), (("year",), _NY), (("month",), _NM), (("for",), _Y), (_YY,), (_Y,),
    (("early", "late", "mid"), _Y),
]
_RU_NEEDS: list[tuple[tuple[str, ...], ...]] = [
    (_Y, ("-",)), (_DD, _MONTHS_RU), (("полугоди",),), (("половин",),), (("квартал",),), (("конц",),), (("конц",),),
    (("весн", "лет", "осен", "зим"),), (_MONTHS_RU,), (_MONTHS_RU, _Y),
    (("год",),), (("год",),), (("месяц",),), (("месяц",),), (("лет", "год"),), (("месяц",),), (_YY,), (_YY,), (_Y,),
]
# Words a rule's match holds in the lower-cased text, for a rule run case-sensitively on it (see
# folds_like_lower): there the words are exact (a case-insensitive regex may also match "thıs").
_EN_LOWERED_NEEDS: dict[int, tuple[tuple[str, ...], ...]] = {
    3: (("month",) + _MONTHS_EN,), 4: (("first", "second", "1st", "2nd", "h1", "h2"),),
    6: (("first", "second", "1st", "2nd"),), 7: (("first", "second", "third", "fourth", "last", "1st", "2nd", "3rd", "4th"),),
    13: (("this", "current", "present"),), 14: (("next", "coming", "following", "ahead"),), 15: (("this",),),
    16: (("next", "coming", "following"),), 21: (("\\ky",),),
}
# Words one of which every match of a rule starts with, in the lowered text (its pattern opens
# with \b and one of them: a month's name starts with its three-letter word), or with "the", then
# whitespace, then one of them (with "up" before "coming": "the upcoming year"). Such a rule's scan
# starts at the first place of one of the words the text holds, or at the last "the" before it:
# no match can start before. (A match that starts at a "the" has only whitespace, or "up", between
# it and its word, so no other "the" lies between; a match with a later word starts after the
# first word.) A pattern that opens with \b is tried at every character, at 50-110 instructions
# each; \b at the start position still sees the character before it.
_EN_LOWERED_STARTS: dict[int, tuple[frozenset[str], bool]] = {
    2: (frozenset(_MONTHS_EN), False), 3: (frozenset(("end",)), True),
    4: (frozenset(("first", "second", "1st", "2nd", "h1", "h2")), False), 5: (frozenset(("h1", "h2")), False),
    6: (frozenset(("first", "second", "1st", "2nd")), True),
    7: (frozenset(("first", "second", "third", "fourth", "last", "1st", "2nd", "3rd", "4th")), False),
    8: (frozenset(("q1", "q2", "q3", "q4")), False), 9: (frozenset(("end", "close", "year")), True),
    12: (frozenset(_MONTHS_EN), False), 14: (frozenset(("next", "coming", "following", "year")), True)}
# Runs of digits (\d\d*, not \d+: re skips ahead to a character of the class that opens a pattern,
# but a pattern that opens with a repeat is tried at every character). In ASCII text \d is [0-9],
# which re tests quicker than the Unicode category.
_DIGITS = re.compile(r"\d\d*")
_ASCII_DIGITS = re.compile(r"[0-9][0-9]*")
_YEAR_ANY = re.compile(r"(?:19|20)\d\d")


def _year_count(numbers: list[str]) -> int:
    """How many times _YEAR_ANY matches in a text whose runs of digits are numbers, in a scan of
    the text (its matches are made of digits: each lies in one run, and runs are scanned apart)."""
    count = 0
    for n in numbers:
        if len(n) == 4:
            count += n[:2] in ("19", "20")
        elif len(n) > 4:
            count += len(_YEAR_ANY.findall(n))
    return count


# _ANY_TIME's words (besides \d; q[1-4] and h[12] hold a digit).
_ANY_TIME_WORDS = frozenset((
    "year", "month", "quarter", "half", "end", "spring", "summer", "autumn", "fall", "winter", "jan", "feb", "mar",
    "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "год", "лет", "недел", "месяц", "квартал",
    "полугод", "половин", "конц", "весн", "летом", "осен", "зим", "январ", "феврал", "март", "апрел", "май", "мая",
    "мае", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"))
# The characters a case-insensitive regex matches to an ASCII or Cyrillic letter other than
# their lower case. In text without them, a case-insensitive match of a lower-case word is
# the word in text.lower(), and a lookup of the lowered text answers what a regex would.
_ODD_CASE_FOLD_CHARS = "İıſᲀᲁᲂᲃᲄᲅᲆ"


def folds_like_lower(text: str) -> bool:
    """Whether a case-insensitive regex for lower-case ASCII or Cyrillic words matches text where text.lower() holds them."""
    # (a character above U+00FF is found at once in text that has none: no scan for Latin-1 text)
    return text.isascii() or not any(c in text for c in _ODD_CASE_FOLD_CHARS)


# What _NUM matches ends with a digit or one of these words.
_NUMBER_WORD_ENDINGS = tuple(_NUMBER_WORDS)


def _number_before(low: str, unit: str) -> bool:
    """Whether unit ("year", "month") stands in low after whitespace after a digit or a number word:
    where the rules "within five years" and "in 3 months" (_NUM, then \\s+, then the unit) can match.
    (A superset: "tea year" counts, the rule decides.)"""
    i = low.find(unit)
    while i >= 0:
        # (str.isdigit holds for every character \\d matches; str.isspace is what \\s matches, and
        # what str.rstrip() strips: one C call instead of a Python step per whitespace character)
        head = low[:i].rstrip()
        j = len(head)
        if 0 < j < i and (head[-1].isdigit() or head.endswith(_NUMBER_WORD_ENDINGS)):
            return True
        i = low.find(unit, i + 1)
    return False


# The words a match of rule 21 ("in 2027", "by mid-2030", "no later than the start of 2028") can
# have right before its year, whitespace and one "-" aside: its lead words' last ones and its
# modifiers' ("early", "late", "mid"); and "of", after one of _OF_LEADS ("as of", "the start of").
_YEAR_LEAD_ENDS = ("for", "in", "by", "until", "till", "from", "before", "during", "than", "starting", "beginning",
                   "early", "late", "mid")
_OF_LEADS = ("as", "start", "beginning", "middle", "course")


def _year_after_lead(low: str, numbers: list[str]) -> bool:
    """Whether a year (19xx/20xx) stands in low after one of _YEAR_LEAD_ENDS (or "of" after one of
    _OF_LEADS), then at most one "-" and whitespace: where rule 21 can match in the lowered text (a
    superset: "bin 2026" counts, the rule decides). Many clauses with a year name it after a month,
    a noun or "half of" ("May 2026", "the 2026 summit"), where rule 21 would scan in vain.

    numbers: the runs of digits of low (lower() makes and moves no digit, so the text's runs are
    low's). A year after a lead follows a non-digit: it opens a run of digits, and is that run's
    first four digits. Each place of those four (str.find, at C speed) is then tried for a lead
    before it with str methods (no regex: one read forwards would try the lead words at every
    character, and even an anchored match costs more than these few C calls). A place inside a
    longer run fails there, since a digit stands before it.
    """
    for n in numbers:
        if len(n) < 4 or not n.startswith(("19", "20")):
            continue
        year = n[:4]
        i = low.find(year)
        while i >= 0:
            # (str.isspace is what \s matches, and what str.rstrip() strips)
            head = low[:i].rstrip()
            if head.endswith("-"):
                head = head[:-1]
            if head.endswith(_YEAR_LEAD_ENDS) or head.endswith("of") and head[:-2].rstrip().endswith(_OF_LEADS):
                return True
            i = low.find(year, i + 1)
    return False


@lru_cache(maxsize=64)
def _anchor_date(anchor: str | None) -> date | None:
    return _parse_anchor(anchor)


_VALUE = operator.itemgetter(1)  # of an automaton hit, (end, value)


def _words_in(low: str) -> set[str]:
    """Every word of the rules (and of _ANY_TIME) that the lower-cased text holds."""
    # An ASCII text holds no other word than an ASCII one: the automaton of those alone, whose
    # nodes have fewer branches to search at each character (the Cyrillic first letters are gone).
    auto = _ASCII_WORD_AUTO if low.isascii() else _WORD_AUTO
    return set(map(_VALUE, auto.iter(low)))  # (map and itemgetter: no Python step per hit)


@lru_cache(maxsize=4096)
def _rules_for(lang: str, present: frozenset[str], lowered: bool
               ) -> tuple[tuple[re.Pattern, Handler | None, tuple[str, ...] | None, tuple[str, ...] | None,
                                bool, bool], ...]:
    """The rules whose needed words and hints are all among present (words and the digit/year flags).

    With lowered, each rule's case-sensitive twin, for the lower-cased text (twice as fast as
    a case-insensitive regex; the rules are written in lower case), its witness words (see
    _witness), its start words and "the" flag (see _EN_LOWERED_STARTS) and whether every match
    holds a year (a group of its needs is only year flags; see _year_words).
    """
    out = []
    for i, (pattern, handler, hints, needs, lowered_needs) in enumerate(_RU_HINTED if lang == "ru" else _EN_HINTED):
        if lowered:
            needs += lowered_needs
        if all(not group.isdisjoint(present) for group in needs) and (hints is None or not hints.isdisjoint(present)):
            if lowered:
                starts, the = _EN_LOWERED_STARTS.get(i, (None, False)) if lang != "ru" else (None, False)
                out.append((_case_sensitive(pattern), handler, _witness(needs, present),
                            tuple(sorted(starts & present)) if starts else None, the,
                            any(group <= _YEAR_FLAGS for group in needs)))
            else:
                out.append((pattern, handler, None, None, False, False))
    return tuple(out)


def _witness(needs: tuple[frozenset[str], ...], present: frozenset[str]) -> tuple[str, ...] | None:
    """A group of at most two words one of which every match of a rule holds (in the lowered
    text, where the words are exact), to look for with str.find; None when there is none. Only
    the words the text holds count: a group of twelve months is the one month the text names."""
    groups = [group & present for group in needs if not any(w.startswith("\\") for w in group)]
    groups = [group for group in groups if len(group) <= 2]
    return tuple(sorted(min(groups, key=len))) if groups else None


# Flags of _EN_NEEDS/_RU_NEEDS (and _EN_LOWERED_NEEDS) that stand for a year (19xx/20xx) in every match.
_YEAR_FLAGS = frozenset(("\\y", "\\yy", "\\ky"))


def _year_words(numbers: list[str]) -> tuple[str, ...]:
    """The years (19xx/20xx) a text holds, from its runs of digits, as words for _all_taken: every
    match of _YEAR_ANY in the text is a place of one of them. Empty (no answer) when a run is
    longer than four digits: years inside it would need a scan of their own."""
    if max(map(len, numbers)) > 4:
        return ()
    # (in runs of at most four digits, a match of (?:19|20)\d\d is a whole run of four)
    return tuple({n for n in numbers if len(n) == 4 and n[:2] in ("19", "20")})


def _all_taken(low: str, words: tuple[str, ...], taken: list[tuple[int, int]]) -> bool:
    """Whether every place of the words in low overlaps one of the taken spans."""
    for w in words:
        i = low.find(w)
        while i >= 0:
            if not _overlaps(taken, i, i + len(w)):
                return False
            i = low.find(w, i + 1)
    return True


@lru_cache(maxsize=None)
def _case_sensitive(pattern: re.Pattern) -> re.Pattern:
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def _time_values(text: str, a: date | None, lang: str) -> list[tuple[int, int, Value]]:
    """Every time expression in text with its value, in text order, past ones (before a) left out."""
    # An ASCII text (nearly every clause) answers the questions below that look at isascii() at
    # once: its lower() is str.lower(), its words are ASCII ones, it folds like lower() and its
    # digits are [0-9]; one test instead of four.
    if text.isascii():
        low = text.lower()
        present = set(map(_VALUE, _ASCII_WORD_AUTO.iter(low)))  # (_words_in(low), and "\\d")
        lowered = True
        # (the automaton finds every digit too, as "\\d": only a text with one needs the scan
        # for runs of digits, and most clauses have none)
        numbers = _ASCII_DIGITS.findall(text) if "\\d" in present else []
    else:
        low = lower(text)
        present = _words_in(low)
        # The lowered text gives the same matches (same offsets; handlers lower-case the words
        # they read) unless it holds letters a case-insensitive regex folds otherwise.
        lowered = folds_like_lower(text)
        # One scan for every digit flag: the runs of digits of text (those of target: lower() leaves a
        # digit as it is and makes none, checked over all of Unicode in the tests).
        numbers = _DIGITS.findall(text)
    target = low if lowered else text
    digit = bool(numbers)
    # (_ANY_TIME.search(text), from the words found where the lowered text stands for text)
    if lowered:
        if not digit and _ANY_TIME_WORDS.isdisjoint(present):
            return []
    elif _ANY_TIME.search(text) is None:
        return []
    # Which of the rules' needed words and hints the text has: each rule then checks sets.
    present &= _RU_WORD_SET if lang == "ru" else _EN_WORD_SET
    # (in the lowered text the number words are as the rules spell them; a case-insensitive
    # regex also reads "ſix" as "six": there the rules decide)
    if "year" in present and (not lowered or _number_before(low, "year")):
        present.add("\\ny")
    if "month" in present and (not lowered or _number_before(low, "month")):
        present.add("\\nm")
    if digit:
        present.add("\\d")
        if min(map(len, numbers)) <= 2:  # (numbers is not empty; no Python step per number)
            present.add("\\dd")
        years = _year_count(numbers)
        if years:
            present.add("\\y")
            if years > 1:
                present.add("\\yy")
            if lowered and _year_after_lead(low, numbers):
                present.add("\\ky")
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, Value]] = []
    year_words: tuple[str, ...] | None = None  # (_year_words, when a rule first asks)
    for pattern, handler, witness, starts, the, year in _rules_for(lang, frozenset(present), lowered):
        # Every match of the rule holds one of the witness words (in the lowered text): where each
        # of them overlaps a span taken already, every match would be dropped below, so the scan
        # can add nothing (the rules run after the first one rarely find a place of their own).
        # A rule whose every match holds a year has the text's years as witnesses too ("october
        # 2026" after "in october 2026" was taken, where "dec" of "decided" fails the words).
        if taken:
            if witness and _all_taken(low, witness, taken):
                continue
            if year:
                if year_words is None:
                    year_words = _year_words(numbers)
                if year_words and _all_taken(low, year_words, taken):
                    continue
        # (starts: the words the text holds one of which each match starts with, maybe after
        # "the"; see _EN_LOWERED_STARTS)
        pos = 0
        if starts:
            pos = min(map(low.find, starts))
            if the:
                the_at = low.rfind("the", 0, pos)
                if the_at >= 0:
                    pos = the_at
        for m in pattern.finditer(target, pos):
            s, e = m.span()
            # Trim leading whitespace some optional prefixes leave in the span.
            while s < e and target[s].isspace():
                s += 1
            if s == e or taken and _overlaps(taken, s, e):
                continue
            taken.append((s, e))
            if handler is None:
                continue
            try:
                v = handler(m, a)
            except (KeyError, ValueError):
                v = None
            if v is not None:
                found.append((s, e, v))
    found.sort()
    return [f for f in found if a is None or not _before(f[2], a)]


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether text[s:e] overlaps one of the spans."""
    for ts, te in spans:
        if s < te and ts < e:
            return True
    return False


def find_times(text: str, anchor: str | None, *, lang: str = "en") -> list[tuple[int, int, str]]:
    """Every time expression in text with its resolved value: [(start, end, value)], in text order."""
    return [(s, e, _fmt(v)) for s, e, v in _time_values(text, _anchor_date(anchor), lang)]


assert len(_EN_NEEDS) == len(_EN_RULES) and len(_RU_NEEDS) == len(_RU_RULES)


def _hinted(rules: list, needs_list: list, lowered_needs: dict[int, tuple[tuple[str, ...], ...]]
            ) -> list[tuple[re.Pattern, Handler | None, frozenset | None, tuple[frozenset, ...], tuple[frozenset, ...]]]:
    return [(p, h, frozenset(hints) if hints is not None else None, tuple(frozenset(g) for g in needs),
             tuple(frozenset(g) for g in lowered_needs.get(i, ())))
            for i, ((p, h, hints), needs) in enumerate(zip(_with_hints(rules), needs_list))]


def _words(hinted: list) -> tuple[str, ...]:
    """Every word a rule of the list needs or hints at (the flags "\\d", "\\dd", "\\y", "\\yy", "\\ny", "\\nm", "\\ky" aside)."""
    out: set[str] = set()
    for _p, _h, hints, needs, lowered_needs in hinted:
        out.update(hints or ())
        for group in needs + lowered_needs:
            out.update(group)
    return tuple(sorted(out - {"\\d", "\\dd", "\\y", "\\yy", "\\ny", "\\nm", "\\ky"}))


_EN_HINTED = _hinted(_EN_RULES, _EN_NEEDS, _EN_LOWERED_NEEDS)
_RU_HINTED = _hinted(_RU_RULES, _RU_NEEDS, {})
_EN_WORD_SET = frozenset(_words(_EN_HINTED))
# (a start word the automaton does not look for would never be among the words present)
assert all(starts <= _EN_WORD_SET for starts, _the in _EN_LOWERED_STARTS.values())
_RU_WORD_SET = frozenset(_words(_RU_HINTED))


# A node looks its children up one by one in the order they were added: words added with frequent
# letters first make the common steps short (the automaton, and what it finds, are the same).
_LETTER_ORDER = {c: i for i, c in enumerate("etaoinsrhldcumfpgwybvkxjqzоеаинтсрвлкмдпуяызьбгчйхжшюцщэф")}


def _frequent_letters_first(word: str) -> list[int]:
    return [_LETTER_ORDER.get(c, len(_LETTER_ORDER)) for c in word]


def _word_automaton(words: frozenset[str], digits: bool = False) -> ahocorasick.Automaton:
    """With digits, each ASCII digit is found too, as "\\d"."""
    auto = ahocorasick.Automaton()
    for w in sorted(words, key=_frequent_letters_first):
        auto.add_word(w, w)
    if digits:  # (added last: a digit is a rare character)
        for d in "0123456789":
            auto.add_word(d, "\\d")
    auto.make_automaton()
    return auto


# Finds every word at once, overlapping ones too ("mar" in "march").
_WORD_AUTO = _word_automaton(_EN_WORD_SET | _RU_WORD_SET | _ANY_TIME_WORDS)
# (with the digits: "\\d" is no word of the rules, and present &= _EN_WORD_SET drops it; _words_in
# may use it for a non-ASCII text whose lower() is ASCII, where the same holds)
_ASCII_WORD_AUTO = _word_automaton(frozenset(w for w in _EN_WORD_SET | _RU_WORD_SET | _ANY_TIME_WORDS if w.isascii()),
                                   digits=True)


def resolve_due(phrase_or_clause: str, anchor: str | None, *, lang: str = "en") -> str | None:
    """The due value of a commitment clause (see the module docstring), or None."""
    return _due(phrase_or_clause, _anchor_date(anchor), lang)


def resolve_dues(clauses: list[str], anchor: str | None, *, lang: str = "en") -> list[str | None]:
    """resolve_due of each clause of one document: the anchor is read once for them all."""
    a = _parse_anchor(anchor)
    return [_due(clause, a, lang) for clause in clauses]


def _due(phrase_or_clause: str, a: date | None, lang: str) -> str | None:
    if not phrase_or_clause:
        return None
    found = _time_values(phrase_or_clause, a, lang)
    if not found:
        return None
    if len(found) == 1:  # (most clauses: no list of values; max would compute the lone one's key)
        return _fmt(found[0][2])
    return _fmt(max([v for _s, _e, v in found], key=_end_key))
