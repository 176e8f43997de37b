"""What the app looks like, as SVG snapshots: five screens a user sees, at 80x24 and 160x48.

Deterministic: fixed records (fixed ingested_at), a fixed theme, a fixed export
folder, no cursor blink, every worker finished before the picture is taken.
Update with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look
at the pictures before accepting them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import make_app, stop_cursor_blink

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
EXPORTS = Path("/home/analyst/Documents/Briefings exports")


def steps(*keys: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        stop_cursor_blink(pilot.app)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_main_screen_with_the_seed_briefing_selected(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, export_dir=EXPORTS), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_search_for_hungary_highlights_matches(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, export_dir=EXPORTS), terminal_size=size,
                        run_before=steps("slash", *"hungary", "enter", "n"))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_facets_pane(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, export_dir=EXPORTS), terminal_size=size, run_before=steps("f"))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_help_screen(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, export_dir=EXPORTS), terminal_size=size,
                        run_before=steps("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_export_dialog(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, export_dir=EXPORTS), terminal_size=size, run_before=steps("E"))


def test_snapshot_reading_the_seed_briefing_at_80x24(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path, export_dir=EXPORTS), terminal_size=(80, 24), run_before=steps("enter"))
