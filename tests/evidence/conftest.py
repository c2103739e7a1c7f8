"""Fixtures of the evidence tests: the shared documents folder, and an index of everything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dyadscope.data.store import Store
from dyadscope.evidence.store import memory_index

_SHARED = Path(os.environ.get("DYADSCOPE_SHARED") or Path(__file__).resolve().parents[3] / "shared")


@pytest.fixture(scope="session")
def documents_dir() -> Path:
    """The 2022–2024 public documents (Kremlin and White House texts)."""
    path = _SHARED / "documents"
    if not path.is_dir():
        pytest.skip(
            f"needs the 2022-2024 public documents at {path}, which are absent: put the "
            "project's shared/ folder beside the repository (or set DYADSCOPE_SHARED to it)"
        )
    return path


@pytest.fixture(scope="session")
def corpus(seeds_dir: Path, documents_dir: Path) -> Store:
    """Seeds and documents indexed in memory."""
    return memory_index([seeds_dir, documents_dir])
