"""Follow-ups and timelines (section "followups" of `make bench`).

    python bench/bench_followups.py [--sizes 10000]

For each size, on a copy of the store that ``bench/run.py``'s
``built_store(count)`` ingests from the synthetic corpus (real extractor
output: ~3.4 follow-ups a briefing), with a few hundred statuses set:

* follow-ups, cold: every follow-up derived (ids hashed, statuses joined) on a
  freshly opened store;
* open the screen: from ``push_screen(FollowupsScreen)`` in a headless app at
  120x40 to the table's rows drawn; the first open pays for the derivation
  above, a later one finds it cached (the store changed in between? derived again);
* filter: ``filter_followups`` for typical queries (median of 5), and in the
  app from a changed filter to the rows drawn;
* timeline: ``timeline(store, "country:HU")`` (search, per-briefing
  follow-ups, month counts), then opening the timeline screen on it;
* people: clustering every party name into people (the first ``c`` on a party).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["country:HU is:open due:<2026-06", "is:overdue", "energy is:open", "c:KZ -is:done t:trade",
           "due:2026 OR is:orphaned"]
TARGETS = {"open": 0.300, "filter": 0.050, "timeline": 0.200}


def _row(label: str, seconds: float, target: float | None = None) -> None:
    from bench.run import row

    mark = ""
    if target is not None:
        mark = f"target ≤ {target * 1000:.0f} ms  {'ok' if seconds <= target else 'SLOW'}"
    row(label, f"{seconds * 1000:.1f} ms", mark)


def _store_copy(count: int, folder: Path):  # -> Store
    from bench.run import built_store
    from store import open_store

    src = built_store(count)
    dst = folder / "store.json"
    shutil.copyfile(src, dst)
    return open_store(dst)


async def _wait(pilot, done, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    end = time.perf_counter() + timeout
    while not done() and time.perf_counter() < end:
        await asyncio.sleep(0.001)


async def _app_figures(store) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Times taken inside the app: at the last row drawn of the table once its rows arrived
    (not when the pilot notices: its idle detection waits on a busy machine)."""
    from tui.app import BriefingsApp
    from tui.screens.followups import FollowupsScreen
    from tui.screens.timeline import TimelineScreen
    from tui.widgets.followup_table import FollowupTable
    from tui.widgets.timeline_list import TimelineList

    drawn: list[float] = []
    table_render = FollowupTable.render_line
    list_render = TimelineList.render_line

    def timed_table(self, y: int):  # type: ignore[no-untyped-def]
        strip = table_render(self, y)
        if self.items:
            drawn.append(time.perf_counter())
        return strip

    def timed_list(self, y: int):  # type: ignore[no-untyped-def]
        strip = list_render(self, y)
        if self.entries:
            drawn.append(time.perf_counter())
        return strip

    FollowupTable.render_line = timed_table  # type: ignore[method-assign]
    TimelineList.render_line = timed_list  # type: ignore[method-assign]
    out: dict[str, float] = {}
    try:
        app = BriefingsApp(store, theme="textual-dark")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            for label in ("open (first)", "open (again)"):
                drawn.clear()
                start = time.perf_counter()
                screen = FollowupsScreen(store)
                app.push_screen(screen)
                await _wait(pilot, lambda: screen.loaded and drawn)
                await asyncio.sleep(0.05)
                out[label] = max(drawn) - start
                if label == "open (first)":
                    times = []
                    for q in ["country:HU is:open", "is:overdue", "energy is:open due:2026", "c:KZ t:trade"]:
                        before = screen._generation
                        start = time.perf_counter()
                        screen.filter_input.value = q
                        await _wait(pilot, lambda: screen._generation > before
                                    and screen.shown_generation == screen._generation)
                        drawn.clear()
                        await _wait(pilot, lambda: bool(drawn), 1.0)
                        await asyncio.sleep(0.05)
                        times.append((max(drawn) if drawn else time.perf_counter()) - start)
                    out["filter in the app (median)"] = statistics.median(times)
                app.pop_screen()
                await pilot.pause()
            from tui.screens.help import HelpScreen

            helps = []
            for _ in range(3):
                start = time.perf_counter()
                help_screen = HelpScreen()
                app.push_screen(help_screen)
                await _wait(pilot, lambda: help_screen.is_mounted)
                await pilot.pause()
                helps.append(time.perf_counter() - start)
                app.pop_screen()
                await pilot.pause()
            out["help"] = statistics.median(helps)
            drawn.clear()
            start = time.perf_counter()
            tl_screen = TimelineScreen(store, ("country", "HU"))
            app.push_screen(tl_screen)
            await _wait(pilot, lambda: tl_screen.timeline is not None and drawn)
            await asyncio.sleep(0.05)
            out["timeline screen"] = max(drawn) - start
    finally:
        FollowupTable.render_line = table_render  # type: ignore[method-assign]
        TimelineList.render_line = list_render  # type: ignore[method-assign]
    return out


def run(sizes: list[int]) -> None:
    from bench.run import section
    from store.followups import filter_followups, followup_set
    from store.people import people
    from store.timeline import timeline

    section("Follow-ups and timelines: derive, open, filter, timeline")
    for count in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = _store_copy(count, Path(tmp))
            store.all()
            store.search_hits("", limit=1)  # the app warms the index up at launch
            start = time.perf_counter()
            fset = followup_set(store)
            cold = time.perf_counter() - start
            print(f"  {count:,} briefings, {len(fset):,} follow-ups")
            _row("follow-ups derived (cold)", cold)
            # A few hundred statuses, written in one go, as months of use would leave.
            chosen = fset.items[::100]

            def change(table: dict) -> None:  # type: ignore[type-arg]
                for i, fu in enumerate(chosen):
                    table[fu.id] = {"status": ("done", "dropped", "open")[i % 3], "owner": "bench",
                                    "text": fu.text, "briefing_id": fu.briefing_id, "due": fu.due,
                                    "actors": list(fu.actors)}

            store.update_user_table("followups", change)
            start = time.perf_counter()
            fset = followup_set(store)
            _row(f"follow-ups with {len(chosen)} statuses (rebuilt)", time.perf_counter() - start)
            for q in QUERIES[:1]:
                filter_followups(store, q)  # country and theme tables load once per process
            for q in QUERIES:
                times = []
                n = 0
                for _ in range(5):
                    start = time.perf_counter()
                    n = len(filter_followups(store, q))
                    times.append(time.perf_counter() - start)
                _row(f"filter {q!r} ({n:,})"[:44], statistics.median(times), TARGETS["filter"])
            times = []
            for _ in range(3):
                start = time.perf_counter()
                tl = timeline(store, "country:HU")
                times.append(time.perf_counter() - start)
            _row(f"timeline country:HU ({len(tl.briefings):,} briefings)", statistics.median(times),
                 TARGETS["timeline"])
            start = time.perf_counter()
            everyone = people(store)
            _row(f"people: {len(everyone):,} from party names", time.perf_counter() - start)
            figures = asyncio.run(_app_figures(store))
            _row("app: open the follow-ups screen (first)", figures["open (first)"], TARGETS["open"])
            _row("app: open the follow-ups screen (again)", figures["open (again)"], TARGETS["open"])
            _row("app: filter to rows drawn (median)", figures["filter in the app (median)"], TARGETS["filter"])
            _row("app: open a country's timeline screen", figures["timeline screen"], TARGETS["timeline"])
            _row("reference: open the help screen (?)", figures["help"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000")
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
