"""Reproductions of the data-layer defects a probe found (issue 9), one test per defect.

Each test reproduces the probe's recipe on a small scale and asserts the behaviour the
fix guarantees; each failed before its fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

from dyadscope.data.registry import load_file
from dyadscope.data.store import Store, load_into, open_for_writing
from dyadscope.errors import SchemaError, StoreError

HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
GOOD = HEADER + "365,2010,1,2,3,4,5,6,0.04\n710,2010,1,2,3,4,5,6,0.2\n"


def _tables(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(r[0] for r in con.execute("SHOW TABLES").fetchall())


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dyadscope", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
    )


# --- 1. two first loads at once -------------------------------------------------------


def test_concurrent_first_loads_keep_the_store(tmp_path: Path, shared_data: Path) -> None:
    """Probe: two first ``data load`` runs into one new store; the loser deleted the store.

    Now the second run waits for the first (a lock beside the store), so both succeed and
    the store holds both tables; two rounds, since the race is timing-dependent.
    """
    cow = shared_data / "cow"
    for round_ in range(2):
        target = tmp_path / f"n{round_}.duckdb"
        runs = [
            _cli("data", "load", "nmc", "--file", str(cow / "cow_nmc_v7.csv"), "--store", str(target)),  # noqa: E501
            _cli(
                "data", "load", "cow_trade_national",
                "--file", str(cow / "cow_trade_v4_national.csv"), "--store", str(target),
            ),
        ]  # fmt: skip
        outputs = [(run.wait(timeout=120), run.stdout.read()) for run in runs if run.stdout]
        for code, text in outputs:
            assert code == 0, text
        assert target.is_file()
        assert _tables(target) == ["_provenance", "cow_trade_national", "nmc"]


def test_busy_store_is_a_clear_error_and_is_not_deleted(tmp_path: Path) -> None:
    """While another process writes (holds the lock), a load waits, then fails cleanly."""
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    target = tmp_path / "busy.duckdb"
    with FileLock(str(target) + ".lock"):
        with pytest.raises(StoreError, match=r"busy\.duckdb is busy"):
            load_into("nmc", good, target, lock_timeout=0.2)
        assert not target.exists()
    load_into("nmc", good, target)
    assert _tables(target) == ["_provenance", "nmc"]


def test_failed_first_load_from_python_leaves_no_file(tmp_path: Path) -> None:
    """Issue 10: the cleanup lives in the library, so Python callers get it too."""
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "365,2010,x,2,3,4,5,6,0.04\n")
    target = tmp_path / "sub" / "new.duckdb"
    with pytest.raises(SchemaError, match="'x' is not a number"):
        load_into("nmc", bad, target)
    assert sorted(p.name for p in target.parent.iterdir() if p.suffix != ".lock") == []


def test_failed_load_never_deletes_an_existing_store(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(HEADER + "365,2010,x,2,3,4,5,6,0.04\n")
    target = tmp_path / "kept.duckdb"
    with Store(target) as db:  # created by someone else, outside open_for_writing
        load_file("nmc", good, db)
    with pytest.raises(SchemaError):
        load_into("nmc", bad, target)
    with open_for_writing(target) as db:
        assert len(db.table("nmc")) == 2
