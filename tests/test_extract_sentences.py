"""Sentence spans: where a readout's sentences start and end, and the fast scan behind them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.text import _BOUNDARY_THEN_SPACE, _boundaries, sentence_spans

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
    assert _spans(_boundaries(text)) == _spans(_REFERENCE.finditer(text))
    assert _spans(_BOUNDARY_THEN_SPACE.finditer(text)) == _spans(_REFERENCE.finditer(text))


def test_sentences_end_at_stops_before_capitals_and_at_paragraphs() -> None:
    text = "Mr. Nagy met the minister. They agreed to meet in 2026.\n\nNext steps\n- a visit. it went on"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Nagy met the minister.", "They agreed to meet in 2026.", "Next steps", "- a visit. it went on"]


def test_a_question_mark_ends_a_sentence_too() -> None:
    text = "Will they meet?! Yes. \u201cSoon.\u201d Then"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Will they meet?!", "Yes.", "\u201cSoon.\u201d", "Then"]
