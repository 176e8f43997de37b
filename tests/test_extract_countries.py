"""Country mentions: names, adjectives, demonyms, look-alikes, Russian case forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.countries import country_name, find_country_mentions, resolve_country


def codes(text: str) -> list[str]:
    return [m.code for m in find_country_mentions(text)]


LOOKALIKES = [
    ("Niger and Nigeria signed; Nigerian and Nigerien experts met.", ["NE", "NG", "NG", "NE"]),
    ("Guinea, Guinea-Bissau, Equatorial Guinea and Papua New Guinea", ["GN", "GW", "GQ", "PG"]),
    ("Dominica and the Dominican Republic", ["DM", "DO"]),
    ("Congo, DR Congo and the Democratic Republic of the Congo", ["CG", "CD", "CD"]),
    ("Sudan and South Sudan; the South Sudanese minister", ["SD", "SS", "SS"]),
    ("South Korea, the Republic of Korea, the DPRK and North Korea", ["KR", "KR", "KP", "KP"]),
    ("Türkiye, also called Turkey; a Turkish firm", ["TR", "TR", "TR"]),
    ("The U.S. and the United States; an American envoy; US officials", ["US", "US", "US", "US"]),
    ("the UK and British diplomats", ["GB", "GB"]),
]


@pytest.mark.parametrize("text,expected", LOOKALIKES)
def test_lookalikes(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_a_document_finds_what_its_sentences_find() -> None:
    # a document (over 300 characters) takes the walk the modules share, a short text its own
    from store.extract.text import begin_document

    parts = [text for text, _codes in LOOKALIKES]
    document = "\n\n".join(parts)
    assert len(document) > 300
    begin_document(document)
    assert codes(document) == [code for _text, expected in LOOKALIKES for code in expected]


def test_adjectives_and_demonyms() -> None:
    found = find_country_mentions("The Kazakh side and Kazakhstani exporters met two Hungarians.")
    assert [(m.code, m.kind) for m in found] == [("KZ", "adjective"), ("KZ", "adjective"), ("HU", "demonym")]


def test_regions_and_unions_add_nothing() -> None:
    assert codes("The EU, the European Union and Central Asia; Central Asian states; the Korean Peninsula.") == []


def test_spans_are_exact() -> None:
    text = "Ties between Kazakhstan’s capital and Hungary grew."
    for m in find_country_mentions(text):
        assert text[m.start:m.end] in ("Kazakhstan", "Hungary")


def test_lowercase_words_are_not_countries() -> None:
    assert codes("a turkey for us, china plates, the chad of a woman in Romania") == ["RO"]


def test_georgia_the_us_state_is_cheaply_skipped() -> None:
    assert codes("He flew from Atlanta, Georgia to Tbilisi, Georgia.") == ["GE"]


def test_russian_case_forms() -> None:
    text = "Казахстан, Казахстана, казахстанской, Венгрии, венгерской, Республики Корея, Южной Кореи, РФ и США"
    assert codes(text) == ["KZ", "KZ", "KZ", "HU", "HU", "KR", "KR", "RU", "US"]


def test_russian_pronoun_is_not_togo_and_dollars_are_not_the_us() -> None:
    assert codes("Кроме того, объём достиг 3 млрд долларов США.") == []


def test_resolve_and_display() -> None:
    assert resolve_country("hungary") == "HU"
    assert resolve_country("Hungarian") == "HU"
    assert resolve_country("HU") == "HU"
    assert resolve_country("венгрия") == "HU"
    assert resolve_country("Central Asia") is None
    assert country_name("HU") == "Hungary"
    assert country_name("KR") == "South Korea"



@pytest.mark.parametrize("text,quick_answers", [
    ("Sino-Kazakh and Sino-Hungarian ties; the Guinea-Bissau delegation", True),
    ("Guinea-\nBissau and the United\nStates", True),
    ("Côte d'Ivoire, Cote d’Ivoire and São Tomé", True),
    ("Trans-Caspian, pan-African and Kazakh-Hungarian links; (Uzbekistan) «Tajikistan»", True),
    ("Central Asian states and the South Sudanese; Niger, Nigeria, Nigerien", True),
    ("Łódź — “Poland’s” city — and the Polish side", True),
    ("snake_case_Kazakhstan, but Kazakhstan", False),
    ("Michałhungary", False),
])
def test_the_word_start_walk_finds_what_the_folded_walk_finds(text: str, quick_answers: bool) -> None:
    # Country forms are looked up in the spaced text where it can tell, in the folded text otherwise
    # ("_" before a form): where it tells, both walks give the same mentions.
    from store.extract import countries
    from store.extract.text import fold

    quick = countries._find_spaced(text, fold(text))
    assert (quick is not None) == quick_answers
    if quick is not None:
        assert quick == countries._find_folded(text, fold(text), countries._tables()[0])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 12)), max_size=12))
def test_the_walk_hits_are_chosen_as_sorting_them_by_start_would(spans: list[tuple[int, int]]) -> None:
    # Hits as the walk reports them: by end, at one end longest first (one key per start and end).
    from store.extract import countries

    hits = sorted({(start + length, (length, (start, length))) for start, length in spans},
                  key=lambda h: (h[0], -h[1][0]))
    expected = []
    last_end = -1
    for end, (length, entries) in sorted(hits, key=lambda h: (h[0] - h[1][0], -h[1][0])):
        if end - length >= last_end:
            expected.append((end - length, end, entries))
            last_end = end + 1
    assert countries._leftmost_longest(hits) == expected


def test_the_spaced_walk_knows_every_form_but_the_russian_ones() -> None:
    # building it asserts that every form without Cyrillic has an ASCII spelling
    from store.extract import countries

    spelled = {key.strip() for key, _value in countries._word_start_keys()}
    assert len(spelled) > 800 and {"guinea bissau", "cote d ivoire", "sino", "hungarian"} <= spelled


@pytest.mark.parametrize("text", [
    "The U.S. and the U.S.A., the U.S-led bloc, the USA, US officials and the UK.",
    "UAE/U.A.E. and the DPRK's envoy; ROK, PRC, DRC and KSA; the FRG.",
    "xUS, .US, US_x, DRC2, USAID, U.K.x, 'UK', (US), US-Kazakh, the U.S.",
    "Michał US and Łódź UK; “US” — ‘UAE’",
    "We use the USSR's usual uses of US", "ends with the U.S", "ends with the US", "US", "U.S", "ROK",
])
def test_abbreviations_from_the_shared_walk_are_the_regex_ones(text: str) -> None:
    from store.extract import countries
    from store.extract.text import begin_document

    begin_document(text)
    assert countries._abbreviations_at_word_starts(text) == countries._abbreviations(text, countries._tables()[1])


_ABBREVIATION_PIECES = ["US", "U.S", "U.S.", "U.S.A.", "USA", "UK", "U.K.", "UAE", "DPRK", "use", "us", "usa",
                        "U", "S", "A", ".", " ", "\n", "_", "-", "é", "ł", "x", "1", "'", "(", ")"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_ABBREVIATION_PIECES), max_size=8))
def test_abbreviation_keys_with_a_space_after_find_the_regex_ones(pieces: list[str]) -> None:
    # (_abbreviation_keys gives " us" a space after it, and the text's last word is looked up apart)
    from store.extract import countries
    from store.extract.text import begin_document

    text = "".join(pieces)
    if not text:
        return
    begin_document(text)
    assert countries._abbreviations_at_word_starts(text) == countries._abbreviations(text, countries._tables()[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), max_size=8), st.lists(st.integers(0, 50), max_size=10))
def test_country_words_inside_names_are_dropped_and_only_those(spans: list[tuple[int, int]], starts: list[int]) -> None:
    from types import SimpleNamespace

    from store.extract import _outside
    spans = [(s, s + n) for s, n in spans]
    mentions = [SimpleNamespace(start=x) for x in starts]
    assert _outside(mentions, spans) == [m for m in mentions if not any(s <= m.start < e for s, e in spans)]
