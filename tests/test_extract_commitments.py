"""store.extract.commitments: cues, traps, clause extent, actors and due, on invented sentences."""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.commitments import find_commitments


class Mention(NamedTuple):  # the shape of store.extract.countries.CountryMention
    code: str
    start: int
    end: int
    kind: str


COUNTRY_WORDS = {
    "Norway": "NO", "Norwegian": "NO", "Chile": "CL", "Chilean": "CL", "Chileans": "CL", "Ghana": "GH",
    "Ghanaian": "GH", "Portugal": "PT", "Portuguese": "PT", "Mongolia": "MN", "Mongolian": "MN",
    "Норвегия": "NO", "Норвегии": "NO", "норвежская": "NO", "Чили": "CL", "чилийская": "CL",
}


def mentions_of(text: str) -> list[Mention]:
    out = []
    for word, code in COUNTRY_WORDS.items():
        for m in re.finditer(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE):
            kind = "name" if word[0].isupper() and not word.endswith(("ian", "ese", "ans", "ая")) else "adjective"
            out.append(Mention(code, m.start(), m.end(), kind))
    return sorted(out, key=lambda m: m.start)


PARTIES = [
    {"name": "Ingrid Solberg", "role": "Minister of Foreign Affairs", "country": "NO"},
    {"name": "Pablo Reyes", "role": "Ambassador", "country": "CL"},
]


def parties_of(text: str, parties: list[dict] = PARTIES) -> list[dict]:
    return [dict(p, spans=[[m.start(), m.end()] for m in re.finditer(re.escape(p["name"]), text)]) for p in parties]


def run(text: str, *, date: str | None = "2025-10-15", parties: list[dict] = PARTIES, lang: str = "en") -> list[dict]:
    out = find_commitments(text, meeting_date=date, doc_date=None, mentions=mentions_of(text),
                           parties=parties_of(text, parties), lang=lang)
    for c in out:
        (s, e), = c["spans"]
        assert text[s:e] == c["text"]
    return out


INTRO = "Minister Ingrid Solberg of Norway met Ambassador Pablo Reyes of Chile in Oslo. "


# --- cues ------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The sides agreed to set up a joint working group on fisheries.",
    "The parties decided to hold annual consultations.",
    "It was agreed to open a direct flight between the capitals.",
    "The ministers concurred on expanding cooperation in mining.",
    "Norway will open a trade office in Santiago.",
    "Chile intends to send a business delegation to Oslo.",
    "The Norwegian side plans to double its scholarships.",
    "Norway is ready to share its experience in aquaculture.",
    "Chile stands ready to host the next session.",
    "The Chilean side expressed readiness to host the next session.",
    "The Norwegian side expressed interest in joint research on salmon farming.",
    "The ministers reaffirmed their intention to complete the road project.",
    "Ingrid Solberg proposed to establish a joint committee on energy.",
    "Pablo Reyes invited Ingrid Solberg to visit Chile.",
    "Pablo Reyes asked the Norwegian side to simplify visa procedures.",
    "The ministers instructed their deputies to prepare a roadmap.",
    "The next meeting of the commission is to be held in Santiago.",
    "The business forum is scheduled for the spring.",
    "Ingrid Solberg said that Norway would support the candidacy of Chile.",
    "The ministers pledged to work together on ocean protection.",
])
def test_commitment_cues(sentence: str) -> None:
    found = run(INTRO + sentence)
    assert len(found) == 1, found
    assert found[0]["text"] in sentence


# --- traps -----------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The ministers noted the importance of cooperation in fisheries.",
    "The sides highlighted the great potential of trade.",
    "Ingrid Solberg thanked Pablo Reyes for the warm welcome.",
    "The ministers signed a memorandum on cooperation in education.",
    "The parties discussed the situation in the region.",
    "The sides did not agree on the wording of the declaration.",
    "Norway will not join the initiative.",
    "Chile declined the proposal to hold a joint exercise.",
    "The summit, originally planned to take place in May, had been postponed.",
    "The roadmap agreed by the ministers in 2023 was reviewed.",
    "Ingrid Solberg expressed confidence that the visit would give new impetus to relations.",
    "They discussed the planned cable that would carry electricity to Europe.",
    "They welcomed Portugal, which will chair the forum next year.",
    "They discussed plans to build a new port.",
    "Investors pledged 2 billion dollars at the forum held in Lisbon in March 2024.",
    "Exemptions are decided case by case.",
    "The President noted that simpler visa rules would give a strong impetus to tourism.",
])
def test_non_commitments(sentence: str) -> None:
    assert run(INTRO + sentence) == []


def test_a_headline_is_not_a_commitment() -> None:
    text = "Norway and Chile will deepen ties\n\n" + INTRO + "The talks were held in a friendly atmosphere."
    assert run(text) == []


def test_analyst_comment_is_not_a_commitment() -> None:
    text = INTRO + "\n\nCOMMENT: Post will seek a fuller readout next week. END COMMENT."
    assert run(text) == []


# --- clause extent ---------------------------------------------------------------------

def test_clause_drops_an_introductory_phrase_and_keeps_the_subject() -> None:
    (c,) = run(INTRO + "Following the talks, the sides agreed to hold the next round in Oslo.")
    assert c["text"] == "the sides agreed to hold the next round in Oslo"


def test_coordinated_verbs_give_two_clauses() -> None:
    text = INTRO + ("Pablo Reyes said Chile was prepared to support Norway's initiative and confirmed that "
                    "he will attend the ocean conference in Oslo in June 2026.")
    found = run(text)
    assert [c["text"] for c in found] == [
        "Pablo Reyes said Chile was prepared to support Norway's initiative",
        "confirmed that he will attend the ocean conference in Oslo in June 2026",
    ]
    assert [c["actors"] for c in found] == [["CL"], ["CL"]]
    assert found[1]["due"] == "2026-06"


def test_clause_starts_at_the_verb_after_a_non_commitment_predicate() -> None:
    text = INTRO + "The Chilean side presented its reform agenda and invited Norwegian investors to take part in tenders."
    (c,) = run(text)
    assert c["text"] == "invited Norwegian investors to take part in tenders"
    assert c["actors"] == ["CL"]


def test_instruction_stays_with_its_agreement() -> None:
    text = INTRO + "The ministers agreed to convene a summit and tasked their officials to prepare its outcomes."
    assert len(run(text)) == 1


def test_trailing_attribution_is_dropped() -> None:
    (c,) = run(INTRO + "Norway is ready to expand cooperation with Chile across the board, Solberg said.")
    assert c["text"] == "Norway is ready to expand cooperation with Chile across the board"


def test_agreed_list_gives_one_commitment_per_item() -> None:
    text = INTRO + ("The Parties agreed:\n\n1. to raise trade to USD 1 billion by 2030;\n\n"
                    "2. to hold the next meeting in Santiago in 2026.\n")
    found = run(text)
    assert [c["text"] for c in found] == ["to raise trade to USD 1 billion by 2030",
                                          "to hold the next meeting in Santiago in 2026"]
    assert all(c["actors"] == ["CL", "NO"] for c in found)
    assert [c["due"] for c in found] == ["2030", "2026"]


def test_action_items_block() -> None:
    parties = PARTIES + [{"name": "Lars Berg", "role": "Counsellor", "country": "NO"}]
    text = ("Embassy of Norway in Santiago\nMEMO\n\n" + INTRO + "\n\nAction items:\n"
            "- L. Berg (Embassy): send the Chilean side a draft agenda - by 12 November 2025\n"
            "- Embassy to explore options for a seminar on fisheries\n")
    found = run(text, parties=parties)
    assert [c["text"] for c in found] == ["send the Chilean side a draft agenda - by 12 November 2025",
                                          "Embassy to explore options for a seminar on fisheries"]
    assert [c["actors"] for c in found] == [["NO"], ["NO"]]
    assert found[0]["due"] == "2025-11-12"


# --- actors ----------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "actors"), [
    ("The parties agreed to meet again.", ["CL", "NO"]),
    ("Both sides will continue close coordination.", ["CL", "NO"]),
    ("The two ministers agreed to expand cooperation.", ["CL", "NO"]),
    ("It was also agreed to hold the next round in Santiago.", ["CL", "NO"]),
    ("The Norwegian side expressed readiness to host the seminar.", ["NO"]),
    ("Oslo intends to open a consulate in Valparaíso.", ["NO"]),
    ("Solberg proposed a joint study on green hydrogen.", ["NO"]),
    ("The Ambassador promised to convey the proposal to his government.", ["CL"]),
    ("He will visit Oslo in the autumn.", ["CL"]),
    ("The next session of the commission is to be held in Oslo.", ["CL", "NO"]),
    ("Pablo Reyes invited Ingrid Solberg to visit Chile, and the invitation was accepted.", ["CL", "NO"]),
    ("Pablo Reyes invited Ingrid Solberg to visit Chile.", ["CL"]),
    ("Ingrid Solberg confirmed that Oslo and Santiago intend to sign the agreement.", ["CL", "NO"]),
])
def test_actor_resolution(sentence: str, actors: list[str]) -> None:
    text = INTRO + "The Ambassador thanked the hosts. " + sentence
    found = run(text)
    assert found and found[-1]["actors"] == actors


def test_international_organisation_adds_no_code() -> None:
    parties = [{"name": "Ingrid Solberg", "role": "Minister of Foreign Affairs", "country": "NO"},
               {"name": "Amina Diallo", "role": "Special Representative of the UN Secretary-General", "country": None}]
    text = ("Ingrid Solberg met Amina Diallo in Oslo. Amina Diallo said the Centre will convene a regional "
            "conference in April. The sides agreed to continue the dialogue.")
    found = run(text, parties=parties)
    assert [c["actors"] for c in found] == [[], ["NO"]]


def test_we_agreed_means_both_sides_but_we_plan_means_the_author() -> None:
    parties = [{"name": "Kofi Mensah", "role": "Ambassador", "country": "GH"},
               {"name": "Rui Costa", "role": "Deputy Minister", "country": "PT"}]
    text = ("Embassy of Ghana in Lisbon\n\nAmbassador Kofi Mensah was received by Deputy Minister Rui Costa. "
            "We agreed to prepare the first business forum. We also plan to bring Ghanaian musicians to Lisbon.")
    found = run(text, parties=parties)
    assert [c["actors"] for c in found] == [["GH", "PT"], ["GH"]]


# --- due -------------------------------------------------------------------------------

def test_due_is_resolved_against_the_meeting_date() -> None:
    found = run(INTRO + "The sides agreed to hold the next round in Santiago in the first half of next year. "
                        "Norway will host a seminar by the end of the year. They agreed to meet at an early date.")
    assert [c["due"] for c in found] == ["2026-06", "2025-12", None]


def test_due_falls_back_to_the_document_date_and_else_stays_relative() -> None:
    text = INTRO + "The sides agreed to meet again next year."
    mentions = mentions_of(text)
    (c,) = find_commitments(text, meeting_date=None, doc_date="2024-05-02", mentions=mentions,
                            parties=parties_of(text), lang="en")
    assert c["due"] == "2025"
    (c,) = find_commitments(text, meeting_date=None, doc_date=None, mentions=mentions, parties=parties_of(text), lang="en")
    assert c["due"] is None


# --- Russian ---------------------------------------------------------------------------

RU_PARTIES = [{"name": "Ингрид Сольберг", "role": "Министр иностранных дел", "country": "NO"},
              {"name": "Пабло Рейес", "role": "Посол", "country": "CL"}]
RU_INTRO = "Министр иностранных дел Норвегии Ингрид Сольберг встретилась с Послом Чили Пабло Рейесом. "


@pytest.mark.parametrize(("sentence", "actors", "due"), [
    ("По итогам встречи стороны договорились провести консультации в первом полугодии 2026 года.", ["CL", "NO"], "2026-06"),
    ("Стороны условились продолжить контакты.", ["CL", "NO"], None),
    ("Норвежская сторона выразила готовность организовать форум в 2026 году.", ["NO"], "2026"),
    ("Пабло Рейес пригласил Ингрид Сольберг посетить Чили в следующем году.", ["CL"], "2026"),
    ("Чилийская сторона предложила увеличить число стипендий.", ["CL"], None),
    ("Посол пообещал довести это предложение до сведения правительства.", ["CL"], None),
    ("Достигнута договоренность о проведении заседания комиссии до конца года.", ["CL", "NO"], "2025-12"),
])
def test_russian_commitments(sentence: str, actors: list[str], due: str | None) -> None:
    text = RU_INTRO + sentence
    found = run(text, parties=RU_PARTIES, lang="ru")
    assert len(found) == 1, found
    assert found[0]["text"] in sentence
    assert found[0]["actors"] == actors
    assert found[0]["due"] == due


@pytest.mark.parametrize("sentence", [
    "Стороны отметили важность сотрудничества.",
    "Министр поблагодарила за теплый прием.",
    "Стороны подписали меморандум.",
    "Стороны не договорились о тексте заявления.",
])
def test_russian_non_commitments(sentence: str) -> None:
    assert run(RU_INTRO + sentence, parties=RU_PARTIES, lang="ru") == []


@pytest.mark.parametrize("text", [
    "The sides agreed to meet again. It is planned that the minister will visit; it,will not.",
    "Both sides (agreeing fully) will–as agreed–“proceed”; the agrée clause; 3will; x-will",
    "Action items:\n- The Hungarian side will send the draft.\nFollow-up: to\u2003do list.",
    "The invitation was gratefully accepted.\u2003It\u2003is\u2003expected that they will sign in May.",
    "Kovács and Michał will sign; Łódź will host, is\tto be confirmed.",
    # triggers found with the start of the next word: one space, more, other whitespace, capitals
    "They were ready to sign; were  ready to; were\n\nalso keen to; WERE FULLY PREPARED TO; were\u2003eager for",
    "It was agreed; it  was decided; It\nwas also agreed; it was discussed; it wasn't; it. was agreed",
    "The summit is to be held; is due to start; are to meet; was scheduled; is set to; was expected to be held",
    "They were discussed; was paid; were reviewed; is ready,to; are (ready to go); were-ready to; is  to go",
])
def test_the_shared_walk_finds_the_cues_of_the_own_walk(text: str) -> None:
    # English text takes its cues from the walk the modules share, other text from a walk of its
    # own: on English text both give the same cues, and the flags of every heading or acceptance
    from store.extract import commitments
    from store.extract.text import lower_aligned

    low = lower_aligned(text)
    shared, shared_flags = commitments._cues_at_word_starts(text, low)
    own, own_flags = commitments._cues_in_spaced_low(text, low, True, "en")
    assert shared and sorted(m.span() for m in shared) == sorted(m.span() for m in own)
    assert shared_flags == own_flags


@pytest.mark.parametrize("text", [
    "Yılmaz said they were poısed to sign; it wıll not; they were alſo keen to; ıt was agreed.",
    "The sides agreed to meet. Yılmaz WILL visit; they are ſcheduled to meet; it was \u212aept; were fırmly ready to",
    "Action items:\n- Yılmaz will send the draft.\nThe invitation was accepted; they ſhall, is\tto be confirmed.",
])
def test_the_shared_walk_finds_the_cues_of_the_own_walk_where_letters_fold_otherwise(text: str) -> None:
    # English text with "ı", "ſ" or "K" (no "İ") takes its cues from the shared walk too, the cue
    # regexes run case-insensitively on the text: the same cues as its own walk
    from store.extract import commitments
    from store.extract.due import folds_like_lower
    from store.extract.text import lower_aligned

    assert not folds_like_lower(text) and "\u0130" not in text
    low = lower_aligned(text)
    shared, _flags = commitments._cues_at_word_starts(text, low, False)
    own, _own_flags = commitments._cues_in_spaced_low(text, low, False, "en")
    assert shared and sorted(m.span() for m in shared) == sorted(m.span() for m in own)


def test_plain_spells_what_a_case_insensitive_regex_takes_for_an_ascii_letter() -> None:
    # What _cues_at_word_starts relies on where letters fold otherwise: every character that a
    # case-insensitive regex matches to an ASCII letter is that letter in plain(), "İ" alone aside
    import re
    import sys

    from store.extract.text import plain

    any_letter = re.compile("[a-z]", re.I)  # (a quick first test: the same characters as the letters')
    letters = {x: re.compile(x, re.I) for x in "abcdefghijklmnopqrstuvwxyz"}
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp < 0xE000 or cp == 0x130 or not any_letter.fullmatch(chr(cp)):
            continue
        c = chr(cp)
        for x, p in letters.items():
            if p.fullmatch(c):
                assert plain("a" + c + "a") == "a" + x + "a", hex(cp)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from store.extract import commitments as _commitments  # noqa: E402


def _plain_abbreviation_before(text: str, ms: int) -> bool:
    """_abbreviation_before without its fast path for a word no abbreviation ends like."""
    w = _commitments._is_word_char
    if ms == 0 or not w(text[ms - 1]):
        return False
    if ms == 1 or not w(text[ms - 2]):
        return True
    if text[ms - 2:ms] not in _commitments._ABBREVIATION_ENDINGS:
        return False
    for n in _commitments._ABBREVIATION_LENGTHS:
        if n <= ms and text[ms - n:ms] in _commitments._ABBREVIATIONS and (n == ms or not w(text[ms - n - 1])):
            return True
    return False


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["Mr", "Dr", "e", "g", "H", "E", "etc", "les", "r", "D", "1", "_", " ", "(", "гг",
                                 "Sept", "St", "a"]), max_size=6).map("".join))
def test_abbreviation_before_fast_path_is_the_plain_rule(word: str) -> None:
    text = word + ". Next"
    assert _commitments._abbreviation_before(text, len(word)) == _plain_abbreviation_before(text, len(word))


def _sentence_at_by_run_cuts(text: str, p: int) -> tuple[int, int]:
    """_sentence_at without its fast path for a run of one mark and whitespace (every run's cuts from _run_cuts)."""
    fast = _commitments._kept_mark_cut
    _commitments._kept_mark_cut = lambda text, rs, re_: -1
    try:
        return _commitments._sentence_at(text, p)
    finally:
        _commitments._kept_mark_cut = fast


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["The sides", "agreed", "will", "to", "meet", "Mr", "e.g", "etc", "x", " ", "  ", ".",
                                 ". ", ".  ", ";", "; ", "!", "? ", "…", "\n", "\n\n", ". \n", ".\n\n", ":\n", "\t",
                                 "- ", "• ", "1. ", "(a) ", '"', "» ", ")", "Heading", "next", "2026"]),
                max_size=20).map("".join))
def test_sentence_at_fast_path_is_the_plain_rule(text: str) -> None:
    for p, c in enumerate(text):
        if c.isalpha():
            assert _commitments._sentence_at(text, p) == _sentence_at_by_run_cuts(text, p), (text, p)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["and", "And", "but", "while", "и", " ", "\n", "-", "•", ",", ";", ":", ".", "x", "The",
                                 "sides", "agreed"]), max_size=12).map("".join))
def test_trim_keeps_a_span_it_dropped_no_conjunction_from(text: str) -> None:
    s, e, conj = _commitments._trim_telling(text, 0, len(text))
    assert (s, e) == _commitments._trim(text, 0, len(text))
    if not conj:
        assert _commitments._trim(text, s, e) == (s, e)


# Phrases around the short triggers whose walk keys spell what may follow them ("were", "it", "is"...):
# a trigger, an adverb or none, a word that may or may not make a cue, and what follows.
_CUE_TRIGGERS = ["were", "it", "it was", "was", "is", "are", "WERE", "It was", "they were", "stand", "would"]
_CUE_ADVERBS = ["", "also", "further", "now", "fully", "firmly", "still", "was", "not"]
_CUE_WORDS = ["ready", "keen", "prepared", "agreed", "decided", "emphasised", "discussed", "to be held", "due to",
              "scheduled", "set to", "on the agenda", "to", "willing"]
_CUE_AFTER = ["to", "for", "meet", "", "."]


def _same_cues_from_both_walks(text: str) -> None:
    from store.extract import commitments
    from store.extract.text import lower_aligned

    low = lower_aligned(text)
    shared, _flags = commitments._cues_at_word_starts(text, low)
    own, _own_flags = commitments._cues_in_spaced_low(text, low, True, "en")
    assert sorted(m.span() for m in shared) == sorted(m.span() for m in own), text


def test_the_shared_walk_finds_every_cue_its_keys_are_written_for() -> None:
    # The walk's keys for "were", "it" and the other short triggers spell the words that may follow
    # them in a cue (written out beside the cue patterns): they must still find every cue the own
    # walk, which looks the bare trigger up, finds. Every phrase of the pieces, with single spaces.
    for trigger, adverb, word, after in itertools.product(_CUE_TRIGGERS, _CUE_ADVERBS, _CUE_WORDS, _CUE_AFTER):
        _same_cues_from_both_walks(" ".join(p for p in (trigger, adverb, word, after) if p))


_GAP = st.sampled_from([" ", " ", "  ", "\n", "\u2003", "\t", "-", ",", " \n "])
_CUE_PHRASE = st.tuples(st.sampled_from(_CUE_TRIGGERS), _GAP, st.sampled_from(_CUE_ADVERBS), _GAP,
                        st.sampled_from(_CUE_WORDS), _GAP, st.sampled_from(_CUE_AFTER)).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CUE_PHRASE, min_size=1, max_size=4).map(". ".join))
def test_the_shared_walk_finds_every_cue_whatever_the_whitespace(text: str) -> None:
    # The same with whitespace of several kinds and widths between the words.
    _same_cues_from_both_walks(text)
