"""The briefings store: one TinyDB file, shared safely by the CLI, the app and other processes.

Every change happens as *lock, re-read, change, write once*: the lock is a
cross-process file lock beside the store, and the re-read makes sure a writer
never drops records another process added since it last looked. Reading needs
no lock: files are replaced atomically, so a reader always sees a whole store.

Opening a store removes temp files a killed writer left, but only when it can
take the lock at once (a writer at work holds it, and its temp file is live).
A record without an id or a text is skipped with a warning rather than failing
the whole store; ``briefings doctor`` (:mod:`store.doctor`) reports it, and any
other damaged record, and repairs them.
A write is refused while ``NAME.bak`` holds briefings the store lacks and is
newer than it (or the store is missing): replacing that ``.bak`` would lose them.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document as TinyDocument

from store.document import Document
from store.errors import NotFound, StoreError, id_by_prefix
from store.records import (
    Record,
    build_record,
    doc_id_of,
    document_of,
    extracted_fields,
    sort_key_newest_first,
    stored_fields,
)
from store.storage import FILE_MODE, AtomicJSONStorage, ensure_private_dir, remove_leftovers, temp_files

# 2: highlight spans are stored as compact strings (store.spans). Version-1 stores
# (lists of pairs) are read as they are; the first write stamps them 2, since it may
# add compact spans that an older briefings would misread.
SCHEMA_VERSION = 2
BRIEFINGS_TABLE = "briefings"
META_TABLE = "meta"
LOCK_TIMEOUT_S = 30.0
# Records are written in chunks while a big batch is ingested, so a crash loses
# at most the chunk in progress. Every write rewrites the whole file, so a chunk
# is also at least half the store's size: the total written stays a small
# multiple of the final file instead of growing with the square of the batch.
WRITE_CHUNK = 2000
WRITE_CHUNK_STORE_FRACTION = 0.5

ProgressCallback = Callable[[Path, str], None]

log = logging.getLogger("briefings.store")


@dataclass
class IngestReport:
    """What one ``add_files`` call did, for the summary line and the exit status."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    skipped: int = 0  # files of types we do not read, met while walking a folder

    @property
    def ok(self) -> bool:
        return not self.failed


class Store:
    """The store API the command line and the app share."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser().absolute()
        self._storage_path = self.path
        self._file_lock: Any = None  # made on first use: reading never needs filelock's import
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]
        self._records: list[Record] = []
        self._by_id: dict[str, Record] = {}
        self._sorted_ids: list[str] = []
        self._records_signature: object = object()
        self._search_index: Any = None  # store.search.SearchIndex, built on the first search
        self.skipped_records: list[str] = []  # keys of stored records too damaged to show
        self._warned_skipped: frozenset[str] = frozenset()
        self._clean_leftovers()
        data = self._storage.read()
        self._check_schema(data)
        self._refresh_records()
        self._warn_if_backup_holds_more(data)

    @property
    def _lock(self) -> Any:
        """The cross-process lock beside the store (filelock: works on Windows too)."""
        if self._file_lock is None:
            self._file_lock = _filelock().FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S,
                                                   mode=FILE_MODE)
        return self._file_lock

    # -- reading ---------------------------------------------------------
    def all(self) -> list[Record]:
        """Every briefing, newest first (a shared list: do not modify it)."""
        self._refresh_records()
        return self._records

    def __len__(self) -> int:
        return len(self.all())

    def get(self, id_or_prefix: str) -> Record:
        """A briefing by id or by a unique id prefix (as short as the user likes)."""
        self._refresh_records()
        key = id_or_prefix.strip().lower()
        if not key:
            raise NotFound("no briefing id given")
        if key in self._by_id:
            return self._by_id[key]
        return self._by_id[id_by_prefix(key, self._sorted_ids, what="briefing", asked=id_or_prefix)]

    def search(self, query: str, limit: int = 50) -> list[Record]:
        """The records that match ``query``, best first."""
        return [hit.record for hit in self.search_hits(query, limit=limit)]

    def search_hits(self, query: str, limit: int = 50) -> list[Any]:
        """Ranked :class:`store.search.Hit` values with snippets and match spans.

        The store keeps one search index and syncs it with the current records
        before every search (free when nothing changed; an ingest or a
        re-extraction costs only the records it touched). The index is kept
        on disk beside the store, so a new process only syncs what changed.
        """
        from store.followups import bind  # is:open, is:overdue … answer for this store

        bind(self)
        return self._index().search_hits(self.all(), query, limit=limit)

    def matching_ids(self, node: Any) -> list[str]:
        """Ids of every briefing a parsed query (a :mod:`store.search.query` node) selects, unranked."""
        return self._index().matching_ids(self.all(), node)

    def update_search_index(self) -> tuple[int, int]:
        """Bring the on-disk search index in step with the store now; returns (added, removed).

        ``briefings ingest`` calls it so that the next launch of the app finds
        the index ready instead of building it while the user waits to search.
        """
        return self._index().sync(self.all())  # type: ignore[no-any-return]

    @property
    def index_path(self) -> Path:
        """The search index's folder beside the store (a cache: see :mod:`store.search.persist`)."""
        from store.search.persist import index_dir_for

        return index_dir_for(self.path)

    def _index(self) -> Any:
        """The store's search index, kept on disk in :attr:`index_path` (in memory when it cannot be)."""
        if self._search_index is None:
            from store.search import SearchIndex

            self._search_index = SearchIndex(self.index_path)
        return self._search_index

    def stats(self) -> dict[str, dict[str, int]]:
        countries: Counter[str] = Counter()
        themes: Counter[str] = Counter()
        years: Counter[str] = Counter()
        for rec in self.all():
            countries.update(rec.get("countries") or [])
            themes.update(theme_id(t) for t in rec.get("themes") or [])
            years[(rec.get("date") or "")[:4] or "undated"] += 1
        return {"countries": dict(countries.most_common()), "themes": dict(themes.most_common()),
                "years": dict(sorted(years.items(), reverse=True))}

    def changed_on_disk(self) -> bool:
        """True when another process wrote the store since we last read it (cheap: one stat)."""
        return self._storage.changed_on_disk()

    def check(self) -> list[Any]:
        """Every :class:`store.doctor.Problem` of the store file (empty when healthy)."""
        from store.doctor import check_store

        return check_store(self.path)

    def reload(self) -> bool:
        """Re-read the file if it changed; returns whether anything changed."""
        before = self._records_signature
        self._refresh_records()
        return before != self._records_signature

    # -- writing ---------------------------------------------------------
    def add_documents(self, docs: Iterable[Document]) -> tuple[list[str], list[str]]:
        """Extract and store documents; returns (added ids, unchanged ids)."""
        records = [build_record(doc) for doc in docs]
        return self.add_records(records)

    def add_records(self, records: list[Record]) -> tuple[list[str], list[str]]:
        added: list[str] = []
        unchanged: list[str] = []
        if not records:
            return added, unchanged
        with self._write() as table:
            present = set(self._raw_table().keys())
            fresh: list[TinyDocument] = []
            for rec in records:
                key = str(doc_id_of(rec["id"]))
                if key in present:
                    unchanged.append(rec["id"])
                    continue
                present.add(key)
                fresh.append(TinyDocument(rec, doc_id=doc_id_of(rec["id"])))
                added.append(rec["id"])
            if fresh:
                table.insert_multiple(fresh)
        return added, unchanged

    def add_files(self, paths: Iterable[str | os.PathLike[str]], *,
                  progress: ProgressCallback | None = None,
                  max_bytes: int | None = None) -> IngestReport:
        """Read, extract and store files and folders; bad files are reported, never fatal."""
        from store.ingest import iter_files
        from store.pipeline import process

        report = IngestReport()
        pending: list[Record] = []

        def flush() -> None:
            added, unchanged = self.add_records(pending)
            report.added.extend(added)
            report.unchanged.extend(unchanged)
            pending.clear()

        to_read = []
        for item in iter_files(Path(p) for p in paths):
            if item.skipped:
                report.skipped += 1
            else:
                to_read.append((item.path, item.problem))
        for outcome in process(to_read, max_bytes=max_bytes):
            if outcome.record is not None:
                pending.append(outcome.record)
            else:
                report.failed.append((outcome.path, outcome.reason or "unreadable"))
            if progress:
                progress(outcome.path, "read" if outcome.record is not None else "failed")
            if len(pending) >= max(WRITE_CHUNK, int(len(self._records) * WRITE_CHUNK_STORE_FRACTION)):
                flush()
        flush()
        return report

    def remove(self, ids: Iterable[str]) -> int:
        keys = [doc_id_of(self.get(i)["id"]) for i in ids]
        with self._write() as table:
            existing = [k for k in keys if str(k) in self._raw_table()]
            if existing:
                table.remove(doc_ids=existing)
        return len(existing)

    def reextract(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Run the current extractor over every stored body; returns how many records changed.

        Only extracted fields are replaced: the body, provenance and everything a
        user added (kept in other tables) stay as they are.
        """
        with self._write() as table:
            raw = self._raw_table()
            total = len(raw)
            changed_ids: list[int] = []
            new_fields: dict[int, dict[str, Any]] = {}
            respelled: dict[str, dict[str, Any]] = {}
            stamp = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            for n, (key, rec) in enumerate(raw.items(), 1):
                fields = stored_fields(extracted_fields(document_of(rec)))
                if any(rec.get(k) != v for k, v in fields.items()):
                    if stored_fields({k: rec.get(k) for k in fields}) == fields:
                        # Only the spans' spelling differs (a schema-1 record): store the
                        # compact form, but nothing changed for the record's readers.
                        respelled[key] = fields
                    else:
                        changed_ids.append(int(key))
                        new_fields[int(key)] = {**fields, "extracted_at": stamp}
                if progress:
                    progress(n, total)
            for key, fields in respelled.items():
                raw[key] = {**raw[key], **fields}
            if changed_ids:
                from store.followups import keep_vanished

                # Clauses that disappear become orphaned follow-ups, in this same write.
                keep_vanished(self._storage.read(), [(raw[str(k)], new_fields[k]) for k in changed_ids])

                # New dicts, not an in-place update: the old objects are still held by
                # caches that recognise an unchanged record by identity (search index).
                for key in changed_ids:
                    raw[str(key)] = {**raw[str(key)], **new_fields[key]}
            if changed_ids or respelled:
                self._storage.write(self._storage.read())
        return len(changed_ids)

    # -- the user's own tables (follow-up statuses, people merges) -------
    # Ingest and re-extraction never write them; they survive both.
    @property
    def version(self) -> object:
        """Changes whenever any process writes the store file (for caches)."""
        self._refresh_records()
        return self._storage.signature

    def user_table(self, name: str) -> dict[str, Any]:
        """A user table as stored, {key: entry} (shared: change it only through update_user_table)."""
        self._refresh_records()
        table = (self._storage.read() or {}).get(name)
        return table if isinstance(table, dict) else {}

    def update_user_table(self, name: str, change: Callable[[dict[str, Any]], Any]) -> Any:
        """Lock, re-read, let ``change`` edit the table in place, write once; returns what it returns."""
        with self._write():
            data = self._storage.read()
            table = data.get(name)
            if not isinstance(table, dict):
                table = data[name] = {}
            result = change(table)
            self._storage.write(data)
        return result

    def followups(self, query: str | None = None) -> list[Any]:
        """Every :class:`store.followups.FollowUp` (live, then orphaned), or those ``query`` selects."""
        from store.followups import filter_followups, followup_set

        return list(followup_set(self).items) if not query else filter_followups(self, query)

    def set_followup(self, fid: str, status: str | None = None, note: str | None = None,
                     owner: str | None = None) -> Any:
        """Set a follow-up's status (open, done, dropped), note or owner; ``fid`` may be a prefix."""
        from store.followups import set_followup

        return set_followup(self, fid, status=status, note=note, owner=owner)

    # -- internals -------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Any]:
        """Hold the cross-process lock around a re-read, a change and one write."""
        ensure_private_dir(self.path.parent)
        try:
            self._lock.acquire()
        except _filelock().Timeout:
            raise StoreError(f"{self.path}: another briefings process has held the store's lock for "
                             f"{LOCK_TIMEOUT_S:.0f} s; try again when it has finished") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot lock the store: {exc.strerror or exc}") from None
        try:
            remove_leftovers(self.path)
            data = self._storage.read()
            self._check_schema(data)
            from store.doctor import unsaved_backup

            refusal = unsaved_backup(self.path, data)
            if refusal:
                raise StoreError(refusal)
            # Stamp the schema as part of the coming write rather than a write of its own;
            # an older stamp is raised, as the write may add what only this version reads.
            if stamped_version(data) != SCHEMA_VERSION:
                data[META_TABLE] = {"1": {"schema_version": SCHEMA_VERSION}}
            table = self._db.table(BRIEFINGS_TABLE, cache_size=0)
            table.clear_cache()
            yield table
        finally:
            self._lock.release()
        self._refresh_records()

    def _raw_table(self) -> dict[str, Record]:
        data = self._storage.read() or {}
        return data.get(BRIEFINGS_TABLE, {})

    def _check_schema(self, data: dict[str, Any] | None) -> None:
        if not data:
            return
        version = stamped_version(data)
        if version is None:
            version = SCHEMA_VERSION
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: this store was written by a newer version of briefings "
                             f"(schema {version}; this version reads up to {SCHEMA_VERSION}). "
                             "Upgrade briefings to open it; the file was left untouched.")

    def _refresh_records(self) -> None:
        data = self._storage.read()
        signature = self._storage.signature
        if signature == self._records_signature and signature is not None:
            return
        raw = (data or {}).get(BRIEFINGS_TABLE, {})
        previous = self._by_id
        records = []
        skipped: list[str] = []
        for key, rec in raw.items():
            # A record without an id or a text cannot be shown: it is skipped (with a warning),
            # never fatal. Other missing or mistyped fields the app reads with .get(); `doctor`
            # reports every one of them.
            if not (isinstance(rec, dict) and isinstance(rec.get("id"), str) and isinstance(rec.get("body"), str)):
                skipped.append(key)
                continue
            old = previous.get(rec["id"])
            # After a re-read, hand out the same object for an unchanged record, so
            # whoever caches by identity (the search index, the app) does no work.
            if old is not None and old.get("extracted_at") == rec.get("extracted_at"):
                rec = old
            records.append(rec)
        if skipped or self.skipped_records:
            self._note_skipped(skipped)
        records.sort(key=sort_key_newest_first, reverse=True)
        self._records = records
        self._by_id = {rec["id"]: rec for rec in records}
        self._sorted_ids = sorted(self._by_id)
        self._records_signature = signature

    def _note_skipped(self, keys: list[str]) -> None:
        """Remember the damaged records; warn once about each new set of them."""
        self.skipped_records = keys
        skipped = frozenset(keys)
        if skipped - self._warned_skipped:
            log.warning("%s: skipped %d damaged briefing%s (no id or no text); `briefings --db %s doctor` "
                        "lists them and `doctor --repair` removes them, keeping a copy of the file",
                        self.path, len(skipped), "" if len(skipped) == 1 else "s", self.path)
        self._warned_skipped = skipped

    def _clean_leftovers(self) -> None:
        """Remove a killed writer's temp files if no writer is at work right now.

        The lock is tried once, never waited for: a live writer holds it while
        its temp file exists, so a reader can never delete a temp file in use.
        """
        if not temp_files(self.path):
            return
        try:
            self._lock.acquire(timeout=0)
        except (_filelock().Timeout, OSError, RuntimeError):
            return
        try:
            remove_leftovers(self.path)
        finally:
            self._lock.release()

    def _warn_if_backup_holds_more(self, data: dict[str, Any]) -> None:
        from store.doctor import unsaved_backup

        refusal = unsaved_backup(self.path, data)
        if refusal:
            log.warning("%s", refusal)


def _filelock() -> Any:
    import filelock

    return filelock


def theme_id(theme: Any) -> str:
    return theme if isinstance(theme, str) else str((theme or {}).get("id", ""))


def stamped_version(data: dict[str, Any]) -> Any:
    """The schema version a store's data is stamped with, None when there is no stamp."""
    meta = data.get(META_TABLE)
    if not isinstance(meta, dict):
        return None
    versions = [m.get("schema_version") for m in meta.values() if isinstance(m, dict)]
    return versions[0] if versions else None


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    """Open (or prepare to create) the store at ``path``, the default location if None."""
    from store.paths import default_db_path

    return Store(path if path is not None else default_db_path())
