"""The briefings of a timeline: several lines each, drawn only when on screen.

An OptionList lays out every option (wrapping each) before it shows one: a
country's ~1,000 briefings of four lines took over a second. Here each entry is
a few plain lines of (text, style name) pieces prepared off the UI thread, and
:meth:`render_line` draws one line on demand; the cursor, keys and scrolling are a
:class:`~tui.widgets.cursor_list.CursorList`'s, with an entry as its row.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.strip import Strip

from tui.widgets.cursor_list import CursorList, cursor_bindings

Piece = tuple[str, str | None]   # text, component class suffix ("date", "muted" …) or None
Line = list[Piece]


class TimelineList(CursorList):
    """Entries (a briefing each) of several lines; the cursor is on an entry."""

    DEFAULT_CSS = """
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
    STYLE_PREFIX = "timeline-list--"  # lines name their pieces' styles "date", "muted" …

    BINDINGS = [
        *cursor_bindings("timeline", up="Newer briefing", down="Older briefing", first="Newest briefing",
                         last="Oldest briefing"),
        Binding("enter", "select", "Open briefing", id="timeline.open",
                tooltip="Show this briefing in the main screen"),
    ]

    class Selected(CursorList.Selected):
        """Enter (or a double click) on an entry: ``key`` is its briefing's."""

        @property
        def key(self) -> str:
            return self.item  # type: ignore[no-any-return]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[list[Line]] = []
        self._starts: list[int] = []
        self._total = 0

    def set_entries(self, keys: Sequence[str], entries: Sequence[list[Line]]) -> None:
        """``entries``: a list, or a lazy sequence with ``line_counts()`` (each entry's number of
        lines) whose entries are made when first drawn."""
        counts = getattr(entries, "line_counts", None)
        if counts is not None:
            self.entries = entries  # type: ignore[assignment]
            sizes = counts()
        else:
            self.entries = list(entries)
            sizes = [len(lines) for lines in self.entries]
        self._starts = []
        total = 0
        for size in sizes:
            self._starts.append(total)
            total += size + 1  # a blank line between entries
        self._total = total
        self._set_rows(list(keys))

    @property
    def keys(self) -> list[str]:
        return self._items  # type: ignore[return-value]

    @property
    def current_key(self) -> str | None:
        return self.current  # type: ignore[no-any-return]

    @property
    def line_count(self) -> int:
        return self._total

    def _row_span(self, index: int) -> tuple[int, int] | None:
        if not self._starts:
            return None
        end = self._starts[index + 1] - 1 if index + 1 < len(self._starts) else self._total - 1
        return self._starts[index], end - self._starts[index]

    def _row_at_line(self, line: int) -> int:
        return bisect.bisect_right(self._starts, line) - 1

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // 5)  # an entry is a few lines

    def _announce_highlight(self) -> None:
        pass  # nothing follows the timeline's cursor but the drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + self.scroll_offset.y
        base = self._row_style(False)  # rich_style walks the ancestors: once, not once a line
        if not self._starts or row >= self._total or width <= 0:
            return Strip.blank(width, base)
        entry = bisect.bisect_right(self._starts, row) - 1
        offset = row - self._starts[entry]
        end = self._starts[entry + 1] - 1 if entry + 1 < len(self._starts) else self._total - 1
        if offset >= end - self._starts[entry]:
            return Strip.blank(width, base)  # the blank line after an entry
        lines = self.entries[entry]
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
