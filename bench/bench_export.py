"""Export benchmark: one briefing in every format, median of repeated runs (target < 100 ms each).

    python bench/bench_export.py

Registered in bench/run.py as the "export" section; ``sizes`` (corpus sizes)
does not apply: exporting is per briefing, measured for a ~3 KB and a ~200 KB one.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth import generate  # noqa: E402

TARGET_MS = 100.0
REPEAT = 15


def _spans(body: str, needle: str) -> str:
    from store.spans import encode_spans

    return encode_spans([m.start(), m.end()] for m in re.finditer(re.escape(needle), body))  # as stored


def record_of(text: str, name: str = "synthetic.txt") -> dict:
    from store.document import Document
    from store.records import build_record

    rec = build_record(Document(path=Path(name), format="txt", text=text))
    if not rec.get("parties"):
        # Until the extractor finds them, give the record the highlights a real one has:
        # every mention of the two officials bold, every follow-up sentence italic.
        names = re.findall(r"(?:of [A-Z][\w ]*? )([A-Z]\w+ [A-Z][\w-]+) (?:meets|\(ref)", text.split("\n")[0])
        rec["parties"] = [{"name": n, "role": "Minister", "country": "HU", "spans": _spans(text, n.split()[-1])}
                          for n in names]
        sentences = [m for m in re.finditer(r"[^.\n]*(?:agreed|invited|readiness|decided)[^.\n]*\.", text)]
        rec["commitments"] = [{"text": m.group().strip(), "actors": ["HU", "KZ"], "due": "2026-06",
                               "spans": f"{m.start()}-{m.end()}"} for m in sentences]
        rec["themes"] = rec.get("themes") or [{"id": "legal-cooperation", "spans": ""},
                                              {"id": "trade-investment", "spans": ""}]
    return rec


def briefing_of_size(kb: int) -> str:
    """Synthetic briefings joined until the text reaches ``kb`` kilobytes."""
    parts, size = [], 0
    for _, text in generate(10_000, seed=23):
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size >= kb * 1024:
            break
    return "\n".join(parts)


def _median_ms(fn, repeat: int = REPEAT) -> float:
    fn()  # warm caches (country and theme tables, python-docx template)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(sizes: list[int]) -> None:
    """Print per-format median milliseconds to render and to write one briefing."""
    from store.export import FORMATS, export_to, render

    print("\n== Export: one briefing, every format (median of %d)" % REPEAT)
    cases = [("3 KB", record_of(briefing_of_size(3)[:3200])), ("200 KB", record_of(briefing_of_size(200)))]
    with tempfile.TemporaryDirectory() as tmp:
        for label, rec in cases:
            kb = len(rec["body"].encode("utf-8")) / 1024
            for fmt in FORMATS:
                render_ms = _median_ms(lambda: render(rec, fmt))
                target = Path(tmp) / f"note.{fmt}"
                write_ms = _median_ms(lambda: export_to(rec, fmt, path=target, force=True))
                verdict = "ok" if write_ms < TARGET_MS else "SLOW"
                print(f"  {label} ({kb:.0f} KB) {fmt:<5} render {render_ms:7.1f} ms   render+write "
                      f"{write_ms:7.1f} ms   target < {TARGET_MS:.0f} ms  {verdict}")


if __name__ == "__main__":
    run([])
