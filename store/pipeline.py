"""Files to records: read, extract and build, on every core when the batch is big.

Reading and extraction are pure functions of a file, so a large batch is
spread over worker processes (spawned, not forked: the app ingests from a
thread, and forking a threaded process is unsafe). Results come back in input
order so progress and summaries read naturally. Small batches stay in-process:
starting workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from store.records import Record, build_record

PARALLEL_THRESHOLD = 200  # files; below this, worker start-up outweighs the gain
MAX_WORKERS = 4


class Outcome(NamedTuple):
    path: Path
    record: Record | None
    reason: str | None  # why the file was not read; None when it was


def read_and_build(path: Path, problem: str | None, max_bytes: int | None) -> Outcome:
    """One file to one record, or the one-line reason it failed. Never raises."""
    from store.ingest import FileItem, read_input

    try:
        doc = read_input(FileItem(path, problem), max_bytes=max_bytes)
        return Outcome(path, build_record(doc), None)
    except Exception as exc:  # one bad file must never stop the batch
        reason = getattr(exc, "reason", None) or f"unexpected error: {type(exc).__name__}: {exc}"
        return Outcome(path, None, str(reason))


def _worker(args: tuple[Path, str | None, int | None]) -> Outcome:
    return read_and_build(*args)


def worker_count(n_files: int) -> int:
    if n_files < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def process(items: Iterable[tuple[Path, str | None]], *, max_bytes: int | None,
            workers: int | None = None) -> Iterator[Outcome]:
    """Outcomes for ``(path, problem)`` items, in order."""
    batch = list(items)
    n = workers if workers is not None else worker_count(len(batch))
    if n <= 1:
        for path, problem in batch:
            yield read_and_build(path, problem, max_bytes)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
        yield from pool.map(_worker, [(p, prob, max_bytes) for p, prob in batch], chunksize=16)
