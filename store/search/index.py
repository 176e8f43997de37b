"""The search index: tantivy (Rust; on disk beside the store, or in memory) under a Python query layer.

Why tantivy and not a hand-written inverted index: measured on this 2-core
machine, 10,000 synthetic ~3 KB briefings (29 MB of text), one process:

    pure Python + numpy inverted index (the best build we could write):
        regex findall over 29 MB ............ 0.66-1.47 s (4.2 M token strings)
        token → id map ...................... 0.30 s
        per-document Counter ................ 0.45 s
        flatten + argsort postings .......... 0.33 s
        ⇒ ≥ 1.7 s to build, before positions for phrases (target ≤ 1 s)
    tantivy 0.27, same text, same folding ... 0.5 s to build (one thread),
        term queries 0.02-0.08 ms, a phrase 0.5 ms, fuzzy 0.1 ms

Creating 4 million Python string objects alone costs more than the build
budget, so the tokenizer has to run outside Python. tantivy supplies BM25,
positions (phrases), a sorted term dictionary (prefix completion, vocabulary
for typo candidates), deletes by term (sync) and fast fields (date order,
date and due ranges). Everything the user sees is decided here in Python:
the query language (:mod:`store.search.query`), folding
(:mod:`store.search.fold` registers one analyzer, used for queries too),
field weights, typo and prefix expansion, the date tie-break, and snippets
and spans in the original text (:mod:`store.search.snippet`).
See bench/bench_search.py for the figures against SQLite FTS5.

Staying in step with the store: :meth:`SearchIndex.sync` diffs the store's
records against what is indexed, by id (ids are content hashes) and, for an
id already indexed, by the record itself (``reextract`` can change the
extracted fields of an id): unchanged records cost an identity check (or an
equality check when the store re-read its file), an index opened from disk
compares the record's stamp (``extracted_at``) with the one in its manifest,
changed records are deleted and re-added, and a search never returns a
record that is not in the list it was last synced with.

On disk: a :class:`~store.db.Store`'s index lives in ``<store file>.index/``
(see :mod:`store.search.persist`), so a launch syncs only what changed since
the last one instead of building from scratch (100,000 briefings: seconds →
a few hundred milliseconds). It is a cache: missing, damaged, out of step or
from another version, it is rebuilt; when it cannot be written (read-only
media, another process busy with it for too long) the index lives in memory.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import partial
from pathlib import Path
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import tantivy
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from store.records import Record
from store.search import fold, persist
from store.search.query import (
    IS_HOOKS,
    And,
    Keyword,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    Word,
    day,
    deadline,
    parse,
)

# Field weights (BM25 per field, summed): names and title first, themes next, then the rest.
WEIGHTS = {"title": 3.0, "party": 3.0, "people": 2.0, "themes": 2.0, "org": 1.5, "source": 1.2,
           "location": 1.2, "body": 1.0}
FIELD_SETS: dict[str | None, tuple[tuple[str, float], ...]] = {
    None: tuple(WEIGHTS.items()),
    "party": (("party", 1.0),),
    "person": (("party", 1.0), ("people", 1.0)),
    "org": (("org", 1.0),),
    "source": (("source", 1.0),),
    "location": (("location", 1.0),),
    "title": (("title", 1.0),),
    "body": (("body", 1.0),),
}
KEYWORD_FIELDS = {"country": "country", "theme": "theme_id", "has": "has", "is": "rid"}
PREFIX_BOOST = 0.6          # a completion of the word being typed, below the word itself
TYPO_BOOST = {1: 0.4, 2: 0.25}  # one or two edits away, below every exact match
MAX_COMPLETIONS = 24
MAX_TYPO_TERMS = 8
TYPO_MIN_CHARS = 5
BIG_BATCH = 2000
# How long a sync waits for another process's update of the index folder before searching in memory.
WRITE_LOCK_WAIT_S = 20.0
# Ties are broken by newer date inside tantivy: every score is multiplied by
# log2(2 + recency) (its weight_by_field), recency growing RECENCY_PER_DAY
# per day since EPOCH_DAY. That is ×(1 + 5e-7) per day: exact ties (common,
# since BM25 field lengths are stored to one byte) go to the newer briefing,
# and scores that differ by more than 0.7 % are never reordered (40 years).
EPOCH_DAY = 726468  # 1990-01-01
RECENCY_PER_DAY = 5e-7 * 2 * 0.6931471805599453

log = logging.getLogger("briefings.search")
_T = TypeVar("_T")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("slot", indexed=True, fast=True)
    for name in WEIGHTS:
        sb.add_text_field(name, tokenizer_name=fold.ANALYZER_NAME, index_option="position")
    for name in KEYWORD_FIELDS.values():  # space-separated keywords, case kept
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="basic")
    sb.add_integer_field("date", indexed=True, fast=True)
    sb.add_integer_field("date_sort", fast=True)
    sb.add_float_field("recency", fast=True)
    sb.add_integer_field("due", indexed=True, fast=True)
    return sb.build()


_HAS_KEYS = ("commitments", "parties", "people", "themes", "countries", "organizations", "date", "source",
             "location", "title")


def _names(items: Any) -> list[str]:
    out = []
    for item in items or []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name:
            out.append(name)
    return out


def _theme_ids(rec: Record) -> tuple[str, ...]:
    themes = rec.get("themes")
    if not themes:
        return ()
    try:
        return tuple([t["id"] for t in themes])
    except (TypeError, KeyError):
        ids = [t if isinstance(t, str) else t.get("id") if isinstance(t, dict) else None for t in themes]
        return tuple(i for i in ids if isinstance(i, str) and i)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class _HitParts(partial):  # type: ignore[type-arg]
    """``hit_parts(rec, pattern, marks, nfc)`` for a lazy hit, plus :meth:`title_spans` alone.

    A list of hits shows titles only: their spans cost microseconds, while the
    whole of ``hit_parts`` scans the body too. Same spans as ``hit_parts`` gives.
    """

    def title_spans(self) -> list[tuple[int, int]]:
        import unicodedata

        from store.search.snippet import compiled, spans

        rec, pattern, marks = self.args[0], self.args[1], self.args[2]
        title = rec.get("title") if isinstance(rec.get("title"), str) else ""
        nfc = title.isascii() or unicodedata.is_normalized("NFC", title)
        quick = _QUICK_PATTERNS.get(pattern) if pattern and nfc else None
        if quick is not None and quick[0].issuperset(title):
            return spans(title, compiled(quick[1]))  # the same spans, a fraction of the compile time
        rx = compiled(pattern) if pattern else None
        if nfc:
            return spans(title, rx)
        return spans(title, compiled(marks) if marks else rx)


# A highlight pattern → (an alphabet, the same pattern for NFC text over that alphabet:
# see :func:`store.search.fold.term_pattern_in`), filled by ``SearchIndex.search_hits``
# with the alphabet of the indexed titles.
_QUICK_PATTERNS: dict[str, tuple[frozenset[str], str]] = {}


def _engine_error(exc: BaseException) -> bool:
    """An error of the files or of tantivy: its errors are ValueError and OSError, and a damaged
    file it did not expect makes it panic (pyo3's PanicException, a BaseException)."""
    return isinstance(exc, (OSError, ValueError, RuntimeError)) or type(exc).__name__ == "PanicException"


class _Unusable(Exception):
    """The index folder cannot be used now (read-only, busy, damaged beyond a rebuild): search in memory."""


class SearchIndex:
    """One index over a list of records; ``sync`` it, then ``search``.

    With a ``path`` (a folder: see :mod:`store.search.persist`) the index is
    kept on disk between runs and a sync applies only what changed since; when
    the folder cannot be used the index falls back to memory, as without one.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._lock = threading.RLock()
        self._dir: Path | None = Path(path) if path is not None else None
        self._fingerprint: str | None = None
        self._loaded = False  # the folder has been looked at (on the first sync)
        # For tests and benchmarks: documents this object gave tantivy, and whether
        # the last open found the folder in step (so nothing had to be rebuilt).
        self.documents_added = 0
        self.opened_from_disk = False
        self._reset()

    @property
    def path(self) -> Path | None:
        """The index folder, or None while the index lives in memory."""
        return self._dir

    def _reset(self) -> None:
        """Forget everything indexed; the engine is an empty in-memory index until the folder is opened."""
        if getattr(self, "_writer", None) is not None:
            self._close_writer()
        self._writer: tantivy.IndexWriter | None = None
        self.schema = _schema()
        self._index = tantivy.Index(self.schema)
        self._index.register_tokenizer(fold.ANALYZER_NAME, fold.analyzer())
        self._clear_state()
        self._searcher = self._index.searcher()

    def _clear_state(self) -> None:
        self._slots: list[Record | None] = []  # slot → record (None: deleted, or not yet matched after an open)
        self._ids: list[str | None] = []  # slot → id (None: deleted)
        self._stamps: list[persist.Stamp | None] = []  # slot → persist.record_stamp of what is indexed there
        self._slot_of: dict[str, int] = {}
        self._nfc = bytearray()
        self._live = 0
        self._synced_list: object = None
        self._synced_len = -1
        self._generation = getattr(self, "_generation", 0) + 1
        self._vocab: dict[tuple[str, str], list[str]] = {}
        self._labels: dict[str, str] = {}
        self._theme_texts: dict[tuple[str, ...], tuple[str, str]] = {}
        # Every character of the indexed titles (of removed ones too): see _QUICK_PATTERNS.
        self._title_alphabet: frozenset[str] = frozenset()
        self._token: tuple[str, int] | None = None  # the folder's commit this state is (disk only)
        self._manifest_sig: tuple[int, int, int] | None = None  # and the manifest file that says so
        self._index_id = ""

    # -- keeping in step ------------------------------------------------------
    def __len__(self) -> int:
        return self._live

    def sync(self, records: Sequence[Record]) -> tuple[int, int]:
        """Make the index hold exactly ``records`` (by id); returns (added, removed).

        The same list object as last time (the store hands out one list per
        version of its file) costs nothing; otherwise each record is checked.
        """
        with self._lock:
            if records is self._synced_list and len(records) == self._synced_len:
                return 0, 0
            if self._dir is not None:
                try:
                    done = self._sync_disk(records)
                except _Unusable as exc:
                    self._to_memory(str(exc))
                else:
                    self._synced_list, self._synced_len = records, len(records)
                    return done
            done = self._apply_diff(records, start_over=self._reset)
            self._synced_list, self._synced_len = records, len(records)
            return done

    def _diff(self, records: Sequence[Record]) -> tuple[list[Record], list[int]]:
        """(records to index, slots to delete) to make the index hold exactly ``records``.

        An id already indexed is the same record when it is the same object,
        an equal one (the store re-read its file), or, for a slot known only
        from the folder's manifest, when its stamp is the same: no dict is
        compared whole across runs.
        """
        fresh: list[Record] = []
        drop: list[int] = []
        slots, slot_of, stamps = self._slots, self._slot_of, self._stamps
        stamp = persist.record_stamp
        try:  # the usual case, a store's records: dicts with unique string ids (C-speed checks)
            ids = [rec["id"] for rec in records]
            seen: set[str] = set(ids)
            usual = len(seen) == len(ids) and set(map(type, ids)) <= {str}
        except (TypeError, KeyError, IndexError):
            usual = False
        if not usual:
            seen = set()
            ids = []
            kept = []
            for rec in records:
                rid = rec.get("id") if isinstance(rec, dict) else None
                if isinstance(rid, str) and rid not in seen:
                    seen.add(rid)
                    ids.append(rid)
                    kept.append(rec)
            records = kept
        get_slot = slot_of.get
        new = 0
        for rec, rid in zip(records, ids):
            slot = get_slot(rid)
            if slot is None:
                fresh.append(rec)
                new += 1
                continue
            old = slots[slot]
            if old is rec:
                continue
            if old is None:
                if stamps[slot] == stamp(rec):  # indexed in an earlier run: serve this object
                    slots[slot] = rec
                    continue
            elif old == rec:  # the same record re-read from the file: serve the new object
                slots[slot] = rec
                continue
            drop.append(slot)  # re-extracted: index it again
            fresh.append(rec)
        if len(seen) - new < len(slot_of):  # some indexed ids are not among the records
            drop += [slot for rid, slot in slot_of.items() if rid not in seen]
        return fresh, drop

    @staticmethod
    def _everything(records: Sequence[Record]) -> list[Record]:
        fresh = [r for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)]
        return list({r["id"]: r for r in fresh}.values())

    # -- on disk ----------------------------------------------------------------------
    def _fp(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = persist.fingerprint()
        return self._fingerprint

    def _to_memory(self, why: str) -> None:
        log.info("search index %s: %s; searching in memory instead", self._dir, why)
        self._dir = None
        self.opened_from_disk = False
        self._reset()

    def _sync_disk(self, records: Sequence[Record]) -> tuple[int, int]:
        if not self._loaded:
            self._loaded = True
            self._open_from_disk()
        fresh, drop = self._diff(records)
        if not fresh and not drop:
            return 0, 0
        return self._write_disk(records)

    def _open_tantivy(self) -> tantivy.Index:
        assert self._dir is not None
        index = tantivy.Index(self.schema, path=str(self._dir))
        index.register_tokenizer(fold.ANALYZER_NAME, fold.analyzer())
        index.config_reader(reload_policy="Manual")  # a new snapshot only when we say so
        return index

    def _open_from_disk(self) -> None:
        """Take the folder's index as it is, when its manifest and tantivy's commit agree.

        No lock: the manifest and tantivy's ``meta.json`` are each replaced
        atomically, and the snapshot is kept only if both name the same commit
        before and after it was taken. Otherwise the state stays empty and the
        sync that follows repairs the folder under the write lock.
        """
        folder = self._dir
        assert folder is not None
        try:
            if folder.is_symlink() or not folder.is_dir():
                return
            m = persist.read_manifest(folder)
            if m is None or m.fingerprint != self._fp():
                log.debug("search index %s: no usable manifest; it will be rebuilt", folder)
                return
            if persist.tantivy_opstamp(folder) != m.opstamp:
                log.debug("search index %s: manifest out of step with the index; it will be rebuilt", folder)
                return
            index = self._open_tantivy()
            searcher = index.searcher()
            if (persist.tantivy_opstamp(folder) != m.opstamp or persist.manifest_signature(folder) != m.signature
                    or searcher.num_docs != m.live):
                log.debug("search index %s: changed while it was opened, or out of step", folder)
                return
        except BaseException as exc:
            if not _engine_error(exc):
                raise
            log.debug("search index %s: cannot open it (%s); it will be rebuilt", folder, exc)
            return
        self._install(m, index, searcher)
        self.opened_from_disk = True

    def _install(self, m: persist.Manifest, index: tantivy.Index, searcher: Any) -> None:
        self._clear_state()
        self._index, self._searcher = index, searcher
        self._ids = list(m.ids)
        self._stamps = list(m.stamps)
        self._slots = [None] * len(m.ids)
        self._slot_of = {rid: slot for slot, rid in enumerate(m.ids) if rid is not None}
        self._nfc = bytearray(m.nfc)
        self._live = m.live
        self._title_alphabet = frozenset(m.alphabet)
        self._index_id = m.index_id
        self._token = m.token
        self._manifest_sig = m.signature

    def _write_disk(self, records: Sequence[Record]) -> tuple[int, int]:
        """Apply the difference under the folder's write lock, starting from the folder's current commit."""
        import filelock

        folder = self._dir
        assert folder is not None
        try:
            persist.make_private_dir(folder)
        except OSError as exc:
            raise _Unusable(f"cannot create the folder ({exc.strerror or exc})") from None
        if not os.access(folder, os.W_OK):
            raise _Unusable("the folder is read-only")
        lock = persist.write_lock(folder, WRITE_LOCK_WAIT_S)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise _Unusable(f"another process has been updating it for {WRITE_LOCK_WAIT_S:.0f} s") from None
        except OSError as exc:
            raise _Unusable(f"cannot lock it ({exc.strerror or exc})") from None
        try:
            return self._write_locked(records)
        except BaseException as exc:
            self._reset()  # half-applied: the next sync starts again from the folder's last commit
            if _engine_error(exc):
                raise _Unusable(f"cannot update it ({exc})") from exc
            raise
        finally:
            lock.release()

    def _write_locked(self, records: Sequence[Record]) -> tuple[int, int]:
        folder = self._dir
        assert folder is not None
        if (self._token is not None and self._manifest_sig is not None
                and persist.manifest_signature(folder) == self._manifest_sig
                and persist.tantivy_opstamp(folder) == self._token[1]):
            return self._apply_diff(records)  # still the commit this state is: nothing to re-read
        m = persist.read_manifest(folder)
        if m is not None and m.fingerprint != self._fp():
            log.info("search index %s: built by another version; rebuilding it", folder)
            m = None
        elif m is not None and persist.tantivy_opstamp(folder) != m.opstamp:
            log.info("search index %s: its manifest is out of step (an interrupted update); rebuilding it", folder)
            m = None
        if m is not None and m.token != self._token:
            # Another process (or an earlier run) committed since this state was taken: start from its commit.
            try:
                index = self._open_tantivy()
                searcher = index.searcher()
                if searcher.num_docs != m.live:
                    raise ValueError(f"{searcher.num_docs} documents, the manifest says {m.live}")
                self._install(m, index, searcher)
            except BaseException as exc:
                if not _engine_error(exc):
                    raise
                log.info("search index %s: cannot use it (%s); rebuilding it", folder, exc)
                m = None
        if m is None:
            self._start_over()
        return self._apply_diff(records)

    def _apply_diff(self, records: Sequence[Record], start_over: Callable[[], None] | None = None) -> tuple[int, int]:
        """Index the difference to ``records``; mostly tombstones: ``start_over`` (the folder's, by default)."""
        fresh, drop = self._diff(records)
        dead = len(self._slots) - self._live + len(drop)
        if dead > 1000 and dead > len(self._slots) // 2:
            (start_over or self._start_over)()  # mostly tombstones: start again
            fresh, drop = self._everything(records), []
        self._apply(fresh, drop)
        return len(fresh), len(drop)

    def _start_over(self) -> None:
        """Empty the folder and open a new index in it (the caller holds the write lock)."""
        assert self._dir is not None
        self._index = self._searcher = None  # type: ignore[assignment]  # let go of the old files first
        persist.wipe(self._dir)
        self._clear_state()
        self._index = self._open_tantivy()
        self._searcher = self._index.searcher()
        self._index_id = persist.new_index_id()
        self.opened_from_disk = False

    def _apply(self, fresh: list[Record], drop: list[int]) -> None:
        """Index ``fresh`` and delete ``drop`` in one commit.

        In memory, a big batch (the first build) gets a writer of its own with
        two threads and a large buffer, closed when its merges are done; small
        changes go through one long-lived writer whose merges run in the
        background, so an ingest of a few files never waits for a merge.
        On disk every change takes a writer of its own (tantivy allows one per
        folder across processes), commits, then writes the manifest.
        """
        if not fresh and not drop:
            return
        disk = self._dir is not None
        big = len(fresh) > BIG_BATCH
        if disk:
            writer = self._index.writer(heap_size=192_000_000 if big else 32_000_000, num_threads=2 if big else 1)
        elif big:
            self._close_writer()
            writer = self._index.writer(heap_size=192_000_000, num_threads=2)
        else:
            if self._writer is None:
                self._writer = self._index.writer(heap_size=32_000_000, num_threads=1)
            writer = self._writer
        try:
            ids, slots, stamps, slot_of = self._ids, self._slots, self._stamps, self._slot_of
            for slot in drop:
                rid = ids[slot]
                if rid is not None:
                    # By query, not by term: tantivy-py's delete_documents_by_term is
                    # silently a no-op on unsigned fields (measured on 0.27).
                    writer.delete_documents_by_query(tantivy.Query.term_query(self.schema, "slot", slot))
                    del slot_of[rid]
                    ids[slot] = slots[slot] = stamps[slot] = None
                    self._live -= 1
            add = writer.add_document
            make = self._document
            stamp = persist.record_stamp
            for rec in fresh:
                slot = len(slots)
                slots.append(rec)
                ids.append(rec["id"])
                stamps.append(stamp(rec))
                slot_of[rec["id"]] = slot
                self._live += 1
                add(make(slot, rec))
            opstamp = writer.commit()
            self.documents_added += len(fresh)
            titles = "".join(r["title"] for r in fresh if isinstance(r.get("title"), str))
            if not self._title_alphabet.issuperset(titles):
                self._title_alphabet = self._title_alphabet | frozenset(titles)
            if disk:
                assert self._dir is not None
                self._token = None  # until the manifest says which commit this is
                manifest = persist.Manifest(self._fp(), self._index_id, opstamp, list(ids), list(stamps),
                                            self._nfc, "".join(sorted(self._title_alphabet)), self._live)
                persist.write_manifest(self._dir, manifest)
                self._token, self._manifest_sig = manifest.token, manifest.signature
        except BaseException:
            # Half-applied: forget everything, so the next sync rebuilds rather than serve a stale index.
            if not disk:
                self._writer = None
                self._reset()
            raise
        finally:
            if big or disk:
                writer.wait_merging_threads()
        if disk:
            assert self._dir is not None
            persist.make_files_private(self._dir)
        self._index.reload()
        self._searcher = self._index.searcher()
        self._generation += 1
        self._vocab.clear()

    def _close_writer(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.wait_merging_threads()

    def close(self) -> None:
        """Wait for background merges and let the writer go (optional: garbage collection does it too)."""
        with self._lock:
            self._close_writer()

    def _document(self, slot: int, rec: Record) -> tantivy.Document:
        d = tantivy.Document()
        d.add_unsigned("slot", slot)
        add = d.add_text
        pre = fold.prefold
        title = rec.get("title")
        if title and isinstance(title, str):
            add("title", pre(title))
        for key, field in (("parties", "party"), ("people", "people")):
            names = _names(rec.get(key))
            if names:
                add(field, pre(" ; ".join(names)))
        tids = _theme_ids(rec)
        if tids:
            texts = self._theme_texts.get(tids)
            if texts is None:
                texts = (" ".join(tids), " ; ".join(f"{tid.replace('-', ' ')} {self._label(tid)}" for tid in tids))
                self._theme_texts[tids] = texts
            add("theme_id", texts[0])
            add("themes", texts[1])
        orgs = _names(rec.get("organizations"))
        if orgs:
            add("org", pre(" ; ".join(orgs)))
        for key in ("source", "location"):
            value = rec.get(key)
            if value and isinstance(value, str):
                add(key, pre(value))
        body = rec.get("body")
        nfc = True
        if body and isinstance(body, str):
            if body.isascii():
                add("body", body)
            else:
                text, nfc = fold.prefold_checked(body)
                add("body", text)
        self._nfc.append(nfc)
        codes = [c.upper() for c in rec.get("countries") or [] if isinstance(c, str)]
        if codes:
            add("country", " ".join(codes))
        add("rid", rec["id"])
        when = day(rec.get("date"))
        if when is not None:
            d.add_integer("date", when)
            d.add_float("recency", max(0, when - EPOCH_DAY) * RECENCY_PER_DAY)
        d.add_integer("date_sort", when or 0)
        has = [key for key in _HAS_KEYS if rec.get(key)]
        for c in rec.get("commitments") or []:
            due = deadline(c.get("due")) if isinstance(c, dict) else None
            if due is not None:
                d.add_integer("due", due)
                if "due" not in has:
                    has.append("due")
        if has:
            add("has", " ".join(has))
        return d

    def _label(self, tid: str) -> str:
        if not self._labels:
            from store.search.lookup import themes

            self._labels = {t: label for t, label in themes()}
        return self._labels.get(tid, "")

    # -- searching ------------------------------------------------------------
    def search_hits(self, records: Sequence[Record], query: str, *, limit: int = 50) -> list[Any]:
        """Sync with ``records``, then the ranked hits for ``query`` (see :mod:`store.search`)."""
        from store.search import Hit
        from store.search.lookup import resolve_country, resolve_theme
        from store.search.snippet import hit_parts

        node = parse(query, resolve_country, resolve_theme)
        if limit is None or limit <= 0:
            return []
        with self._lock:
            self.sync(records)
            if node is None:
                return [Hit(rec, 0.0) for rec in records[:limit]]

            def rank() -> tuple[_Compiler, list[tuple[Record, float]]]:
                compiler = _Compiler(self)
                tq = compiler.compile(node)
                return compiler, self._run(tq, limit, compiler.scoring)

            compiler, ranked = self._guarded(records, rank)
            nfc = [self._nfc[self._slot_of[rec["id"]]] for rec, _ in ranked]
        pattern, marks = compiler.highlight_pattern(False), compiler.highlight_pattern(True)
        if pattern:
            alphabet = self._title_alphabet
            known = _QUICK_PATTERNS.get(pattern)
            if known is None or known[0] is not alphabet:
                if len(_QUICK_PATTERNS) > 1024:
                    _QUICK_PATTERNS.clear()
                _QUICK_PATTERNS[pattern] = (alphabet, compiler.highlight_pattern_in(alphabet) or pattern)
        lazy = Hit.lazy
        return [lazy(rec, score, _HitParts(hit_parts, rec, pattern, marks, bool(is_nfc)))
                for (rec, score), is_nfc in zip(ranked, nfc)]

    def matching_ids(self, records: Sequence[Record], node: Node | None) -> list[str]:
        """Sync with ``records``, then the ids of every record ``node`` (a parsed query) selects,
        unranked: for callers that combine it with filters of their own (the follow-ups list)."""
        with self._lock:
            self.sync(records)
            if node is None:
                return [r["id"] for r in self._slots if r is not None]
            return self._guarded(records, lambda: self._matching(node))

    def _matching(self, node: Node) -> list[str]:
        if self._live == 0:
            return []
        tq = _Compiler(self).compile(node)
        searcher = self._searcher
        hits = searcher.search(tq, self._live, count=False, order_by_field="date_sort").hits
        if not hits:
            return []
        slots = searcher.fast_field_values("slot", [addr for _, addr in hits])
        try:
            found = list(map(self._slots.__getitem__, slots))
        except (IndexError, TypeError):
            found = [self._slots[s] if s is not None and s < len(self._slots) else None for s in slots]
        return [rec["id"] for rec in found if rec is not None]

    def _guarded(self, records: Sequence[Record], search: Callable[[], _T]) -> _T:
        """``search()``; when the index on disk fails under it (files damaged after they were
        opened), once more on an index rebuilt in memory."""
        if self._dir is None:
            return search()
        try:
            return search()
        except BaseException as exc:
            if not _engine_error(exc):
                raise
            self._to_memory(f"a search failed ({exc})")
            self.sync(records)
            return search()

    def _run(self, tq: tantivy.Query, limit: int, scoring: bool) -> list[tuple[Record, float]]:
        searcher = self._searcher
        if self._live == 0:
            return []
        limit = min(limit, self._live)
        if scoring:
            hits = searcher.search(tq, limit, count=False, weight_by_field="recency").hits
        else:
            hits = searcher.search(tq, limit, count=False, order_by_field="date_sort").hits
        if not hits:
            return []
        out = []
        slots = searcher.fast_field_values("slot", [addr for _, addr in hits])
        for (score, _), slot in zip(hits, slots):
            rec = self._slots[slot] if slot is not None and slot < len(self._slots) else None
            if rec is not None:
                out.append((rec, float(score) if scoring else 0.0))
        return out

    # -- vocabulary --------------------------------------------------------------
    def doc_freq(self, field: str, term: str) -> int:
        return self._searcher.doc_freq(field, term)

    def completions(self, prefix: str, fields: Iterable[str]) -> dict[str, list[str]]:
        """Terms that extend ``prefix``, most frequent first: {term: [fields it is in]}."""
        counts: dict[str, int] = {}
        where: dict[str, list[str]] = {}
        for field in fields:
            for term, df in self._searcher.terms_with_prefix(field, prefix, limit=MAX_COMPLETIONS):
                if term == prefix:
                    continue
                counts[term] = counts.get(term, 0) + df
                where.setdefault(term, []).append(field)
        best = sorted(counts, key=lambda t: (-counts[t], t))[:MAX_COMPLETIONS]
        return {t: where[t] for t in best}

    def near_terms(self, word: str, fields: Iterable[str]) -> dict[str, tuple[int, list[str]]]:
        """Terms one or two edits from ``word`` (same first letter): {term: (distance, fields)}."""
        out: dict[str, tuple[int, list[str]]] = {}
        for field in fields:
            bucket = self._bucket(field, word[0])
            if not bucket:
                continue
            n = len(word)
            near = [t for t in bucket if abs(len(t) - n) <= 2]
            for term, dist, _ in process.extract(word, near, scorer=Levenshtein.distance, score_cutoff=2,
                                                 limit=MAX_TYPO_TERMS):
                if term in out:
                    out[term][1].append(field)
                else:
                    out[term] = (int(dist), [field])
        best = sorted(out, key=lambda t: out[t][0])[:MAX_TYPO_TERMS]
        return {t: out[t] for t in best}

    def _bucket(self, field: str, first: str) -> list[str]:
        key = (field, first)
        bucket = self._vocab.get(key)
        if bucket is None:
            bucket = [t for t, _ in self._searcher.terms_with_prefix(field, first)]
            self._vocab[key] = bucket
        return bucket


class _Compiler:
    """A query tree → one tantivy query, noting the terms and phrases to highlight."""

    def __init__(self, index: SearchIndex) -> None:
        self.ix = index
        self.schema = index.schema
        self.scoring = False
        self.terms: set[str] = set()
        self.phrases: set[tuple[tuple[str, ...], bool]] = set()

    def compile(self, node: Node) -> tantivy.Query:
        return self._q(node, negated=False)

    def highlight_pattern(self, marks: bool) -> str | None:
        """One regex for every term and phrase to highlight (``marks``: for non-NFC text)."""
        return self._pattern(lambda word, prefix: fold.term_pattern(word, prefix, marks))

    def highlight_pattern_in(self, alphabet: frozenset[str]) -> str | None:
        """:meth:`highlight_pattern` (marks off) for NFC text over ``alphabet``: the same matches there."""
        return self._pattern(lambda word, prefix: fold.term_pattern_in(word, prefix, alphabet))

    def _pattern(self, term: Callable[[str, bool], str]) -> str | None:
        """Longest phrases first, then longest terms, each word's pattern made by ``term(word, prefix)``."""
        parts = []
        for words, prefix in sorted(self.phrases, key=lambda p: -len(p[0])):
            parts.append(r"[\W_]+".join(term(w, prefix and i == len(words) - 1) for i, w in enumerate(words)))
        parts += [term(t, False) for t in sorted(self.terms, key=len, reverse=True)]
        return "|".join(parts) if parts else None

    def _q(self, node: Node, negated: bool) -> tantivy.Query:
        Q = tantivy.Query
        if isinstance(node, Word):
            return self._word(node, negated)
        if isinstance(node, Phrase):
            return self._phrase(node, negated)
        if isinstance(node, Keyword):
            field = KEYWORD_FIELDS[node.field]
            values = list(node.values)
            if node.field == "is":
                values = []
                for name in node.values:
                    try:
                        values += [str(v) for v in IS_HOOKS[name]()]
                    except Exception:
                        values += []
                if not values:
                    return Q.empty_query()
            if len(values) == 1:
                q = Q.term_query(self.schema, field, values[0], index_option="basic")
            else:
                q = Q.term_set_query(self.schema, field, values)
            return Q.const_score_query(q, 0.0)
        if isinstance(node, Range):
            return Q.const_score_query(
                Q.range_query(self.schema, node.field, tantivy.FieldType.Integer, node.lo, node.hi), 0.0)
        if isinstance(node, Not):
            return self._only_not([self._q(node.item, not negated)])
        if isinstance(node, And):
            must = [self._q(item, negated) for item in node.items if not isinstance(item, Not)]
            must_not = [self._q(item.item, not negated) for item in node.items if isinstance(item, Not)]
            if not must_not:
                return Q.boolean_query([(tantivy.Occur.Must, q) for q in must])
            if not must:
                return self._only_not(must_not)
            return Q.boolean_query([(tantivy.Occur.Must, q) for q in must]
                                   + [(tantivy.Occur.MustNot, q) for q in must_not])
        if isinstance(node, Or):
            return Q.boolean_query([(tantivy.Occur.Should, self._q(item, negated)) for item in node.items])
        raise TypeError(node)  # pragma: no cover

    def _only_not(self, excluded: list[tantivy.Query]) -> tantivy.Query:
        Q = tantivy.Query
        return Q.boolean_query([(tantivy.Occur.Must, Q.const_score_query(Q.all_query(), 0.0))]
                               + [(tantivy.Occur.MustNot, q) for q in excluded])

    def _word(self, node: Word, negated: bool) -> tantivy.Query:
        Q = tantivy.Query
        fields = FIELD_SETS[node.field]
        weight = dict(fields)
        term = node.term
        clauses: list[tantivy.Query] = []
        exact = [f for f, _ in fields if self.ix.doc_freq(f, term)]
        for f in exact:
            clauses.append(Q.boost_query(Q.term_query(self.schema, f, term), weight[f]))
        if negated:
            return self._should(clauses)
        if exact:
            self.terms.add(term)
        expanded = False
        if node.prefix:
            for t, where in self.ix.completions(term, weight).items():
                expanded = True
                self.terms.add(t)
                for f in where:
                    clauses.append(Q.boost_query(Q.term_query(self.schema, f, t), weight[f] * PREFIX_BOOST))
        if not exact and not expanded and len(term) >= TYPO_MIN_CHARS and not term.isdigit():
            for t, (dist, where) in self.ix.near_terms(term, weight).items():
                self.terms.add(t)
                for f in where:
                    clauses.append(Q.boost_query(Q.term_query(self.schema, f, t), weight[f] * TYPO_BOOST[dist]))
        if clauses:
            self.scoring = True
        return self._should(clauses)

    def _phrase(self, node: Phrase, negated: bool) -> tantivy.Query:
        Q = tantivy.Query
        words = list(node.terms)
        clauses = []
        for f, w in FIELD_SETS[node.field]:
            q = Q.phrase_prefix_query(self.schema, f, words) if node.prefix and not negated \
                else Q.phrase_query(self.schema, f, words)
            clauses.append(Q.boost_query(q, w))
        if not negated:
            self.scoring = True
            self.phrases.add((node.terms, node.prefix))
        return self._should(clauses)

    @staticmethod
    def _should(clauses: list[tantivy.Query]) -> tantivy.Query:
        if not clauses:
            return tantivy.Query.empty_query()
        if len(clauses) == 1:
            return clauses[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in clauses])
