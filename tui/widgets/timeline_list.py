"""The briefings of a timeline: several lines each, drawn only when on screen.

An OptionList lays out every option (wrapping each) before it shows one: a
country's ~1,000 briefings of four lines took over a second. Here each entry is
a few plain lines of (text, style name) pieces prepared off the UI thread, and
:meth:`render_line` draws one line on demand.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Piece = tuple[str, str | None]   # text, component class suffix ("date", "muted" …) or None
Line = list[Piece]


class TimelineList(ScrollView, can_focus=True):
    """Entries (a briefing each) of several lines; the cursor is on an entry."""

    DEFAULT_CSS = """
    TimelineList { overflow-x: hidden; overflow-y: auto; scrollbar-size-vertical: 1; background: $surface; }
    TimelineList > .timeline-list--cursor { background: $block-cursor-blurred-background; }
    TimelineList:focus > .timeline-list--cursor { background: $boost; text-style: none; }
    TimelineList > .timeline-list--marker { color: $block-cursor-background; text-style: bold; }
    TimelineList > .timeline-list--date { color: $text-warning; text-style: bold; }
    TimelineList > .timeline-list--title { text-style: bold; }
    TimelineList > .timeline-list--countries { color: $text-accent; }
    TimelineList > .timeline-list--muted { color: $text-muted; }
    TimelineList > .timeline-list--overdue { color: $text-error; text-style: bold; }
    TimelineList > .timeline-list--done { color: $text-success; }
    TimelineList > .timeline-list--due { color: $text-warning; }
    """

    COMPONENT_CLASSES = {"timeline-list--cursor", "timeline-list--marker", "timeline-list--date",
                         "timeline-list--title", "timeline-list--countries", "timeline-list--muted",
                         "timeline-list--overdue", "timeline-list--done", "timeline-list--due"}

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="timeline.up", tooltip="Newer briefing"),
        Binding("down,j", "cursor_down", "Down", show=False, id="timeline.down", tooltip="Older briefing"),
        Binding("pageup", "page_up", "Page up", show=False, id="timeline.page-up", tooltip="One screen up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="timeline.page-down", tooltip="One screen down"),
        Binding("home,g", "first", "First", show=False, id="timeline.first", tooltip="Newest briefing"),
        Binding("end,G", "last", "Last", show=False, id="timeline.last", tooltip="Oldest briefing"),
        Binding("enter", "select", "Open briefing", id="timeline.open",
                tooltip="Show this briefing in the main screen"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Selected(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: list[str] = []
        self.entries: list[list[Line]] = []
        self._starts: list[int] = []
        self._total = 0
        self._styles: dict[str, Style] = {}

    def set_entries(self, keys: Sequence[str], entries: Sequence[list[Line]]) -> None:
        self.keys, self.entries = list(keys), list(entries)
        self._starts = []
        total = 0
        for lines in self.entries:
            self._starts.append(total)
            total += len(lines) + 1  # a blank line between entries
        self._total = total
        self.virtual_size = Size(self.scrollable_content_region.width, total)
        self.cursor = 0
        self.refresh()

    @property
    def current_key(self) -> str | None:
        return self.keys[self.cursor] if 0 <= self.cursor < len(self.keys) else None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.entries) - 1)) if self.entries else 0

    def watch_cursor(self, value: int) -> None:
        if not self.entries:
            return
        height = self.scrollable_content_region.height
        top, size = self._starts[value], len(self.entries[value])
        if height > 0:
            if top < self.scroll_offset.y:
                self.scroll_to(y=top, animate=False, immediate=True)
            elif top + size > self.scroll_offset.y + height:
                self.scroll_to(y=min(top, top + size - height), animate=False, immediate=True)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self._total)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height // 5)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height // 5)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.entries) - 1

    def action_select(self) -> None:
        if self.current_key is not None:
            self.post_message(self.Selected(self.current_key))

    def on_click(self, event: events.Click) -> None:
        y = event.y + self.scroll_offset.y
        entry = bisect.bisect_right(self._starts, y) - 1
        if 0 <= entry < len(self.entries):
            self.focus()
            self.cursor = entry
            if event.chain >= 2:
                self.action_select()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"timeline-list--{name}")
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + self.scroll_offset.y
        base = self.rich_style
        if not self.entries or row >= self._total or width <= 0:
            return Strip.blank(width, base)
        entry = bisect.bisect_right(self._starts, row) - 1
        offset = row - self._starts[entry]
        lines = self.entries[entry]
        if offset >= len(lines):
            return Strip.blank(width, base)
        is_cursor = entry == self.cursor
        if is_cursor:
            base = base + self._style("cursor")
        segments = [Segment("▌" if is_cursor else " ", base + self._style("marker") if is_cursor else base)]
        used = 1
        for text, name in lines[offset]:
            room = width - used
            if room <= 0:
                break
            if cell_len(text) > room:
                text = set_cell_size(text, max(0, room - 1)) + "…"
            segments.append(Segment(text, base + self._style(name) if name else base))
            used += cell_len(text)
        return Strip(segments).adjust_cell_length(width, base)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._total
