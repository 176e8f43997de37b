"""The list of briefings: a line-API scroll view that renders only the rows on screen.

OptionList and ListView build a widget or a prompt per item and take seconds at
10,000 items; DataTable takes ~7 s to be refilled with 100,000 rows. Here a row
is drawn on demand from a plain Python list by :meth:`render_line`, so setting
100,000 rows costs one list assignment and drawing costs one screenful.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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

from tui.widgets.common import clean_spans, safe_line

DATE_W = 10
CC_W = 8
FU_W = 3


def _countries(rec: Mapping[str, Any]) -> str:
    codes = [str(c) for c in rec.get("countries") or []]
    if len(codes) <= 3:
        return " ".join(codes)
    return " ".join(codes[:2]) + f" +{len(codes) - 2}"


def header_text(width: int) -> str:
    """The column header above the list (a separate widget, so it never scrolls away)."""
    left = f" {'Date':<{DATE_W}} {'Country':<{CC_W}} Title"
    right = "F-up "
    return set_cell_size(left, max(0, width - len(right))) + right if width > len(left) + 6 else left[:width]


class BriefingList(ScrollView, can_focus=True):
    """Briefings newest first (or as sorted), one row each, the cursor row highlighted."""

    DEFAULT_CSS = """
    BriefingList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    BriefingList > .briefing-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    BriefingList:focus > .briefing-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    BriefingList > .briefing-list--date { color: $text-muted; }
    BriefingList > .briefing-list--countries { color: $text-accent; }
    BriefingList > .briefing-list--followups { color: $text-success; }
    BriefingList > .briefing-list--match { text-style: bold underline; color: $text-warning; }
    """

    COMPONENT_CLASSES = {
        "briefing-list--cursor",
        "briefing-list--date",
        "briefing-list--countries",
        "briefing-list--followups",
        "briefing-list--match",
    }

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up", tooltip="Previous briefing"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down", tooltip="Next briefing"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page-up", tooltip="One screen up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page-down",
                tooltip="One screen down"),
        Binding("home,g", "first", "First", show=False, id="list.first", tooltip="First briefing"),
        Binding("end,G", "last", "Last", show=False, id="list.last", tooltip="Last briefing"),
        Binding("enter", "select", "Read", show=False, id="list.read",
                tooltip="Read the briefing (at 80x24 it takes the whole screen; Esc comes back)"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another briefing (or the list emptied: ``record`` is None)."""

        def __init__(self, briefing_list: BriefingList, record: Mapping[str, Any] | None) -> None:
            super().__init__()
            self.briefing_list = briefing_list
            self.record = record

        @property
        def control(self) -> BriefingList:
            return self.briefing_list

    class Selected(Highlighted):
        """Enter (or a click) on a briefing."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._records: Sequence[Mapping[str, Any]] = []
        self._title_spans: Callable[[str], list[tuple[int, int]] | None] | None = None
        # Rows drawn, by (index, width, cursor row?, focused?): moving the cursor redraws two rows.
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(512)
        self._styles: dict[str, Style] = {}
        self._last_sent: str | None = "\0"

    # -- data ------------------------------------------------------------
    @property
    def records(self) -> Sequence[Mapping[str, Any]]:
        return self._records

    @property
    def current(self) -> Mapping[str, Any] | None:
        if 0 <= self.cursor < len(self._records):
            return self._records[self.cursor]
        return None

    def set_records(self, records: Sequence[Mapping[str, Any]], *,
                    title_spans: Callable[[str], list[tuple[int, int]] | None] | None = None,
                    keep_id: str | None = None) -> None:
        """Show ``records``; the cursor stays on ``keep_id`` if it is still there, else goes to the top.

        ``title_spans(id)`` gives the search matches in a title; it is called only for rows drawn,
        and may answer None (not known yet: the title is drawn plain until :meth:`refresh_rows`).
        """
        self._records = records
        self._title_spans = title_spans
        self._cache.clear()
        index = 0
        if keep_id is not None:
            for i, rec in enumerate(records):
                if rec.get("id") == keep_id:
                    index = i
                    break
        self.virtual_size = Size(self.scrollable_content_region.width, len(records))
        self._last_sent = "\0"
        self.cursor = index
        self.refresh()

    def refresh_rows(self) -> None:
        """Draw the rows again (their title highlights changed)."""
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # a theme change: every colour may differ
        self._cache.clear()

    def _clamp(self, value: int) -> int:
        return max(0, min(value, len(self._records) - 1)) if self._records else 0

    def validate_cursor(self, value: int) -> int:
        return self._clamp(value)

    def watch_cursor(self, value: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        rec = self.current
        rid = rec.get("id") if rec else None
        if rid != self._last_sent:
            self._last_sent = rid
            self.post_message(self.Highlighted(self, rec))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._records))
        self._cache.clear()
        self._scroll_cursor_into_view()

    # -- actions ---------------------------------------------------------
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
        self.cursor = len(self._records) - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._records):
            self.focus()
            self.cursor = row
            if event.chain >= 2:
                self.action_select()

    # -- drawing ---------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self._records) or width <= 0:
            return Strip.blank(width, self.rich_style)
        is_cursor = index == self.cursor
        key = (index, width, is_cursor, self.has_focus)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._render_row(self._records[index], width, is_cursor)
            self._cache[key] = cached
        return cached

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def _render_row(self, rec: Mapping[str, Any], width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        if is_cursor:
            base = base + self.get_component_rich_style("briefing-list--cursor")  # depends on the focus

        def part(name: str) -> Style:
            return base if is_cursor else base + self._style(name)

        date = (rec.get("date") or "undated")[:DATE_W]
        countries = _countries(rec)
        count = len(rec.get("commitments") or [])
        followups = str(count) if count else ""
        segments = [Segment(" ", base), Segment(f"{date:<{DATE_W}}", part("briefing-list--date")),
                    Segment(" ", base), Segment(set_cell_size(countries, CC_W), part("briefing-list--countries")),
                    Segment(" ", base)]
        used = 1 + DATE_W + 1 + CC_W + 1
        right = FU_W + 2
        title_w = width - used - right
        if title_w < 8:  # very narrow: drop the follow-ups column
            title_w, right = width - used, 0
        raw_title = rec.get("title") or (str(rec.get("source_file") or "").rsplit("/", 1)[-1]) or "Untitled"
        title = safe_line(raw_title)
        if cell_len(title) > title_w:
            title = set_cell_size(title, max(0, title_w - 1)) + "…"
        spans = clean_spans(self._title_spans(str(rec.get("id"))), len(title)) if self._title_spans else []
        match_style = base + self._style("briefing-list--match")
        pos = 0
        for start, end in spans:
            if start < pos:
                start = pos
            if end <= start:
                continue
            if start > pos:
                segments.append(Segment(title[pos:start], base))
            segments.append(Segment(title[start:end], match_style))
            pos = end
        if pos < len(title):
            segments.append(Segment(title[pos:], base))
        pad = title_w - cell_len(title)
        if pad > 0:
            segments.append(Segment(" " * pad, base))
        if right:
            segments.append(Segment(" ", base))
            segments.append(Segment(f"{followups:>{FU_W}}", part("briefing-list--followups")))
            segments.append(Segment(" ", base))
        return Strip(segments).adjust_cell_length(width, base)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._records)


class ListHeader(Widget):
    """Column titles above a :class:`BriefingList`."""

    DEFAULT_CSS = """
    ListHeader { height: 1; color: $text-muted; text-style: bold; background: $surface; }
    """

    def render(self) -> str:
        return header_text(self.size.width)
