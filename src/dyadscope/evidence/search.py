"""BM25 search over passages, in DuckDB SQL over the term index.

DuckDB's ``fts`` extension is not bundled with the Python wheel: ``LOAD fts``
downloads it on first use, which an offline machine cannot do.  The ranking is
therefore written here in plain SQL over ``evidence_terms`` (one row per passage
and term, with its count) — the same Okapi BM25 the extension computes.  Each
ingest stores every (passage, term) weight in ``evidence_bm25``, so a query is one
filtered sum:

    score(p, q) = Σ_{t ∈ q} idf(t) · tf(t, p)·(k1 + 1) / (tf(t, p) + k1·(1 − b + b·|p|/avgdl))
    idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))

with ``k1 = 1.2``, ``b = 0.75``, ``N`` passages, ``df(t)`` passages holding ``t`` and
``avgdl`` the mean passage length in terms.  :func:`bm25_python` computes the same
thing in plain Python; the tests check the two agree and the benchmark times both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

import duckdb
import pandas as pd

from dyadscope.data.store import Store
from dyadscope.errors import InputError, MissingData
from dyadscope.evidence.passages import tokenize

__all__ = ["K1", "RESULT_COLUMNS", "B", "bm25_python", "search"]

K1 = 1.2
B = 0.75

RESULT_COLUMNS = ["doc", "line_start", "line_end", "score", "voice", "role", "date", "passage"]

#: Builds ``evidence_bm25``: each (passage, term) pair's BM25 weight, so that a query only
#: sums the weights of its terms.  Rebuilt after every ingest (N, df and avgdl change).
WEIGHTS_SQL = """
CREATE OR REPLACE TABLE evidence_bm25 AS
WITH stats AS (SELECT count(*)::DOUBLE AS n, avg(dl)::DOUBLE AS avgdl FROM evidence_passages),
df AS (SELECT term, count(*)::DOUBLE AS df FROM evidence_terms GROUP BY term)
SELECT t.term, t.passage_id,
       ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
       * t.tf * ($k1 + 1) / (t.tf + $k1 * (1 - $b + $b * p.dl / stats.avgdl)) AS w
FROM evidence_terms t
JOIN df ON t.term = df.term
JOIN evidence_passages p ON p.passage_id = t.passage_id
CROSS JOIN stats
ORDER BY t.term
"""

_SQL = """
WITH scored AS (
    SELECT passage_id, sum(w) AS score
    FROM evidence_bm25
    WHERE list_contains($terms, term)
    GROUP BY passage_id
)
SELECT p.file AS doc, p.line_start, p.line_end, s.score, p.voice, p.role,
       CAST(d.date AS VARCHAR) AS date, p.text AS passage
FROM scored s
JOIN evidence_passages p ON p.passage_id = s.passage_id
JOIN evidence_documents d ON d.doc_id = p.doc_id
WHERE ($doc IS NULL OR p.file = $doc OR d.doc_id = $doc)
  AND ($since IS NULL OR d.date >= $since)
ORDER BY s.score DESC, p.file, p.line_start
LIMIT $top
"""


def build_weights(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the ``evidence_bm25`` table from the term index (see :data:`WEIGHTS_SQL`)."""
    con.execute(WEIGHTS_SQL, {"k1": K1, "b": B})


def search(
    store: Store,
    query: str,
    *,
    top: int = 10,
    doc: str | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """The ``top`` passages best matching ``query`` (BM25), best first.

    ``doc`` keeps one document (file name or doc id); ``since`` keeps documents dated
    on or after it (undated documents are then left out).  Columns:
    :data:`RESULT_COLUMNS`.

    >>> from dyadscope.evidence.store import memory_index
    >>> search(memory_index(["../shared/documents"]), "gas pipeline", top=1)  # doctest: +SKIP
    """
    if top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    if not store.has("evidence_bm25"):
        raise MissingData(
            "the evidence store has no documents yet; ingest some first "
            "(dyadscope.evidence.ingest(paths, store_path))"
        )
    terms = sorted(set(tokenize(query)))
    if not terms:
        raise InputError(f"query {query!r} has no searchable words (only stop words or symbols)")
    if doc is not None:
        found = store.con.execute(
            "SELECT count(*) FROM evidence_documents WHERE file = ? OR doc_id = ?", [doc, doc]
        ).fetchone()
        if not found or not found[0]:
            raise InputError(f"doc {doc!r} is not in the evidence store; see its documents list")
    params = {"terms": terms, "doc": doc, "since": since, "top": top}
    return store.con.execute(_SQL, params).df()


def bm25_python(
    passages: Sequence[tuple[str, Sequence[str]]], query: str, top: int = 10
) -> list[tuple[str, float]]:
    """Plain-Python BM25 over ``(id, terms)`` pairs: the baseline the SQL is checked against.

    Worked example: two passages ``a = [gas, gas, oil]`` and ``b = [oil]``, query "gas".
    N = 2, df(gas) = 1, idf = ln(1 + 1.5/1.5) = ln 2; avgdl = 2, |a| = 3, tf = 2:
    2·2.2 / (2 + 1.2·(0.25 + 0.75·1.5)) = 4.4 / 3.65, times ln 2 = 0.8356.

    >>> pairs = [("a", ["gas", "gas", "oil"]), ("b", ["oil"])]
    >>> [(i, round(s, 4)) for i, s in bm25_python(pairs, "gas")]
    [('a', 0.8356)]
    """
    q = set(tokenize(query))
    n = len(passages)
    if not n or not q:
        return []
    avgdl = sum(len(t) for _, t in passages) / n
    counts = [(pid, Counter(terms), len(terms)) for pid, terms in passages]
    df = Counter(term for _, c, _ in counts for term in q if term in c)
    scores = []
    for pid, c, dl in counts:
        score = 0.0
        for term in q:
            tf = c.get(term, 0)
            if tf:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))
        if score > 0:
            scores.append((pid, score))
    scores.sort(key=lambda x: -x[1])
    return scores[:top]
