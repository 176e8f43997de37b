"""PDF: the text layer of every page, pages separated by a blank line.

Justified text comes out of pypdf with runs of spaces between words; they are
collapsed to one. A word broken across lines with a hyphen is joined only when
the document itself spells it that way elsewhere ("inter-" + "national" ->
"international" if "international" occurs; "well-" + "known" -> "well-known"
if "well-known" occurs); otherwise the line is left as printed.

Title: the ``/Title`` metadata when it is meaningful (not a file name, not
"untitled", not "Microsoft Word - ..."). No date: ``/CreationDate`` is when the
file was produced, not the document's date.

Encrypted files that open with the empty password are read; others raise
"encrypted PDF". A file with pages but no text layer is a scan.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from store.document import Document
from store.ingest.common import ReaderError, one_line, require_text, tidy

MAX_PAGES = 2000
MAX_CHARS = 5_000_000
_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")
_BROKEN = re.compile(r"(\w+)-\n(\w+)")
_JUNK_TITLES = re.compile(
    r"^(untitled|document\d*|microsoft (word|powerpoint) - .*|.*\.(docx?|pdf|rtf|odt|txt|html?)|\W*)$",
    re.IGNORECASE,
)


def read(path: Path, data: bytes) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    # pypdf logs every recoverable oddity of a real-world PDF as a warning, and
    # without a handler Python prints them on stderr, across the TUI.
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.setLevel(logging.ERROR)
    if not pypdf_log.handlers:
        pypdf_log.addHandler(logging.NullHandler())
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ReaderError("encrypted PDF")
            except (DependencyError, FileNotDecryptedError, NotImplementedError):
                raise ReaderError("encrypted PDF") from None
        pages = reader.pages
        n_pages = len(pages)
    except ReaderError:
        raise
    except FileNotDecryptedError:
        raise ReaderError("encrypted PDF") from None
    except Exception:  # pypdf fails on malformed files in many different ways
        raise ReaderError("not a valid PDF") from None
    if n_pages == 0:
        raise ReaderError("empty: no text")
    meta = {"pages": str(n_pages)}
    texts: list[str] = []
    total = 0
    for index in range(min(n_pages, MAX_PAGES)):
        try:
            page_text = pages[index].extract_text() or ""
        except Exception:  # one damaged page must not lose the others
            page_text = ""
        texts.append(page_text)
        total += len(page_text)
        if total > MAX_CHARS:
            meta["truncated"] = f"stopped after page {index + 1} at {MAX_CHARS:,} characters"
            break
    if n_pages > MAX_PAGES and "truncated" not in meta:
        meta["truncated"] = f"stopped after page {MAX_PAGES} of {n_pages}"
    raw = "\n\n".join(texts)
    if not any(ch.isalnum() for ch in raw):
        raise ReaderError("scanned PDF with no text layer (OCR it first)")
    text = require_text(tidy(dehyphenate(_SPACES.sub(" ", raw.replace("\r\n", "\n").replace("\r", "\n")))))
    return Document(path=path, format="pdf", text=text, title=_title(reader), meta=meta)


def dehyphenate(text: str) -> str:
    """Join words split across lines only where the document confirms the spelling."""
    words = set(re.findall(r"\w+(?:-\w+)*", text))

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if f"{left}-{right}" in words:
            return f"{left}-{right}"
        if f"{left}{right}" in words:
            return f"{left}{right}"
        return m.group(0)

    return _BROKEN.sub(join, text)


def _title(reader: object) -> str | None:
    try:
        metadata = reader.metadata  # type: ignore[attr-defined]
        title = one_line(metadata.title) if metadata else None
    except Exception:  # broken info dictionaries are common
        return None
    if not title or _JUNK_TITLES.match(title) or not any(ch.isalpha() for ch in title):
        return None
    return title
