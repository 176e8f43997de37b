"""Turn one stored briefing into a note people can send.

Contract the CLI and the app rely on:

- ``FORMATS``: the format names, in menu order.
- :func:`render` gives the note as ``str`` (md, txt, html, json) or ``bytes`` (docx).
- :func:`default_filename` gives ``YYYY-MM-DD-short-title-slug.EXT``.
- :func:`export_to` writes a file (never over an existing one unless
  ``force``) and returns its path; :class:`ExportError` says what went wrong.

Markdown only for now; the export issue adds text, HTML, JSON and Word.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from store.errors import BriefingsError
from store.records import Record

FORMATS: tuple[str, ...] = ("md",)


class ExportError(BriefingsError):
    """The note could not be written; the message names the path and the reason."""


def _cell(text: object) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(rec: Record) -> str:
    lines = [f"# {rec.get('title') or 'Untitled briefing'}", ""]
    facts = [("Date", rec.get("date")), ("Source", rec.get("source")), ("Location", rec.get("location"))]
    lines += [f"- **{k}:** {v}" for k, v in facts if v]
    parties = rec.get("parties") or []
    if parties:
        lines += ["", "## Participants", "", "| Name | Role | Country |", "| --- | --- | --- |"]
        lines += [f"| {_cell(p.get('name'))} | {_cell(p.get('role'))} | {_cell(p.get('country'))} |"
                  for p in parties]
    themes = [t if isinstance(t, str) else t.get("id") for t in rec.get("themes") or []]
    if themes:
        lines += ["", "## Themes", "", ", ".join(themes)]
    commitments = rec.get("commitments") or []
    if commitments:
        lines += ["", "## Follow-ups", ""]
        for c in commitments:
            who = ", ".join(c.get("actors") or []) or "—"
            due = f" (due {c['due']})" if c.get("due") else ""
            lines.append(f"- **{who}**: {c.get('text')}{due}")
    lines += ["", "## Text", "", rec.get("body") or "", ""]
    return "\n".join(lines)


def render(rec: Record, fmt: str) -> str | bytes:
    if fmt != "md":
        raise ExportError(f"export format {fmt!r} is not available yet")
    return to_markdown(rec)


def default_filename(rec: Record, fmt: str) -> str:
    title = unicodedata.normalize("NFKD", rec.get("title") or "briefing").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-") or "briefing"
    return f"{rec.get('date') or 'undated'}-{slug}.{fmt}"


def export_to(rec: Record, fmt: str, *, path: Path | None = None, folder: Path | None = None,
              force: bool = False) -> Path:
    target = path if path is not None else (folder or Path.cwd()) / default_filename(rec, fmt)
    if target.exists() and not force:
        raise ExportError(f"{target} exists; choose another name or overwrite it (--force)")
    data = render(rec, fmt)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return target
