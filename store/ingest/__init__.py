"""Read the files people really have into :class:`store.document.Document` values.

``read_document(path)`` reads one file or raises :class:`store.errors.IngestError`
with a one-line reason; ``iter_files(paths)`` walks folders. Readers live one
per format in this package and are imported lazily (trafilatura and pypdf are
slow to import and most runs need one or two formats).
"""

from __future__ import annotations
