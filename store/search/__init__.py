"""Search over stored briefings.

Contract the CLI and the app rely on (the engine behind it may change):

- :func:`search_hits` returns ranked :class:`Hit` values; each carries the
  record, a score, a one-sentence snippet and the character spans of the
  matched words in ``record["body"]`` and in its title, for highlighting.
- A malformed query raises :class:`QueryError` whose message says what is
  wrong; callers show it inline, never a traceback.

For now a plain case-insensitive match of every word against the title, the
body and the parties' names; the search issue replaces the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.errors import BriefingsError
from store.records import Record


class QueryError(BriefingsError):
    """The query cannot be understood; the message says why (and suggests a fix)."""


@dataclass(frozen=True, slots=True)
class Hit:
    record: Record
    score: float
    snippet: str = ""
    body_spans: list[tuple[int, int]] = field(default_factory=list)
    title_spans: list[tuple[int, int]] = field(default_factory=list)


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    out = []
    for w in words:
        out += [(m.start(), m.end()) for m in re.finditer(re.escape(w), text, flags=re.IGNORECASE)]
    return sorted(out)


def search_hits(records: list[Record], query: str, *, limit: int = 50) -> list[Hit]:
    if query.count('"') % 2:
        raise QueryError("unbalanced quotes: close the phrase with a second \"")
    words = [w for w in query.casefold().replace('"', " ").split() if w]
    if not words:
        return [Hit(rec, 0.0) for rec in records[:limit]]
    hits = []
    for rec in records:
        names = " ".join(p.get("name") or "" for p in rec.get("parties") or [])
        hay = f"{rec.get('title') or ''}\n{names}\n{rec.get('body') or ''}".casefold()
        if all(w in hay for w in words):
            body = rec.get("body") or ""
            spans = _spans(body, words)
            snippet = body[max(0, spans[0][0] - 60): spans[0][1] + 100].replace("\n", " ") if spans else ""
            hits.append(Hit(rec, 1.0, snippet, spans, _spans(rec.get("title") or "", words)))
            if len(hits) >= limit:
                break
    return hits


def search_records(records: list[Record], query: str, *, limit: int = 50) -> list[Record]:
    return [hit.record for hit in search_hits(records, query, limit=limit)]
