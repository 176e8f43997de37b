"""What each `briefings` command does; the parser lives in :mod:`tui.cli`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from store import open_store
from store.db import Store, theme_id
from store.errors import BriefingsError, printable
from store.spans import spans_as_json, spans_as_lists
from tui.output import Output, safe, safe_block
from tui.commands_followups import HANDLERS as FOLLOWUP_HANDLERS

PROGRESS_THRESHOLD = 5  # a bar for more than a few files; a blink of one is noise


def run(args: argparse.Namespace, out: Output) -> int:
    command = args.command or "tui"
    if command == "demo":
        return cmd_demo(args, out)
    if command == "extract":
        return cmd_extract(args, out)
    if command == "doctor":  # before open_store: it must work on a store that cannot be opened
        return cmd_doctor(args, out)
    store = open_store(args.db)
    handler = {
        "ingest": cmd_ingest, "list": cmd_list, "show": cmd_show, "search": cmd_search,
        "export": cmd_export, "dump": cmd_dump, "stats": cmd_stats, "reextract": cmd_reextract,
        "tui": cmd_tui,
        **FOLLOWUP_HANDLERS,
    }[command]
    return handler(store, args, out)


# -- ingest ----------------------------------------------------------------
def cmd_ingest(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.ingest import count_inputs

    max_bytes = int(args.max_mb * 1024 * 1024) if args.max_mb else None
    total = count_inputs(args.paths)
    show_bar = total > PROGRESS_THRESHOLD and out.err.is_terminal
    failures: list[tuple[Path, str]] = []

    def on_failure_line(path: Path, outcome: str) -> None:
        return None

    if show_bar:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("Ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=out.err, transient=True) as bar:
            task = bar.add_task("ingest", total=total)
            report = store.add_files(args.paths, max_bytes=max_bytes,
                                     progress=lambda path, outcome: bar.advance(task))
    else:
        report = store.add_files(args.paths, max_bytes=max_bytes, progress=on_failure_line)
    failures = report.failed
    for path, reason in failures:
        out.err.print(f"failed: {printable(str(path))}: {printable(reason)}", style="red", markup=False,
                      highlight=False)
    summary = (f"Added {len(report.added)}, unchanged {len(report.unchanged)}, "
               f"failed {len(failures)}")
    if report.skipped:
        summary += f" (skipped {report.skipped} file{'s' if report.skipped != 1 else ''} of types not read)"
    out.note(summary + f". Store: {store.path}")
    if report.added:
        _update_search_index(store, out)
    if report.unchanged and not report.added and not failures:
        out.note("Every document was already in the store: nothing was added.")
    return 1 if failures else 0


def _update_search_index(store: Store, out: Output) -> None:
    """Index what was added now, so the app's first search does not wait for it.

    The index is a cache (the app rebuilds it when it is missing): a failure here
    is a warning, never a failed ingest.
    """
    from store.errors import StoreError

    try:
        store.update_search_index()
    except (StoreError, OSError, RuntimeError, ValueError) as exc:
        out.err.print(f"warning: the search index was not updated ({printable(str(exc))}); "
                      "the app rebuilds it when it opens", style="yellow", markup=False, highlight=False)


# -- reading ---------------------------------------------------------------
def summary_of(rec: dict[str, Any]) -> dict[str, Any]:
    return {"id": rec["id"], "date": rec.get("date"), "title": rec.get("title"),
            "countries": rec.get("countries") or [],
            "themes": [theme_id(t) for t in rec.get("themes") or []],
            "parties": [p.get("name") for p in rec.get("parties") or []],
            "commitments": len(rec.get("commitments") or []),
            "source_file": rec.get("source_file")}


def listing_rows(records: list[dict[str, Any]]) -> list[list[str]]:
    return [[rec["id"][:8], rec.get("date") or "undated", ",".join(rec.get("countries") or []),
             safe(rec.get("title") or Path(rec.get("source_file") or "").name)] for rec in records]


def cmd_list(store: Store, args: argparse.Namespace, out: Output) -> int:
    records = store.all()[: args.limit] if args.limit else store.all()
    if args.json:
        out.json([summary_of(r) for r in records])
        return 0
    if not records:
        out.note(f"The store {store.path} is empty. Add briefings with: briefings ingest PATH")
        return 0
    out.table(["Id", "Date", "Countries", "Title"], listing_rows(records),
              title=f"{len(records)} of {len(store.all())} briefings")
    return 0


def cmd_show(store: Store, args: argparse.Namespace, out: Output) -> int:
    rec = store.get(args.id)
    if args.json:
        out.json(spans_as_lists(rec))
        return 0
    out.line(safe(rec.get("title") or "Untitled briefing"), style="bold")
    for label, key in (("Id", "id"), ("Date", "date"), ("Source", "source"), ("Location", "location"),
                       ("File", "source_file")):
        if rec.get(key):
            out.line(f"{label}: {safe(rec[key])}")
    parties = rec.get("parties") or []
    if parties:
        out.line()
        out.line("Participants", style="bold")
        for p in parties:
            out.line(f"  {safe(p.get('name'))} — {safe(p.get('role') or 'role not stated')}"
                     f" ({safe(p.get('country') or 'international')})")
    themes = [theme_id(t) for t in rec.get("themes") or []]
    if themes:
        out.line()
        out.line("Themes: " + ", ".join(themes))
    commitments = rec.get("commitments") or []
    if commitments:
        out.line()
        out.line("Follow-ups", style="bold")
        for c in commitments:
            due = f" [due {c['due']}]" if c.get("due") else ""
            out.line(f"  • {','.join(c.get('actors') or []) or '—'}: {safe(c.get('text'))}{due}")
    out.line()
    out.line(safe_block(rec.get("body")))
    return 0


def cmd_search(store: Store, args: argparse.Namespace, out: Output) -> int:
    from rich.text import Text

    from store.search import QueryError

    query = " ".join(args.query)
    try:
        hits = store.search_hits(query, limit=args.limit)
    except QueryError as exc:
        out.error(f"bad query: {exc}")
        return 2
    if args.json:
        out.json([{**summary_of(h.record), "score": round(h.score, 4), "snippet": h.snippet,
                   "snippet_spans": h.snippet_spans, "title_spans": h.title_spans, "body_spans": h.body_spans}
                  for h in hits])
        return 0
    if not hits:
        out.note(f"No briefing matches {query!r}.")
        return 0

    def marked(text: str, spans: list[tuple[int, int]], style: str = "") -> Text:
        # Escape each piece on its own, so the spans still fall on the right characters.
        result = Text(style=style)
        at = 0
        for s, e in spans:
            if s < at:
                continue
            result.append(safe(text[at:s]))
            result.append(safe(text[s:e]), style="bold yellow")
            at = e
        result.append(safe(text[at:]))
        return result

    if not out.rich:
        for h in hits:
            rec = h.record
            sys.stdout.write("\t".join([rec["id"][:8], rec.get("date") or "undated",
                                         ",".join(rec.get("countries") or []),
                                         safe(rec.get("title") or Path(rec.get("source_file") or "").name),
                                         safe(h.snippet)]) + "\n")
        return 0
    for h in hits:
        rec = h.record
        head = Text(f"{rec['id'][:8]}  {rec.get('date') or 'undated':<10}  "
                    f"{','.join(rec.get('countries') or []) or '—':<8}  ", style="dim")
        title = rec.get("title") or Path(rec.get("source_file") or "").name
        head.append_text(marked(title, h.title_spans if rec.get("title") else [], "bold"))
        out.out.print(head)
        if h.snippet:
            out.out.print(Text("    ").append_text(marked(h.snippet, h.snippet_spans)))
    out.note(f"{len(hits)} match{'es' if len(hits) != 1 else ''}")
    return 0


def cmd_export(store: Store, args: argparse.Namespace, out: Output) -> int:
    """Text formats go to stdout unless --output; Word always to a file (the export folder by default)."""
    from store.export import BINARY_FORMATS, export_to, render
    from store.paths import default_export_dir

    rec = store.get(args.id)
    if args.output is None and args.format not in BINARY_FORMATS:
        text = render(rec, args.format)
        sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8"))
        sys.stdout.flush()
        return 0
    if args.output is None:
        path = export_to(rec, args.format, folder=default_export_dir(), force=args.force)
    else:
        path = export_to(rec, args.format, path=args.output, force=args.force)
    out.note(f"Wrote {printable(str(path))}")
    return 0


def cmd_dump(store: Store, args: argparse.Namespace, out: Output) -> int:
    write = sys.stdout.buffer.write
    for rec in store.all():
        # The documented record format: spans as [[start, end], ...], however they are stored.
        write(orjson.dumps(spans_as_json(rec)) + b"\n")
    sys.stdout.flush()
    return 0


def cmd_stats(store: Store, args: argparse.Namespace, out: Output) -> int:
    stats = store.stats()
    out.line(f"{len(store.all())} briefings in {store.path}", style="bold")
    for title, key in (("Countries", "countries"), ("Themes", "themes"), ("Years", "years")):
        rows = [[safe(k), str(v)] for k, v in stats[key].items()]
        if rows:
            out.table([title, "Briefings"], rows)
    return 0


def cmd_reextract(store: Store, args: argparse.Namespace, out: Output) -> int:
    changed = store.reextract()
    out.note(f"Re-extracted {len(store.all())} briefings: {changed} changed.")
    return 0


def cmd_extract(args: argparse.Namespace, out: Output) -> int:
    from store.ingest import read_document
    from store.records import extracted_fields

    doc = read_document(args.file.expanduser().absolute())
    fields = extracted_fields(doc)
    if args.json:
        out.json(fields)
        return 0
    text = doc.text

    def evidence(spans: list[list[int]]) -> str:
        quotes = [f"«{safe(text[s:e])}»@{s}" for s, e in spans[:6]]
        more = f" +{len(spans) - 6} more" if len(spans) > 6 else ""
        return ", ".join(quotes) + more

    out.line(f"Title:    {safe(fields.get('title'))}")
    for key in ("date", "source", "location", "lang"):
        out.line(f"{key.capitalize():<9} {safe(fields.get(key) or '—')}")
    out.line(f"Countries: {', '.join(fields.get('countries') or []) or '—'}")
    for key in ("parties", "people"):
        out.line()
        out.line(key.capitalize(), style="bold")
        for p in fields.get(key) or []:
            out.line(f"  {safe(p.get('name'))} | {safe(p.get('role'))} | {p.get('country')}")
            out.line(f"      evidence: {evidence(p.get('spans') or [])}")
    out.line()
    out.line("Organizations: " + "; ".join(safe(o) for o in fields.get("organizations") or []))
    out.line()
    out.line("Themes", style="bold")
    for t in fields.get("themes") or []:
        out.line(f"  {theme_id(t)}: {evidence(t.get('spans') or []) if isinstance(t, dict) else ''}")
    out.line()
    out.line("Commitments", style="bold")
    for c in fields.get("commitments") or []:
        out.line(f"  [{','.join(c.get('actors') or []) or '—'}] due {c.get('due') or '—'}: {safe(c.get('text'))}")
    return 0


def cmd_doctor(args: argparse.Namespace, out: Output) -> int:
    """Check the store; with --repair, fix it. Exit 0 when it is healthy (after the repair), else 1."""
    from store.doctor import ERROR, check_store, is_healthy, repair_store
    from store.paths import default_db_path

    path = (args.db or default_db_path()).expanduser().absolute()
    problems = check_store(path)
    if args.repair and problems:
        report = repair_store(path)
        for action in report.actions:
            out.note(f"repaired: {printable(action)}")
        problems = check_store(path)
    if args.json:
        out.json([{"severity": p.severity, "kind": p.kind, "key": p.key, "message": p.message}
                  for p in problems])
    else:
        for p in problems:
            out.line(f"{p.severity}: {printable(p.message)}")
    errors = sum(1 for p in problems if p.severity == ERROR)
    if not path.exists() and not problems:
        out.note(f"There is no store at {printable(str(path))} yet: nothing to check.")
    elif errors:
        hint = "" if args.repair else f" Run `briefings --db {printable(str(path))} doctor --repair` to fix it."
        out.note(f"{errors} problem{'s' if errors != 1 else ''} found in {printable(str(path))}.{hint}")
    else:
        out.note(f"{printable(str(path))} is healthy.")
    return 0 if is_healthy(problems) else 1


# -- the app ---------------------------------------------------------------
def cmd_tui(store: Store, args: argparse.Namespace, out: Output) -> int:
    return open_app(store, out, export_dir=getattr(args, "export_dir", None))


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    from store.paths import demo_db_path, samples_dir

    store = open_store(args.db or demo_db_path())
    report = store.add_files([samples_dir()])
    if report.failed:
        for path, reason in report.failed:
            out.warn(f"sample not loaded: {printable(str(path))}: {reason}")
    return open_app(store, out, export_dir=getattr(args, "export_dir", None))


def open_app(store: Store, out: Output, *, export_dir: Path | None = None) -> int:
    from store.paths import default_export_dir
    from tui.app import run_app

    return run_app(store, export_dir=export_dir if export_dir is not None else default_export_dir())
