"""Turn one stored briefing into a note people can send.

Contract the CLI and the app rely on:

- ``FORMATS``: the format names, in menu order.
- :func:`render` gives the note as ``str`` (md, txt, html, json) or ``bytes`` (docx).
- :func:`default_filename` gives ``YYYY-MM-DD-short-title-slug.EXT``.
- :func:`export_to` writes a file (never over an existing one unless
  ``force``) and returns its path; :class:`ExportError` says what went wrong.
- :func:`to_markdown` is the Markdown note (the app copies it to the clipboard).

Layout: :mod:`.note` builds one format-neutral :class:`~.note.Note` from a
record (cleaned values, country and theme names, highlight segments); one
module per format renders it (:mod:`.markdown`, :mod:`.text`, :mod:`.html`,
:mod:`.docx`; :mod:`.jsonfmt` writes the record itself); :mod:`.files` names
and writes files.
"""

from __future__ import annotations

from pathlib import Path

from store.errors import printable
from store.export.files import ExportError, write_new
from store.export.files import default_filename as _filename
from store.export.note import Note, build_note
from store.records import Record

__all__ = ["FORMATS", "BINARY_FORMATS", "ExportError", "Note", "build_note", "default_filename",
           "export_to", "render", "to_markdown"]

FORMATS: tuple[str, ...] = ("md", "txt", "html", "json", "docx")
BINARY_FORMATS = frozenset({"docx"})  # render() gives bytes; never written to a terminal


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def to_markdown(rec: Record) -> str:
    from store.export.markdown import render_markdown

    return render_markdown(build_note(rec))


def render(rec: Record, fmt: str) -> str | bytes:
    _check(fmt)
    if fmt == "json":
        from store.export.jsonfmt import render_json

        return render_json(rec)
    note = build_note(rec)
    if fmt == "md":
        from store.export.markdown import render_markdown

        return render_markdown(note)
    if fmt == "txt":
        from store.export.text import render_text

        return render_text(note)
    if fmt == "html":
        from store.export.html import render_html

        return render_html(note)
    from store.export.docx import render_docx

    return render_docx(note)


def default_filename(rec: Record, fmt: str) -> str:
    _check(fmt)
    note = build_note({k: rec.get(k) for k in ("title", "date", "id")} if isinstance(rec, dict) else {})
    title = note.title if isinstance(rec, dict) and rec.get("title") else ""
    return _filename(title, note.raw_date, note.id, fmt)


def export_to(rec: Record, fmt: str, *, path: Path | None = None, folder: Path | None = None,
              force: bool = False) -> Path:
    """Write the note and return its path.

    ``path`` names the file (an existing folder there gets the default name
    inside it); otherwise the default name goes into ``folder`` (default: the
    current folder). Missing folders are created owner-only, the file 0600.
    """
    _check(fmt)
    if path is not None:
        target = Path(path).expanduser()
        if target.is_dir():
            target = target / default_filename(rec, fmt)
    else:
        target = Path(folder if folder is not None else Path.cwd()).expanduser() / default_filename(rec, fmt)
    if target.exists() and not force:
        raise ExportError(f"{printable(str(target))} exists; choose another name or overwrite it (--force)")
    data = render(rec, fmt)
    return write_new(target, data if isinstance(data, bytes) else data.encode("utf-8"), force=force)
