"""The lazy token reader of people.py gives exactly the tokens of a scan from the start."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract import people
from store.extract.people import _ARABIC_PARTICLE, _SKIP, _TOKEN, Tokens
from store.extract.text import plain


def eager(text: str) -> list[tuple[str, int, int, str, bool, bool]]:
    """The reference: every token of the text, read from the start."""
    flat = plain(text)
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        if t in _SKIP:
            continue
        s, e = m.span()
        c = t[0]
        if ("'" in t or "’" in t) and t.endswith(("'s", "’s", "'S", "’S")) and len(t) > 2:
            out.append((text[s:e - 2], s, e - 2, flat[s:e - 2], c.isupper(), c.isalpha()))
            out.append((text[e - 2:e], e - 2, e, "'s", False, False))
            continue
        out.append((t, s, e, flat[s:e], c.isupper() or bool(_ARABIC_PARTICLE.match(t)), c.isalpha()))
    return out


def as_tuple(t) -> tuple:
    return (t.text, t.start, t.end, t.low, t.cap, t.word)


ALPHABET = st.sampled_from(list("aAbBzZ éÉßİı-'’.,*#_\n\t5") + ["al-", "Hungary's ", "O'Neil", "Abdul-Aziz", "al-Thani",
                                                                  "McDonald", "Мирзиёев", " и ", "¹", "Ⅳ", "5Th"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_lazy_tokens_equal_a_scan_from_the_start(text: str) -> None:
    check_lazy_tokens(text)


def walk_forward(s: Tokens) -> list[tuple]:
    """Every token of the reader's text, read with first_from and next."""
    forward = []
    t = s.first_from(0)
    while t is not None:
        forward.append(as_tuple(t))
        t = s.next(t)
    return forward


def check_lazy_tokens(text: str) -> None:
    ref = eager(text)
    assert walk_forward(Tokens(text)) == ref
    # backwards from the end, on a fresh reader
    s2 = Tokens(text)
    if ref:
        last = s2.at(ref[-1][1])
        back = []
        while last is not None:
            back.append(as_tuple(last))
            last = s2.prev(last)
        assert back[::-1] == ref
    # capitalised starts
    s3 = Tokens(text)
    assert [as_tuple(t) for t in s3.cap_starts()] == [r for r in ref if r[5] and r[4]]
    # next() after cap_starts, which reuses a token made after one space (a name's next word)
    assert walk_forward(s3) == ref


# Whole words, words with a stop and the separators around them: the chunks Tokens reads without a regex.
WORDS = st.sampled_from(["President", "minister", "Minister,", "Tokayev.", "J.", "al-Thani", "Hungary's", "Ибрагим,",
                         "Ⅳ", "x_y", "5", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", ",", ".", ")", "»", "”", "*",
                         "#", "(", "-", "’", "?", ";", ":"])


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=40).map("".join))
def test_lazy_tokens_on_word_chunks_equal_a_scan_from_the_start(text: str) -> None:
    check_lazy_tokens(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=20).map("".join))
def test_the_word_before_a_name_is_read_as_the_mirrored_text_reads_it(text: str) -> None:
    # _plain_word_before and Tokens._chunk_behind read the chunk before an offset without the mirrored
    # text where they can: the same answers as _CHUNK_BEHIND on the mirror
    from store.extract.people import _CHUNK_BEHIND, _plain_word_before, _vocab
    v = _vocab()
    text = text + " Name"
    flat = plain(text)
    mirror, n = text[::-1], len(text)
    for pos in range(len(text) + 1):
        m = _CHUNK_BEHIND.match(mirror, n - pos)
        want = None if m is None else (n - m.end(2), n - m.start(2), m.end(1) > m.start(1))
        assert Tokens(text)._chunk_behind(pos) == want
        if pos > 1 and text[pos - 1] == " " and text[text.rfind(" ", 0, pos - 1) + 1:pos - 1].isalpha():
            s = text.rfind(" ", 0, pos - 1) + 1
            plain_word = flat[s:pos - 1] not in v["title_words"]
        elif want is None:
            plain_word = False
        else:
            plain_word = text[want[0]:want[1]].isalpha() and flat[want[0]:want[1]] not in v["title_words"]
        assert _plain_word_before(Tokens(text), pos, v) == plain_word


# Texts around "The": inside words, after joiners and before a possessive (see people._without_the).
THE_TEXT = st.sampled_from(["The ", "The", "The's ", "XThe ", "-The ", "al-The ", "Anti-The ", "5The ", "Thessaly ",
                            "Minister ", "Smith ", "the ", "O'The ", " ", "\n", ",", "é", "Мир "])


@settings(max_examples=400, deadline=None)
@given(st.lists(THE_TEXT, max_size=25).map("".join))
def test_cap_starts_without_the_gives_the_same_tokens(text: str) -> None:
    # When "The" is known not to be name-like, cap_starts scans classes in which each "The " reads
    # as lower case: the tokens must be those of the scan that reads it and drops it.
    known = {"The": False}
    fast = [as_tuple(t) for t in Tokens(text).cap_starts(known)]
    plain_without_the = people._without_the
    try:
        people._without_the = lambda _text, classes: classes
        slow = [as_tuple(t) for t in Tokens(text).cap_starts(known)]
    finally:
        people._without_the = plain_without_the
    assert fast == slow
