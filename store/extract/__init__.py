"""Turn a document's text into the fields of shared/eval/GUIDELINES.md, with evidence spans.

Deterministic and offline: rules and gazetteers, no model. One module per
field family; this module only composes them.

Result of :func:`extract` (every span is ``[start, end]`` into ``doc.text``):

    title, date, source, location: str | None
    lang: "en" | "ru"
    parties, people: [{"name", "role", "country", "spans": [[s, e], ...]}]
    countries: sorted ISO 3166-1 alpha-2 codes
    organizations: [str]
    themes: [{"id", "spans": [[s, e], ...]}] sorted by id
    commitments: [{"text", "actors": [ISO...], "due": str | None, "spans": [[s, e]]}]
"""

from __future__ import annotations

from typing import Any

from store.document import Document

FIELDS = ("title", "date", "source", "location", "lang", "parties", "people",
          "countries", "organizations", "themes", "commitments")


def empty_fields() -> dict[str, Any]:
    return {"title": None, "date": None, "source": None, "location": None, "lang": "en",
            "parties": [], "people": [], "countries": [], "organizations": [],
            "themes": [], "commitments": []}


def extract(doc: Document) -> dict[str, Any]:
    """Every field for one document (placeholder until the extractor lands)."""
    fields = empty_fields()
    fields["title"] = doc.title
    fields["date"] = doc.date
    return fields
