"""The extractor's score on the shared dev set may never drop below the product's floors.

The records come from the same path `briefings ingest` takes (reader, then
extractor); the shared scorer compares them with the gold files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from store.ingest import read_document
from store.records import extracted_fields
from tests.conftest import DEV, SHARED

FLOORS_EN = {
    ("parties", "f1"): 0.95,
    ("countries", "f1"): 0.97,
    ("themes", "f1"): 0.85,
    ("commitments", "f1"): 0.85,
    ("date", "accuracy"): 0.90,
    ("party_role", "accuracy"): 0.90,
    ("party_country", "accuracy"): 0.90,
    ("commitment_actors", "accuracy"): 0.85,
    ("commitment_due", "accuracy"): 0.80,
}
FLOOR_RU_MEAN_F1 = 0.75


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_records() -> list[dict[str, Any]]:
    records = []
    for path in sorted(DEV.iterdir()):
        if path.name.endswith(".gold.json"):
            continue
        rec = extracted_fields(read_document(path))
        rec["source_file"] = str(path)
        records.append(rec)
    return records


def test_english_dev_scores_stay_above_their_floors(dev_records: list[dict[str, Any]]) -> None:
    result = load_scorer().score(DEV, dev_records, "en", False)
    assert result["documents_without_record"] == 0
    below = {f"{field}.{metric}": result["fields"][field][metric]
             for (field, metric), floor in FLOORS_EN.items() if result["fields"][field][metric] < floor}
    assert not below, f"extraction fell below its floor: {below}"


def test_russian_dev_mean_f1_stays_above_its_floor(dev_records: list[dict[str, Any]]) -> None:
    result = load_scorer().score(DEV, dev_records, "ru", False)
    assert result["documents"] >= 6
    assert result["mean_f1"] >= FLOOR_RU_MEAN_F1, result["fields"]


def test_seed_briefing_is_extracted_as_the_reference_example(dev_records: list[dict[str, Any]]) -> None:
    seed = next(r for r in dev_records if Path(r["source_file"]).name == "seed-kz-hu-prosecutors.txt")
    parties = {p["name"]: (p["role"], p["country"]) for p in seed["parties"]}
    assert parties == {"Abzal Saparbekuly": ("Ambassador", "KZ"), "Gábor Bálint Nagy": ("Prosecutor General", "HU")}
    assert seed["date"] is None  # 4 November 2025 is a past visit, not the meeting
    assert seed["countries"] == ["HU", "KZ"]
    assert {"legal-cooperation", "anti-corruption"} <= {t["id"] for t in seed["themes"]}
    assert len(seed["commitments"]) == 2
