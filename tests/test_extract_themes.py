"""store.extract.themes: evidence-weighted themes, exact spans, the taxonomy and user themes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract import themes
from store.extract.themes import find_themes, load_taxonomy, reload_taxonomy

GUIDELINE_IDS = {
    "political-dialogue", "trade-investment", "energy-resources", "transport-logistics", "legal-cooperation",
    "anti-corruption", "security-defense", "digital-technology", "education-science", "culture-humanitarian",
    "health", "environment-climate", "agriculture-food", "consular-migration", "multilateral", "regional-security",
    "human-rights-governance", "development-aid",
}


@pytest.fixture(autouse=True)
def _default_taxonomy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Every test sees the default taxonomy unless it writes a user file itself."""
    monkeypatch.setenv("BRIEFINGS_THEMES", str(tmp_path / "absent.toml"))
    reload_taxonomy()
    yield
    reload_taxonomy()


def ids(text: str, lang: str = "en") -> set[str]:
    return {t["id"] for t in find_themes(text, lang=lang)}


def test_default_taxonomy_has_the_guideline_ids_with_labels_and_colours() -> None:
    tax = load_taxonomy()
    assert {t["id"] for t in tax} == GUIDELINE_IDS
    for t in tax:
        assert t["label"] and t["color"].startswith("#") and len(t["color"]) == 7
        assert t["keywords"]["en"] and t["keywords"]["ru"]


def test_data_file_weights_are_in_range() -> None:
    data = json.loads(themes.DATA.read_text(encoding="utf-8"))
    for t in data["themes"]:
        for lang in ("en", "ru"):
            assert all(1 <= w <= 3 for w in t["keywords"][lang].values()), t["id"]


def test_substantive_discussion_is_a_theme() -> None:
    text = ("The ministers discussed the construction of a new railway line to the border. "
            "They also reviewed freight volumes on the transit corridor and the modernisation of the port.")
    assert "transport-logistics" in ids(text)


def test_one_word_in_passing_is_not_a_theme() -> None:
    text = ("The ministers reviewed the state of political relations and the schedule of high-level visits. "
            "They also touched on culture. The next round of political consultations will be held in Rome.")
    found = ids(text)
    assert "political-dialogue" in found
    assert "culture-humanitarian" not in found


def test_a_list_of_sectors_in_one_sentence_is_breadth_not_discussion() -> None:
    text = "Energy, transport, agriculture, ecology and education were named as priority areas."
    assert ids(text) == set()


def test_one_sentence_naming_several_facets_counts() -> None:
    text = "The ministers agreed to expand joint work in science, research and universities, including student exchanges."
    assert "education-science" in ids(text)


def test_weak_words_alone_never_make_a_theme() -> None:
    # "companies", "projects", "economy" only corroborate a trade discussion
    text = ("Several companies attended. The projects were presented. "
            "The economy of the region was mentioned. Companies asked questions about projects.")
    assert "trade-investment" not in ids(text)


def test_a_ministry_name_is_not_evidence() -> None:
    text = ("The Minister of Agriculture and Food Security met the Minister of Foreign Affairs and Trade. "
            "The Ministry of Agriculture hosted the talks.")
    assert "agriculture-food" not in ids(text)


def test_longer_phrase_wins_over_the_word_inside_it() -> None:
    text = "The sides discussed food security. They agreed that food security in the region needs attention."
    found = find_themes(text, lang="en")
    assert "agriculture-food" in {t["id"] for t in found}
    assert "security-defense" not in {t["id"] for t in found}


def test_spans_are_exact_evidence_offsets_and_output_is_sorted() -> None:
    text = ("Talks focused on mutual legal assistance and extradition. "
            "The prosecutors also discussed money laundering and asset recovery, and the fight against corruption.")
    found = find_themes(text, lang="en")
    assert [t["id"] for t in found] == sorted(t["id"] for t in found)
    by_id = {t["id"]: t for t in found}
    assert {"legal-cooperation", "anti-corruption"} <= set(by_id)
    phrases = {text[s:e] for s, e in by_id["anti-corruption"]["spans"]}
    assert {"money laundering", "asset recovery", "fight against corruption"} <= phrases
    for t in found:
        for s, e in t["spans"]:
            assert 0 <= s < e <= len(text)


def test_stems_and_hyphens() -> None:
    text = ("The sides reviewed the growth of bilateral trade and investments. "
            "Investors from both countries attended a business forum.")
    by_id = {t["id"]: t for t in find_themes(text, lang="en")}
    assert "trade-investment" in by_id
    assert "investments" in {text[s:e] for s, e in by_id["trade-investment"]["spans"]}
    assert "political-dialogue" in ids("They welcomed the high level visits. Political dialogue is intensive.")


def test_acronyms_are_case_sensitive() -> None:
    assert "multilateral" not in ids("Un petit pas. The eu word in lower case is noise. Un autre.")
    text = "The sides coordinate closely within the UN and the OSCE. They support each other's candidacies."
    assert "multilateral" in ids(text)


def test_russian_keywords_and_inflection() -> None:
    text = ("Стороны обсудили развитие транзитных перевозок и модернизацию железных дорог. "
            "Особое внимание уделено логистике и мультимодальным маршрутам.")
    assert "transport-logistics" in ids(text, "ru")
    assert ids("Министр упомянул культуру.", "ru") == set()


def test_russian_text_ignores_english_keywords() -> None:
    assert ids("Railway transit logistics. Railway freight.", "ru") == set()


def write_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    path = tmp_path / "themes.toml"
    path.write_text(body, encoding="utf-8")
    monkeypatch.setenv("BRIEFINGS_THEMES", str(path))
    reload_taxonomy()
    return path


def test_user_theme_is_added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_user_file(tmp_path, monkeypatch, '''
[[theme]]
id = "space"
label = "Space"
color = "#112233"
keywords = { "space agency" = 3, "satellite*" = 2, "космодром*" = 3 }
''')
    tax = {t["id"]: t for t in load_taxonomy()}
    assert tax["space"]["label"] == "Space" and tax["space"]["color"] == "#112233"
    assert set(GUIDELINE_IDS) <= set(tax)
    assert "space" in ids("The national space agency will cooperate.")
    assert "space" in ids("Обсуждено строительство космодрома.", "ru")  # user keywords apply to every language


def test_user_keywords_extend_a_default_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "They discussed small modular reactors. Small modular reactors were the main topic."
    assert "energy-resources" not in ids(text)
    write_user_file(tmp_path, monkeypatch, '''
[[theme]]
id = "energy-resources"
label = "Energy"
keywords = ["small modular reactor*"]
''')
    tax = {t["id"]: t for t in load_taxonomy()}
    assert tax["energy-resources"]["label"] == "Energy"
    assert tax["energy-resources"]["color"].startswith("#")  # kept from the default
    assert "energy-resources" in ids(text)
    assert "energy-resources" in ids("Oil and gas exports grew. The new pipeline opened.")  # defaults still there


def test_user_can_disable_a_default_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_user_file(tmp_path, monkeypatch, '[[theme]]\nid = "health"\ndisabled = true\n')
    assert "health" not in {t["id"] for t in load_taxonomy()}
    assert "health" not in ids("Healthcare and medicine dominated. Hospitals and vaccines were discussed.")


def test_broken_user_file_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_user_file(tmp_path, monkeypatch, "[[theme]\nid = oops")
    assert {t["id"] for t in load_taxonomy()} == GUIDELINE_IDS


def test_default_path_is_in_the_user_config_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFINGS_THEMES", raising=False)
    path = themes.user_themes_path()
    assert path is not None and path.name == "themes.toml" and "briefings" in str(path)


# The automaton matches plain phrases in full on whitespace-collapsed text; the slow path keeps the
# lead-word automaton and a regex per hit. Both must find exactly the same hits.
_THEME_PIECES = ["energy", "security", "energy security", "food", "food security", "high-level", "high", "level",
                 "e-commerce", "commerce", "climate change", "climate", "change", "trade", "trade, economic",
                 "women's rights", "renewable", "investments", "invest", "UN", "EU", "Security Council",
                 "энергетическ", "сотрудничество", "политические консультации", "ШОС", "транзит",
                 " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "-", "–", "—", "(", "«", "»", "/", "\"", "'", "‘", "[",
                 ".", ",", "\r", "\u2009", "x", "ё"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_THEME_PIECES), max_size=30).map("".join), st.sampled_from(["en", "ru"]))
def test_phrase_automaton_finds_what_the_lead_word_regexes_find(text: str, lang: str) -> None:
    assert themes._hits(text, lang) == themes._hits_slow(text, lang)


_SENTENCE_PIECES = ["word", "x", "U.S.", "3.5", ".", "!", "?", ";", "\n", "\n\n", " ", "\t", "\"", "'", "”", "»", ")",
                    "\u00a0", "\u2009", "\0", "ё"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_PIECES), max_size=30).map("".join), st.data())
def test_sentence_end_is_the_regex_search(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    m = themes._SENT_BREAK.search(text, pos)
    assert themes._next_sentence(text, themes._break_marks(text), pos) == (m.start() if m else len(text) + 1)


# find_themes decides with _accepted, in one loop over the evidence as _theme_hits stores it; it must
# agree with the evidence rule on _weigh's figures (with and without its early stop).
_EVIDENCE = st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]),
                               st.sampled_from(["a", "b", "c", "d"])), min_size=1, max_size=12)


@settings(max_examples=500, deadline=None)
@given(_EVIDENCE, st.sampled_from([100, 3000]))
def test_accepted_is_the_evidence_rule(evidence: list[tuple[int, float, str]], length: int) -> None:
    evidence.sort(key=lambda h: h[0])  # sentences come in text order
    sentences = [si for si, _w, _kw in evidence]
    items = [(-1, 0, 0, 0, w, kw) for _si, w, kw in evidence]
    enough = themes.THRESHOLD_LONG if length > themes.LONG_DOC else themes.THRESHOLD
    score, terms, n_sentences, strongest = themes._weigh(evidence)
    expected = themes._accept(score, n_sentences, len(terms), strongest, length)
    score, terms, n_sentences, strongest = themes._weigh(evidence, enough)
    assert themes._accept(score, n_sentences, len(terms), strongest, length) == expected
    assert themes._accepted(sentences, items, enough) == expected
    assert themes._evidence(sentences, items) == evidence


def test_weights_that_are_not_plain_take_the_general_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("The ministers discussed energy security, oil and gas supplies and renewable energy. "
            "They also agreed on nuclear power cooperation. Trade was mentioned.")
    plain = find_themes(text, lang="en")
    assert plain and themes._state().plain_weights
    monkeypatch.setattr(themes._state(), "plain_weights", False)
    assert find_themes(text, lang="en") == plain
    user = tmp_path / "themes.toml"
    user.write_text('[[theme]]\nid = "odd"\nkeywords = { "oil" = -1, "nuclear power" = 3 }\n', encoding="utf-8")
    monkeypatch.setenv("BRIEFINGS_THEMES", str(user))
    reload_taxonomy()
    assert not themes._state().plain_weights
    assert "odd" in {t["id"] for t in find_themes(text, lang="en")}


# The office-name and sentence-break patterns as they were before their quantifiers were made
# possessive: the possessive ones must match exactly the same spans.
_TITLE_EN_BACKTRACKING = re.compile(
    r"(?:Minist(?:er|ry|ries)|Department|Secretary|Commissioner|Committee|Agency|Office|Directorate)\s+(?:of|for)\s+"
    r"(?:the\s+)?(?:(?:[A-Z][\w'’-]*|and|of|the)(?:,?\s+|$))+")
_SENT_BREAK_BACKTRACKING = re.compile(r"[.!?;\n][\"'”»)]*\s+")


@given(st.sampled_from(["Minister of ", "Ministry for  ", "Office\nof the ", "Minister of the economy", "Agency of\t", "x"]),
       st.lists(st.sampled_from(["Minister", "Office", " ", "  ", "\n", ",", ", ", "of", "for", "the", "and", "Energy",
                                 "Affairs", "A", "x", "'", "’", "-", ".", "É", "é", "1", "_", "ofx", "andy", "\t", "Trade,"]),
                max_size=14),
       st.integers(0, 2))
@settings(max_examples=600)
def test_possessive_office_names_match_as_the_backtracking_pattern(head: str, parts: list[str], pos: int) -> None:
    text = head + "".join(parts)
    a, b = _TITLE_EN_BACKTRACKING.match(text, pos), themes._TITLE_EN.match(text, pos)
    assert (a and a.span()) == (b and b.span())


@given(st.text(alphabet=".!?;\n\"'”») \t\u00a0\u2003ab,", max_size=30), st.integers(0, 5))
@settings(max_examples=600)
def test_possessive_sentence_breaks_match_as_the_backtracking_pattern(text: str, pos: int) -> None:
    for old, new in ((_SENT_BREAK_BACKTRACKING.search, themes._SENT_BREAK.search),
                     (_SENT_BREAK_BACKTRACKING.match, themes._SENT_BREAK.match)):
        a, b = old(text, pos), new(text, pos)
        assert (a and a.span()) == (b and b.span())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_THEME_PIECES + _SENTENCE_PIECES), max_size=40).map("".join), st.sampled_from(["en", "ru"]))
def test_theme_hits_know_a_sentence_by_the_start_of_its_break(text: str, lang: str) -> None:
    # _theme_hits finds most breaks without a regex (a mark followed by a space or a line break)
    for spans, sentences, _items in themes._theme_hits(text, lang).values():
        for (s, _e), si in zip(spans, sentences):
            m = themes._SENT_BREAK.search(text, s)
            assert si == (m.start() if m else len(text) + 1)
