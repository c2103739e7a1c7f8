"""The DuckDB store: provenance, default location, transactions, the vendored store."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from dyadscope.data.registry import load_file
from dyadscope.data.store import (
    PROVENANCE_COLUMNS,
    Provenance,
    Store,
    default_store_path,
    vendored_store,
)
from dyadscope.errors import DyadscopeError, MissingData


def test_default_store_path_follows_dyadscope_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DYADSCOPE_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "dyadscope.duckdb"


def test_default_store_path_without_home_uses_user_data_dir(monkeypatch) -> None:
    monkeypatch.delenv("DYADSCOPE_HOME")
    path = default_store_path()
    assert path.name == "dyadscope.duckdb"
    assert "dyadscope" in path.parent.as_posix()


def test_empty_store() -> None:
    with Store() as store:
        assert store.tables() == []
        assert not store.has("nmc")
        assert tuple(store.provenance().columns) == PROVENANCE_COLUMNS
        with pytest.raises(MissingData, match="'nmc' is not in"):
            store.table("nmc")


def test_file_store_persists_tables_and_provenance(tmp_path: Path, shared_file) -> None:
    path = tmp_path / "sub" / "store.duckdb"
    with Store(path) as store:
        load_file("capitals", shared_file("capitals"), store)
    with Store(path, read_only=True) as store:
        prov = store.provenance().set_index("table").loc["capitals"]
        assert prov["rows"] == 242  # peacesciencer's cow_capitals, all states
        assert (prov["first_year"], prov["last_year"]) == (1816, 2024)
        assert len(prov["sha256"]) == 64
        assert pd.notna(prov["loaded_at"])
        assert store.has("capitals")


def test_reload_replaces_table_and_provenance(tmp_path: Path, store: Store) -> None:
    first = tmp_path / "a.csv"
    first.write_text("ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n365,2010,1,1,1,1,1,1,0.1\n")
    second = tmp_path / "b.csv"
    second.write_text(first.read_text() + "710,2010,1,1,1,1,1,1,0.2\n")
    load_file("nmc", first, store)
    load_file("nmc", second, store)
    assert len(store.table("nmc")) == 2
    prov = store.provenance()
    assert prov["table"].tolist() == ["nmc"]
    assert prov["rows"].tolist() == [2]


def test_vendored_store_has_every_canonical_table_with_provenance() -> None:
    store = vendored_store()
    expected = {
        "nmc", "cow_trade_dyadic", "cow_trade_national", "dots", "unga_votes",
        "unga_rollcalls", "unga_issues", "ideal_points", "sipri_transfers", "atop",
        "contiguity", "mindist", "mids", "igos", "capitals", "icews", "rivalries",
        "terrthreat", "milex", "gdp", "undl_votes", "ei_trade", "baci_energy",
    }  # fmt: skip
    assert set(store.tables()) == expected
    assert set(store.provenance()["table"]) == expected
    types = store.con.execute(
        "SELECT data_type FROM information_schema.columns WHERE column_name = 'year'"
    ).fetchall()
    assert {t[0] for t in types} == {"INTEGER"}


def test_vendored_stores_are_independent() -> None:
    one, two = vendored_store(), vendored_store()
    one.con.execute("DROP TABLE nmc")
    assert two.has("nmc")


class _CountingConnection:
    """Wraps a DuckDB connection and counts the catalog queries that list tables."""

    def __init__(self, con: object) -> None:
        self._con = con
        self.catalog_reads = 0

    def execute(self, sql: str, *args: object) -> object:
        if "information_schema.tables" in sql:
            self.catalog_reads += 1
        return self._con.execute(sql, *args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._con, name)


_NMC_HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"


def test_has_reads_the_catalog_once_until_the_store_writes(tmp_path: Path) -> None:
    """The brief asks ``has`` ~150 times: one catalog query, until a load changes the tables."""
    csv = tmp_path / "nmc.csv"
    csv.write_text(_NMC_HEADER + "365,2010,1,1,1,1,1,1,0.1\n")
    with Store() as store:
        counting = _CountingConnection(store.con)
        store.con = counting  # type: ignore[assignment]
        assert not any(store.has("nmc") for _ in range(50))
        assert counting.catalog_reads == 1
        load_file("nmc", csv, store)
        assert all(store.has("nmc") for _ in range(50))
        assert counting.catalog_reads == 2


def test_has_sees_every_write_after_a_first_look(tmp_path: Path) -> None:
    """A table loaded, attached from Parquet or rolled back after ``has`` was asked."""
    good = tmp_path / "nmc.csv"
    good.write_text(_NMC_HEADER + "365,2010,1,1,1,1,1,1,0.1\n")
    bad = tmp_path / "capitals.csv"
    bad.write_text("not,the,columns\n1,2,3\n")
    with Store() as store:
        assert not store.has("nmc") and not store.has("capitals")
        with pytest.raises(DyadscopeError):
            load_file("capitals", bad, store)
        assert not store.has("capitals")
        load_file("nmc", good, store)
        assert store.has("nmc") and store.tables() == ["nmc"]
        parquet = tmp_path / "t.parquet"
        store.table("nmc").to_parquet(parquet)
        prov = store.provenance().iloc[0]
        copy = Provenance(**{**prov.to_dict(), "table": "nmc_copy", "loaded_at": None})
        with store.transaction():
            store.attach_parquet("nmc_copy", parquet, copy)
        assert store.tables() == ["nmc", "nmc_copy"]
        with pytest.raises(RuntimeError), store.transaction():
            store.attach_parquet("rolled_back", parquet, replace(copy, table="rolled_back"))
            assert store.has("rolled_back")
            raise RuntimeError("abandon the load")
        assert not store.has("rolled_back")
