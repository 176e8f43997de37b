"""Read the files people really have into :class:`store.document.Document` values.

``read_document(path)`` reads one file or raises :class:`store.errors.IngestError`
with a one-line reason; ``iter_files(paths)`` walks folders. Readers live one
per format in this package and are imported lazily (trafilatura and pypdf are
slow to import and most runs need one or two formats).

Every reader has the signature ``read(path: Path, data: bytes) -> Document``;
the file is read here, once, after its size has been checked with ``os.stat``.

``read_input``/``count_inputs`` are the same walk and read in
the shape ``store.db.Store.add_files`` and the TUI's progress bar use.
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from store.document import Document
from store.errors import IngestError
from store.ingest.common import MB, ReaderError, human_mb

__all__ = [
    "DEFAULT_MAX_BYTES", "FORMATS", "SKIPPED", "FileItem", "count_inputs", "format_of", "iter_files",
    "read_document", "read_input",
]

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".eml": "eml",
    ".docx": "docx",
    ".pdf": "pdf",
}

# Briefings are kilobytes; anything this big is a mistake or an attack, and is
# refused before a byte of it is read.
DEFAULT_MAX_BYTES = 20 * MB

_READER_MODULES = {
    "txt": "text",
    "md": "markdown",
    "html": "html",
    "eml": "mail",
    "docx": "word",
    "pdf": "pdf",
}

SKIPPED = "skipped"


class FileItem(NamedTuple):
    """One result of :func:`iter_files`; unpacks as ``(path, problem)``.

    ``problem`` is None for a file to read, :data:`SKIPPED` for a file found in
    a folder whose type is not read (count it, say nothing), and otherwise a
    one-line reason to report as an error for ``path``.
    """

    path: Path
    problem: str | None = None

    @property
    def skipped(self) -> bool:
        """Found in a folder, type not read: count it, do not report it."""
        return self.problem == SKIPPED


def format_of(path: Path) -> str | None:
    """The format name for a path's suffix, or None when the type is not read."""
    return FORMATS.get(Path(path).suffix.lower())


def _unsupported(path: Path) -> str:
    suffix = Path(path).suffix
    return f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document, or raise IngestError with a short reason.

    ``Document.path`` is the absolute path (symlinks not resolved: the name the
    person used). No other exception escapes: anything unexpected from a
    reader library becomes an IngestError naming the format.
    """
    given = Path(path)
    absolute = Path(os.path.abspath(given))
    fmt = format_of(given)
    if fmt is None:
        raise IngestError(absolute, _unsupported(given))
    try:
        data = _read_bytes(absolute, max_bytes)
        reader = importlib.import_module(f"{__name__}.{_READER_MODULES[fmt]}")
        return reader.read(absolute, data)
    except IngestError:
        raise
    except ReaderError as exc:
        raise IngestError(absolute, exc.reason) from None
    except MemoryError:
        raise IngestError(absolute, "too large to read: out of memory") from None
    except RecursionError:
        raise IngestError(absolute, f"cannot read: {fmt} structure nested too deeply") from None
    except Exception as exc:  # a reader library's own bug must not stop a batch
        detail = str(exc).splitlines()[0][:120] if str(exc) else ""
        reason = f"cannot read {fmt} file: {type(exc).__name__}" + (f": {detail}" if detail else "")
        raise IngestError(absolute, reason) from exc


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ReaderError(_os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReaderError("cannot read: is a folder")
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or device would block or never end.
        raise ReaderError("cannot read: not a regular file")
    if info.st_size > max_bytes:
        raise ReaderError(f"too large: {human_mb(info.st_size)} over the {human_mb(max_bytes)} limit")
    if info.st_size == 0:
        raise ReaderError("empty: no text")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ReaderError(_os_reason(exc)) from None
    if len(data) > max_bytes:  # the file grew after stat
        raise ReaderError(f"too large: over the {human_mb(max_bytes)} limit")
    if not data:
        raise ReaderError("empty: no text")
    return data


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "cannot read: no such file"
    if isinstance(exc, IsADirectoryError):
        return "cannot read: is a folder"
    return f"cannot read: {(exc.strerror or type(exc).__name__).lower()}"


def iter_files(paths: Iterable[Path]) -> Iterator[FileItem]:
    """Expand files and folders into the files to read, in a stable order.

    Contract — each yielded :class:`FileItem` ``(path, problem)`` is one of:

    * ``(file, None)``: read it with :func:`read_document`. Given explicitly or
      found in a folder with a supported suffix (see :data:`FORMATS`).
    * ``(file, SKIPPED)``: found while walking a folder, type not read (e.g. the
      ``.gold.json`` files beside documents). Count it; do not report it.
    * ``(path, reason)``: an error to report for ``path``: a file named
      explicitly whose type is not read (``"unsupported file type .xyz"``), a
      path that does not exist, a folder that cannot be listed.

    Given paths are handled in the order given; each folder is walked depth
    first with entries sorted by name. Hidden entries (name starting with ".")
    inside folders are neither yielded nor counted; a hidden path named
    explicitly is read. Symlinks are followed, but a folder already visited
    (by its real path) is not walked again, so link loops end, and a file
    reached twice (named twice, or through a link) is yielded once.
    """
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for given in paths:
        given = Path(given)
        try:
            is_dir = given.is_dir()
            exists = is_dir or given.exists() or given.is_symlink()
        except OSError as exc:
            yield FileItem(given, _os_reason(exc))
            continue
        if not exists:
            yield FileItem(given, "cannot read: no such file or folder")
        elif is_dir:
            yield from _walk(given, seen_dirs, seen_files)
        elif _first_visit(given, seen_files):
            yield FileItem(given, None if format_of(given) else _unsupported(given))


def _first_visit(path: Path, seen: set[str]) -> bool:
    real = os.path.realpath(path)
    if real in seen:
        return False
    seen.add(real)
    return True


def _walk(root: Path, seen_dirs: set[str], seen_files: set[str]) -> Iterator[FileItem]:
    # An explicit stack of directory iterators: deep trees cannot exhaust the
    # recursion limit, and the yield order is still a sorted depth-first walk.
    if not _first_visit(root, seen_dirs):
        return
    stack: list[Iterator[os.DirEntry[str]]] = []
    listing = _listing(root)
    if isinstance(listing, str):
        yield FileItem(root, listing)
        return
    stack.append(iter(listing))
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError:
            is_dir = False
        if is_dir:
            if not _first_visit(path, seen_dirs):
                continue
            listing = _listing(path)
            if isinstance(listing, str):
                yield FileItem(path, listing)
            else:
                stack.append(iter(listing))
            continue
        if not _first_visit(path, seen_files):
            continue
        yield FileItem(path, None if format_of(path) else SKIPPED)


def _listing(folder: Path) -> list[os.DirEntry[str]] | str:
    """Sorted entries of a folder, or the reason it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        reason = _os_reason(exc)
        return reason.replace("cannot read:", "cannot read folder:")


# --- the batch interface store.db and the TUI call ---------------------------------

def read_input(item: FileItem, *, max_bytes: int | None = None) -> Document:
    """Read one :func:`iter_files` item; its problem, if any, is raised as IngestError."""
    if item.problem is not None:
        raise IngestError(Path(os.path.abspath(item.path)), item.problem)
    return read_document(item.path, max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)


def count_inputs(paths: Iterable[Path]) -> int:
    """How many items a batch will read or report (skipped files excluded): a progress total."""
    return sum(1 for item in iter_files(paths) if not item.skipped)
