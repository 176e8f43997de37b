"""Export, copy, ingest, freshness, help, the command palette and the bindings, through the pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_tui_support import make_app, make_record, other_records, plain_screen, running, settle, sync

from store import open_store
from store.db import IngestReport
from tui.screens.export_dialog import ExportDialog
from tui.screens.help import HelpScreen
from tui.screens.ingest_dialog import IngestPathDialog, IngestProgress, IngestResults
from tui.screens.main import FRESHNESS_INTERVAL_S, MainScreen
from tui.widgets.briefing_list import BriefingList
from tui.widgets.search_box import QueryInput


def notifications(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{n.title}: {n.message}" for n in app._notifications]


# -- export ----------------------------------------------------------------
@sync
async def test_e_writes_the_shown_briefing_as_markdown_into_the_export_folder_and_says_where(
        tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("e")
        await pilot.pause()
        files = list((tmp_path / "exports").iterdir())
        assert [f.name for f in files] == ["2025-11-20-a-meeting-was-held-between-ambassador-of-kazakhstan-abzal.md"]
        text = files[0].read_text(encoding="utf-8")
        assert text.startswith("# A meeting was held") and "Gábor Bálint Nagy" in text
        assert any(str(files[0]) in n for n in notifications(app))
        await pilot.press("e")  # a second export never overwrites the first
        await pilot.pause()
        assert len(list((tmp_path / "exports").iterdir())) == 2


@sync
async def test_E_opens_a_dialog_to_pick_format_and_path_and_asks_before_overwriting(tmp_path: Path) -> None:
    from store.export import FORMATS

    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.path_input
        expected = tmp_path / "exports" / "2025-11-20-a-meeting-was-held-between-ambassador-of-kazakhstan-abzal.md"
        assert path_input.value == str(expected)
        assert {f"format-{f}" for f in FORMATS} == {b.id for b in dialog.query("RadioButton")}
        if "txt" in FORMATS:
            await pilot.click("#format-txt")
            await pilot.pause()
            assert path_input.value.endswith(".txt") and dialog.fmt == "txt"
        target = Path(path_input.value)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("keep me", encoding="utf-8")
        await pilot.click("#export-go")
        await pilot.pause()
        assert app.screen is dialog  # not yet: it asks first
        assert "exists" in str(dialog.query_one("#export-message").render())
        assert str(dialog.query_one("#export-go").label) == "Overwrite"
        assert target.read_text(encoding="utf-8") == "keep me"
        dialog.path_input.focus()
        await pilot.press("enter")  # "Press Overwrite (or Enter)"
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), str(dialog.query_one("#export-message").render())
        assert target.read_text(encoding="utf-8") != "keep me"
        assert any(str(target) in n for n in notifications(app))


@sync
async def test_the_export_dialog_writes_a_new_file_at_once_and_escape_cancels(tmp_path: Path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        await pilot.press("E")
        await pilot.pause()
        app.screen.path_input.value = str(tmp_path / "out" / "note.md")
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "out" / "note.md").read_text(encoding="utf-8").startswith("# A meeting")
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


@sync
async def test_y_copies_the_markdown_to_the_clipboard_and_says_so(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert copied and copied[0].startswith("# A meeting was held")
        assert any(n.startswith("Copied") for n in notifications(app))


# -- ingest ----------------------------------------------------------------
@sync
async def test_i_asks_for_a_path_ingests_with_a_progress_bar_and_lists_the_failures(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text("x", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    app = make_app(tmp_path)
    store = app.store
    new = make_record(title="Uzbekistan and Poland hold consultations", date="2026-02-18",
                      body="Tashkent, 18 February 2026. Uzbekistan and Poland held consultations.",
                      countries=["PL", "UZ"])
    calls: list[list[str]] = []

    def fake_add_files(paths: list[str], *, progress=None, max_bytes=None) -> IngestReport:  # type: ignore[no-untyped-def]
        # The app's side of ingest is under test here; the store's own tests cover reading files.
        calls.append([str(p) for p in paths])
        if progress:
            progress(folder / "a.txt", "read")
            progress(folder / "broken.pdf", "failed")
        added, unchanged = store.add_records([new])
        return IngestReport(added=added, unchanged=unchanged,
                            failed=[(folder / "broken.pdf", "a scanned PDF with no text layer")])

    store.add_files = fake_add_files  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, IngestPathDialog)
        await pilot.press(*str(tmp_path / "nowhere"), "enter")
        await pilot.pause()
        assert "Not found" in plain_screen(app)
        app.screen.query_one("#ingest-path").value = str(folder)
        await pilot.press("enter")
        await pilot.pause()
        await settle(app, pilot)
        await settle(app, pilot)
        assert calls == [[str(folder)]]
        assert isinstance(app.screen, IngestResults)
        text = plain_screen(app)
        assert "Added 1, unchanged 0, failed 1" in text
        assert "broken.pdf" in text and "a scanned PDF with no text layer" in text
        await pilot.press("escape")
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.list.records[0]["title"] == "Uzbekistan and Poland hold consultations"
        assert main.query_one("#list-pane").border_title == "8 of 8 briefings"


@sync
async def test_the_ingest_progress_screen_shows_a_progress_bar(tmp_path: Path) -> None:
    async with running(tmp_path, size=(100, 30)) as (app, pilot):
        screen = IngestProgress(app.store, [str(tmp_path)])
        screen._ingest = lambda: None  # type: ignore[method-assign]  # do not start the worker
        await app.push_screen(screen)
        await pilot.pause()
        screen._set_total(4)
        screen._advance(3, str(tmp_path / "c.txt"))
        await pilot.pause()
        bar = screen.query_one("ProgressBar")
        assert bar.total == 4 and bar.progress == 3
        assert "c.txt" in plain_screen(app)


@sync
async def test_a_clean_ingest_is_summarised_in_a_notification(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    app.store.add_files = lambda paths, **kw: IngestReport(added=[], unchanged=["x"])  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i", *str(tmp_path), "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("Added 0, unchanged 1, failed 0" in n for n in notifications(app))


# -- freshness ---------------------------------------------------------------
@sync
async def test_a_change_by_another_process_is_picked_up_keeping_the_query_and_the_selection(
        tmp_path: Path) -> None:
    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        main: MainScreen = app.screen
        timers = [t for t in main._timers if t.name == "freshness"]
        assert timers and FRESHNESS_INTERVAL_S <= 1.0
        await pilot.press("slash", *"kazakhstan", "enter")
        await settle(app, pilot)
        await pilot.press("down")
        selected = main.list.current["id"]
        before = len(main.list.records)
        # "briefings ingest" in another terminal: another Store on the same file
        other = open_store(app.store.path)
        other.add_records([make_record(title="Kazakhstan and Mongolia on mining", date="2024-01-15",
                                       body="Ulaanbaatar, 15 January 2024. Kazakhstan and Mongolia discussed mining.",
                                       countries=["KZ", "MN"])])
        assert app.store.changed_on_disk()
        main.check_freshness()  # what the 1 s timer calls
        await settle(app, pilot)
        await settle(app, pilot)
        assert main.query_one(QueryInput).value == "kazakhstan"
        assert len(main.list.records) == before + 1
        assert main.list.current["id"] == selected
        assert main.query_one("#list-pane").border_title.endswith("of 8 briefings")
        assert not app.store.changed_on_disk()


# -- help, palette, bindings ---------------------------------------------------
@sync
async def test_question_mark_shows_every_key_and_the_search_syntax(tmp_path: Path) -> None:
    async with running(tmp_path, size=(160, 48)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from tui.screens.help import help_content

        text = str(help_content())
        assert "Leave the app" in plain_screen(app) and "Search syntax" in plain_screen(app)
        for binding in [*MainScreen.BINDINGS, *BriefingList.BINDINGS]:
            assert binding.tooltip in text
        for field in ("party:", "p:", "person:", "country:", "c:", "theme:", "t:", "source:", "org:", "date:",
                      "after:", "before:", "has:commitments", "due:<", '"legal assistance"', " OR ", "-visa",
                      "(gas OR oil)"):
            assert field in text, field
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@sync
async def test_the_command_palette_offers_every_action_and_runs_them(tmp_path: Path) -> None:
    from tui.commands_palette import BriefingsCommands

    async with running(tmp_path, size=(120, 40)) as (app, pilot):
        provider = BriefingsCommands(app.screen)
        names = [name for name, _, _ in provider.commands()]
        from store.export import FORMATS

        for expected in ["Search by country (country:)", "Search by party (party:)", "Search by theme (theme:)",
                         "Toggle facets", "Toggle highlights", "Light theme", "Dark theme", "Reload the store",
                         "Copy as Markdown", "Ingest files…", "Help: keys and search syntax",
                         *[n for n in names if n.startswith("Export as")]]:
            assert expected in names
        assert len([n for n in names if n.startswith("Export as")]) == len(FORMATS)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"toggle facets")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.has_class("-facets")
        await pilot.press("ctrl+p", *"search by country")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        box = app.screen.query_one(QueryInput)
        assert box.value == "country:" and box.has_focus
        dict(((n, cb) for n, cb, _ in provider.commands()))["Light theme"]()
        assert app.theme == "textual-light"


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    from textual.binding import Binding

    from tui.app import BriefingsApp
    from tui.screens.export_dialog import ExportDialog
    from tui.screens.help import HelpScreen
    from tui.screens.ingest_dialog import IngestPathDialog, IngestResults

    from tui.widgets.detail import BriefingDetail

    classes: list[Any] = [BriefingsApp, MainScreen, BriefingList, BriefingDetail, QueryInput, HelpScreen,
                          ExportDialog, IngestPathDialog, IngestResults]
    ids = []
    for cls in classes:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding), (cls, binding)
            assert binding.id and binding.tooltip, (cls, binding)
            ids.append(binding.id)
    assert len(ids) == len(set(ids))


@sync
async def test_the_footer_shows_the_main_keys_at_80_columns(tmp_path: Path) -> None:
    async with running(tmp_path, size=(80, 24)) as (app, pilot):
        footer = plain_screen(app).splitlines()[-1]
        for key in ("/ Search", "f Facets", "e Export", "i Ingest", "? Help", "q Quit"):
            assert key in footer


# -- the command line -------------------------------------------------------------
def test_export_dir_option_and_env_reach_the_app(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tui.app
    from tui import cli

    seen: list[Any] = []
    monkeypatch.setattr(tui.app, "run_app", lambda store, *, export_dir=None: seen.append(export_dir) or 0)
    db = tmp_path / "db.json"
    assert cli.main(["--db", str(db), "--export-dir", str(tmp_path / "x")]) == 0
    assert cli.main(["--db", str(db), "tui"]) == 0
    monkeypatch.setenv("BRIEFINGS_EXPORT_DIR", str(tmp_path / "env"))
    assert cli.main(["--db", str(db)]) == 0
    assert seen == [tmp_path / "x", Path.home() / "Documents" / "Briefings exports", tmp_path / "env"] or \
        seen[0] == tmp_path / "x" and seen[2] == tmp_path / "env"


@sync
async def test_other_records_render_without_errors(tmp_path: Path) -> None:
    async with running(tmp_path, records=other_records(), size=(80, 24)) as (app, pilot):
        for _ in other_records():
            await pilot.press("down")
            await pilot.pause()
        assert app.screen.list.cursor == len(other_records()) - 1
