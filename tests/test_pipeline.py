"""Big batches are read on every core and give exactly what the serial path gives."""

from __future__ import annotations

from pathlib import Path

from store.pipeline import process, worker_count
from tests.conftest import SEED, write_text_files


def test_parallel_and_serial_ingest_give_the_same_records_in_the_same_order(tmp_path: Path) -> None:
    files = write_text_files(tmp_path, 6) + [SEED]
    (tmp_path / "empty.txt").write_text("")
    items = [(p, None) for p in files] + [(tmp_path / "empty.txt", None), (tmp_path / "x.csv", "unsupported file type .csv")]
    serial = list(process(items, max_bytes=None, workers=1))
    parallel = list(process(items, max_bytes=None, workers=2))
    assert [o.path for o in parallel] == [o.path for o in serial]
    strip = lambda rec: {k: v for k, v in rec.items() if k not in ("ingested_at", "extracted_at")} if rec else None  # noqa: E731
    assert [strip(o.record) for o in parallel] == [strip(o.record) for o in serial]
    assert [o.reason for o in parallel][-2:] == ["empty: no text", "unsupported file type .csv"]


def test_small_batches_stay_in_process() -> None:
    assert worker_count(10) == 1
    assert worker_count(5000) >= 1
