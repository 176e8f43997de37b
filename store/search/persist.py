"""The search index on disk: a private folder beside the store, kept as a rebuildable cache.

``<store file>.index/`` (0700, files 0600) holds tantivy's files and
``manifest.json``: what tantivy holds, in the terms :class:`SearchIndex`
needs without reading a stored document — for each slot (tantivy's ``slot``
fast field) the record id and its *stamp* (``extracted_at``, which ingest
sets and every re-extraction that changes a field moves: :func:`record_stamp`),
the per-slot NFC flags and the alphabet of the indexed titles — plus the
tantivy commit it describes (``opstamp``, from ``IndexWriter.commit()``), a
random ``index_id`` made when the folder was (re)built and a fingerprint of
everything that decides what a document becomes (schema, folding, the
document builder, theme labels, tantivy's version).

Crash safety: tantivy commits first, then the manifest is written
atomically (temp file, fsync, ``os.replace``, fsync of the folder). A kill
between the two leaves a manifest whose opstamp is not tantivy's (``meta.json``
says which commit is live), and the folder is rebuilt; a kill before the
commit leaves the previous commit and its manifest, still in step.

Several processes: every write (sync, rebuild, removal) holds
``write.lock`` in the folder (a cross-process file lock, not tantivy's own
writer lock, so that even a folder tantivy cannot open is only wiped by
one process), re-reads the manifest under it and starts from that. Reading
needs no lock: a process opens the manifest and tantivy's commit together
and checks they describe the same commit before and after (see
:func:`SearchIndex._open_from_disk`); each process then searches its own
snapshot, so another process's later commit never changes its results.
Nothing here is the only copy of anything: any doubt leads to a rebuild
from the store.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import shutil
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from store.storage import DIR_MODE, FILE_MODE, fsync_dir, write_all

log = logging.getLogger("briefings.search")

FORMAT = 1
SUFFIX = ".index"
MANIFEST = "manifest.json"
LOCK = "write.lock"
TANTIVY_META = "meta.json"
_TEMP_PREFIX = ".manifest.tmp-"

Stamp = str


def index_dir_for(store_path: str | os.PathLike[str]) -> Path:
    """Where the search index of the store at ``store_path`` lives."""
    path = Path(store_path)
    return path.with_name(path.name + SUFFIX)


def record_stamp(rec: dict[str, Any]) -> Stamp:
    """What changes whenever an id's indexed content may: ``extracted_at`` (set at ingest and by
    every re-extraction that changes a field), else ``ingested_at``.

    A record with neither (hand-made, tests) is stamped by a digest of its content.
    """
    ext = rec.get("extracted_at")
    if isinstance(ext, str):
        return ext
    ing = rec.get("ingested_at")
    if isinstance(ing, str):
        return "ingested " + ing
    try:
        raw = orjson.dumps(rec, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        raw = repr(sorted(rec.items(), key=lambda kv: str(kv[0]))).encode("utf-8", "surrogatepass")
    return "digest " + hashlib.blake2b(raw, digest_size=12).hexdigest()


# -- what decides the documents ---------------------------------------------------------
def _user_themes_file() -> Path | None:
    """The user's themes file, as :func:`store.extract.themes.user_themes_path` finds it
    (repeated here: importing the extractor costs 0.4 s that opening an index must not pay)."""
    env = os.environ.get("BRIEFINGS_THEMES")
    if env:
        return Path(env).expanduser()
    try:
        import platformdirs
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return Path(platformdirs.user_config_dir("briefings")) / "themes.toml"


def fingerprint() -> str:
    """Changes whenever an index built now could differ from one built before from the same records."""
    import tantivy

    from store.search import fold, index, lookup, query

    h = hashlib.sha256(f"format {FORMAT}; tantivy {getattr(tantivy, '__version__', '?')}".encode())
    sources = [Path(m.__file__ or "") for m in (fold, index, lookup, query)]
    sources.append(Path(__file__).resolve().parent.parent / "extract" / "data" / "themes.json")
    sources.append(_user_themes_file())
    for source in sources:
        h.update(b"\0" + str(source).encode("utf-8", "surrogateescape") + b"\0")
        try:
            h.update(source.read_bytes() if source is not None else b"-")
        except OSError:
            h.update(b"-")
    return h.hexdigest()


# -- the manifest ----------------------------------------------------------------------------
@dataclass
class Manifest:
    """What one tantivy commit in the folder holds (see the module docstring)."""

    fingerprint: str
    index_id: str
    opstamp: int
    ids: list[str | None]          # slot → record id, None for a deleted slot
    stamps: list[Stamp | None]     # slot → stamp of the record indexed there
    nfc: bytearray                 # slot → 1 when the body was NFC already
    alphabet: str                  # every character of the indexed titles
    live: int = 0
    signature: tuple[int, int, int] | None = field(default=None, compare=False)

    @property
    def token(self) -> tuple[str, int]:
        return (self.index_id, self.opstamp)


def new_index_id() -> str:
    return uuid.uuid4().hex


def manifest_signature(folder: Path) -> tuple[int, int, int] | None:
    try:
        st = (folder / MANIFEST).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest, or None when it is missing, unreadable or not self-consistent."""
    path = folder / MANIFEST
    try:
        sig = manifest_signature(folder)
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        data = orjson.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        ids = data["ids"]
        table = data["stamps"]
        stamp_of = data["stamp_of"]
        nfc = bytearray(base64.b64decode(data["nfc"], validate=True))
        n = len(ids)
        if not (isinstance(ids, list) and isinstance(stamp_of, list) and len(stamp_of) == n and len(nfc) == n):
            return None
        if not isinstance(table, list) or not all(isinstance(s, str) for s in table):
            return None
        live_ids = [i for i in ids if i is not None]
        if not all(isinstance(i, str) for i in live_ids) or len(set(live_ids)) != len(live_ids):
            return None
        if any(k < 0 for i, k in zip(ids, stamp_of) if i is not None):
            return None
        stamps: list[Stamp | None] = [None if i is None else table[k]  # type: ignore[misc]
                                      for i, k in zip(ids, stamp_of)]
        opstamp, index_id, fp, alphabet = data["opstamp"], data["index_id"], data["fingerprint"], data["alphabet"]
        if not (isinstance(opstamp, int) and isinstance(index_id, str) and isinstance(fp, str)
                and isinstance(alphabet, str) and data.get("live") == len(live_ids)):
            return None
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, IndexError):
        return None
    return Manifest(fp, index_id, opstamp, ids, stamps, nfc, alphabet, len(live_ids), sig)


def write_manifest(folder: Path, m: Manifest) -> None:
    """Write ``m`` atomically (temp file, fsync, replace, fsync of the folder); the caller holds the lock."""
    table: dict[Stamp, int] = {}
    stamp_of = []
    for rid, s in zip(m.ids, m.stamps):
        if rid is None or s is None:
            stamp_of.append(-1)
            continue
        k = table.get(s)
        if k is None:
            k = table[s] = len(table)
        stamp_of.append(k)
    payload = orjson.dumps({
        "format": FORMAT, "fingerprint": m.fingerprint, "index_id": m.index_id, "opstamp": m.opstamp,
        "live": m.live, "ids": m.ids, "stamps": list(table), "stamp_of": stamp_of,
        "nfc": base64.b64encode(bytes(m.nfc)).decode("ascii"), "alphabet": m.alphabet,
    })
    for name in os.listdir(folder):  # a killed writer's temp file (we hold the lock: none is live)
        if name.startswith(_TEMP_PREFIX):
            try:
                os.unlink(folder / name)
            except OSError:
                pass
    tmp = folder / f"{_TEMP_PREFIX}{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        write_all(fd, payload)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    os.close(fd)
    os.replace(tmp, folder / MANIFEST)
    fsync_dir(folder)
    m.signature = manifest_signature(folder)


def tantivy_opstamp(folder: Path) -> int | None:
    """The opstamp of the commit tantivy serves from ``folder`` (its ``meta.json``), None if unreadable.

    Merges rewrite ``meta.json`` with new segments but the same opstamp (the
    same documents); every commit with a change moves it forward.
    """
    try:
        meta = orjson.loads((folder / TANTIVY_META).read_bytes())
        opstamp = meta["opstamp"]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return None
    return opstamp if isinstance(opstamp, int) else None


# -- the folder ------------------------------------------------------------------------------
def make_private_dir(folder: Path) -> None:
    """Create ``folder`` 0700 (its parent must exist); make an existing one owner-only."""
    try:
        os.mkdir(folder, DIR_MODE)
    except FileExistsError:
        if not folder.is_dir() or folder.is_symlink():
            raise NotADirectoryError(f"{folder} is not a folder") from None
    if stat.S_IMODE(folder.stat().st_mode) != DIR_MODE:
        os.chmod(folder, DIR_MODE)


def make_files_private(folder: Path) -> None:
    """tantivy creates its files with the umask's mode: make every one owner-only."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = folder / name
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) != FILE_MODE:
                os.chmod(path, FILE_MODE)
        except OSError:
            continue


def wipe(folder: Path) -> None:
    """Remove everything in ``folder`` but the write lock; the caller holds that lock."""
    for name in os.listdir(folder):
        if name == LOCK:
            continue
        path = folder / name
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            continue
    fsync_dir(folder)


def write_lock(folder: Path, timeout: float) -> Any:
    import filelock

    return filelock.FileLock(str(folder / LOCK), timeout=timeout, mode=FILE_MODE)


def problem(folder: Path) -> str | None:
    """Why the index folder cannot be used as it is (None when it is in step or absent).

    For ``briefings doctor``: cheap (no tantivy), and never a reason to refuse
    anything, since a search rebuilds the index by itself.
    """
    if not folder.exists() and not folder.is_symlink():
        return None
    if not folder.is_dir() or folder.is_symlink():
        return "not a folder"
    m = read_manifest(folder)
    if m is None:
        if not (folder / MANIFEST).exists() and not (folder / TANTIVY_META).exists():
            return None  # created, never committed: nothing stale in it
        return "its manifest is missing or damaged"
    if m.fingerprint != fingerprint():
        return "built by another version of briefings"
    if tantivy_opstamp(folder) != m.opstamp:
        return "its manifest is out of step with the index (an interrupted update)"
    return None


def clear(folder: Path, timeout: float = 0.0) -> bool:
    """Empty the index folder when no process is updating it; returns whether it was emptied.

    The folder and its lock file stay: deleting a lock file another process
    may be waiting on would let two processes hold it.
    """
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
        return True
    if not folder.exists():
        return False
    import filelock

    lock = write_lock(folder, timeout)
    try:
        lock.acquire()
    except (filelock.Timeout, OSError):
        return False
    try:
        wipe(folder)
    finally:
        lock.release()
    return True
