"""The briefings app: a keyboard-first browser of meeting summaries over a ``Store``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

# Textual draws at most 60 frames a second: a search result arriving just after the
# frame that echoed the keystroke waited up to 16 ms for the next one. 120 halves that
# wait and costs nothing while nothing changes. (Read when Textual is first imported;
# a TEXTUAL_FPS of the user's own wins.)
os.environ.setdefault("TEXTUAL_FPS", "120")

from textual.app import App  # noqa: E402
from textual.binding import Binding  # noqa: E402

from tui.commands_palette import BriefingsCommands  # noqa: E402

if TYPE_CHECKING:
    from store.db import Store


HANGUP_CHECK_S = 1.0
HANGUP_EXIT = 129  # what a shell reports for a process ended by SIGHUP


def _terminal_fd() -> int | None:
    """The descriptor of the terminal the app reads keys from, if it is one."""
    import sys

    stream = sys.__stdin__
    try:
        fd = stream.fileno() if stream is not None else -1
    except (OSError, ValueError):
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


class BriefingsApp(App[int]):
    """One screen (:class:`tui.screens.main.MainScreen`) and its dialogs."""

    TITLE = "briefings"
    CSS_PATH = ["app.tcss", "dialogs.tcss"]
    COMMANDS = App.COMMANDS | {BriefingsCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave the app"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit-ctrl", tooltip="Leave the app"),
        Binding("ctrl+t", "toggle_dark", "Light/dark", show=False, id="app.light-dark",
                tooltip="Switch between the light and the dark theme"),
    ]

    def __init__(self, store: Store, *, export_dir: Path | None = None, theme: str | None = None) -> None:
        super().__init__()
        from store.paths import default_export_dir

        self.store = store
        self.export_dir = Path(export_dir).expanduser() if export_dir is not None else default_export_dir()
        if theme:
            self.theme = theme

    def on_mount(self) -> None:
        # Textual's input thread spins on a terminal that has hung up (a dropped SSH link, a
        # closed tmux pane) when the app is not the session leader (under `make run`, a
        # shell script...): it never gets SIGHUP. A hung-up terminal stops being a tty, so
        # the app looks once a second and leaves, rather than burn a core until killed.
        if not self.is_headless:
            fd = _terminal_fd()
            if fd is not None:
                self.set_interval(HANGUP_CHECK_S, lambda: self._leave_if_hung_up(fd), name="hang-up")

    def _leave_if_hung_up(self, fd: int) -> None:
        if not os.isatty(fd):
            self.exit(return_code=HANGUP_EXIT)

    def get_default_screen(self):  # type: ignore[no-untyped-def]
        from tui.screens.main import MainScreen

        return MainScreen(self.store)

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def run_app(store: Store, *, export_dir: Path | None = None) -> int:
    """Run the app on ``store`` until the user quits; returns the exit status."""
    app = BriefingsApp(store, export_dir=export_dir)
    fd = _terminal_fd()
    try:
        app.run()
    except Exception:
        if fd is not None and not os.isatty(fd):
            return HANGUP_EXIT  # (see below)
        raise
    if fd is not None and not os.isatty(fd):
        # The terminal hung up. An error raised by drawing to it may end the app first, with Textual's
        # return code 1 for a fatal error, before the once-a-second check does (it happened in the
        # suite under load, 2 runs in about 12): either way the app ended because its terminal went.
        return HANGUP_EXIT
    return app.return_code or 0
