"""Word (.docx): paragraphs and tables in document order.

Tables become one line per row with cells joined by `` | `` (merged cells
once); a blank line separates each paragraph and each table. Headers,
footers, comments and text boxes are not part of the briefing and are left out.

Title: the core ``title`` property when it is meaningful, else the first
Title-styled paragraph, else a Heading 1/2 among the first paragraphs that is
not a classification banner ("UNCLASSIFIED // ..."). No date: the core
``created`` date is when the file was made (often a template's date), not the
meeting's or the document's.

Before python-docx sees the file, the zip's directory is checked: a
"zip bomb" declares a tiny file that unpacks to gigabytes, and zipfile never
inflates a member beyond its declared size, so the declared sizes bound memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from store.document import Document
from store.ingest.common import MB, ReaderError, human_mb, is_banner, one_line, require_text, tidy

MAX_UNPACKED = 256 * MB
MAX_MEMBERS = 5000
MAX_RATIO = 200  # real Word XML compresses ~10-30x; 200x+ is a bomb's signature
_HEADING_LOOKAHEAD = 5
_JUNK_TITLES = re.compile(r"^(untitled|document\d*|microsoft word - .*|.*\.(docx?|pdf|rtf|odt))$", re.IGNORECASE)


def read(path: Path, data: bytes) -> Document:
    check_zip(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx fails on malformed packages in many different ways
        raise ReaderError("not a valid Word document") from None
    blocks: list[tuple[str, str]] = []  # (style name, text)
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            rows = _table_rows(item)
            if rows:
                blocks.append(("", "\n".join(rows)))
        else:
            blocks.append((_style(item), item.text))
    text = require_text(tidy("\n\n".join(t for _, t in blocks if t.strip())))
    return Document(path=path, format="docx", text=text, title=_title(document, blocks))


def check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReaderError("not a valid Word document") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ReaderError(f"not a valid Word document: {len(infos)} parts (zip bomb?)")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names and "[Content_Types].xml" not in names:
            raise ReaderError("not a valid Word document")
        if any(i.flag_bits & 0x1 for i in infos):
            raise ReaderError("encrypted Word document")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED:
            raise ReaderError(
                f"not a valid Word document: unpacks to {human_mb(total)}, over the {human_mb(MAX_UNPACKED)} limit (zip bomb?)"
            )
        for info in infos:
            if info.file_size > 10 * MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ReaderError(f"not a valid Word document: {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1 (zip bomb?)")


def _style(paragraph: Any) -> str:
    try:
        return paragraph.style.name or ""
    except (AttributeError, KeyError, ValueError):
        return ""


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the grid
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        line = " | ".join(cells).strip(" |")
        if line:
            rows.append(line)
    return rows


def _title(document: Any, blocks: list[tuple[str, str]]) -> str | None:
    core = one_line(document.core_properties.title)
    if core and not _JUNK_TITLES.match(core):
        return core
    for style, text in blocks:
        if style == "Title" and one_line(text):
            return one_line(text)
    seen = 0
    for style, text in blocks:
        line = one_line(text)
        if not line:
            continue
        if style in ("Heading 1", "Heading 2") and not is_banner(line):
            return line
        seen += 1
        if seen >= _HEADING_LOOKAHEAD:
            break
    return None
