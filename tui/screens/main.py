"""The main screen: the query box, the list of briefings, the shown briefing and the facets.

All the data comes from the ``Store`` the app was given. Blocking work (search,
reload, facet counts over many records, warming the search index up) runs in
thread workers; only their results touch the widgets, through ``call_from_thread``.

What a keystroke in the query box costs, in order: a search in a thread; the
list's new rows (one screenful, with the matched words in the titles: only the
titles drawn are searched for them, microseconds each); then, once the user
stops typing, the briefing in the detail pane.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from store.search import QueryError
from tui.widgets.briefing_list import BriefingList, ListHeader
from tui.widgets.common import plural, safe_line
from tui.widgets.detail import BriefingDetail
from tui.widgets.facets import FacetsPane, facet_counts
from tui.widgets.search_box import QueryInput, SearchBox

if TYPE_CHECKING:
    from store.db import Store
    from tui.app import BriefingsApp

Record = Mapping[str, Any]

# How many ranked hits one search asks for; the border title says "N+" when reached.
SEARCH_LIMIT = 2000
SORTS = ("relevance", "date", "title")
FRESHNESS_INTERVAL_S = 1.0
# While the user types a query, the detail pane waits for a pause this long before it
# lays out the top hit's text: typing updates only the list.
DETAIL_DELAY_WHILE_TYPING_S = 0.25
# The search worker works out the matched words in this many titles (the first screenful
# by relevance); the rest are worked out when drawn.
TITLE_SPANS_AHEAD = 60


def newest_first_key(rec: Record) -> tuple[str, str]:
    return (rec.get("date") or "", rec.get("ingested_at") or "")


def welcome_text() -> Content:
    return Content.from_markup(
        "[b $text-primary]Welcome to briefings[/]\n\n"
        "Your store is empty. To add meeting summaries (readouts, cables, e-mails, .txt .md .html .eml .docx .pdf):\n\n"
        "  • press [b reverse] i [/] and type the path of a file or folder, or\n"
        "  • in a terminal run  [b]briefings ingest PATH[/]\n\n"
        "To look around first, open the bundled samples (a separate demo store):  [b]briefings demo[/]\n\n"
        "[dim]? shows every key · ctrl+p lists every command · q quits[/]")


class MainScreen(Screen[None]):
    """Browse, search, read and export briefings."""

    AUTO_FOCUS = "#list"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (170, "-very-wide")]

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="main.search",
                tooltip="Type a query; results update as you type (Enter: results, Esc: clear)"),
        Binding("f", "toggle_facets", "Facets", id="main.facets",
                tooltip="Show or hide countries, themes and parties of the results"),
        # Not in the footer: the list's border says "by date (s)".
        Binding("s", "cycle_sort", "Sort", show=False, id="main.sort",
                tooltip="Order the list by date, title, or relevance while searching"),
        Binding("e", "export_markdown", "Export", id="main.export",
                tooltip="Write the shown briefing as Markdown into the export folder"),
        Binding("E", "export_dialog", "Export as…", show=False, id="main.export-as",
                tooltip="Choose the format and the file to export the shown briefing to"),
        Binding("y", "copy_markdown", "Copy", show=False, id="main.copy",
                tooltip="Copy the shown briefing as Markdown to the clipboard"),
        Binding("h", "toggle_highlights", "Highlights", show=False, id="main.highlights",
                tooltip="Show or hide parties, themes and follow-ups in the text"),
        Binding("n", "next_match", "Next match", show=False, id="main.next-match",
                tooltip="Scroll the text to the next search match"),
        Binding("N", "previous_match", "Previous match", show=False, id="main.previous-match",
                tooltip="Scroll the text to the previous search match"),
        Binding("i", "ingest", "Ingest", id="main.ingest",
                tooltip="Read files or a folder into the store"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="main.reload",
                tooltip="Re-read the store from disk now"),
        Binding("escape", "back", "Back", show=False, id="main.back",
                tooltip="From the text back to the list; in the list, clear the search"),
        Binding("question_mark", "help", "Help", id="main.help",
                tooltip="Every key and the search syntax"),
        Binding("F", "followups", "Follow-ups", id="main.followups",
                tooltip="Every follow-up across briefings: filter, tick off, set owners and notes"),
        Binding("c", "timeline", "Timeline", show=False, id="main.timeline",
                tooltip="The timeline of a party, country or theme of the shown briefing"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._all: list[Record] = []
        self._query = ""
        self._generation = 0
        self._hits: list[Any] | None = None  # ranked hits of the current query; None: no query
        self._hit_by_id: dict[str, Any] = {}  # spans are computed lazily by the engine: ask per row
        self._sort = "date"
        self._sort_chosen = False
        self._by_title: tuple[int, list[Record]] | None = None
        self._reloading = False
        self.shown: Record | None = None
        self._pending_detail: Record | None = None
        self._detail_scheduled = False
        self._detail_timer: Any = None
        # Matched words in titles, by record id, for the current hits (worked out when drawn).
        self._title_spans: dict[str, list[tuple[int, int]]] = {}
        self.warmup_seconds: float | None = None  # how long the search index took to build

    @property
    def briefings_app(self) -> BriefingsApp:
        return self.app  # type: ignore[return-value]

    # -- layout ----------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchBox(id="search")
        with Horizontal(id="panes"):
            with Horizontal(id="browse"):
                yield FacetsPane(id="facets")
                with Vertical(id="list-pane"):
                    yield ListHeader(id="list-header")
                    yield BriefingList(id="list")
            yield BriefingDetail(id="detail")
        yield Static(welcome_text(), id="welcome")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#list-pane").border_title = "Briefings"
        self.query_one("#facets").border_title = "Facets"
        self.query_one("#detail").border_title = "Briefing"
        self._all = list(self.store.all())
        self._show_results(keep_id=None)
        self.set_interval(FRESHNESS_INTERVAL_S, self.check_freshness, name="freshness")
        if self._all:
            self.call_after_refresh(self._warm_up)

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Build the search index once the first screen is up, so the first keystroke does not pay for it."""
        import time

        start = time.perf_counter()
        try:
            self.store.search_hits("", limit=1)
        except Exception:
            return  # the first real search reports whatever is wrong
        self.warmup_seconds = time.perf_counter() - start
        try:
            # The folding tables behind the highlight patterns (~5 ms) too, rather than in
            # the first keystroke's search.
            from store.search.fold import prepare

            prepare()
        except Exception:
            pass
        self.app.call_from_thread(_freeze_long_lived)

    # -- reading mode ------------------------------------------------------
    # While the text has the focus the screen has -reading: at 80x24 the list makes
    # way for the briefing (app.tcss); Esc gives the list back.
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._update_reading()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._update_reading()

    def _update_reading(self) -> None:
        focused = self.focused
        self.set_class(focused is not None and self.detail in focused.ancestors_with_self, "-reading")

    @property
    def reading(self) -> bool:
        return self.has_class("-reading")

    # -- convenience -----------------------------------------------------
    @property
    def list(self) -> BriefingList:
        return self.query_one("#list", BriefingList)

    @property
    def detail(self) -> BriefingDetail:
        return self.query_one("#detail", BriefingDetail)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one("#search", SearchBox)

    @property
    def facets(self) -> FacetsPane:
        return self.query_one("#facets", FacetsPane)

    @property
    def query_text(self) -> str:
        return self._query

    @property
    def sort(self) -> str:
        return self._sort

    # -- results ---------------------------------------------------------
    def _base_records(self) -> list[Record]:
        if self._hits is None:
            return self._all
        return [hit.record for hit in self._hits]

    def _sorted(self, records: list[Record]) -> list[Record]:
        if self._sort == "title":
            if self._hits is None:
                if self._by_title is None or self._by_title[0] != id(self._all):
                    self._by_title = (id(self._all), sorted(self._all, key=_title_key))
                return self._by_title[1]
            return sorted(records, key=_title_key)
        if self._sort == "date" and self._hits is not None:
            return sorted(records, key=newest_first_key, reverse=True)
        return records  # the store's order (newest first) or the ranking

    def _show_results(self, keep_id: str | None) -> None:
        empty_store = not self._all
        self.set_class(empty_store, "-empty")
        records = self._sorted(self._base_records())
        self.list.set_records(records, title_spans=self._title_spans_of if self._hits else None, keep_id=keep_id)
        self._update_titles()
        if not records:
            self._show_detail(None)
        if self.has_class("-facets"):
            self.call_after_refresh(self._refresh_facets)

    def _update_titles(self) -> None:
        total = len(self._all)
        shown = len(self.list.records)
        more = "+" if self._hits is not None and len(self._hits) >= SEARCH_LIMIT else ""
        pane = self.query_one("#list-pane")
        pane.border_title = f"{shown:,}{more} of {plural(total, 'briefing')}"
        pane.border_subtitle = f"by {self._sort} (s)"

    def _show_detail(self, rec: Record | None) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self.shown = rec
        if rec is None:
            if not self._all:
                message: Content | str = ""
            elif self._query:
                message = Content.from_markup(
                    "No briefing matches [b]$q[/b].\n\nTry fewer words, a shorter field value "
                    "(t:legal, party:nagy), or press Esc to clear the search.", q=safe_line(self._query))
            else:
                message = "No briefing selected."
            self.detail.show(None, empty_message=message)
            self.detail.border_title = "Briefing"
            return
        hit = self._hit_by_id.get(str(rec.get("id")))
        self.detail.show(rec, list(getattr(hit, "body_spans", None) or []) if hit is not None else [])
        self._update_detail_title()

    def _update_detail_title(self) -> None:
        rec = self.shown
        if rec is None:
            self.detail.border_title = "Briefing"
            return
        position = ""
        current = self.list.current
        if current is not None and current.get("id") == rec.get("id"):
            position = f" {self.list.cursor + 1:,} of {len(self.list.records):,}"
        self.detail.border_title = f"Briefing{position} · {str(rec.get('id', ''))[:8]}"

    @on(BriefingList.Highlighted)
    def _on_highlighted(self, event: BriefingList.Highlighted) -> None:
        if isinstance(event, BriefingList.Selected):
            return
        # Draw the list first, the briefing right after: holding an arrow key or typing
        # a query never waits for a long text to be laid out. While the query box has the
        # focus the briefing waits for a pause in the typing (an empty result shows at once).
        self._pending_detail = event.record
        typing = self.focused is self.search_box.input and event.record is not None
        if typing:
            if self._detail_timer is not None:
                self._detail_timer.stop()
            self._detail_timer = self.set_timer(DETAIL_DELAY_WHILE_TYPING_S, self._flush_detail,
                                                name="detail-after-typing")
        elif not self._detail_scheduled:
            self._detail_scheduled = True
            self.call_after_refresh(self._flush_detail)

    def _flush_detail(self) -> None:
        self._detail_scheduled = False
        self._show_detail(self._pending_detail)

    def flush_detail_now(self) -> None:
        """Show the highlighted briefing now (the user left the query box)."""
        if self._detail_timer is not None:
            self._flush_detail()

    @on(BriefingList.Selected)
    def _on_selected(self, event: BriefingList.Selected) -> None:
        self._pending_detail = event.record
        if self.shown is None or self.shown.get("id") != (event.record or {}).get("id"):
            self._show_detail(event.record)
        self.detail.focus()

    def _title_spans_of(self, record_id: str) -> list[tuple[int, int]] | None:
        """The matched words in a title, worked out when its row is first drawn (title only: cheap)."""
        spans = self._title_spans.get(record_id)
        if spans is None:
            hit = self._hit_by_id.get(record_id)
            if hit is None:
                return None
            spans = self._title_spans[record_id] = title_spans_of_hit(hit)
        return spans

    # -- search ----------------------------------------------------------
    @on(QueryInput.Changed)
    def _on_query_changed(self, event: QueryInput.Changed) -> None:
        self.run_query(event.value)

    @on(QueryInput.Submitted)
    def _on_query_submitted(self, event: QueryInput.Submitted) -> None:
        self.list.focus()
        self.flush_detail_now()

    @on(QueryInput.Leave)
    def _on_query_leave(self, event: QueryInput.Leave) -> None:
        self.list.focus()
        self.flush_detail_now()

    def run_query(self, query: str) -> None:
        """Start searching for ``query`` (the latest call wins)."""
        self._query = query.strip()
        self._generation += 1
        if not self._query:
            self.workers.cancel_group(self, "search")
            self.search_box.set_error(None)
            self._hits = None
            self._hit_by_id = {}
            self._title_spans = {}
            if self._sort == "relevance":
                self._sort = "date"
            current = self.list.current
            self._show_results(keep_id=current.get("id") if current else None)
            return
        self._search(self._query, self._generation)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, generation: int, keep_id: str | None = None) -> None:
        worker = get_current_worker()
        hits: list[Any] | None = None
        by_id: dict[str, Any] = {}
        spans: dict[str, list[tuple[int, int]]] = {}
        error: str | None = None
        try:
            hits = list(self.store.search_hits(query, limit=SEARCH_LIMIT))
            by_id = {str(h.record.get("id")): h for h in hits}
            # The titles of the first rows, here rather than while the list is drawn: the
            # first also compiles the query's pattern (up to ~20 ms for a one-letter prefix).
            spans = {str(h.record.get("id")): title_spans_of_hit(h) for h in hits[:TITLE_SPANS_AHEAD]}
        except QueryError as exc:
            error = str(exc) or "the query cannot be understood"
        except Exception as exc:  # a bug in an engine must not take the app down
            error = f"the search failed ({type(exc).__name__}: {exc})"
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self._search_done, generation, hits, error, keep_id, by_id, spans)

    def _search_done(self, generation: int, hits: list[Any] | None, error: str | None,
                     keep_id: str | None = None, by_id: dict[str, Any] | None = None,
                     title_spans: dict[str, list[tuple[int, int]]] | None = None) -> None:
        if generation != self._generation:
            return  # an older query finished after a newer one started
        self.search_box.set_error(safe_line(error) if error else None)
        if error is not None or hits is None:
            return  # keep the last good results under the message
        self._hits = hits
        self._hit_by_id = by_id if by_id is not None else {str(h.record.get("id")): h for h in hits}
        self._title_spans = dict(title_spans or {})
        if not self._sort_chosen:
            self._sort = "relevance"
        self._show_results(keep_id=keep_id)

    # -- facets ----------------------------------------------------------
    def _refresh_facets(self) -> None:
        records = self.list.records
        if len(records) <= 300:  # ~1 ms; more is counted in a thread
            self.facets.show_counts(facet_counts(records))
        else:
            self._count_facets(records, self._generation)

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def _count_facets(self, records: Sequence[Record], generation: int) -> None:
        counts = facet_counts(records)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._facets_done, counts, generation)

    def _facets_done(self, counts: Any, generation: int) -> None:
        if generation == self._generation:
            self.facets.show_counts(counts)

    @on(FacetsPane.Chosen)
    def _on_facet_chosen(self, event: FacetsPane.Chosen) -> None:
        self.add_to_query(event.term)

    def add_to_query(self, term: str) -> None:
        """Append ``term`` to the query box (once) and search."""
        box = self.search_box.input
        words = box.value.split()
        if term in words or box.value.strip().endswith(term):
            return
        box.value = (box.value.rstrip() + " " + term).strip()
        box.cursor_position = len(box.value)

    # -- actions ---------------------------------------------------------
    def action_focus_search(self) -> None:
        self.search_box.input.focus()

    def insert_in_query(self, prefix: str) -> None:
        """Put a field prefix (``country:``) at the end of the query and focus the box."""
        box = self.search_box.input
        box.value = (box.value.rstrip() + " " + prefix).lstrip()
        box.cursor_position = len(box.value)
        box.focus()

    def action_toggle_facets(self) -> None:
        self.toggle_class("-facets")
        if self.has_class("-facets"):
            self.call_after_refresh(self._refresh_facets)
            self.facets.options.focus()
        elif self.focused is None or self.facets in self.focused.ancestors_with_self:
            self.list.focus()

    def action_cycle_sort(self) -> None:
        choices = [s for s in SORTS if s != "relevance" or self._hits is not None]
        self._sort = choices[(choices.index(self._sort) + 1) % len(choices)] if self._sort in choices \
            else choices[0]
        self._sort_chosen = True
        current = self.list.current
        self._show_results(keep_id=current.get("id") if current else None)
        self.notify(f"Sorted by {self._sort}", timeout=2)

    def action_toggle_highlights(self) -> None:
        self.detail.set_highlights(not self.detail.highlights)

    def action_next_match(self) -> None:
        if not self.detail.jump_to_match(+1):
            self._no_matches()

    def action_previous_match(self) -> None:
        if not self.detail.jump_to_match(-1):
            self._no_matches()

    def _no_matches(self) -> None:
        if self.shown is None:
            return
        what = "Search first (/) to find words in the text." if not self._query else \
            "No search match in this briefing's text."
        self.notify(what, timeout=3)

    def action_back(self) -> None:
        if self.detail.has_focus or (self.focused and self.detail in self.focused.ancestors_with_self):
            self.list.focus()
        elif self.focused and self.facets in self.focused.ancestors_with_self:
            self.list.focus()
        elif self._query:
            self.search_box.input.value = ""

    def action_next_briefing(self) -> None:
        self._step_briefing(+1)

    def action_previous_briefing(self) -> None:
        self._step_briefing(-1)

    def _step_briefing(self, step: int) -> None:
        """While reading: the next or previous briefing of the list, without leaving the text."""
        lst = self.list
        if not lst.records:
            return
        target = lst.cursor + step
        if not 0 <= target < len(lst.records):
            self.notify("That was the last briefing in the list." if step > 0 else
                        "This is the first briefing in the list.", timeout=2)
            return
        lst.cursor = target

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_followups(self) -> None:
        from tui.screens.followups import FollowupsScreen, reveal_in_main

        self.app.push_screen(FollowupsScreen(self.store), lambda chosen: reveal_in_main(self, chosen))

    def action_timeline(self) -> None:
        from tui.screens.followups import reveal_in_main
        from tui.screens.prompt import Chooser
        from tui.screens.timeline import TimelineScreen, subject_choices

        rec = self._need_briefing()
        if rec is None:
            return

        def chosen(subject: Any) -> None:
            if subject is not None:
                self.app.push_screen(TimelineScreen(self.store, subject), lambda rid: reveal_in_main(self, rid))

        self.app.push_screen(Chooser("Timeline of…", subject_choices(self.store, rec)), chosen)

    # export ---------------------------------------------------------------
    def _need_briefing(self) -> Record | None:
        if self.shown is None:
            self.notify("No briefing is shown: pick one in the list first.", severity="warning")
        return self.shown

    def export(self, fmt: str) -> Path | None:
        """Write the shown briefing in ``fmt`` into the export folder under a free name."""
        from store.export import ExportError, default_filename, export_to

        rec = self._need_briefing()
        if rec is None:
            return None
        folder = self.briefings_app.export_dir
        name = default_filename(dict(rec), fmt)
        target = folder / name
        stem, dot, ext = name.rpartition(".")
        n = 2
        while target.exists():
            target = folder / f"{stem}-{n}{dot}{ext}"
            n += 1
        try:
            path = export_to(dict(rec), fmt, path=target)
        except ExportError as exc:
            self.notify(safe_line(str(exc)), title="Export failed", severity="error", timeout=8)
            return None
        except Exception as exc:  # a formatter bug: say so, keep the app
            self.notify(safe_line(f"{type(exc).__name__}: {exc}"), title="Export failed", severity="error",
                        timeout=8)
            return None
        self.notify(safe_line(str(path)), title=f"Exported as {fmt.upper()}", timeout=6)
        return path

    def action_export_markdown(self) -> None:
        self.export("md")

    def action_export_dialog(self, fmt: str | None = None) -> None:
        from tui.screens.export_dialog import ExportDialog

        rec = self._need_briefing()
        if rec is None:
            return

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(safe_line(str(path)), title="Exported", timeout=6)

        self.app.push_screen(ExportDialog(rec, self.briefings_app.export_dir, fmt=fmt), done)

    def action_copy_markdown(self) -> None:
        from store.export import to_markdown

        rec = self._need_briefing()
        if rec is None:
            return
        text = to_markdown(dict(rec))
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied “{safe_line(rec.get('title') or 'the briefing')[:50]}” as Markdown "
                    f"({plural(text.count(chr(10)) + 1, 'line')}). Over SSH your terminal must allow "
                    "clipboard access (OSC 52).", title="Copied", timeout=5)

    # ingest ---------------------------------------------------------------
    def action_ingest(self) -> None:
        from tui.screens.ingest_dialog import IngestPathDialog, IngestProgress, IngestResults

        def after_ingest(report: Any) -> None:
            self.reload_now()
            if report is None:
                return
            failed = list(getattr(report, "failed", []) or [])
            summary = (f"Added {len(report.added)}, unchanged {len(report.unchanged)}, "
                       f"failed {len(failed)}")
            if failed:
                self.app.push_screen(IngestResults(report))
            else:
                self.notify(summary + ".", title="Ingest finished", timeout=6)

        def with_path(paths: list[str] | None) -> None:
            if paths:
                self.app.push_screen(IngestProgress(self.store, paths), after_ingest)

        self.app.push_screen(IngestPathDialog(), with_path)

    # freshness ------------------------------------------------------------
    def check_freshness(self) -> None:
        """Called every second: a stat of the store file; reload in a worker when it changed."""
        if self._reloading:
            return
        try:
            changed = self.store.changed_on_disk()
        except Exception:
            return
        if changed:
            self._reloading = True
            self._reload()

    def action_reload(self) -> None:
        self.reload_now(announce=True)

    def reload_now(self, announce: bool = False) -> None:
        self._reloading = True
        self._reload(announce)

    @work(thread=True, exclusive=True, group="reload", exit_on_error=False)
    def _reload(self, announce: bool = False) -> None:
        error: str | None = None
        records: list[Record] = []
        try:
            self.store.reload()
            records = list(self.store.all())
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.app.call_from_thread(self._reload_done, records, error, announce)

    def _reload_done(self, records: list[Record], error: str | None, announce: bool) -> None:
        self._reloading = False
        if error is not None:
            self.notify(safe_line(error), title="Cannot reload the store", severity="error", timeout=8)
            return
        before = len(self._all)
        self._all = records
        current = self.list.current
        keep = current.get("id") if current else None
        if self._query:
            self._generation += 1
            self._search(self._query, self._generation, keep)
        else:
            self._show_results(keep_id=keep)
        added = len(records) - before
        if announce or added:
            change = f"{plural(added, 'new briefing')}" if added > 0 else "no new briefings"
            self.notify(f"Store reloaded: {change}, {plural(len(records), 'briefing')} in all.", timeout=4)


def _freeze_long_lived() -> None:
    """Move what exists now (the app, its widgets, the records, the index's tables) out of the
    garbage collector's sight: they live as long as the app, and every full collection would
    walk them again (up to ~50 ms at 10,000 briefings, in the middle of a keystroke)."""
    import gc

    gc.freeze()


def title_spans_of_hit(hit: Any) -> list[tuple[int, int]]:
    """The matched words in a hit's title. A lazy hit of the engine can give them alone
    (microseconds); reading ``hit.title_spans`` would work out its snippet and body spans too."""
    try:
        quick = getattr(getattr(hit, "_make", None), "title_spans", None)
        return list((quick() if quick is not None else hit.title_spans) or [])
    except Exception:
        return []


def _title_key(rec: Record) -> str:
    return str(rec.get("title") or "").casefold()
