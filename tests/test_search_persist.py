"""The search index kept on disk beside the store (store/search/persist.py): reused, synced, never trusted blindly.

Every test compares with an index built in memory from the same records, so
"correct results" means exactly what a fresh build would answer.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson
import pytest

from store import open_store
from store.doctor import check_store, repair_store
from store.search import SearchIndex, persist
from store.search import index as index_module

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["energy", "gabor", "c:HU", "water OR mining", '"transit corridor"', "-energy", "t:energy",
           "party:nagy", "date:2025", "sapar"]


def rec(n: int, body: str, *, title: str | None = None, countries=("HU",), stamp: str = "2026-01-01T00:00:00+00:00",
        **extra) -> dict:
    r = {"id": f"{n:012x}", "title": title or f"Meeting {n}", "date": f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}",
         "body": body, "countries": list(countries), "parties": [], "people": [], "organizations": [],
         "themes": [], "commitments": [], "ingested_at": stamp, "extracted_at": stamp}
    r.update(extra)
    return r


BODIES = ["Talks on energy security and gas supplies.", "The ministers discussed water management in the basin.",
          "Mining licences and the transit corridor to the port.", "Gábor Nagy met Abzal Saparbekuly on legal aid.",
          "Energy efficiency, renewables and the transit corridor.", "Digital cooperation and water pricing."]


def records(count: int = 30, start: int = 0) -> list[dict]:
    out = []
    for n in range(start, start + count):
        out.append(rec(n, BODIES[n % len(BODIES)] + f" Item {n}.", countries=("HU",) if n % 2 else ("KZ", "UZ"),
                       parties=[{"name": "Gábor Nagy", "country": "HU"}] if n % 5 == 0 else []))
    return out


def answers(index: SearchIndex, recs: list[dict]) -> dict[str, list[str]]:
    """What each query finds (as a set: BM25 statistics count deleted documents until tantivy merges
    them away, so scores after an incremental sync differ slightly from a fresh build's, on disk as in memory)."""
    out = {}
    for q in QUERIES:
        hits = index.search_hits(recs, q, limit=100)
        assert all(h.record is r for h in hits for r in recs if r["id"] == h.record["id"])  # the objects given
        out[q] = sorted(h.record["id"] for h in hits)
    return out


def ranked(index: SearchIndex, recs: list[dict]) -> dict[str, list[tuple[str, float]]]:
    return {q: [(h.record["id"], round(h.score, 4)) for h in index.search_hits(recs, q, limit=100)] for q in QUERIES}


def expected(recs: list[dict]) -> dict[str, list[str]]:
    return answers(SearchIndex(), recs)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "store.json.index"


# -- reuse and sync ---------------------------------------------------------------------------------
def test_second_open_reuses_the_index_and_answers_like_a_fresh_build(folder: Path) -> None:
    recs = records()
    first = SearchIndex(folder)
    assert answers(first, recs) == expected(recs)
    assert first.documents_added == len(recs) and first.path == folder and not first.opened_from_disk

    again = SearchIndex(folder)  # a new process, the same store
    assert ranked(again, copy.deepcopy(recs)) == ranked(SearchIndex(), recs)  # the same scores too
    assert again.documents_added == 0 and again.opened_from_disk
    assert again.path == folder


def test_an_ingest_and_a_removal_between_opens_are_synced(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_records(records(20))
    hungary = {r["id"] for r in records(20) if "HU" in r["countries"]}
    assert {r["id"] for r in store.search("c:HU", limit=100)} == hungary
    assert store.index_path.is_dir()

    other = open_store(db_path)  # another process ingests one and removes one
    fresh = rec(500, "Talks with Mongolia on copper mining.", countries=("MN",))
    other.add_records([fresh])
    gone = records(20)[3]["id"]
    other.remove([gone])

    later = open_store(db_path)
    assert [r["id"] for r in later.search("mongolia")] == [fresh["id"]]
    assert gone not in {r["id"] for r in later.search("c:HU OR c:KZ", limit=100)}
    assert later._search_index.documents_added == 1  # only the new one: nothing rebuilt
    assert later._search_index.opened_from_disk
    assert answers(later._search_index, later.all()) == expected(later.all())


def test_changes_made_while_open_are_written_through_for_the_next_launch(db_path: Path) -> None:
    store = open_store(db_path)  # the app: open, search, ingest, search again
    store.add_records(records(10))
    assert store.search("energy")
    extra = rec(800, "Talks on lithium and rare earths.", countries=("CL",))
    store.add_records([extra])
    assert [r["id"] for r in store.search("lithium")] == [extra["id"]]
    store.remove([records(10)[0]["id"]])
    assert records(10)[0]["id"] not in {r["id"] for r in store.search("c:KZ", limit=100)}

    later = open_store(db_path)  # the next launch finds it all in the folder
    assert [r["id"] for r in later.search("lithium")] == [extra["id"]]
    assert later._search_index.documents_added == 0 and later._search_index.opened_from_disk
    assert answers(later._index(), later.all()) == expected(later.all())


def test_a_re_extraction_is_picked_up_by_its_stamp(folder: Path) -> None:
    recs = records(12)
    SearchIndex(folder).sync(recs)
    changed = copy.deepcopy(recs)
    changed[4].update(countries=["KR"], title="Korea leaders meet", extracted_at="2026-02-02T00:00:00.000001+00:00")
    index = SearchIndex(folder)
    assert [h.record["id"] for h in index.search_hits(changed, "korea leaders")] == [changed[4]["id"]]
    assert changed[4]["id"] in [h.record["id"] for h in index.search_hits(changed, "c:KR")]
    assert index.documents_added == 1
    assert answers(index, changed) == expected(changed)


def test_records_without_stamps_are_compared_by_content(folder: Path) -> None:
    recs = [{"id": f"{n:012x}", "body": BODIES[n % 6], "title": f"T{n}"} for n in range(8)]
    SearchIndex(folder).sync(recs)
    changed = copy.deepcopy(recs)
    changed[2]["title"] = "Zanzibar summit"
    index = SearchIndex(folder)
    assert [h.record["id"] for h in index.search_hits(changed, "zanzibar")] == [changed[2]["id"]]
    assert index.documents_added == 1


def test_a_record_swapped_for_another_is_never_returned(folder: Path) -> None:
    a, b, c = (rec(n, "zebra crossing talks") for n in (1, 2, 3))
    for index in (SearchIndex(), SearchIndex(folder)):
        index.sync([a, b])
        assert sorted(h.record["id"] for h in index.search_hits([a, c], "zebra")) == [a["id"], c["id"]]
        assert b["id"] not in index.matching_ids([a, c], None)


def test_many_removals_start_the_folder_again(folder: Path) -> None:
    recs = records(1500)
    SearchIndex(folder).sync(recs)
    kept = recs[:100]
    index = SearchIndex(folder)
    assert answers(index, kept) == expected(kept)
    assert index._searcher.num_docs == len(kept) and len(index._slots) == len(kept)  # no tombstones kept


# -- never trusted blindly --------------------------------------------------------------------------
def _damage_random_files(folder: Path) -> None:
    for name in os.listdir(folder):
        if name != persist.LOCK and (folder / name).is_file():
            (folder / name).write_bytes(os.urandom(64))


def _damage_segments(folder: Path) -> None:
    for name in os.listdir(folder):
        if "." in name and name.split(".")[-1] in ("idx", "term", "pos", "fast", "store", "fieldnorm"):
            (folder / name).write_bytes(b"\0" * 7)


def _damage_manifest(folder: Path) -> None:
    (folder / persist.MANIFEST).write_bytes(b'{"format": 1, "ids": [')


def _lose_meta(folder: Path) -> None:
    (folder / persist.TANTIVY_META).unlink()


def _other_version(folder: Path) -> None:
    data = orjson.loads((folder / persist.MANIFEST).read_bytes())
    data["fingerprint"] = "0" * 64
    (folder / persist.MANIFEST).write_bytes(orjson.dumps(data))


def _manifest_lies(folder: Path) -> None:
    """A manifest in step by its opstamp that names other ids: the document count gives it away."""
    data = orjson.loads((folder / persist.MANIFEST).read_bytes())
    data["ids"].append("ffffffffffff")
    data["stamp_of"].append(0)
    data["live"] += 1
    data["nfc"] = base64.b64encode(b"\1" * len(data["ids"])).decode()
    (folder / persist.MANIFEST).write_bytes(orjson.dumps(data))


def _garbage_folder(folder: Path) -> None:
    for name in os.listdir(folder):
        path = folder / name
        if path.is_file():
            path.unlink()
    (folder / "junk").write_bytes(os.urandom(300))
    (folder / "meta.json").write_text("not json")
    (folder / "sub").mkdir()


def _a_file_in_its_place(folder: Path) -> None:
    for name in os.listdir(folder):
        (folder / name).unlink()
    folder.rmdir()
    folder.write_bytes(b"not a folder")


@pytest.mark.parametrize("damage", [_damage_random_files, _damage_segments, _damage_manifest, _lose_meta,
                                    _other_version, _manifest_lies, _garbage_folder, _a_file_in_its_place])
def test_a_damaged_folder_is_rebuilt_and_answers_correctly(folder: Path, damage) -> None:
    recs = records()
    SearchIndex(folder).sync(recs)
    damage(folder)
    index = SearchIndex(folder)
    assert answers(index, recs) == expected(recs)
    assert not index.opened_from_disk
    if damage is not _a_file_in_its_place:
        assert index.path == folder and index.documents_added == len(recs)  # rebuilt on disk
        assert SearchIndex(folder).search_hits(recs, "energy") and persist.problem(folder) is None


def test_a_manifest_out_of_step_with_the_index_is_detected(folder: Path) -> None:
    """The crash window by hand: tantivy committed a change, the manifest still describes the commit before."""
    old = records(10)
    SearchIndex(folder).sync(old)
    stale = (folder / persist.MANIFEST).read_bytes()
    new = old[:5] + records(5, start=100)  # same count, other records
    SearchIndex(folder).sync(new)
    (folder / persist.MANIFEST).write_bytes(stale)
    assert persist.problem(folder) is not None

    index = SearchIndex(folder)
    assert answers(index, old) == expected(old)  # the stale manifest would serve old[5:] for new[5:]'s documents
    assert not index.opened_from_disk and index.documents_added == len(old)


def test_a_writer_killed_between_the_commit_and_the_manifest_leaves_a_detectable_folder(folder: Path) -> None:
    old, new = records(10), records(10)[:4] + records(6, start=200)
    SearchIndex(folder).sync(old)
    child = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from store.search import SearchIndex, persist
        from test_search_persist import records
        def killed(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        persist.write_manifest = killed
        SearchIndex({str(folder)!r}).sync(records(10)[:4] + records(6, start=200))
    """)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert persist.problem(folder) == "its manifest is out of step with the index (an interrupted update)"
    for recs in (new, old):
        index = SearchIndex(folder)
        assert answers(index, recs) == expected(recs)
        assert not index.opened_from_disk or recs is old


# -- two at once, and no folder ---------------------------------------------------------------------
def test_two_indexes_on_one_folder_both_answer_for_their_own_records(folder: Path) -> None:
    mine, theirs = records(20), records(20)[:10] + records(10, start=300)
    a, b = SearchIndex(folder), SearchIndex(folder)
    assert answers(a, mine) == expected(mine)
    assert answers(b, theirs) == expected(theirs)  # b starts from a's commit and rewrites it
    assert answers(a, mine) == expected(mine)  # a keeps its snapshot: nothing of b's leaks in
    more = mine + records(3, start=600)
    assert answers(a, more) == expected(more)  # a writes again, starting from b's commit
    assert answers(b, theirs) == expected(theirs)
    assert a.path == b.path == folder
    c = SearchIndex(folder)
    assert answers(c, more) == expected(more) and c.documents_added == 0


def test_two_indexes_writing_the_same_folder_at_the_same_time_stay_correct(folder: Path) -> None:
    import threading

    lists = [records(25), records(15) + records(10, start=400), records(20, start=5), records(30)[::2]]
    wanted = [expected(recs) for recs in lists]
    failures: list[BaseException] = []

    def worker(offset: int) -> None:
        index = SearchIndex(folder)
        try:
            for step in range(8):
                k = (step + offset) % len(lists)
                recs = copy.deepcopy(lists[k])  # new objects each time, like a store that re-read its file
                assert answers(index, recs) == wanted[k]
            assert index.path == folder
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    assert answers(SearchIndex(folder), lists[0]) == wanted[0]


def test_another_process_searching_the_same_store_gets_correct_results(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_records(records(15))
    assert store.search("mining")
    extra = rec(900, "Talks with Mongolia on copper mining.", countries=("MN",))
    other = open_store(db_path)
    other.add_records([extra])
    done = subprocess.run([sys.executable, "-m", "tui", "--db", str(db_path), "search", "mongolia", "--json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert [h["id"] for h in json.loads(done.stdout)] == [extra["id"]]
    assert [r["id"] for r in store.search("mongolia")] == [extra["id"]]  # this one syncs after the other


def test_a_folder_busy_for_too_long_falls_back_to_memory(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recs = records()
    SearchIndex(folder).sync(recs[:10])
    monkeypatch.setattr(index_module, "WRITE_LOCK_WAIT_S", 0)
    holder = persist.write_lock(folder, 0)
    holder.acquire()
    try:
        index = SearchIndex(folder)
        assert answers(index, recs) == expected(recs)
        assert index.path is None
        reader = SearchIndex(folder)  # nothing to write: reading needs no lock
        assert answers(reader, recs[:10]) == expected(recs[:10]) and reader.opened_from_disk
    finally:
        holder.release()


def test_a_store_whose_folder_is_not_writable_searches_in_memory(db_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db_path)
    store.add_records(records(12))
    os.chmod(db_path.parent, 0o500)
    try:
        if os.geteuid() == 0:  # root writes anywhere: make the folder refuse as a read-only mount would
            def refuse(*args, **kwargs):
                raise OSError(30, "Read-only file system")

            monkeypatch.setattr(persist.os, "mkdir", refuse)
        reopened = open_store(db_path)
        assert answers(reopened._index(), reopened.all()) == expected(reopened.all())
        assert reopened._search_index.path is None
        assert not reopened.index_path.exists()
    finally:
        os.chmod(db_path.parent, 0o700)


def test_a_read_only_folder_with_an_index_in_step_is_still_used(db_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db_path)
    store.add_records(records(12))
    store.search("energy")
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # nothing may be written
    reopened = open_store(db_path)
    assert answers(reopened._index(), reopened.all()) == expected(reopened.all())
    assert reopened._search_index.opened_from_disk and reopened._search_index.path is not None
    more = reopened.all() + [rec(700, "Talks on tin.")]  # a change it cannot write: memory
    assert [h.record["id"] for h in reopened._index().search_hits(more, "tin")] == [more[-1]["id"]]
    assert reopened._search_index.path is None


def test_the_folder_is_owner_only(folder: Path) -> None:
    SearchIndex(folder).sync(records())
    assert folder.stat().st_mode & 0o777 == 0o700
    modes = {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()}
    assert persist.MANIFEST in modes and persist.LOCK in modes
    assert set(modes.values()) == {0o600}, modes


# -- doctor ---------------------------------------------------------------------------------------
def test_doctor_reports_a_stale_index_and_repair_empties_it(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_records(records(8))
    store.search("energy")
    assert not [p for p in check_store(db_path) if p.kind == "index"]
    _damage_manifest(store.index_path)
    (problem,) = [p for p in check_store(db_path) if p.kind == "index"]
    assert problem.severity == "warning" and str(store.index_path) in problem.message
    report = repair_store(db_path)
    assert any("search index" in a for a in report.actions)
    assert not [p for p in check_store(db_path) if p.kind == "index"]
    assert answers(open_store(db_path)._index(), store.all()) == expected(store.all())
