"""The one word-start walk per document that countries, meeting cues and commitment cues share."""

from __future__ import annotations

import pytest

from store.extract import wordstarts
from store.extract.text import ascii_spaced, begin_document


def test_each_module_gets_its_own_words_with_where_they_end() -> None:
    text = "On Monday the sides met in Budapest; Hungary and Kazakhstan agreed to meet again."
    begin_document(text)
    countries = [(end, payload[1][0][0]) for end, payload in wordstarts.hits(text, "countries")]
    # every form at each word start ("kazak", "kazakh", "kazakhstan"): the module picks the longest
    assert {(text.index("Hungary") + 7, "hungary"), (text.index("Kazakhstan") + 10, "kazakhstan")} <= set(countries)
    assert all(text[end - len(form):end].lower() == form for end, form in countries)
    cue_ends = {end for end, _payload in wordstarts.hits(text, "meeting cues")}
    assert text.index(" met ") + 4 in cue_ends
    assert any(payload[2] == "agre" for _end, payload in wordstarts.hits(text, "commitment cues"))


def test_the_walk_is_made_once_per_document() -> None:
    text = "The delegations of Kazakhstan and Hungary held talks."
    begin_document(text)
    assert wordstarts.hits(text, "countries") is wordstarts.hits(text, "countries")
    # any other text is walked afresh: nothing leaks from the document being extracted
    assert wordstarts.hits("Hungary", "countries") != wordstarts.hits(text, "countries")


def test_a_key_two_modules_share_reaches_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordstarts, "_providers", {})
    monkeypatch.setattr(wordstarts, "_built", [None])
    wordstarts.register("a", lambda: [(ascii_spaced("talks"), "a's talks"), (ascii_spaced("met"), "a's met")])
    wordstarts.register("b", lambda: [(ascii_spaced("talks"), "b's talks")])
    text = "They met for talks (talks-in-talks)."
    assert wordstarts.hits(text, "a") == [(8, "a's met"), (18, "a's talks"), (25, "a's talks"), (34, "a's talks")]
    assert wordstarts.hits(text, "b") == [(18, "b's talks"), (25, "b's talks"), (34, "b's talks")]
    assert [text[end - 5:end] for end, _p in wordstarts.hits(text, "b")] == ["talks"] * 3
