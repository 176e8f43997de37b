"""Sentence spans: where a readout's sentences start and end, and the fast scan behind them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.text import _BOUNDARY_THEN_SPACE, _ends_with_abbreviation, _push, _wrapped, sentence_spans

# The boundary pattern as one alternation per first character, written out independently.
_REFERENCE = re.compile(r"""[.!?…\n](?:(?<=[.!?…])[.!?…]*["'»”)\]]*(?=\s+["'«“(\[]?[A-ZА-ЯЁ0-9])|(?<=\n)\s*\n"""
                        r"""|(?<=\n)(?=\s*[-•*\u2022]|\s*[A-ZА-ЯЁ0-9]))(?=(\s*))""")


def _spans(matches) -> list[tuple[int, int, int, int]]:
    return [(*m.span(), *m.span(1)) for m in matches]


PIECES = st.sampled_from([". ", ".", "..", "!", "?", "…", "\n", "\n\n", " \n", "\t", " ", "A", "b", "Д", "7",
                          '"', "'", "»", "”", ")", "]", "«", "(", "- ", "• ", "* ", "Mr.", "U.S.", "\u00a0"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=50).map("".join))
def test_the_boundary_scan_finds_what_one_regex_search_finds(text: str) -> None:
    assert _spans(_BOUNDARY_THEN_SPACE.finditer(text)) == _spans(_REFERENCE.finditer(text))


def _reference_sentence_spans(text: str) -> list[tuple[int, int]]:
    """sentence_spans as one loop over every boundary match (before line breaks after a period were left out)."""
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _REFERENCE.finditer(text):
        ms, me = m.span()
        if text[ms] == "\n":
            end = ms
            if me - ms == 1 and _wrapped(text, end):
                continue
            while end > start and text[end - 1].isspace():
                end -= 1
        else:
            if text[ms] == "." and _ends_with_abbreviation(text[max(0, ms - 8):ms + 1]):
                continue
            end = me
        if end > start:
            spans.append((start, end))
        start = m.end(1)
    _push(text, start, len(text), spans)
    return spans


SENTENCE_PIECES = st.sampled_from([".", ". ", "\n", "\n\n", " \n", "Mr.", "Dr", "e.g.", "U.S.", "x", "The", "the", "?",
                                   "!", "…", "»", ")", '"', "(", "- ", "  ", "\t", "\u00a0", "1.", "A", "x" * 30])


@settings(max_examples=3000, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=40).map("".join))
def test_sentence_spans_are_those_of_every_boundary_match(text: str) -> None:
    # _boundaries leaves out line breaks right after a period; an abbreviation's period brings them back
    assert sentence_spans(text) == _reference_sentence_spans(text)


def test_a_line_break_after_an_abbreviation_or_a_lower_case_period_still_ends_a_sentence() -> None:
    for text in ("Talks with Mr.\n\nSmith went well", "Talks with Mr. \nSmith", "It ended.\n\nthe rest", "A visit.\n- a talk"):
        assert sentence_spans(text) == _reference_sentence_spans(text), text


def test_sentences_end_at_stops_before_capitals_and_at_paragraphs() -> None:
    text = "Mr. Nagy met the minister. They agreed to meet in 2026.\n\nNext steps\n- a visit. it went on"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Nagy met the minister.", "They agreed to meet in 2026.", "Next steps", "- a visit. it went on"]


def test_a_question_mark_ends_a_sentence_too() -> None:
    text = "Will they meet?! Yes. \u201cSoon.\u201d Then"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Will they meet?!", "Yes.", "\u201cSoon.\u201d", "Then"]
