"""Searching from the app: typing, errors, threads, highlights and facets."""

from __future__ import annotations

import threading
from pathlib import Path

from test_tui_support import make_app, plain_screen, running, settle, sync

from store.search import QueryError
from tui.screens.main import TITLE_SPANS_AHEAD
from tui.widgets.briefing_list import BriefingList
from tui.widgets.detail import MATCH_STYLE, BriefingDetail
from tui.widgets.facets import FacetsPane, facet_term
from tui.widgets.search_box import QueryInput


@sync
async def test_slash_focuses_the_query_box_and_results_update_while_typing(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("slash")
        box = app.screen.query_one(QueryInput)
        assert box.has_focus
        await pilot.press(*"hungary")
        await settle(app, pilot)
        titles = [r["title"] for r in app.screen.list.records]
        assert len(titles) == 2 and all("Hungary" in t or "Nagy" in t for t in titles)
        assert app.screen.query_one("#list-pane").border_title == "2 of 7 briefings"
        assert app.screen.sort == "relevance"
        assert box.has_focus  # typing stays in the box


@sync
async def test_enter_moves_to_the_results_and_escape_clears_and_goes_back(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("slash", *"japan", "enter")
        await settle(app, pilot)
        assert app.screen.query_one(BriefingList).has_focus
        assert len(app.screen.list.records) < 7
        await pilot.press("slash", "escape")
        await settle(app, pilot)
        assert app.screen.query_one(QueryInput).value == ""
        assert app.screen.query_one(BriefingList).has_focus
        assert len(app.screen.list.records) == 7


@sync
async def test_a_query_error_shows_under_the_box_and_the_app_carries_on(tmp_path: Path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        await pilot.press("slash", *'"legal')
        await settle(app, pilot)
        error = app.screen.query_one("#search-error")
        assert error.display and "Query problem" in plain_screen(app)
        assert "quote" in str(error.render()).lower()
        await pilot.press('"')
        await settle(app, pilot)
        assert not app.screen.query_one("#search").has_class("-error")


@sync
async def test_an_engine_that_raises_query_error_with_any_message_is_shown_inline(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    def broken(query: str, limit: int = 50):  # type: ignore[no-untyped-def]
        raise QueryError("unknown field 'colour:'; fields are party:, country:, theme:")

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.store.search_hits = broken  # type: ignore[method-assign]
        await pilot.press("slash", *"colour:red")
        await settle(app, pilot)
        assert "unknown field 'colour:'" in str(app.screen.query_one("#search-error").render())
        assert len(app.screen.list.records) == 7  # the last good results stay


@sync
async def test_searching_runs_in_a_thread_so_typing_never_waits_and_the_latest_query_wins(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    real = app.store.search_hits
    release = threading.Event()
    seen: list[str] = []

    def slow(query: str, limit: int = 50):  # type: ignore[no-untyped-def]
        seen.append(query)
        if query != "kazakhstan japan":
            release.wait(10)  # earlier queries hang until the test lets them go
        return real(query, limit=limit)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.store.search_hits = slow  # type: ignore[method-assign]
        await pilot.press("slash", *"kaz")
        await pilot.pause()
        await pilot.press(*"akhstan japan")  # typing goes on while "kaz" is still searching
        assert app.screen.query_one(QueryInput).value == "kazakhstan japan"
        release.set()
        await settle(app, pilot)
        titles = [r["title"] for r in app.screen.list.records]
        assert titles == ["Kazakhstan and Japan discuss energy and the Middle Corridor"]
        assert seen[0] == "k" and seen[-1] == "kazakhstan japan"


@sync
async def test_matched_words_are_highlighted_in_the_titles_and_the_text(tmp_path: Path) -> None:
    async with running(tmp_path, size=(160, 48)) as (app, pilot):
        await pilot.press("slash", *"hungary", "enter")
        await settle(app, pilot)
        lst = app.screen.query_one(BriefingList)
        segments = [seg for y in range(2) for seg in lst.render_line(y)]
        match = lst.get_component_rich_style("briefing-list--match")
        assert any(seg.text == "Hungary" and seg.style and seg.style.underline for seg in segments)
        assert match.underline
        content = app.screen.query_one(BriefingDetail).body_content()
        matched = {content.plain[s.start:s.end].lower() for s in content.spans if str(s.style) == MATCH_STYLE}
        assert "hungary" in matched and "budapest" not in matched
        assert "matches" in plain_screen(app)


@sync
async def test_f_shows_facets_of_the_results_and_choosing_one_adds_it_to_the_query(tmp_path: Path) -> None:
    async with running(tmp_path, size=(160, 48)) as (app, pilot):
        await pilot.press("f")
        await settle(app, pilot)
        facets = app.screen.query_one(FacetsPane)
        assert facets.display and facets.options.has_focus
        ids = [facets.options.get_option_at_index(i).id for i in range(facets.options.option_count)]
        assert "country:KZ" in ids and "theme:legal-cooperation" in ids and 'party:"Gábor Bálint Nagy"' in ids
        text = plain_screen(app)
        assert "Countries (7)" in text and "   4 KZ" in text and "   2 HU" in text
        # choose "country:HU" (the second country: KZ 4, then HU 2 first of the ties)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.screen.query_one(QueryInput).value == "country:HU"
        assert {r["id"] for r in app.screen.list.records} and all(
            "HU" in r["countries"] for r in app.screen.list.records)
        assert "Countries (2)" in plain_screen(app)  # the counts follow the results
        facets.options.highlighted = facets.options.get_option_index('party:"Gábor Bálint Nagy"')
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one(QueryInput).value == 'country:HU party:"Gábor Bálint Nagy"'
        assert len(app.screen.list.records) == 1
        await pilot.press("f")
        assert not facets.display


def test_facet_terms_quote_names_with_spaces() -> None:
    assert facet_term("country", "HU") == "country:HU"
    assert facet_term("theme", "legal-cooperation") == "theme:legal-cooperation"
    assert facet_term("party", "Gábor Bálint Nagy") == 'party:"Gábor Bálint Nagy"'
    assert facet_term("party", 'Mr "X" Y') == 'party:"Mr X Y"'


@sync
async def test_no_match_says_so_in_the_detail_pane(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("slash", *"zzzzqqqq")
        await settle(app, pilot)
        assert app.screen.list.records == []
        assert "No briefing matches zzzzqqqq" in plain_screen(app)
        assert app.screen.query_one("#list-pane").border_title == "0 of 7 briefings"


@sync
async def test_sort_offers_relevance_only_while_searching(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("slash", *"kazakhstan", "enter")
        await settle(app, pilot)
        assert app.screen.sort == "relevance"
        await pilot.press("s")
        assert app.screen.sort == "date"
        dates = [r["date"] for r in app.screen.list.records]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("s", "s")
        assert app.screen.sort == "relevance"
        await pilot.press("escape")  # clears the search from the list
        await settle(app, pilot)
        assert app.screen.sort == "date"


def many_hungary_records(n: int) -> list[dict]:
    from test_tui_support import make_record

    return [make_record(title=f"Hungary consultations, round {i}", date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                        body=f"Budapest. Round {i} of the consultations with Hungary on trade.", countries=["HU"])
            for i in range(n)]


@sync
async def test_the_search_index_is_built_in_a_thread_as_soon_as_the_first_screen_is_up(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    real = app.store.search_hits
    calls: list[tuple[str, bool]] = []

    def spy(query: str, limit: int = 50):  # type: ignore[no-untyped-def]
        calls.append((query, threading.current_thread() is threading.main_thread()))
        return real(query, limit=limit)

    app.store.search_hits = spy  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert calls == [("", False)]  # before any keystroke, off the main thread
        assert app.screen.warmup_seconds is not None


@sync
async def test_while_typing_only_the_list_follows_and_the_briefing_waits_for_a_pause(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tui.screens.main as main_module

    monkeypatch.setattr(main_module, "DETAIL_DELAY_WHILE_TYPING_S", 60.0)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        first = app.screen.shown
        assert first is not None and "Japan" not in first["title"]
        await pilot.press("slash", *"japan")
        await settle(app, pilot)
        assert "Japan" in app.screen.list.records[0]["title"]
        assert app.screen.shown["id"] == first["id"]  # the detail did not lay out a text per keystroke
        await pilot.press("enter")  # leaving the box shows the top hit at once
        await pilot.pause()
        assert app.screen.shown["id"] == app.screen.list.records[0]["id"]


@sync
async def test_title_highlights_are_worked_out_for_the_rows_drawn_only_without_scanning_the_texts(
        tmp_path: Path) -> None:
    app = make_app(tmp_path, records=many_hungary_records(300))
    real = app.store.search_hits
    returned: list[list[object]] = []

    def spy(q, limit=50):  # type: ignore[no-untyped-def]
        hits = real(q, limit=limit)
        returned.append(hits)
        return hits

    app.store.search_hits = spy  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"hungar")
        await settle(app, pilot)
        returned.clear()
        await pilot.press("y", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert len(app.screen.list.records) == 300
        hits = returned[-1]
        lst = app.screen.query_one(BriefingList)
        assert any(seg.text == "Hungary" and seg.style and seg.style.underline for seg in lst.render_line(0))
        # Only the rows drawn had their titles searched, and no text was scanned for them
        # (the detail pane's briefing is the one hit whose snippet and body spans exist).
        assert len(app.screen._title_spans) <= TITLE_SPANS_AHEAD + 24
        assert sum(getattr(h, "_make", None) is None for h in hits) <= 1
        # scrolling down draws rows whose titles were not worked out yet: they are highlighted too
        await pilot.press("end")
        await settle(app, pilot)
        assert any(seg.text == "Hungary" and seg.style and seg.style.underline
                   for seg in lst.render_line(lst.scrollable_content_region.height - 1))
