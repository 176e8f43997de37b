"""Hostile files, hostile text, fuzzing, and privacy, end to end through `briefings`.

The readers' own guards are tested one by one in tests/test_ingest_formats.py;
here every hostile input goes through one `briefings ingest` batch, and what a
stored briefing can do to a terminal, the network and the disk is checked.
"""

from __future__ import annotations

import ast
import asyncio
import io
import os
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Document, open_store
from store.doctor import check_store
from store.errors import IngestError
from store.records import build_record, stored_fields
from store.spans import spans_as_lists
from tests.conftest import DEV, ROOT, write_text_files
from tests.ingest_fixtures import (
    article_page,
    email_bytes,
    encrypted_pdf_bytes,
    make_docx,
    pdf_bytes,
    zip_with_declared_size,
)
from tests.safety_support import start, store_ids
from tui.cli import main

MB = 1024 * 1024
EVIL_NAME = "evil\n\x1b]0;pwned\x07\x1b[2J.txt"
RED_NAME = "note\x1b[31mred.txt"


def malformed_mime_tree(parts: int) -> bytes:
    """10,000 parts, nested and broken: unclosed boundaries, bogus encodings, a part that lies."""
    head = ("From: desk@example.org\nSubject: =?utf-8?B?not base64!?=\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"OUTER\"\n\nPreamble text.\n")
    body = []
    for i in range(parts):
        if i % 100 == 0:
            body.append(f"--OUTER\nContent-Type: multipart/alternative; boundary=\"IN{i}\"\n\n")
            body.append(f"--IN{i}\nContent-Type: text/plain; charset=x-unknown\n"
                        f"Content-Transfer-Encoding: base64\n\n@@@ not base64 {i} @@@\n")
        else:
            body.append(f"--OUTER\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
                        f"part {i} =ZZ=\n")
    return (head + "".join(body)).encode()  # no closing boundary anywhere


def hostile_folder(folder: Path) -> dict[str, str | None]:
    """Write every hostile input; returns name -> the reason expected (None: it must be read)."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    (folder / "invalid-utf8.txt").write_bytes(b"Minister \xff\xfe\xc3\x28 met \xa0\xa1 the Ambassador "
                                              + bytes(range(0x80, 0x100)) * 3)
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * MB)  # sparse: reading it would cost 50 MB of memory, refusing it costs none
    marker = folder.parent / "script-ran"
    (folder / "page.html").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY a "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
        + f"]>\n<html><head><script>require('fs').writeFileSync('{marker}', 'x')</script></head>"
        "<body onload=\"alert(1)\"><p>Laughs: &i;</p><p>The Ministers of Hungary and Kazakhstan met in "
        "Budapest and agreed to expand cooperation.</p><script>document.write('injected')</script></body></html>")
    (folder / "mime-tree.eml").write_bytes(malformed_mime_tree(10_000))
    (folder / "bomb.docx").write_bytes(zip_with_declared_size(
        {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}, {"word/document.xml": 3 * 1024**3}))
    with zipfile.ZipFile(folder / "ratio-bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("word/document.xml", b"\0" * (24 * MB))
    (folder / "locked.pdf").write_bytes(encrypted_pdf_bytes(["Secret readout."], user_password="s3cret"))
    (folder / "scan.pdf").write_bytes(pdf_bytes([[]], image_only=True))
    loops = folder / "loops"
    loops.mkdir()
    (loops / "self").symlink_to(loops, target_is_directory=True)
    (loops / "a.txt").symlink_to(loops / "b.txt")
    (loops / "b.txt").symlink_to(loops / "a.txt")
    (folder / "secret.txt").write_text("A readout nobody may read.")
    (folder / EVIL_NAME).write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (folder / RED_NAME).write_text("A readout with a hostile file name: the Minister of Hungary met the Ambassador.")
    (folder / "good.txt").write_text("The Minister of Foreign Affairs of Hungary met the Ambassador of Kazakhstan.")
    return {
        "empty.txt": "empty: no text", "photo.txt": "binary data, not text",
        "huge.txt": "too large: 50 MB over the 20 MB limit", "page.html": None,
        "bomb.docx": "zip bomb", "ratio-bomb.docx": "zip bomb", "locked.pdf": "encrypted PDF",
        "scan.pdf": "scanned PDF with no text layer", "a.txt": "too many levels of symbolic links",
        "b.txt": "too many levels of symbolic links", "secret.txt": "cannot read: permission denied",
        EVIL_NAME: "binary data, not text", RED_NAME: None, "good.txt": None,
    }


def printable_name(name: str) -> str:
    from store.errors import printable

    return printable(name)


def test_one_batch_of_every_hostile_input(tmp_path: Path) -> None:
    """Each bad file: one line naming it (escaped); the batch goes on; memory stays bounded;
    nothing stored is harmed. `invalid-utf8.txt` and `mime-tree.eml` may be read or refused."""
    db = tmp_path / "store" / "briefings.json"
    write_text_files(tmp_path / "before", 5, prefix="before")
    open_store(db).add_files([tmp_path / "before"])
    before = store_ids(db)
    folder = tmp_path / "hostile"
    expected = hostile_folder(folder)
    # huge.txt is denied too: "too large" rather than "permission denied" proves it was never opened.
    run = start(db, "ingest", folder, options=("--rss", "--deny", str(folder / "secret.txt"),
                                               "--deny", str(folder / "huge.txt")),
                stderr_dir=tmp_path / "logs").read()
    err = run.error_text()
    out = "\n".join(run.lines)
    assert run.exit_code == 1, err
    assert "\x1b" not in err + out and "\x07" not in err + out

    failed = [line for line in err.splitlines() if line.startswith("failed: ")]
    summary = re.search(r"Added (\d+), unchanged 0, failed (\d+)", err)
    assert summary and int(summary[2]) == len(failed)
    for name, reason in expected.items():
        shown = [line for line in failed if f"/{printable_name(name)}: " in line]
        if reason is None:
            assert not shown, shown
        else:
            assert len(shown) == 1 and reason in shown[0], (name, shown)
    assert "hostile/evil\\n\\x1b]0;pwned\\x07\\x1b[2J.txt: binary data" in err

    # Memory: the peak RSS growth while reading each file (after every reader was warmed up).
    growth = {ast.literal_eval(line.split(" ")[1]): int(line.split(" ")[2]) // 1024 for line in run.lines
              if line.startswith("rss ")}
    assert growth["huge.txt"] < 5, growth  # refused by its size, never read
    assert max(growth.values()) < 120 and sum(growth.values()) < 200, growth

    store = open_store(db)
    assert before <= {r["id"] for r in store.all()} and not check_store(db)
    bodies = " ".join(r["body"] for r in store.all())
    assert "writeFileSync" not in bodies and "AAAAAAAAAA" not in bodies and "injected" not in bodies
    assert not (tmp_path / "script-ran").exists()
    assert int(summary[1]) >= 3  # good.txt, the hostile-named note, the page


def test_the_size_limit_is_configurable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "two-mb.txt"
    big.write_text("The Ministers met. " * (2 * MB // 19 + 1))
    code = main(["--db", str(tmp_path / "db.json"), "ingest", "--max-mb", "1", str(big)])
    assert code == 1 and "over the 1 MB limit" in capsys.readouterr().err


# -- a briefing can never drive the terminal ----------------------------------------------------
ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b[H", "\x9b2J", "\x1b]8;;http://x\x1b\\", "\x07"]


def hostile_store(db: Path) -> str:
    text = ("Readout \x1b]0;pwned\x07 of the meeting \x1b[2J\x1b[H: the Minister of Hungary met the Ambassador "
            "of Kazakhstan \x9b2J and discussed pwned \x1b]8;;http://x\x1b\\ links.")
    rec = build_record(Document(path=Path("/in/\x1b[31mred.txt"), format="txt", text=text,
                                title="Title \x1b]0;pwned\x07 \x1b[2J"))
    rec["title"] = "Hungary \x1b]0;pwned\x07 meeting \x1b[2J\x9b2J"
    rec["source"] = "Ministry \x1b[5m"
    open_store(db).add_records([rec])
    return rec["id"]


def test_list_show_search_and_stats_never_print_a_documents_escape_sequences(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.json"
    rid = hostile_store(db)
    commands = [["list"], ["show", rid[:6]], ["search", "pwned"], ["search", "hungary"], ["stats"],
                ["export", rid[:6], "--format", "txt"], ["export", rid[:6], "--format", "md"]]
    env = {**os.environ, "NO_COLOR": "1"}
    for args in commands:  # piped: plain text
        result = subprocess.run([sys.executable, "-m", "tui", "--db", str(db), *args], cwd=ROOT, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, (args, result.stderr)
        assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout, args
        assert "\x9b" not in result.stdout + result.stderr, args
    assert "pwned" in subprocess.run([sys.executable, "-m", "tui", "--db", str(db), "search", "pwned"], cwd=ROOT,
                                     env=env, capture_output=True, text=True).stdout
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal: rich's own styling only
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    for args in commands[:5]:
        assert main(["--db", str(db), *args]) == 0
        captured = capsys.readouterr()
        shown = captured.out + captured.err
        assert "\x1b[" in shown or args == ["stats"]  # it really was styled
        assert not [s for s in ESCAPES if s in shown], args
        assert not re.findall(r"\x1b(?!\[[0-9;]*m)", shown), args  # only colour (SGR) sequences


# -- fuzzing: the gaps test_ingest_formats / test_search / test_export leave ---------------------
def _valid_docx() -> bytes:
    buf = io.BytesIO()
    import docx

    document = docx.Document()
    document.add_paragraph("Ministers meet", style="Heading 1")
    document.add_paragraph("The Minister of Hungary met the Ambassador of Kazakhstan.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Side", "Head"
    document.save(buf)
    return buf.getvalue()


VALID_DOCX = _valid_docx()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_a_real_docx_gives_a_document_or_an_ingest_error(tmp_path_factory: pytest.TempPathFactory,
                                                               data: st.DataObject) -> None:
    """A valid Word file mutated: at the byte level, or inside its document.xml."""
    from store.ingest import read_document

    if data.draw(st.booleans(), label="mutate the XML inside the zip"):
        with zipfile.ZipFile(io.BytesIO(VALID_DOCX)) as archive:
            members = {n: archive.read(n) for n in archive.namelist()}
        xml = bytearray(members["word/document.xml"])
        for _ in range(data.draw(st.integers(1, 6), label="xml flips")):
            xml[data.draw(st.integers(0, len(xml) - 1))] = data.draw(st.sampled_from(b'<>&"/\x00wx; '))
        members["word/document.xml"] = bytes(xml[: data.draw(st.integers(1, len(xml)), label="xml cut")])
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, raw in members.items():
                archive.writestr(name, raw)
        payload = buf.getvalue()
    else:
        raw = bytearray(VALID_DOCX)
        for _ in range(data.draw(st.integers(1, 8), label="flips")):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        payload = bytes(raw[: data.draw(st.integers(1, len(raw)), label="cut")])
    path = tmp_path_factory.mktemp("docx") / "f.docx"
    path.write_bytes(payload)
    try:
        doc = read_document(path)
    except IngestError as exc:
        assert exc.reason and "\n" not in exc.reason
        assert not exc.reason.startswith("cannot read docx file:"), exc.reason  # a library error let through
    else:
        assert doc.text.strip() and "\x1b" not in doc.text


QUERY_PIECES = st.sampled_from(list('abhnuKZ:"()-|*\\\'.,<>=0123456789 ') + [
    "OR ", "NOT ", "AND ", "c:", "t:", "p:", "date:", "due:", "after:", "before:", "has:", "is:", "org:",
    "source:", "location:", "person:", "party:", "theme:", "country:(", "date:2025-01..", "..", "\x00", "\n",
    "\x1b[2J", "hungary", "pwned", "-c:HU", "c:HU,KZ", "date:>=", "🇭🇺", "ı", "ß", "Ё"])


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> object:
    from tests.test_tui_support import fixture_records

    db = tmp_path_factory.mktemp("fuzz") / "db.json"
    hostile_store(db)
    store = open_store(db)
    store.add_records(fixture_records())
    store.add_records([build_record(Document(path=Path("/x.txt"), format="txt", text=t))
                       for t in ("x", "Ё" * 50, "2025-01-01 2026", "(((", '"', "c: HU")])
    return store


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(query=st.one_of(st.lists(QUERY_PIECES, max_size=14).map("".join), st.text(max_size=50)))
def test_fuzz_store_search_hits_accepts_any_query_or_raises_query_error(fuzz_store: object, query: str) -> None:
    from store.search import QueryError

    try:
        hits = fuzz_store.search_hits(query, limit=5)  # type: ignore[attr-defined]
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for hit in hits:
        for text, spans in ((hit.record["body"], hit.body_spans), (hit.snippet, hit.snippet_spans)):
            assert all(0 <= s <= e <= len(text) for s, e in spans)


# -- privacy ------------------------------------------------------------------------------------
def _formats_folder(folder: Path) -> Path:
    """One small file of every format, for the offline run."""
    folder.mkdir()
    (folder / "a.txt").write_text("The Minister of Hungary met the Ambassador of Kazakhstan in Astana.")
    (folder / "b.md").write_text("---\ntitle: A note\ndate: 2025-03-01\n---\nThe delegations met in Budapest.")
    (folder / "c.html").write_text(article_page())
    (folder / "d.eml").write_bytes(email_bytes("The Minister of Hungary met the Ambassador.", subject="Readout"))
    (folder / "e.pdf").write_bytes(pdf_bytes([["The Ministers met in Astana on 3 June 2024."]], title="Readout"))
    make_docx(folder / "f.docx", [("Heading 1", "Cable"), ("Normal", "The Ambassador met the Minister.")])
    return folder


class NetworkUsed(AssertionError):
    pass


def _no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to reach another host raises, and is recorded.

    Creating a socket is allowed (urllib3, imported by trafilatura, probes IPv6
    support by binding one to ::1 at import; asyncio uses local socketpairs):
    connecting, sending, binding to a non-loopback address and name lookups are not.
    """
    attempts: list[str] = []
    real_socket = socket.socket

    def local(address: object) -> bool:
        host = address[0] if isinstance(address, tuple) and address else address
        return isinstance(host, str) and host in ("::1", "127.0.0.1", "localhost", "")

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def _refuse(self, what: str, address: object) -> None:
            attempts.append(f"{what}({address!r})")
            raise NetworkUsed(f"network {what} to {address!r}")

        def connect(self, address: object) -> None:
            if self.family != socket.AF_UNIX:
                self._refuse("connect", address)
            super().connect(address)

        def connect_ex(self, address: object) -> int:
            if self.family != socket.AF_UNIX:
                self._refuse("connect_ex", address)
            return super().connect_ex(address)

        def sendto(self, data: bytes, *args: object) -> int:
            if self.family != socket.AF_UNIX:
                self._refuse("sendto", args[-1])
            return super().sendto(data, *args)  # type: ignore[arg-type]

        def bind(self, address: object) -> None:
            if self.family != socket.AF_UNIX and not local(address):
                self._refuse("bind", address)
            super().bind(address)

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def guarded(*args, **kwargs):  # type: ignore[no-untyped-def]
            attempts.append(f"{name}{args[:1]}")
            raise NetworkUsed(f"socket.{name} was called")
        return guarded

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "getfqdn",
                 "gethostbyaddr"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_no_network_anywhere_ingest_every_format_and_the_dev_set_commands_and_the_app(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Also: every stored briefing exports in every format, and its JSON export reads back as it."""
    from store.export import FORMATS, export_to

    attempts = _no_network(monkeypatch)
    db = tmp_path / "db.json"
    assert main(["--db", str(db), "ingest", str(_formats_folder(tmp_path / "formats")), str(DEV)]) == 0
    rid = open_store(db).all()[0]["id"]
    for args in (["list"], ["show", rid], ["search", "hungary"], ["search", "c:HU date:2025"], ["stats"],
                 ["dump"], ["doctor"], ["reextract"], ["export", rid, "--format", "md"]):
        assert main(["--db", str(db), *args]) == 0, args
    capsys.readouterr()
    store = open_store(db)
    out = tmp_path / "exports"
    for rec in store.all():
        for fmt in FORMATS:
            path = export_to(rec, fmt, folder=out)
            assert path.stat().st_size and (path.stat().st_mode & 0o777) == 0o600
            if fmt == "json":
                # The documented format (spans as pairs), which stores back as exactly the record.
                back = orjson.loads(path.read_bytes())
                assert back == spans_as_lists(rec) and stored_fields(back) == rec
    try:
        from tui.app import BriefingsApp
    except ImportError:  # the app is being written; the store and the CLI were still checked offline
        BriefingsApp = None  # type: ignore[assignment, misc]
    if BriefingsApp is not None:
        async def drive() -> None:
            app = BriefingsApp(store, export_dir=out)
            async with app.run_test(size=(100, 30)) as pilot:
                for key in ("j", "j", "k", "slash", "h", "u", "n", "enter", "escape", "q"):
                    await pilot.press(key)
                    await pilot.pause()

        asyncio.run(drive())
    assert attempts == []


SITECUSTOMIZE = '''
import os, socket
_marker = os.environ["BRIEFINGS_NET_MARKER"]
def _record(what):
    with open(_marker, "a") as fh:
        fh.write(f"{what} in process {os.getpid()}\\n")
    raise OSError("network disabled by the test")
class _Guarded(socket.socket):
    def connect(self, address):
        if self.family != socket.AF_UNIX:
            _record(f"connect {address!r}")
        return super().connect(address)
    def connect_ex(self, address):
        if self.family != socket.AF_UNIX:
            _record(f"connect {address!r}")
        return super().connect_ex(address)
    def sendto(self, data, *args):
        if self.family != socket.AF_UNIX:
            _record(f"sendto {args[-1]!r}")
        return super().sendto(data, *args)
def _lookup(*args, **kwargs):
    _record(f"lookup {args[:1]!r}")
socket.socket = _Guarded
socket.create_connection = socket.getaddrinfo = socket.gethostbyname = _lookup
'''


def test_nothing_is_written_outside_the_store_the_exports_and_temp_and_workers_stay_offline(tmp_path: Path) -> None:
    """A fresh HOME, a 250-file ingest (the parallel pipeline's worker processes too), an export:
    the only new files are the store's (0700 folder, 0600 files) and the export (0600)."""
    home, cwd, temp, guard = (tmp_path / n for n in ("home", "cwd", "tmp", "guard"))
    for folder in (home, cwd, temp, guard):
        folder.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    marker = tmp_path / "network-attempts"
    inputs = tmp_path / "inputs"
    write_text_files(inputs, 250, prefix="bulk")
    _formats_folder(inputs / "formats")
    sources_before = sorted(p.relative_to(inputs) for p in inputs.rglob("*"))
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "TMPDIR": str(temp), "NO_COLOR": "1",
           "PYTHONPATH": f"{guard}{os.pathsep}{ROOT}", "BRIEFINGS_NET_MARKER": str(marker),
           "PYTHONDONTWRITEBYTECODE": "1"}

    def briefings(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tui", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=300)

    result = briefings("ingest", str(inputs))
    assert result.returncode == 0, result.stderr
    rid = briefings("list").stdout.split("\t", 1)[0]
    assert briefings("export", rid, "--format", "docx").returncode == 0
    assert briefings("export", rid, "--format", "md", "--output", str(cwd / "note.md")).returncode == 0
    assert briefings("doctor").returncode == 0
    assert not marker.exists(), marker.read_text()

    data = home / ".local" / "share" / "briefings"
    created = sorted(p for p in home.rglob("*") if p.is_file())
    exports = [p for p in created if "Briefings exports" in str(p)]
    assert len(exports) == 1 and (exports[0].stat().st_mode & 0o777) == 0o600
    index = data / "briefings.json.index"  # the search index ingest leaves ready: the texts' words
    indexed = [p for p in created if index in p.parents]
    stored = [p for p in created if p not in exports and p not in indexed]
    assert {p.name for p in stored} <= {"briefings.json", "briefings.json.bak", "briefings.json.lock"}
    assert all(p.parent == data and (p.stat().st_mode & 0o777) == 0o600 for p in stored)
    assert indexed and all(p.parent == index and (p.stat().st_mode & 0o777) == 0o600 for p in indexed)
    assert (data.stat().st_mode & 0o777) == 0o700 and (index.stat().st_mode & 0o777) == 0o700
    assert [p.name for p in cwd.iterdir()] == ["note.md"] and (cwd / "note.md").stat().st_mode & 0o777 == 0o600
    assert sorted(p.relative_to(inputs) for p in inputs.rglob("*")) == sources_before
    assert not [p for p in temp.rglob("*") if p.is_file()]


# -- the source never does the dangerous things ---------------------------------------------------
BANNED_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "telnetlib", "ftplib"}
BANNED_CALLS = {"eval", "exec", "compile", "__import__"}
BANNED_ATTRS = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execl"), ("yaml", "load"),
                ("pickle", "loads"), ("subprocess", "getoutput"), ("subprocess", "getstatusoutput")}


def _sources() -> list[Path]:
    return sorted(p for package in ("store", "tui") for p in (ROOT / package).rglob("*.py"))


def test_no_pickle_eval_exec_os_system_or_shell_true_in_store_and_tui() -> None:
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = lambda node: f"{path.relative_to(ROOT)}:{node.lineno}"  # noqa: E731
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [where(node) for a in node.names if a.name.split(".")[0] in BANNED_MODULES]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in BANNED_MODULES:
                found.append(where(node))
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in BANNED_CALLS:
                    found.append(f"{where(node)} {func.id}()")
                if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                        and (func.value.id, func.attr) in BANNED_ATTRS):
                    found.append(f"{where(node)} {func.value.id}.{func.attr}()")
                for kw in node.keywords:
                    if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                        found.append(f"{where(node)} shell=")
    assert found == []
    assert len(_sources()) > 20


def test_the_app_writes_only_through_store_methods() -> None:
    """tui/ never reaches under the Store (its TinyDB, its storage, the file) to write a stale copy."""
    found = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"_db", "_storage", "_raw_table", "_write",
                                                                  "_replace_atomically"}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                found += [f"{path.relative_to(ROOT)}:{node.lineno} import {n}" for n in names
                          if n.split(".")[0] == "tinydb" or n == "store.storage"]
    assert found == []
