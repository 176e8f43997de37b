"""One format-neutral note built from a stored record; every writer renders this.

The record is read defensively: any field may be missing, None, of the wrong
type or hostile (control characters, bogus spans). Everything in a
:class:`Note` is clean text: control characters and XML-invalid characters are
gone, single-line values have their whitespace collapsed, and the body is cut
into paragraphs of :class:`Segment` s that say which pieces to emphasise.

Highlights: a party's mention is *strong* (bold), a commitment clause is
*emphasis* (italic); a piece can be both. Spans are clipped to the body,
merged when they overlap and trimmed of surrounding whitespace, so a writer
never sees an empty, inverted or out-of-range piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from store.records import Record
from store.spans import spans_of

UNTITLED = "Untitled briefing"
HIGHLIGHT_LEGEND = "Participants’ names are in bold, commitments in italics."

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates and the
# two non-characters XML 1.0 forbids. Carriage returns are normalised first.
_INVALID = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_SPACES = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def clean_block(value: Any) -> str:
    """Text that keeps its lines: control and XML-invalid characters removed, newlines normalised."""
    text = _text(value)
    if not text:
        return ""
    return _INVALID.sub("", _NEWLINES.sub("\n", text)).replace("\t", " ")


def clean_line(value: Any) -> str:
    """A single-line value: cleaned, whitespace collapsed, trimmed."""
    return _SPACES.sub(" ", clean_block(value)).strip()


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def human_date(value: Any) -> str:
    """"2025-11-04" → "4 November 2025", "2026-06" → "June 2026"; anything else as given."""
    text = clean_line(value)
    m = _ISO_DATE.fullmatch(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), m[3]
        try:
            if day is None:
                if 1 <= month <= 12:
                    return f"{MONTHS[month - 1]} {year}"
            else:
                date(year, month, int(day))
                return f"{int(day)} {MONTHS[month - 1]} {year}"
        except ValueError:
            pass
    return text


def human_timestamp(value: Any) -> str:
    """An ISO timestamp as "2026-01-05 10:22 UTC" (or "+05:00"); anything else as given."""
    text = clean_line(value)
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return text
    if stamp.tzinfo is None:
        return stamp.strftime("%Y-%m-%d %H:%M")
    offset = stamp.utcoffset()
    zone = "UTC" if not offset else stamp.strftime("%z")
    if zone != "UTC":
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{stamp.strftime('%Y-%m-%d %H:%M')} {zone}"


# -- names of countries and themes (written by the extractor's engineers) -----------------
@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """"HU" → "Hungary"; the code itself when nothing knows it."""
    try:
        from store.extract.countries import country_name as extractor_name

        name = extractor_name(code)
        if name and name.upper() != code.upper():
            return name
    except Exception:  # noqa: BLE001 - the extractor's tables may be missing or mid-edit
        pass
    try:
        import pycountry

        found = pycountry.countries.get(alpha_2=code.upper())
        if found is not None:
            return getattr(found, "common_name", None) or found.name
    except Exception:  # noqa: BLE001 - pycountry raises on malformed codes
        pass
    return code


def country_label(code: Any) -> str:
    """"HU" → "HU — Hungary"; an unknown or free-text value as given."""
    text = clean_line(code)
    if not text:
        return ""
    if len(text) == 2 and text.isascii() and text.isalpha():
        name = country_name(text.upper())
        return f"{text.upper()} — {name}" if name.upper() != text.upper() else text.upper()
    return text


def actor_name(code: Any) -> str:
    text = clean_line(code)
    if len(text) == 2 and text.isascii() and text.isalpha():
        return country_name(text.upper())
    return text


def _taxonomy_labels() -> dict[str, tuple[str, str]]:
    try:
        from store.extract.themes import load_taxonomy

        return {str(t["id"]): (str(t.get("label") or t["id"]), str(t.get("color") or ""))
                for t in load_taxonomy() if isinstance(t, dict) and t.get("id")}
    except Exception:  # noqa: BLE001 - a broken user taxonomy must not stop an export
        return {}


def theme_label(theme_id: str, labels: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(label, colour) for a theme id; the id title-cased and no colour when unknown."""
    if theme_id in labels:
        label, color = labels[theme_id]
        return clean_line(label) or theme_id, color if re.fullmatch(r"#[0-9a-fA-F]{6}", color) else ""
    words = theme_id.replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else theme_id, ""


# -- the model ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    strong: bool = False  # a party's mention
    emphasis: bool = False  # a commitment clause


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    role: str
    country: str  # "HU — Hungary", or "" when not stated


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    label: str
    color: str  # "#rrggbb" or ""


@dataclass(frozen=True, slots=True)
class FollowUp:
    actors: list[str]  # country names
    text: str
    due: str  # "June 2026", or ""


@dataclass(slots=True)
class Note:
    id: str
    title: str
    lang: str
    facts: list[tuple[str, str]]  # (label, value): date, source, location — only those given
    participants: list[Participant]
    themes: list[Theme]
    followups: list[FollowUp]
    # The text: paragraphs of lines of segments (a line break inside a paragraph is kept).
    paragraphs: list[list[list[Segment]]]
    provenance: list[tuple[str, str]]
    highlighted: bool = False  # some segment is strong or emphasised
    raw_date: str = ""  # ISO date for file names, "" when missing or malformed
    keywords: list[str] = field(default_factory=list)


def build_note(rec: Record) -> Note:
    if not isinstance(rec, dict):
        rec = {}
    title = clean_line(rec.get("title")) or UNTITLED
    raw_date = clean_line(rec.get("date"))
    facts = [(label, value) for label, value in (
        ("Date", human_date(raw_date)),
        ("Source", clean_line(rec.get("source"))),
        ("Location", clean_line(rec.get("location"))),
    ) if value]

    participants = []
    for p in _list(rec.get("parties")):
        if not isinstance(p, dict):
            continue
        person = Participant(clean_line(p.get("name")), clean_line(p.get("role")), country_label(p.get("country")))
        if person.name or person.role or person.country:
            participants.append(person)

    labels = _taxonomy_labels() if rec.get("themes") else {}
    themes, seen = [], set()
    for t in _list(rec.get("themes")):
        tid = clean_line(t if isinstance(t, str) else t.get("id") if isinstance(t, dict) else None)
        if tid and tid not in seen:
            seen.add(tid)
            label, color = theme_label(tid, labels)
            themes.append(Theme(tid, label, color))

    followups = []
    for c in _list(rec.get("commitments")):
        if not isinstance(c, dict):
            continue
        actors_value = c.get("actors")
        actors = [actor_name(a) for a in (actors_value if isinstance(actors_value, list) else [actors_value])]
        text = clean_line(c.get("text"))
        if text or any(actors):
            followups.append(FollowUp([a for a in actors if a], text, human_date(c.get("due"))))

    body = _text(rec.get("body"))
    strong = [spans_of(p) for p in _list(rec.get("parties")) if isinstance(p, dict)]
    emphasis = [spans_of(c) for c in _list(rec.get("commitments")) if isinstance(c, dict)]
    segments = highlight_segments(body, _intervals(strong, body), _intervals(emphasis, body))
    paragraphs = split_paragraphs(segments)
    if paragraphs and _SPACES.sub(" ", " ".join(plain_lines(paragraphs[0]))).strip() == title:
        paragraphs = paragraphs[1:]  # the text's first line is the title: said once is enough

    source_file = clean_line(rec.get("source_file"))
    provenance = [(label, value) for label, value in (
        ("Original file", re.split(r"[\\/]", source_file)[-1] if source_file else ""),
        ("Format", clean_line(rec.get("format"))),
        ("Ingested", human_timestamp(rec.get("ingested_at"))),
        ("Content SHA-256", clean_line(rec.get("content_sha256"))),
        ("Briefing id", clean_line(rec.get("id"))),
    ) if value]

    lang = clean_line(rec.get("lang")).lower()
    return Note(
        id=clean_line(rec.get("id")),
        title=title,
        lang=lang if re.fullmatch(r"[a-z]{2,3}", lang) else "en",
        facts=facts,
        participants=participants,
        themes=themes,
        followups=followups,
        paragraphs=paragraphs,
        provenance=provenance,
        highlighted=any(s.strong or s.emphasis for para in paragraphs for line in para for s in line),
        raw_date=raw_date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw_date) else "",
        keywords=[t.label for t in themes],
    )


# -- highlighting ------------------------------------------------------------------------
def _intervals(span_lists: list[Any], body: str) -> list[tuple[int, int]]:
    """Every well-formed span clipped to the body, trimmed of whitespace, overlaps merged."""
    size = len(body)
    raw = []
    for spans in span_lists:
        for span in _list(spans):
            if not isinstance(span, (list, tuple)) or len(span) != 2:
                continue
            s, e = span
            if type(s) is not int or type(e) is not int:  # noqa: E721 - bool is not an offset
                continue
            s, e = max(s, 0), min(e, size)
            while s < e and body[s].isspace():
                s += 1
            while e > s and body[e - 1].isspace():
                e -= 1
            if s < e:
                raw.append((s, e))
    raw.sort()
    merged: list[tuple[int, int]] = []
    for s, e in raw:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def highlight_segments(body: str, strong: list[tuple[int, int]],
                       emphasis: list[tuple[int, int]]) -> list[Segment]:
    """The body cut at every highlight boundary, each piece cleaned, with its styles."""
    if not body:
        return []
    cuts = {0, len(body)}
    for s, e in strong + emphasis:
        cuts.add(s)
        cuts.add(e)
    points = sorted(cuts)
    out: list[Segment] = []
    si = ei = 0
    for a, b in zip(points, points[1:]):
        while si < len(strong) and strong[si][1] <= a:
            si += 1
        while ei < len(emphasis) and emphasis[ei][1] <= a:
            ei += 1
        is_strong = si < len(strong) and strong[si][0] <= a
        is_emph = ei < len(emphasis) and emphasis[ei][0] <= a
        text = clean_block(body[a:b])
        if text:
            out.append(Segment(text, is_strong, is_emph))
    return out


def split_paragraphs(segments: list[Segment]) -> list[list[list[Segment]]]:
    """Paragraphs at blank lines; when the text has none, every line is a paragraph.

    Inside a paragraph a single line break is kept (an address, a list); leading
    and trailing blanks of each line are dropped.
    """
    joined = "".join(s.text for s in segments)
    blank_separated = _BLANK_LINE.search(joined) is not None
    paragraphs: list[list[list[Segment]]] = []
    para: list[list[Segment]] = []
    line: list[Segment] = []

    def end_line() -> None:
        nonlocal line
        trimmed = _trim(line)
        if trimmed:
            para.append(trimmed)
        elif blank_separated:
            end_paragraph()
        line = []

    def end_paragraph() -> None:
        nonlocal para
        if para:
            paragraphs.append(para)
        para = []

    for seg in segments:
        pieces = seg.text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                end_line()
                if not blank_separated:
                    end_paragraph()
            if piece:
                line.append(Segment(piece, seg.strong, seg.emphasis))
    end_line()
    end_paragraph()
    return paragraphs


def _trim(line: list[Segment]) -> list[Segment]:
    """Drop whitespace at both ends of a line (and pieces left empty)."""
    line = list(line)
    while line and not line[0].text.strip():
        line.pop(0)
    while line and not line[-1].text.strip():
        line.pop()
    if not line:
        return []
    first, last = line[0], line[-1]
    line[0] = Segment(first.text.lstrip(), first.strong, first.emphasis)
    last = line[-1]
    line[-1] = Segment(last.text.rstrip(), last.strong, last.emphasis)
    # Runs of spaces inside a line add nothing to a note.
    return [Segment(re.sub(r"[ \u00a0]{2,}", " ", s.text), s.strong, s.emphasis) for s in line]


def plain_lines(paragraph: list[list[Segment]]) -> list[str]:
    return ["".join(s.text for s in line) for line in paragraph]
