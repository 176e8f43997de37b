"""Fixes found in review, on invented sentences: organisation names, the home side, wrapped country names."""

from __future__ import annotations

from pathlib import Path

from store.document import Document
from store.extract import extract
from store.extract.countries import find_country_mentions
from store.extract.meta import source_country, url_country


def run(text: str, **kw: object) -> dict:
    return extract(Document(path=Path("t.txt"), format="txt", text=text, **kw))  # type: ignore[arg-type]


def party(rec: dict, surname: str) -> dict:
    hits = [p for p in rec["parties"] if surname in p["name"]]
    assert hits, rec["parties"]
    return hits[0]


# ---------------------------------------------------------------- organisations

def test_org_after_a_person_loses_the_leading_preposition() -> None:
    rec = run("Ambassador of Latvia Ilze Bērziņa met Chairman Askar Tulegenov of the Constitutional Council "
              "of Kyrgyzstan in Bishkek, the Embassy of Latvia reports.\n")
    orgs = rec["organizations"]
    assert any(o.startswith("Constitutional Council of Kyrgyzstan") for o in orgs), orgs
    assert not any(o.split()[0].lower() in ("of", "the", "and", "for") for o in orgs), orgs


# ---------------------------------------------------------------- countries

def test_country_name_wrapped_across_a_line_break() -> None:
    text = "The minister held talks with the envoy of the United\nStates on grain corridors."
    codes = [m.code for m in find_country_mentions(text)]
    assert codes == ["US"]
    m = find_country_mentions(text)[0]
    assert text[m.start:m.end] == "United\nStates"


def test_name_followed_by_of_the_republic_of() -> None:
    rec = run("President Maria Alves spoke today with President Tomas Varga of\nthe Slovak Republic. "
              "The leaders discussed energy security.\n", meta={"source_url": "https://www.gov.pt/news/1"})
    assert party(rec, "Varga")["country"] == "SK"


# ---------------------------------------------------------------- the home side

def test_home_country_from_the_issuing_institution() -> None:
    assert source_country("The White House") == "US"
    assert source_country("Office of the Spokesperson") == "US"
    assert source_country("U.S. Department of State") == "US"
    assert source_country("the Ministry of Foreign Affairs of Kazakhstan") == "KZ"
    assert source_country("Embassy of Japan in Hungary") == "JP"


def test_home_country_from_the_site() -> None:
    assert url_country({"source_url": "https://www.whitehouse.gov/briefing-room/x/"}) == "US"
    assert url_country({"source_url": "https://www.state.gov/readout"}) == "US"
    assert url_country({"source_url": "https://www.mfa.gov.kz/en/x"}) == "KZ"
    assert url_country({"source_url": "https://www.gov.uk/government/news/x"}) == "GB"
    assert url_country({"source_url": "https://www.reuters.com/world/x"}) is None
    assert url_country({}) is None


WH_STYLE = ("President Hollis spoke today with President Petrenko. The leaders discussed the war in Ukraine and "
            "continued support for Ukraine's energy grid. President Hollis reaffirmed support for Ukraine.\n")


def test_readout_from_one_government_keeps_its_official_home() -> None:
    rec = run(WH_STYLE, meta={"source_url": "https://www.whitehouse.gov/briefing-room/readout/"})
    assert party(rec, "Hollis")["country"] == "US"
    assert party(rec, "Petrenko")["country"] == "UA"


def test_named_counterpart_country_is_not_given_to_the_home_official() -> None:
    text = ("President Hollis met today with Prime Minister Anna Lind of Sweden. President Hollis and "
            "Prime Minister Lind discussed Arctic security.\n")
    rec = run(text, meta={"source_url": "https://www.whitehouse.gov/briefing-room/readout/"})
    assert party(rec, "Hollis")["country"] == "US"
    assert party(rec, "Lind")["country"] == "SE"


def test_source_line_names_the_home_side() -> None:
    text = ("Secretary Morrow met with Foreign Minister Karl Brandt of Germany on transatlantic trade.\n\n"
            "Office of the Spokesperson\n")
    rec = run(text)
    assert party(rec, "Morrow")["country"] == "US"
    assert party(rec, "Brandt")["country"] == "DE"
