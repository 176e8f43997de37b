"""The letter classes that people.py and orgs.py scan for capitals stand exactly for their patterns."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.letterclasses import class_of, letter_classes
from store.extract.orgs import _vocab, _words_in_capitals
from store.extract.people import _CAP_WORD, _CAP_WORD_CLASSES, _UPPER_CLASS

_UPPER = re.compile(rf"[{_UPPER_CLASS}]")
_LETTER = re.compile(r"[^\W\d_]")


def test_each_character_has_the_class_of_what_cap_word_reads_of_it() -> None:
    for code in [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 97)]:
        c = chr(code)
        upper, letter = bool(_UPPER.match(c)), bool(_LETTER.match(c))
        expected = "-" if c in "-'’" else "U" if upper and letter else "" if upper else "a" if letter else " "
        assert class_of(c) == expected, hex(code)


PIECES = st.sampled_from(list("aAbZ éÉßİı-'’.,_\n5²Ⅳ—ŁłⒶ") + ["Д", "д", "\U0001d400", "\U00010400", "ǅ", "O'Neil", "al-Thani"])


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_class_scan_finds_the_spans_of_cap_word(text: str) -> None:
    classes = letter_classes(text)
    if classes is None:
        assert "Ⓐ" in text  # (an upper-case character that is no letter: the caller scans the text itself)
        return
    assert len(classes) == len(text)
    assert [m.span() for m in _CAP_WORD_CLASSES.finditer(classes)] == [m.span() for m in _CAP_WORD.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES | st.sampled_from(["OSCE", "MoU", "KazAID", "İÖ", "ЕАЭС", "UNESCO", "ABCDEFGHIJ"]), max_size=40).map("".join))
def test_class_scan_finds_the_acronyms_of_caps_re(text: str) -> None:
    caps_re = _vocab()["caps_re"]
    assert [m.span() for m in _words_in_capitals(text, caps_re)] == [m.span() for m in caps_re.finditer(text)]
