"""A `briefings` process the safety tests can stop at an exact point, kill, or resume.

    python tests/safety_child.py [--chunk N] [--stop-at K] [--deny PATH] [--rss] -- ARGS...

runs ``briefings ARGS...`` (``tui.cli.main``) in this process with the store's
file operations instrumented. Every step that matters to crash safety is an
*event*, printed as one line on stdout before it happens (``ev N KIND``):

    file            one input file read and extracted (the progress callback)
    mkstemp         the temp file was just created (empty)
    write-half      half of the store's bytes are in the temp file
    fsync-file      the temp file is about to be fsynced
    link            the old store is about to be hard-linked for the .bak
    replace-bak     the .bak is about to be replaced
    replace-store   the temp file is about to be renamed over the store
    replaced-store  ... and has been: this chunk is committed
    fsync-dir       the folder is about to be fsynced

Before each ``Store.add_records`` call the child prints ``chunk ID,ID,...``.
With ``--stop-at K`` the child prints ``stop K KIND`` at event K and waits for
a line on stdin: the test then SIGKILLs it there (a crash at exactly that
point) or sends a line to let it go on (a writer paused mid-write). No sleeps:
the kill point is chosen by count, so every run is reproducible.

``--chunk`` lowers ``store.db.WRITE_CHUNK`` so that writes land often;
``--deny PATH`` makes opening PATH fail with EACCES (tests run as root, where
chmod cannot); ``--rss`` prints the peak-RSS growth of each file
(``rss NAME KB``) after warming up every reader. ``--loop-until T --loop-dir D
--tag X`` (a stress writer) ingests fresh batches of 20 files until time T.
"""

from __future__ import annotations

import argparse
import builtins
import errno
import os
import resource
import stat
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_counter = 0
_stop_at = 0
_temp_fds: set[int] = set()


def event(kind: str) -> None:
    global _counter
    _counter += 1
    sys.stdout.write(f"ev {_counter} {kind}\n")
    if _counter == _stop_at:
        sys.stdout.write(f"stop {_counter} {kind}\n")
        sys.stdout.flush()
        sys.stdin.readline()  # killed here, or told to go on
    sys.stdout.flush()


def instrument(store_path: Path, *, events: bool = True) -> None:
    import store.db

    real_add_records = store.db.Store.add_records
    real_add_files = store.db.Store.add_files

    def add_records(self, records):  # type: ignore[no-untyped-def]
        sys.stdout.write("chunk " + ",".join(r["id"] for r in records) + "\n")
        sys.stdout.flush()
        return real_add_records(self, records)

    def add_files(self, paths, *, progress=None, max_bytes=None):  # type: ignore[no-untyped-def]
        def on_file(path, outcome):  # type: ignore[no-untyped-def]
            event("file")
            if progress:
                progress(path, outcome)

        return real_add_files(self, paths, progress=on_file, max_bytes=max_bytes)

    store.db.Store.add_records = add_records  # type: ignore[method-assign]
    if not events:
        return
    store.db.Store.add_files = add_files  # type: ignore[method-assign]
    real_mkstemp, real_write, real_fsync = tempfile.mkstemp, os.write, os.fsync
    real_link, real_replace = os.link, os.replace

    def mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        fd, name = real_mkstemp(*args, **kwargs)
        if Path(name).parent == store_path.parent:
            _temp_fds.add(fd)
            event("mkstemp")
        return fd, name

    def write(fd, data):  # type: ignore[no-untyped-def]
        if fd in _temp_fds and len(data) > 1:
            # A partial write, as the kernel may do: half now, then a crash point.
            half = len(data) // 2
            done = real_write(fd, data[:half])
            _temp_fds.discard(fd)
            event("write-half")
            return done
        return real_write(fd, data)

    def fsync(fd):  # type: ignore[no-untyped-def]
        event("fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync-file")
        return real_fsync(fd)

    def link(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        event("link")
        return real_link(src, dst, *args, **kwargs)

    def replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        target = "store" if Path(dst) == store_path else "bak" if str(dst).endswith(".bak") else "other"
        event(f"replace-{target}")
        result = real_replace(src, dst, *args, **kwargs)
        if target == "store":
            event("replaced-store")
        return result

    tempfile.mkstemp, os.write, os.fsync, os.link, os.replace = mkstemp, write, fsync, link, replace


def deny(path: Path) -> None:
    real_open = builtins.open

    def denying_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    builtins.open = denying_open


def track_rss() -> None:
    """Import and exercise every reader first, then report each file's peak-RSS growth."""
    import psutil

    import store.db
    from store.ingest import read_document

    warm = Path(tempfile.mkdtemp())
    sys.path.insert(0, str(ROOT / "tests"))
    from ingest_fixtures import article_page, email_bytes, make_docx, pdf_bytes

    (warm / "a.txt").write_text("Warm-up text about Hungary and Kazakhstan.")
    (warm / "a.md").write_text("# Warm-up\n\nText about Hungary.")
    (warm / "a.html").write_text(article_page())
    (warm / "a.eml").write_bytes(email_bytes("Warm-up body text about Hungary."))
    (warm / "a.pdf").write_bytes(pdf_bytes([["Warm-up text on a page about Hungary."]], title="T"))
    make_docx(warm / "a.docx", [("Normal", "Warm-up text about Hungary.")])
    from store.records import build_record

    for f in sorted(warm.iterdir()):
        build_record(read_document(f))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write(f"rss-start {psutil.Process().memory_info().rss // 1024}\n")
    real_add_files = store.db.Store.add_files

    def add_files(self, paths, *, progress=None, max_bytes=None):  # type: ignore[no-untyped-def]
        peak = [before]

        def on_file(path, outcome):  # type: ignore[no-untyped-def]
            now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            sys.stdout.write(f"rss {ascii(Path(path).name)} {now - peak[0]}\n")
            peak[0] = now
            if progress:
                progress(path, outcome)

        return real_add_files(self, paths, progress=on_file, max_bytes=max_bytes)

    store.db.Store.add_files = add_files  # type: ignore[method-assign]


def loop_writer(db: str, folder: Path, tag: str, until: float) -> int:
    """Ingest fresh 20-file batches until ``until``; print what was added."""
    from tui.cli import main

    batch = 0
    while time.time() < until:
        target = folder / f"{tag}-{batch:05d}"
        target.mkdir(parents=True)
        for i in range(20):
            (target / f"{i:02d}.txt").write_text(
                f"Stress readout {tag} batch {batch} item {i}\n\nThe Ambassador of Kazakhstan met the "
                f"Minister of Hungary about item {i} of batch {batch} ({tag}).\n", encoding="utf-8")
        code = main(["--db", db, "ingest", str(target)])
        if code != 0:
            return code
        batch += 1
    sys.stdout.write(f"batches {batch}\n")
    return 0


def reader_loop(db: Path, stop: Path) -> int:
    """Read, search and reopen until ``stop`` exists; the count of briefings may only grow."""
    from store import open_store
    from store.records import STORED_FIELDS

    store = open_store(db)
    last = iterations = 0
    while not stop.exists():
        records = store.all()
        assert len(records) >= last, f"the reader saw {len(records)} briefings after {last}"
        assert not store.skipped_records, store.skipped_records
        last = len(records)
        for rec in records[:50]:
            assert all(k in rec for k in STORED_FIELDS), rec.get("id")
        store.search_hits("hungary kazakhstan", limit=5)
        if iterations % 5 == 0:
            # A fresh open tries to clean temp files: it must never touch a live writer's.
            fresh = open_store(db)
            assert len(fresh.all()) >= last
        iterations += 1
    sys.stdout.write(f"reader {iterations} {last}\n")
    return 0


def main() -> int:
    global _stop_at
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunk", type=int, default=None)
    parser.add_argument("--stop-at", type=int, default=0)
    parser.add_argument("--deny", type=Path, action="append", default=[])
    parser.add_argument("--rss", action="store_true")
    parser.add_argument("--no-events", action="store_true", help="only the chunk lines (a plain writer)")
    parser.add_argument("--reader", type=Path, default=None, help="read and search in a loop until this file exists")
    parser.add_argument("--loop-until", type=float, default=None)
    parser.add_argument("--loop-dir", type=Path, default=None)
    parser.add_argument("--tag", default="w")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    opts = parser.parse_args()
    args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
    _stop_at = opts.stop_at
    import store.db

    if opts.chunk:
        store.db.WRITE_CHUNK = opts.chunk
        store.db.WRITE_CHUNK_STORE_FRACTION = 0.0  # fixed-size chunks: the harness counts them
    db = Path(args[args.index("--db") + 1]).absolute()
    instrument(db, events=not opts.no_events)
    for path in opts.deny:
        deny(path.absolute())
    if opts.rss:
        track_rss()
    sys.stdout.write("started\n")
    sys.stdout.flush()
    if opts.reader is not None:
        code = reader_loop(db, opts.reader)
    elif opts.loop_until is not None:
        code = loop_writer(str(db), opts.loop_dir, opts.tag, opts.loop_until)
    else:
        from tui.cli import main as cli_main

        code = cli_main(args)
    sys.stdout.write(f"done {code}\n")
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
