"""Synthetic briefings for benchmarks: realistic length (~3 KB) and vocabulary, deterministic.

Each briefing is assembled from sentence templates about two countries, two
named officials, a few themes and a follow-up or two, so the extractor, the
search index and the app work on text shaped like the real thing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

COUNTRIES = [
    ("Kazakhstan", "Kazakh", "Astana"), ("Hungary", "Hungarian", "Budapest"),
    ("Uzbekistan", "Uzbek", "Tashkent"), ("Kyrgyzstan", "Kyrgyz", "Bishkek"),
    ("Japan", "Japanese", "Tokyo"), ("Germany", "German", "Berlin"), ("France", "French", "Paris"),
    ("India", "Indian", "New Delhi"), ("Brazil", "Brazilian", "Brasília"), ("Poland", "Polish", "Warsaw"),
    ("Italy", "Italian", "Rome"), ("Türkiye", "Turkish", "Ankara"), ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Georgia", "Georgian", "Tbilisi"), ("Mongolia", "Mongolian", "Ulaanbaatar"), ("Canada", "Canadian", "Ottawa"),
    ("Egypt", "Egyptian", "Cairo"), ("Indonesia", "Indonesian", "Jakarta"), ("Czechia", "Czech", "Prague"),
    ("Spain", "Spanish", "Madrid"), ("Finland", "Finnish", "Helsinki"), ("Qatar", "Qatari", "Doha"),
]
GIVEN = ["Abzal", "Gábor", "Yerlan", "Aigerim", "Takeshi", "Anna", "Marco", "Łukasz", "Mehmet", "Priya",
         "João", "Nino", "Bat-Erdene", "Claire", "Ahmed", "Siti", "Jan", "Lucía", "Mikko", "Khalid",
         "Dilnoza", "Ruslan", "Péter", "Sofia", "Kenji", "Tomáš", "Zsófia", "Olzhas"]
FAMILY = ["Saparbekuly", "Nagy", "Nurlanov", "Tanaka", "Müller", "Rossi", "Kowalski", "Yılmaz", "Sharma",
          "Silva", "Beridze", "Batbayar", "Dubois", "Hassan", "Rahmawati", "Novák", "García", "Virtanen",
          "Al-Thani", "Karimova", "Szabó", "Kovács", "Watanabe", "Dvořák", "Abenov", "Tokhtarov"]
ROLES = ["Minister of Foreign Affairs", "Deputy Minister of Foreign Affairs", "Ambassador",
         "Prosecutor General", "Minister of Energy", "Minister of Trade", "State Secretary",
         "Deputy Prime Minister", "Minister of Transport", "Chairman of the Senate"]
THEME_SENTENCES = [
    "The sides discussed trade turnover, which grew by {n} percent last year, and new investment projects in the processing industry.",
    "Particular attention was paid to energy cooperation, including oil and gas supplies, renewable energy and critical minerals.",
    "The parties reviewed the development of the Trans-Caspian transport corridor, rail transit and logistics hubs.",
    "They exchanged views on mutual legal assistance, extradition and cooperation between the prosecution services.",
    "The importance of joint efforts against corruption, money laundering and for asset recovery was underlined.",
    "The interlocutors discussed digitalisation, e-government services and the use of artificial intelligence.",
    "The sides noted the growing academic exchange, university partnerships and scholarships for students.",
    "Cultural and humanitarian ties, tourism and direct flights were also on the agenda.",
    "Water resources management, climate adaptation and the green economy were discussed in detail.",
    "The ministers addressed food security, grain exports and cooperation in agriculture.",
    "Questions of visa facilitation, labour migration and consular support for citizens were considered.",
    "The sides agreed to support each other's candidacies in the United Nations and the OSCE.",
    "The situation in Afghanistan and regional security in Central Asia were discussed.",
    "Healthcare cooperation, pharmaceuticals and joint production of medicines were reviewed.",
]
FILLER = [
    "The meeting took place in a warm and constructive atmosphere.",
    "Both sides highlighted the high level of political dialogue between the two countries.",
    "The {adj} side informed about the ongoing economic reforms and the investment climate.",
    "The parties noted the importance of regular contacts at all levels.",
    "It was emphasised that the relationship has great untapped potential.",
]
COMMITMENTS = [
    "The parties agreed to hold the next round of consultations in {city} in the first half of {year}.",
    "The {adj} side expressed readiness to organise a business forum by the end of the year.",
    "{name} invited his counterpart to visit {city} next year.",
    "The sides agreed to prepare a roadmap on digital cooperation in {year}.",
    "The ministers decided to convene the intergovernmental commission in October {year}.",
]


def briefing(i: int, rng: random.Random, min_chars: int = 2800) -> tuple[str, str]:
    """Return (file name, text) for synthetic briefing number ``i``, at least ``min_chars`` long."""
    (c1, a1, city1), (c2, a2, city2) = rng.sample(COUNTRIES, 2)
    n1 = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    n2 = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    r1, r2 = rng.choice(ROLES), rng.choice(ROLES)
    year = rng.choice([2023, 2024, 2025, 2026])
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date_text = f"{day} {['January','February','March','April','May','June','July','August','September','October','November','December'][month-1]} {year}"
    title = f"{r1} of {c1} {n1} meets {r2} of {c2} {n2} (ref {i})"
    paras = [title, "",
             f"On {date_text}, {r1} of {c1} {n1} held talks in {city1} with {r2} of {c2} {n2}, "
             f"the Ministry of Foreign Affairs of {c1} reports."]
    body_sentences = rng.sample(THEME_SENTENCES, 4) + rng.sample(FILLER, 3)
    rng.shuffle(body_sentences)
    for k in range(0, len(body_sentences), 2):
        chunk = " ".join(s.format(n=rng.randint(3, 40), adj=rng.choice([a1, a2])) for s in body_sentences[k:k + 2])
        paras += ["", chunk]
    paras += ["", f"{n1.split()[-1]} briefed the {a2} side on the priorities of {c1}'s foreign policy, and "
              f"{n2.split()[-1]} noted the interest of {a2} companies in the {a1} market."]
    for tmpl in rng.sample(COMMITMENTS, 2):
        paras += ["", tmpl.format(city=rng.choice([city1, city2]), year=year + 1, adj=a2, name=n1)]
    text = "\n".join(paras) + "\n"
    while len(text) < min_chars:  # pad with more discussion, as long readouts have
        text += "\n" + " ".join(rng.sample(THEME_SENTENCES, 2)).format(n=rng.randint(3, 40)) + "\n"
    return f"synthetic-{i:06d}.txt", text


def generate(count: int, seed: int = 7, min_chars: int = 2800) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    for i in range(count):
        yield briefing(i, rng, min_chars)


def write_corpus(folder: Path, count: int, seed: int = 7) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generate(count, seed):
        (folder / name).write_text(text, encoding="utf-8")
    return folder
