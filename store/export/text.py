"""The note as plain text wrapped at 78 columns, for pasting into an email.

No markup at all: headings are underlined, the participants and follow-ups
are indented lists (a column layout would fall apart in a proportional font).
"""

from __future__ import annotations

import textwrap

from store.export.note import Note, plain_lines

WIDTH = 78


def _wrap(text: str, *, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=True, break_on_hyphens=False) or [first.rstrip()]


def _heading(text: str) -> list[str]:
    return [text, "-" * len(text)]


def render_text(note: Note) -> str:
    out = _wrap(note.title)
    out.append("=" * min(WIDTH, max(len(line) for line in out)))
    out.append("")
    if note.facts:
        width = max(len(label) for label, _ in note.facts) + 2
        for label, value in note.facts:
            out += _wrap(value, first=f"{label}:".ljust(width), rest=" " * width)
        out.append("")
    if note.participants:
        out += _heading("Participants")
        for p in note.participants:
            item = p.name or "(name not stated)"
            item += f", {p.role}" if p.role else ""
            item += f" ({p.country})" if p.country else ""
            out += _wrap(item, first="  - ", rest="    ")
        out.append("")
    if note.themes:
        out += _heading("Themes")
        out += _wrap(", ".join(t.label for t in note.themes), first="  ", rest="  ")
        out.append("")
    if note.followups:
        out += _heading("Follow-ups")
        for f in note.followups:
            who = ", ".join(f.actors)
            item = (f"{who}: " if who else "") + f.text + (f" (due {f.due})" if f.due else "")
            out += _wrap(item, first="  - ", rest="    ")
        out.append("")
    if note.paragraphs:
        out += _heading("Text")
        out.append("")
        for para in note.paragraphs:
            for line in plain_lines(para):
                out += _wrap(line)
            out.append("")
    if note.provenance:
        out.append("-- ")
        for label, value in note.provenance:
            out += _wrap(f"{label}: {value}", rest="  ")
        out.append("")
    return "\n".join(out)
