"""Search benchmark: the engine against SQLite FTS5 on the same synthetic briefings.

    python bench/bench_search.py [--sizes 10000,100000]     (or run(sizes) from bench/run.py)

Records are made directly from bench/synth.py's texts, without the
extractor (which would take minutes at 100,000): the title is the first line,
parties and countries are read back from the generator's fixed title pattern
("{role} of {country} {given family} meets …"), the date from its "On {day}
{month} {year}" sentence, themes from which of its theme sentences occur,
commitments from its commitment templates. That gives every field the index
uses, shaped as the extractor shapes it, in about a second per 10,000.

For each size, one process builds our index and an FTS5 table (stdlib
sqlite3, ``tokenize="unicode61 remove_diacritics 2"``, columns title, body,
parties, countries) over the same texts, then times each query REPEAT times:
ours is ``SearchIndex.search_hits`` (parse, sync check, rank, top 50 with
snippets and spans), FTS5's is ``MATCH … ORDER BY bm25 LIMIT 50`` with
``snippet()``, rows fetched. Two pairs of columns: "ranked" is what a
keystroke in the app costs (hits ranked; snippets and spans are computed
lazily, when a hit is shown) against FTS5 without ``snippet()``; "+snip"
materialises the snippet and spans of all 50 hits, against FTS5 with
``snippet()``. Build time and memory (RSS delta after build, GC'd) are
printed with the targets; so is the load average, since other work on a
2-core machine moves every figure.
"""

from __future__ import annotations

import gc
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth import COMMITMENTS, COUNTRIES, FAMILY, THEME_SENTENCES, generate  # noqa: E402

REPEAT = 40
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
THEME_OF_SENTENCE = ["trade-investment", "energy-resources", "transport-logistics", "legal-cooperation",
                     "anti-corruption", "digital-technology", "education-science", "culture-humanitarian",
                     "environment-climate", "agriculture-food", "consular-migration", "multilateral",
                     "regional-security", "health"]
_NAMES = "|".join(re.escape(c) for c, _, _ in COUNTRIES)
_TITLE = re.compile(rf"(?P<r1>.+?) of (?P<c1>{_NAMES}) (?P<n1>\S+ \S+) meets (?P<r2>.+?) of (?P<c2>{_NAMES}) "
                    r"(?P<n2>\S+ \S+) \(ref")
_DATE = re.compile(r"On (\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})")
_THEME_KEYS = [s.split("{")[0][:60] for s in THEME_SENTENCES]
_COMMIT_KEYS = [(c.split("{")[0][:40] or c[6:40]) for c in COMMITMENTS]


def synthetic_records(count: int) -> list[dict]:
    from store.search.lookup import resolve_country

    codes = {name: resolve_country(name) for name, _, _ in COUNTRIES}
    out = []
    for i, (name, text) in enumerate(generate(count)):
        title = text.split("\n", 1)[0]
        m = _TITLE.match(title)
        parties = []
        if m:
            parties = [{"name": m["n1"], "role": m["r1"], "country": codes[m["c1"]], "spans": ""},
                       {"name": m["n2"], "role": m["r2"], "country": codes[m["c2"]], "spans": ""}]
        d = _DATE.search(text)
        date = f"{d[3]}-{MONTHS.index(d[2]) + 1:02d}-{int(d[1]):02d}" if d else None
        themes = [{"id": t, "spans": ""} for key, t in zip(_THEME_KEYS, THEME_OF_SENTENCE) if key in text]
        commitments = []
        for key in _COMMIT_KEYS:
            if key in text:
                due = f"{int(date[:4]) + 1}" if date else None
                commitments.append({"text": key, "actors": [], "due": due, "spans": ""})
        out.append({"id": f"{i:012x}", "title": title, "date": date, "source": "Ministry of Foreign Affairs",
                     "location": None, "body": text, "parties": parties, "people": [],
                     "countries": sorted({p["country"] for p in parties if p["country"]}),
                     "organizations": [], "themes": sorted(themes, key=lambda t: t["id"]),
                     "commitments": commitments})
    out.sort(key=lambda r: r["date"] or "", reverse=True)
    return out


def rss_mb() -> float:
    """Resident memory, after handing freed heap back to the system (glibc keeps it otherwise,
    and the index writer's buffers, freed after the build, would count as index memory)."""
    import psutil

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    return psutil.Process().memory_info().rss / 1e6


def fts5_table(records: list[dict]) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.execute('CREATE VIRTUAL TABLE t USING fts5(title, body, parties, countries, '
                'tokenize="unicode61 remove_diacritics 2")')
    con.executemany("INSERT INTO t(rowid, title, body, parties, countries) VALUES (?, ?, ?, ?, ?)",
                    ((i, r["title"], r["body"], " ; ".join(p["name"] for p in r["parties"]),
                      " ".join(r["countries"])) for i, r in enumerate(records)))
    con.commit()
    return con


def timed(fn, repeat: int = REPEAT) -> tuple[float, float]:
    fn()  # warm: lazily built vocab buckets, sqlite page cache
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]


def queries(records: list[dict]) -> list[tuple[str, str, str]]:
    """(label, our query, FTS5 query), chosen from the corpus so the frequencies are as labelled."""
    surnames = Counter(w for r in records[:5000] for p in r["parties"] for w in p["name"].split()[-1:])
    rare = min((n for n in FAMILY if surnames[n]), key=lambda n: surnames[n])
    words = Counter()
    sample = records[:2000]
    for cand in ("roadmap", "forum", "intergovernmental", "candidacies", "pharmaceuticals", "extradition"):
        words[cand] = sum(cand in r["body"].lower() for r in sample)
    mid = min(words, key=lambda w: abs(words[w] / len(sample) - 0.35))
    return [
        ("rare surname", rare, rare),
        ("accent-less name", "kovacs", "kovacs"),
        (f"mid-frequency theme word ({mid})", mid, mid),
        ("word in nearly every briefing", "ministry", "ministry"),
        ("two-word phrase", '"legal assistance"', '"legal assistance"'),
        ("fielded: party:nagy c:hungary", "party:nagy c:hungary", "parties:nagy AND countries:HU"),
        ("4-letter prefix (last word)", "sapa", "sapa*"),
    ]


def run(sizes: list[int]) -> None:
    from store.search.index import SearchIndex

    import os

    print("\n== Search (issue search): our index vs SQLite FTS5, top 50")
    print(f"  load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for count in sizes:
        start = time.perf_counter()
        records = synthetic_records(count)
        print(f"  {count:,} synthetic briefings ({sum(len(r['body']) for r in records) / 1e6:.0f} MB of text, "
              f"records made in {time.perf_counter() - start:.1f} s)")
        gc.collect()
        before = rss_mb()
        start, cpu_start = time.perf_counter(), time.process_time()
        index = SearchIndex()
        index.sync(records)
        build = time.perf_counter() - start
        build_cpu = time.process_time() - cpu_start
        gc.collect()
        memory = rss_mb() - before
        target_build = "target ≤ 1 s" if count <= 10_000 else ""
        target_mem = "target ≤ 100 MB" if count <= 10_000 else ""
        print(f"  {'index build (wall)':<44}{build:>10.2f} s   {target_build}")
        print(f"  {'index build (CPU, all threads)':<44}{build_cpu:>10.2f} s")
        print(f"  {'index memory (RSS delta)':<44}{memory:>10.0f} MB  {target_mem}")
        start = time.perf_counter()
        con = fts5_table(records)
        print(f"  {'FTS5 build (for comparison)':<44}{time.perf_counter() - start:>10.2f} s")
        start = time.perf_counter()
        index.sync(records[1:])
        index.sync(records)
        print(f"  {'sync: drop one record, add it back':<44}{(time.perf_counter() - start) * 1000:>10.1f} ms")
        p95_target = 10.0 if count <= 10_000 else 80.0
        sql_snip = ("SELECT rowid, snippet(t, 1, '[', ']', '…', 16) FROM t WHERE t MATCH ? "
                    "ORDER BY bm25(t, 3.0, 1.0, 3.0, 1.0) LIMIT 50")
        sql_rank = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 3.0, 1.0, 3.0, 1.0) LIMIT 50"

        def ranked(q: str) -> list:
            return index.search_hits(records, q, limit=50)

        def with_snippets(q: str) -> list:
            hits = index.search_hits(records, q, limit=50)
            for h in hits:
                h.snippet, h.body_spans, h.title_spans  # noqa: B018 - materialise every snippet
            return hits

        print(f"  {'query (ms; ratio = ours / FTS5 medians)':<40}{'ranked':>8}{'p95':>7}{'FTS5':>7}{'ratio':>6}"
              f"{'+snip':>8}{'p95':>7}{'FTS5':>7}{'ratio':>6}{'hits':>6}  target p95 ≤ {p95_target:.0f} ms"
              + (", ≤ 1.5× FTS5" if count <= 10_000 else ""))
        for label, ours, theirs in queries(records):
            n_hits = len(ranked(ours))
            med, p95 = timed(lambda: ranked(ours))
            fmed, _ = timed(lambda: con.execute(sql_rank, (theirs,)).fetchall())
            smed, sp95 = timed(lambda: with_snippets(ours))
            fsmed, _ = timed(lambda: con.execute(sql_snip, (theirs,)).fetchall())
            r1, r2 = med / fmed, smed / fsmed
            ok = sp95 <= p95_target and (count > 10_000 or r2 <= 1.5)
            print(f"  {label:<40}{med:>8.2f}{p95:>7.2f}{fmed:>7.2f}{r1:>6.2f}{smed:>8.2f}{sp95:>7.2f}{fsmed:>7.2f}"
                  f"{r2:>6.2f}{n_hits:>6}  {'ok' if ok else 'MISS'}")
        con.close()
        del index, records, con
        gc.collect()


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    run([int(s) for s in ap.parse_args().sizes.split(",")])
