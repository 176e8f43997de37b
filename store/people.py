"""People across briefings: party names merged when they are the same person.

"Gábor Bálint Nagy", "Gabor Nagy" and "Prosecutor General Nagy", each a
party from Hungary in some briefing, are one person. The automatic rule, per
country (the party's country; names from different countries never merge):

* a name is folded (case, accents, script variants: :mod:`store.search.fold`)
  and stripped of titles and offices ("Prosecutor General", "Mr", "H.E.",
  "посол" …); its last word is the surname, the rest its given names;
* surnames match when equal, or when spelt within a few letters of each other
  (rapidfuzz ratio ≥ 88, same first letter, five letters or more:
  Saparbekuly / Saparbekuli);
* full names merge when their given names are compatible: each given name of
  the shorter list matches one of the longer, in order, equal or a spelling
  variant (ratio ≥ 80, same first letter);
* a name that is only a surname ("Prosecutor General Nagy") or has initials
  only ("G. Nagy") joins a person only when exactly one person fits it, so an
  ambiguous "Nagy" is never glued to the wrong Nagy.

The user's decisions live in the ``merges`` table and win over the rule:
``unmerge`` makes a name form a person of its own (the rule no longer touches
it); ``merge`` joins two people. Every merge is visible: a person lists the
name forms it was built from.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from rapidfuzz import fuzz

from store.errors import AmbiguousId, BriefingsError, NotFound
from store.search.fold import fold_word, terms

if TYPE_CHECKING:
    from store.db import Store

MERGES_TABLE = "merges"
SURNAME_RATIO = 88
GIVEN_RATIO = 80

# Titles, offices and honorifics that precede (or replace) a name; folded.
TITLE_WORDS = frozenset("""
mr mrs ms miss dr prof professor sir madam madame he h e his her excellency hon honourable honorable
ambassador minister deputy vice first second state secretary general prosecutor president prime chairman
chair chairwoman speaker director head chief commissioner representative special envoy consul counsellor
counselor attache governor mayor senator deputy undersecretary under assistant permanent foreign affairs
of the for and to at in interior justice defence defense finance trade economy energy labour labor
parliamentary executive senior officer adviser advisor spokesperson spokesman
г н г-н госпожа господин посол министр заместитель вице первый генеральный прокурор председатель президент
директор глава советник статс секретарь
""".split())


class Person(NamedTuple):
    id: str
    name: str                       # the fullest, most frequent form
    country: str | None
    forms: tuple[str, ...]          # every name form merged into this person, most frequent first
    briefing_ids: tuple[str, ...]   # newest first
    roles: tuple[str, ...]
    user_merged: bool = False       # a `merge` decision joined it
    user_split: bool = False        # an `unmerge` decision made (part of) it

    @property
    def merged(self) -> bool:
        return len(self.forms) > 1


def form_key(name: str, country: str | None) -> str:
    return f"{country or '-'}|{fold_word(name)}"


def name_tokens(name: str) -> tuple[str, ...]:
    """The folded words of a name without titles and offices: "Prosecutor General Gábor Nagy" → (gabor, nagy)."""
    words = [w for w in terms(name) if w]
    kept = [w for w in words if w not in TITLE_WORDS]
    return tuple(kept)


def _given_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a[0] == b[0] and fuzz.ratio(a, b) >= GIVEN_RATIO


def _givens_compatible(g1: tuple[str, ...], g2: tuple[str, ...]) -> bool:
    short, long = (g1, g2) if len(g1) <= len(g2) else (g2, g1)
    j = 0
    for s in short:
        while j < len(long) and not _given_match(s, long[j]):
            j += 1
        if j == len(long):
            return False
        j += 1
    return True


def _is_partial(given: tuple[str, ...]) -> bool:
    return not given or all(len(g) == 1 for g in given)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _surname_buckets(surnames: Iterable[str]) -> dict[str, str]:
    """Each surname → the bucket it belongs to (spelling variants share one)."""
    names = sorted(set(surnames))
    uf = _Union()
    by_first: dict[str, list[str]] = {}
    for s in names:
        uf.find(s)
        by_first.setdefault(s[:1], []).append(s)
    for group in by_first.values():
        long = [s for s in group if len(s) >= 5]
        for i, a in enumerate(long):
            for b in long[i + 1:]:
                if abs(len(a) - len(b)) <= 2 and fuzz.ratio(a, b) >= SURNAME_RATIO:
                    uf.union(a, b)
    return {s: uf.find(s) for s in names}


def cluster(forms: dict[str, tuple[str | None, tuple[str, ...]]], *, split: set[str] = frozenset(),  # type: ignore[assignment]
            merges: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Form key → cluster key, given each form's (country, name tokens) and the user's decisions."""
    uf = _Union()
    by_country: dict[str, list[str]] = {}
    for key, (country, tokens) in forms.items():
        uf.find(key)
        if key in split or not tokens:
            continue
        by_country.setdefault(country or "-", []).append(key)
    for keys in by_country.values():
        buckets = _surname_buckets(forms[k][1][-1] for k in keys)
        groups: dict[str, list[str]] = {}
        for k in keys:
            groups.setdefault(buckets[forms[k][1][-1]], []).append(k)
        for group in groups.values():
            if len(group) < 2:
                continue
            full = [k for k in group if not _is_partial(forms[k][1][:-1])]
            partial = [k for k in group if _is_partial(forms[k][1][:-1])]
            for i, a in enumerate(full):
                for b in full[i + 1:]:
                    if _givens_compatible(forms[a][1][:-1], forms[b][1][:-1]):
                        uf.union(a, b)
            for k in partial:
                given = forms[k][1][:-1]
                fits = {uf.find(f) for f in full if _givens_compatible(given, forms[f][1][:-1])}
                if len(fits) == 1:
                    uf.union(k, next(iter(fits)))
            # Partial forms that fit no full name: the same partial tokens are one person.
            loose: dict[tuple[str, ...], str] = {}
            for k in partial:
                if uf.find(k) == k and not any(uf.find(f) == k for f in full):
                    tokens = forms[k][1]
                    if tokens in loose:
                        uf.union(k, loose[tokens])
                    else:
                        loose[tokens] = k
    for a, b in merges:
        if a in forms and b in forms:
            uf.union(a, b)
    return {k: uf.find(k) for k in forms}


# -- people of a store ---------------------------------------------------------------
class _Cache:
    key: object = None
    value: list[Person] = []
    by_form: dict[str, Person] = {}


def _decisions(store: Store) -> tuple[set[str], list[tuple[str, str]]]:
    split: set[str] = set()
    merges: list[tuple[str, str]] = []
    for entry in store.user_table(MERGES_TABLE).values():
        if not isinstance(entry, dict):
            continue
        if entry.get("kind") == "split" and isinstance(entry.get("form"), str):
            split.add(entry["form"])
        elif entry.get("kind") == "merge" and isinstance(entry.get("a"), str) and isinstance(entry.get("b"), str):
            merges.append((entry["a"], entry["b"]))
    return split, merges


def people(store: Store) -> list[Person]:
    """Every person named as a party, most briefings first (cached while the store is unchanged)."""
    return _people(store)[0]


def _people(store: Store) -> tuple[list[Person], dict[str, Person]]:
    records = store.all()
    cache = store.__dict__.get("_people_cache")
    key = (id(records), store.version)
    if cache is not None and cache.key == key:
        return cache.value, cache.by_form
    forms: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    raw: dict[str, Counter[str]] = {}
    roles: dict[str, Counter[str]] = {}
    briefings: dict[str, list[str]] = {}
    for rec in records:  # newest first
        for p in rec.get("parties") or []:
            if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not p["name"].strip():
                continue
            name = " ".join(p["name"].split())
            country = p.get("country") if isinstance(p.get("country"), str) else None
            k = form_key(name, country)
            if k not in forms:
                forms[k] = (country, name_tokens(name))
                raw[k], roles[k], briefings[k] = Counter(), Counter(), []
            raw[k][name] += 1
            if isinstance(p.get("role"), str) and p["role"].strip():
                roles[k][p["role"].strip()] += 1
            if not briefings[k] or briefings[k][-1] != rec["id"]:
                briefings[k].append(rec["id"])
    split, merges = _decisions(store)
    clusters = cluster(forms, split=split, merges=merges)
    members: dict[str, list[str]] = {}
    for k, root in clusters.items():
        members.setdefault(root, []).append(k)
    order = {rec["id"]: i for i, rec in enumerate(records)}
    merged_forms = {f for pair in merges for f in pair}
    out: list[Person] = []
    by_form: dict[str, Person] = {}
    for root, keys in members.items():
        names: Counter[str] = Counter()
        role_count: Counter[str] = Counter()
        ids: set[str] = set()
        for k in keys:
            names.update(raw[k])
            role_count.update(roles[k])
            ids.update(briefings[k])
        ranked = [n for n, _ in sorted(names.items(), key=lambda kv: (-kv[1], -len(name_tokens(kv[0])), kv[0]))]
        # The fullest form: most whole given names (not initials), then the longest, then the most used.
        best = max(ranked, key=lambda n: (sum(len(t) > 1 for t in name_tokens(n)), len(n), names[n]))
        pid = hashlib.sha256(min(keys).encode("utf-8")).hexdigest()[:8]
        person = Person(pid, best, forms[keys[0]][0], tuple(ranked),
                        tuple(sorted(ids, key=lambda i: order.get(i, 1 << 30))),
                        tuple(r for r, _ in role_count.most_common(3)),
                        user_merged=any(k in merged_forms for k in keys), user_split=any(k in split for k in keys))
        out.append(person)
        for k in keys:
            by_form[k] = person
    out.sort(key=lambda p: (-len(p.briefing_ids), fold_word(p.name)))
    cache = _Cache()
    cache.key, cache.value, cache.by_form = key, out, by_form
    store.__dict__["_people_cache"] = cache
    return out, by_form


def person_of(store: Store, name: str, country: str | None) -> Person | None:
    """The person a party (name, country) of some briefing belongs to."""
    return _people(store)[1].get(form_key(" ".join(name.split()), country))


def find_people(store: Store, text: str) -> list[Person]:
    """People whose id starts with ``text`` or one of whose name forms contains all its words."""
    everyone = people(store)
    key = text.strip().lower()
    by_id = [p for p in everyone if key and p.id.startswith(key)]
    if by_id:
        return by_id
    words = [w for w in terms(text) if w]
    if not words:
        return []
    out = []
    for p in everyone:
        for form in p.forms:
            have = terms(form)
            if all(any(h == w or h.startswith(w) for h in have) for w in words):
                out.append(p)
                break
    return out


def resolve_person(store: Store, text: str) -> Person:
    found = find_people(store, text)
    if not found:
        raise NotFound(f"no person named {text!r} among the parties (`briefings people` lists them)")
    exact = [p for p in found if any(fold_word(f) == fold_word(text) for f in p.forms)]
    if len(exact) == 1:
        return exact[0]
    if len(found) > 1:
        listed = "; ".join(f"{p.id} {p.name} ({p.country or '—'})" for p in found[:5])
        raise AmbiguousId(f"{text!r} names several people ({listed}…): give the id from `briefings people`")
    return found[0]


def _form_keys_of(store: Store, text: str, country: str | None = None) -> list[str]:
    """The form keys that a name form (as written in some briefing) has, optionally in one country."""
    folded = fold_word(" ".join(text.split()))
    _, by_form = _people(store)
    keys = [k for k in by_form if k.split("|", 1)[1] == folded
            and (country is None or k.split("|", 1)[0] == country.upper())]
    return keys


def merge(store: Store, a: str, b: str) -> Person:
    """Join two people (ids, or names as in ``find_people``); returns the merged person."""
    pa, pb = resolve_person(store, a), resolve_person(store, b)
    if pa.id == pb.id:
        raise BriefingsError(f"{pa.name} and {pb.name} are already one person ({pa.id})")
    ka = form_key(pa.forms[0], pa.country)
    kb = form_key(pb.forms[0], pb.country)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    entry_key = hashlib.sha256("\x1f".join(sorted([ka, kb])).encode("utf-8")).hexdigest()[:12]

    def change(table: dict[str, Any]) -> None:
        table[entry_key] = {"kind": "merge", "a": ka, "b": kb, "at": stamp}

    store.update_user_table(MERGES_TABLE, change)
    found = person_of(store, pa.forms[0], pa.country)
    assert found is not None
    return found


def unmerge(store: Store, form: str, country: str | None = None) -> list[str]:
    """Make a name form (as written in some briefing) a person of its own; returns its form keys.

    Undoes the automatic rule and any ``merge`` that involved it.
    """
    keys = _form_keys_of(store, form, country)
    if not keys:
        raise NotFound(f"no party is written {form!r}"
                       + (f" in {country}" if country else "") + " (`briefings people` lists the name forms)")
    if len(keys) > 1 and country is None:
        where = ", ".join(k.split("|", 1)[0] for k in keys)
        raise AmbiguousId(f"{form!r} is a party of several countries ({where}): add --country CODE")
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def change(table: dict[str, Any]) -> None:
        for k in keys:
            for ek in [ek for ek, e in table.items()
                       if isinstance(e, dict) and e.get("kind") == "merge" and k in (e.get("a"), e.get("b"))]:
                del table[ek]
            table[hashlib.sha256(k.encode("utf-8")).hexdigest()[:12]] = {"kind": "split", "form": k, "at": stamp}

    store.update_user_table(MERGES_TABLE, change)
    return keys


def forget(store: Store, form: str, country: str | None = None) -> int:
    """Drop the user's decisions about a name form (the automatic rule applies again)."""
    keys = set(_form_keys_of(store, form, country))

    def change(table: dict[str, Any]) -> int:
        gone = [ek for ek, e in table.items() if isinstance(e, dict)
                and (e.get("form") in keys or e.get("a") in keys or e.get("b") in keys)]
        for ek in gone:
            del table[ek]
        return len(gone)

    return store.update_user_table(MERGES_TABLE, change) if keys else 0
