"""Fixtures for the data-layer tests: the shared source file of each dataset."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from dyadscope.data.registry import get_adapter
from dyadscope.data.store import Provenance, Store

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


# VmHWM, the peak resident memory of this process image: ru_maxrss would not do, since
# Linux carries it over from the parent (pytest, often larger) across fork and exec.
_PEAK = """
import sys
from dyadscope.data.store import load_into
rows = load_into(sys.argv[1], sys.argv[2], sys.argv[3]).rows
with open("/proc/self/status") as fh:
    kib = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
print(rows, kib)
"""


def _peak_mib(dataset: str, file: Path, store: Path) -> tuple[int, float]:
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, dataset, str(file), str(store)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    rows, kib = done.stdout.split()
    return int(rows), int(kib) / 1024


@pytest.fixture(scope="session")
def peak_mib() -> Callable[[str, Path, Path], tuple[int, float]]:
    """``peak_mib(dataset, file, store)`` → (rows, peak MiB) of ``load_into`` in a fresh process."""
    return _peak_mib


def _whole_file_table(dataset: str, path: Path) -> pd.DataFrame:
    """The table as a whole-file load stores it: ``produce()`` (pandas), then replace_table."""
    adapter = get_adapter(dataset)
    frame = adapter.produce(path)
    with Store() as store:
        prov = Provenance(dataset, adapter.table.name, "", "", "", len(frame), None, None)
        store.replace_table(adapter.table.name, frame, adapter.table.columns, prov)
        return store.table(adapter.table.name)


@pytest.fixture(scope="session")
def whole_table() -> Callable[[str, Path], pd.DataFrame]:
    """``whole_table(dataset, path)`` → the table a whole-file (pandas) load stores."""
    return _whole_file_table
