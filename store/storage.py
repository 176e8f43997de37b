"""TinyDB storage that never loses data: atomic replace, a `.bak`, a cross-process lock.

TinyDB's own JSONStorage rewrites the file in place with no lock, so a crash
mid-write or a second writer can destroy the store. This storage:

- writes a temp file in the same folder, fsyncs it, keeps the previous file as
  ``NAME.bak`` (a hard link, so it costs no copy), then ``os.replace``-s the
  temp file over the store and fsyncs the folder: a reader sees the old file or
  the new one, never half of one;
- parses once with orjson (with the garbage collector paused, then the
  parsed objects frozen out of its sight: on 100,000 records Python's GC
  otherwise takes ~45% of the load) and serves later reads
  from memory while the file's (mtime, size, inode) stay the same, so another
  process's write is noticed on the next read;
- creates the folder 0700 and every file 0600: these are diplomatic texts;
- refuses to read an empty store file as an empty store (a store is never
  written empty, so zero bytes is damage), and reports any damage without
  writing over it.

Temp files of a writer that was killed are removed under the lock (by the
next writer, or by :func:`remove_leftovers` when a store is opened and the
lock is free), never while a live writer may be using them.

The lock itself is taken by :class:`store.db.Store` around each
read-modify-write, so that a writer always re-reads the file under the lock.
"""

from __future__ import annotations

import gc
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from store.errors import StoreError

TEMP_PREFIX = ".tmp-"
FILE_MODE = 0o600
DIR_MODE = 0o700

Signature = tuple[int, int, int]


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) owner-only if it does not exist yet."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)


def file_signature(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def temp_files(path: Path) -> list[Path]:
    """Temp files a killed writer may have left beside the store.

    Only names this storage makes for this store: ``.tmp-NAME.XXXXXXXX``
    (mkstemp) and ``.tmp-NAME.bak.PID`` (the backup link), so a store whose
    name merely starts with NAME never loses a live temp file to us.
    """
    pattern = re.compile(re.escape(f"{TEMP_PREFIX}{path.name}.") + r"(?:[a-z0-9_]{8}|bak\.\d+)")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return sorted(path.parent / n for n in names if pattern.fullmatch(n))


def remove_leftovers(path: Path) -> int:
    """Delete a killed writer's temp files; the caller must hold the store's lock.

    Returns how many were removed. A file that cannot be removed (a read-only
    folder) is left for a later writer: it is never read as the store.
    """
    removed = 0
    for leftover in temp_files(path):
        try:
            leftover.unlink()
            removed += 1
        except OSError:  # gone already, or a read-only folder
            pass
    return removed


class DamagedStoreError(StoreError):
    """The store file's bytes are not a store; ``problem`` says how, the message what to do."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(damaged_message(path, problem))
        self.problem = problem


def parse_store_bytes(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse a store file's bytes, or raise a StoreError that names the file and the `.bak`."""
    if not raw.strip():
        # Every write holds at least the schema stamp: an empty file is a
        # truncated store (another tool, a full disk), never "no briefings".
        raise DamagedStoreError(path, "the file is empty")
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = orjson.loads(raw)
        # Parsed JSON holds no reference cycles, so the collector has nothing to
        # find in it: freezing moves these millions of objects out of its sight
        # (otherwise the next allocations trigger full scans costing ~0.5 s).
        gc.freeze()
    except orjson.JSONDecodeError as exc:
        raise DamagedStoreError(path, f"not valid JSON ({exc})") from None
    finally:
        if gc_was_enabled:
            gc.enable()
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedStoreError(path, "not a briefings store (unexpected layout)")
    return data


def damaged_message(path: Path, problem: str) -> str:
    bak = backup_path(path)
    hint = (f"the previous version is in {bak}; `briefings --db {path} doctor --repair` restores it"
            if bak.exists() else "there is no .bak to restore from")
    return f"{path}: the store file is damaged: {problem}. It was left untouched; {hint}."


class AtomicJSONStorage(Storage):
    """A TinyDB storage over one JSON file, written atomically."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = None
        self._signature: Signature | None = None

    # -- reading ---------------------------------------------------------
    def read(self) -> dict[str, Any]:
        signature = file_signature(self.path)
        if signature is None:
            # No file yet: hand out one empty dict that the first write fills in.
            if self._signature is not None or self._data is None:
                self._data, self._signature = {}, None
            return self._data
        if signature != self._signature or self._data is None:
            try:
                raw = self.path.read_bytes()
            except PermissionError:
                raise StoreError(f"{self.path}: cannot read the store: permission denied") from None
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot read the store: {exc.strerror or exc}") from None
            self._data = parse_store_bytes(raw, self.path)
            self._signature = signature
        return self._data

    @property
    def signature(self) -> Signature | None:
        """The file state last read or written; it changes whenever any process writes."""
        return self._signature

    def changed_on_disk(self) -> bool:
        return file_signature(self.path) != self._signature

    # -- writing ---------------------------------------------------------
    def write(self, data: dict[str, Any]) -> None:
        try:
            payload = orjson.dumps(data)
            self._replace_atomically(payload)
        except BaseException:
            # TinyDB mutated our cached dict before calling write(): forget it so
            # the next read comes from the file, which still holds the old data.
            self._data, self._signature = None, None
            raise
        self._data = data
        self._signature = file_signature(self.path)

    def _replace_atomically(self, payload: bytes, *, keep_backup: bool = True) -> None:
        folder = self.path.parent
        ensure_private_dir(folder)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{self.path.name}.", dir=folder)
        except OSError as exc:  # a read-only folder, a full disk, no inodes left
            raise StoreError(f"{self.path}: could not save the store: {exc.strerror or exc}. "
                             "Nothing was changed.") from None
        tmp = Path(tmp_name)
        try:
            try:
                os.fchmod(fd, FILE_MODE)
                write_all(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            if self.path.exists() and keep_backup:
                self._keep_backup()
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"{self.path}: could not save the store: {exc.strerror or exc}. "
                             "Nothing was changed.") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(folder)

    def _keep_backup(self) -> None:
        bak = backup_path(self.path)
        link_tmp = bak.with_name(f"{TEMP_PREFIX}{bak.name}.{os.getpid()}")
        link_tmp.unlink(missing_ok=True)
        try:
            os.link(self.path, link_tmp)
        except OSError:
            # No hard links on this file system (FAT, some network shares): copy
            # instead, keeping the old mtime so the .bak never looks newer than the store.
            st = self.path.stat()
            fd = os.open(link_tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)  # never readable by others
            try:
                write_all(fd, self.path.read_bytes())
            finally:
                os.close(fd)
            os.utime(link_tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(link_tmp, bak)

    def close(self) -> None:
        self._data = None


def write_all(fd: int, payload: bytes) -> None:
    """``os.write`` until every byte is down (a write may be partial); errors (ENOSPC) propagate."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError("write returned no progress")
        view = view[written:]


def fsync_dir(folder: Path) -> None:
    """Make a rename durable; not every platform can open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
