"""Whether a text holds a Russian letter: the byte search behind has_cyrillic answers as the regex would."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.text import _search_cyrillic

# characters around the Cyrillic block and others whose UTF-32 bytes hold a 04
_NEAR_CYRILLIC = "АяЁёЀѐЏѠӘәҚ" + "\u03ff\u0500\u2004\u0104\U00010404\U00020400Ąłř’–" + "ab \n"


@given(st.text(alphabet=st.sampled_from(_NEAR_CYRILLIC) | st.characters(), max_size=60))
@settings(max_examples=500)
def test_cyrillic_is_found_as_the_regex_finds_it(text: str) -> None:
    assert _search_cyrillic(text) == (re.search(r"[А-Яа-яЁё]", text) is not None)


def test_russian_letters_are_told_from_other_cyrillic_and_lookalikes() -> None:
    assert _search_cyrillic("Meeting in Warszawa – łódź, Ѐ and Ә") is False  # Cyrillic, but no Russian letter
    assert _search_cyrillic("Встреча – łódź") is True
    assert _search_cyrillic("x\u2004\u0104ё") is True
    assert _search_cyrillic("Zürich, ÿ") is False  # Latin-1 only
