"""store.extract.due: every `due` form of the guidelines, in English and Russian."""

from __future__ import annotations

import pytest

from store.extract.due import resolve_due

ANCHOR = "2025-10-15"  # the meeting date every relative expression is resolved against


@pytest.mark.parametrize(("phrase", "expected"), [
    # a day
    ("to open the office on 5 May 2026", "2026-05-05"),
    ("to sign the treaty on March 3, 2026", "2026-03-03"),
    ("to send the draft by 30 November", "2025-11-30"),
    ("to reply by 10 January", "2026-01-10"),            # already past this year: next January
    ("the forum in Vienna (2–4 February 2026)", "2026-02-04"),  # a range: its last day
    ("on 2026-04-01", "2026-04-01"),
    # a month
    ("to meet in October 2026", "2026-10"),
    ("to meet in December", "2025-12"),
    ("to meet in March", "2026-03"),                      # March has passed: next March
    ("to meet again next month", "2025-11"),
    ("before the end of this month", "2025-10"),
    # parts of a year, as their last month
    ("in the first half of 2026", "2026-06"),
    ("in the second half of 2026", "2026-12"),
    ("in the fourth quarter", "2025-12"),
    ("in the third quarter", "2026-09"),                  # this year's has passed: next year's
    ("in the first quarter of next year", "2026-03"),
    ("by the end of the year", "2025-12"),
    ("before the end of 2027", "2027-12"),
    ("by year-end", "2025-12"),
    ("this autumn", "2025-11"),
    ("next spring", "2026-05"),
    ("this winter", "2026-02"),
    # a year
    ("next year", "2026"),
    ("early next year", "2026"),
    ("later this year", "2025"),
    ("in the coming year", "2026"),
    ("in 2027", "2027"),
    ("by 2030", "2030"),
    ("from 2026", "2026"),
    ("within the next five years", "2030"),
    ("within three years", "2028"),
    ("between 2026 and 2028", "2028"),
    ("in 2026-2027", "2027"),
])
def test_english_forms(phrase: str, expected: str) -> None:
    assert resolve_due(phrase, ANCHOR) == expected


@pytest.mark.parametrize("phrase", [
    "at an early date", "soon", "in the near future", "at a mutually convenient time",
    "to deepen cooperation", "", "the 2026 auction round",
])
def test_vague_or_no_time_gives_none(phrase: str) -> None:
    assert resolve_due(phrase, ANCHOR) is None


def test_latest_date_wins() -> None:
    clause = "to agree a work plan for 2026–2028 in time for the council meeting in June 2026 and report by the end of 2026"
    assert resolve_due(clause, ANCHOR) == "2026-12"


def test_programme_period_is_not_a_deadline() -> None:
    assert resolve_due("to finalise the roadmap for 2026–2028 by the end of the year", ANCHOR) == "2025-12"


def test_past_dates_are_context_not_deadlines() -> None:
    clause = "to implement the outcomes of the summit held in Paris in September 2023"
    assert resolve_due(clause, ANCHOR) is None


def test_relative_times_need_an_anchor() -> None:
    assert resolve_due("next year", None) is None
    assert resolve_due("in April", None) is None
    assert resolve_due("in 2027", None) == "2027"
    assert resolve_due("on 5 May 2026", None) == "2026-05-05"


@pytest.mark.parametrize(("phrase", "expected"), [
    ("провести консультации в первом полугодии 2026 года", "2026-06"),
    ("во втором полугодии 2026 года", "2026-12"),
    ("во второй половине 2026 года", "2026-12"),
    ("в апреле 2026 года", "2026-04"),
    ("в декабре", "2025-12"),
    ("12 ноября", "2025-11-12"),
    ("до 30 января 2026 г.", "2026-01-30"),
    ("в 2027 году", "2027"),
    ("к 2030 году", "2030"),
    ("до конца года", "2025-12"),
    ("до конца 2026 года", "2026-12"),
    ("в следующем году", "2026"),
    ("в текущем году", "2025"),
    ("в четвертом квартале", "2025-12"),
    ("в I квартале 2026 года", "2026-03"),
    ("в следующем месяце", "2025-11"),
    ("осенью", "2025-11"),
    ("в течение пяти лет", "2030"),
    ("в 2026–2027 годах", "2027"),
])
def test_russian_forms(phrase: str, expected: str) -> None:
    assert resolve_due(phrase, ANCHOR, lang="ru") == expected


@pytest.mark.parametrize("phrase", ["в удобные для сторон сроки", "в ближайшее время", "план на 2026–2028 годы"])
def test_russian_vague_gives_none(phrase: str) -> None:
    assert resolve_due(phrase, ANCHOR, lang="ru") is None


# --- the digit flags the rules are picked by (due._time_values) -------------------------

import re  # noqa: E402
import sys  # noqa: E402
from datetime import date  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from store.extract import due  # noqa: E402
from store.extract.text import lower  # noqa: E402


def test_lower_keeps_digits_as_they_are() -> None:
    # _time_values reads the digits of the text for those of the lower-cased text: lower() must
    # leave every digit as it is and make none.
    digit = re.compile(r"\d")
    for i in range(sys.maxunicode + 1):
        c = chr(i)
        low = lower(c)
        if low != c:
            assert not digit.search(c) and not digit.search(low), hex(i)


_TOKENS = st.sampled_from(["5", "12", "123", "2026", "1999", "20261", "192019", "٣", "٣١", "2٠26", "may", "March",
                           "jan.", "of", "st", "th", "-", "–", " ", "  ", "\n", ",", "in", "by", "x", "(", "мая", "20"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_TOKENS, max_size=12).map("".join))
def test_digit_flags_match_the_regexes(text: str) -> None:
    numbers = (due._ASCII_DIGITS if text.isascii() else due._DIGITS).findall(text)
    assert numbers == re.findall(r"\d+", text)
    assert due._year_count(numbers) == len(due._YEAR_ANY.findall(text))
    # The day rules (they need "\\dd") match only where a number has one or two digits.
    if not any(len(n) <= 2 for n in numbers):
        for pattern, _handler in (due._EN_RULES[1], due._EN_RULES[2], due._RU_RULES[1]):
            assert pattern.search(text) is None
            assert pattern.search(lower(text)) is None


_UNIT_TOKENS = st.sampled_from(["within", "in", "over", "the", "next", "a", "one", "five", "twelve", "tea", "3", "12",
                                "٣", "year", "years", "month", "months", "Year", "ONE", " ", "  ", "\n", "\t", "\u2003",
                                ",", "-", "x", "два", "года"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_UNIT_TOKENS, max_size=10).map(" ".join) | st.lists(_UNIT_TOKENS, max_size=10).map("".join))
def test_number_before_unit_flags_match_the_regexes(text: str) -> None:
    # The rules "within five years" (17) and "in 3 months" (18) run on the lowered text only where
    # _number_before finds the unit after a number: nowhere else can they match.
    low = lower(text)
    for unit, i in (("year", 17), ("month", 18)):
        if not due._number_before(low, unit):
            assert due._case_sensitive(due._EN_RULES[i][0]).search(low) is None
    assert due.resolve_due("to meet within  five\tyears", "2025-10-15") == "2030"
    assert due.resolve_due("to agree in 3 months", "2025-10-15") == "2026-01"


_TIME_TOKENS = st.sampled_from(["in", "by", "the", "the", "thethe", "upcoming", "coming", "following", "ahead", "first",
                                "second", "half", "six", "months", "of", "next", "this",
                                "year", "year-end", "end", "close", "month", "for", "2026", "2025-2027", "q3", "h2",
                                "quarter", "third", "within", "five", "years", "3", "may", "october", "12", "-",
                                "2026-05-01", "early", "spring", "the end of", "calendar", "current", "a", "one",
                                "and", "to", "meet"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_TIME_TOKENS, max_size=14).map(" ".join))
def test_rules_skipped_for_taken_witnesses_change_nothing(text: str) -> None:
    # Every match of a rule with witness words holds one of them, so the scan _all_taken skips
    # could add nothing: the values are those of scanning every rule.
    low = text.lower()
    for pattern, _handler, witness, starts, the, year in due._rules_for("en", frozenset(due._EN_WORD_SET) | {
            "\\d", "\\dd", "\\y", "\\yy", "\\ny", "\\nm", "\\ky"}, True):
        for m in pattern.finditer(low):
            if witness:
                assert any(w in m.group() for w in witness), (pattern.pattern, m.group())
            if year:  # (the text's years are then witnesses too)
                assert due._YEAR_ANY.search(m.group()), (pattern.pattern, m.group())
            if starts:  # (the scan then starts at the first of them, or at a "the" before it)
                g = m.group()
                if the and g.startswith("the"):
                    g = g[3:].lstrip().removeprefix("up")
                assert g.startswith(starts), (pattern.pattern, m.group())
    anchor = due._anchor_date("2025-10-15")
    fast = due._time_values(text, anchor, "en")
    plain_all_taken = due._all_taken
    try:
        due._all_taken = lambda *_a: False
        assert due._time_values(text, anchor, "en") == fast
    finally:
        due._all_taken = plain_all_taken
    # Nor does a scan from the first place of a start word: the same values as a scan from 0.
    plain_rules_for = due._rules_for
    try:
        due._rules_for = lambda *a: tuple((p, h, w, None, False, y) for p, h, w, _s, _t, y in plain_rules_for(*a))
        assert due._time_values(text, anchor, "en") == fast
    finally:
        due._rules_for = plain_rules_for


def _plain_year_after_lead(low: str) -> bool:
    """_year_after_lead over every match of _YEAR_ANY, from the text alone."""
    for m in due._YEAR_ANY.finditer(low):
        j = m.start()
        while j > 0 and low[j - 1].isspace():
            j -= 1
        if j > 0 and low[j - 1] == "-":
            j -= 1
        if low.endswith(due._YEAR_LEAD_ENDS, 0, j):
            return True
        if low.endswith("of", 0, j):
            j -= 2
            while j > 0 and low[j - 1].isspace():
                j -= 1
            if low.endswith(due._OF_LEADS, 0, j):
                return True
    return False


_LEAD_TOKENS = st.sampled_from(["in", "by", "bin", "for", "mid", "early", "the start", "start", "as", "of", "course",
                                "may", "-", "--", " ", "  ", "\n", "\u2003", "2026", "1999", "20261", "192019", "12",
                                "2٠26", "٣", "x", "half"])


@settings(max_examples=800, deadline=None)
@given(st.lists(_LEAD_TOKENS, max_size=10).map("".join) | st.lists(_LEAD_TOKENS, max_size=10).map(" ".join))
def test_year_after_lead_is_the_plain_reading(low: str) -> None:
    assert due._year_after_lead(low, due._DIGITS.findall(low)) == _plain_year_after_lead(low)


def _plain_parse_anchor(anchor: str | None) -> date | None:
    """_parse_anchor without its date.fromisoformat fast path."""
    if not anchor:
        return None
    try:
        parts = [int(p) for p in anchor[:10].split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


@settings(max_examples=800, deadline=None)
@given(st.text("0123456789-- _+WT:٣", min_size=8, max_size=14)
       | st.dates().map(str) | st.tuples(st.dates().map(str), st.text("0123456789- ", max_size=3)).map("".join))
def test_parse_anchor_fast_path_reads_as_the_split(anchor: str) -> None:
    try:
        plain = _plain_parse_anchor(anchor)
    except OverflowError:
        return
    assert due._parse_anchor(anchor) == plain
