"""The `briefings` command line as a person uses it: exit codes, summaries, plain output when piped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEV, ROOT, SEED, write_text_files
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ingest_a_folder_skips_other_types_and_says_how_many(tmp_path: Path, db_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    write_text_files(folder, 3)
    (folder / "notes.gold.json").write_text("{}")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    code, _, err = run(capsys, "--db", db_path, "ingest", folder)
    assert code == 0
    assert "Added 3, unchanged 0, failed 0" in err
    assert "skipped 2 files of types not read" in err


def test_ingest_leaves_the_search_index_ready_for_the_next_search(tmp_path: Path, db_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from store import open_store

    folder = tmp_path / "in"
    write_text_files(folder, 3)
    assert run(capsys, "--db", db_path, "ingest", folder)[0] == 0
    later = open_store(db_path)
    assert len(later.search_hits("", limit=10)) == 3
    index = later._search_index
    assert index.opened_from_disk and index.documents_added == 0  # nothing left to build


def test_reingest_adds_nothing_and_says_so(tmp_path: Path, db_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    write_text_files(folder, 2)
    run(capsys, "--db", db_path, "ingest", folder)
    code, _, err = run(capsys, "--db", db_path, "ingest", folder)
    assert code == 0
    assert "Added 0, unchanged 2, failed 0" in err
    assert "already in the store" in err


def test_bad_files_are_named_with_reasons_and_the_batch_goes_on(tmp_path: Path, db_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    write_text_files(folder, 2)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    unsupported = tmp_path / "table.csv"
    unsupported.write_text("a,b")
    code, _, err = run(capsys, "--db", db_path, "ingest", folder, unsupported)
    assert code == 1
    assert "Added 2, unchanged 0, failed 3" in err
    assert f"{folder / 'empty.txt'}: empty" in err
    assert f"{folder / 'binary.txt'}: binary data" in err
    assert f"{unsupported}: unsupported file type .csv" in err


def test_usage_error_exits_2(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db_path), "frobnicate"])
    assert exc.value.code == 2


def test_list_show_search_export_and_stats_on_the_seed(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", db_path, "ingest", SEED)
    code, out, _ = run(capsys, "--db", db_path, "list", "--json")
    listing = json.loads(out)
    assert code == 0 and len(listing) == 1
    rid = listing[0]["id"]
    assert listing[0]["title"].startswith("A meeting was held between Ambassador of Kazakhstan")

    code, out, _ = run(capsys, "--db", db_path, "show", rid[:5])
    assert code == 0
    assert "Gábor Bálint Nagy" in out and "mutual legal assistance" in out

    code, out, _ = run(capsys, "--db", db_path, "show", rid[:5], "--json")
    full = json.loads(out)
    assert full["body"].startswith("A meeting was held") and full["content_sha256"].startswith(rid)
    assert full["source_file"] == str(SEED.absolute())

    code, out, _ = run(capsys, "--db", db_path, "search", "prosecution", "--json")
    assert [h["id"] for h in json.loads(out)] == [rid]

    code, out, _ = run(capsys, "--db", db_path, "export", rid[:6])
    assert code == 0 and out.startswith("# A meeting was held")

    code, out, _ = run(capsys, "--db", db_path, "stats")
    assert code == 0 and "1 briefings" in out


def test_unknown_id_is_a_clear_error(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", db_path, "show", "deadbeef")
    assert code == 1
    assert "no briefing has the id 'deadbeef'" in err


def test_piped_output_is_plain_tab_separated_lines(db_path: Path, tmp_path: Path) -> None:
    write_text_files(tmp_path / "in", 2)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-m", "tui", "--db", str(db_path), "ingest", str(tmp_path / "in")],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-m", "tui", "--db", str(db_path), "list"], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True)
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(len(line.split("\t")) == 4 for line in lines)
    assert "\x1b[" not in result.stdout


def test_dump_of_the_dev_set_has_one_record_per_document_and_no_page_chrome(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", db_path, "ingest", DEV)
    assert code == 0, err
    documents = [p for p in DEV.iterdir() if not p.name.endswith(".gold.json")]
    assert f"Added {len(documents)}, unchanged 0, failed 0" in err
    code, out, _ = run(capsys, "--db", db_path, "dump")
    records = [json.loads(line) for line in out.splitlines()]
    assert sorted(Path(r["source_file"]).name for r in records) == sorted(p.name for p in documents)
    for rec in records:
        assert len(rec["body"]) > 300, rec["source_file"]
        if rec["format"] == "html":
            lowered = rec["body"].lower()
            assert "cookie" not in lowered and "all rights reserved" not in lowered, rec["source_file"]


def test_python_m_tui_help_works() -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "ingest" in result.stdout
