"""The list of briefings: a line-API scroll view that renders only the rows on screen.

OptionList and ListView build a widget or a prompt per item and take seconds at
10,000 items; DataTable takes ~7 s to be refilled with 100,000 rows. Here a row
is drawn on demand from a plain Python list (a :class:`~tui.widgets.cursor_list.CursorList`),
so setting 100,000 rows costs one list assignment and drawing costs one screenful.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.common import clean_spans, safe_line
from tui.widgets.cursor_list import CursorList, cursor_bindings, cursor_css

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


class BriefingList(CursorList):
    """Briefings newest first (or as sorted), one row each, the cursor row highlighted."""

    DEFAULT_CSS = cursor_css("BriefingList", "briefing-list--cursor") + """
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
    CURSOR_COMPONENT = "briefing-list--cursor"
    SCROLL_TO_CURSOR_ON_RESIZE = True

    BINDINGS = [
        *cursor_bindings("list", up="Previous briefing", down="Next briefing", first="First briefing",
                         last="Last briefing"),
        Binding("enter", "select", "Read", show=False, id="list.read",
                tooltip="Read the briefing (at 80x24 it takes the whole screen; Esc comes back)"),
    ]

    class Highlighted(CursorList.Highlighted):
        """The cursor moved to another briefing (or the list emptied: ``record`` is None)."""

        @property
        def briefing_list(self) -> BriefingList:
            return self.cursor_list  # type: ignore[return-value]

        @property
        def record(self) -> Mapping[str, Any] | None:
            return self.item  # type: ignore[no-any-return]

    class Selected(Highlighted):
        """Enter (or a double click) on a briefing."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._title_spans: Callable[[str], list[tuple[int, int]] | None] | None = None

    # -- data ------------------------------------------------------------
    @property
    def records(self) -> Sequence[Mapping[str, Any]]:
        return self._items

    def set_records(self, records: Sequence[Mapping[str, Any]], *,
                    title_spans: Callable[[str], list[tuple[int, int]] | None] | None = None,
                    keep_id: str | None = None) -> None:
        """Show ``records``; the cursor stays on ``keep_id`` if it is still there, else goes to the top.

        ``title_spans(id)`` gives the search matches in a title; it is called only for rows drawn,
        and may answer None (not known yet: the title is drawn plain until :meth:`refresh_rows`).
        """
        self._title_spans = title_spans
        index = 0
        if keep_id is not None:
            for i, rec in enumerate(records):
                if rec.get("id") == keep_id:
                    index = i
                    break
        self._set_rows(records, index)

    # -- drawing ---------------------------------------------------------
    def render_row(self, index: int, width: int, selected: bool) -> Strip:
        rec = self._items[index]
        base = self._row_style(selected)

        def part(name: str) -> Style:
            return base if selected else base + self._style(name)

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


class ListHeader(Widget):
    """Column titles above a :class:`BriefingList`."""

    DEFAULT_CSS = """
    ListHeader { height: 1; color: $text-muted; text-style: bold; background: $surface; }
    """

    def render(self) -> str:
        return header_text(self.size.width)
