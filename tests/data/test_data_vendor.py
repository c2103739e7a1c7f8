"""Vendored extracts: checksums and row counts match the manifest, and the tables equal
what the adapters produce from the real files in ../shared/data."""

from __future__ import annotations

import pandas as pd
import pytest

from dyadscope._io import sha256_file
from dyadscope.data.registry import adapters, get_adapter
from dyadscope.data.store import Store
from dyadscope.data.vendor_manifest import load_vendored, vendor_dir, vendored_files, verify
from dyadscope.errors import ChecksumMismatch

ENTRIES = vendored_files()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.file for e in ENTRIES])
def test_checksum_rows_and_columns_match_manifest(entry) -> None:
    assert sha256_file(entry.path) == entry.sha256
    if entry.file.endswith(".parquet"):
        frame = pd.read_parquet(entry.path)
    else:
        frame = pd.read_csv(entry.path, dtype=str, keep_default_na=False)
    assert len(frame) == entry.rows
    assert list(frame.columns) == entry.columns
    for field in ("source", "version", "citation", "licence"):
        assert getattr(entry, field) or entry.table is None, field


def test_every_vendored_adapter_has_a_file_and_alliances_have_none() -> None:
    vendored = {e.dataset for e in ENTRIES}
    for name, cls in adapters().items():
        assert (name in vendored) == cls.vendored, name
    assert not any("alliance_v4" in e.file or e.dataset == "cow_alliance" for e in ENTRIES)


@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if e.table], ids=[e.file for e in ENTRIES if e.table]
)
def test_vendored_table_equals_adapter_output(entry, shared_file) -> None:
    adapter = get_adapter(entry.dataset)
    with Store() as store:
        load_vendored(store)
        vendored = store.table(entry.table)
    with Store() as fresh:
        from dyadscope.data.registry import load_file

        load_file(entry.dataset, shared_file(entry.dataset), fresh)
        produced = fresh.table(adapter.table.name)
    pd.testing.assert_frame_equal(vendored, produced)
    first, last = adapter.coverage(produced)
    assert (entry.first_year, entry.last_year) == (first, last)


def test_tampered_file_is_refused(tmp_path, monkeypatch) -> None:
    entry = next(e for e in ENTRIES if e.table == "capitals")
    copy = tmp_path / entry.file
    copy.write_bytes(entry.path.read_bytes() + b"x")
    monkeypatch.setattr("dyadscope.data.vendor_manifest.vendor_dir", lambda: tmp_path)
    with pytest.raises(ChecksumMismatch, match="differs from the manifest"):
        verify(entry)


def test_vendor_readme_exists() -> None:
    assert (vendor_dir() / "README.md").is_file()
