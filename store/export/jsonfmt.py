"""The note as JSON: the full stored record, so reading the file back gives the record exactly.

JSON escapes control characters itself; nothing is cleaned or dropped here.
"""

from __future__ import annotations

import json

import orjson

from store.records import Record


def render_json(rec: Record) -> str:
    try:
        return orjson.dumps(rec, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except (TypeError, orjson.JSONEncodeError):
        # orjson refuses what the store itself could never hold (lone surrogates,
        # integers past 64 bits); the standard library escapes them losslessly.
        return json.dumps(rec, ensure_ascii=True, indent=2) + "\n"
