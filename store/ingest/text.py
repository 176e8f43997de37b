"""Plain text (.txt, .text): decoded, tidied, nothing else.

No title: a plain-text briefing's first line is usually its headline, and the
extractor decides that from the text itself.
"""

from __future__ import annotations

from pathlib import Path

from store.document import Document
from store.ingest.common import decode_text, require_text, tidy


def read(path: Path, data: bytes) -> Document:
    text, encoding = decode_text(data)
    return Document(path=path, format="txt", text=require_text(tidy(text)), meta={"encoding": encoding})
