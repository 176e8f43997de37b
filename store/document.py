"""What a reader hands to the extractor: one document's visible text and container metadata.

Readers (``store.ingest``) produce a :class:`Document`; the extractor
(``store.extract``) turns it into fields; the database (``store.db``) stores the
result. Nothing here knows about files on disk beyond the path it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Document:
    """One readable document, as a reader saw it.

    ``text`` is the briefing's visible text (``body`` in the store): for a saved
    web page only the article, for a forwarded email only the forwarded readout.
    ``title`` and ``date`` are what the container itself says (HTML ``<title>``
    or ``<h1>``, email ``Subject:`` without ``Fwd:``, Markdown front matter or
    first heading, Word's title property or Title-styled paragraph); ``date`` is
    ISO ``YYYY-MM-DD`` (page publication date, email ``Date:`` header) or None.
    """

    path: Path
    format: str  # one of store.ingest.FORMATS' values: txt, md, html, eml, docx, pdf
    text: str
    title: str | None = None
    date: str | None = None
    # Anything else a reader learned that may help a person: an email's covering
    # note ("cover_note"), its sender ("from"), a page's site name ("site").
    meta: dict[str, str] = field(default_factory=dict)
