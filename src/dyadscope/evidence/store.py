"""The evidence store: documents, passages and a term index in DuckDB.

Tables (all written in one transaction per ingest, so a bad file leaves the store
exactly as it was):

* ``evidence_documents`` — ``doc_id`` (SHA-256 of the file's bytes, 16 hex), ``file``,
  ``path``, ``format``, ``title``, ``issuer``, ``date``, ``url``, ``licence``, ``author``,
  ``n_lines``, ``sha256``, ``ingested_at``;
* ``evidence_passages`` — ``passage_id``, ``doc_id``, ``file``, ``line_start``,
  ``line_end``, ``voice``, ``role``, ``text``, ``dl`` (number of terms);
* ``evidence_voices`` — ``doc_id``, ``file``, ``line_start``, ``line_end``, ``voice``, ``role``;
* ``evidence_terms`` — ``passage_id``, ``term``, ``tf``: the inverted index BM25 reads.

Documents are keyed by file name (that is how a case cites them): ingesting a
file again with the same bytes changes nothing; with new bytes, its rows are
replaced.  Ids are content hashes, so they are the same on every machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dyadscope._sql import quote_identifier
from dyadscope.data.store import Store, default_store_path, open_for_writing
from dyadscope.errors import MissingData
from dyadscope.evidence.documents import (
    FORMATS,
    DocumentError,
    SourceDocument,
    read_document,
    read_metadata_json,
)
from dyadscope.evidence.passages import Passage, split_passages, tokenize
from dyadscope.evidence.search import build_weights
from dyadscope.evidence.voices import detect_voices

__all__ = [
    "IngestReport",
    "collect_paths",
    "default_evidence_store",
    "ensure_tables",
    "index_documents",
    "ingest",
    "load_documents",
    "memory_index",
    "open_evidence_store",
]

_DDL = (
    """CREATE TABLE IF NOT EXISTS evidence_documents (
        doc_id VARCHAR, file VARCHAR PRIMARY KEY, path VARCHAR, format VARCHAR,
        title VARCHAR, issuer VARCHAR, date DATE, url VARCHAR, licence VARCHAR,
        author VARCHAR, n_lines INTEGER, sha256 VARCHAR, ingested_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS evidence_passages (
        passage_id VARCHAR, doc_id VARCHAR, file VARCHAR, line_start INTEGER,
        line_end INTEGER, voice VARCHAR, role VARCHAR, text VARCHAR, dl INTEGER)""",
    """CREATE TABLE IF NOT EXISTS evidence_voices (
        doc_id VARCHAR, file VARCHAR, line_start INTEGER, line_end INTEGER,
        voice VARCHAR, role VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS evidence_terms (
        passage_id VARCHAR, term VARCHAR, tf INTEGER)""",
)


def default_evidence_store() -> Path:
    """``evidence.duckdb`` beside the default data store (``$DYADSCOPE_HOME`` when set)."""
    return default_store_path().with_name("evidence.duckdb")


def ensure_tables(store: Store) -> None:
    """Create the evidence tables if they are missing."""
    for ddl in _DDL:
        store.con.execute(ddl)


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did: files added, replaced (new bytes) and unchanged."""

    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    passages: int


def collect_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest: each file given, and the documents (known suffixes) of each folder.

    A missing path raises :class:`DocumentError`; ``MANIFEST.md``-style files in a
    folder are read like any Markdown document except ``metadata.json``, which is metadata.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in FORMATS and p.name.upper() != "MANIFEST.MD"
            )
        elif path.is_file():
            out.append(path)
        else:
            raise DocumentError(f"{path}: no such file or folder")
    seen: dict[str, Path] = {}
    for p in out:
        if p.name in seen and seen[p.name].resolve() != p.resolve():
            raise DocumentError(
                f"{p}: another file of the same name ({seen[p.name]}) is being ingested; "
                "documents are cited by file name, so names must be unique"
            )
        seen[p.name] = p
    return list(seen.values())


def load_documents(paths: Iterable[str | Path]) -> list[SourceDocument]:
    """Read every document of ``paths`` (metadata from each folder's ``metadata.json``)."""
    files = collect_paths(paths)
    meta_cache: dict[Path, dict[str, dict[str, Any]]] = {}
    docs = []
    for path in files:
        folder = path.parent
        if folder not in meta_cache:
            meta_cache[folder] = read_metadata_json(folder)
        docs.append(read_document(path, meta_cache[folder]))
    return docs


def _frames(
    docs: Sequence[SourceDocument],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    doc_rows, passage_rows, voice_rows, term_rows = [], [], [], []
    for doc in docs:
        spans = detect_voices(doc)
        doc_rows.append(
            {
                "doc_id": doc.doc_id,
                "file": doc.file,
                "path": doc.path,
                "format": doc.format,
                "title": doc.title,
                "issuer": doc.issuer,
                "date": doc.date,
                "url": doc.url,
                "licence": doc.licence,
                "author": doc.author,
                "n_lines": len(doc.lines),
                "sha256": doc.sha256,
                "ingested_at": now,
            }
        )
        voice_rows += [
            {
                "doc_id": doc.doc_id,
                "file": s.doc,
                "line_start": s.line_start,
                "line_end": s.line_end,
                "voice": s.voice,
                "role": s.role,
            }
            for s in spans
        ]
        passage: Passage
        for passage in split_passages(doc, spans):
            terms = Counter(tokenize(passage.text))
            passage_rows.append({**passage.__dict__, "dl": sum(terms.values())})
            term_rows += [
                {"passage_id": passage.passage_id, "term": t, "tf": n} for t, n in terms.items()
            ]
    cols = {
        "doc": list(_columns("evidence_documents")),
        "passage": list(_columns("evidence_passages")),
    }
    return (
        pd.DataFrame(doc_rows, columns=cols["doc"]),
        pd.DataFrame(passage_rows, columns=cols["passage"]),
        pd.DataFrame(
            voice_rows, columns=["doc_id", "file", "line_start", "line_end", "voice", "role"]
        ),
        pd.DataFrame(term_rows, columns=["passage_id", "term", "tf"]),
    )


def _columns(table: str) -> tuple[str, ...]:
    ddl = next(d for d in _DDL if f"EXISTS {table} " in d)
    body = ddl[ddl.index("(") + 1 : ddl.rindex(")")]
    return tuple(part.split()[0] for part in body.split(","))


def index_documents(store: Store, docs: Sequence[SourceDocument]) -> IngestReport:
    """Write ``docs`` into ``store`` in one transaction (the store must be writable)."""
    ensure_tables(store)
    known = dict(store.con.execute("SELECT file, doc_id FROM evidence_documents").fetchall())
    fresh = [d for d in docs if known.get(d.file) != d.doc_id]
    added = [d.file for d in fresh if d.file not in known]
    replaced = [d.file for d in fresh if d.file in known]
    unchanged = [d.file for d in docs if known.get(d.file) == d.doc_id]
    documents, passages, voices, terms = _frames(fresh)
    with store.transaction() as con:
        for name in replaced:
            old = known[name]
            con.execute(
                "DELETE FROM evidence_terms WHERE passage_id IN "
                "(SELECT passage_id FROM evidence_passages WHERE doc_id = ?)",
                [old],
            )
            for table in ("evidence_passages", "evidence_voices", "evidence_documents"):
                con.execute(f"DELETE FROM {quote_identifier(table)} WHERE file = ?", [name])
        for table, frame in (
            ("evidence_documents", documents),
            ("evidence_passages", passages),
            ("evidence_voices", voices),
            ("evidence_terms", terms),
        ):
            if len(frame):
                con.register("_ev_frame", frame)
                con.execute(
                    f"INSERT INTO {quote_identifier(table)} BY NAME SELECT * FROM _ev_frame"
                )
                con.unregister("_ev_frame")
        if fresh or not store.has("evidence_bm25"):
            build_weights(con)
    return IngestReport(added, replaced, unchanged, len(passages))


def ingest(paths: Iterable[str | Path], store_path: str | Path | None = None) -> IngestReport:
    """Read the documents at ``paths`` and index them into the store at ``store_path``.

    Every file is read and checked before the store is opened, and the write is one
    transaction: a bad file raises :class:`~dyadscope.evidence.documents.DocumentError`
    naming it, and the store is left unchanged.  ``store_path=None`` is
    :func:`default_evidence_store`.

    >>> ingest(["../shared/documents"], "evidence.duckdb").added[:1]  # doctest: +SKIP
    ['01_kremlin_2022-02-03_putin-article-xinhua-russia-china-future-oriented-partnership.txt']
    """
    docs = load_documents(paths)
    target = Path(store_path) if store_path is not None else default_evidence_store()
    with open_for_writing(target) as store:
        return index_documents(store, docs)


def memory_index(paths: Iterable[str | Path]) -> Store:
    """An in-memory store holding the documents of ``paths`` (for one-off queries, tests)."""
    store = Store()
    index_documents(store, load_documents(paths))
    return store


@contextlib.contextmanager
def open_evidence_store(path: str | Path | None = None) -> Iterator[Store]:
    """The evidence store at ``path`` (default :func:`default_evidence_store`), read-only.

    A store that does not exist raises :class:`~dyadscope.errors.MissingData` saying
    how to make one.
    """
    target = Path(path) if path is not None else default_evidence_store()
    if not target.is_file():
        raise MissingData(
            f"evidence store {target} does not exist; ingest documents into it first "
            "(dyadscope.evidence.ingest(paths, store_path))"
        )
    store = Store(target, read_only=True)
    try:
        yield store
    finally:
        store.close()
