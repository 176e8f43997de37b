"""The timeline screen (c), through the pilot, and its snapshot at 120x40."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_tui_support import (fixture_records, make_app, make_record, plain_screen, running, settle,
                              stop_cursor_blink, sync)
from textual.widgets import OptionList, Sparkline

import store.followups as followups
from tui.screens.main import MainScreen
from tui.screens.prompt import Chooser
from tui.screens.timeline import TimelineScreen
from tui.widgets.timeline_list import TimelineList

TODAY = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(followups, "today", lambda: TODAY)


def thread_records() -> list[dict]:  # type: ignore[type-arg]
    """The fixture, plus two more meetings with the Prosecutor General, his name written otherwise."""
    extra = []
    for day, name in (("2025-06-02", "Gabor Nagy"), ("2025-02-11", "G. B. Nagy")):
        body = (f"Budapest, {day}. Ambassador Abzal Saparbekuly met Prosecutor General {name} on mutual legal "
                "assistance. The sides agreed to sign a memorandum by December 2025.")
        extra.append(make_record(title=f"Consultations with the Prosecutor General ({day})", date=day, body=body,
                                 countries=["HU", "KZ"], parties=[(name, "Prosecutor General", "HU", [name])],
                                 themes={"legal-cooperation": ["mutual legal assistance"]},
                                 commitments=[("The sides agreed to sign a memorandum by December 2025", ["HU", "KZ"],
                                               "2025-12")]))
    return [*fixture_records(), *extra]


async def choose(app, pilot, label: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("c")
    await pilot.pause()
    chooser = app.screen
    assert isinstance(chooser, Chooser)
    index = next(i for i, (text, value) in enumerate(chooser.choices) if value is not None and label in str(text))
    chooser.query_one(OptionList).highlighted = index
    await pilot.press("enter")
    await settle(app, pilot)
    await settle(app, pilot)


@sync
async def test_c_offers_the_briefings_parties_countries_and_themes(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("c")
        await pilot.pause()
        text = plain_screen(app)
        for item in ("Parties", "Abzal Saparbekuly", "Gábor Bálint Nagy", "Countries", "Hungary (HU)",
                     "Kazakhstan (KZ)", "Themes", "legal-cooperation"):
            assert item in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


@sync
async def test_a_country_timeline_shows_its_briefings_newest_first_a_monthly_chart_and_follow_ups(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await choose(app, pilot, "Hungary")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert [r["date"] for r in screen.timeline.briefings] == ["2025-11-20", "2025-03-12"]
        chart = screen.query_one(Sparkline)
        assert list(chart.data) == [1.0, 0, 0, 0, 0, 0, 0, 0, 1.0]
        text = plain_screen(app)
        assert "Hungary (HU)" in text and "2 briefings" in text and "2025-03  →  2025-11" in text
        assert "Hungary will host the next session" in text
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.list.current["date"] == "2025-03-12"


@sync
async def test_a_party_timeline_merges_the_persons_name_forms_shows_them_and_u_unmerges_one(tmp_path: Path) -> None:
    async with running(tmp_path, thread_records(), size=(120, 40)) as (app, pilot):
        await choose(app, pilot, "Gábor Bálint Nagy")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert [r["date"] for r in screen.timeline.briefings] == ["2025-11-20", "2025-06-02", "2025-02-11"]
        text = plain_screen(app)
        assert "Merged name forms:" in text and "Gabor Nagy" in text and "G. B. Nagy" in text
        await pilot.press("u")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, Chooser)
        chooser.query_one(OptionList).highlighted = [v for _, v in chooser.choices].index("G. B. Nagy")
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert [r["date"] for r in screen.timeline.briefings] == ["2025-11-20", "2025-06-02"]
        assert "G. B. Nagy" not in screen.timeline.forms


def test_snapshot_timeline_of_a_merged_person(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await choose(pilot.app, pilot, "Gábor Bálint Nagy")
        stop_cursor_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(make_app(tmp_path, thread_records()), terminal_size=(120, 40), run_before=run_before)


def test_snapshot_timeline_of_a_country(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await choose(pilot.app, pilot, "Kazakhstan")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path, thread_records()), terminal_size=(120, 40), run_before=run_before)
