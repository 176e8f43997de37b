"""Title, meeting date, source and location."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.document import Document
from store.extract import extract


def run(text: str, **kw: object) -> dict:
    return extract(Document(path=Path("t.txt"), format="txt", text=text, **kw))  # type: ignore[arg-type]


def test_date_never_from_a_past_event() -> None:
    text = ("Minister Anna Berg received Ambassador Karl Lind.\n\n"
            "They recalled the visit of President Olle Strand to Oslo on 4 November 2023.")
    assert run(text)["date"] is None


def test_partial_date_takes_the_documents_year() -> None:
    text = "On 12 March, Minister Anna Berg held talks with Ambassador Karl Lind in Oslo."
    assert run(text, date="2025-03-14")["date"] == "2025-03-12"


def test_today_is_the_documents_date_and_dateline() -> None:
    assert run("Minister Anna Berg met today with Ambassador Karl Lind.", date="2024-05-02")["date"] == "2024-05-02"
    text = "ASTANA, 3 May 2024 – Minister Anna Berg met Ambassador Karl Lind, the press service of the Kazakh MFA informs."
    rec = run(text)
    assert rec["date"] == "2024-05-03"
    assert rec["location"] == "Astana"
    assert rec["source"] == "press service of the Kazakh MFA"


def test_russian_date_and_source() -> None:
    text = ("12 марта 2025 года в Бишкеке состоялась встреча Посла Казахстана Арманa Серикова с Министром "
            "Кыргызской Республики Бакытом Осмоновым, сообщает пресс-служба МИД РК.")
    rec = run(text)
    assert rec["date"] == "2025-03-12"
    assert rec["source"] == "пресс-служба МИД РК"
    assert rec["location"] == "Бишкек"


def test_title_rules() -> None:
    assert run("Some headline here\n\nBody text.", title="Reader title")["title"] == "Reader title"
    assert run("# Kazakhstan and Chile hold talks\n\nBody.")["title"] == "Kazakhstan and Chile hold talks"
    assert run("Embassy of Chile in Astana\n@ChileInKZ\n\nAmbassador X met Y.")["title"] is None


def test_reports_source_and_place_field() -> None:
    text = ("Memo\nPlace: Ministry of Energy, Tashkent\n\nMinister Anna Berg met Ambassador Karl Lind, "
            "Ministry of Foreign Affairs of the Republic of Uzbekistan reports.")
    rec = run(text)
    assert rec["location"] == "Tashkent"
    assert rec["source"] == "Ministry of Foreign Affairs of the Republic of Uzbekistan"


@pytest.mark.parametrize("text,place", [
    # a dateline with a dash
    ("Kazakhstan and Uzbekistan discuss rivers\n\nTashkent - Today, Ambassador Anna Berg met Minister Karl Lind.", "Tashkent"),
    # a city that hosts the meeting
    ("Budapest hosted today the fifth meeting of the Strategic Council, chaired by Minister Anna Berg and "
     "Minister Karl Lind. Minister Lind recalled his visit to Vienna in 2023.", "Budapest"),
    # a visit under way
    ("Minister Anna Berg met Deputy Minister Karl Lind, who is visiting Singapore. They discussed trade.", "Singapore"),
    # the headline under a kicker in capitals
    ("OSSERVATORIO ITALIA-ASIA CENTRALE - DAILY NOTE\n\nSaidov and Tajani review the partnership in Rome\n\n"
     "Minister Saidov was received today by Minister Tajani. They recalled a visit to Milan.", "Rome"),
])
def test_where_the_meeting_took_place(text: str, place: str) -> None:
    assert run(text)["location"] == place


def test_a_place_in_the_story_below_the_headline_is_not_the_meetings() -> None:
    text = ("Readout of the President's Call with the Prime Minister\n\nThe President spoke today with the Prime "
            "Minister. He expressed condolences for the attack in Kabul.")
    assert run(text)["location"] is None


# -- the fast paths of meta.py answer as the plain patterns do ------------------------------------------

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from store.extract import meta as M  # noqa: E402

_SOURCE_PIECES = [" ", "  ", "\t", "\n", "\n\n", ",", ", ", ";", ".", ". ", "--", " -- ", " — ", " – ", "-", "according to",
                  "the", "The", "press service", "information service", "Ministry", "of", "Foreign", "Affairs",
                  "MFA", "reports", "reported", "informs", "said", "says", "announced", "stated", "notes",
                  "noted", "reportsx", "Kazakhstan", "x", "é", "İ", "\u2028", "\r",
                  # whole openings, so that most examples hold a match
                  ", the press service of the Ministry reports", ". According to the MFA, ", " -- Kazakh MFA said",
                  ",\nthe Ministry informed", "\naccording to\nthe Embassy stated"]


@given(st.lists(st.sampled_from(_SOURCE_PIECES), max_size=16), st.integers(min_value=0, max_value=80))
@settings(max_examples=800)
def test_report_sources_are_the_groups_the_whole_pattern_finds(pieces: list[str], cut: int) -> None:
    text = "".join(pieces)
    head = text[:cut]
    expected = [m.group("src") for m in M._REPORTS.finditer(head)]
    found: list[str] = []
    assert M._report_source(text, head, found.append) is None  # (append returns None: every source is read)
    assert found == expected
    # and the search stops at the first source taken
    assert M._report_source(text, head, lambda src: src) == (expected[0] if expected else None)


@given(st.lists(st.sampled_from(["a", "b c", "\n", "\n\n", " ", "\r", "\r\n", "\v", "\x1c", "\x85", "\u2028", "é",
                                 "\t"]), max_size=30))
@settings(max_examples=500)
def test_edge_lines_are_the_first_eight_and_last_three_of_splitlines(pieces: list[str]) -> None:
    text = "".join(pieces)
    lines = text.strip().splitlines()
    assert M._edge_lines(text) == (lines[:8], lines[-3:])


# the dateline gate as it was first written: two passes over the 30 characters after the capital
_TWO_PASS_GATE = re.compile(r"[ \t*_#>]*+[A-ZÀ-ÞА-ЯЁ](?:[A-Za-zÀ-ÿА-Яа-яЁё'’\- \t]{0,30}+[,.]"
                            r"|[A-Za-zÀ-ÿА-Яа-яЁё'’\- \t]{30}[ \t]++[,.])")


@given(st.lists(st.sampled_from(["A", "a", "Ё", " ", "\t", "  ", ",", ".", "-", "'", "*", "1", "\n", "abcdefghij"]),
                max_size=40))
@settings(max_examples=800)
def test_dateline_gate_is_the_two_pass_gate(pieces: list[str]) -> None:
    text = "".join(pieces)
    for i in range(len(text) + 1):
        assert (re.match(M._DATELINE_GATE_PATTERN, text[i:]) is None) == (_TWO_PASS_GATE.match(text, i) is None)


@given(st.lists(st.sampled_from(["A", "a", "Ё", " ", "\t", ",", ".", "-", "*", "1", "\n", "(", "abcdefghij", "St",
                                 "Astana", "May", "2024", "x" * 35]), max_size=30))
@settings(max_examples=1500)
def test_dateline_gate_passes_every_dateline(pieces: list[str]) -> None:
    text = "".join(pieces)
    for i in [0] + [j + 1 for j, ch in enumerate(text) if ch == "\n"]:
        if M._DATELINE.match(text, i):
            assert M._DATELINE_GATE.match(text, i)


@given(st.lists(st.sampled_from(["1", "2", "0", "9", "19", "20", "2024", "1999", " ", ".", "-", "March", "May",
                                 "of", "th", "12.03.", ","]), max_size=14))
@settings(max_examples=800)
def test_a_date_with_a_year_needs_19_or_20(pieces: list[str]) -> None:
    text = "".join(pieces)
    for m in M._DATE.finditer(text):
        if M._full_date(m) is not None:
            assert M._may_hold_year(text)


@given(st.lists(st.sampled_from(["1", "2", "12", "2024", " ", "  ", "\n", ".", ",", "-", "–", "March", "mar", "May",
                                 "sept", "Sept.", "мая", "ноября", "of", "th", "st", "x", "12.03.2024", "2024-03-12",
                                 # letters that end no month name, before a space and a digit, in either case
                                 "ref", "REF", "JUNE", "İ"]),
                max_size=16), st.integers(min_value=0, max_value=6))
@settings(max_examples=1000)
def test_date_finder_finds_what_the_whole_pattern_finds(pieces: list[str], pos: int) -> None:
    text = "".join(pieces)
    found = [(m.span(), m.group(0)) for m in M._DATE.finditer(text, pos)]
    assert found == [(m.span(), m.group(0)) for m in M._DATE_RE.finditer(text, pos)]
    assert (M._DATE.search(text) or None) == (M._DATE_RE.search(text) or None) or \
        M._DATE.search(text).span() == M._DATE_RE.search(text).span()



@given(st.lists(st.sampled_from(["1", "2", "12", "31", "2024", " ", "\n", ".", ",", "-", "/", "March", "mar", "May",
                                 "Sept.", "мая", "ноября", "of", "th", "st", "x", "12.03.2024", "2024-03-12"]),
                max_size=16))
@settings(max_examples=800)
def test_a_dates_form_is_the_group_that_closed_last(pieces: list[str]) -> None:
    # _parse reads the form from m.lastgroup: each form's group encloses its parts and closes after them
    for m in M._DATE_RE.finditer("".join(pieces)):
        forms = [f for f in ("iso", "dmy", "mdy", "num") if m.group(f)]
        assert forms[:1] == [m.lastgroup]
