"""Ingest: metadata, stable ids, idempotence, and a bad file leaving the store unchanged."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from pathlib import Path

import pytest

from dyadscope.data.store import Store
from dyadscope.evidence.documents import DocumentError, MissingExtra, read_document, reflow
from dyadscope.evidence.store import ingest

#: A White House transcript of 2 April 2024 (its long name repeats its URL, which the
#: copy checker would read as copied text, so it is found by its date).
WH_2024 = "wh_2024-04-02-*.md"
KREMLIN = "06_kremlin_2022-06-15_putin-xi-telephone-conversation.txt"


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with Store(path, read_only=True) as db:
        return db.con.execute(sql).fetchall()


def test_front_matter_and_metadata_json_fill_the_document_fields(documents_dir: Path) -> None:
    from dyadscope.evidence.documents import read_metadata_json

    meta = read_metadata_json(documents_dir)
    (md_path,) = documents_dir.glob(WH_2024)
    md = read_document(md_path, meta)
    assert md.date is not None and md.date.isoformat() == "2024-04-02"
    assert md.url is not None and md.url.startswith("https://")
    kremlin = read_document(documents_dir / KREMLIN, meta)
    assert kremlin.licence is not None and "CC BY 4.0" in kremlin.licence
    assert kremlin.date is not None and kremlin.date.isoformat() == "2022-06-15"
    # the id is the content hash, whatever the machine
    digest = hashlib.sha256((documents_dir / KREMLIN).read_bytes()).hexdigest()
    assert kremlin.doc_id == digest[:16]
    # front matter lines still count: numbering is the file's own
    assert len(md.lines) == len(md_path.read_text(encoding="utf-8").split("\n")) - 1


def test_ingest_is_idempotent_and_replaces_a_changed_file(tmp_path: Path, seeds_dir: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(seeds_dir, docs)
    store = tmp_path / "ev.duckdb"
    first = ingest([docs], store)
    assert len(first.added) == 5 and first.passages > 0
    count = _rows(store, "SELECT count(*) FROM evidence_passages")
    second = ingest([docs], store)
    assert second.added == [] and second.replaced == [] and len(second.unchanged) == 5
    assert _rows(store, "SELECT count(*) FROM evidence_passages") == count
    target = docs / "003_0fe4a5da522352d7.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nA closing line.\n", encoding="utf-8")
    third = ingest([docs], store)
    assert third.replaced == ["003_0fe4a5da522352d7.txt"]
    assert _rows(store, "SELECT count(DISTINCT doc_id) FROM evidence_passages") == [(5,)]


def test_a_bad_file_names_itself_and_leaves_the_store_unchanged(
    tmp_path: Path, seeds_dir: Path
) -> None:
    store = tmp_path / "ev.duckdb"
    ingest([seeds_dir / "000_523e34e02eb78b2b.txt"], store)
    before = _rows(store, "SELECT file, doc_id FROM evidence_documents ORDER BY file")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine line\n\xff\xfe broken\n")
    with pytest.raises(DocumentError, match=r"bad\.txt: line 2: not UTF-8"):
        ingest([seeds_dir / "003_0fe4a5da522352d7.txt", bad], store)
    assert _rows(store, "SELECT file, doc_id FROM evidence_documents ORDER BY file") == before


def test_malformed_front_matter_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"x\.md: .*malformed front matter"):
        read_document(path)


@pytest.mark.skipif(importlib.util.find_spec("trafilatura") is not None, reason="extra installed")
def test_html_without_the_extra_names_it(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Text</p></body></html>", encoding="utf-8")
    with pytest.raises(MissingExtra, match=r"page\.html: .*'documents' extra"):
        read_document(path)


@pytest.mark.skipif(importlib.util.find_spec("pypdf") is not None, reason="extra installed")
def test_pdf_without_the_extra_names_it(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(MissingExtra, match=r"paper\.pdf: .*'documents' extra"):
        read_document(path)


def test_reflow_mends_hyphenated_line_ends_only_before_lower_case() -> None:
    assert reflow(["Sino-", "Russian ties", "re-", "flowed"]) == "Sino- Russian ties reflowed"


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(DocumentError, match=r"sheet\.xlsx: unknown document format"):
        read_document(path)


def test_markdown_front_matter_without_metadata_json(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: A note\ndate: 2024-01-02\nsource_url: https://example.org/n\n---\nBody.\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert (doc.title, doc.url, doc.lines[-1]) == ("A note", "https://example.org/n", "Body.")
    assert doc.date is not None and doc.date.isoformat() == "2024-01-02"
