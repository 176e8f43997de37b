"""`E`: export the shown briefing in a chosen format to a chosen file (asks before overwriting)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from tui.widgets.common import safe_line

FORMAT_NAMES = {"md": "Markdown", "txt": "Plain text", "html": "HTML", "json": "JSON", "docx": "Word"}


def export_formats() -> tuple[str, ...]:
    from store.export import FORMATS

    return tuple(FORMATS)


class ExportDialog(ModalScreen[Path | None]):
    """Pick a format and a path; dismisses with the written path, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Close without exporting"),
    ]

    def __init__(self, record: Mapping[str, Any], folder: Path, *, fmt: str | None = None) -> None:
        super().__init__()
        self.record = dict(record)
        self.folder = folder
        formats = export_formats()
        self.fmt = fmt if fmt in formats else formats[0]
        self._confirm_for: Path | None = None

    def compose(self) -> ComposeResult:
        from store.export import default_filename

        with Vertical(id="export-dialog", classes="dialog") as box:
            box.border_title = "Export briefing"
            yield Static(Content(safe_line(self.record.get("title") or "Untitled briefing")), id="export-title")
            yield Label("Format")
            with RadioSet(id="export-format"):
                for name in export_formats():
                    label = f"{FORMAT_NAMES.get(name, name.upper())} (.{name})"
                    yield RadioButton(label, value=name == self.fmt, id=f"format-{name}")
            yield Label("Save to")
            yield Input(str(self.folder / default_filename(self.record, self.fmt)), id="export-path")
            yield Static(id="export-message")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @property
    def path_input(self) -> Input:
        return self.query_one("#export-path", Input)

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        new = (event.pressed.id or "format-md").removeprefix("format-")
        old, self.fmt = self.fmt, new
        value = self.path_input.value
        if value.endswith("." + old):
            self.path_input.value = value[: -len(old)] + new
        self._reset_confirmation()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._reset_confirmation()

    def _reset_confirmation(self) -> None:
        if self._confirm_for is not None:
            self._confirm_for = None
            go = self.query_one("#export-go", Button)
            go.label, go.variant = "Export", "primary"
            self._message(None)

    def _message(self, text: Content | None, *, error: bool = False) -> None:
        widget = self.query_one("#export-message", Static)
        widget.set_class(error, "-error")
        widget.set_class(text is not None and not error, "-warning")
        widget.update(text or "")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        from store.export import ExportError, export_to

        raw = self.path_input.value.strip()
        if not raw:
            self._message(Content("Type the file to write."), error=True)
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if path.is_dir():
            self._message(Content.from_markup("$p is a folder: add a file name.", p=str(path)), error=True)
            return
        exists = path.exists()
        if exists and self._confirm_for != path:
            self._confirm_for = path
            go = self.query_one("#export-go", Button)
            go.label, go.variant = "Overwrite", "error"
            self._message(Content.from_markup("[b]$p exists.[/b] Press Overwrite (or Enter) to replace it, "
                                              "or change the name.", p=safe_line(path.name)))
            return
        try:
            written = export_to(self.record, self.fmt, path=path, force=exists)
        except ExportError as exc:
            self._message(Content(safe_line(str(exc))), error=True)
            return
        except Exception as exc:
            self._message(Content(safe_line(f"{type(exc).__name__}: {exc}")), error=True)
            return
        self.dismiss(written)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
