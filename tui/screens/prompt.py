"""Small modal dialogs: one line of text (a follow-up's owner or note), or a choice from a short list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line; Enter gives it (an empty line clears), Esc gives None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without changing anything")]

    def __init__(self, title: str, label: str, value: str = "", *, about: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.label, self.value, self.about, self.placeholder = title, label, value, about, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog prompt-dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter: save · Esc: cancel"
            if self.about:
                yield Static(Content(self.about), classes="prompt-about")
            yield Label(self.label)
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        field = self.query_one("#prompt-input", Input)
        field.cursor_blink = False
        field.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class Chooser(ModalScreen[Any]):
    """Pick one of a few (label, value) pairs; headings (value None) cannot be picked."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="chooser.cancel", tooltip="Close without choosing")]

    def __init__(self, title: str, choices: Sequence[tuple[Content | str, Any]], *, subtitle: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.subtitle = subtitle
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog chooser-dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = self.subtitle or "Enter: open · Esc: cancel"
            options = [Option(label, id=str(i), disabled=value is None) for i, (label, value) in enumerate(self.choices)]
            yield OptionList(*options, id="chooser-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        first = next((i for i, (_, v) in enumerate(self.choices) if v is not None), None)
        if first is not None:
            options.highlighted = first
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        value = self.choices[int(event.option.id or 0)][1]
        if value is not None:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
