"""The app's list, detail pane, highlights and layout, driven with the pilot like a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import fixture_records, make_app, make_record, plain_screen, running, seed_record, sync

from store.spans import spans_of
from tui.screens.main import MainScreen
from tui.widgets.briefing_list import BriefingList
from tui.widgets.detail import COMMITMENT_STYLE, PARTY_STYLE, BriefingDetail

def rows(app) -> list[str]:
    lst = app.screen.query_one(BriefingList)
    return [lst.render_line(y).text for y in range(min(len(lst.records), lst.scrollable_content_region.height))]


@sync
async def test_list_is_newest_first_with_dates_countries_titles_and_follow_up_counts(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        lines = rows(app)
        dates = [line.split()[0] for line in lines]
        assert dates == sorted(dates, reverse=True)
        assert lines[0].startswith(" 2025-11-20 HU KZ    A meeting was held between")
        assert lines[0].rstrip().endswith("2")  # two follow-ups
        assert app.screen.query_one("#list-pane").border_title == "7 of 7 briefings"


@sync
async def test_arrows_jk_page_and_g_G_move_the_cursor_and_the_detail_follows(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        lst = app.screen.query_one(BriefingList)
        detail = app.screen.query_one(BriefingDetail)
        assert lst.has_focus and lst.cursor == 0
        await pilot.press("down", "j")
        assert lst.cursor == 2
        await pilot.press("k")
        assert lst.cursor == 1
        await pilot.press("G")
        assert lst.cursor == 6
        await pilot.press("g")
        assert lst.cursor == 0
        await pilot.press("pagedown")
        assert lst.cursor == 6
        await pilot.press("pageup")
        await pilot.pause()
        assert lst.cursor == 0
        await pilot.press("down")
        await pilot.pause()
        assert detail.record is not None and detail.record["id"] == lst.records[1]["id"]


@sync
async def test_a_click_selects_the_row_under_the_mouse(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        lst = app.screen.query_one(BriefingList)
        await pilot.click(BriefingList, offset=(5, 3))
        await pilot.pause()
        assert lst.cursor == 3
        assert app.screen.shown["id"] == lst.records[3]["id"]


@sync
async def test_s_cycles_the_order_between_date_and_title(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        screen: MainScreen = app.screen
        await pilot.press("s")
        titles = [r["title"] for r in screen.list.records]
        assert screen.sort == "title" and titles == sorted(titles, key=str.casefold)
        assert screen.query_one("#list-pane").border_subtitle == "by title (s)"
        await pilot.press("s")
        assert screen.sort == "date"
        assert screen.list.records[0]["date"] == "2025-11-20"


@sync
async def test_an_empty_store_shows_how_to_ingest_and_open_the_demo(tmp_path: Path) -> None:
    async with running(tmp_path, records=[], size=(80, 24)) as (app, pilot):
        text = plain_screen(app)
        assert "Your store is empty" in text
        assert "press  i" in text and "briefings ingest PATH" in text and "briefings demo" in text
        assert not app.screen.query_one("#panes").display


@sync
async def test_the_detail_shows_header_parties_themes_follow_ups_and_legend(tmp_path: Path) -> None:
    async with running(tmp_path, size=(160, 48)) as (app, pilot):
        text = plain_screen(app)
        assert "2025-11-20 · Ministry of Foreign Affairs of the Republic of Kazakhstan · Budapest" in text
        parties = str(app.screen.query_one("#detail-parties").render())
        assert "Abzal Saparbekuly (Ambassador, KZ)" in parties
        assert "Gábor Bálint Nagy (Prosecutor General, HU)" in parties
        for label in ("Legal cooperation", "Anti-corruption", "Digital & technology", "Human rights & governance"):
            assert label in text
        assert "Follow-ups" in text and "• HU, KZ: the parties expressed mutual interest" in text
        assert "party  theme  follow-up  match  h: hide" in text
        assert "During the meeting, the parties discussed" in text


@sync
async def test_the_text_is_highlighted_from_the_extraction_spans_and_h_toggles_it(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        detail = app.screen.query_one(BriefingDetail)
        content = detail.body_content()
        text = content.plain

        def styled(style: str) -> set[str]:
            return {text[s.start:s.end] for s in content.spans if str(s.style) == style}

        assert {"Abzal Saparbekuly", "Gábor Bálint Nagy"} <= styled(PARTY_STYLE)
        assert any(t.startswith("the parties expressed mutual interest") for t in styled(COMMITMENT_STYLE))
        legal = {text[s.start:s.end] for s in content.spans if str(s.style) == "underline #59a14f"}
        assert legal == {"mutual legal assistance", "international legal cooperation"}
        await pilot.press("h")
        assert not detail.body_content().spans
        assert "highlights hidden" in plain_screen(app)
        await pilot.press("h")
        assert detail.body_content().spans


@sync
async def test_blank_line_runs_are_compacted_and_spans_still_point_at_their_words(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        content = app.screen.query_one(BriefingDetail).body_content()
        assert "\n\n\n" not in content.plain
        words = {content.plain[s.start:s.end] for s in content.spans}
        assert "combating corruption" in words and "artificial intelligence technologies" in words


@sync
async def test_control_characters_in_a_document_never_reach_the_terminal(tmp_path: Path) -> None:
    body = "Evil \x1b[31mred\x1b[0m text\x07 with a bell\x9b and\ra return.\n\nParty Alice Example spoke."
    rec = make_record(title="Bad \x1b]0;pwned\x07 title", date="2025-01-01", body=body, countries=["HU"],
                      parties=[("Alice Example", "Envoy", "HU", ["Alice Example"])])
    async with running(tmp_path, records=[rec], size=(100, 30)) as (app, pilot):
        detail = app.screen.query_one(BriefingDetail)
        plain = detail.body_content().plain
        assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in plain)
        assert len(plain) == len(body)  # offsets unchanged
        spans = [plain[s.start:s.end] for s in detail.body_content().spans]
        assert spans == ["Alice Example"]
        for line in rows(app):
            assert "\x1b" not in line and "\x07" not in line
        assert "\x1b" not in plain_screen(app)


@sync
async def test_80x24_stacks_the_list_above_the_briefing_and_wide_terminals_put_them_side_by_side(
        tmp_path: Path) -> None:
    for size, narrow in (((80, 24), True), ((120, 40), False), ((200, 60), False)):
        app = make_app(tmp_path / f"{size[0]}")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = app.screen
            lst = screen.query_one("#list-pane").region
            det = screen.query_one("#detail").region
            assert screen.has_class("-narrow") is narrow
            if narrow:
                assert det.y >= lst.bottom and det.height >= 10
            else:
                assert det.x >= lst.right and det.width >= 60
            await pilot.press("f")
            await pilot.pause()
            facets = screen.query_one("#facets").region
            assert facets.width >= 25 and screen.query_one("#list-pane").region.width >= 40
            # never a horizontal scrollbar on the text
            assert not screen.query_one(BriefingDetail).show_horizontal_scrollbar


@sync
async def test_works_with_no_color_and_in_the_light_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        assert app.no_color
        assert "Abzal Saparbekuly" in plain_screen(app)
        lst = app.screen.query_one(BriefingList)
        dark_row = list(lst.render_line(1))[1].style
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert list(lst.render_line(1))[1].style != dark_row  # cached rows are redrawn in the new theme
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


@sync
async def test_a_record_without_extracted_fields_still_reads_well(tmp_path: Path) -> None:
    # What a store holds when the extractor found nothing: every field there, all empty.
    bare = make_record(title=None, date=None, body="Plain text of a note.\n",  # type: ignore[arg-type]
                       source_file="note.txt")
    async with running(tmp_path, records=[bare], size=(80, 24)) as (app, pilot):
        text = plain_screen(app)
        assert "undated" in text and "note.txt" in text and "Plain text of a note." in text
        assert "Parties" not in text


@sync
async def test_n_and_N_scroll_the_text_to_each_search_match(tmp_path: Path) -> None:
    filler = "\n\n".join(f"Paragraph {i} about routine consular matters and visas." for i in range(60))
    body = f"Opening remarks on yellowcake.\n\n{filler}\n\nClosing: the yellowcake supply contract was discussed."
    rec = make_record(title="Long readout", date="2026-05-05", body=body, countries=["KZ"])
    async with running(tmp_path, records=[rec, *fixture_records()[1:3]], size=(80, 24)) as (app, pilot):
        await pilot.press("slash", *"yellowcake", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = app.screen.query_one(BriefingDetail)
        assert app.screen.shown["title"] == "Long readout"
        assert len(detail.match_spans) == 2
        await pilot.press("n")
        await pilot.pause()
        assert detail.current_match == 0
        await pilot.press("n")
        await pilot.pause()
        assert detail.current_match == 1
        assert detail.scroll_y > 50  # the last paragraph is far down
        assert "match 2 of 2" in plain_screen(app)
        await pilot.press("N")
        await pilot.pause()
        assert detail.current_match == 0 and detail.scroll_y < 10


@sync
async def test_enter_moves_to_the_text_and_escape_back_to_the_list(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("enter")
        assert app.screen.query_one(BriefingDetail).has_focus
        await pilot.press("escape")
        assert app.screen.query_one(BriefingList).has_focus


def test_seed_record_spans_are_correct() -> None:
    rec = seed_record()
    body = rec["body"]
    for p in rec["parties"]:
        assert all(body[s:e] == p["name"] for s, e in spans_of(p))
    for c in rec["commitments"]:
        (s, e), = spans_of(c)
        assert body[s:e] == c["text"]


@sync
async def test_enter_at_80x24_gives_the_briefing_the_screen_and_escape_gives_the_list_back(tmp_path: Path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        screen: MainScreen = app.screen
        detail = screen.query_one(BriefingDetail)
        browsing_height = detail.region.height
        await pilot.press("enter")
        await pilot.pause()
        assert detail.has_focus and screen.has_class("-reading")
        assert not screen.query_one("#browse").display  # the list makes way
        assert detail.region.height >= 20 > browsing_height
        text = plain_screen(app)
        footer = text.splitlines()[-1]
        assert "esc Back to list" in footer and "Prev/next" in footer
        assert "Esc: back to list" in str(detail.border_subtitle)
        assert "Briefing 1 of 7" in str(detail.border_title)
        # ] and [ read the next and previous briefing without leaving the text
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert detail.has_focus and detail.record["id"] == screen.list.records[1]["id"]
        assert "Briefing 2 of 7" in str(detail.border_title)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.list.has_focus and not screen.has_class("-reading")
        assert screen.query_one("#browse").display and screen.list.cursor == 1
        assert "Esc: back to list" not in str(detail.border_subtitle)


@sync
async def test_reading_on_a_wide_terminal_keeps_the_list_beside_the_text(tmp_path: Path) -> None:
    async with running(tmp_path, size=(160, 48)) as (app, pilot):
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-reading") and screen.query_one("#browse").display
        assert screen.query_one("#list-pane").region.width >= 60


@sync
async def test_a_search_that_matches_nothing_clears_every_section_of_the_detail(tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        assert "Follow-ups" in plain_screen(app) and "Legal cooperation" in plain_screen(app)
        await pilot.press("slash", *"zzzzqqqq")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = plain_screen(app)
        assert "No briefing matches zzzzqqqq" in text
        for gone in ("Themes", "Legal cooperation", "Follow-ups", "Parties", "h: hide", "During the meeting"):
            assert gone not in text, gone
        detail = app.screen.query_one(BriefingDetail)
        assert [c.id for c in detail.children if c.display] == ["detail-empty"]
        assert "match" not in str(detail.border_subtitle)
        await pilot.press("escape")  # clear: the briefing and its sections come back
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Follow-ups" in plain_screen(app) and "Legal cooperation" in plain_screen(app)
