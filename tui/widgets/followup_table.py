"""The follow-ups table: a line-API scroll view that draws only the rows on screen.

A DataTable measures every cell of every row when rows are added (about a
second for the ~34,000 follow-ups of 10,000 briefings); here a row is drawn on
demand from a plain list (a :class:`~tui.widgets.cursor_list.CursorList`), so
showing or re-sorting 34,000 rows costs a list assignment and one screenful of
drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.common import safe_line
from tui.widgets.cursor_list import CursorList, cursor_bindings, cursor_css

# (key, title, width; 0 = the rest)
COLUMNS = (("due", "Due", 10), ("countries", "Who", 8), ("text", "Commitment", 0), ("date", "Briefing", 10),
           ("status", "Status", 9), ("owner", "Owner", 12))
MARKS = {"done": "✓", "dropped": "✗", "open": "•"}


def status_label(fu: Any, today: date) -> str:
    if fu.orphaned:
        return "orphaned" if fu.status == "open" else fu.status + "?"
    if fu.is_overdue(today):
        return "overdue"
    return fu.status


def _widths(width: int) -> list[int]:
    fixed = sum(w for _, _, w in COLUMNS) + len(COLUMNS) + 2  # a space before each column, the mark
    rest = max(10, width - fixed)
    out = [w or rest for _, _, w in COLUMNS]
    if width < 100:  # narrow: no owner column
        out[-1] = 0
        out[2] += COLUMNS[-1][2] + 1
    return out


def header_line(width: int, sort: str, reverse: bool) -> str:
    parts = ["  "]
    for (key, title, _), w in zip(COLUMNS, _widths(width)):
        if not w:
            continue
        if key == sort:
            title += " ▼" if reverse else " ▲"
        parts.append(" " + set_cell_size(title, w))
    return "".join(parts)[:width]


class FollowupTable(CursorList):
    """Follow-ups, one row each: due, actor countries, commitment, briefing date, status, owner."""

    DEFAULT_CSS = cursor_css("FollowupTable", "followup-table--cursor") + """
    FollowupTable > .followup-table--due { color: $text-warning; }
    FollowupTable > .followup-table--countries { color: $text-accent; }
    FollowupTable > .followup-table--muted { color: $text-muted; }
    FollowupTable > .followup-table--overdue { color: $text-error; text-style: bold; }
    FollowupTable > .followup-table--done { color: $text-success; }
    FollowupTable > .followup-table--closed { color: $text-muted; text-style: strike; }
    """

    COMPONENT_CLASSES = {"followup-table--cursor", "followup-table--due", "followup-table--countries",
                         "followup-table--muted", "followup-table--overdue", "followup-table--done",
                         "followup-table--closed"}
    CURSOR_COMPONENT = "followup-table--cursor"

    BINDINGS = cursor_bindings("followups", up="Previous follow-up", down="Next follow-up",
                               first="First follow-up", last="Last follow-up")

    class Highlighted(CursorList.Highlighted):
        """The cursor moved to another follow-up (or the table emptied: ``item`` is None)."""

        @property
        def table(self) -> FollowupTable:
            return self.cursor_list  # type: ignore[return-value]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.today = date.today()

    @property
    def items(self) -> Sequence[Any]:
        return self._items

    def set_items(self, items: Sequence[Any], *, keep_id: str | None = None, today: date | None = None) -> None:
        if today is not None:
            self.today = today
        index = 0
        if keep_id is not None:
            index = self._index_of(items, keep_id)
        self._set_rows(items, index)

    def _index_of(self, items: Sequence[Any], keep_id: str) -> int:
        """Where the follow-up ``keep_id`` is in ``items`` (0: not there).

        Ids are hashed lazily, a briefing at a time: comparing every row's id would hash
        tens of thousands of clauses on a keystroke. An id hashes its briefing id, so when
        the row under the cursor is the one kept, only rows of its briefing can match."""
        current = self.current
        if current is not None and getattr(current, "_id", None) == keep_id:
            bid = current.briefing_id
            return next((i for i, fu in enumerate(items)
                         if fu is current or (fu.briefing_id == bid and fu.id == keep_id)), 0)
        return next((i for i, fu in enumerate(items) if fu.id == keep_id), 0)

    def replace_item(self, item: Any) -> None:
        """Show the new state of one follow-up (same id) without moving anything."""
        items = list(self._items)
        for i, fu in enumerate(items):
            if fu.id == item.id:
                items[i] = item
        self._items = items
        self.refresh_rows()
        if self.current is not None and self.current.id == item.id:
            self.post_message(self.Highlighted(self, item))

    # -- drawing ---------------------------------------------------------
    def render_row(self, index: int, width: int, selected: bool) -> Strip:
        fu = self._items[index]
        base = self._row_style(selected)
        label = status_label(fu, self.today)
        closed = fu.status in ("done", "dropped")

        def part(name: str | None) -> Style:
            if selected or name is None:
                return base
            return base + self._style(name)

        text_style = "followup-table--closed" if closed else None
        status_style = {"overdue": "followup-table--overdue", "done": "followup-table--done"}.get(
            label, "followup-table--muted" if label != "open" else None)
        mark = "!" if label == "overdue" else MARKS.get(fu.status, "•")
        cells = {
            "due": (fu.due or "—", "followup-table--overdue" if label == "overdue" else "followup-table--due"),
            "countries": (",".join(fu.countries) or "—", "followup-table--countries"),
            "text": (safe_line(fu.text), text_style),
            "date": (fu.briefing_date or "undated", "followup-table--muted"),
            "status": (label, status_style),
            "owner": (safe_line(fu.owner), "followup-table--muted"),
        }
        segments = [Segment(" ", base), Segment(mark, part(status_style or "followup-table--muted"))]
        for (key, _, _), w in zip(COLUMNS, _widths(width)):
            if not w:
                continue
            value, style = cells[key]
            if cell_len(value) > w:
                value = set_cell_size(value, max(0, w - 1)) + "…"
            segments.append(Segment(" ", base))
            segments.append(Segment(set_cell_size(value, w), part(style)))
        return Strip(segments).adjust_cell_length(width, base)


class FollowupHeader(Widget):
    """Column titles above a :class:`FollowupTable`, with the sort column marked."""

    DEFAULT_CSS = """
    FollowupHeader { height: 1; color: $text-muted; text-style: bold; background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort = "due"
        self.reverse = False

    def set_sort(self, sort: str, reverse: bool) -> None:
        self.sort, self.reverse = sort, reverse
        self.refresh()

    def render(self) -> str:
        # The table below has a one-column scrollbar: lay the titles out over the same width.
        return header_line(max(0, self.size.width - 1), self.sort, self.reverse)
