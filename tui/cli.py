"""The `briefings` command line: argument parsing and dispatch.

Exit status: 0 success, 1 something failed (a file not ingested, a damaged
store, an unknown id), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from store.errors import BriefingsError
from tui import commands
from tui.output import Output

EXPORT_FORMATS = ("md", "txt", "html", "json", "docx")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefings",
        description="Browse, search and export meeting summaries (readouts, cables, emails). "
                    "With no command, opens the app.")
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="the store file (default: $BRIEFINGS_DB or the user data folder)")
    parser.add_argument("--export-dir", type=Path, metavar="DIR", default=None,
                        help="where the app writes exports (default: $BRIEFINGS_EXPORT_DIR or "
                             "'Briefings exports' in your documents folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="read files and folders into the store")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--max-mb", type=float, default=None,
                   help="refuse files larger than this many MB (default 20)")

    p = sub.add_parser("list", help="list briefings, newest first")
    p.add_argument("--json", action="store_true", help="JSON instead of a table")
    p.add_argument("--limit", type=int, default=None)

    p = sub.add_parser("show", help="show one briefing")
    p.add_argument("id", help="an id or a unique id prefix")
    p.add_argument("--json", action="store_true", help="the full record as JSON")

    p = sub.add_parser("search", help="search briefings")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="export one briefing")
    p.add_argument("id")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="md")
    p.add_argument("--output", type=Path, default=None, help="a file to write (default: stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    sub.add_parser("dump", help="every record as JSON Lines (backup, scripting, scoring)")
    sub.add_parser("stats", help="counts by country, theme and year")
    sub.add_parser("reextract", help="run the current extractor again over every stored briefing")

    p = sub.add_parser("extract", help="show what the extractor finds in one file, with evidence")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("doctor", help="check the store for damage (exit 1 when something is wrong)")
    p.add_argument("--repair", action="store_true",
                   help="repair it: restore from the .bak or drop only the damaged briefings, "
                        "after saving a copy of the damaged file")
    p.add_argument("--json", action="store_true", help="the problems as JSON")

    from tui.commands_followups import add_parsers as add_followup_parsers

    add_followup_parsers(sub)  # followups, followup, timeline, people, merge, unmerge
    sub.add_parser("tui", help="open the app (the default)")
    sub.add_parser("demo", help="open the app on the bundled sample briefings (a separate demo store)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output()
    try:
        return commands.run(args, out)
    except BriefingsError as exc:
        out.error(str(exc))
        return 1
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except BrokenPipeError:
        # `briefings dump | head` closes the pipe early: that is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
