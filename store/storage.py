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
- creates the folder 0700 and every file 0600: these are diplomatic texts.

The lock itself is taken by :class:`store.db.Store` around each
read-modify-write, so that a writer always re-reads the file under the lock.
"""

from __future__ import annotations

import gc
import os
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
    """Temp files a killed writer may have left beside the store."""
    return sorted(path.parent.glob(f"{TEMP_PREFIX}{path.name}.*"))


def parse_store_bytes(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse a store file's bytes, or raise a StoreError that names the file and the `.bak`."""
    if not raw.strip():
        return {}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = orjson.loads(raw)
        # Parsed JSON holds no reference cycles, so the collector has nothing to
        # find in it: freezing moves these millions of objects out of its sight
        # (otherwise the next allocations trigger full scans costing ~0.5 s).
        gc.freeze()
    except orjson.JSONDecodeError as exc:
        raise StoreError(damaged_message(path, f"not valid JSON ({exc})")) from None
    finally:
        if gc_was_enabled:
            gc.enable()
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StoreError(damaged_message(path, "not a briefings store (unexpected layout)"))
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

    def _replace_atomically(self, payload: bytes) -> None:
        folder = self.path.parent
        ensure_private_dir(folder)
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{self.path.name}.", dir=folder)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), FILE_MODE)
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            if self.path.exists():
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
            # No hard links on this file system (FAT, some network shares): copy instead.
            link_tmp.write_bytes(self.path.read_bytes())
            os.chmod(link_tmp, FILE_MODE)
        os.replace(link_tmp, bak)

    def close(self) -> None:
        self._data = None


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
