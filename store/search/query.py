"""The query language: text → a small tree of immutable values.

    gabor nagy                 words are ANDed (case, accents and script variants ignored)
    "mutual legal assistance"  a phrase
    kazakhstan OR uzbekistan   either (| works too); parentheses group: (a OR b) c
    -water  -c:KZ              exclude (NOT works too)
    party:nagy  p:nagy         a participant's name, any part;  person: anyone named
    country:HU  c:hungary  c:hungarian   the same filter; c:HU,KZ is either
    theme:legal-cooperation  t:digital   theme id or label prefix
    source:ministry  org:"supreme court"  location:budapest
    date:2025  date:2025-11  date:>=2025-06  date:2025-01..2025-06
    after:2025-06-01  before:2026          strictly after / before that day, month or year
    has:commitments  has:due  has:people …
    due:<2026-06  due:>2026  due:2026      a commitment's deadline
    is:NAME                    hooks registered by other modules (follow-up status)

A field can take a group: ``c:(HU OR KZ)``, ``party:(nagy OR saparbekuly)``.
The last word of a query that does not end in a space is a word still being
typed and matches as a prefix (``sapar`` → Saparbekuly).

:func:`parse` raises :class:`QueryError` with a one-line message for anything
it cannot understand; it never raises anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from store.errors import BriefingsError
from store.search.fold import fold_word, terms


class QueryError(BriefingsError):
    """The query cannot be understood; the message says why (and suggests a fix)."""


# -- the values a query becomes ----------------------------------------------
@dataclass(frozen=True, slots=True)
class Word:
    """One folded term in the text fields (``field`` None) or in one named field."""

    term: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    terms: tuple[str, ...]
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Keyword:
    """An exact filter: any of ``values`` in ``field`` (country, theme, has, is)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Range:
    """Day ordinals, inclusive; None is open. ``field`` is "date" or "due"."""

    field: str
    lo: int | None
    hi: int | None


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Word | Phrase | Keyword | Range | And | Or | Not

# -- fields ------------------------------------------------------------------
TEXT_FIELDS = {"party": "party", "p": "party", "person": "person", "who": "person", "org": "org",
               "organization": "org", "organisation": "org", "source": "source", "location": "location",
               "loc": "location", "title": "title", "body": "body"}
FILTER_FIELDS = {"country": "country", "c": "country", "theme": "theme", "t": "theme", "date": "date",
                 "after": "after", "before": "before", "due": "due", "has": "has", "is": "is"}
FIELDS = {**TEXT_FIELDS, **FILTER_FIELDS}
HAS_VALUES = {"commitments": "commitments", "commitment": "commitments", "followups": "commitments",
              "due": "due", "parties": "parties", "party": "parties", "people": "people",
              "person": "people", "themes": "themes", "theme": "themes", "countries": "countries",
              "country": "countries", "organizations": "organizations", "orgs": "organizations",
              "org": "organizations", "date": "date", "source": "source", "location": "location",
              "title": "title"}

# is:NAME hooks: NAME → a function returning the ids of the records it selects.
IS_HOOKS: dict[str, Callable[[], Iterable[str]]] = {}


def register_is(name: str, ids: Callable[[], Iterable[str]]) -> None:
    """Make ``is:name`` select the records whose ids ``ids()`` returns (e.g. follow-up status)."""
    IS_HOOKS[name.lower()] = ids


def suggest(word: str, choices: Iterable[str], *, cutoff: int = 3) -> str | None:
    """The choice closest to ``word`` (edit distance ≤ cutoff), if any."""
    found = process.extractOne(word.lower(), list(choices), scorer=Levenshtein.distance, score_cutoff=cutoff)
    return found[0] if found else None


# -- lexing --------------------------------------------------------------------
_FIELD_RE = re.compile(r"([A-Za-z_]+):(.*)\Z", re.S)
_STOP = set(' \t\n\r()"')


@dataclass(slots=True)
class _Tok:
    kind: str  # "(" ")" "OR" "NOT" "-" "word" "phrase" "field"
    text: str = ""
    field: str = ""
    end: int = 0  # offset just past the token in the query


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Tok(ch, end=i + 1))
            i += 1
        elif ch == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise QueryError(f"unbalanced quotes: the phrase {_clip(text[i:])} has no closing \"")
            out.append(_Tok("phrase", text[i + 1:close], end=close + 1))
            i = close + 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "-)":
            out.append(_Tok("-", end=i + 1))
            i += 1
        else:
            j = i
            while j < n and text[j] not in _STOP:
                j += 1
            word = text[i:j]
            i = j
            if word in ("OR", "|", "||"):
                out.append(_Tok("OR", end=j))
                continue
            if word in ("AND", "&&", "&", "-"):
                continue
            if word == "NOT":
                out.append(_Tok("NOT", end=j))
                continue
            m = _FIELD_RE.match(word)
            if m and not word.startswith(("http:", "https:")):
                out.append(_Tok("field", m.group(2), field=m.group(1), end=j))
            else:
                out.append(_Tok("word", word, end=j))
    return out


def _clip(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[:width] + "…")


# -- parsing -------------------------------------------------------------------
class _Parser:
    def __init__(self, text: str, countries: CountryResolver, themes: ThemeResolver) -> None:
        self.text = text
        self.toks = _lex(text)
        self.pos = 0
        self.countries = countries
        self.themes = themes
        # The word being typed: the last token, when nothing (not even a space) follows it.
        last = self.toks[-1] if self.toks else None
        self.typing_end = last.end if last and last.kind in ("word", "field") and last.end == len(text) else -1

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def parse(self) -> Node | None:
        node = self.or_expr(None)
        tok = self.peek()
        if tok is not None:  # only a stray ")" stops or_expr early
            raise QueryError("unbalanced parentheses: a ')' has no matching '('")
        return node

    def or_expr(self, field: str | None) -> Node | None:
        items: list[Node | None] = [self.and_expr(field)]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.pos += 1
            items.append(self.and_expr(field))
        if len(items) == 1:
            return items[0]
        if any(item is None for item in items):
            raise QueryError("OR needs something on both sides, e.g. kazakhstan OR uzbekistan")
        return Or(tuple(items))  # type: ignore[arg-type]

    def and_expr(self, field: str | None) -> Node | None:
        items: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind not in (")", "OR"):
            node = self.unary(field)
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, field: str | None) -> Node | None:
        tok = self.peek()
        assert tok is not None
        if tok.kind in ("-", "NOT"):
            self.pos += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR"):
                if tok.kind == "NOT":
                    raise QueryError("NOT needs something to exclude, e.g. NOT water")
                return None
            inner = self.unary(field)
            return Not(inner) if inner is not None else None
        return self.primary(field)

    def primary(self, field: str | None) -> Node | None:
        tok = self.peek()
        assert tok is not None
        self.pos += 1
        if tok.kind == "(":
            node = self.or_expr(field)
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("unbalanced parentheses: a '(' is never closed; add a ')'")
            self.pos += 1
            return node
        if tok.kind == "phrase":
            return self.value(field, tok.text, quoted=True, typing=False) if field else self.text_value(
                None, tok.text, quoted=True, typing=False)
        if tok.kind == "word":
            typing = tok.end == self.typing_end
            return self.value(field, tok.text, quoted=False, typing=typing) if field else self.text_value(
                None, tok.text, quoted=False, typing=typing)
        if tok.kind == "field":
            if field is not None:
                raise QueryError(f"{tok.field}: cannot be used inside {field}:( … )")
            name = self.field_name(tok.field)
            if tok.text:
                return self.value(name, tok.text, quoted=False, typing=tok.end == self.typing_end)
            nxt = self.peek()
            if nxt is not None and nxt.kind == "phrase" and self.toks[self.pos - 1].end == nxt.end - len(nxt.text) - 2:
                self.pos += 1
                return self.value(name, nxt.text, quoted=True, typing=False)
            if nxt is not None and nxt.kind == "(" and self.toks[self.pos - 1].end == nxt.end - 1:
                self.pos += 1
                node = self.or_expr(name)
                close = self.peek()
                if close is None or close.kind != ")":
                    raise QueryError(f"unbalanced parentheses: {tok.field}:( is never closed; add a ')'")
                self.pos += 1
                return node
            raise QueryError(f"{tok.field}: needs a value, e.g. {tok.field}:{_EXAMPLES.get(name, 'word')}")
        if tok.kind == ")":
            raise QueryError("unbalanced parentheses: a ')' has no matching '('")
        if tok.kind == "OR":  # pragma: no cover - or_expr consumes these
            raise QueryError("OR needs something on both sides")
        raise QueryError(f"cannot read {tok.text!r}")  # pragma: no cover

    def field_name(self, name: str) -> str:
        key = name.lower()
        if key in FIELDS:
            return FIELDS[key]
        close = suggest(key, [f for f in FIELDS if len(f) > 2], cutoff=2)
        hint = f"; did you mean {close}:?" if close else f"; fields are {', '.join(_FIELD_LIST)}"
        raise QueryError(f"unknown field {name}:{hint}")

    # -- values --------------------------------------------------------------
    def text_value(self, field: str | None, text: str, *, quoted: bool, typing: bool) -> Node | None:
        words = terms(text)
        if not words:
            return None
        if len(words) == 1 and not quoted:
            return Word(words[0], field, typing)
        if len(words) == 1:
            return Word(words[0], field, False)
        return Phrase(tuple(words), field, typing and not quoted)

    def value(self, field: str | None, text: str, *, quoted: bool, typing: bool) -> Node | None:
        if field is None or field in ("party", "person", "org", "source", "location", "title", "body"):
            return self.text_value(field, text, quoted=quoted, typing=typing)
        text = text.strip()
        if not text:
            return None
        if field == "country":
            return Keyword("country", tuple(self.countries(v, typing) for v in _split(text)))
        if field == "theme":
            ids: list[str] = []
            for v in _split(text):
                ids += self.themes(v)
            return Keyword("theme", tuple(dict.fromkeys(ids)))
        if field == "has":
            key = fold_word(text).replace(" ", "")
            if key not in HAS_VALUES:
                close = suggest(key, HAS_VALUES)
                hint = f"; did you mean has:{close}?" if close else ""
                raise QueryError(f"has:{text} is not something a briefing can have{hint} "
                                 "(has:commitments, has:due, has:people …)")
            return Keyword("has", (HAS_VALUES[key],))
        if field == "is":
            key = text.lower()
            if key not in IS_HOOKS:
                known = ", ".join(f"is:{k}" for k in sorted(IS_HOOKS)) or "none yet"
                close = suggest(key, IS_HOOKS) if IS_HOOKS else None
                hint = f"; did you mean is:{close}?" if close else f" (available: {known})"
                raise QueryError(f"unknown is:{text}{hint}")
            return Keyword("is", (key,))
        return parse_range(field, text)


_EXAMPLES = {"country": "HU", "theme": "legal-cooperation", "date": "2025-11", "after": "2025-06-01",
             "before": "2026", "due": "<2026-06", "has": "commitments", "is": "NAME", "party": "nagy",
             "person": "nagy", "org": "un", "source": "ministry", "location": "astana"}
_FIELD_LIST = ["party", "person", "country", "theme", "source", "org", "location", "date", "after", "before",
               "due", "has", "is"]


def _split(text: str) -> list[str]:
    parts = [p.strip() for p in text.split(",")]
    return [p for p in parts if p] or [text]


# -- dates -----------------------------------------------------------------------
_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\Z")


@lru_cache(maxsize=65536)
def period(text: str) -> tuple[int, int] | None:
    """"2025" / "2025-11" / "2025-11-20" → (first day, last day) as ordinals; None if not a date."""
    m = _PERIOD.match(text.strip())
    if not m:
        return None
    try:
        year = int(m.group(1))
        if m.group(3):
            d = date(year, int(m.group(2)), int(m.group(3))).toordinal()
            return d, d
        if m.group(2):
            month = int(m.group(2))
            first = date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return first.toordinal(), nxt.toordinal() - 1
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    except ValueError:
        return None


def deadline(text: object) -> int | None:
    """The last day a due date ("2026", "2026-06", "2026-06-15") allows, as an ordinal."""
    if not isinstance(text, str):
        return None
    span = period(text)
    return span[1] if span else None


def day(text: object) -> int | None:
    if not isinstance(text, str):
        return None
    span = period(text)
    return span[0] if span else None


def parse_range(field: str, text: str) -> Range:
    target = "due" if field == "due" else "date"
    op = ""
    if field == "after":
        op = ">"
    elif field == "before":
        op = "<"
    m = re.match(r"(<=|>=|<|>|=)?(.*)\Z", text, re.S)
    assert m
    if m.group(1):
        if field in ("after", "before"):
            raise QueryError(f"{field}:{text}: give just a date, e.g. {field}:{_EXAMPLES[field]}")
        op = m.group(1)
    value = m.group(2).strip()
    if ".." in value and not op:
        a, _, b = value.partition("..")
        lo = period(a) if a else None
        hi = period(b) if b else None
        if (a and lo is None) or (b and hi is None) or (lo is None and hi is None):
            raise QueryError(f"{field}:{text} is not a date range; write it as {field}:2025-01..2025-06")
        return Range(target, lo[0] if lo else None, hi[1] if hi else None)
    span = period(value)
    if span is None:
        raise QueryError(f"{field}:{text} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD "
                         f"(e.g. {field}:{_EXAMPLES.get(field, '2025-11')})")
    first, last = span
    if op == "<":
        return Range(target, None, first - 1)
    if op == "<=":
        return Range(target, None, last)
    if op == ">":
        return Range(target, last + 1, None)
    if op == ">=":
        return Range(target, first, None)
    return Range(target, first, last)


# -- countries and themes ------------------------------------------------------------
CountryResolver = Callable[[str, bool], str]
ThemeResolver = Callable[[str], list[str]]


def parse(text: str, countries: CountryResolver, themes: ThemeResolver) -> Node | None:
    """The query's tree, or None when it asks for nothing (empty, or only punctuation)."""
    if not isinstance(text, str):
        raise QueryError("the query must be text")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    return _Parser(text, countries, themes).parse()


def positives(node: Node | None) -> list[Word | Phrase]:
    """The words and phrases a hit must contain (not those under a NOT): what to highlight."""
    out: list[Word | Phrase] = []

    def walk(n: Node | None) -> None:
        if isinstance(n, (Word, Phrase)):
            out.append(n)
        elif isinstance(n, (And, Or)):
            for item in n.items:
                walk(item)

    walk(node)
    return out
