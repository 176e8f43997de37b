"""Highlight spans as stored: one compact string per item instead of a list of pairs.

Every extracted party, person, theme and commitment carries ``spans``: the
character offsets ``[start, end)`` in the record's ``body`` of its evidence.
:func:`store.extract.extract` gives them as a list of pairs; a stored record
(schema 2, written by :func:`store.records.build_record`) holds them as one
string, the pairs in order, each written ``START-END`` in ASCII decimal,
separated by single spaces::

    [[339, 352], [354, 359], [387, 398]]   ->   "339-352 354-359 387-398"
    []                                     ->   ""

Parsing a store creates one Python object per JSON value, and themes carry
dozens of evidence spans each: one string instead of a list of lists of ints
halves the parse of a large store (the app's launch).

Stores of schema 1 hold the list-of-pairs form, and a store may mix both
(records written before and after an upgrade), so every reader goes through
:func:`spans_of`, which accepts either form and never raises: a part that is
not two non-negative integers (``"12-x"``, ``[-5, 3]``, ``["a", 1]``, ``None``)
is skipped, and anything that is not spans at all gives ``[]``. Whether a span
lies inside the body is the reader's business (it knows the body);
``briefings doctor`` reports spans that are malformed or outside the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Span = tuple[int, int]

# The largest offset kept: what a JSON store holds as an integer (orjson: 64 bits), far
# past any text the store accepts; longer digit strings are never handed to int().
MAX_OFFSET = 2**63 - 1
_MAX_DIGITS = len(str(MAX_OFFSET))
# Exactly what encode_spans writes, with offsets of up to 18 digits (all below MAX_OFFSET):
# decimal without leading zeros, "START-END" pairs joined by single spaces, or nothing.
_OFFSET = r"(?:0|[1-9][0-9]{0,17})"
_CANONICAL = re.compile(rf"(?:{_OFFSET}-{_OFFSET}(?: {_OFFSET}-{_OFFSET})*)?")


def encode_spans(pairs: Iterable[Any] | str | None) -> str:
    """The compact form of ``pairs``: ``"339-352 354-359"`` (empty string for none).

    Takes any iterable of pairs, or what :func:`spans_of` takes (so encoding is
    idempotent); malformed parts are left out, exactly as a reader would skip them.
    """
    if isinstance(pairs, Iterable) and not isinstance(pairs, (str, list, tuple, bytes, Mapping)):
        pairs = list(pairs)  # a generator of pairs
    return " ".join(f"{s}-{e}" for s, e in spans_value(pairs))


def spans_of(item: Any) -> list[Span]:
    """The (start, end) spans of a stored item (a party, person, theme or commitment).

    ``item`` is the item itself (its ``"spans"`` is read) or a spans value: the compact
    string, or the old list of ``[start, end]`` pairs. Never raises; see the module docstring.
    """
    if isinstance(item, Mapping):
        try:
            item = item.get("spans")
        except Exception:  # a hostile mapping: no spans rather than a crash
            return []
    return spans_value(item)


def spans_value(value: Any) -> list[Span]:
    """The (start, end) pairs of a spans value, compact string or list of pairs; never raises."""
    if isinstance(value, str):
        if _CANONICAL.fullmatch(value):  # what encode_spans writes: the quick way
            numbers = map(int, value.replace("-", " ").split())
            return list(zip(numbers, numbers))
        return _parse(value)[0]
    if isinstance(value, (list, tuple)):
        out: list[Span] = []
        for pair in value:
            span = _pair(pair)
            if span is not None:
                out.append(span)
        return out
    return []


def span_parts(value: Any) -> tuple[list[Span], list[Any]]:
    """(well-formed spans, the malformed parts) of a spans value, for ``doctor``.

    A malformed part is a piece of the string (``"12-x"``) or an element of the list
    (``["a", 1]``); a value of neither form is one malformed part.
    """
    if isinstance(value, str):
        return (spans_value(value), []) if _CANONICAL.fullmatch(value) else _parse(value)  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        good: list[Span] = []
        bad: list[Any] = []
        for pair in value:
            span = _pair(pair)
            if span is None:
                bad.append(pair)
            else:
                good.append(span)
        return good, bad
    return [], [value]


def spans_as_lists(rec: Any) -> Any:
    """``rec`` with every compact spans string shown as ``[[start, end], ...]``.

    The record format that ``show --json`` and the JSON export print. Only what is
    lossless changes: a string that is not exactly what :func:`encode_spans` writes
    (a malformed part, stray spaces), a list and anything else stay as they are, and
    ``rec`` itself is never modified (a copy is made only when something changes).
    """
    def as_lists(text: str) -> list[list[int]]:
        if not _CANONICAL.fullmatch(text):
            return [list(p) for p in spans_value(text)]
        numbers = map(int, text.replace("-", " ").split())
        return [[s, e] for s, e in zip(numbers, numbers)]

    return _respelled(rec, as_lists)


def spans_as_json(rec: Any) -> Any:
    """:func:`spans_as_lists` for ``orjson.dumps`` without indentation (``briefings dump``).

    The same bytes, but each list is written straight from the compact string
    (``"1-2 3-4"`` → ``[[1,2],[3,4]]``) instead of through a Python list per span.
    """
    import orjson

    return _respelled(rec, lambda text: orjson.Fragment(
        "[[" + text.replace(" ", "],[").replace("-", ",") + "]]" if text else "[]"))


def _respelled(rec: Any, spell: Callable[[str], Any]) -> Any:
    if not isinstance(rec, dict):
        return rec
    changed: dict[str, Any] = {}
    for name in ("parties", "people", "themes", "commitments"):
        items = rec.get(name)
        if not isinstance(items, list):
            continue
        new_items = None
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("spans"), str) and _is_canonical(item["spans"]):
                if new_items is None:
                    new_items = list(items)
                new_items[i] = {**item, "spans": spell(item["spans"])}
        if new_items is not None:
            changed[name] = new_items
    return {**rec, **changed} if changed else rec


def _is_canonical(text: str) -> bool:
    """Whether ``text`` is exactly what encode_spans writes (so it reads back to the same string)."""
    if _CANONICAL.fullmatch(text):
        return True
    good, bad = _parse(text)
    return not bad and encode_spans(good) == text  # the rare offsets of 19 digits


def _pair(pair: Any) -> Span | None:
    if not isinstance(pair, (list, tuple)) or len(pair) != 2:
        return None
    s, e = pair
    if type(s) is not int or type(e) is not int:  # noqa: E721 - bool is not an offset
        return None
    if not (0 <= s <= MAX_OFFSET and 0 <= e <= MAX_OFFSET):
        return None
    return (s, e)


def _parse(text: str) -> tuple[list[Span], list[str]]:
    good: list[Span] = []
    bad: list[str] = []
    for part in text.split():
        s, sep, e = part.partition("-")
        if (sep and 0 < len(s) <= _MAX_DIGITS and 0 < len(e) <= _MAX_DIGITS
                and s.isascii() and e.isascii() and s.isdigit() and e.isdigit()):
            start, end = int(s), int(e)
            if start <= MAX_OFFSET and end <= MAX_OFFSET:
                good.append((start, end))
                continue
        bad.append(part)
    return good, bad
