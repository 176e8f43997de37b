"""The cheap checks people.py runs before a regex search answer as the search would."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from store.extract import people as P
from store.extract.text import begin_document, plain


# letter-class strings: the four classes of store.extract.letterclasses
@given(st.text(alphabet="Ua- ", max_size=40))
@settings(max_examples=400)
def test_possessive_class_scan_finds_the_spans_of_the_plain_one(classes: str) -> None:
    plain_scan = re.compile(rb"U[Ua]*(?:-[Ua]+)*")
    raw = classes.encode("ascii")
    assert [m.span() for m in P._CAP_WORD_CLASSES.finditer(raw)] == [m.span() for m in plain_scan.finditer(raw)]


# pieces a heading is made of, in odd cases and spellings too
_PIECES = ["\n", " ", "\t", "1.", "2.\n", "\u00a0", "x", "Participants", "PARTİCİPANTS", "partıcıpants", "attendeeſ",
           "ATTENDEES", "Present", "represent", "УЧАСТНИКИ", "учаᲃᲄники", "участники", ":", "é", "Ⓐ", "-"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
@settings(max_examples=600)
def test_no_heading_is_missed_by_the_walk_gate(pieces: list[str]) -> None:
    text = "".join(pieces)
    begin_document(text)
    if P._PARTICIPANTS_HEADING_LATER.search(text) is not None:
        assert P._may_hold_heading(text)


def test_cue_needles_are_spelled_out_by_every_phrase() -> None:
    for w, gate, needles, _checks, _shared, _words in P._vocab()["cue_gated"]:
        for n in needles:
            assert n.isalpha() and len(n) >= 3
        # every alternative of the gate holds one of them
        if needles:
            body = gate.pattern
            assert any(n in body for n in needles)
    assert P._longest_literal_run(r"on\s+behalf\s+of\b") == "behalf"
    assert P._longest_literal_run(r"(?i)on\s+behalf") == ""
    assert P._needles([r",\s+who\b", r"in\s+(?:19|20)\d\d\b"]) == ()


@given(st.lists(st.sampled_from([" ", ",", "\n", "who", "on", "behalf", "of", "in", "2024", "по", "приглашению", "x"]),
                max_size=10))
@settings(max_examples=400)
def test_gated_cues_are_found_as_by_the_whole_text_search(pieces: list[str]) -> None:
    text = " ".join(pieces)
    low = plain(text)
    for w, gate, needles, _checks, _shared, _words in P._vocab()["cue_gated"]:
        if gate.search(low) is not None:
            assert not needles or any(n in low for n in needles)


@given(st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0", ",", "\n", "who", "whole", "on", "behalf", "of", "in", "Ín", "ß",
                                 "2024", "1999", "2", "19", "x", "é", "по"]), max_size=10))
@settings(max_examples=600)
def test_gated_cues_are_found_where_the_walk_finds_their_words(pieces: list[str]) -> None:
    from store.extract import wordstarts
    from store.extract.text import has_cyrillic
    for sep in ("", " "):
        text = sep.join(pieces)
        begin_document(text)
        low = plain(text)
        worded = {i for _end, i in wordstarts.hits(text, "meeting cue gates")}
        for i, (w, gate, needles, _checks, _shared, words) in enumerate(P._vocab()["cue_gated"]):
            if words is None or has_cyrillic(text):
                continue
            # Cues acts on a gate match only where its key starts a word ("whoin 2024" holds none)
            starts = [m.start() for k in range(len(low)) if (m := gate.match(low, k)) is not None]
            acted = [s for s in starts if low.startswith(w, s) and not (s and low[s - 1].isalnum() and low[s].isalnum())]
            if acted:
                assert i in worded, (text, w)


def test_headings_in_odd_spellings_pass_the_gate() -> None:
    for text in ("Memo\n1. PARTİCİPANTS:", "Memo\n\tpartıcıpants", "Memo\nATTENDEEſ", "Memo\n  Present:",
                 "Memo\nУЧАСТНИКИ", "Memo\nучаᲃᲄники", "Memo\u00a0x\n2.\nParticipants"):
        begin_document(text)
        assert P._PARTICIPANTS_HEADING_LATER.search(text) is not None, text
        assert P._may_hold_heading(text), text
    begin_document("Memo\nThe representatives met.")
    assert not P._may_hold_heading("Memo\nThe representatives met.")


_TITLE_PIECES = ["Minister", "minister", "of", "Foreign", "Affairs", "the", "Deputy", "Tashkent", "in", "H.E.", "Mr",
                 "Ambassador", ",", "\n", "\n\n", "Министр", "иностранных", "дел", "встретился", "and", "&", "-", "’s",
                 "John", "Smith", "2026", "Kazakhstan", "with", "Secretary", "General", "a.i.", "Ms.", "Grüber"]


@given(st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=14))
@settings(max_examples=500)
def test_title_walk_answers_alike_with_and_without_its_step_cache(pieces: list[str]) -> None:
    # _role_before caches _title_step's answer per ASCII token text: a cold and a warm cache give the same titles
    text = " ".join(pieces) + " Ivan Petrov met."
    begin_document(text)
    v = P._vocab()
    v["title_steps"].clear()
    answers = []
    for _ in range(2):  # cold, then warm
        S = P.Tokens(text)
        first = S.at(text.rindex("Ivan"))
        answers.append(P._role_before(S, first, text, v))
    assert answers[0] == answers[1]
    for word, kind in v["title_steps"].items():
        tok = P.Tokens(word).first_from(0)
        assert tok is not None and P._title_step(tok, v) == kind


_CUE_PHRASES = ["was held between", "WAS ATTENDED BY", "were also present", "Wére attended by", "was paid", "was",
                "meeting was also attended by", "joined by the", "under the chairmanship of", "referred to", "x", "é",
                "also took part", "also attended", "also joined", "were also on", "took place", "was held", "took",
                "talks with", "talks between", "talks on"]
# what may stand between two words: spaces, line breaks, wide and non-breaking spaces, punctuation, nothing
_GAPS = [" ", "  ", "   ", "\n", "\n ", "\t", "\u00a0", "\u2003 ", ",", ""]


@st.composite
def _cue_texts(draw: st.DrawFn) -> str:
    out = []
    for phrase in draw(st.lists(st.sampled_from(_CUE_PHRASES), max_size=5)):
        out.append(draw(st.sampled_from(_GAPS)))
        for i, word in enumerate(phrase.split(" ")):
            out.append((draw(st.sampled_from(_GAPS)) if i else "") + word)
    return "".join(out)


@given(_cue_texts())
@settings(max_examples=600)
def test_cue_keys_read_with_their_next_word_hit_wherever_their_phrases_match(text: str) -> None:
    # a key such as "was" is looked up as " was held", " was  held", " was   "...: wherever one of its
    # phrases matches at a word start, the walk has a hit that starts there
    from store.extract import wordstarts
    begin_document(text)
    low = plain(text)
    hits = wordstarts.hits(text, "meeting cues")
    starts = {end - length for end, (length, spelled, _checks, _word) in hits if spelled is None}
    for key, (length, spelled, checks, _word) in P._vocab()["cue_spaced"]:
        word = key[1:].split(" ")[0]
        if spelled is not None or len(word) == len(key) - 1:
            continue  # a key looked up by itself
        for s in range(len(low)):
            if low.startswith(word, s) and not (s and low[s - 1].isalnum()):
                if any(match(low, s) is not None for _gi, match in checks):
                    assert s in starts, (text, key)


def test_sentence_word_is_spelled_by_every_phrase_before_a_period() -> None:
    # "with" in both the phrase and the lookahead, read across the lookbehind _letter_after_scan puts in
    assert P._sentence_word("discuss", [r"discuss(?:ed|es)?\s+with\b",
                                        P._letter_after_scan(r"discuss(?:ed|es)?\b(?=[^.]*\bwith\b)")]) == "with"
    assert P._sentence_word("discuss", [r"discuss(?:ed)?\s+with\b", r"discuss(?:ed)?\s+jointly\b"]) is None
    # an optional word, or one after what may be a ".", is not required before the period
    assert P._sentence_word("meet", [r"meets?(?:\s+with)?\b"]) is None
    assert P._sentence_word("talks", [r"talks.*with\b"]) is None
    assert P._sentence_word("talks", [r"talks[^.]*\bheld\b", r"talks\s+(?:were\s+)?held\b"]) == "held"


@given(_cue_texts(), st.sampled_from(["", ".", " with.", ".with", " discussed", " Discussed trade. With", " discusses, with",
                                    " discussed with", " meeting was also. attended", " meeting was also attended",
                                    " was held. between", " video. conference", " under the\nchairmanship"]))
@settings(max_examples=300)
def test_cue_hits_without_their_sentence_word_have_no_phrase(text: str, tail: str) -> None:
    text += tail
    begin_document(text)
    low = plain(text)
    for end, (length, spelled, checks, word) in wordstarts_hits(text):
        start = end - length
        if word is None or (spelled is not None and not low.startswith(spelled, start)):
            continue
        stop = low.find(".", start)
        if low.find(word, start, stop if stop >= 0 else len(low)) < 0:
            assert all(match(low, start) is None for _gi, match in checks), (text, word)


def wordstarts_hits(text: str) -> list:
    from store.extract import wordstarts
    return wordstarts.hits(text, "meeting cues")


def test_short_cue_keys_are_read_with_their_next_word() -> None:
    keys = {k for k, _v in P._vocab()["cue_spaced"]}
    assert {" was held between", " was  held between", " was   ", " were also present", " also took part"} <= keys
    assert " was" not in keys
    assert P._next_word_keys("was", [r"was\s+held\b", r"was\s+also\s+present\b"]) == (
        " was held", " was  held", " was also present", " was also  present", " was also   ", " was  also present",
        " was  also  present", " was  also   ", " was   ")
    # the way through the optional "also" that cannot start with "took" is left out
    assert P._next_word_keys("took", [r"took\s+place\b", r"(?:also\s+)?took\s+part\b"]) == (
        " took place", " took  place", " took part", " took  part", " took   ")
    assert P._next_word_keys("also", [r"(?:also\s+)?attended\b", r"also\s+joined\b"]) == (
        " also attended", " also  attended", " also joined", " also  joined", " also   ")
    # a key with a shorter one in front of it would hit at the same place: left out
    assert P._next_word_keys("was", [r"was\s+also\b", r"was\s+also\s+present\b"]) == (
        " was also", " was  also", " was   ")
    assert P._next_word_keys("discuss", [r"discuss(?:ed)?\s+with\b"]) is None
    assert P._next_word_keys("was", [r"was\s+(?:held|attended)\b"]) == (
        " was held", " was  held", " was attended", " was  attended", " was   ")
    assert P._next_word_keys("was", [r"was\s+(?:held|\w+)\b"]) is None


@given(st.lists(st.sampled_from(["Minister", "of", "the", "and", "at", "to", "in", "OF", "The", ",", "-", "–", "—", " ",
                                 "  ", "\n", "\t", "\u00a0", "His", "Her", "Excellency", "Royal Highness", "Extraordinary",
                                 "EXTRAORDINARY", "and Plenipotentiary", "чрезвычайный", "и", "полномочный", "Посол",
                                 "x", "é", "K", "ſ", "ı"]), max_size=10))
@settings(max_examples=800)
def test_a_title_is_tidied_as_by_the_four_substitutions_in_turn(pieces: list[str]) -> None:
    role = "".join(pieces)
    plain_chain = P._WHITESPACE_RUN.sub(" ", role)
    plain_chain = P._ROLE_EDGE_FILLER.sub("", plain_chain)
    plain_chain = P._HONORIFIC_EXCELLENCY.sub("", plain_chain)
    plain_chain = P._EXTRAORDINARY_PLENIPOTENTIARY.sub("", plain_chain).strip()
    assert P._tidied_role(role) == plain_chain


@given(st.lists(st.sampled_from(["nagy", "gabor", "al", "bin", "б", "иванов", "иванова", "x", "de", "la"]), min_size=1,
                max_size=5).map(tuple), st.booleans())
@settings(max_examples=400)
def test_a_mention_with_a_persons_very_words_is_that_persons(words: tuple[str, ...], ru: bool) -> None:
    # _group sends a confirmed mention with the same words as a person straight to that person: the full test
    # holds for them (each word is its own match)
    assert P._contains(words, words, ru)
    assert all(P._same_word(w, w, ru) for w in words)
    if len(words) == 1:
        m = P.Mention(None, None, 0, 1, words)  # type: ignore[arg-type]
        assert P._single_ok(m, P.Person(words=words), [P.Person(words=words)], ru)


# Around a name after a stop and a line break: titles, courtesy words, "a.i." and "ad interim".
_AFTER_STOP = st.sampled_from(["Minister ", "Deputy Minister of Energy", "Ambassador ", "Mr. ", "a.i.", " a.i.", "ad interim",
                               " ad interim.", "Ruslan Zhaksylykov", "Zhaksylykov ", "Kovács", " met with ", " said",
                               "the ", "2027", ".", ",", ";", ":", ")", "”", "?", "!", "\n", "\n\n", " ", "\n \n",
                               "\r\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_AFTER_STOP, min_size=1, max_size=16).map("".join))
@example("Talks were held.\n\nMinister a.i.\n\nRuslan Zhaksylykov met with Kovács.")
@example("Talks were held. Minister ad interim.\nRuslan Zhaksylykov met with Kovács.")
@example("The sides met in 2027.\n\nRuslan Zhaksylykov said.\nKovács met with Ruslan Zhaksylykov.")
def test_a_name_after_a_stop_and_a_line_break_gets_the_title_the_walk_gives(text: str) -> None:
    # _role_before answers "no title" without tokenising after a stop and a line break: the same
    # records as the full walk back from the name.
    from pathlib import Path

    from store.document import Document
    from store.extract import extract

    doc = Document(path=Path("t.txt"), format="txt", text=text)
    fast = extract(doc)
    plain_test = P._after_stop_and_break
    try:
        P._after_stop_and_break = lambda *_a: False
        slow = extract(doc)
    finally:
        P._after_stop_and_break = plain_test
    assert fast == slow


_HOLD = (r"(?:held|holds?|holding)\s+(?:a\s+|an\s+|the\s+)?(?:[\w'’-]+\s+){0,5}(?:talks|round|consultations?)\b")


@given(st.lists(st.sampled_from(["held", "hold", "the", "next", "round", "of", "talks", "consultations", "x-y", "o'",
                                 " ", "  ", "\n", "\u00a0", ".", ",", "-"]), max_size=14))
@settings(max_examples=500)
def test_possessive_runs_before_whitespace_match_as_before(parts: list[str]) -> None:
    text = " ".join(parts)
    fast = re.compile(P._possessive_before_space(_HOLD))
    assert fast.pattern != _HOLD
    slow = re.compile(_HOLD)
    for s in range(len(text)):
        a, b = slow.match(text, s), fast.match(text, s)
        assert (a and a.span()) == (b and b.span()), (text, s)
    # a class that holds whitespace (or a space after it that is not \s) is left as it is
    assert P._possessive_before_space(r"[^.]+\s+x") == r"[^.]+\s+x"
    assert P._possessive_before_space(r"[a-z]+ x") == r"[a-z]+ x"


def test_a_run_before_optional_whitespace_stays_greedy() -> None:
    # "[a-z]+\s*d" on "word" needs the run to give "d" back: only whitespace that must be there makes it possessive
    for optional in (r"\s*", r"\s?", r"\s{0,2}"):
        pattern = rf"[a-z]+{optional}d"
        assert P._possessive_before_space(pattern) == pattern
        assert re.compile(P._possessive_before_space(pattern)).match("word")
    assert P._possessive_before_space(r"[a-z]+\sd") == r"[a-z]++\sd"
