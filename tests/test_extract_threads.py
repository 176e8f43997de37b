"""The per-document memo of store.extract.text is per thread: two threads may extract at once."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from store.document import Document
from store.extract import extract
from store.extract.text import begin_document, doc_cache, fold

_A = ("On 3 March 2025, Foreign Minister of Kazakhstan Murat Nurtleu met with Minister for Foreign Affairs "
      "of Japan Takeshi Iwaya in Tokyo. The ministers agreed to hold the next round of consultations in "
      "Astana in the first half of 2026. Energy cooperation and critical minerals were discussed.")
_B = ("В ходе переговоров Министр иностранных дел Казахстана Мурат Нуртлеу и Министр иностранных дел "
      "Венгрии Петер Сийярто договорились провести заседание межправительственной комиссии в ноябре 2025 года. "
      "Стороны обсудили энергетику и транспорт.")


def test_memo_belongs_to_the_thread_that_began_the_document() -> None:
    a, b = "Alpha text " * 3, "Beta text " * 3
    memo_a = begin_document(a)
    memo_a["mark"] = "a"
    seen: dict[str, object] = {}

    def other() -> None:
        memo_b = begin_document(b)
        memo_b["mark"] = "b"
        seen["b"] = doc_cache(b).get("mark")
        seen["a_here"] = doc_cache(a).get("mark")  # not this thread's document: a fresh dict

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == {"b": "b", "a_here": None}
    assert doc_cache(a).get("mark") == "a"  # the other thread did not replace this thread's memo
    assert fold(a) == a.lower()


def test_concurrent_extraction_gives_the_sequential_results() -> None:
    docs = [Document(path=Path(f"{i}.txt"), format="txt", text=(_A if i % 2 else _B) + f" Ref {i}.")
            for i in range(40)]
    expected = [extract(d) for d in docs]
    results: dict[int, list] = {0: [], 1: []}
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        def work(k: int) -> None:
            for _ in range(3):
                results[k].append([extract(d) for d in docs[k::2]])

        threads = [threading.Thread(target=work, args=(k,)) for k in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    for k in (0, 1):
        for run in results[k]:
            assert run == expected[k::2]
