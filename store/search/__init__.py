"""Search over stored briefings.

Contract the CLI and the app rely on (the engine behind it may change):

- :func:`search_hits` returns ranked :class:`Hit` values; each carries the
  record, a score, a one-sentence snippet and the character spans of the
  matched words in ``record["body"]`` and in its title, for highlighting
  (and ``snippet_spans``, the same within the snippet).
- A malformed query raises :class:`QueryError` whose message says what is
  wrong; callers show it inline, never a traceback.

The package: :mod:`.query` (the language → immutable values), :mod:`.fold`
(what makes Gábor, GABOR and gabor one term), :mod:`.index` (the inverted
index, BM25 with field weights, kept in step with the store by
``SearchIndex.sync``), :mod:`.snippet` (best sentence, exact spans) and
:mod:`.lookup` (country and theme names). A :class:`~store.db.Store` keeps
one :class:`SearchIndex`, kept on disk beside the store by :mod:`.persist`, and
syncs it before each search; the functions here keep one in memory for
callers without a store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from store.records import Record
from store.search.query import QueryError, register_is

__all__ = ["Hit", "QueryError", "SearchIndex", "register_is", "search_hits", "search_records"]


Span = tuple[int, int]


class Hit:
    """One ranked match: ``record``, ``score``, ``snippet``, ``body_spans``, ``title_spans``
    (and ``snippet_spans``, the matches within the snippet).

    Immutable. The snippet and spans are worked out the first time any of
    them is read: the app searches on every keystroke and shows a screenful
    of hits, so the other hits never pay for theirs.
    """

    __slots__ = ("record", "score", "_snippet", "_body_spans", "_title_spans", "_snippet_spans", "_make")

    def __init__(self, record: Record, score: float, snippet: str = "", body_spans: list[Span] | None = None,
                 title_spans: list[Span] | None = None, snippet_spans: list[Span] | None = None, *,
                 make: Callable[[], tuple[str, list[Span], list[Span], list[Span]]] | None = None) -> None:
        put = object.__setattr__
        put(self, "record", record)
        put(self, "score", score)
        put(self, "_snippet", snippet)
        put(self, "_body_spans", list(body_spans or []))
        put(self, "_title_spans", list(title_spans or []))
        put(self, "_snippet_spans", list(snippet_spans or []))
        put(self, "_make", make)

    @classmethod
    def lazy(cls, record: Record, score: float,
             make: Callable[[], tuple[str, list[Span], list[Span], list[Span]]]) -> Hit:
        """A hit whose snippet and spans ``make()`` returns when first read."""
        self = object.__new__(cls)
        put = object.__setattr__
        put(self, "record", record)
        put(self, "score", score)
        put(self, "_make", make)
        return self

    def _fill(self) -> None:
        make = self._make
        if make is not None:
            snippet, snippet_spans, body_spans, title_spans = make()
            put = object.__setattr__
            put(self, "_snippet", snippet)
            put(self, "_snippet_spans", snippet_spans)
            put(self, "_body_spans", body_spans)
            put(self, "_title_spans", title_spans)
            put(self, "_make", None)

    @property
    def snippet(self) -> str:
        self._fill()
        return self._snippet

    @property
    def body_spans(self) -> list[Span]:
        self._fill()
        return self._body_spans

    @property
    def title_spans(self) -> list[Span]:
        self._fill()
        return self._title_spans

    @property
    def snippet_spans(self) -> list[Span]:
        self._fill()
        return self._snippet_spans

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Hit is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hit):
            return NotImplemented
        return (self.record == other.record and self.score == other.score and self.snippet == other.snippet
                and self.body_spans == other.body_spans and self.title_spans == other.title_spans)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Hit(id={self.record.get('id')!r}, score={self.score:.3f}, snippet={self.snippet[:60]!r})"


def __getattr__(name: str) -> object:
    if name == "SearchIndex":
        from store.search.index import SearchIndex

        return SearchIndex
    raise AttributeError(name)


_shared = None
_shared_lock = threading.Lock()


def _shared_index():  # type: ignore[no-untyped-def]
    global _shared
    with _shared_lock:
        if _shared is None:
            from store.search.index import SearchIndex

            _shared = SearchIndex()
        return _shared


def search_hits(records: list[Record], query: str, *, limit: int = 50) -> list[Hit]:
    """The records matching ``query``, best first (newest first when nothing is scored)."""
    return _shared_index().search_hits(records, query, limit=limit)


def search_records(records: list[Record], query: str, *, limit: int = 50) -> list[Record]:
    return [hit.record for hit in search_hits(records, query, limit=limit)]
