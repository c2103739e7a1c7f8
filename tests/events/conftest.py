"""Fixtures of the events tests: the real GDELT files and a store built from them once."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadscope.events.ingest import ingest


@pytest.fixture(scope="session")
def gdelt_dir(shared_data: Path) -> Path:
    """The folder of real GDELT samples in ../shared/data."""
    return shared_data / "gdelt"


@pytest.fixture(scope="session")
def export_2_0(gdelt_dir: Path) -> Path:
    """GDELT 2.0 15-minute export, 2,111 events (MANIFEST.md §1)."""
    return gdelt_dir / "20191024143000.export.CSV"


@pytest.fixture(scope="session")
def reed_events(gdelt_dir: Path) -> Path:
    """GDELT 1.0 sample mixing 509 daily (58-field) and 201 backfile (57-field) lines."""
    return gdelt_dir / "gdelt1_reed9999" / "events.csv"


@pytest.fixture(scope="session")
def georgia(gdelt_dir: Path) -> Path:
    """BigQuery-style CSV-with-header extract, gzipped, 105,444 rows (MANIFEST.md §3)."""
    return gdelt_dir / "undp_georgia_gdelt1_2011_2013.csv.gz"


@pytest.fixture(scope="session")
def store_2_0(tmp_path_factory: pytest.TempPathFactory, export_2_0: Path) -> Path:
    """An events store holding only the GDELT 2.0 export (read-only for tests)."""
    store = tmp_path_factory.mktemp("store-2-0")
    ingest([export_2_0], store)
    return store
