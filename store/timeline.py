"""Timelines: what has been said with a country, a person or on a theme, over the months.

``timeline(store, query)`` takes the search language (``country:HU``,
``theme:legal-cooperation``, ``party:nagy``, ``hungary water`` …);
``person_timeline(store, person)`` takes a merged person
(:mod:`store.people`) and lists every briefing any of its name forms took part
in. Either gives a :class:`Timeline`: the briefings newest first, each with
its follow-ups (and their statuses), and the number of meetings per month
from the first to the last (months without one count 0, so a trend shows).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

from store.followups import FollowUp, followup_set

if TYPE_CHECKING:
    from store.db import Store
    from store.people import Person

Record = dict[str, Any]


class Timeline(NamedTuple):
    title: str
    query: str
    briefings: list[Record]                   # newest first
    months: list[tuple[str, int]]             # (YYYY-MM, meetings), oldest first, gaps filled with 0
    followups: dict[str, list[FollowUp]]      # briefing id → its follow-ups
    forms: tuple[str, ...] = ()               # a person's merged name forms
    person: Any = None                        # the store.people.Person, for person timelines

    @property
    def undated(self) -> int:
        return sum(1 for rec in self.briefings if not _month(rec))

    def open_followups(self) -> int:
        return sum(1 for fus in self.followups.values() for fu in fus if fu.status == "open")


def _month(rec: Record) -> str | None:
    d = rec.get("date")
    return d[:7] if isinstance(d, str) and len(d) >= 7 and d[4] == "-" else None


def month_counts(records: list[Record]) -> list[tuple[str, int]]:
    """Meetings per month from the first dated one to the last, zero-filled."""
    counts = Counter(m for rec in records if (m := _month(rec)))
    if not counts:
        return []
    first, last = min(counts), max(counts)
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while True:
        key = f"{y:04d}-{m:02d}"
        out.append((key, counts.get(key, 0)))
        if key >= last:
            break
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def _build(store: Store, title: str, query: str, records: list[Record], **extra: Any) -> Timeline:
    records = sorted(records, key=lambda r: (r.get("date") or "", r.get("ingested_at") or ""), reverse=True)
    fset = followup_set(store)
    fus = {rec["id"]: fset.of_briefing(rec["id"]) for rec in records}
    return Timeline(title, query, records, month_counts(records), fus, **extra)


def describe(query: str) -> str:
    """A heading for a query: "country:HU" → "Hungary (HU)", "theme:health" → "Health"."""
    q = query.strip()
    field, _, value = q.partition(":")
    if value and " " not in value and field.lower() in ("country", "c"):
        from store.search.lookup import country_name, resolve_country

        try:
            code = resolve_country(value, False)
            return f"{country_name(code)} ({code})"
        except Exception:
            return q
    if value and " " not in value and field.lower() in ("theme", "t"):
        from store.search.lookup import resolve_theme, themes

        try:
            ids = resolve_theme(value)
            labels = dict(themes())
            return ", ".join(labels.get(i, i) for i in ids) or q
        except Exception:
            return q
    return q


def timeline(store: Store, query: str) -> Timeline:
    """Every briefing ``query`` selects (raises QueryError for a bad query)."""
    records = store.all()
    hits = store.search_hits(query, limit=max(1, len(records)))
    return _build(store, describe(query), query, [h.record for h in hits])


def person_timeline(store: Store, person: Person) -> Timeline:
    ids = set(person.briefing_ids)
    records = [rec for rec in store.all() if rec["id"] in ids]
    country = f" ({person.country})" if person.country else ""
    return _build(store, f"{person.name}{country}", f"person:{person.id}", records, forms=person.forms,
                  person=person)


def text_chart(months: list[tuple[str, int]], width: int = 40) -> list[str]:
    """Meetings per month as text bars, one line a month: "2025-03 ███ 3"."""
    if not months:
        return []
    top = max(n for _, n in months) or 1
    return [f"{m} {'█' * max(1 if n else 0, round(n * width / top)):<{width}} {n}" for m, n in months]
