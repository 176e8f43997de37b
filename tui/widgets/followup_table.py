"""The follow-ups table: a line-API scroll view that draws only the rows on screen.

A DataTable measures every cell of every row when rows are added (about a
second for the ~34,000 follow-ups of 10,000 briefings); here a row is drawn on
demand from a plain list, so showing or re-sorting 34,000 rows costs a list
assignment and one screenful of drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.common import safe_line

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


class FollowupTable(ScrollView, can_focus=True):
    """Follow-ups, one row each: due, actor countries, commitment, briefing date, status, owner."""

    DEFAULT_CSS = """
    FollowupTable {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    FollowupTable > .followup-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    FollowupTable:focus > .followup-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
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

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="followups.up", tooltip="Previous follow-up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="followups.down", tooltip="Next follow-up"),
        Binding("pageup", "page_up", "Page up", show=False, id="followups.page-up", tooltip="One screen up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="followups.page-down",
                tooltip="One screen down"),
        Binding("home,g", "first", "First", show=False, id="followups.first", tooltip="First follow-up"),
        Binding("end,G", "last", "Last", show=False, id="followups.last", tooltip="Last follow-up"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        def __init__(self, table: FollowupTable, item: Any) -> None:
            super().__init__()
            self.table = table
            self.item = item

        @property
        def control(self) -> FollowupTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._items: Sequence[Any] = []
        self.today = date.today()
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(512)
        self._styles: dict[str, Style] = {}
        self._last_sent: object = object()

    @property
    def items(self) -> Sequence[Any]:
        return self._items

    @property
    def current(self) -> Any:
        return self._items[self.cursor] if 0 <= self.cursor < len(self._items) else None

    def set_items(self, items: Sequence[Any], *, keep_id: str | None = None, today: date | None = None) -> None:
        self._items = items
        if today is not None:
            self.today = today
        self._cache.clear()
        index = 0
        if keep_id is not None:
            index = next((i for i, fu in enumerate(items) if fu.id == keep_id), 0)
        self.virtual_size = Size(self.scrollable_content_region.width, len(items))
        self._last_sent = object()
        self.cursor = index
        self.refresh()

    def replace_item(self, item: Any) -> None:
        """Show the new state of one follow-up (same id) without moving anything."""
        items = list(self._items)
        for i, fu in enumerate(items):
            if fu.id == item.id:
                items[i] = item
        self._items = items
        self._cache.clear()
        self.refresh()
        if self.current is not None and self.current.id == item.id:
            self.post_message(self.Highlighted(self, item))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._items) - 1)) if self._items else 0

    def watch_cursor(self, value: int) -> None:
        height = self.scrollable_content_region.height
        if height > 0:
            top = self.scroll_offset.y
            if value < top:
                self.scroll_to(y=value, animate=False, immediate=True)
            elif value >= top + height:
                self.scroll_to(y=value - height + 1, animate=False, immediate=True)
        self.refresh()
        item = self.current
        if item is not self._last_sent:
            self._last_sent = item
            self.post_message(self.Highlighted(self, item))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._items))
        self._cache.clear()

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._items) - 1

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._items):
            self.focus()
            self.cursor = row

    # -- drawing ---------------------------------------------------------
    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self._items) or width <= 0:
            return Strip.blank(width, self.rich_style)
        key = (index, width, index == self.cursor, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._render_row(self._items[index], width, index == self.cursor)
        return strip

    def _render_row(self, fu: Any, width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        if is_cursor:
            base = base + self.get_component_rich_style("followup-table--cursor")
        label = status_label(fu, self.today)
        closed = fu.status in ("done", "dropped")

        def part(name: str | None) -> Style:
            if is_cursor or name is None:
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

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._items)


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
