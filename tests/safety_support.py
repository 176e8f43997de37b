"""The crash and concurrency harness the safety tests share (see tests/safety_child.py).

Scale: the same tests run small in ``make test`` and big under ``make stress``
(``BRIEFINGS_STRESS=1``); ``BRIEFINGS_KILL_TRIALS``, ``BRIEFINGS_KILL_FILES``
and ``BRIEFINGS_STRESS_SECONDS`` override single figures, ``BRIEFINGS_SEED``
replays a run (every failure message prints the seed).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

from store.doctor import check_store
from store.storage import backup_path, temp_files
from tests.conftest import ROOT

CHILD = ROOT / "tests" / "safety_child.py"
STRESS = os.environ.get("BRIEFINGS_STRESS", "") not in ("", "0")


def figure(name: str, normal: int, stress: int) -> int:
    return int(os.environ.get(name) or (stress if STRESS else normal))


SEED = int(os.environ.get("BRIEFINGS_SEED") or random.SystemRandom().randrange(1 << 30))


@dataclass
class ChildRun:
    """What a safety child printed: its chunks, events and whether it stopped or finished."""

    proc: subprocess.Popen[str]
    stderr: IO[str]
    chunks: list[list[str]] = field(default_factory=list)  # ids handed to each add_records, in order
    committed: int = 0  # how many of those chunks reached the store ("replaced-store")
    kinds: list[str] = field(default_factory=list)  # event kinds, in order
    stopped: str | None = None  # the event kind it is stopped at
    exit_code: int | None = None
    lines: list[str] = field(default_factory=list)

    def read(self) -> ChildRun:
        """Read stdout until the child stops at its event, finishes, or dies."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            word, _, rest = line.partition(" ")
            if word == "chunk" and rest:
                self.chunks.append(rest.split(","))
            elif word == "ev":
                kind = rest.split(" ", 1)[1]
                self.kinds.append(kind)
                if kind == "replaced-store":
                    self.committed = len(self.chunks)
            elif word == "stop":
                self.stopped = rest.split(" ", 1)[1]
                return self
            elif word == "done":
                self.exit_code = int(rest)
                break
        self.proc.wait(timeout=120)
        return self

    def go_on(self) -> ChildRun:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        self.stopped = None
        return self.read()

    def kill(self) -> None:
        """SIGKILL the child and any pipeline workers it started (its own process group)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=60)

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout, self.stderr):
            if stream:
                stream.close()

    def error_text(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read()

    @property
    def ids(self) -> set[str]:
        return {i for chunk in self.chunks for i in chunk}

    def committed_ids(self) -> set[str]:
        return {i for chunk in self.chunks[: self.committed] for i in chunk}


def start(db: Path, *cli: str | Path, chunk: int | None = None, stop_at: int = 0, options: tuple[str, ...] = (),
          stderr_dir: Path, env: dict[str, str] | None = None) -> ChildRun:
    cmd = [sys.executable, str(CHILD)]
    if chunk:
        cmd += ["--chunk", str(chunk)]
    if stop_at:
        cmd += ["--stop-at", str(stop_at)]
    cmd += [*options, "--", "--db", str(db), *map(str, cli)]
    stderr_dir.mkdir(parents=True, exist_ok=True)
    err = open(stderr_dir / f"stderr-{len(list(stderr_dir.iterdir()))}.txt", "w+", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True,
                            start_new_session=True, env={**os.environ, **(env or {})})
    return ChildRun(proc, err)


def store_ids(db: Path) -> set[str]:
    from store import open_store

    return {r["id"] for r in open_store(db).all()}


def raw_ids(path: Path) -> set[str]:
    return {r["id"] for r in orjson.loads(path.read_bytes()).get("briefings", {}).values()}


def assert_consistent_after_crash(db: Path, before: set[str], run: ChildRun, *, exact: bool, note: str) -> set[str]:
    """The crashed store opens, is healthy, and holds whole chunks only: every committed one."""
    from store import open_store

    store = open_store(db)  # must open; and opening removes the killed writer's temp files
    assert not temp_files(db), f"{note}: temp files left after open: {temp_files(db)}"
    # The search index is a cache: a kill while it is written leaves it to be rebuilt (doctor says so
    # as a warning), and the next search must answer for exactly the stored briefings.
    problems = [p for p in check_store(db) if p.kind != "index"]
    assert not problems, f"{note}: {[str(p) for p in problems]}"
    ids = {r["id"] for r in store.all()}
    assert {r["id"] for r in store.search("", limit=len(ids) + 10)} == ids, f"{note}: the search index is stale"
    expected = before | run.committed_ids()
    if exact:
        assert ids == expected, (f"{note}: {len(ids - expected)} unexpected, {len(expected - ids)} missing "
                                 f"(stopped at {run.stopped}, {run.committed} chunks committed)")
    else:
        # A kill by the clock may land just after a rename the child had no time to report.
        pending = set(run.chunks[run.committed]) if run.committed < len(run.chunks) else set()
        assert ids in (expected, expected | pending), f"{note}: not a whole number of chunks"
    bak = backup_path(db)
    if bak.exists():
        bak_ids = raw_ids(bak)  # the previous version parses, and is an earlier state of the store
        assert bak_ids <= ids, f"{note}: the .bak is not an earlier version of the store"
        if run.committed:
            assert before <= bak_ids, f"{note}: the .bak lost briefings the store had before the ingest"
    return ids


def copy_store(source: Path, target: Path) -> None:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for suffix in ("", ".bak"):
        src = source.with_name(source.name + suffix)
        if src.exists():
            shutil.copy2(src, target.with_name(target.name + suffix))


def pick_kill_points(kinds: list[str], trials: int, rng: random.Random) -> list[int]:
    """Every kind of kill point at least once (when there are enough trials), the rest uniform."""
    by_kind: dict[str, list[int]] = {}
    for index, kind in enumerate(kinds, 1):
        by_kind.setdefault(kind, []).append(index)
    points = [rng.choice(indexes) for _, indexes in sorted(by_kind.items())]
    rng.shuffle(points)
    points = points[:trials]
    points += [rng.randint(1, len(kinds)) for _ in range(trials - len(points))]
    return points
