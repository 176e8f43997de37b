"""Score the extractor on a gold folder without touching any store.

    python scripts/eval_dev.py [GOLD_DIR] [--lang en|ru|all] [--verbose]

Reads every document with store.ingest, extracts it, writes the records as JSON
Lines to a temp file and runs the shared scorer on them. This is the
developer's loop; `briefings ingest` + `briefings dump` give the same records.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.document import Document  # noqa: E402
from store.extract import extract  # noqa: E402


def read(path: Path) -> Document:
    try:
        from store.ingest import read_document
    except ImportError:  # readers not written yet: plain text only
        return Document(path=path, format=path.suffix.lstrip("."),
                        text=path.read_text(encoding="utf-8", errors="replace"))
    return read_document(path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    out = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    with out.open("w", encoding="utf-8") as fh:
        for path in sorted(args.gold_dir.iterdir()):
            if path.name.endswith(".gold.json") or not path.is_file():
                continue
            try:
                doc = read(path)
            except Exception as exc:  # a reader gap must not stop the score
                print(f"skip {path.name}: {exc}", file=sys.stderr)
                continue
            rec = extract(doc)
            rec["source_file"] = str(path)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    cmd = [sys.executable, str(args.gold_dir.parent / "score.py"), str(args.gold_dir), str(out), "--lang", args.lang]
    if args.verbose:
        cmd.append("--verbose")
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
