"""`c`: a counterpart's timeline: every briefing with a country, person or theme, newest first.

Above the list, meetings per month as a sparkline (from the first meeting's
month to the last, months without one count 0), so a trend shows at a glance.
Each briefing lists its themes and follow-ups with their status. For a person,
the name forms merged into it are listed, and ``u`` makes one of them a person
of its own again (``briefings unmerge`` does the same). Enter shows the
briefing in the main screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from tui.widgets.common import plural, safe_line, theme_id, theme_label
from tui.widgets.followup_table import status_label
from tui.widgets.timeline_list import Line, TimelineList

if TYPE_CHECKING:
    from store.db import Store
    from store.timeline import Timeline

MAX_FOLLOWUPS_SHOWN = 6  # per briefing in the list; the rest is counted


def _subject_query(kind: str, value: str) -> str:
    return f"country:{value}" if kind == "country" else f"theme:{value}"


class TimelineScreen(Screen[Any]):
    """A timeline; dismisses with a briefing id to show, or None."""

    CSS_PATH = "../followups.tcss"
    AUTO_FOCUS = "#tl-list"

    BINDINGS = [
        Binding("escape", "back", "Back", id="timeline.back", tooltip="Back to the briefings"),
        Binding("u", "unmerge", "Unmerge a name", id="timeline.unmerge",
                tooltip="Make one of the merged name forms a person of its own"),
    ]

    def __init__(self, store: Store, subject: tuple[str, Any]) -> None:
        """``subject``: ("query", "country:HU"), ("country", "HU"), ("theme", "health") or ("party", (name, country))."""
        super().__init__()
        self.store = store
        self.subject = subject
        self.timeline: Timeline | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="tl-head"):
            yield Static(id="tl-title")
            yield Static(id="tl-forms")
            with Horizontal(id="tl-chart-row"):
                yield Static(id="tl-chart-label")
                yield Sparkline([], summary_function=max, id="tl-chart")
            yield Static(id="tl-axis")
        yield TimelineList(id="tl-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#tl-head").border_title = "Timeline"
        self.query_one("#tl-title", Static).update("Loading…")
        self._load()

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _load(self) -> None:
        from store.timeline import person_timeline, timeline

        kind, value = self.subject
        try:
            if kind == "party":
                from store.people import person_of

                name, country = value
                person = person_of(self.store, name, country)
                if person is None:
                    raise LookupError(f"{name} is no longer a party in the store")
                result: Any = person_timeline(self.store, person)
            elif kind == "query":
                result = timeline(self.store, str(value))
            else:
                result = timeline(self.store, _subject_query(kind, str(value)))
        except Exception as exc:
            result = exc
        entries: Entries | None = None
        summary = ""
        if not isinstance(result, Exception):
            from store.followups import today

            on = today()
            # Each entry's lines are made when first drawn (a screenful, not ~1,000 briefings);
            # only their number of lines is needed now, to lay the list out.
            entries = Entries(result, on)
            dated = [d for r in result.briefings if (d := r.get("date"))]
            span = f"{min(dated)} – {max(dated)}" if dated else "undated"
            overdue = sum(1 for fus in result.followups.values() for fu in fus if fu.is_overdue(on))
            summary = (f"{plural(len(result.briefings), 'briefing')} · {span} · "
                       f"{result.open_followups():,} open follow-ups · {overdue:,} overdue")
        self.app.call_from_thread(self._show, result, entries, summary)

    def _show(self, result: Any, entries: Entries | None, summary: str = "") -> None:
        if isinstance(result, Exception) or entries is None:
            self.query_one("#tl-title", Static).update(
                Content.from_markup("[b]No timeline:[/b] $m", m=safe_line(str(result))))
            return
        tl: Timeline = result
        self.timeline = tl
        title = Content.assemble((safe_line(tl.title), "bold $text-primary"), "   ", (summary, "$text-muted"))
        self.query_one("#tl-title", Static).update(title)
        forms = self.query_one("#tl-forms", Static)
        person = tl.person
        if person is not None and len(tl.forms) > 1:
            forms.update(Content.assemble(("Merged name forms: ", "bold"), "; ".join(safe_line(f) for f in tl.forms),
                                          ("   u: unmerge one", "$text-muted")))
        elif person is not None:
            forms.update(Content.assemble(("Written as: ", "bold"), safe_line(tl.forms[0] if tl.forms else tl.title),
                                          ("   (no other name form merged)", "$text-muted")))
        else:
            forms.update(Content.assemble(("Query: ", "bold"), safe_line(tl.query)))
        self.set_class(person is not None and len(tl.forms) > 1, "-merged")
        self.refresh_bindings()
        months = tl.months
        chart = self.query_one("#tl-chart", Sparkline)
        chart.data = [float(n) for _, n in months] or [0.0]
        peak = max((n for _, n in months), default=0)
        self.query_one("#tl-chart-label", Static).update(Content.assemble(("Meetings\n", "bold"),
                                                                          (f"per month\nmax {peak}", "$text-muted")))
        axis = self.query_one("#tl-axis", Static)
        if months:
            first, last = months[0][0], months[-1][0]
            axis.update(Content.assemble(("          ", ""), (first, "$text-muted"), ("  →  ", "$text-muted"),
                                         (last, "$text-muted"),
                                         (f"   ({plural(len(months), 'month')}, {plural(sum(n for _, n in months), 'dated meeting')}"
                                          f"{', ' + str(tl.undated) + ' undated' if tl.undated else ''})",
                                          "$text-muted")))
        else:
            axis.update(Content.styled("No dated meetings.", "$text-muted"))
        listing = self.query_one("#tl-list", TimelineList)
        listing.set_entries([rec["id"] for rec in tl.briefings], entries)
        listing.border_title = f"Briefings, newest first ({len(tl.briefings):,})"
        listing.border_subtitle = "Enter: open · Esc: back"

    # -- actions ---------------------------------------------------------------------
    @on(TimelineList.Selected)
    def _selected(self, event: TimelineList.Selected) -> None:
        self.dismiss(event.key)

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unmerge":  # only a person merged from several name forms
            tl = self.timeline
            return tl is not None and tl.person is not None and len(tl.forms) > 1
        return True

    def action_unmerge(self) -> None:
        from tui.screens.prompt import Chooser

        tl = self.timeline
        if tl is None or tl.person is None or len(tl.forms) < 2:
            self.notify("Only a person merged from several name forms can be unmerged.", timeout=3)
            return
        person = tl.person

        def chosen(form: str | None) -> None:
            if form:
                self._unmerge(form, person.country)

        self.app.push_screen(Chooser("Unmerge which name form?", [(safe_line(f), f) for f in tl.forms],
                                     subtitle="Enter: make it a person of its own · Esc: cancel"), chosen)

    @work(thread=True, group="timeline-unmerge", exit_on_error=False)
    def _unmerge(self, form: str, country: str | None) -> None:
        from store.people import unmerge

        try:
            unmerge(self.store, form, country)
        except Exception as exc:
            self.app.call_from_thread(self.notify, safe_line(str(exc)), title="Not unmerged", severity="error")
            return
        self.app.call_from_thread(self.notify, f"“{safe_line(form)}” is now a person of its own "
                                               f"(briefings unmerge --auto undoes it).", title="Unmerged", timeout=5)
        self._load()


class Entries(Sequence[list[Line]]):
    """The timeline's entries, each made (and kept) when first asked for: the list draws a screenful."""

    def __init__(self, tl: Timeline, on: date) -> None:
        self._tl = tl
        self._on = on
        self._made: dict[int, list[Line]] = {}
        self._counts = self._line_counts()  # made here, in the worker thread

    def __len__(self) -> int:
        return len(self._tl.briefings)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        lines = self._made.get(index)
        if lines is None:
            lines = self._made[index] = _entry(self._tl.briefings[index], self._tl, self._on)
        return lines

    def line_counts(self) -> list[int]:
        """How many lines each entry has (what :func:`_entry` makes, without making it)."""
        return self._counts

    def _line_counts(self) -> list[int]:
        fus = self._tl.followups
        out = []
        for rec in self._tl.briefings:
            n = len(fus.get(rec["id"], ()))
            themed = any(theme_id(x) for x in rec.get("themes") or [])
            out.append(1 + themed + min(n, MAX_FOLLOWUPS_SHOWN) + (n > MAX_FOLLOWUPS_SHOWN))
        return out


def _entry(rec: Mapping[str, Any], tl: Timeline, on: date) -> list[Line]:
    """A briefing's lines: date, title and countries; its themes; its follow-ups with their status."""
    pad = " " * 12
    lines: list[Line] = [[(f"{rec.get('date') or 'undated':<10}  ", "date"),
                          (safe_line(rec.get("title") or "Untitled briefing"), "title"),
                          ("  " + ",".join(rec.get("countries") or []), "countries")]]
    themes = [theme_label(t) for t in (theme_id(x) for x in rec.get("themes") or []) if t]
    if themes:
        lines.append([(pad, None), ("themes  ", "muted"), (" · ".join(themes), None)])
    fus = tl.followups.get(rec["id"], [])
    for fu in fus[:MAX_FOLLOWUPS_SHOWN]:
        label = status_label(fu, on)
        style = "overdue" if label == "overdue" else "done" if label == "done" else "muted"
        mark = {"overdue": "!", "done": "✓", "dropped": "✗"}.get(label, "•")
        line: Line = [(pad, None), (f"{mark} {label:<8} ", style), (f"{','.join(fu.countries) or '—':<5}", "countries"),
                      (" ", None)]
        if fu.due:
            line.append((f"due {fu.due:<10} ", "due"))
        line.append((safe_line(fu.text), None))
        lines.append(line)
    if len(fus) > MAX_FOLLOWUPS_SHOWN:
        lines.append([(pad, None), (f"… {plural(len(fus) - MAX_FOLLOWUPS_SHOWN, 'more follow-up')}", "muted")])
    return lines


def subject_choices(store: Store, rec: Mapping[str, Any]) -> list[tuple[Content | str, Any]]:
    """The chooser's lines for a briefing: its parties, countries and themes (headings unpickable)."""
    from store.search.lookup import country_name

    out: list[tuple[Content | str, Any]] = []
    parties = [p for p in rec.get("parties") or [] if isinstance(p, Mapping) and isinstance(p.get("name"), str)]
    if parties:
        out.append((Content.styled("Parties", "bold"), None))
        for p in parties:
            country = p.get("country") if isinstance(p.get("country"), str) else None
            role = f", {safe_line(p.get('role'))}" if p.get("role") else ""
            out.append((Content.assemble("  ", (safe_line(p["name"])[:60], "bold"),
                                         (f" ({country or '—'}{role[:40]})", "$text-muted")),
                        ("party", (" ".join(p["name"].split()), country))))
    codes = [c for c in rec.get("countries") or [] if isinstance(c, str)]
    if codes:
        out.append((Content.styled("Countries", "bold"), None))
        for code in codes:
            out.append((Content.assemble("  ", (country_name(code), "bold"), (f" ({code})", "$text-muted")),
                        ("country", code)))
    tids = [t for t in (theme_id(x) for x in rec.get("themes") or []) if t]
    if tids:
        out.append((Content.styled("Themes", "bold"), None))
        for tid in tids:
            out.append((Content.assemble("  ", (theme_label(tid), "bold"), (f" ({tid})", "$text-muted")),
                        ("theme", tid)))
    return out
