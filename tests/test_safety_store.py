"""The store under damage and contention: every bad state gives a clear message and a non-zero
exit, never destroys a file, and `briefings doctor` finds it and (with --repair) fixes it."""

from __future__ import annotations

import errno
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import orjson
import pytest

from store import Document, open_store
from store.db import SCHEMA_VERSION, Store
from store.doctor import ERROR, check_store, record_problems, repair_store, salvage_tables
from store.errors import StoreError
from store.records import STORED_FIELDS, build_record
from store.storage import backup_path, temp_files
from tests.conftest import ROOT, write_text_files
from tests.safety_support import raw_ids, start, store_ids
from tui.cli import main


def doc(text: str) -> Document:
    return Document(path=Path("/tmp/readout.txt"), format="txt", text=text)


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def two_version_store(db: Path, first: int = 5, second: int = 5) -> tuple[set[str], set[str]]:
    """A store written twice, so that the .bak holds the first version; returns both id sets."""
    store = open_store(db)
    store.add_documents([doc(f"Readout {i}: the Ministers of Hungary and Kazakhstan met.") for i in range(first)])
    old = store_ids(db)
    store.add_documents([doc(f"Later readout {i}: the delegations met in Astana.") for i in range(second)])
    return old, store_ids(db)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# -- crashes and contention (deterministic points: see tests/safety_child.py) --------------
def test_opening_removes_a_killed_writers_temp_files_but_never_a_live_writers(db_path: Path, tmp_path: Path) -> None:
    write_text_files(tmp_path / "in", 30)
    two_version_store(db_path)
    before = store_ids(db_path)
    writer = start(db_path, "ingest", tmp_path / "in", chunk=10, stop_at=12, stderr_dir=tmp_path / "logs").read()
    assert writer.stopped == "write-half"  # paused inside its first write, holding the lock
    live = temp_files(db_path)
    assert len(live) == 1 and 0 < live[0].stat().st_size
    reader = open_store(db_path)  # the lock is taken: the open must leave the temp file alone
    assert temp_files(db_path) == live and {r["id"] for r in reader.all()} == before
    writer.go_on()
    assert writer.exit_code == 0, writer.error_text()
    assert store_ids(db_path) == before | writer.ids and not temp_files(db_path)

    write_text_files(tmp_path / "more", 5, prefix="more")
    crashed = start(db_path, "ingest", tmp_path / "more", chunk=2, stop_at=7, stderr_dir=tmp_path / "logs").read()
    assert crashed.stopped == "replace-bak"  # the new store's temp file and the .bak's link both exist
    crashed.kill()
    assert len(temp_files(db_path)) == 2
    open_store(db_path)  # a killed writer holds no lock: its temp file goes
    assert not temp_files(db_path) and not check_store(db_path)


def test_a_store_opened_before_another_process_ingests_keeps_that_process_records(db_path: Path,
                                                                                   tmp_path: Path) -> None:
    """The app's Store object writes only through methods that re-read under the lock."""
    two_version_store(db_path)
    app_store = open_store(db_path)
    seen = {r["id"] for r in app_store.all()}
    write_text_files(tmp_path / "other", 20, prefix="other")
    other = start(db_path, "ingest", tmp_path / "other", chunk=5, stderr_dir=tmp_path / "logs").read()
    assert other.exit_code == 0
    theirs = other.ids

    app_store.add_documents([doc("Added by the app after the other ingest.")])
    assert theirs <= store_ids(db_path)
    app_store.remove([sorted(seen)[0]])
    assert theirs <= store_ids(db_path)
    app_store.reextract()
    after = open_store(db_path)
    assert theirs <= {r["id"] for r in after.all()} and len(after.all()) == len(seen) + 20 + 1 - 1

    # ... and also when the app writes while the other process is in the middle of a write.
    write_text_files(tmp_path / "late", 10, prefix="late")
    late = start(db_path, "ingest", tmp_path / "late", chunk=10, stop_at=13, stderr_dir=tmp_path / "logs").read()
    assert late.stopped == "fsync-file"
    done = threading.Event()
    thread = threading.Thread(target=lambda: (app_store.add_documents([doc("Written while locked.")]), done.set()))
    thread.start()
    late.go_on()
    thread.join(timeout=60)
    assert done.is_set() and late.exit_code == 0
    assert late.ids | theirs <= store_ids(db_path) and not check_store(db_path)


# -- damage: every kind gives a clear message and exit 1, and no file is destroyed -------------
def test_truncated_store_is_refused_untouched_and_repaired_from_bak_and_what_survives(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two_version_store(db_path)
    raw = db_path.read_bytes()
    cut = raw[: int(len(raw) * 0.8)]
    db_path.write_bytes(cut)
    for args in (["list"], ["ingest", "/dev/null"], ["search", "hungary"], ["doctor"]):
        code, out, err = cli(capsys, "--db", db_path, *args)
        assert code == 1, args
        assert str(db_path) in out + err and "damaged" in out + err
        assert db_path.read_bytes() == cut
    code, out, err = cli(capsys, "--db", db_path, "doctor", "--repair")
    assert code == 0, out + err
    copy = next(db_path.parent.glob("briefings.json.damaged-*"))
    assert copy.read_bytes() == cut and (copy.stat().st_mode & 0o777) == 0o600
    # Everything of the .bak, plus every whole briefing before the cut: only those after it are lost.
    readable = {r["id"] for r in salvage_tables(cut)["briefings"].values()}
    assert len(readable) >= 0.8 * len(new) - 2
    assert store_ids(db_path) == old | readable
    assert not check_store(db_path)


def test_random_bytes_store_is_refused_and_repair_restores_the_bak(db_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    old, _ = two_version_store(db_path)
    junk = os.urandom(4096)
    db_path.write_bytes(junk)
    code, _, err = cli(capsys, "--db", db_path, "list")
    assert code == 1 and "damaged" in err and ".bak" in err and db_path.read_bytes() == junk
    bak_before = backup_path(db_path).read_bytes()
    code, out, _ = cli(capsys, "--db", db_path, "doctor")
    assert code == 1 and "not valid JSON" in out
    code, _, err = cli(capsys, "--db", db_path, "doctor", "--repair")
    assert code == 0 and "restored 5 briefings" in err
    assert store_ids(db_path) == old and backup_path(db_path).read_bytes() == bak_before
    assert next(db_path.parent.glob("*.damaged-*")).read_bytes() == junk


def test_empty_store_file_is_damage_not_an_empty_store(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two_version_store(db_path)
    db_path.write_bytes(b"")
    code, _, err = cli(capsys, "--db", db_path, "ingest", "/dev/null")
    assert code == 1 and "empty" in err and backup_path(db_path).exists()
    assert raw_ids(backup_path(db_path)) == old  # the .bak was not replaced by an empty store
    assert cli(capsys, "--db", db_path, "doctor", "--repair")[0] == 0
    assert store_ids(db_path) == old


def test_a_record_missing_fields_is_skipped_with_a_warning_reported_and_dropped_alone(
        db_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    _, ids = two_version_store(db_path)
    data = orjson.loads(db_path.read_bytes())
    key, victim = next(iter(data["briefings"].items()))
    del victim["title"], victim["body"]
    db_path.write_bytes(orjson.dumps(data))
    damaged = db_path.read_bytes()
    with caplog.at_level(logging.WARNING, logger="briefings.store"):
        store = open_store(db_path)  # the app opens a store with one bad record
    assert {r["id"] for r in store.all()} == ids - {victim["id"]}
    assert store.skipped_records == [key] and "skipped 1 damaged briefing" in caplog.text
    code, out, _ = cli(capsys, "--db", db_path, "list")
    assert code == 0 and len(out.splitlines()) == len(ids) - 1
    shown = subprocess.run([sys.executable, "-m", "tui", "--db", str(db_path), "list"], cwd=ROOT,
                           capture_output=True, text=True)  # the warning reaches a real terminal's stderr
    assert shown.returncode == 0 and "skipped 1 damaged briefing" in shown.stderr and "doctor" in shown.stderr
    code, out, err = cli(capsys, "--db", db_path, "doctor")
    assert code == 1 and f"briefing {victim['id']}" in out and "missing body, title" in out
    assert db_path.read_bytes() == damaged
    code, _, err = cli(capsys, "--db", db_path, "doctor", "--repair")
    assert code == 0 and "dropped 1 damaged briefing" in err
    assert store_ids(db_path) == ids - {victim["id"]}
    assert next(db_path.parent.glob("*.damaged-*")).read_bytes() == damaged


def test_doctor_finds_bad_ids_hashes_keys_spans_and_types(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = build_record(doc("The Minister of Foreign Affairs of Hungary met the Ambassador of Kazakhstan."))
    assert set(rec) - {"extracted_at"} == set(STORED_FIELDS)  # store.records keeps up with the extractor
    key = str(int(rec["id"], 16))
    assert record_problems(key, rec) == []
    # Both forms of spans are healthy: the compact string (schema 2) and schema 1's lists of pairs.
    assert record_problems(key, {**rec, "themes": [{"id": "x", "spans": "0-3 4-12"}]}) == []
    assert record_problems(key, {**rec, "themes": [{"id": "x", "spans": [[0, 3], [4, 12]]}]}) == []
    cases = {
        "id is not the prefix of content_sha256": {"id": "0" * 12},
        "does not match its hash": {"body": rec["body"] + " Edited by hand."},
        "not the key of its id": {"_key": "12345"},
        "lies outside the": {"countries": rec["countries"], "parties": [{"name": "X", "spans": [[0, 10_000]]}]},
        "malformed span": {"themes": [{"id": "x", "spans": [["a", 1]]}]},
        'malformed span "3-x"': {"themes": [{"id": "x", "spans": "1-2 3-x"}]},
        "span [0, 10000] lies outside the": {"people": [{"name": "X", "spans": "0-10000"}]},
        "spans is neither a span string nor a list": {"themes": [{"id": "x", "spans": 5}]},
        "countries is not a list of text": {"countries": "HU"},
        "meta is not an object": {"meta": []},
        "title is not text": {"title": 5},
        "not a briefing": {"_whole": 7},
    }
    for expected, change in cases.items():
        bad = {**rec, **{k: v for k, v in change.items() if not k.startswith("_")}}
        found = record_problems(change.get("_key", key), change.get("_whole", bad))
        assert any(expected in p for p in found), (expected, found)


def test_bak_newer_than_the_store_blocks_writes_until_doctor_merges_it(
        db_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    old, new = two_version_store(db_path)
    bak = backup_path(db_path)
    # Someone put an old copy back over the store: the .bak (the newer file) holds briefings it lacks.
    newer, older = db_path.read_bytes(), bak.read_bytes()
    db_path.write_bytes(older)
    bak.write_bytes(newer)
    os.utime(db_path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    files = files_of(db_path.parent)
    code, _, err = cli(capsys, "--db", db_path, "ingest", "/work/shared/eval/dev/seed-kz-hu-prosecutors.txt")
    assert code == 1 and "holds 5 briefings that" in err and "doctor --repair" in err
    assert files_of(db_path.parent) == files  # nothing was written
    with caplog.at_level(logging.WARNING, logger="briefings.store"):
        code, out, err = cli(capsys, "--db", db_path, "list")
    assert code == 0 and "doctor --repair" in caplog.text  # reading still works, with the warning
    assert cli(capsys, "--db", db_path, "doctor")[0] == 1
    code, _, err = cli(capsys, "--db", db_path, "doctor", "--repair")
    assert code == 0 and store_ids(db_path) == new and raw_ids(bak) == new
    code, _, err = cli(capsys, "--db", db_path, "ingest", "/work/shared/eval/dev/seed-kz-hu-prosecutors.txt")
    assert code == 0 and len(store_ids(db_path)) == len(new) + 1


def test_missing_store_with_a_bak_is_not_silently_restarted(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two_version_store(db_path)
    db_path.unlink()
    code, _, err = cli(capsys, "--db", db_path, "ingest", "/work/shared/eval/dev/seed-kz-hu-prosecutors.txt")
    assert code == 1 and "the store file is missing" in err and raw_ids(backup_path(db_path)) == old
    assert cli(capsys, "--db", db_path, "doctor")[0] == 1
    assert cli(capsys, "--db", db_path, "doctor", "--repair")[0] == 0 and store_ids(db_path) == old


def test_store_from_a_newer_schema_is_refused_everywhere_and_never_repaired(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    two_version_store(db_path)
    data = orjson.loads(db_path.read_bytes())
    data["meta"] = {"1": {"schema_version": SCHEMA_VERSION + 1}}
    db_path.write_bytes(orjson.dumps(data))
    files = files_of(db_path.parent)
    for args in (["list"], ["ingest", "/dev/null"], ["doctor"], ["doctor", "--repair"]):
        code, out, err = cli(capsys, "--db", db_path, *args)
        assert code == 1 and "newer version" in out + err, args
    assert files_of(db_path.parent) == files


def test_doctor_json_and_a_healthy_store(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "--db", db_path, "doctor")
    assert code == 0 and "no store" in err
    two_version_store(db_path)
    code, out, err = cli(capsys, "--db", db_path, "doctor", "--json")
    assert code == 0 and json.loads(out) == [] and "healthy" in err
    os.chmod(db_path, 0o644)
    code, out, _ = cli(capsys, "--db", db_path, "doctor", "--json")
    assert code == 1 and json.loads(out)[0]["kind"] == "permissions"
    assert cli(capsys, "--db", db_path, "doctor", "--repair")[0] == 0 and (db_path.stat().st_mode & 0o777) == 0o600


# -- a store folder that cannot be written, a full disk ----------------------------------------
def _store_fd(fd: int, folder: Path) -> bool:
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}")).parent == folder
    except OSError:
        return False


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_full_disk_fails_the_ingest_cleanly_and_keeps_the_store(db_path: Path, tmp_path: Path, failing: str,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    old, ids = two_version_store(db_path)
    files = files_of(db_path.parent)
    write_text_files(tmp_path / "in", 5)
    real = getattr(os, failing)

    def no_space(fd, *args):  # type: ignore[no-untyped-def]
        if _store_fd(fd, db_path.parent):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, *args)

    monkeypatch.setattr(os, failing, no_space)
    code, _, err = cli(capsys, "--db", db_path, "ingest", tmp_path / "in")
    assert code == 1 and "No space left on device" in err and "Nothing was changed" in err
    assert files_of(db_path.parent) == files and not temp_files(db_path)
    monkeypatch.setattr(os, failing, real)
    assert cli(capsys, "--db", db_path, "ingest", tmp_path / "in")[0] == 0
    assert len(store_ids(db_path)) == len(ids) + 5


def test_a_real_full_file_system_when_one_can_be_mounted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 200 KB tmpfs (root only; elsewhere the monkeypatched test above stands in for it)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k,mode=0700", "tmpfs",
                                            str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        db = mount / "store" / "briefings.json"
        write_text_files(tmp_path / "small", 3, prefix="small")
        assert cli(capsys, "--db", db, "ingest", tmp_path / "small")[0] == 0
        folder = tmp_path / "big"
        folder.mkdir()
        for i in range(200):
            (folder / f"{i}.txt").write_text(f"Readout {i}. " + "The Ministers of Hungary met. " * 30)
        before = db.read_bytes()
        code, _, err = cli(capsys, "--db", db, "ingest", folder)
        assert code == 1 and "No space left on device" in err
        assert db.read_bytes() == before and not temp_files(db) and not check_store(db)
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_read_only_store_folder_fails_cleanly(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    old, ids = two_version_store(db_path)
    write_text_files(tmp_path / "in", 3)
    files = files_of(db_path.parent)
    if os.geteuid() != 0:  # a real read-only folder (root ignores the mode)
        os.chmod(db_path.parent, 0o500)
    else:
        real = tempfile.mkstemp

        def read_only(*args, **kwargs):  # type: ignore[no-untyped-def]
            if Path(kwargs.get("dir") or "") == db_path.parent:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            return real(*args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", read_only)
    try:
        code, _, err = cli(capsys, "--db", db_path, "ingest", tmp_path / "in")
        assert code == 1 and "Permission denied" in err and str(db_path) in err
        assert cli(capsys, "--db", db_path, "list")[0] == 0  # reading still works
    finally:
        os.chmod(db_path.parent, 0o700)
    assert files_of(db_path.parent) == files and store_ids(db_path) == ids


def test_a_store_that_cannot_be_read_says_so(db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    two_version_store(db_path)
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == db_path:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, _, err = cli(capsys, "--db", db_path, "list")
    assert code == 1 and "permission denied" in err.lower()
    code, out, _ = cli(capsys, "--db", db_path, "doctor")
    assert code == 1 and "cannot be read" in out
    with pytest.raises(StoreError, match="nothing was changed"):
        repair_store(db_path)


def test_repair_keeps_user_tables_and_never_runs_beside_a_writer(db_path: Path) -> None:
    two_version_store(db_path)
    data = orjson.loads(db_path.read_bytes())
    data["notes"] = {"1": {"text": "a user's own note"}}
    key = next(iter(data["briefings"]))
    data["briefings"][key]["parties"] = "broken"
    db_path.write_bytes(orjson.dumps(data))
    assert any(p.severity == ERROR and p.key == key for p in check_store(db_path))
    store = Store(db_path)
    with store._write():  # a writer at work holds the lock: the repair waits for it, never interleaves
        with pytest.raises(StoreError, match="holds the store's lock"):
            repair_store(db_path, timeout=0.2)
    report = repair_store(db_path)
    assert report.dropped == 1
    assert orjson.loads(db_path.read_bytes())["notes"] == {"1": {"text": "a user's own note"}}
