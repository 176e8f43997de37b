"""Organisations: capitalised phrases around an institution word, and known acronyms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.orgs import _PHRASE, find_organizations

TEXT = ("The Ministry of Foreign Affairs of Kazakhstan (MFA) and the Office of the Prosecutor General "
        "of Hungary signed a memorandum. The OSCE, UNESCO, the U.N. and INTERPOL welcomed it; "
        "the Astana International Financial Centre will host the forum, with the UNDP and the UN.")


def test_names_acronyms_and_aliases() -> None:
    assert find_organizations(TEXT) == [
        "Ministry of Foreign Affairs of Kazakhstan", "Office of the Prosecutor General of Hungary",
        "Astana International Financial Centre", "OSCE", "UNESCO", "U.N.", "INTERPOL", "UNDP", "UN",
    ]


@pytest.mark.parametrize("text", ["UNDERLINED plans in Europe", "snake_UN and x.EU", "the G7x group", "IMFland"])
def test_an_acronym_is_a_whole_word(text: str) -> None:
    assert find_organizations(text) == []


def test_text_with_cyrillic_finds_the_same() -> None:
    # text with Cyrillic is scanned with regexes, other text takes the shared word-start walk
    assert find_organizations(TEXT + " (см. выше)") == find_organizations(TEXT)


@pytest.mark.parametrize("text,expected", [
    ("He met the staff of the Supreme Court. The Ministry of Justice will host the next round.",
     ["Supreme Court", "Ministry of Justice"]),
    ("Talks took place at the Ministry of Foreign Affairs. The Embassy of Hungary hosted a dinner.",
     ["Ministry of Foreign Affairs", "Embassy of Hungary"]),
    # an abbreviation's period ends no sentence
    ("It was signed in St. Petersburg with the U.S. Department of State.", ["U.S. Department of State"]),
])
def test_a_name_ends_with_its_sentence(text: str, expected: list[str]) -> None:
    assert find_organizations(text) == expected


def test_who_backs_or_leads_an_institution_is_not_its_name() -> None:
    text = "They joined the U.S.-led Major Economies Forum and the EU-funded Global Gateway Initiative."
    assert find_organizations(text)[:2] == ["Major Economies Forum", "Global Gateway Initiative"]


@pytest.mark.parametrize("text", [
    "ASTANA, 3 July (Kazinform) -- The sides met.",
    "**ABU DHABI, 14 January 2026** – A trilateral meeting took place.",
    "МОСКВА. КАЗИНФОРМ — Министры встретились.",
    "Readout\nJANUARY 21, 2025\nThe talks went well.",
    "6. NEXT STEPS: The council will meet in May.\n\n4. ENERGY AND MIGRATION: Both sides spoke.",
    "EAST ASIA BRIEF - Sunday edition\nThe leaders met.",
])
def test_headings_datelines_and_dates_in_capitals_are_no_acronyms(text: str) -> None:
    assert find_organizations(text) == []


def test_a_lone_acronym_before_a_colon_or_comma_still_counts() -> None:
    found = find_organizations("Action items:\nUNDP: to draft the proposal.\nCAREC, ADB and EBRD to co-finance.")
    assert sorted(found) == ["ADB", "CAREC", "EBRD", "UNDP"]


def test_an_acronym_written_out_is_listed_once_by_its_full_name() -> None:
    text = ("The United Nations and the UN Office at Nairobi were praised; the UN spoke. "
            "The EU and the European Union met the OSCE.")
    found = find_organizations(text)
    assert "United Nations" in found and "European Union" in found
    assert "UN" not in found and "EU" not in found and "OSCE" in found


def test_a_full_name_inside_a_longer_name_leaves_the_acronym() -> None:
    assert find_organizations("The United Nations Security Council met; the UN spoke.") == \
        ["United Nations Security Council", "UN"]


def test_a_full_name_mends_a_phrase_a_person_cut_short() -> None:
    text = ("Secretary General of the Organization for Security and Co-operation in Europe Feridun Sinirlioğlu "
            "thanked the hosts. The OSCE will open an office.")
    assert find_organizations(text, [(text.index("Feridun"), text.index(" thanked"))]) == \
        ["Organization for Security and Co-operation in Europe"]


@pytest.mark.parametrize("text,expected", [
    ("PRESS RELEASE\nThe Press Service reports. The Media Center said.", []),
    ("The Russian Federation and the Republic of Korea joined the Eurasian Economic Union.",
     ["Eurasian Economic Union"]),
    ("She met the Director-General of the International Renewable Energy Agency (IRENA).",
     ["International Renewable Energy Agency"]),
    ("The Government of India, the Kazakh Government and the Government of the Republic of Kazakhstan signed the "
     "Comprehensive Economic Partnership Agreement with the Asian Infrastructure Investment Bank.",
     ["Asian Infrastructure Investment Bank"]),
])
def test_labels_states_and_titles_are_no_names(text: str, expected: list[str]) -> None:
    assert find_organizations(text) == expected


def test_a_courtesy_title_left_by_a_person_cut_out_is_dropped() -> None:
    text = "Minister of State at the Ministry of Foreign Affairs Dr. Mohammed Al-Khulaifi met them."
    assert find_organizations(text, [(text.index("Mohammed"), text.index(" met"))]) == ["Ministry of Foreign Affairs"]


@given(st.lists(st.sampled_from(["Ministry", "of", "the", "Foreign", "Affairs", "UN", "U.S.", "21st", ",", ", ", " ", "  ",
                                 "\t", "-", "–", "and", "x", "é", "Ł", "’", "&", "\n", "Co-operation"]), max_size=14))
@settings(max_examples=500)
def test_a_phrase_scan_from_after_a_comma_finds_what_one_from_the_start_finds_there(pieces: list[str]) -> None:
    """find_organizations scans a line from the last comma before its first institution word."""
    text = "".join(pieces)
    whole = [m.span() for m in _PHRASE.finditer(text)]
    for c in (i for i, ch in enumerate(text) if ch == ","):
        assert [m.span() for m in _PHRASE.finditer(text, c + 1)] == [sp for sp in whole if sp[0] > c]


def _acronyms_by_the_bare_keys(text: str) -> list[tuple[int, int, str]]:
    """The acronyms as the walk found them before its keys had a space after them ("un" rather
    than "un "): every key of an acronym at a word start of the spaced text, then the test of
    what follows it in the text."""
    from store.extract.orgs import _vocab
    from store.extract.text import ascii_spaced, plain
    sp = ascii_spaced(plain(text))
    spelled: dict[str, list[str]] = {}
    for a in _vocab()["acronyms"]:
        if a.isascii():
            spelled.setdefault(ascii_spaced(a.lower()), []).append(a)
    found: dict[int, tuple[int, int, str]] = {}
    for key, acronyms in sorted(spelled.items(), key=lambda kv: len(kv[0])):  # longer ones later
        p = sp.find(key)
        while p >= 0:
            end = p + len(key) - 1
            if not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
                for a in acronyms:
                    if text.startswith(a, p):
                        found[p] = (p, end, a)
            p = sp.find(key, p + 1)
    return sorted(found.values())


_PIECES = ["UN", "un", "UNDP", "U.N.", "U.N", "EU", "OSCE", "IMF", "G7", "under", "university", "Unión",
           "UNé", "UN_", "UN's", "(", ")", ".", "-", " ", "  ", "\n", "é", "x", "1"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8))
def test_acronym_keys_with_a_space_after_find_what_the_bare_keys_found(pieces: list[str]) -> None:
    # (_word_start_keys gives each acronym key a space after it, and looks up the text's last word apart)
    from store.extract.orgs import _heads_and_acronyms, _vocab
    from store.extract.text import begin_document
    text = "".join(pieces)
    begin_document(text)
    assert _heads_and_acronyms(text, _vocab()).acronyms == _acronyms_by_the_bare_keys(text)
