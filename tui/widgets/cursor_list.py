"""A line-API scroll view of rows with a cursor: the base of the briefing list, the follow-ups table and the timeline.

OptionList, ListView and DataTable build or measure every row up front and take
seconds at 10,000 rows. A :class:`CursorList` keeps its rows in a plain Python
sequence and draws a row only when it is on screen (:meth:`CursorList.render_row`),
caching the drawn rows by (index, width, cursor row?, focused?): showing 100,000
rows costs one list assignment and one screenful of drawing, and moving the
cursor draws two rows again.

A subclass gives its bindings (:func:`cursor_bindings`, with tooltips naming its
rows), its cursor component class (:attr:`CursorList.CURSOR_COMPONENT`, styled by
:func:`cursor_css`) and :meth:`CursorList.render_row`; it posts its own
``Highlighted`` and ``Selected`` messages by subclassing the ones here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

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


def cursor_bindings(group: str, *, up: str, down: str, first: str, last: str) -> list[Binding]:
    """The cursor keys of a :class:`CursorList`: ids ``{group}.up`` …, tooltips naming its rows."""
    return [
        Binding("up,k", "cursor_up", "Up", show=False, id=f"{group}.up", tooltip=up),
        Binding("down,j", "cursor_down", "Down", show=False, id=f"{group}.down", tooltip=down),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{group}.page-up", tooltip="One screen up"),
        Binding("pagedown", "page_down", "Page down", show=False, id=f"{group}.page-down",
                tooltip="One screen down"),
        Binding("home,g", "first", "First", show=False, id=f"{group}.first", tooltip=first),
        Binding("end,G", "last", "Last", show=False, id=f"{group}.last", tooltip=last),
    ]


def cursor_css(type_name: str, component: str) -> str:
    """DEFAULT_CSS for the cursor row: the block cursor, brighter and bold while the list has the focus."""
    return f"""
    {type_name} > .{component} {{
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }}
    {type_name}:focus > .{component} {{
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }}
    """


_UNSENT = object()  # what was last announced after new rows: nothing yet


class CursorList(ScrollView, can_focus=True):
    """Rows from a sequence, drawn on demand; the cursor is on one row."""

    DEFAULT_CSS = """
    CursorList { overflow-x: hidden; overflow-y: auto; scrollbar-size-vertical: 1; background: $surface; }
    """ + cursor_css("CursorList", "cursor-list--cursor")

    COMPONENT_CLASSES = {"cursor-list--cursor"}

    BINDINGS = cursor_bindings("cursor-list", up="Previous row", down="Next row", first="First row",
                               last="Last row")

    CURSOR_COMPONENT: ClassVar[str] = "cursor-list--cursor"
    """The component class of the cursor row (its style depends on the focus, so it is never cached)."""

    STYLE_PREFIX: ClassVar[str] = ""
    """Put before the names given to :meth:`_style` to make component class names."""

    SCROLL_TO_CURSOR_ON_RESIZE: ClassVar[bool] = False
    """Whether a resize scrolls the cursor row back into view."""

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another row (or the rows emptied: ``item`` is None)."""

        def __init__(self, cursor_list: CursorList, item: Any) -> None:
            super().__init__()
            self.cursor_list = cursor_list
            self.item = item

        @property
        def control(self) -> CursorList:
            return self.cursor_list

    class Selected(Highlighted):
        """Enter (or a double click) on a row."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._items: Sequence[Any] = []
        # Rows drawn, by (index, width, cursor row?, focused?): moving the cursor redraws two rows.
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(512)
        self._styles: dict[Any, Style] = {}
        self._last_sent: object = _UNSENT

    # -- what a subclass draws ---------------------------------------------
    def render_row(self, index: int, width: int, selected: bool) -> Strip:
        """Row ``index`` at ``width`` cells; ``selected``: the cursor is on it."""
        raise NotImplementedError

    @property
    def line_count(self) -> int:
        """The height of the content (a row is one line unless a subclass says otherwise)."""
        return len(self._items)

    def _row_span(self, index: int) -> tuple[int, int] | None:
        """(first line, number of lines) of row ``index``; None: nothing to scroll to."""
        return index, 1

    def _row_at_line(self, line: int) -> int:
        return line

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # -- data --------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self._items)

    @property
    def current(self) -> Any:
        """The row under the cursor (None when there are none)."""
        return self._items[self.cursor] if 0 <= self.cursor < len(self._items) else None

    def _set_rows(self, items: Sequence[Any], cursor: int = 0) -> None:
        """Show ``items`` with the cursor on row ``cursor``; a Highlighted message follows."""
        self._items = items
        self._cache.clear()
        self._set_virtual_size(Size(self.scrollable_content_region.width, self.line_count))
        self._last_sent = _UNSENT
        self.cursor = cursor
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """A new number of rows. ``virtual_size`` lays the whole screen out again (~5 ms);
        when the scrollbar stays (or stays away) only the scrollbar needs updating."""
        old = self.virtual_size
        if size == old:
            return
        height = self.scrollable_content_region.height
        if size.width == old.width and height > 0 and (size.height > height) == (old.height > height):
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size

    def refresh_rows(self) -> None:
        """Draw the rows again (what they show changed, not which they are)."""
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # a theme change: every colour may differ
        self._cache.clear()

    # -- the cursor --------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1)) if self.row_count else 0

    def watch_cursor(self, value: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce_highlight()

    def _announce_highlight(self) -> None:
        item = self.current
        if item is not self._last_sent:
            self._last_sent = item
            self.post_message(self.Highlighted(self, item))

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        span = self._row_span(self.cursor)
        if height <= 0 or span is None:
            return
        top, size = span
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + size > self.scroll_offset.y + height:
            self.scroll_to(y=min(top, top + size - height), animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.line_count)
        self._cache.clear()
        if self.SCROLL_TO_CURSOR_ON_RESIZE:
            self._scroll_cursor_into_view()

    # -- actions -----------------------------------------------------------
    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page_rows()

    def action_page_down(self) -> None:
        self.cursor += self._page_rows()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.row_count - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def on_click(self, event: events.Click) -> None:
        row = self._row_at_line(event.y + self.scroll_offset.y)
        if 0 <= row < self.row_count:
            self.focus()
            self.cursor = row
            if event.chain >= 2:
                self.action_select()

    # -- drawing -----------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= self.row_count or width <= 0:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, width, selected, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self.render_row(index, width, selected)
        return strip

    def _row_style(self, selected: bool) -> Style:
        """The style of a whole row: the widget's, plus the cursor's on the cursor row.

        ``rich_style`` walks the ancestors' styles (~0.1 ms): it is worked out once per
        focus state until the styles change, not once per row drawn."""
        key = ("\0row", selected, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if selected:
                style = style + self.get_component_rich_style(self.CURSOR_COMPONENT)  # depends on the focus
            self._styles[key] = style
        return style

    def _style(self, name: str) -> Style:
        """The style of component class ``STYLE_PREFIX + name`` (cached until the styles change)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(self.STYLE_PREFIX + name)
        return style

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.line_count
