"""Fixtures of the evidence tests: an index of the seeds and the 2022–2024 documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadscope.data.store import Store
from dyadscope.evidence.store import memory_index


@pytest.fixture(scope="session")
def corpus(seeds_dir: Path, documents_dir: Path) -> Store:
    """Seeds and documents indexed in memory."""
    return memory_index([seeds_dir, documents_dir])
