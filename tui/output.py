"""How the command line prints: rich on a terminal, plain lines when piped.

Every string that came from a document goes through :func:`safe`, so a
briefing can never send escape sequences to the user's terminal.
"""

from __future__ import annotations

import sys
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from store.errors import printable


def safe(text: Any) -> str:
    return printable("" if text is None else str(text))


def safe_block(text: Any) -> str:
    """Like :func:`safe` but keeps newlines and tabs, for a document's body."""
    return "\n".join(printable(line).replace("\\t", "\t") for line in str(text or "").split("\n"))


class Output:
    def __init__(self) -> None:
        # rich honours NO_COLOR and turns colour off by itself when not on a terminal.
        self.out = Console(highlight=False, soft_wrap=False)
        # Soft wrap: one failed file is one line, whatever the terminal width (grep-able).
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    @property
    def rich(self) -> bool:
        return self.out.is_terminal

    def line(self, text: str = "", style: str | None = None) -> None:
        if self.rich:
            self.out.print(Text(text, style=style or ""))
        else:
            sys.stdout.write(text + "\n")

    def table(self, columns: list[str], rows: list[list[str]], *, title: str | None = None) -> None:
        if not self.rich:
            for row in rows:
                sys.stdout.write("\t".join(row) + "\n")
            return
        table = Table(title=title, show_lines=False, header_style="bold", expand=False)
        for col in columns:
            table.add_column(col, overflow="fold", no_wrap=col in {"Date", "Id"})
        for row in rows:
            table.add_row(*[Text(cell) for cell in row])
        self.out.print(table)

    def json(self, value: Any) -> None:
        sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")

    def error(self, message: str) -> None:
        self.err.print(Text(f"briefings: error: {message}", style="bold red"))

    def warn(self, message: str) -> None:
        self.err.print(Text(message, style="yellow"))

    def note(self, message: str) -> None:
        self.err.print(Text(message))
