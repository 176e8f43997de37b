"""The follow-ups screen (F), through the pilot, and its snapshot at 120x40."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_tui_support import make_app, plain_screen, running, settle, stop_cursor_blink, sync

import store.followups as followups
from store import open_store
from tui.screens.followups import FollowupsScreen
from tui.screens.main import MainScreen
from tui.screens.prompt import TextPrompt

TODAY = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(followups, "today", lambda: TODAY)


async def open_followups(app, pilot) -> FollowupsScreen:  # type: ignore[no-untyped-def]
    """F, once the app is up (:func:`running` waited for its first screen)."""
    await pilot.press("F")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, FollowupsScreen)
    return screen


@sync
async def test_F_lists_every_follow_up_by_due_date_with_the_overdue_ones_marked(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        screen = await open_followups(app, pilot)
        rows = screen.table.items
        assert len(rows) == 6
        assert [fu.due for fu in rows[:3]] == ["2024-12-31", "2025-12-31", "2026-03-31"]
        text = plain_screen(app)
        assert "Follow-ups: 6 follow-ups · 6 open · 2 overdue" in text
        assert "! 2024-12-31" in text and "overdue" in text
        await pilot.press("s")  # by briefing date, newest first
        assert screen.table.items[0].briefing_date == "2025-11-20"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


@sync
async def test_the_filter_takes_the_search_language_and_is_filters_and_says_what_is_wrong(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        screen = await open_followups(app, pilot)
        await pilot.press("slash", *"country:HU is:open")
        await settle(app, pilot)
        assert {fu.briefing_date for fu in screen.table.items} == {"2025-11-20", "2025-03-12"}
        assert "3 of 6 follow-ups" in plain_screen(app)
        screen.filter_input.value = "is:overdue"
        await settle(app, pilot)
        assert [fu.due for fu in screen.table.items] == ["2024-12-31", "2025-12-31"]
        screen.filter_input.value = "is:opne"
        await settle(app, pilot)
        assert "Filter problem" in plain_screen(app) and "is:open" in plain_screen(app)
        assert len(screen.table.items) == 2  # the last good rows stay
        await pilot.press("escape")  # from the filter to the table
        await pilot.pause()
        assert screen.table.has_focus


@sync
async def test_space_marks_done_o_sets_an_owner_n_a_note_and_the_store_keeps_them(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        screen = await open_followups(app, pilot)
        first = screen.table.current
        await pilot.press("space")
        await settle(app, pilot)
        assert screen.table.current.status == "done"
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Anna K.", "enter")
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"sent to MFA", "enter")
        await settle(app, pilot)
        await pilot.press("down", "d")
        await settle(app, pilot)
        text = plain_screen(app)
        assert "done" in text and "Anna K." in text and "Note sent to MFA" not in text  # the cursor moved on
        stored = {fu.id: fu for fu in open_store(app.store.path).followups()}
        assert (stored[first.id].status, stored[first.id].owner, stored[first.id].note) == ("done", "Anna K.", "sent to MFA")
        assert stored[screen.table.current.id].status == "dropped"
        await pilot.press("up", "space")  # again: open
        await settle(app, pilot)
        assert open_store(app.store.path).followups(f"is:open")[0] is not None
        assert {fu.id: fu.status for fu in open_store(app.store.path).followups()}[first.id] == "open"
        assert "1 overdue" in plain_screen(app)  # the first (overdue) one is open again: 2 … minus the dropped


@sync
async def test_enter_shows_the_briefing_with_the_clause_highlighted_even_when_a_search_hides_it(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("slash", *"japan", "enter")
        await settle(app, pilot)
        main = app.screen
        assert all("Germany" not in (r.get("title") or "") for r in main.list.records)
        await pilot.press("F")
        await settle(app, pilot)
        target = app.screen.table.current  # the Germany–India dialogue, due 2024
        assert target.briefing_title.startswith("Germany")
        await pilot.press("enter")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert app.screen is main
        assert main.list.current["id"] == target.briefing_id
        assert main.shown["id"] == target.briefing_id
        assert main.detail.match_spans and main.detail.current_match == 0
        start, end = main.detail.match_spans[0]
        assert main.detail._body[start:end] == target.text
        assert main.detail.has_focus


def test_snapshot_follow_ups_screen_sorted_by_due_with_overdue_ones(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.press("F")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("space")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        stop_cursor_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(make_app(tmp_path, export_dir=Path("/home/analyst/exports")), terminal_size=(120, 40),
                        run_before=run_before)
