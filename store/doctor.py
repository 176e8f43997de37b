"""Check a store and repair what can be repaired: what ``briefings doctor [--repair]`` runs.

:func:`check_store` reads a store file without opening it as a
:class:`store.db.Store` (so it works on a store that cannot be opened) and
returns every :class:`Problem`: a file that is empty, truncated or not JSON, a
store from a newer version, a briefing with missing or mistyped fields, an id
that is not the prefix of its text's hash, a TinyDB key that is not its id, a
highlight span outside the text, a ``.bak`` holding briefings the store lacks,
files that are not owner-only, temp files left by a killed writer, a search index
folder that is damaged or out of step (a warning: it is a cache, rebuilt by the
next search; ``--repair`` empties it).

:func:`repair_store` fixes a store under the store's lock. It first saves the
damaged file as ``NAME.damaged-YYYYmmdd-HHMMSS`` (0600), then writes a store of
every healthy briefing it can find: those of the store itself (read leniently
when the file is truncated), and, when the store is unreadable or missing or
the ``.bak`` is newer, those of a healthy ``.bak``. Damaged briefings are
dropped (they stay in the saved copy). A store from a newer version is never
touched.

:func:`unsaved_backup` is the check :class:`store.db.Store` makes before every
write: replacing a ``.bak`` that holds briefings the store lacks would lose them.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from store.errors import StoreError
from store.records import ID_LENGTH, SPAN_FIELDS, STORED_FIELDS, content_hash, doc_id_of
from store.spans import span_parts
from store.storage import (
    DIR_MODE,
    FILE_MODE,
    AtomicJSONStorage,
    DamagedStoreError,
    backup_path,
    fsync_dir,
    parse_store_bytes,
    remove_leftovers,
    temp_files,
)

ERROR = "error"  # something is damaged or at risk: exit 1, --repair fixes it
WARNING = "warning"  # harmless or fixes itself on the next write

_HEX = re.compile(r"[0-9a-f]+")
_OPTIONAL_TEXT = ("doc_title", "doc_date", "title", "date", "source", "location")
_TEXT = ("source_file", "format", "ingested_at", "lang")
_STRING_LISTS = ("countries", "organizations")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a store, as one line that names the file."""

    kind: str  # unreadable, damaged, missing, newer-schema, record, backup, permissions, leftovers, schema-stamp,
    # index
    message: str
    severity: str = ERROR
    key: str | None = None  # the briefing's key in the store, for a damaged briefing

    def __str__(self) -> str:
        return self.message


@dataclass
class RepairReport:
    """What :func:`repair_store` did, for the command's summary."""

    actions: list[str] = field(default_factory=list)
    damaged_copy: Path | None = None
    kept: int = 0
    restored: int = 0  # healthy briefings taken from the .bak
    dropped: int = 0


# -- one record ----------------------------------------------------------------
def record_problems(key: str, rec: Any) -> list[str]:
    """What is wrong with one stored briefing (empty when it is healthy)."""
    if not isinstance(rec, dict):
        return [f"not a briefing but a JSON {type(rec).__name__}"]
    problems: list[str] = []
    missing = [k for k in STORED_FIELDS if k not in rec]
    if missing:
        problems.append("missing " + ", ".join(missing))
    rid, sha, body = rec.get("id"), rec.get("content_sha256"), rec.get("body")
    if "id" in rec and not (isinstance(rid, str) and len(rid) == ID_LENGTH and _HEX.fullmatch(rid)):
        problems.append(f"id is not {ID_LENGTH} hex digits")
        rid = None
    if "content_sha256" in rec and not (isinstance(sha, str) and len(sha) == 64 and _HEX.fullmatch(sha)):
        problems.append("content_sha256 is not a SHA-256")
        sha = None
    if "body" in rec and not (isinstance(body, str) and body.strip()):
        problems.append("body is not text" if not isinstance(body, str) else "body is empty")
        body = None
    for name in _TEXT:
        if name in rec and not isinstance(rec[name], str):
            problems.append(f"{name} is not text")
    for name in _OPTIONAL_TEXT:
        if name in rec and not (rec[name] is None or isinstance(rec[name], str)):
            problems.append(f"{name} is not text")
    if "meta" in rec and not isinstance(rec["meta"], dict):
        problems.append("meta is not an object")
    for name in _STRING_LISTS:
        if name in rec and not (isinstance(rec[name], list) and all(isinstance(v, str) for v in rec[name])):
            problems.append(f"{name} is not a list of text")
    for name in ("parties", "people", "themes", "commitments"):
        if name in rec and not isinstance(rec[name], list):
            problems.append(f"{name} is not a list")
    if isinstance(sha, str) and isinstance(rid, str) and not sha.startswith(rid):
        problems.append("id is not the prefix of content_sha256")
    if isinstance(sha, str) and isinstance(body, str) and content_hash(body) != sha:
        problems.append("the text does not match its hash (changed after it was stored)")
    if isinstance(rid, str) and str(doc_id_of(rid)) != key:
        problems.append(f"stored under key {key}, not the key of its id")
    if isinstance(body, str):
        problems.extend(_span_problems(rec, len(body)))
    return problems


def _span_problems(rec: dict[str, Any], length: int) -> list[str]:
    problems: list[str] = []
    for name in ("parties", "people", "themes", "commitments"):
        items = rec.get(name)
        if not isinstance(items, list):
            continue
        for n, item in enumerate(items):
            if isinstance(item, str) and name == "themes":
                continue  # a theme may be stored as its bare id
            if not isinstance(item, dict):
                problems.append(f"{name}[{n}] is not an object")
                continue
            spans = item.get("spans", "")
            if not isinstance(spans, (str, list)):
                problems.append(f"{name}[{n}].spans is neither a span string nor a list")
                continue
            # Both forms: the compact string (schema 2) and a list of pairs (schema 1).
            good, bad = span_parts(spans)
            for part in bad:
                problems.append(f"{name}[{n}] has a malformed span {_clip(part)}")
            for start, end in good:
                if not start <= end <= length:
                    problems.append(f"{name}[{n}] span {[start, end]} lies outside the {length}-character text")
    return problems


def _compact_spans_in(briefings: dict[str, Any]) -> bool:
    """Whether any briefing holds spans in the compact form (which schema 1 cannot read)."""
    for rec in briefings.values():
        if not isinstance(rec, dict):
            continue
        for name in SPAN_FIELDS:
            items = rec.get(name)
            if isinstance(items, list) and any(isinstance(i, dict) and isinstance(i.get("spans"), str)
                                               for i in items):
                return True
    return False


def _clip(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


# -- reading a store leniently ---------------------------------------------------
def salvage_tables(raw: bytes) -> dict[str, dict[str, Any]]:
    """Every complete ``key: value`` entry of a damaged store file, table by table.

    A store is one JSON object of tables, each an object of records. A file
    cut short (a full disk, a bad copy) still holds every record before the
    cut: read entry by entry and stop at the first one that does not parse.
    """
    text = raw.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    tables: dict[str, dict[str, Any]] = {}
    n = len(text)

    def skip(i: int) -> int:
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    def key_at(i: int) -> tuple[str, int]:
        value, i = decoder.raw_decode(text, i)
        if not isinstance(value, str):
            raise ValueError("not a key")
        i = skip(i)
        if text[i:i + 1] != ":":
            raise ValueError("no colon")
        return value, skip(i + 1)

    try:
        i = skip(0)
        if text[i:i + 1] != "{":
            return tables
        i = skip(i + 1)
        while i < n and text[i] != "}":
            name, i = key_at(i)
            if text[i:i + 1] != "{":
                raise ValueError("not a table")
            table = tables.setdefault(name, {})
            i = skip(i + 1)
            while i < n and text[i] != "}":
                key, i = key_at(i)
                value, i = decoder.raw_decode(text, i)
                table[key] = value
                i = skip(i)
                if text[i:i + 1] == ",":
                    i = skip(i + 1)
            i = skip(i + 1)
            if text[i:i + 1] == ",":
                i = skip(i + 1)
    except (ValueError, IndexError, RecursionError):
        pass
    return tables


def _read(path: Path) -> tuple[dict[str, Any] | None, bytes | None, str | None]:
    """(parsed store or None, raw bytes or None, why it could not be parsed or None)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None, "missing"
    except OSError as exc:
        return None, None, f"cannot be read: {exc.strerror or exc}"
    try:
        return parse_store_bytes(raw, path), raw, None
    except DamagedStoreError as exc:
        return None, raw, exc.problem


def _briefings(data: dict[str, Any] | None) -> dict[str, Any]:
    from store.db import BRIEFINGS_TABLE

    table = (data or {}).get(BRIEFINGS_TABLE)
    return table if isinstance(table, dict) else {}


def _schema_version(data: dict[str, Any]) -> Any:
    from store.db import META_TABLE

    meta = data.get(META_TABLE)
    if not isinstance(meta, dict):
        return None
    versions = [m.get("schema_version") for m in meta.values() if isinstance(m, dict)]
    return versions[0] if versions else None


def _lenient_briefings(path: Path) -> dict[str, Any]:
    data, raw, _ = _read(path)
    if data is not None:
        return _briefings(data)
    return _briefings(salvage_tables(raw)) if raw else {}


# -- the write guard -------------------------------------------------------------
def unsaved_backup(path: Path, data: dict[str, Any] | None) -> str | None:
    """Why writing ``path`` now would lose briefings kept only in its ``.bak``, or None.

    A write moves the current store to ``NAME.bak``. In normal use the ``.bak``
    is the older file; when it is newer than the store (an old copy was put
    back over the store) or the store is gone, and it holds briefings the
    store lacks, that move would destroy them. Costs two ``stat`` calls unless so.
    """
    bak = backup_path(path)
    try:
        bak_stat = bak.stat()
    except OSError:
        return None
    try:
        store_mtime: int | None = path.stat().st_mtime_ns
    except OSError:
        store_mtime = None
    if store_mtime is not None and bak_stat.st_mtime_ns <= store_mtime:
        return None
    have = _briefings(data)
    extra = sum(1 for key in _lenient_briefings(bak) if key not in have)
    if not extra:
        return None
    why = "the store file is missing" if store_mtime is None else "the .bak is newer than the store"
    return (f"{bak} holds {extra} briefing{'s' if extra != 1 else ''} that {path} lacks and {why}, so "
            f"saving now would lose {'them' if extra != 1 else 'it'}. Nothing was written; "
            f"`briefings --db {path} doctor --repair` merges them back "
            "(or delete the .bak to drop them).")


# -- checking --------------------------------------------------------------------
def check_store(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of the store at ``path``; an empty list means healthy (or no store yet)."""
    from store.db import SCHEMA_VERSION

    path = Path(path).expanduser().absolute()
    bak = backup_path(path)
    problems: list[Problem] = []
    data, raw, why = _read(path)
    if why == "missing":
        if bak.exists() and _lenient_briefings(bak):
            problems.append(Problem("missing", f"{path}: the store file is missing but {bak} holds "
                                               f"{len(_lenient_briefings(bak))} briefings"))
    elif data is None:
        kind = "unreadable" if raw is None else "damaged"
        problems.append(Problem(kind, f"{path}: the store file is damaged: {why}" if raw is not None
                                else f"{path}: the store file {why}"))
        if raw:
            salvaged = _briefings(salvage_tables(raw))
            if salvaged:
                good = sum(1 for k, r in salvaged.items() if not record_problems(k, r))
                problems.append(Problem("damaged", f"{path}: {good} briefings can still be read from it",
                                        severity=WARNING))
    else:
        version = _schema_version(data)
        if version is None:
            if data:
                problems.append(Problem("schema-stamp", f"{path}: the schema version stamp is missing",
                                        severity=WARNING))
        elif not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
            problems.append(Problem("newer-schema", f"{path}: written by a newer version of briefings "
                                                    f"(schema {version!r}; this version reads up to "
                                                    f"{SCHEMA_VERSION}): upgrade briefings to use it"))
            return problems + _file_problems(path)
        elif version < SCHEMA_VERSION and _compact_spans_in(_briefings(data)):
            problems.append(Problem("schema-stamp", f"{path}: stamped schema {version} but holds compact "
                                                    f"spans of schema {SCHEMA_VERSION}, which an older "
                                                    "briefings would misread (--repair restamps it)",
                                    severity=WARNING))
        from store.db import BRIEFINGS_TABLE

        if BRIEFINGS_TABLE in data and not isinstance(data[BRIEFINGS_TABLE], dict):
            problems.append(Problem("damaged", f"{path}: the briefings table is not an object"))
        for key, rec in _briefings(data).items():
            found = record_problems(key, rec)
            if found:
                rid = rec.get("id") if isinstance(rec, dict) and isinstance(rec.get("id"), str) else "?"
                problems.append(Problem("record", f"{path}: briefing {rid[:ID_LENGTH]} (key {key[:20]}): "
                                                  + "; ".join(found), key=key))
    if why != "missing" and bak.exists():
        bak_data, bak_raw, bak_why = _read(bak)
        if bak_data is None:
            problems.append(Problem("backup", f"{bak}: the previous version is damaged ({bak_why}); "
                                              "the next save replaces it", severity=WARNING))
    if data is not None or why == "missing":
        refusal = unsaved_backup(path, data)
        if refusal and why != "missing":
            problems.append(Problem("backup", refusal.split(". Nothing was written", 1)[0]))
    return problems + _file_problems(path)


def _file_problems(path: Path) -> list[Problem]:
    problems: list[Problem] = []
    leftovers = temp_files(path)
    if leftovers:
        problems.append(Problem("leftovers", f"{path.parent}: {len(leftovers)} temp file"
                                             f"{'s' if len(leftovers) != 1 else ''} left by an interrupted "
                                             "save (removed on the next open or save)", severity=WARNING))
    # The store and its .bak hold the texts: readable by others is an error that
    # --repair fixes. The lock is empty and the folder may be the user's own
    # (--db ~/briefings.json): a warning, and --repair leaves the folder alone.
    for candidate, mode, severity in ((path, FILE_MODE, ERROR), (backup_path(path), FILE_MODE, ERROR),
                                      (path.with_name(path.name + ".lock"), FILE_MODE, WARNING),
                                      (path.parent, DIR_MODE, WARNING)):
        try:
            st = candidate.stat()
        except OSError:
            continue
        if stat.S_IMODE(st.st_mode) & 0o077:
            problems.append(Problem("permissions", f"{candidate}: readable by others "
                                                   f"(mode {stat.S_IMODE(st.st_mode):o}, should be {mode:o})",
                                    severity=severity))
    problems += _index_problems(path)
    return problems


def _index_problems(path: Path) -> list[Problem]:
    """The search index folder beside the store: a cache, so only ever a warning."""
    from store.search import persist

    folder = persist.index_dir_for(path)
    try:
        why = persist.problem(folder)
    except OSError as exc:
        why = f"cannot be read ({exc.strerror or exc})"
    if why:
        return [Problem("index", f"{folder}: the search index is not usable as it is ({why}); the next "
                                 "search rebuilds it, --repair empties it", severity=WARNING)]
    try:
        st = folder.stat()
    except OSError:
        return []
    if stat.S_IMODE(st.st_mode) & 0o077:
        return [Problem("permissions", f"{folder}: readable by others (mode {stat.S_IMODE(st.st_mode):o}, "
                                       f"should be {DIR_MODE:o})", severity=WARNING)]
    return []


def is_healthy(problems: list[Problem]) -> bool:
    return not any(p.severity == ERROR for p in problems)


# -- repairing -------------------------------------------------------------------
def repair_store(path: str | os.PathLike[str], *, timeout: float | None = None) -> RepairReport:
    """Repair the store at ``path`` under its lock (see the module docstring)."""
    import filelock

    from store.db import LOCK_TIMEOUT_S

    path = Path(path).expanduser().absolute()
    lock = filelock.FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S if timeout is None else timeout,
                             mode=FILE_MODE)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise StoreError(f"{path}: another briefings process holds the store's lock; "
                         "close it and run the repair again") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot lock the store: {exc.strerror or exc}") from None
    try:
        return _repair_locked(path)
    finally:
        lock.release()


def _repair_locked(path: Path) -> RepairReport:
    from store.db import BRIEFINGS_TABLE, META_TABLE, SCHEMA_VERSION

    report = RepairReport()
    problems = check_store(path)
    kinds = {p.kind for p in problems}
    if "newer-schema" in kinds:
        raise StoreError(f"{path}: written by a newer version of briefings; it was left untouched. "
                         "Upgrade briefings to open it.")
    if "unreadable" in kinds:
        raise StoreError(next(p.message for p in problems if p.kind == "unreadable")
                         + "; nothing was changed")
    bak = backup_path(path)
    data, raw, why = _read(path)
    store_usable = data is not None
    tables = data if data is not None else (salvage_tables(raw) if raw else {})
    bak_data, bak_raw, _ = _read(bak)
    bak_tables = bak_data if bak_data is not None else (salvage_tables(bak_raw) if bak_raw else {})
    take_from_bak = (not store_usable) or any(p.kind in ("missing", "backup") and p.severity == ERROR
                                              for p in problems)

    content_changes = bool(kinds & {"damaged", "missing", "record", "backup", "schema-stamp"}) or not store_usable
    if raw is not None and content_changes:
        report.damaged_copy = _save_copy(path, raw)
        report.actions.append(f"saved the damaged file as {report.damaged_copy}")

    if content_changes:
        briefings: dict[str, Any] = {}
        for key, rec in _briefings(tables).items():
            if not record_problems(key, rec):
                briefings[key] = rec
                continue
            rekeyed = _rekeyed(rec)
            if rekeyed is not None and rekeyed not in briefings and not record_problems(rekeyed, rec):
                briefings[rekeyed] = rec
                report.actions.append(f"moved briefing {rec['id']} to the key of its id")
            else:
                report.dropped += 1
        report.kept = len(briefings)
        if take_from_bak:
            for key, rec in _briefings(bak_tables).items():
                if key not in briefings and not record_problems(key, rec):
                    briefings[key] = rec
                    report.restored += 1
        new: dict[str, Any] = {META_TABLE: {"1": {"schema_version": SCHEMA_VERSION}}}
        for name, table in (tables.items() if tables else ()):
            if name not in (META_TABLE, BRIEFINGS_TABLE) and isinstance(table, dict):
                new[name] = table  # other tables (a user's own additions) are kept as they are
        if take_from_bak:
            for name, table in bak_tables.items():
                if name not in new and name not in (META_TABLE, BRIEFINGS_TABLE) and isinstance(table, dict):
                    new[name] = table
        new[BRIEFINGS_TABLE] = briefings
        storage = AtomicJSONStorage(path)
        # The .bak stays as it is: it may be the healthy copy; the damaged file is saved above.
        storage._replace_atomically(orjson.dumps(new), keep_backup=False)
        if report.dropped:
            report.actions.append(f"dropped {report.dropped} damaged briefing{'s' if report.dropped != 1 else ''}")
        if report.restored:
            report.actions.append(f"restored {report.restored} briefing{'s' if report.restored != 1 else ''} "
                                  f"from {bak}")
        report.actions.append(f"wrote {path} with {len(briefings)} briefings")

    if bak_raw is not None and bak_data is None:
        copy = _save_copy(bak, bak_raw)
        bak.unlink(missing_ok=True)
        report.actions.append(f"moved the damaged previous version to {copy}")
    removed = remove_leftovers(path)
    if removed:
        report.actions.append(f"removed {removed} temp file{'s' if removed != 1 else ''} of an interrupted save")
    _repair_index(path, report)
    for target in (path, backup_path(path), path.with_name(path.name + ".lock")):
        try:
            if stat.S_IMODE(target.stat().st_mode) & 0o077:
                os.chmod(target, FILE_MODE)
                report.actions.append(f"made {target} owner-only")
        except OSError:
            continue
    return report


def _repair_index(path: Path, report: RepairReport) -> None:
    """Empty a damaged or stale search index folder (a cache: the next search rebuilds it) and
    make a readable-by-others one owner-only. A folder another process is updating is left alone."""
    from store.search import persist

    folder = persist.index_dir_for(path)
    try:
        why = persist.problem(folder)
        if why and persist.clear(folder):
            report.actions.append(f"emptied the search index folder {folder} ({why}); the next search rebuilds it")
        if folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) & 0o077:
            os.chmod(folder, DIR_MODE)
            persist.make_files_private(folder)
            report.actions.append(f"made {folder} owner-only")
    except OSError as exc:
        report.actions.append(f"left the search index folder {folder} as it is ({exc.strerror or exc})")


def _rekeyed(rec: Any) -> str | None:
    if isinstance(rec, dict) and isinstance(rec.get("id"), str) and _HEX.fullmatch(rec["id"]):
        return str(doc_id_of(rec["id"]))
    return None


def _save_copy(path: Path, raw: bytes) -> Path:
    """``NAME.damaged-YYYYmmdd-HHMMSS`` beside ``path``, owner-only, never over an existing file."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        target = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{n}" if n else ""))
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise StoreError(f"{target}: cannot save a copy of the damaged file ({exc.strerror or exc}); "
                             "nothing was changed") from None
        try:
            os.fchmod(fd, FILE_MODE)
            from store.storage import write_all

            write_all(fd, raw)
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            target.unlink(missing_ok=True)
            raise StoreError(f"{target}: cannot save a copy of the damaged file ({exc.strerror or exc}); "
                             "nothing was changed") from None
        os.close(fd)
        fsync_dir(path.parent)
        return target
    raise StoreError(f"{path}: too many damaged copies already; nothing was changed")
