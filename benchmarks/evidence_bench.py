"""Benchmark: the evidence engine on the shipped corpus (seeds + 2022–2024 documents).

Three timings, each beside a baseline measured in the same run:

* **ingest + index** every document into a fresh DuckDB store (target < 10 s); baseline:
  reading and tokenising the same files in plain Python with nothing stored;
* **search** p95 over a set of queries (target < 50 ms) against the plain-Python BM25
  (:func:`dyadscope.evidence.search.bm25_python`) over passages already in memory;
  the two must return the same passages with the same scores, or the run raises;
* **figures and voices** of every document (target < 5 s); baseline: reading the files.

The corpus is ``../shared/seeds`` and ``../shared/documents`` (``DYADSCOPE_SHARED`` to
point elsewhere); where they are absent, a synthetic corpus of the same size is written
to a temporary folder, so the benchmark still runs.  ``--quick`` runs fewer queries.

Run: ``python -m benchmarks evidence`` (``--quick`` for the smoke run).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dyadscope.data.store import Store
from dyadscope.evidence.analysis import figures_frame, voices_frame
from dyadscope.evidence.passages import tokenize
from dyadscope.evidence.search import bm25_python, search
from dyadscope.evidence.store import collect_paths, ingest

QUERIES = [
    "gas pipeline Power of Siberia",
    "settlements in national currencies",
    "defense industrial base support",
    "trade turnover 200 billion",
    "NATO summit China Russia",
    "joint statement February 2022",
    "arms sales military technology",
    "Central Asia influence competition",
    "sanctions evasion dual use goods",
    "border demarcation agreement",
    "energy contracts oil deliveries",
    "strategic partnership no limits",
]
TARGETS = {"ingest_s": 10.0, "search_p95_ms": 50.0, "figures_voices_s": 5.0}


def corpus() -> list[Path]:
    """The shared seeds and documents, or a synthetic stand-in of the same size."""
    shared = Path(os.environ.get("DYADSCOPE_SHARED") or Path(__file__).parents[2] / "shared")
    folders = [shared / "seeds", shared / "documents"]
    if all(f.is_dir() for f in folders):
        return folders
    rng = random.Random(7)
    words = [w for q in QUERIES for w in q.lower().split()] + [f"w{i}" for i in range(3000)]
    out = Path(tempfile.mkdtemp(prefix="evidence-bench-"))
    for d in range(15):
        lines = []
        for _ in range(550):
            lines.append(" ".join(rng.choice(words) for _ in range(14)) + ".")
            if rng.random() < 0.3:
                lines.append("")
        (out / f"doc{d:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"  (shared corpus absent: synthetic corpus in {out})")
    return [out]


def _plain_read(paths: list[Path]) -> int:
    n = 0
    for p in collect_paths(paths):
        n += len(tokenize(p.read_text(encoding="utf-8", errors="replace")))
    return n


def main(quick: bool = False) -> dict[str, Any]:
    """Run the three timings; raise if SQL BM25 and the baseline disagree."""
    folders = corpus()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        _plain_read(folders)
        base_ingest = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = ingest(folders, Path(tmp) / "ev.duckdb")
        ingest_s = time.perf_counter() - t0
        print(
            f"  ingest+index {len(report.added)} docs, {report.passages} passages: "
            f"{ingest_s:.2f} s (target < {TARGETS['ingest_s']} s); plain read+tokenise "
            f"{base_ingest:.2f} s ({ingest_s / base_ingest:.1f}x)"
        )
        results["ingest_s"] = ingest_s
        results["ingest_vs_plain_read"] = ingest_s / base_ingest

        with Store(Path(tmp) / "ev.duckdb", read_only=True) as db:
            rows = db.con.execute(
                "SELECT passage_id, file, line_start, text FROM evidence_passages"
            ).fetchall()
            place = {(f, a): pid for pid, f, a, _ in rows}
            in_memory = [(pid, tokenize(text)) for pid, _, _, text in rows]
            queries = QUERIES[:4] if quick else QUERIES * 3
            search(db, QUERIES[0])  # first query pays for planning; not timed
            sql_ms, py_ms = [], []
            for q in queries:
                t0 = time.perf_counter()
                got = search(db, q, top=10)
                sql_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                expected = bm25_python(in_memory, q, top=10)
                py_ms.append((time.perf_counter() - t0) * 1000)
                got_scores = sorted(round(s, 9) for s in got["score"])
                exp_scores = sorted(round(s, 9) for _, s in expected)
                assert got_scores == exp_scores, f"BM25 scores differ for {q!r}"
                got_ids = {place[(r.doc, r.line_start)] for r in got.itertuples()}
                ties = min(s for _, s in expected) if expected else 0.0
                assert {p for p, s in expected if s > ties} <= got_ids, f"passages differ: {q!r}"
        p95 = statistics.quantiles(sql_ms, n=20)[-1] if len(sql_ms) > 1 else sql_ms[0]
        p95_py = statistics.quantiles(py_ms, n=20)[-1] if len(py_ms) > 1 else py_ms[0]
        print(
            f"  search p95 over {len(queries)} queries: {p95:.1f} ms (target < "
            f"{TARGETS['search_p95_ms']} ms); plain-Python BM25 {p95_py:.1f} ms "
            f"({p95_py / p95:.1f}x faster); identical scores"
        )
        results["search_p95_ms"] = p95
        results["search_python_p95_ms"] = p95_py

    t0 = time.perf_counter()
    _plain_read(folders)
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_fig = len(figures_frame(folders))
    n_voice = len(voices_frame(folders))
    fv = time.perf_counter() - t0
    print(
        f"  figures ({n_fig}) and voices ({n_voice}) of every document: {fv:.2f} s "
        f"(target < {TARGETS['figures_voices_s']} s); plain read {base:.2f} s"
    )
    results["figures_voices_s"] = fv
    for key, target in TARGETS.items():
        mark = "met" if results[key] < target else "MISSED"
        print(f"  {key}: {results[key]:.3g} vs target {target:g}: {mark}")
    return results


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
