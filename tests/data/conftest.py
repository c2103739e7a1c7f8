"""Fixtures for the data-layer tests: the shared source file of each dataset."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from dyadscope.data.store import Store

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def vendor_script() -> ModuleType:
    """``scripts/vendor_data.py`` as a module (it holds the dataset → shared file map)."""
    spec = importlib.util.spec_from_file_location(
        "vendor_data", REPO / "scripts" / "vendor_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def shared_file(shared_data: Path, vendor_script: ModuleType):
    """``shared_file("nmc")`` → the real file in ../shared/data the nmc extract is made from."""

    def lookup(dataset: str) -> Path:
        return shared_data / vendor_script.SOURCES[dataset][0]

    return lookup


@pytest.fixture()
def store() -> Store:
    """A fresh in-memory store."""
    with Store() as db:
        yield db
