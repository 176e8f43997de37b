"""`briefings followups`, `followup`, `timeline`, `people`, `merge`, `unmerge`: the commands
of the follow-up tracker and of counterparts (the parser lives in :mod:`tui.cli`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from store.db import Store
from store.errors import BriefingsError, printable
from tui.output import Output, safe


def _query(args: argparse.Namespace) -> str:
    return " ".join(getattr(args, "query", None) or [])


def _status_cell(fu: Any, on: Any) -> str:
    mark = "OVERDUE" if fu.is_overdue(on) else fu.status
    return mark + (" (orphaned)" if fu.orphaned else "")


def cmd_followups(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.followups import filter_followups, sort_followups, to_ics, today, write_private
    from store.search import QueryError

    query = _query(args)
    try:
        items = filter_followups(store, query)
    except QueryError as exc:
        out.error(f"bad query: {exc}")
        return 2
    items = sort_followups(items, args.sort, reverse=args.reverse)
    on = today()
    if args.ics:
        payload = to_ics(items)
        dated = sum(1 for fu in items if fu.due_date() is not None)
        if args.output is None:
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
        else:
            path = write_private(args.output, payload)
            out.note(f"Wrote {dated} dated follow-up{'s' if dated != 1 else ''} to {printable(str(path))}")
        return 0
    if args.json:
        out.json([fu.as_json(on) for fu in items])
        return 0
    if not items:
        out.note("No follow-up matches." if query else "No follow-ups: no stored briefing has a commitment.")
        return 0
    rows = [[fu.id[:8], fu.due or "—", ",".join(fu.countries) or "—", safe(fu.text),
             fu.briefing_date or "undated", _status_cell(fu, on), safe(fu.owner)] for fu in items]
    out.table(["Id", "Due", "Who", "Commitment", "Briefing", "Status", "Owner"], rows,
              title=f"{len(items)} follow-up{'s' if len(items) != 1 else ''}")
    return 0


def cmd_followup(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.followups import today

    status = "done" if args.done else "open" if args.open else "dropped" if args.dropped else None
    if status is None and args.note is None and args.owner is None:
        out.error("say what to change: --done, --open or --dropped, and/or --note TEXT, --owner NAME")
        return 2
    fu = store.set_followup(args.id, status=status, note=args.note, owner=args.owner)
    if args.json:
        out.json(fu.as_json(today()))
        return 0
    extra = "".join(f"; {k} {safe(v)!r}" for k, v in (("owner", fu.owner), ("note", fu.note)) if v)
    out.note(f"{fu.id[:8]} is {fu.status}{extra}: {safe(fu.text)[:100]}")
    return 0


def cmd_timeline(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.followups import today
    from store.people import resolve_person
    from store.search import QueryError
    from store.timeline import person_timeline, text_chart, timeline

    query = _query(args)
    if args.person:
        tl = person_timeline(store, resolve_person(store, args.person))
    elif not query:
        out.error("give a query (country:HU, theme:legal-cooperation, party:nagy …) or --person NAME")
        return 2
    else:
        try:
            tl = timeline(store, query)
        except QueryError as exc:
            out.error(f"bad query: {exc}")
            return 2
    on = today()
    if args.json:
        from tui.commands import summary_of

        out.json({"title": tl.title, "query": tl.query, "forms": list(tl.forms), "months": tl.months,
                  "briefings": [{**summary_of(rec), "followups": [fu.as_json(on) for fu in tl.followups[rec["id"]]]}
                                for rec in tl.briefings]})
        return 0
    out.line(f"{safe(tl.title)}: {len(tl.briefings)} briefing{'s' if len(tl.briefings) != 1 else ''}, "
             f"{tl.open_followups()} open follow-ups", style="bold")
    if len(tl.forms) > 1:
        out.line("Merged name forms: " + "; ".join(safe(f) for f in tl.forms)
                 + f"  (undo: briefings unmerge NAME)")
    if tl.months:
        out.line()
        out.line("Meetings per month", style="bold")
        for line in text_chart(tl.months, width=30):
            out.line("  " + line)
    for rec in tl.briefings:
        out.line()
        themes = ", ".join(str(t.get("id") if isinstance(t, dict) else t) for t in rec.get("themes") or [])
        out.line(f"{rec.get('date') or 'undated'}  {rec['id'][:8]}  {safe(rec.get('title') or 'Untitled')}",
                 style="bold")
        if themes:
            out.line(f"    themes: {safe(themes)}")
        for fu in tl.followups[rec["id"]]:
            due = f" [due {fu.due}]" if fu.due else ""
            out.line(f"    • {_status_cell(fu, on)}: {','.join(fu.countries) or '—'}: {safe(fu.text)}{due}")
    return 0


def cmd_people(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.people import find_people, people

    found = find_people(store, args.name) if args.name else people(store)
    if args.merged:
        found = [p for p in found if p.merged or p.user_split]
    if args.json:
        out.json([{**p._asdict(), "forms": list(p.forms), "briefing_ids": list(p.briefing_ids),
                   "roles": list(p.roles)} for p in found])
        return 0
    if not found:
        out.note("No such person." if args.name else "No merged people." if args.merged
                 else "No parties in the store yet.")
        return 0
    rows = []
    for p in found:
        how = "merged by you" if p.user_merged else "split by you" if p.user_split else "merged" if p.merged else ""
        rows.append([p.id, safe(p.name), p.country or "—", str(len(p.briefing_ids)),
                     "; ".join(safe(f) for f in p.forms if f != p.name), how])
    out.table(["Id", "Name", "Country", "Briefings", "Also written", "Merge"], rows,
              title=f"{len(found)} people")
    return 0


def cmd_merge(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.people import merge

    person = merge(store, args.a, args.b)
    out.note(f"Merged: {safe(person.name)} ({person.country or '—'}, {person.id}) is now written "
             + "; ".join(safe(f) for f in person.forms))
    return 0


def cmd_unmerge(store: Store, args: argparse.Namespace, out: Output) -> int:
    from store.people import forget, person_of, unmerge

    if args.auto:
        n = forget(store, args.name, args.country)
        out.note(f"Forgot {n} decision{'s' if n != 1 else ''} about {safe(args.name)!r}: the automatic rule applies.")
        return 0
    keys = unmerge(store, args.name, args.country)
    country = keys[0].split("|", 1)[0]
    person = person_of(store, args.name, None if country == "-" else country)
    if person is None:
        raise BriefingsError(f"{args.name!r} is no longer a party")
    out.note(f"{safe(args.name)!r} is now a person of its own ({person.id}); "
             f"`briefings unmerge --auto {args.name!r}` undoes this.")
    return 0


def add_parsers(sub: Any) -> None:
    """The subcommands above, for tui.cli's parser."""
    from pathlib import Path

    from store.followups import SORT_KEYS

    p = sub.add_parser("followups", help="follow-ups (commitments) across briefings, with their status")
    p.add_argument("query", nargs="*", help="the search language plus is:open|done|dropped|overdue|orphaned, "
                                              "e.g. country:HU is:open due:<2026-06")
    p.add_argument("--sort", choices=SORT_KEYS, default="due", help="order (default: due date)")
    p.add_argument("--reverse", action="store_true", help="reverse the order")
    p.add_argument("--json", action="store_true", help="JSON instead of a table")
    p.add_argument("--ics", action="store_true", help="an iCalendar file of the dated follow-ups")
    p.add_argument("--output", type=Path, default=None, help="with --ics: the file to write (default: stdout)")

    p = sub.add_parser("followup", help="set a follow-up's status, note or owner")
    p.add_argument("id", help="a follow-up id or a unique prefix (see `briefings followups`)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--done", action="store_true")
    g.add_argument("--open", action="store_true")
    g.add_argument("--dropped", action="store_true")
    p.add_argument("--note", default=None, help="a note (\"\" clears it)")
    p.add_argument("--owner", default=None, help="who follows it up (\"\" clears it)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("timeline", help="every briefing with a country, person or theme, newest first")
    p.add_argument("query", nargs="*", help="e.g. country:HU, theme:legal-cooperation, party:nagy")
    p.add_argument("--person", default=None, metavar="NAME", help="a person (merged name forms), by name or id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("people", help="parties across briefings, with the name forms merged into each")
    p.add_argument("name", nargs="?", default=None, help="only people with this name (or id prefix)")
    p.add_argument("--merged", action="store_true", help="only people merged from several name forms")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("merge", help="make two people one (ids or names from `briefings people`)")
    p.add_argument("a")
    p.add_argument("b")

    p = sub.add_parser("unmerge", help="make a name form a person of its own")
    p.add_argument("name", help="the name as written in a briefing")
    p.add_argument("--country", default=None, help="the party's country, when the name occurs in several")
    p.add_argument("--auto", action="store_true", help="instead: forget your decisions about this name")


HANDLERS = {"followups": cmd_followups, "followup": cmd_followup, "timeline": cmd_timeline,
            "people": cmd_people, "merge": cmd_merge, "unmerge": cmd_unmerge}
