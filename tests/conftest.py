"""Fixtures shared by the whole test suite (the isolated home is in ../conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from dyadscope.data.store import Store, vendored_store

# Rich reads the terminal width once, when the CLI's consoles are created: fix it before
# any test module imports the CLI, so table layout does not depend on where CI runs.
# (Messages never wrap at any width; see dyadscope.cli._common.)
os.environ["COLUMNS"] = "120"

# Property tests draw the same examples on every run, so CI cannot turn red by chance;
# `HYPOTHESIS_PROFILE=explore` searches afresh (a property test found the COW 1948
# CHN-USA share above 1 that way) and keeps no example database either.
settings.register_profile("dyadscope", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dyadscope"))

REPO = Path(__file__).resolve().parent.parent
#: The real public data beside the repository. ``DYADSCOPE_SHARED`` points the tests at
#: another copy (or at a missing folder, to check that the rest of the suite passes
#: without it); the product itself never reads it.
SHARED = Path(os.environ.get("DYADSCOPE_SHARED") or REPO.parent / "shared")


def _shared_folder(name: str, what: str) -> Path:
    """``SHARED / name``, or skip the test that needs it, saying what is missing."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(
            f"needs {what} at {path}, which is absent: put the project's shared/ folder "
            "beside the repository (or set DYADSCOPE_SHARED to it)"
        )
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public datasets beside the repository (tests only; never the product)."""
    return _shared_folder("data", "the real datasets")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed documents the Russia–China case cites."""
    return _shared_folder("seeds", "the seed documents")


@pytest.fixture(scope="session")
def documents_dir() -> Path:
    """The 2022–2024 public documents (Kremlin and White House texts) the case also cites."""
    return _shared_folder("documents", "the 2022-2024 public documents")


@pytest.fixture(scope="session")
def shared_tools() -> Path:
    """The project's shared checkers (``seed_copy_check.py``)."""
    return _shared_folder("tools", "the shared checkers")


@pytest.fixture(scope="session")
def store() -> Store:
    """Every vendored extract in one in-memory store (read-only use in the tests)."""
    return vendored_store()


@pytest.fixture
def make_store() -> Callable[..., Store]:
    """Build an in-memory store from ``table=frame`` pairs (hand-worked examples)."""

    def build(**tables: pd.DataFrame) -> Store:
        s = Store()
        for name, frame in tables.items():
            s.con.register("_frame", frame)
            s.con.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")
            s.con.unregister("_frame")
        return s

    return build
