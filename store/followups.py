"""Follow-ups: every extracted commitment, with the status, owner and note a user gives it.

A follow-up is derived from a briefing's ``commitments`` and gets a stable id:
the first 12 hex digits of the SHA-256 of the briefing id and the clause
*normalised* (NFKC, case-folded, list markers such as "2." or "b)" dropped,
punctuation and spacing collapsed), so the id survives ``briefings
reextract`` and re-ingest whenever the clause reads the same. A clause that
occurs twice in one briefing gets a second id (its occurrence number is
hashed too).

What the user decides lives in its own table, ``followups``, in the same store
file, keyed by that id: ``status`` (open, the default; done; dropped),
``owner``, ``note``, ``updated_at``, and the clause as it was last seen
(``text``, ``actors``, ``due``, ``briefing_id``). Ingest and re-extraction
never write that table, except that ``reextract`` files away, in the same
atomic write, every clause it is about to lose (:func:`keep_vanished`): a
follow-up whose clause is no longer extracted is *orphaned* (shown with its
last known text, never deleted), and comes back to life if the clause does.

Filtering takes the search language (:mod:`store.search.query`). Words,
phrases, ``party:``, ``theme:``, ``has:`` … select briefings (through the
search index); ``due:``, ``country:`` (the follow-up's actor countries, or its
briefing's countries when no actor was found), ``theme:``, ``date:``/``after:``/``before:``
(its briefing's date) and ``is:open|done|dropped|overdue|orphaned`` are
decided per follow-up; ``AND``/``OR``/``NOT`` combine both kinds as sets.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import weakref
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import BriefingsError, NotFound, id_by_prefix
from store.search.query import And, Keyword, Node, Not, Or, Range, day, deadline, register_is
from store.spans import spans_of

if TYPE_CHECKING:
    from store.db import Store

FOLLOWUPS_TABLE = "followups"
STATUSES = ("open", "done", "dropped")
IS_NAMES = ("open", "done", "dropped", "overdue", "orphaned")
ID_LENGTH = 12
SORT_KEYS = ("due", "countries", "text", "date", "status")

_LEAD = re.compile(r"^\s*\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+")
_NONWORD = re.compile(r"[\W_]+")


def today() -> date:
    """Today's date, for "overdue" (one place, so tests can fix the clock)."""
    return date.today()


def normalise_clause(text: Any) -> str:
    """The clause as the follow-up id sees it: "2. The Sides agreed…" and "the sides agreed …" alike."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    folded = _LEAD.sub("", folded)
    return _NONWORD.sub(" ", folded).strip()


def followup_id(briefing_id: str, text: Any, occurrence: int = 1) -> str:
    key = f"{briefing_id}\x1f{normalise_clause(text)}"
    if occurrence > 1:
        key += f"\x1f{occurrence}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_LENGTH]


_FIELDS = ("briefing_id", "text", "actors", "due", "spans", "briefing_date", "briefing_title",
           "briefing_countries", "status", "owner", "note", "updated_at", "orphaned", "themes")


class FollowUp:
    """One follow-up as shown: the clause (or its last known form), its briefing, the user's status.

    Treat it as immutable (:meth:`_replace` gives a changed copy). The id is
    worked out when first read, for the whole briefing at once (a repeated
    clause needs its siblings): 34,000 follow-ups are listed without hashing
    one, and only those the user touched are hashed to find their statuses.
    """

    # The clause's spans are kept as stored (compact string or pairs) and decoded when read:
    # 34,000 follow-ups are listed without decoding one.
    __slots__ = (*(f for f in _FIELDS if f != "spans"), "_spans", "_id", "_group")

    def __init__(self, briefing_id: str, text: str, actors: Sequence[str], due: str | None,
                 spans: str | Sequence[Sequence[int]], briefing_date: str | None, briefing_title: str,
                 briefing_countries: Sequence[str], status: str = "open", owner: str = "", note: str = "",
                 updated_at: str | None = None, orphaned: bool = False, themes: Sequence[str] = (), *,
                 id: str | None = None, group: list[FollowUp] | None = None) -> None:
        self.briefing_id = briefing_id
        self.text = text
        self.actors = actors
        self.due = due
        self._spans = spans
        self.briefing_date = briefing_date
        self.briefing_title = briefing_title
        self.briefing_countries = briefing_countries
        self.status = status
        self.owner = owner
        self.note = note
        self.updated_at = updated_at
        self.orphaned = orphaned
        self.themes = themes  # the briefing's theme ids (for theme: filters)
        self._id = id
        self._group = group

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The clause's (start, end) offsets in its briefing's body."""
        return spans_of(self._spans)

    @property
    def id(self) -> str:
        if self._id is None:
            _assign_ids(self._group or [self])
        return self._id  # type: ignore[return-value]

    def _replace(self, **changes: Any) -> FollowUp:
        values = {name: getattr(self, name) for name in _FIELDS}
        values.update(changes)
        return FollowUp(**values, id=self.id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FollowUp):
            return NotImplemented
        return self.id == other.id and all(getattr(self, f) == getattr(other, f) for f in _FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"FollowUp(id={self.id!r}, briefing={self.briefing_id!r}, status={self.status!r}, "
                f"due={self.due!r}, text={self.text[:50]!r})")

    @property
    def deadline(self) -> int | None:
        """The last day the due date allows, as an ordinal ("2026-06" → 30 June 2026)."""
        return deadline(self.due)

    def due_date(self) -> date | None:
        end = self.deadline
        return date.fromordinal(end) if end is not None else None

    def is_overdue(self, on: date | None = None) -> bool:
        end = self.deadline
        return self.status == "open" and end is not None and end < (on or today()).toordinal()

    @property
    def countries(self) -> Sequence[str]:
        """The actor countries, or the briefing's when the extractor found no actor."""
        return self.actors or self.briefing_countries

    def as_json(self, on: date | None = None) -> dict[str, Any]:
        return {"id": self.id, "briefing_id": self.briefing_id, "briefing_date": self.briefing_date,
                "briefing_title": self.briefing_title, "text": self.text, "actors": list(self.actors),
                "due": self.due, "due_date": (d.isoformat() if (d := self.due_date()) else None),
                "status": self.status, "overdue": self.is_overdue(on), "orphaned": self.orphaned,
                "owner": self.owner, "note": self.note, "updated_at": self.updated_at,
                "spans": [list(s) for s in self.spans]}


def _assign_ids(group: list[FollowUp]) -> None:
    """Give every follow-up of one briefing its id (a repeated clause counts its occurrences)."""
    seen: dict[str, int] = {}
    for fu in group:
        norm = normalise_clause(fu.text)
        seen[norm] = n = seen.get(norm, 0) + 1
        key = f"{fu.briefing_id}\x1f{norm}" + (f"\x1f{n}" if n > 1 else "")
        fu._id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_LENGTH]


# -- deriving follow-ups from records -------------------------------------------
def _clauses(rec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(follow-up id, commitment) for every commitment of ``rec``."""
    group = _base(rec)
    return [(fu.id, c) for fu, c in zip(group, _commitments(rec))]


def _commitments(rec: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in rec.get("commitments") or []
            if isinstance(c, dict) and isinstance(c.get("text"), str) and c["text"].strip()]


def _base(rec: dict[str, Any]) -> list[FollowUp]:
    rid = rec.get("id")
    if not isinstance(rid, str):
        return []
    commitments = _commitments(rec)
    if not commitments:
        return []
    title = rec.get("title") or rec.get("doc_title") or "Untitled briefing"
    countries = rec.get("countries") or ()
    rdate = rec.get("date") if isinstance(rec.get("date"), str) else None
    themes = tuple(t.get("id") if isinstance(t, dict) else t for t in rec.get("themes") or ())
    group: list[FollowUp] = []
    for c in commitments:
        due = c.get("due")
        group.append(FollowUp(rid, c["text"], c.get("actors") or (), due if isinstance(due, str) else None,
                              c.get("spans") or "", rdate, title, countries, themes=themes, group=group))
    return group


def _with_user(fu: FollowUp, entry: dict[str, Any] | None) -> FollowUp:
    if not entry:
        return fu
    status = entry.get("status") if entry.get("status") in STATUSES else "open"
    return fu._replace(status=status, owner=str(entry.get("owner") or ""), note=str(entry.get("note") or ""),
                       updated_at=entry.get("updated_at"))


def _orphan(fid: str, entry: dict[str, Any], records: dict[str, dict[str, Any]]) -> FollowUp:
    rec = records.get(str(entry.get("briefing_id") or "")) or {}
    fu = FollowUp(str(entry.get("briefing_id") or ""), str(entry.get("text") or "(clause no longer found)"),
                  tuple(str(a) for a in entry.get("actors") or [] if isinstance(a, str)),
                  entry.get("due") if isinstance(entry.get("due"), str) else None, (),
                  rec.get("date") if rec else entry.get("briefing_date"),
                  str((rec.get("title") if rec else entry.get("briefing_title")) or "briefing no longer in the store"),
                  tuple(rec.get("countries") or entry.get("briefing_countries") or ()), orphaned=True,
                  themes=tuple(t.get("id") if isinstance(t, dict) else t for t in rec.get("themes") or ()), id=fid)
    return _with_user(fu, entry)


class FollowUpSet:
    """Every follow-up of a store at one moment, with what filtering needs precomputed."""

    def __init__(self, items: list[FollowUp], by_briefing: dict[str, range] | None = None) -> None:
        self.items = items
        if by_briefing is None:
            by_briefing = {}
            groups: dict[str, list[int]] = {}
            for i, fu in enumerate(items):
                groups.setdefault(fu.briefing_id, []).append(i)
            by_briefing = groups  # type: ignore[assignment]
        self.by_briefing: dict[str, Sequence[int]] = by_briefing  # type: ignore[assignment]
        self._by_id: dict[str, FollowUp] | None = None
        self._columns: dict[str, list[Any]] = {}

    def __len__(self) -> int:
        return len(self.items)

    @property
    def by_id(self) -> dict[str, FollowUp]:
        if self._by_id is None:
            self._by_id = {fu.id: fu for fu in self.items}
        return self._by_id

    def column(self, name: str) -> list[Any]:
        """One value per follow-up, worked out once: "deadline", "status", "countries", "day"."""
        col = self._columns.get(name)
        if col is None:
            items = self.items
            if name == "deadline":
                col = [deadline(fu.due) for fu in items]
            elif name == "status":
                col = [fu.status for fu in items]
            elif name == "countries":
                col = [fu.actors or fu.briefing_countries for fu in items]
            elif name == "day":
                col = [day(fu.briefing_date) for fu in items]
            elif name == "themes":
                col = [fu.themes for fu in items]
            else:
                raise KeyError(name)
            self._columns[name] = col
        return col

    @property
    def deadlines(self) -> list[int | None]:
        return self.column("deadline")

    def postings(self, name: str) -> dict[str, set[int]]:
        """Value → the follow-ups that have it, for "countries", "themes" and "status" (built once)."""
        key = "postings:" + name
        index = self._columns.get(key)
        if index is None:
            index = {}
            if name == "status":
                for i, value in enumerate(self.column("status")):
                    index.setdefault(value, set()).add(i)
                index["orphaned"] = {i for i, fu in enumerate(self.items) if fu.orphaned}
            else:
                for i, values in enumerate(self.column(name)):
                    for value in values:
                        index.setdefault(value, set()).add(i)
            self._columns[key] = index  # type: ignore[assignment]
        return index  # type: ignore[return-value]

    def sorted_by(self, name: str) -> tuple[list[int], list[int]]:
        """(values ascending, follow-up indices in that order) of "deadline" or "day", Nones left out."""
        key = "sorted:" + name
        pair = self._columns.get(key)
        if pair is None:
            col = self.column(name)
            order = sorted((i for i, v in enumerate(col) if v is not None), key=col.__getitem__)
            pair = ([col[i] for i in order], order)
            self._columns[key] = pair  # type: ignore[assignment]
        return pair  # type: ignore[return-value]

    def in_range(self, name: str, lo: int | None, hi: int | None) -> set[int]:
        import bisect

        values, order = self.sorted_by(name)
        a = 0 if lo is None else bisect.bisect_left(values, lo)
        b = len(values) if hi is None else bisect.bisect_right(values, hi)
        return set(order[a:b])

    def of_briefing(self, briefing_id: str) -> list[FollowUp]:
        return [self.items[i] for i in self.by_briefing.get(briefing_id, ())]


class _Cache:
    def __init__(self) -> None:
        # Briefing id → (record, its extracted_at, its follow-ups). A re-extraction through this
        # same Store updates the record dict in place: extracted_at tells it changed.
        self.base: dict[str, tuple[dict[str, Any], Any, list[FollowUp]]] = {}
        self.key: tuple[int, object] | None = None
        self.records: object = None
        self.value: FollowUpSet | None = None


def _cache(store: Store) -> _Cache:
    cache = store.__dict__.get("_followups_cache")
    if cache is None:
        cache = store.__dict__["_followups_cache"] = _Cache()
    return cache


def followup_set(store: Store) -> FollowUpSet:
    """Every follow-up of ``store``: live ones newest briefing first, then orphaned ones.

    Cached while neither the records nor the file change; a re-read record that
    did not change costs a dictionary lookup (the store hands out the same object).
    Only the briefings the user table names have their follow-up ids worked out.
    """
    bind(store)
    records = store.all()
    cache = _cache(store)
    user = store.user_table(FOLLOWUPS_TABLE)
    key = (id(records), store.version)
    if cache.value is not None and cache.key == key and cache.records is records:
        return cache.value
    base_cache = cache.base
    fresh: dict[str, tuple[dict[str, Any], Any, list[FollowUp]]] = {}
    touched: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for fid, entry in user.items():
        if isinstance(entry, dict):
            touched.setdefault(str(entry.get("briefing_id") or ""), []).append((fid, entry))
    items: list[FollowUp] = []
    by_briefing: dict[str, range] = {}
    live: set[str] = set()
    for rec in records:
        rid = rec["id"]
        hit = base_cache.get(rid)
        stamp = rec.get("extracted_at")
        if hit is None or hit[0] is not rec or hit[1] != stamp:
            hit = (rec, stamp, _base(rec))
        fresh[rid] = hit
        group = hit[2]
        if not group:
            continue
        start = len(items)
        if rid in touched:
            ids = {fu.id for fu in group}
            live |= ids
            entries = {fid: e for fid, e in touched[rid] if fid in ids}
            items += [_with_user(fu, entries.get(fu.id)) for fu in group]
        else:
            items += group
        by_briefing[rid] = range(start, len(items))
    by_id = None
    for fid, entry in user.items():
        if isinstance(entry, dict) and fid not in live:
            if by_id is None:
                by_id = {rec["id"]: rec for rec in records}
            orphan = _orphan(fid, entry, by_id)
            rid = orphan.briefing_id
            items.append(orphan)
            prior = by_briefing.get(rid)
            by_briefing[rid] = [*(prior or ()), len(items) - 1]  # type: ignore[assignment]
    cache.base = fresh
    cache.key, cache.records, cache.value = key, records, FollowUpSet(items, by_briefing)
    _freeze_long_lived()
    return cache.value


def _freeze_long_lived() -> None:
    """Move the new set (tens of thousands of follow-ups) out of the garbage collector's sight.

    It lives until the store changes and holds no reference cycles; left in view, every
    full collection walks it again (~40-60 ms at 10,000 briefings, in the middle of a
    keystroke on the follow-ups screen or the opening of a timeline). Objects frozen
    are still freed by reference counting once unused (as the store's parsed JSON is)."""
    import gc

    gc.freeze()


def followups_of_record(store: Store, rec: dict[str, Any]) -> list[FollowUp]:
    """The follow-ups of one briefing with the user's statuses (cheap: for timelines)."""
    user = store.user_table(FOLLOWUPS_TABLE)
    group = _base(rec)
    if not user or not group:
        return group
    return [_with_user(fu, user.get(fu.id)) for fu in group]


# -- filtering --------------------------------------------------------------------
def _followup_level(node: Node) -> bool:
    if isinstance(node, Keyword):
        return node.field in ("is", "country", "theme")
    if isinstance(node, Range):
        return True
    if isinstance(node, (And, Or)):
        return any(_followup_level(n) for n in node.items)
    if isinstance(node, Not):
        return _followup_level(node.item)
    return False


def filter_followups(store: Store, query: str | None, *, on: date | None = None,
                     fset: FollowUpSet | None = None) -> list[FollowUp]:
    """The follow-ups ``query`` selects, in the set's order; raises QueryError for a bad query."""
    from store.search.lookup import resolve_country, resolve_theme
    from store.search.query import parse

    fset = fset if fset is not None else followup_set(store)
    node = parse(query or "", resolve_country, resolve_theme)
    if node is None:
        return list(fset.items)
    items = fset.items
    today_ord = (on or today()).toordinal()
    everything = range(len(items))

    def of_briefings(ids: Iterable[str]) -> set[int]:
        return set(chain.from_iterable(map(fset.by_briefing.get, ids, repeat(()))))

    def narrow(found: set[int], within: Iterable[int]) -> set[int]:
        if within is everything:
            return set(found)
        return found.intersection(within)

    def leaf(n: Keyword | Range, within: Iterable[int]) -> set[int]:
        """The follow-ups among ``within`` that one follow-up-level condition selects."""
        if isinstance(n, Range):
            return narrow(fset.in_range("deadline" if n.field == "due" else "day", n.lo, n.hi), within)
        if n.field in ("country", "theme"):
            index = fset.postings("countries" if n.field == "country" else "themes")
        else:
            index = fset.postings("status")
        found: set[int] = set()
        for value in n.values:
            if value == "overdue":
                found |= fset.in_range("deadline", None, today_ord - 1) & index.get("open", set())
            else:
                found |= index.get(value, set())
        return narrow(found, within)

    def ev(n: Node, within: Iterable[int]) -> set[int]:
        """The follow-ups among ``within`` that ``n`` selects."""
        if not _followup_level(n):
            return narrow(of_briefings(store.matching_ids(n)), within)
        if isinstance(n, (Keyword, Range)):
            return leaf(n, within)
        if isinstance(n, Not):
            base = set(within)
            return base - ev(n.item, base)
        if isinstance(n, Or):
            out: set[int] = set()
            for item in n.items:
                out |= ev(item, within)
            return out
        assert isinstance(n, And)
        # Follow-up-level conditions first (scans of plain lists), each narrowing the
        # candidates; then the briefing-level ones, in one search, checked on what is left.
        parts = [item for item in n.items if _followup_level(item) and not isinstance(item, Not)]
        parts += [item for item in n.items if _followup_level(item) and isinstance(item, Not)]
        brief = [item for item in n.items if not _followup_level(item)]
        if brief:
            parts.append(brief[0] if len(brief) == 1 else And(tuple(brief)))
        current: Iterable[int] = within
        for item in parts:
            current = ev(item, current)
            if not current:
                break
        return set(current)

    chosen = ev(node, everything)
    return list(map(items.__getitem__, sorted(chosen)))


def sort_followups(items: Sequence[FollowUp], key: str = "due", reverse: bool = False) -> list[FollowUp]:
    """Ordered by a column; follow-ups without a due date (or date) go last either way."""
    if key == "due":
        dated = [fu for fu in items if fu.due is not None]
        undated = [fu for fu in items if fu.due is None]
        dated.sort(key=lambda fu: (deadline(fu.due) or 0, fu.briefing_date or ""), reverse=reverse)
        return dated + undated
    if key == "date":
        dated = [fu for fu in items if fu.briefing_date]
        undated = [fu for fu in items if not fu.briefing_date]
        dated.sort(key=lambda fu: fu.briefing_date or "", reverse=not reverse)  # newest first by default
        return dated + undated
    if key == "countries":
        return sorted(items, key=lambda fu: ",".join(fu.countries), reverse=reverse)
    if key == "text":
        return sorted(items, key=lambda fu: normalise_clause(fu.text), reverse=reverse)
    if key == "status":
        order = {"open": 0, "done": 1, "dropped": 2}
        return sorted(items, key=lambda fu: (order.get(fu.status, 3), fu.orphaned), reverse=reverse)
    raise ValueError(f"unknown sort key {key!r}; choose one of {', '.join(SORT_KEYS)}")


# -- the user's decisions -----------------------------------------------------------
def resolve(store: Store, id_or_prefix: str) -> FollowUp:
    """A follow-up by id or unique id prefix (live or orphaned)."""
    key = id_or_prefix.strip().lower()
    if not key:
        raise NotFound("no follow-up id given")
    fset = followup_set(store)
    if key in fset.by_id:
        return fset.by_id[key]
    fid = id_by_prefix(key, sorted(fset.by_id), what="follow-up", asked=id_or_prefix,
                       hint=" (`briefings followups` lists them)")
    return fset.by_id[fid]


def set_followup(store: Store, fid: str, *, status: str | None = None, note: str | None = None,
                 owner: str | None = None) -> FollowUp:
    """Change a follow-up's status, note and/or owner (None: leave as is); returns it as now stored."""
    if status is not None and status not in STATUSES:
        raise BriefingsError(f"unknown follow-up status {status!r}; use one of {', '.join(STATUSES)}")
    fu = resolve(store, fid)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def change(table: dict[str, Any]) -> None:
        entry = dict(table.get(fu.id) or {})
        entry.setdefault("status", "open")
        if not fu.orphaned:  # keep the clause as last seen, for the day it is no longer extracted
            entry.update(text=fu.text, actors=list(fu.actors), due=fu.due, briefing_id=fu.briefing_id,
                         briefing_date=fu.briefing_date, briefing_title=fu.briefing_title,
                         briefing_countries=list(fu.briefing_countries))
        if status is not None:
            entry["status"] = status
        if note is not None:
            entry["note"] = note
        if owner is not None:
            entry["owner"] = owner
        entry["updated_at"] = stamp
        table[fu.id] = entry

    store.update_user_table(FOLLOWUPS_TABLE, change)
    return resolve(store, fu.id)


def keep_vanished(data: dict[str, Any], changes: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> int:
    """Before a re-extraction replaces records' fields: file away every clause it loses.

    ``changes`` holds (stored record, its new extracted fields). A lost clause
    the user never touched is stored as an open follow-up, so it shows as
    orphaned rather than silently disappearing; a touched one already is.
    ``data`` is the store's data being written (the caller holds the lock).
    Returns how many clauses were filed away.
    """
    table = data.setdefault(FOLLOWUPS_TABLE, {})
    kept = 0
    for rec, fields in changes:
        if "commitments" not in fields:
            continue
        new_ids = {fid for fid, _ in _clauses({**rec, **fields})}
        for fu in _base(rec):
            if fu.id in new_ids:
                continue
            entry = dict(table.get(fu.id) or {"status": "open"})
            entry.update(text=fu.text, actors=list(fu.actors), due=fu.due, briefing_id=fu.briefing_id,
                         briefing_date=fu.briefing_date, briefing_title=fu.briefing_title,
                         briefing_countries=list(fu.briefing_countries))
            entry.setdefault("orphaned_at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
            table[fu.id] = entry
            kept += 1
    return kept


# -- is: in the briefing search ------------------------------------------------------
_bound: weakref.ref[Any] | None = None


def bind(store: Store) -> None:
    """Make ``is:open`` & co. in the briefing search answer for ``store`` (the store searching now)."""
    global _bound
    if _bound is None or _bound() is not store:
        _bound = weakref.ref(store)


def _briefings_with(name: str) -> list[str]:
    store = _bound() if _bound is not None else None
    if store is None:
        return []
    fset = followup_set(store)
    on = today()
    if name == "overdue":
        return list({fu.briefing_id for fu in fset.items if fu.is_overdue(on)})
    if name == "orphaned":
        return list({fu.briefing_id for fu in fset.items if fu.orphaned})
    return list({fu.briefing_id for fu in fset.items if fu.status == name})


for _name in IS_NAMES:
    register_is(_name, lambda name=_name: _briefings_with(name))


# -- iCalendar -------------------------------------------------------------------------
def to_ics(items: Iterable[FollowUp], *, stamp: datetime | None = None) -> bytes:
    """An iCalendar file: one all-day event on each dated follow-up's due day.

    A month ("2026-06") is due on its last day, a year on 31 December. UIDs
    come from the follow-up ids, so a calendar that re-imports the file
    updates the events rather than doubling them.
    """
    from icalendar import Calendar, Event

    stamp = stamp or datetime.now(timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//briefings//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Briefings follow-ups")
    for fu in items:
        due = fu.due_date()
        if due is None:
            continue
        ev = Event()
        ev.add("uid", f"{fu.id}@briefings")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", due)
        ev.add("dtend", due + timedelta(days=1))
        who = ",".join(fu.countries)
        mark = {"done": "✓ ", "dropped": "✗ "}.get(fu.status, "")
        ev.add("summary", f"{mark}{'[' + who + '] ' if who else ''}{_clip(fu.text, 120)}")
        lines = [fu.text, "", f"From: {fu.briefing_title} ({fu.briefing_date or 'undated'}), briefing {fu.briefing_id}",
                 f"Due: {fu.due}", f"Status: {fu.status}{' (orphaned)' if fu.orphaned else ''}"]
        if fu.owner:
            lines.append(f"Owner: {fu.owner}")
        if fu.note:
            lines.append(f"Note: {fu.note}")
        lines.append(f"Follow-up {fu.id}")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [fu.status])
        ev.add("transp", "TRANSPARENT")
        if fu.status != "open":
            ev.add("status", "CANCELLED" if fu.status == "dropped" else "CONFIRMED")
        cal.add_component(ev)
    return cal.to_ical()


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def write_private(path: Path, payload: bytes) -> Path:
    """Write ``payload`` to ``path`` atomically, owner-only (0600)."""
    path = Path(path).expanduser().absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".tmp-{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(path, 0o600)
    return path
