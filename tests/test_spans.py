"""Compact spans (store.spans): the format, its robustness, and schema-1 stores that hold lists of pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_tui_support import as_schema_1, fixture_records, running, seed_record, sync

from store import open_store
from store.db import SCHEMA_VERSION
from store.doctor import check_store, repair_store
from store.document import Document
from store.errors import StoreError
from store.export import render
from store.records import build_record, doc_id_of, extracted_fields, stored_fields
from store.spans import MAX_OFFSET, encode_spans, span_parts, spans_as_json, spans_as_lists, spans_of
from tests.conftest import SEED
from tui.cli import main
from tui.widgets.detail import BriefingDetail

SPAN_FIELDS = ("parties", "people", "themes", "commitments")
OFFSET = st.integers(min_value=0, max_value=MAX_OFFSET)


# -- the format ---------------------------------------------------------------------------
def test_the_documented_examples() -> None:
    assert encode_spans([[339, 352], [354, 359], [387, 398]]) == "339-352 354-359 387-398"
    assert encode_spans([]) == "" and spans_of("") == [] and spans_of({"spans": ""}) == []
    assert spans_of("339-352 354-359 387-398") == [(339, 352), (354, 359), (387, 398)]
    assert spans_of({"id": "legal-cooperation", "spans": "0-5"}) == [(0, 5)]
    assert spans_of({"spans": [[339, 352], (354, 359)]}) == [(339, 352), (354, 359)]  # schema 1
    assert encode_spans((s, s + 1) for s in (3, 7)) == "3-4 7-8"  # any iterable of pairs


@settings(max_examples=300)
@given(st.lists(st.tuples(OFFSET, OFFSET)))
def test_any_list_of_non_negative_int_pairs_round_trips(pairs: list[tuple[int, int]]) -> None:
    encoded = encode_spans(pairs)
    assert spans_of(encoded) == pairs
    assert spans_of({"spans": encoded}) == pairs
    assert spans_of([list(p) for p in pairs]) == pairs  # the schema-1 form reads the same
    assert encode_spans(encoded) == encoded == encode_spans([list(p) for p in pairs])  # idempotent
    assert span_parts(encoded) == (pairs, [])
    rec = {"themes": [{"id": "t", "spans": encoded}]}
    assert spans_as_lists(rec)["themes"][0]["spans"] == [list(p) for p in pairs]
    assert orjson.dumps(spans_as_json(rec)) == orjson.dumps(spans_as_lists(rec))  # what dump writes


@pytest.mark.parametrize(("value", "expected"), [
    (None, []), (5, []), (3.5, []), (True, []), ({}, []), ({"spans": None}, []), ({"spans": {"a": 1}}, []),
    ("legal-cooperation", []), ("garbage", []), ("-", []), ("1-", []), ("-1", []), ("1--2", []),
    ("-3-4", []), ("1-2-3", []), ("+1-2", []), ("1.5-2", []), ("0x1-2", []),
    ("²-3", []), ("٣-٤", []), ("1-2\x00", []), ("9" * 5000 + "-1", []), (f"{MAX_OFFSET + 1}-1", []),
    ("12-x 5-7  \t\n 8-9 junk", [(5, 7), (8, 9)]),
    ([[1, 2], [True, 3], ["a", 1], [1], [1, 2, 3], [-1, 2], [1.0, 2], None, "3-4", [2 ** 70, 1], (4, 5)],
     [(1, 2), (4, 5)]),
    ({"spans": "1-2 x"}, [(1, 2)]),
])
def test_garbage_is_skipped_and_never_raises(value: Any, expected: list[tuple[int, int]]) -> None:
    assert spans_of(value) == expected
    assert encode_spans(value if not isinstance(value, dict) else value.get("spans")) == \
        " ".join(f"{s}-{e}" for s, e in expected)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=12)


@settings(max_examples=300)
@given(st.one_of(JSON, st.text(alphabet="0123456789- x\t٣²", max_size=40)))
def test_spans_of_takes_any_value_and_gives_non_negative_int_pairs(value: Any) -> None:
    for got in (spans_of(value), spans_of({"spans": value})):
        assert all(type(s) is int and type(e) is int and 0 <= s <= MAX_OFFSET and 0 <= e <= MAX_OFFSET
                   for s, e in got)
    encode_spans(value)
    span_parts(value)
    for rec in ({"themes": [{"spans": value}], "parties": value}, {"people": [{"spans": value}]}):
        try:
            want = orjson.dumps(spans_as_lists(rec))
        except orjson.JSONEncodeError:  # no store holds it (an integer past 64 bits, a lone surrogate)
            continue
        assert orjson.dumps(spans_as_json(rec)) == want


def test_spans_as_lists_changes_only_what_is_lossless() -> None:
    rec = {"id": "x", "themes": ["bare-id", {"id": "t", "spans": "1-2 3-4"}, {"id": "u", "spans": "1-2 x"},
                                 {"id": "v", "spans": "1-2  3-4"}, {"id": "w", "spans": [[5, 6]]}],
           "parties": "not a list"}
    before = json.dumps(rec)
    shown = spans_as_lists(rec)
    assert json.dumps(rec) == before  # the record itself is never modified
    assert [t["spans"] if isinstance(t, dict) else t for t in shown["themes"]] == \
        ["bare-id", [[1, 2], [3, 4]], "1-2 x", "1-2  3-4", [[5, 6]]]
    assert shown["parties"] == "not a list"
    plain = {"id": "y", "themes": [{"id": "w", "spans": [[5, 6]]}]}
    assert spans_as_lists(plain) is plain  # nothing to change: no copy


# -- what is stored -----------------------------------------------------------------------
def test_build_record_stores_compact_spans_and_extract_keeps_its_pairs() -> None:
    from store.extract import extract

    doc = Document(path=SEED, format="txt", text=SEED.read_text(encoding="utf-8"))
    fields = extract(doc)
    rec = build_record(doc)
    assert any(fields[name] for name in SPAN_FIELDS)
    for name in SPAN_FIELDS:
        for item, stored in zip(fields[name], rec[name], strict=True):
            assert isinstance(item["spans"], list) and all(isinstance(p, list) for p in item["spans"])
            assert isinstance(stored["spans"], str)
            assert spans_of(stored) == [tuple(p) for p in item["spans"]]
            assert {k: v for k, v in stored.items() if k != "spans"} == {k: v for k, v in item.items()
                                                                           if k != "spans"}
    assert spans_as_lists(rec) == {**rec, **{k: fields[k] for k in SPAN_FIELDS}}
    assert stored_fields(extracted_fields(doc)) == {k: rec[k] for k in fields}


def schema_1_store(path: Path, records: list[dict[str, Any]]) -> None:
    """A store file as version 1 wrote it: spans as lists of pairs, stamped schema 1."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {"meta": {"1": {"schema_version": 1}},
            "briefings": {str(doc_id_of(r["id"])): as_schema_1(r) for r in records}}
    path.write_bytes(orjson.dumps(data))
    path.chmod(0o600)


def span_or_schema_problems(path: Path) -> list[str]:
    """What doctor says about spans and the schema (the fixtures' ids are not content hashes)."""
    return [p.message for p in check_store(path) if p.kind != "record" or "span" in p.message]


def real_records() -> list[dict[str, Any]]:
    """Records as ingest builds them (doctor-healthy), with parties, themes and commitments."""
    texts = [SEED.read_text(encoding="utf-8"), *(r["body"] for r in fixture_records()[1:])]
    return [build_record(Document(path=Path(f"/in/{i}.txt"), format="txt", text=t)) for i, t in enumerate(texts)]


def stamp(path: Path) -> Any:
    return orjson.loads(path.read_bytes())["meta"]["1"]["schema_version"]


def test_a_schema_1_store_reads_exports_and_passes_doctor(db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    records = fixture_records()
    schema_1_store(db_path, records)
    store = open_store(db_path)
    assert len(store.all()) == len(records)
    seed = store.get(seed_record()["id"])
    assert isinstance(seed["parties"][0]["spans"], list)  # read as stored, not rewritten
    assert span_or_schema_problems(db_path) == []
    for fmt in ("md", "txt", "html", "json"):
        assert render(seed, fmt) == render(seed_record(), fmt), fmt  # as the compact record exports
    assert "**Gábor Bálint Nagy**" in render(seed, "md")
    assert main(["--db", str(db_path), "export", seed["id"], "--format", "md"]) == 0
    assert capsys.readouterr().out == render(seed_record(), "md")
    assert main(["--db", str(db_path), "dump"]) == 0
    dumped = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert dumped == {r["id"]: as_schema_1(r) for r in records}
    assert stamp(db_path) == 1  # reading never rewrites the file


@sync
async def test_a_schema_1_store_shows_the_same_highlights_in_the_detail_pane(tmp_path: Path) -> None:
    async with running(tmp_path / "compact", size=(120, 40)) as (app, pilot):
        compact = app.screen.query_one(BriefingDetail).body_content()
    assert compact.spans and isinstance(app.store.all()[0]["parties"][0]["spans"], str)

    from tui.app import BriefingsApp

    path = tmp_path / "v1" / "briefings.json"
    schema_1_store(path, fixture_records())
    app = BriefingsApp(open_store(path), export_dir=tmp_path / "exports", theme="textual-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        old = app.screen.query_one(BriefingDetail).body_content()
        assert app.store.all()[0]["id"] == seed_record()["id"]
        assert isinstance(app.store.all()[0]["parties"][0]["spans"], list)
    assert old.plain == compact.plain
    assert sorted((s.start, s.end, str(s.style)) for s in old.spans) == \
        sorted((s.start, s.end, str(s.style)) for s in compact.spans)


def test_a_write_stamps_schema_2_and_an_older_version_refuses_the_store(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert SCHEMA_VERSION == 2
    schema_1_store(db_path, fixture_records()[1:])
    open_store(db_path).add_records([seed_record()])  # compact spans join the schema-1 ones
    assert stamp(db_path) == 2
    store = open_store(db_path)
    assert isinstance(store.get(seed_record()["id"])["parties"][0]["spans"], str)
    assert isinstance(store.all()[1]["parties"][0]["spans"], list)
    assert span_or_schema_problems(db_path) == []
    monkeypatch.setattr("store.db.SCHEMA_VERSION", 1)  # the program before compact spans
    with pytest.raises(StoreError, match="written by a newer version of briefings"):
        open_store(db_path)
    assert any(p.kind == "newer-schema" for p in check_store(db_path))


def test_reextract_respells_schema_1_spans_without_counting_them_as_changes(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_files([SEED])
    compact = store.all()[0]
    schema_1_store(db_path, [compact])
    store = open_store(db_path)
    assert isinstance(store.all()[0]["themes"][0]["spans"], list)
    assert store.reextract() == 0
    after = orjson.loads(db_path.read_bytes())["briefings"][str(doc_id_of(compact["id"]))]
    assert after == compact  # the compact form, the same extracted_at
    assert stamp(db_path) == 2
    assert store.reextract() == 0


def test_doctor_notices_compact_spans_under_a_schema_1_stamp_and_repair_restamps(db_path: Path) -> None:
    records = real_records()
    schema_1_store(db_path, records[1:])
    assert check_store(db_path) == []  # schema 1, lists of pairs: healthy
    open_store(db_path).add_records(records[:1])
    data = orjson.loads(db_path.read_bytes())
    data["meta"]["1"]["schema_version"] = 1  # compact spans that version 1 would misread
    db_path.write_bytes(orjson.dumps(data))
    problems = check_store(db_path)
    assert [p.kind for p in problems] == ["schema-stamp"] and "compact" in problems[0].message
    report = repair_store(db_path)
    assert report.kept == len(records) and report.dropped == 0
    assert stamp(db_path) == 2 and check_store(db_path) == []
    assert {r["id"]: spans_as_lists(r) for r in open_store(db_path).all()} == \
        {r["id"]: spans_as_lists(r) for r in records}


def test_doctor_reports_a_malformed_span_string(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_store(db_path).add_records([seed_record()])
    data = orjson.loads(db_path.read_bytes())
    rec = next(iter(data["briefings"].values()))
    rec["themes"][0]["spans"] = "74-84 oops 9-"
    db_path.write_bytes(orjson.dumps(data))
    assert main(["--db", str(db_path), "doctor"]) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    assert 'malformed span "oops"' in text and 'malformed span "9-"' in text
    # The app still opens it, and highlights what it can read.
    assert spans_of(open_store(db_path).all()[0]["themes"][0]) == [(74, 84)]


# -- the command line ------------------------------------------------------------------------
def test_dump_and_show_json_print_pairs_and_extract_prints_extract_output(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from store.extract import extract
    from store.ingest import read_document

    fields = extract(read_document(SEED.absolute()))
    assert main(["--db", str(db_path), "ingest", str(SEED)]) == 0
    stored = open_store(db_path).all()[0]
    assert isinstance(stored["themes"][0]["spans"], str)
    capsys.readouterr()
    assert main(["--db", str(db_path), "dump"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    dumped = json.loads(line)
    assert set(dumped) == set(stored)
    for name in SPAN_FIELDS:
        assert dumped[name] == fields[name]  # the extractor's own pairs
    assert main(["--db", str(db_path), "show", stored["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == dumped
    assert main(["extract", str(SEED), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert all(printed[name] == fields[name] for name in SPAN_FIELDS)


def test_followups_read_compact_and_schema_1_spans(db_path: Path, tmp_path: Path) -> None:
    open_store(db_path).add_records([seed_record()])
    old = tmp_path / "v1" / "briefings.json"
    schema_1_store(old, [seed_record()])
    body = seed_record()["body"]
    got = []
    for path in (db_path, old):
        fus = open_store(path).followups()
        assert fus and all(body[s:e] == fu.text for fu in fus for s, e in fu.spans)
        got.append([fu.as_json()["spans"] for fu in fus])
    assert got[0] == got[1] and all(isinstance(s, list) for spans in got[0] for s in spans)
