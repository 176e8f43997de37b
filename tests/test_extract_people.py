"""Parties versus people mentioned, names, titles and the country each person represents."""

from __future__ import annotations

from pathlib import Path

from store.document import Document
from store.extract import extract


def run(text: str, **kw: object) -> dict:
    return extract(Document(path=Path("t.txt"), format="txt", text=text, **kw))  # type: ignore[arg-type]


SEEDLIKE = (
    "A meeting was held between Ambassador of Kazakhstan Elnur Temirbekuly and Chief Justice of Hungary "
    "Zsófia Kovács-Tóth, the Ministry of Foreign Affairs of the Republic of Kazakhstan reports.\n\n"
    "Ambassador Temirbekuly briefed his interlocutor on the judicial reform. Kovács-Tóth recalled the visit of "
    "the Speaker of the Senate of Kazakhstan, Daulet Serikbayev, to Budapest on 3 March 2024.\n"
)


def by_name(items: list[dict]) -> dict[str, dict]:
    return {p["name"]: p for p in items}


def test_seed_like_parties_roles_countries() -> None:
    rec = run(SEEDLIKE)
    parties = by_name(rec["parties"])
    assert set(parties) == {"Elnur Temirbekuly", "Zsófia Kovács-Tóth"}
    assert parties["Elnur Temirbekuly"]["role"] == "Ambassador"
    assert parties["Elnur Temirbekuly"]["country"] == "KZ"
    assert parties["Zsófia Kovács-Tóth"]["role"] == "Chief Justice"
    assert parties["Zsófia Kovács-Tóth"]["country"] == "HU"
    assert [p["name"] for p in rec["people"]] == ["Daulet Serikbayev"]
    assert rec["date"] is None  # 3 March 2024 dates another event
    assert rec["countries"] == ["HU", "KZ"]


def test_surname_only_mentions_are_in_spans() -> None:
    text = SEEDLIKE
    rec = run(text)
    amb = by_name(rec["parties"])["Elnur Temirbekuly"]
    written = [text[s:e] for s, e in amb["spans"]]
    assert written == ["Elnur Temirbekuly", "Temirbekuly"]
    judge = by_name(rec["parties"])["Zsófia Kovács-Tóth"]
    assert [text[s:e] for s, e in judge["spans"]] == ["Zsófia Kovács-Tóth", "Kovács-Tóth"]


def test_title_after_name_and_particles() -> None:
    text = ("Minister Hendrik van der Berg of the Netherlands held talks with Omar bin Khalid Al-Rashid, "
            "Minister of State of the United Arab Emirates, in Abu Dhabi.")
    rec = run(text)
    parties = by_name(rec["parties"])
    assert parties["Hendrik van der Berg"]["country"] == "NL"
    assert parties["Omar bin Khalid Al-Rashid"]["role"] == "Minister of State"
    assert parties["Omar bin Khalid Al-Rashid"]["country"] == "AE"
    assert rec["location"] == "Abu Dhabi"


def test_possessive_country_and_international_official() -> None:
    text = ("Ruritania's Deputy Prime Minister-Foreign Minister Tomas Varga met UN Secretary-General Ines Moreau. "
            "Kazakhstan's Deputy Prime Minister-Foreign Minister Aidos Beketov also took part.")
    rec = run(text)
    parties = by_name(rec["parties"])
    assert parties["Aidos Beketov"]["country"] == "KZ"
    assert parties["Aidos Beketov"]["role"] == "Deputy Prime Minister-Foreign Minister"
    assert parties["Ines Moreau"]["country"] is None


def test_memo_participant_list() -> None:
    text = ("MEMO FOR THE RECORD\n\nParticipants\nKazakhstan:\n- Iran Temirov, Vice Minister of Energy\n"
            "Norway:\n- Ola Nordmann, Ambassador\n\n1. The sides discussed gas.\n")
    rec = run(text)
    parties = by_name(rec["parties"])
    assert parties["Iran Temirov"]["country"] == "KZ"
    assert parties["Ola Nordmann"]["country"] == "NO"
    assert "IR" not in rec["countries"]  # "Iran" is a given name here


def test_russian_parties_in_oblique_cases() -> None:
    text = ("В Астане состоялась встреча Министра иностранных дел Республики Казахстан Нурлана Ержанова "
            "с Послом Венгрии Петером Балогом. Нурлан Ержанов отметил динамику отношений.")
    rec = run(text)
    parties = by_name(rec["parties"])
    assert parties["Нурлан Ержанов"]["country"] == "KZ"
    assert parties["Нурлан Ержанов"]["role"] == "Министр иностранных дел"
    assert parties["Петером Балогом"]["country"] == "HU" or "Петер Балог" in parties
    assert rec["lang"] == "ru"
    assert rec["location"] == "Астана"


def test_only_a_sentence_naming_a_side_is_searched_for_one() -> None:
    from store.extract.people import _may_name_a_side

    def may(sentence: str) -> bool:
        return _may_name_a_side(sentence.lower(), 0, len(sentence))

    assert not may("President Tokayev received the residents of the capital, besides the steamer crew")
    assert may("X also took part on the Turkish side") and may("the Kazakh\ndelegation was led by X")
    assert may("Венгерская сторона") and may("the Hungarian TEAM")


def test_an_acronym_or_an_abstract_noun_before_a_name_is_no_part_of_it() -> None:
    from pathlib import Path

    from store.document import Document
    from store.extract import extract

    text = ("President Tokayev met President of the European Bank for Reconstruction and Development "
            "Odile Renaud-Basso and NATO Secretary General Jens Stoltenberg.")
    rec = extract(Document(path=Path("t.txt"), format="txt", text=text))
    roles = {p["name"]: p["role"] for p in rec["parties"] + rec["people"]}
    assert roles["Odile Renaud-Basso"] == "President of the European Bank for Reconstruction and Development"
    assert roles["Jens Stoltenberg"] == "NATO Secretary General"
