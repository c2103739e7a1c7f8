"""Fixtures for the theory tests: the vendored store and tiny hand-made stores."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from dyadscope.data.store import Store, vendored_store


@pytest.fixture(scope="session")
def store() -> Store:
    """Every vendored extract in one in-memory store (read-only use in the tests)."""
    return vendored_store()


@pytest.fixture
def make_store() -> Callable[..., Store]:
    """Build an in-memory store from ``table=frame`` pairs (constructed examples)."""

    def build(**tables: pd.DataFrame) -> Store:
        s = Store()
        for name, frame in tables.items():
            s.con.register("_frame", frame)
            s.con.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")
            s.con.unregister("_frame")
        return s

    return build
