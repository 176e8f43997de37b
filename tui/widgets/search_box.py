"""The query box and, under it, what is wrong with the query (never a traceback)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input, Static

PLACEHOLDER = "Search: hungary · country:HU · t:legal · party:nagy · \"phrase\" · -exclude   (? for syntax)"


class QueryInput(Input):
    """An Input whose Esc clears the query and gives the focus back."""

    BINDINGS = [
        Binding("escape", "clear_and_leave", "Clear search", id="search.clear",
                tooltip="Clear the query and go back to the list"),
        Binding("down", "leave", "To results", show=False, id="search.to-results",
                tooltip="Move to the results"),
    ]

    # Input sets its virtual size (the text's width) on every change of the value, and a
    # widget's virtual size lays the whole screen out again (a layout per keystroke, every
    # container redrawn: 2-4 ms of a keystroke's CPU at 160x48). This box has a fixed size (one line, 1fr wide) and no
    # scrollbars: its virtual size only bounds its own horizontal scrolling, which reads it
    # directly, so a repaint of the box is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)

    class Leave(Message):
        """The user is done with the query box (Enter, Down or Esc)."""

        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def action_clear_and_leave(self) -> None:
        self.value = ""
        self.post_message(self.Leave(cleared=True))

    def action_leave(self) -> None:
        self.post_message(self.Leave(cleared=False))


class SearchBox(Vertical):
    """A one-line query box with a prompt, and an error line that shows only when needed."""

    DEFAULT_CSS = """
    SearchBox { height: auto; }
    SearchBox > #search-row { height: 1; }
    SearchBox #search-prompt { width: auto; padding: 0 1; color: $text-accent; text-style: bold; }
    SearchBox QueryInput { border: none; height: 1; padding: 0 1; width: 1fr; background: $boost; }
    SearchBox QueryInput:focus { border: none; background: $primary 20%; }
    SearchBox #search-error { display: none; color: $text-error; padding: 0 1 0 3; height: auto; }
    SearchBox.-error #search-error { display: block; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-row"):
            yield Static("/", id="search-prompt")
            yield QueryInput(placeholder=PLACEHOLDER, id="query")
        yield Static(id="search-error")

    @property
    def input(self) -> QueryInput:
        return self.query_one(QueryInput)

    @property
    def value(self) -> str:
        return self.input.value

    def set_error(self, message: str | None) -> None:
        # Called after every search: an unchanged message must not update the Static
        # (an update lays the whole screen out again, ~5 ms a keystroke).
        if message == getattr(self, "_error_shown", None):
            return
        self._error_shown = message
        self.set_class(bool(message), "-error")
        self.query_one("#search-error", Static).update(
            Content.from_markup("[b]Query problem:[/b] $m", m=message) if message else "")
