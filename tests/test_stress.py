"""Crash safety and concurrency, tested the way storage engines test theirs.

The same tests run small in ``make test`` (about 10 s) and big under
``make stress`` (``BRIEFINGS_STRESS=1``: 500 kill trials, 10 minutes of four
concurrent writers); see tests/safety_support.py for the knobs.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from store import open_store
from store.doctor import check_store
from tests.conftest import write_text_files
from tests.safety_support import (
    SEED,
    STRESS,
    assert_consistent_after_crash,
    copy_store,
    figure,
    pick_kill_points,
    start,
    store_ids,
)

KILL_TRIALS = figure("BRIEFINGS_KILL_TRIALS", 15, 500)
KILL_FILES = figure("BRIEFINGS_KILL_FILES", 150, 500)  # 200 and more: read by the parallel pipeline
KILL_CHUNK = 10 if KILL_FILES < 300 else 25
CLOCK_KILL_SHARE = 0.2 if STRESS else 0.0  # under stress, some kills land at a random instant instead
STRESS_SECONDS = figure("BRIEFINGS_STRESS_SECONDS", 0, 600)


def test_stress_crash_sigkill_at_any_point_of_an_ingest_leaves_a_whole_store(tmp_path: Path) -> None:
    """SIGKILL `briefings ingest` at chosen points (inside writes too): the store opens, is healthy,
    and holds the old briefings plus every committed chunk, nothing half-written."""
    rng = random.Random(SEED)
    corpus = tmp_path / "incoming"
    write_text_files(corpus, KILL_FILES, prefix="incoming")
    seed_db = tmp_path / "seed" / "briefings.json"
    seed = open_store(seed_db)
    write_text_files(tmp_path / "old-a", 10, prefix="old-a")
    write_text_files(tmp_path / "old-b", 10, prefix="old-b")
    seed.add_files([tmp_path / "old-a"])
    seed.add_files([tmp_path / "old-b"])  # so that a .bak exists too
    before = store_ids(seed_db)
    logs = tmp_path / "logs"

    # The census: one uninterrupted run lists every kill point.
    census_db = tmp_path / "census" / "briefings.json"
    copy_store(seed_db, census_db)
    started = time.perf_counter()
    census = start(census_db, "ingest", corpus, chunk=KILL_CHUNK, stderr_dir=logs).read()
    census_seconds = time.perf_counter() - started
    assert census.exit_code == 0, census.error_text()
    assert store_ids(census_db) == before | census.ids and len(census.ids) == KILL_FILES
    assert {"file", "mkstemp", "write-half", "fsync-file", "link", "replace-bak", "replace-store",
            "replaced-store", "fsync-dir"} <= set(census.kinds)

    points = pick_kill_points(census.kinds, KILL_TRIALS, rng)
    survived = 0
    for trial, point in enumerate(points):
        db = tmp_path / f"trial-{trial}" / "briefings.json"
        copy_store(seed_db, db)
        by_clock = rng.random() < CLOCK_KILL_SHARE
        run = start(db, "ingest", corpus, chunk=KILL_CHUNK, stop_at=0 if by_clock else point, stderr_dir=logs)
        if by_clock:
            assert run.proc.stdout is not None and run.proc.stdout.readline().strip() == "started"
            time.sleep(rng.uniform(0, census_seconds))  # stress only: a kill at a random instant
            run.kill()
            run.read()  # what it reported before it died
        else:
            run.read()
            assert run.stopped == census.kinds[point - 1], (SEED, point, run.lines[-3:], run.error_text())
            run.kill()
        run.close()
        note = f"seed {SEED}, trial {trial}, " + ("killed by the clock" if by_clock else
                                                 f"killed at event {point} ({run.stopped})")
        assert_consistent_after_crash(db, before, run, exact=not by_clock, note=note)
        if trial % 5 == 0:
            # The next ingest after a crash finishes the job.
            again = start(db, "ingest", corpus, chunk=KILL_CHUNK, stderr_dir=logs).read()
            assert again.exit_code == 0, (note, again.error_text())
            again.close()
            assert store_ids(db) == before | census.ids and not check_store(db), note
        survived += 1
    assert survived == KILL_TRIALS
    print(f"\nkill trials: {survived} of {KILL_TRIALS} survived ({KILL_FILES} files, chunk {KILL_CHUNK}, "
          f"seed {SEED})")


def _added(stderr: str) -> int:
    return sum(int(n) for n in re.findall(r"Added (\d+), unchanged", stderr))


def test_stress_concurrent_four_writers_and_a_reader_lose_nothing(tmp_path: Path) -> None:
    """Four processes ingest different folders at once (one text is in all four) while a fifth
    reads, searches and reopens in a loop: every briefing ends up in the store exactly once."""
    db = tmp_path / "store" / "briefings.json"
    logs = tmp_path / "logs"
    stop = tmp_path / "stop-reading"
    shared = "A joint readout every desk filed.\n\nThe Ministers of Hungary and Kazakhstan met in Astana."
    reader = start(db, options=("--reader", str(stop)), stderr_dir=logs)
    writers = []
    for n in range(4):
        if STRESS_SECONDS:
            options = ("--no-events", "--loop-until", str(time.time() + STRESS_SECONDS),
                       "--loop-dir", str(tmp_path / f"w{n}"), "--tag", f"w{n}")
            writers.append(start(db, "ingest", "-", chunk=5, options=options, stderr_dir=logs))
        else:
            folder = tmp_path / f"w{n}"
            write_text_files(folder, 60, prefix=f"writer{n}")
            (folder / "shared.txt").write_text(shared, encoding="utf-8")
            writers.append(start(db, "ingest", folder, chunk=5, options=("--no-events",), stderr_dir=logs))
    for w in writers:
        w.read()
    stop.touch()
    reader.read()
    errors = [w.error_text() for w in writers]
    assert [w.exit_code for w in writers] == [0, 0, 0, 0], errors
    assert reader.exit_code == 0, reader.error_text()

    expected = set().union(*(w.ids for w in writers))
    ids = store_ids(db)
    assert ids == expected, f"{len(expected - ids)} briefings lost, {len(ids - expected)} unexpected"
    added = sum(_added(e) for e in errors)
    assert added == len(ids), f"{added} additions for {len(ids)} briefings: some were added twice"
    assert not check_store(db)
    if not STRESS_SECONDS:
        assert len(ids) == 4 * 60 + 1  # the shared text once
    print(f"\nconcurrent writers: 4, briefings {len(ids)}, lost 0, reader loops "
          f"{next(line for line in reader.lines if line.startswith('reader')).split()[1]}")
