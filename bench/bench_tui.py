"""The app's figures (section "tui" of `make bench`): launch time and keystroke-to-results latency.

    python bench/bench_tui.py [--sizes 10000,100000] [--fast] [--rounds 3]

For each size, on the store that ``bench/run.py``'s ``built_store(count)``
ingests from the synthetic corpus (cached under bench/out/):

* launch: from ``open_store`` + ``BriefingsApp(...)`` to the first rows of
  the list drawn (headless ``run_test`` at 160x48; Python imports are done
  beforehand, as they are the same for any store size);
* first keystroke: the first key typed one second after launch, to the
  updated list. The search index lives on disk beside the store, so a launch
  only syncs it in the background; the row "no index on disk" measures the
  launch that has to build it (the first after an upgrade, or after the
  index folder was deleted);
* keystroke: from a key pressed in the query box to the updated list: the
  search worker has finished, its results are in the list and the list's
  rows on screen have been drawn again (the last of them). Median and p95 over ``rounds`` x 20
  keystrokes typing and correcting a query, with the process CPU time spent
  per keystroke (both threads). (The time is taken inside the app, at the
  redraw of the list after the results arrive, not when ``pilot.press``
  returns: the pilot's own idle detection waits up to a second on a busy
  machine and is not what a user sees.)

``--fast`` builds the stores from records (title, date, countries, body)
without reading files or running the extractor, for iterating on the app; the
figures say so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPED = list("hungary energy") + ["backspace"] * 6 + list("gas")  # 23 keys; the first 3 warm up
SIZE = (160, 48)


def fast_store(count: int) -> Path:
    """A store of ``count`` records made directly from the synthetic texts (no files, no extractor)."""
    import hashlib

    from bench.run import OUT
    from bench.synth import generate
    from store import open_store

    path = OUT / f"tui-fast-v2-{count}.json"
    if path.exists():
        return path
    print(f"  building a {count:,}-record store for the app (records only) …", flush=True)
    records = []
    codes = ["KZ", "HU", "UZ", "KG", "JP", "DE", "FR", "IN", "BR", "PL", "IT", "TR"]
    for i, (name, text) in enumerate(generate(count, seed=7)):
        sha = hashlib.sha256(text.encode()).hexdigest()
        records.append({"id": sha[:12], "content_sha256": sha, "source_file": name, "format": "txt",
                        "ingested_at": "2026-01-01T00:00:00+00:00", "doc_title": None, "doc_date": None,
                        "meta": {}, "body": text, "title": text.split("\n", 1)[0][:120],
                        "source": None, "location": None, "lang": "en", "people": [], "organizations": [],
                        "date": f"20{15 + i % 11:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                        "countries": sorted({codes[i % 12], codes[(i * 7 + 3) % 12]}),
                        "parties": [], "themes": [], "commitments": []})
    open_store(path).add_records(records)
    return path


async def measure(path: Path, rounds: int = 3) -> dict[str, object]:
    from store import open_store
    from tui.app import BriefingsApp
    from tui.widgets.search_box import QueryInput

    from tui.widgets.briefing_list import BriefingList

    painted: list[float] = []
    class_render_line = BriefingList.render_line

    def first_paint(self, y: int):  # type: ignore[no-untyped-def]
        if not painted and self.records:
            painted.append(time.perf_counter())
        return class_render_line(self, y)

    BriefingList.render_line = first_paint  # type: ignore[method-assign]
    start = time.perf_counter()
    store = open_store(path)
    app = BriefingsApp(store, export_dir=Path(tempfile.mkdtemp()), theme="textual-dark")
    latencies: list[float] = []
    cpu: list[float] = []
    first = 0.0
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        BriefingList.render_line = class_render_line  # type: ignore[method-assign]
        launch = (painted[0] if painted else time.perf_counter()) - start
        total = len(app.screen.list.records)
        assert total == len(store.all()) > 0, "the list is not filled"
        screen = app.screen
        box = screen.query_one(QueryInput)
        box.focus()
        await pilot.pause()
        drawn: list[float] = []
        updated = {"pending": False}
        show_results = screen._show_results
        render_line = screen.list.render_line

        def timed_show_results(keep_id):  # type: ignore[no-untyped-def]
            show_results(keep_id)
            updated["pending"] = True

        def timed_render_line(y: int):  # type: ignore[no-untyped-def]
            strip = render_line(y)
            # The list is drawn when its last line on screen is (every line is drawn after a change).
            if updated["pending"] and y >= screen.list.scrollable_content_region.height - 1:
                updated["pending"] = False
                drawn.append(time.perf_counter())
            return strip

        screen._show_results = timed_show_results
        screen.list.render_line = timed_render_line

        async def press(key: str) -> tuple[float, float]:
            generation = screen._generation
            drawn.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press(key)
            while not drawn or screen._generation == generation:
                await asyncio.sleep(0.001)
            t1, c1 = drawn[-1], time.process_time()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return t1 - t0, c1 - c0

        # What a user sees who starts typing a second after the app opened.
        await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - start)))
        first, _ = await press(TYPED[0])
        for r in range(rounds):
            box.value = ""
            await app.workers.wait_for_complete()
            await pilot.pause()
            for n, key in enumerate(TYPED):
                elapsed, spent = await press(key)
                if r or n >= 3:
                    latencies.append(elapsed)
                    cpu.append(spent)
    return {"launch": launch, "first": first, "latencies": latencies, "cpu": cpu, "total": total}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(sizes: list[int], *, fast: bool = False, rounds: int = 3) -> None:
    from bench.run import built_store, row, section

    section("App (tui): launch and keystroke → updated list" + (" [--fast: records-only stores]" if fast else ""))
    targets = {10_000: ("≤ 1.5 s", "≤ 50 ms"), 100_000: ("≤ 6 s", "≤ 150 ms")}
    for count in sizes:
        path = fast_store(count) if fast else built_store(count)
        _index_in_step(path)
        m = asyncio.run(measure(path, rounds))
        launch_target, key_target = targets.get(count, ("", ""))
        lat, cpu = m["latencies"], m["cpu"]
        row(f"launch to a filled list ({m['total']:,} briefings)", f"{m['launch']:.2f} s", f"target {launch_target}")
        row("first keystroke, 1 s after launch", f"{m['first'] * 1000:.0f} ms", f"target {key_target}")
        row(f"keystroke → updated list, median (n={len(lat)})", f"{statistics.median(lat) * 1000:.0f} ms",
            f"target {key_target}")
        row("keystroke → updated list, p95", f"{p95(lat) * 1000:.0f} ms", f"target {key_target}")
        row("CPU per keystroke (all threads), median / p95",
            f"{statistics.median(cpu) * 1000:.0f} / {p95(cpu) * 1000:.0f} ms")
        shutil.rmtree(str(path) + ".index", ignore_errors=True)
        # In a process of its own: the app freezes its long-lived objects out of the GC's
        # sight, so the store of the run above would stay in this process's memory.
        probe = subprocess.run([sys.executable, __file__, "--cold", str(path)], capture_output=True, text=True,
                               check=True)
        cold = json.loads(probe.stdout.strip().splitlines()[-1])
        row("  no index on disk: launch, first key",
            f"{cold['launch']:.2f} s / {cold['first'] * 1000:,.0f} ms")
        _index_in_step(path)


def _index_in_step(path: Path) -> None:
    """Leave the store's on-disk search index as any earlier session of the app would."""
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); from store import open_store; "
                    "open_store(sys.argv[2]).search_hits('warm', limit=1)", str(ROOT), str(path)], check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--fast", action="store_true", help="records-only stores (no ingest), for quick iteration")
    ap.add_argument("--rounds", type=int, default=3, help="times the 20 measured keystrokes are typed")
    ap.add_argument("--cold", metavar="STORE", help=argparse.SUPPRESS)  # one launch, figures as JSON
    args = ap.parse_args()
    if args.cold:
        m = asyncio.run(measure(Path(args.cold), rounds=0))
        print(json.dumps({"launch": m["launch"], "first": m["first"]}))
        return 0
    from bench.run import OUT

    OUT.mkdir(parents=True, exist_ok=True)
    run([int(s) for s in args.sizes.split(",")], fast=args.fast, rounds=args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
