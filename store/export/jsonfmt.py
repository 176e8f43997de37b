"""The note as JSON: the full record, so reading the file back gives the record.

The record is written in its documented format, as ``briefings dump`` prints it:
highlight spans as ``[[start, end], ...]`` however they are stored (the compact
string of :mod:`store.spans` is a storage detail; ``encode_spans`` turns the
lists back into it losslessly). JSON escapes control characters itself; nothing
is cleaned or dropped here (a malformed span string is written as it is).
"""

from __future__ import annotations

import json

import orjson

from store.records import Record
from store.spans import spans_as_lists


def render_json(rec: Record) -> str:
    rec = spans_as_lists(rec)
    try:
        return orjson.dumps(rec, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except (TypeError, orjson.JSONEncodeError):
        # orjson refuses what the store itself could never hold (lone surrogates,
        # integers past 64 bits); the standard library escapes them losslessly.
        return json.dumps(rec, ensure_ascii=True, indent=2) + "\n"
