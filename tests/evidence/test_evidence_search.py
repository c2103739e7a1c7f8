"""Search: the SQL BM25 agrees with the plain-Python baseline; filters and errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadscope.cli import app
from dyadscope.data.store import Store
from dyadscope.errors import InputError
from dyadscope.evidence.passages import tokenize
from dyadscope.evidence.search import bm25_python, search


@pytest.mark.parametrize(
    "query", ["gas pipeline", "settlements in national currencies", "defense industrial base"]
)
def test_sql_bm25_matches_the_python_baseline(corpus: Store, query: str) -> None:
    rows = corpus.con.execute("SELECT passage_id, text FROM evidence_passages").fetchall()
    expected = bm25_python([(pid, tokenize(text)) for pid, text in rows], query, top=5)
    got = search(corpus, query, top=5)
    ids = corpus.con.execute(
        "SELECT file, line_start, passage_id FROM evidence_passages"
    ).fetchall()
    by_place = {(f, a): pid for f, a, pid in ids}
    got_ids = [by_place[(r.doc, r.line_start)] for r in got.itertuples()]
    assert got["score"].tolist() == pytest.approx([s for _, s in expected])
    assert set(got_ids) == {pid for pid, _ in expected}


def test_doc_and_since_filters(corpus: Store) -> None:
    since = search(corpus, "Russia China trade", top=50, since=dt.date(2023, 1, 1))
    assert len(since) and all(d >= "2023-01-01" for d in since["date"])
    one = search(
        corpus, "Russia", top=50, doc="06_kremlin_2022-06-15_putin-xi-telephone-conversation.txt"
    )
    assert set(one["doc"]) == {"06_kremlin_2022-06-15_putin-xi-telephone-conversation.txt"}


def test_bad_queries_are_named(corpus: Store) -> None:
    with pytest.raises(InputError, match="no searchable words"):
        search(corpus, "the of and")
    with pytest.raises(InputError, match=r"'nope\.txt' is not in the evidence store"):
        search(corpus, "gas", doc="nope.txt")


def test_cli_ingest_then_search(tmp_path: Path, seeds_dir: Path) -> None:
    store = tmp_path / "ev.duckdb"
    runner = CliRunner()
    result = runner.invoke(
        app, ["evidence", "ingest", str(seeds_dir), "--evidence-store", str(store)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "evidence",
            "search",
            "gas deal price",
            "--evidence-store",
            str(store),
            "--top",
            "3",
            "-f",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert header == "doc,line_start,line_end,score,voice,role,date,passage"
    assert len(result.output.strip().splitlines()) >= 4
    missing = runner.invoke(
        app, ["evidence", "search", "gas", "--evidence-store", str(tmp_path / "no.duckdb")]
    )
    assert missing.exit_code != 0
