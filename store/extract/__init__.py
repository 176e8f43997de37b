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

from bisect import bisect_right
from itertools import accumulate
from typing import Any

from store.document import Document
from store.extract import meta, orgs, people
from store.extract.countries import find_country_mentions
from store.extract.text import begin_document, detect_lang, sentence_spans

try:  # owned by the themes/commitments engineer; the package works before they land
    from store.extract import themes as _themes
except ImportError:  # pragma: no cover - depends on another module's presence
    _themes = None  # type: ignore[assignment]
try:
    from store.extract import commitments as _commitments
except ImportError:  # pragma: no cover
    _commitments = None  # type: ignore[assignment]

FIELDS = ("title", "date", "source", "location", "lang", "parties", "people",
          "countries", "organizations", "themes", "commitments")


def empty_fields() -> dict[str, Any]:
    return {"title": None, "date": None, "source": None, "location": None, "lang": "en",
            "parties": [], "people": [], "countries": [], "organizations": [],
            "themes": [], "commitments": []}


def _outside(mentions: list[Any], spans: list[tuple[int, int]]) -> list[Any]:
    """The mentions whose start lies in none of the [start, end) spans."""
    if not spans:
        return mentions
    # A start lies in a span when a span starting at or before it reaches past it: with the spans
    # sorted by start, the furthest end among those is a running maximum (spans may overlap).
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    reach = list(accumulate((e for _, e in spans), max))
    out = []
    for m in mentions:
        i = bisect_right(starts, m.start)
        if not i or reach[i - 1] <= m.start:
            out.append(m)
    return out


def extract(doc: Document) -> dict[str, Any]:
    """Every field for one document."""
    fields = empty_fields()
    text = doc.text or ""
    begin_document(text)
    lang = detect_lang(text)
    fields["lang"] = lang
    sentences = sentence_spans(text)
    cues = people.Cues(text)
    meeting = people.meeting_sentences(text, sentences, cues)
    fields.update(meta.meta_fields(text, doc.title, doc.date, doc.meta, sentences, meeting, lang, cues))
    mentions = find_country_mentions(text)
    home = meta.source_country(fields["source"]) or meta.url_country(doc.meta)
    parties, others = people.find_people(text, sentences, home_country=home, mentions=mentions, lang=lang,
                                         cues=cues)
    fields["parties"], fields["people"] = parties, others
    # a country word inside a person's name ("Iran Sharkhan") names no country
    name_spans = [(s, e) for p in parties + others for s, e in p["spans"]]
    mentions = _outside(mentions, name_spans)
    codes = {m.code for m in mentions} | {p["country"] for p in parties if p["country"]}
    fields["countries"] = sorted(codes)
    fields["organizations"] = orgs.find_organizations(text, name_spans, lang)
    if _themes is not None:
        try:
            fields["themes"] = _themes.find_themes(text, lang=lang)
        except Exception:  # noqa: BLE001 - a bug there must not lose the other fields
            fields["themes"] = []
    if _commitments is not None:
        try:
            fields["commitments"] = _commitments.find_commitments(
                text, meeting_date=fields["date"], doc_date=doc.date, mentions=mentions,
                parties=parties, lang=lang)
        except Exception:  # noqa: BLE001
            fields["commitments"] = []
    return fields
