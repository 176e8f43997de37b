"""The store keeps every briefing safe: atomic writes, a lock, clear errors, no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson
import pytest

from store import Document, open_store
from store.db import SCHEMA_VERSION
from store.errors import AmbiguousId, NotFound, StoreError
from tests.conftest import ROOT, umask_free_mode


def doc(text: str, name: str = "a.txt") -> Document:
    return Document(path=Path("/tmp") / name, format="txt", text=text)


def test_added_briefing_is_found_by_id_and_prefix(db_path: Path) -> None:
    store = open_store(db_path)
    added, unchanged = store.add_documents([doc("The Minister met the Ambassador.")])
    assert len(added) == 1 and not unchanged
    rec = store.get(added[0])
    assert rec["body"] == "The Minister met the Ambassador."
    assert store.get(added[0][:4])["id"] == added[0]
    assert open_store(db_path).get(added[0])["content_sha256"].startswith(added[0])


def test_same_text_twice_or_from_another_file_adds_nothing(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_documents([doc("Talks were held in Astana.")])
    added, unchanged = store.add_documents([doc("Talks  were held\nin Astana. ", name="copy.docx")])
    assert added == [] and len(unchanged) == 1
    assert len(store.all()) == 1


def test_unknown_and_ambiguous_ids_say_so(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_documents([doc(f"Briefing number {i}") for i in range(40)])
    with pytest.raises(NotFound):
        store.get("zzzz")
    # 40 ids over 16 hex digits: some first character is shared by two of them.
    firsts = [r["id"][0] for r in store.all()]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    with pytest.raises(AmbiguousId, match="type more"):
        store.get(shared)


def test_store_file_and_folder_are_owner_only(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_documents([doc("one")])
    store.add_documents([doc("two")])
    assert umask_free_mode(db_path) == 0o600
    assert umask_free_mode(db_path.parent) == 0o700
    assert umask_free_mode(db_path.with_name(db_path.name + ".bak")) == 0o600
    assert umask_free_mode(db_path.with_name(db_path.name + ".lock")) == 0o600


def test_previous_version_is_kept_as_bak(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_documents([doc("first")])
    store.add_documents([doc("second")])
    bak = orjson.loads(db_path.with_name(db_path.name + ".bak").read_bytes())
    assert len(bak["briefings"]) == 1


def test_corrupt_store_names_the_file_and_the_bak_and_is_not_overwritten(db_path: Path) -> None:
    store = open_store(db_path)
    store.add_documents([doc("first")])
    store.add_documents([doc("second")])
    db_path.write_bytes(b'{"briefings": {"1": {"id": "trunc')
    damaged = db_path.read_bytes()
    with pytest.raises(StoreError) as err:
        open_store(db_path)
    message = str(err.value)
    assert str(db_path) in message and ".bak" in message and "damaged" in message
    assert db_path.read_bytes() == damaged


def test_store_from_a_newer_version_is_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(orjson.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "briefings": {}}))
    with pytest.raises(StoreError, match="newer version"):
        open_store(db_path)


def test_a_batch_of_two_thousand_records_is_one_write(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store import storage

    writes = []
    original = storage.AtomicJSONStorage._replace_atomically
    monkeypatch.setattr(storage.AtomicJSONStorage, "_replace_atomically",
                        lambda self, payload: (writes.append(len(payload)), original(self, payload)))
    from store.records import build_record

    records = [build_record(doc(f"Synthetic briefing {i}")) for i in range(2000)]
    open_store(db_path).add_records(records)
    assert len(writes) == 1
    assert len(open_store(db_path).all()) == 2000


def test_another_process_write_is_seen_without_reopening(db_path: Path) -> None:
    reader = open_store(db_path)
    assert reader.all() == []
    open_store(db_path).add_documents([doc("written elsewhere")])
    assert reader.changed_on_disk()
    assert [r["body"] for r in reader.all()] == ["written elsewhere"]


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from store import Document, open_store
    store = open_store(sys.argv[1])
    tag = sys.argv[2]
    for batch in range(int(sys.argv[3])):
        docs = [Document(path=Path("/x"), format="txt", text=f"{{tag}} batch {{batch}} item {{i}}")
                for i in range(10)]
        store.add_documents(docs)
""")


def test_two_concurrent_writers_never_lose_each_others_records(db_path: Path, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    procs = [subprocess.Popen([sys.executable, str(script), str(db_path), tag, "15"]) for tag in ("alpha", "beta")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    bodies = {r["body"] for r in open_store(db_path).all()}
    assert len(bodies) == 2 * 15 * 10


KILLED_WRITER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from store import Document, open_store
    store = open_store(sys.argv[1])
    point = sys.argv[2]
    real = {{"fsync": os.fsync, "link": os.link, "replace": os.replace}}[point]
    def stop_here(*args, **kwargs):
        # Tell the test we are inside the write, then wait to be killed.
        print("inside", flush=True)
        sys.stdin.readline()
        return real(*args, **kwargs)
    setattr(os, point, stop_here)
    store.add_documents([Document(path=Path("/x"), format="txt", text=f"new {{i}}") for i in range(50)])
    print("finished", flush=True)
""")


@pytest.mark.parametrize("kill_point", ["fsync", "link", "replace"])
def test_writer_killed_mid_write_leaves_the_old_store_whole(db_path: Path, tmp_path: Path,
                                                             kill_point: str) -> None:
    store = open_store(db_path)
    store.add_documents([doc(f"kept {i}") for i in range(30)])
    script = tmp_path / "killed.py"
    script.write_text(KILLED_WRITER.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, str(script), str(db_path), kill_point],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "inside"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    survivor = open_store(db_path)
    bodies = sorted(r["body"] for r in survivor.all())
    assert bodies == sorted(f"kept {i}" for i in range(30))
    # The next write cleans the killed writer's temp file and still works.
    survivor.add_documents([doc("after the crash")])
    assert len(open_store(db_path).all()) == 31
    assert not [p for p in db_path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_reextract_hands_out_new_records_so_the_search_index_sees_new_fields(db_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db_path)
    store.add_documents([doc("The Minister of Foreign Affairs of Hungary met the Ambassador of Japan.")])
    assert [h.record["id"] for h in store.search_hits("c:HU")]
    import store.records as records

    real = records.extracted_fields
    monkeypatch.setattr(records, "extracted_fields",
                        lambda d: {**real(d), "countries": ["JP"]})
    monkeypatch.setattr("store.db.extracted_fields", records.extracted_fields)
    assert store.reextract() == 1
    assert store.all()[0]["countries"] == ["JP"]
    assert store.search_hits("c:HU") == []
    assert len(store.search_hits("c:JP")) == 1
