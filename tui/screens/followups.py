"""`F`: every follow-up across briefings, filtered, sorted, and ticked off.

The rows come from :func:`store.followups.followup_set` (worked out in a
thread, cached by the store); the filter box takes the search language plus
``is:open|done|dropped|overdue|orphaned``. Space, ``d``, ``o`` and ``n``
change a follow-up: the row changes at once and the store is written in a
thread (a failed write puts the row back and says why). Enter leaves for the
main screen with the briefing selected and the clause highlighted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from tui.widgets.common import plural, safe_line
from tui.widgets.followup_table import FollowupHeader, FollowupTable, status_label

if TYPE_CHECKING:
    from store.db import Store
    from store.followups import FollowUp

SORTS = ("due", "date", "countries", "status", "text")
PLACEHOLDER = "Filter: country:HU is:open due:<2026-06 · is:overdue · t:legal · party:nagy   (Esc: back)"


class FollowupsScreen(Screen[Any]):
    """All follow-ups as a table; dismisses with the follow-up to show in its briefing, or None."""

    CSS_PATH = "../followups.tcss"
    AUTO_FOCUS = "#fu-table"

    BINDINGS = [
        Binding("escape", "back", "Back", id="followups.back",
                tooltip="From the filter to the table; from the table back to the briefings"),
        Binding("slash", "focus_filter", "Filter", id="followups.filter",
                tooltip="Filter with the search language plus is:open, is:done, is:dropped, is:overdue, is:orphaned"),
        Binding("space", "toggle_done", "Done/open", id="followups.done", tooltip="Mark done, or open again"),
        Binding("d", "toggle_dropped", "Drop", id="followups.drop", tooltip="Mark dropped, or open again"),
        Binding("o", "owner", "Owner", id="followups.owner", tooltip="Set who follows it up"),
        Binding("n", "note", "Note", id="followups.note", tooltip="Edit the note"),
        Binding("enter", "open_briefing", "Open briefing", id="followups.open",
                tooltip="Show the briefing with this clause highlighted"),
        Binding("s", "cycle_sort", "Sort", id="followups.sort",
                tooltip="Sort by due date, briefing date, countries, status or text"),
        Binding("r", "reverse_sort", "Reverse", show=False, id="followups.reverse", tooltip="Reverse the order"),
    ]

    def __init__(self, store: Store, *, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.query_text = query
        self.sort = "due"
        self.reverse = False
        self._matched: list[FollowUp] = []
        self._total = 0
        self._counts = (0, 0)  # open, overdue among the rows (worked out with them, off the UI thread)
        self._generation = 0
        self.shown_generation = 0  # the filter run whose rows are on screen (tests and the bench wait on it)
        self.loaded = False
        self._error_shown: str | None = None

    # -- layout ----------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="fu-filter-row"):
            yield Static("/", id="fu-prompt")
            yield Input(self.query_text, placeholder=PLACEHOLDER, id="fu-filter")
        yield Static(id="fu-error")
        with Vertical(id="fu-pane"):
            yield FollowupHeader(id="fu-header")
            yield FollowupTable(id="fu-table")
        yield Static(id="fu-detail")
        yield Footer(compact=True)

    @property
    def table(self) -> FollowupTable:
        return self.query_one("#fu-table", FollowupTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#fu-filter", Input)

    def on_mount(self) -> None:
        from store.followups import today

        self.table.today = today()
        pane = self.query_one("#fu-pane")
        pane.border_title = "Follow-ups"
        pane.border_subtitle = "loading…"
        self._refresh_detail(None)
        self._run(self.query_text, keep_id=None)

    # -- data ----------------------------------------------------------------
    def _run(self, query: str, keep_id: str | None) -> None:
        self._generation += 1
        self._filter(query, self._generation, keep_id)

    @work(thread=True, exclusive=True, group="followups", exit_on_error=False)
    def _filter(self, query: str, generation: int, keep_id: str | None) -> None:
        from store.followups import filter_followups, followup_set
        from store.search import QueryError

        worker = get_current_worker()
        error = None
        items: list[FollowUp] = []
        total = 0
        counts = (0, 0)
        try:
            fset = followup_set(self.store)
            total = len(fset)
            ordered, order = self._sorted_set(fset)
            if query.strip():
                # Filter, then keep the presorted order: a membership pass over the
                # sorted set is far cheaper than sorting 30,000 rows on every keystroke.
                position = self._positions(fset)
                chosen = {position[id(fu)] for fu in filter_followups(self.store, query, fset=fset)}
                picked = [i for i in order if i in chosen]
                every = fset.items
                items = [every[i] for i in picked]
            else:
                items, picked = list(ordered), order
            # The counts from the set's columns (worked out once), not from every row's due date.
            status, deadlines = fset.column("status"), fset.column("deadline")
            day = self.table.today.toordinal()
            opened = [i for i in picked if status[i] == "open"]
            counts = (len(opened), sum(1 for i in opened if (end := deadlines[i]) is not None and end < day))
        except QueryError as exc:
            error = str(exc) or "the filter cannot be understood"
        except Exception as exc:  # a bug must not take the app down
            error = f"the filter failed ({type(exc).__name__}: {exc})"
        if not worker.is_cancelled:
            self.app.call_from_thread(self._done, generation, items, total, error, keep_id, counts)

    def _sorted_set(self, fset: Any) -> tuple[list[FollowUp], list[int]]:
        """The whole set in the current order, and the set's indices in that order;
        cached until the set or the order changes."""
        from store.followups import sort_followups

        # Holding the set itself (not its id) means a new set can never be mistaken for it.
        key = (fset, self.sort, self.reverse)
        cached = getattr(self, "_sorted", None)
        if cached is None or cached[0][0] is not fset or cached[0][1:] != key[1:]:
            ordered = sort_followups(fset.items, self.sort, self.reverse)
            position = self._positions(fset)
            cached = self._sorted = (key, ordered, [position[id(fu)] for fu in ordered])  # type: ignore[attr-defined]
        return cached[1], cached[2]

    def _positions(self, fset: Any) -> dict[int, int]:
        """id() of each follow-up of the set → its index there (cached with the set, which holds them)."""
        cached = getattr(self, "_position", None)
        if cached is None or cached[0] is not fset:
            cached = self._position = (fset, {id(fu): i for i, fu in enumerate(fset.items)})  # type: ignore[attr-defined]
        return cached[1]

    def _done(self, generation: int, items: list[FollowUp], total: int, error: str | None,
              keep_id: str | None, counts: tuple[int, int] = (0, 0)) -> None:
        if generation != self._generation:
            return
        self.shown_generation = generation
        self.set_class(error is not None, "-error")
        if error != self._error_shown:  # an update lays the screen out again: only when it changes
            self._error_shown = error
            err = self.query_one("#fu-error", Static)
            err.update(Content.from_markup("[b]Filter problem:[/b] $m", m=safe_line(error)) if error else "")
        if error is not None:
            return
        self._matched, self._total, self._counts = items, total, counts
        current = self.table.current
        self.table.set_items(items, keep_id=keep_id or (current.id if current is not None else None))
        self._update_titles()
        self.loaded = True

    def _update_titles(self) -> None:
        items = self.table.items
        opened, overdue = self._counts
        pane = self.query_one("#fu-pane")
        shown = f"{len(items):,} of {plural(self._total, 'follow-up')}" if self.query_text.strip() \
            else plural(self._total, "follow-up")
        pane.border_title = f"Follow-ups: {shown} · {opened:,} open · {overdue:,} overdue"
        pane.border_subtitle = f"by {self.sort} {'▼' if self.reverse else '▲'} (s, r)"
        self.query_one("#fu-header", FollowupHeader).set_sort(self.sort, self.reverse)

    @on(Input.Changed, "#fu-filter")
    def _on_filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._run(event.value, keep_id=None)

    @on(Input.Submitted, "#fu-filter")
    def _on_filter_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()

    # -- the line under the table ------------------------------------------------
    @on(FollowupTable.Highlighted)
    def _on_highlighted(self, event: FollowupTable.Highlighted) -> None:
        self._refresh_detail(event.item)

    def _refresh_detail(self, fu: FollowUp | None) -> None:
        if fu is None:
            self._set_detail(Content("No follow-up matches." if self.loaded else ""))
            return
        label = status_label(fu, self.table.today)
        parts: list[Content | str | tuple[str, str]] = [
            (f"{label.upper()}", "bold $text-error" if label == "overdue" else "bold"),
            f"  {fu.id[:8]}  ",
            (f"due {fu.due}" if fu.due else "no due date", "$text-warning"),
            "  ·  ", (",".join(fu.countries) or "—", "$text-accent"), "\n",
            (safe_line(fu.text), "italic"), "\n",
            ("From ", "$text-muted"), safe_line(fu.briefing_title), (f"  ({fu.briefing_date or 'undated'})", "$text-muted"),
        ]
        if fu.orphaned:
            parts += ["\n", ("The extractor no longer finds this clause: kept with its last known text.", "$text-warning")]
        if fu.owner or fu.note:
            parts.append("\n")
            if fu.owner:
                parts += [("Owner ", "bold"), safe_line(fu.owner), "   "]
            if fu.note:
                parts += [("Note ", "bold"), safe_line(fu.note)]
        self._set_detail(Content.assemble(*parts))

    def _set_detail(self, content: Content) -> None:
        """Show ``content`` under the table, laying the screen out again only if its height changes.

        A layout resizes the table too (it takes the rest of the height), which draws every
        row again: after a keystroke, that would be a second full drawing of the table."""
        box = self.query_one("#fu-detail", Static)
        width = box.content_region.width
        box.update(content, layout=False)
        if width <= 0 or box.outer_size.height != self._detail_height(box, width):
            box.refresh(layout=True)

    def _detail_height(self, box: Static, width: int) -> int:
        """The height the detail box will take with its new content (-1: cannot tell)."""
        from textual.css.scalar import Unit

        styles = box.styles
        if styles.box_sizing != "border-box" or styles.height is None or not styles.height.is_auto:
            return -1
        height = box.get_content_height(self.size, self.size, width) + box.gutter.height
        for limit, pick in ((styles.min_height, max), (styles.max_height, min)):
            if limit is not None:
                if limit.unit != Unit.CELLS:
                    return -1
                height = pick(height, int(limit.value))
        return height

    # -- changing a follow-up ------------------------------------------------------
    def _recount(self, before: FollowUp, after: FollowUp) -> None:
        on = self.table.today
        opened, overdue = self._counts
        opened += (after.status == "open") - (before.status == "open")
        overdue += after.is_overdue(on) - before.is_overdue(on)
        self._counts = (opened, overdue)

    def _change(self, fu: FollowUp, **changes: str) -> None:
        after = fu._replace(**changes)
        self._recount(fu, after)
        self.table.replace_item(after)
        self._update_titles()
        self._save(fu, changes)

    @work(thread=True, group="followups-save", exit_on_error=False)
    def _save(self, before: FollowUp, changes: dict[str, str]) -> None:
        try:
            after = self.store.set_followup(before.id, **changes)
        except Exception as exc:
            self.app.call_from_thread(self._save_failed, before, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._saved, after)

    def _saved(self, after: FollowUp) -> None:
        self.table.replace_item(after)
        self._matched = list(self.table.items)
        self._update_titles()

    def _save_failed(self, before: FollowUp, message: str) -> None:
        current = next((x for x in self.table.items if x.id == before.id), before)
        self._recount(current, before)
        self.table.replace_item(before)
        self._update_titles()
        self.notify(safe_line(message), title="Follow-up not saved", severity="error", timeout=8)

    def _need_current(self) -> FollowUp | None:
        fu = self.table.current
        if fu is None:
            self.notify("No follow-up is selected.", severity="warning", timeout=3)
        return fu

    def action_toggle_done(self) -> None:
        fu = self._need_current()
        if fu is not None:
            self._change(fu, status="open" if fu.status == "done" else "done")

    def action_toggle_dropped(self) -> None:
        fu = self._need_current()
        if fu is not None:
            self._change(fu, status="open" if fu.status == "dropped" else "dropped")

    def _prompt(self, field: str, title: str, label: str, placeholder: str) -> None:
        from tui.screens.prompt import TextPrompt

        fu = self._need_current()
        if fu is None:
            return

        def done(value: str | None) -> None:
            if value is not None and value != getattr(fu, field):
                current = next((x for x in self.table.items if x.id == fu.id), fu)
                self._change(current, **{field: value})

        self.app.push_screen(TextPrompt(title, label, getattr(fu, field), about=safe_line(fu.text)[:200],
                                        placeholder=placeholder), done)

    def action_owner(self) -> None:
        self._prompt("owner", "Owner", "Who follows this up (empty: nobody)", "e.g. A. Saparbekuly, consular section")

    def action_note(self) -> None:
        self._prompt("note", "Note", "Note (empty: none)", "e.g. draft sent to MFA on 3 March")

    # -- moving around ---------------------------------------------------------------
    def action_open_briefing(self) -> None:
        fu = self._need_current()
        if fu is None:
            return
        try:
            self.store.get(fu.briefing_id)
        except Exception:
            self.notify("Its briefing is no longer in the store.", severity="warning", timeout=4)
            return
        self.dismiss(fu)

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_back(self) -> None:
        if self.filter_input.has_focus:
            self.table.focus()
        else:
            self.dismiss(None)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._resort()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._resort()

    def _resort(self) -> None:
        from store.followups import sort_followups

        current = self.table.current
        items = sort_followups(self.table.items, self.sort, self.reverse)
        self.table.set_items(items, keep_id=current.id if current is not None else None)
        self._update_titles()


# -- from another screen to the main one ---------------------------------------------
def reveal_in_main(main: Any, target: Any, spans: Sequence[Sequence[int]] | None = None) -> None:
    """Select a briefing in the main screen's list and show it; with ``spans``, highlight and scroll to them.

    ``target`` is a FollowUp (its clause is highlighted), a briefing id, or None (nothing to do).
    """
    if target is None:
        return
    if isinstance(target, str):
        rid, spans = target, spans or ()
    else:
        rid, spans = target.briefing_id, list(target.spans)
    try:
        rec = main.store.get(rid)
    except Exception:
        main.notify("That briefing is no longer in the store.", severity="warning", timeout=4)
        return
    lst = main.list

    def index() -> int | None:
        return next((i for i, r in enumerate(lst.records) if r.get("id") == rid), None)

    if index() is None and main.query_text:
        main.search_box.input.value = ""
        main.run_query("")
    found = index()
    if found is None:
        main.notify("That briefing is not in the list yet: press Ctrl+R to reload.", severity="warning", timeout=4)
        return
    lst.cursor = found

    def show(tries: int = 0) -> None:
        # Wait until the main screen has drawn the newly selected briefing, then add the highlight.
        pending = getattr(main, "_detail_scheduled", False)
        shown = main.shown
        if (pending or shown is None or shown.get("id") != rid) and tries < 40:
            main.set_timer(0.025, lambda: show(tries + 1))
            return
        if spans:
            main.detail.show(rec, spans)
            main.detail.jump_to_match(+1)
        main.detail.focus()

    main.set_timer(0.025, show)
