"""Documents cited by a short key plus a checksum: one locator for every reader of a case."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dyadscope.case import validate_data
from dyadscope.case.locate import DocumentLocator, checksums_of
from dyadscope.errors import DocumentNotFound

Data = dict[str, Any]
ProblemsOf = Callable[..., list[str]]

#: Worked example of the module docstring: the bytes b"hi\n" (``printf 'hi\n' | md5sum``).
HI_MD5 = "764efa883dda1e11db47671c4a3bbd9e"
ZERO_MD5 = "0" * 32


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a-long-archived-name.txt").write_bytes(b"hi\n")
    (tmp_path / "other.txt").write_bytes(b"something else\n")
    return tmp_path


def test_worked_example_checksum() -> None:
    assert hashlib.md5(b"hi\n").hexdigest() == HI_MD5


def test_a_name_without_checksum_is_found_by_name(folder: Path) -> None:
    assert DocumentLocator([folder]).locate("other.txt") == folder / "other.txt"


def test_a_key_with_md5_is_found_by_content(folder: Path) -> None:
    found = DocumentLocator([folder]).locate("short.txt", md5=HI_MD5.upper())
    assert found.name == "a-long-archived-name.txt"


def test_a_key_with_sha256_is_found_by_content(folder: Path) -> None:
    sha = hashlib.sha256(b"hi\n").hexdigest()
    assert DocumentLocator([folder]).locate("k.txt", sha256=sha).name == "a-long-archived-name.txt"


def test_both_checksums_must_match(folder: Path) -> None:
    with pytest.raises(DocumentNotFound):
        DocumentLocator([folder]).locate("k.txt", md5=HI_MD5, sha256="f" * 64)


def test_no_match_names_the_key_and_the_checksum(folder: Path) -> None:
    with pytest.raises(DocumentNotFound) as err:
        DocumentLocator([folder]).locate("nato.md", md5=ZERO_MD5)
    message = str(err.value)
    assert "'nato.md'" in message and f"md5 {ZERO_MD5}" in message and str(folder) in message


def test_a_same_named_file_with_other_bytes_is_a_mismatch(folder: Path) -> None:
    with pytest.raises(DocumentNotFound) as err:
        DocumentLocator([folder]).locate("other.txt", md5=ZERO_MD5)
    message = str(err.value)
    actual = checksums_of(folder / "other.txt").md5
    assert f"has md5 {actual}, not md5 {ZERO_MD5}" in message and "'other.txt'" in message


def test_content_wins_over_a_same_named_file(folder: Path) -> None:
    """A key that is also the name of another file resolves to the file with the bytes."""
    found = DocumentLocator([folder]).locate("other.txt", md5=HI_MD5)
    assert found.name == "a-long-archived-name.txt"


def test_folders_are_searched_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    (second / "x.txt").write_bytes(b"hi\n")
    assert DocumentLocator([first, second]).locate("key.txt", md5=HI_MD5) == second / "x.txt"


def test_validation_reads_a_keyed_document_by_checksum(
    minimal_data: Data, fixture_docs: Path, tmp_path: Path, problems_of: ProblemsOf
) -> None:
    for name in ("field_notes.txt", "ministry_bulletin.txt"):
        (tmp_path / f"archived-{name}").write_bytes((fixture_docs / name).read_bytes())
    md5s = {n: checksums_of(fixture_docs / n).md5 for n in ("field_notes.txt",)}
    minimal_data["documents"][0]["md5"] = md5s["field_notes.txt"]
    minimal_data["documents"][1]["md5"] = ZERO_MD5
    assert problems_of(minimal_data, tmp_path) == [
        f"documents[1].file: document 'ministry_bulletin.txt' (md5 {ZERO_MD5}) is not in "
        f"{tmp_path}: no file has that name or that checksum; add the file, or correct the "
        "document's checksum"
    ]


def test_cited_lines_of_a_keyed_document_are_checked(
    minimal_data: Data, fixture_docs: Path, tmp_path: Path, problems_of: ProblemsOf
) -> None:
    for name in ("field_notes.txt", "ministry_bulletin.txt"):
        (tmp_path / f"archived-{name}").write_bytes((fixture_docs / name).read_bytes())
    minimal_data["documents"][0]["md5"] = checksums_of(fixture_docs / "field_notes.txt").md5
    minimal_data["documents"][1]["md5"] = checksums_of(fixture_docs / "ministry_bulletin.txt").md5
    validate_data(minimal_data, docs_dir=tmp_path)  # both found by content
    n = len((fixture_docs / "field_notes.txt").read_text(encoding="utf-8").splitlines())
    minimal_data["factors"][0]["evidence"][0]["lines"] = f"{n + 1}"
    problems = problems_of(minimal_data, tmp_path)
    assert len(problems) == 1
    assert f"are outside 'field_notes.txt', which has {n} lines" in problems[0]


def test_a_malformed_checksum_is_a_schema_problem(
    minimal_data: Data, problems_of: ProblemsOf
) -> None:
    minimal_data["documents"][0]["md5"] = "not-hex"
    problems = problems_of(minimal_data)
    assert len(problems) == 1
    assert problems[0].startswith("documents[0].md5") and "32 hex digits" in problems[0]
