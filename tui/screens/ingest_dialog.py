"""`i`: ask for a path, ingest it in a thread with a progress bar, then list what failed."""

from __future__ import annotations

import os
import shlex
import time
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from tui.widgets.common import plural, safe_line


def split_paths(text: str) -> list[str]:
    """One path, or several separated by spaces (quote paths with spaces, as in a shell)."""
    text = text.strip()
    if not text:
        return []
    if os.path.exists(os.path.expanduser(text)):
        return [text]
    try:
        return shlex.split(text)
    except ValueError:
        return [text]


class IngestPathDialog(ModalScreen[list[str] | None]):
    """Which files or folders to read."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ingest.cancel", tooltip="Close without ingesting")]

    def compose(self) -> ComposeResult:
        with Vertical(id="ingest-dialog", classes="dialog") as box:
            box.border_title = "Ingest briefings"
            yield Label("File or folder to read (.txt .md .html .eml .docx .pdf; folders are walked):")
            yield Input(placeholder="~/Downloads/readouts", id="ingest-path")
            yield Static(id="ingest-message")
            with Horizontal(classes="buttons"):
                yield Button("Ingest", id="ingest-go", variant="primary")
                yield Button("Cancel", id="ingest-cancel")

    @on(Input.Submitted, "#ingest-path")
    @on(Button.Pressed, "#ingest-go")
    def action_go(self) -> None:
        paths = split_paths(self.query_one("#ingest-path", Input).value)
        if not paths:
            self._say("Type the path of a file or a folder.")
            return
        missing = [p for p in paths if not Path(p).expanduser().exists()]
        if missing:
            self._say(f"Not found: {safe_line(missing[0])}")
            return
        self.dismiss([str(Path(p).expanduser()) for p in paths])

    def _say(self, text: str) -> None:
        message = self.query_one("#ingest-message", Static)
        message.add_class("-error")
        message.update(Content(text))

    @on(Button.Pressed, "#ingest-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class IngestProgress(ModalScreen[Any]):
    """Runs ``store.add_files`` in a thread worker; dismisses with its IngestReport (None on error)."""

    def __init__(self, store: Any, paths: list[str]) -> None:
        super().__init__()
        self.store = store
        self.paths = paths
        self.done = 0
        self.failed = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="progress-dialog", classes="dialog") as box:
            box.border_title = "Ingesting"
            yield Label(Content(safe_line(", ".join(self.paths))), id="progress-paths")
            yield ProgressBar(total=None, show_eta=False, id="progress-bar")
            yield Static("Counting files…", id="progress-file")

    def on_mount(self) -> None:
        self._ingest()

    @work(thread=True, exclusive=True, group="ingest", exit_on_error=False)
    def _ingest(self) -> None:
        worker = get_current_worker()
        total: int | None = None
        try:
            from store.ingest import count_inputs  # type: ignore[attr-defined]

            total = int(count_inputs([Path(p) for p in self.paths]))
        except Exception:
            total = None  # an indeterminate bar is fine
        self.app.call_from_thread(self._set_total, total)
        last = 0.0
        pending = 0

        def progress(path: Path, outcome: str) -> None:
            nonlocal last, pending
            pending += 1
            if outcome == "failed":
                self.failed += 1
            now = time.monotonic()
            if now - last > 0.05 and not worker.is_cancelled:
                last, step, pending = now, pending, 0
                self.app.call_from_thread(self._advance, step, str(path))

        try:
            report = self.store.add_files(self.paths, progress=progress)
        except Exception as exc:
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._finish, report)

    def _set_total(self, total: int | None) -> None:
        self.query_one(ProgressBar).update(total=total)
        self.query_one("#progress-file", Static).update(
            f"{plural(total, 'file')} to read" if total is not None else "Reading…")

    def _advance(self, step: int, path: str) -> None:
        self.done += step
        self.query_one(ProgressBar).advance(step)
        self.query_one("#progress-file", Static).update(Content(safe_line(Path(path).name)))

    def _failed(self, message: str) -> None:
        self.app.notify(safe_line(message), title="Ingest failed", severity="error", timeout=10)
        self.dismiss(None)

    def _finish(self, report: Any) -> None:
        self.dismiss(report)


class IngestResults(ModalScreen[None]):
    """What an ingest did, with every failed file and its reason."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="ingest-results.close",
                        tooltip="Close the results")]

    def __init__(self, report: Any) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        r = self.report
        with Vertical(id="results-dialog", classes="dialog") as box:
            box.border_title = "Ingest finished"
            yield Static(Content(f"Added {len(r.added)}, unchanged {len(r.unchanged)}, failed {len(r.failed)}"
                                 + (f", skipped {r.skipped} of other types" if getattr(r, "skipped", 0) else "")),
                         id="results-summary")
            with VerticalScroll(id="results-failures"):
                for path, reason in r.failed:
                    yield Static(Content.assemble((safe_line(Path(path).name), "bold $text-error"), "\n  ",
                                                  safe_line(reason), ("\n  " + safe_line(str(path)), "$text-muted")),
                                 classes="failure")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="results-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#results-close", Button).focus()

    @on(Button.Pressed, "#results-close")
    def action_close(self) -> None:
        self.dismiss(None)
