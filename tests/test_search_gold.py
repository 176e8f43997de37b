"""Search against the dev set: country:XX and theme:ID return exactly the briefings
whose extracted record lists XX / ID, and how that compares with the gold files.

The search must add no error of its own: its results are compared with the
extracted fields exactly. Precision and recall against the gold lists are
therefore extraction's, seen through search; they are printed for the record
(run with -s to see them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import open_store

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory: pytest.TempPathFactory):
    if not DEV.is_dir():
        pytest.skip("shared/eval/dev is not there")
    store = open_store(tmp_path_factory.mktemp("gold") / "briefings.json")
    report = store.add_files([DEV])
    assert report.added, report.failed
    return store


def _gold_of(rec: dict) -> dict | None:
    source = Path(rec.get("source_file") or "")
    gold = source.with_name(source.name.rsplit(".", 1)[0] + ".gold.json")
    return json.loads(gold.read_text(encoding="utf-8")) if gold.exists() else None


def _theme_ids(items) -> set[str]:
    return {t if isinstance(t, str) else t.get("id") for t in items or []}


def test_country_and_theme_filters_match_extraction_exactly_and_score_against_gold(dev_store):
    records = dev_store.all()
    golds = {rec["id"]: _gold_of(rec) for rec in records}
    golds = {k: v for k, v in golds.items() if v is not None}
    assert len(golds) >= 40
    lines = []
    for field, prefix, values_of in (("countries", "country", lambda r: set(r.get("countries") or [])),
                                     ("themes", "theme", lambda r: _theme_ids(r.get("themes")))):
        wanted = sorted(set().union(*(values_of(g) for g in golds.values())))
        tp = fp = fn = 0
        for value in wanted:
            found = {r["id"] for r in dev_store.search(f"{prefix}:{value}", limit=10_000)}
            extracted = {r["id"] for r in records if value in values_of(r)}
            assert found == extracted, (value, found ^ extracted)  # search adds no error
            gold = {rid for rid, g in golds.items() if value in values_of(g)}
            scored = found & set(golds)
            tp += len(scored & gold)
            fp += len(scored - gold)
            fn += len(gold - scored)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        lines.append(f"{prefix}:X over {len(wanted)} values, {len(golds)} briefings: "
                     f"precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    print("\n" + "\n".join(lines))
