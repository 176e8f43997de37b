"""The shape of a stored briefing and how its id is derived.

A record holds what the reader saw (``body``, ``format``, ``source_file``,
the container's own ``doc_title``/``doc_date`` and ``meta``), provenance
(``content_sha256``, ``ingested_at``) and the extracted fields of
``store.extract`` (field names of shared/eval/GUIDELINES.md). Anything a user
adds by hand lives in other tables, so re-extraction can replace the extracted
fields wholesale.

Stored highlight ``spans`` are compact strings (``"339-352 354-359"``), not the
extractor's lists of pairs: :mod:`store.spans` has the format, and
:func:`spans_of` reads either form.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timezone
from typing import Any

from store.document import Document
from store.spans import encode_spans, spans_of  # noqa: F401 - spans_of: readers may import it from here

ID_LENGTH = 12
# Every key build_record writes: provenance, what the reader saw, then
# store.extract.FIELDS (repeated here so that opening a store never imports the
# extractor; a test keeps the two in step). A stored record lacking one is damaged.
STORED_FIELDS = ("id", "content_sha256", "source_file", "format", "ingested_at", "doc_title", "doc_date",
                 "meta", "body", "title", "date", "source", "location", "lang", "parties", "people",
                 "countries", "organizations", "themes", "commitments")
_SPACE = re.compile(r"\s+")

Record = dict[str, Any]


def normalised_content(text: str) -> str:
    """The text as identity sees it: the same words from a .txt or a .docx hash alike."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", text).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalised_content(text).encode("utf-8")).hexdigest()


def doc_id_of(record_id: str) -> int:
    """TinyDB wants integer document ids: use the hex id itself, so every process agrees."""
    return int(record_id, 16)


def document_of(record: Record) -> Document:
    """Rebuild what the reader saw, to extract again without the original file."""
    from pathlib import Path

    return Document(path=Path(record.get("source_file") or ""), format=record.get("format") or "txt",
                    text=record.get("body") or "", title=record.get("doc_title"),
                    date=record.get("doc_date"), meta=dict(record.get("meta") or {}))


def extracted_fields(doc: Document) -> dict[str, Any]:
    # Imported here: loading the gazetteers costs time and memory that opening
    # the store to read or search never needs.
    from store.extract import FIELDS as EXTRACTED_FIELDS
    from store.extract import extract

    fields = extract(doc)
    return {key: fields.get(key) for key in EXTRACTED_FIELDS}


# The extracted fields whose items carry highlight spans.
SPAN_FIELDS = ("parties", "people", "themes", "commitments")


def stored_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Extracted fields as a record stores them: every item's ``spans`` in the compact form.

    ``fields`` is left as it is (``extract()``'s own output keeps its pairs); items
    are copied. Idempotent, so stored fields can be compared with fresh ones.
    """
    out = dict(fields)
    for name in SPAN_FIELDS:
        items = fields.get(name)
        if isinstance(items, list):
            out[name] = [{**item, "spans": encode_spans(item["spans"])}
                         if isinstance(item, dict) and "spans" in item else item for item in items]
    return out


def build_record(doc: Document, *, now: datetime | None = None) -> Record:
    sha = content_hash(doc.text)
    stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    record: Record = {
        "id": sha[:ID_LENGTH],
        "content_sha256": sha,
        "source_file": str(doc.path),
        "format": doc.format,
        "ingested_at": stamp,
        "doc_title": doc.title,
        "doc_date": doc.date,
        "meta": dict(doc.meta),
        "body": doc.text,
        # Changes whenever the extracted fields do (reextract), so caches such
        # as the search index can tell a re-extracted record without comparing it.
        "extracted_at": stamp,
    }
    record.update(stored_fields(extracted_fields(doc)))
    return record


def sort_key_newest_first(record: Record) -> tuple[str, str]:
    """Undated briefings sort after dated ones; ingest time breaks ties."""
    return (record.get("date") or "", record.get("ingested_at") or "")
