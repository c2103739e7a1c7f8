"""Bad files fail with a message naming file, row and column, and leave the store unchanged."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from dyadscope.data.registry import load_file
from dyadscope.data.store import Store
from dyadscope.errors import SchemaError

HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
GOOD = HEADER + "365,2010,1,2,3,4,5,6,0.04\n710,2010,1,2,3,4,5,6,0.2\n"


def _snapshot(store: Store) -> dict[str, pd.DataFrame]:
    """Every table and the provenance, to compare before and after a failed load."""
    snap = {name: store.table(name) for name in store.tables()}
    snap["_provenance"] = store.provenance()
    return snap


def _assert_unchanged(store: Store, before: dict[str, pd.DataFrame]) -> None:
    after = _snapshot(store)
    assert list(after) == list(before)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, check_dtype=True)


@pytest.fixture()
def loaded(tmp_path: Path, store: Store) -> Store:
    """A store already holding a good NMC table, so a failed reload has something to spoil."""
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    load_file("nmc", good, store)
    return store


def _gzip_truncated(path: Path) -> None:
    data = gzip.compress((GOOD * 50).encode())
    path.write_bytes(data[: len(data) // 2])


BAD_FILES = {
    "missing_column": (
        "bad.csv",
        "ccode,year,milex,milper,irst,pec,tpop,upop\n365,2010,1,2,3,4,5,6\n",
        r"bad\.csv: missing column\(s\) 'cinc'",
    ),
    "non_numeric": (
        "bad.csv",
        HEADER + "365,2010,1,2,3,4,5,6,0.04\n710,2010,lots,2,3,4,5,6,0.2\n",
        r"bad\.csv: data row 2 \(line 3\), column 'milex': 'lots' is not a number",
    ),
    "fractional_year": (
        "bad.csv",
        HEADER + "365,2010.5,1,2,3,4,5,6,0.04\n",
        r"bad\.csv: data row 1 \(line 2\), column 'year': '2010.5' is not a whole number",
    ),
    "duplicate_key": (
        "bad.csv",
        HEADER + "365,2010,1,2,3,4,5,6,0.04\n710,2010,1,2,3,4,5,6,0.2\n365,2010,9,9,9,9,9,9,0.1\n",
        r"bad\.csv: duplicate key \(ccode, year\) at data rows 1 and 3 \(lines 2 and 4\): "
        r"ccode=365, year=2010",
    ),
    "unknown_country": (
        "bad.csv",
        HEADER + "365,2010,1,2,3,4,5,6,0.04\n999,2010,1,2,3,4,5,6,0.2\n",
        r"bad\.csv: data row 2, column 'ccode': 999 is not a known cow country code",
    ),
    "year_out_of_range": (
        "bad.csv",
        HEADER + "365,1700,1,2,3,4,5,6,0.04\n",
        r"bad\.csv: data row 1, column 'year': year 1700 is outside 1816–2100",
    ),
    "empty_file": ("bad.csv", "", r"bad\.csv: the file is empty"),
    "header_only": ("bad.csv", HEADER, r"bad\.csv: the file has a header but no data rows"),
    "not_gzip": ("bad.csv.gz", GOOD, r"bad\.csv\.gz: named \.gz but is not gzip data"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_names_file_row_column_and_leaves_store(
    case: str, tmp_path: Path, loaded: Store
) -> None:
    name, text, message = BAD_FILES[case]
    path = tmp_path / name
    path.write_text(text)
    before = _snapshot(loaded)
    with pytest.raises(SchemaError, match=message):
        load_file("nmc", path, loaded)
    _assert_unchanged(loaded, before)


def test_truncated_gzip(tmp_path: Path, loaded: Store) -> None:
    path = tmp_path / "nmc.csv.gz"
    _gzip_truncated(path)
    before = _snapshot(loaded)
    with pytest.raises(SchemaError, match=r"nmc\.csv\.gz: the gzip data is truncated or corrupt"):
        load_file("nmc", path, loaded)
    _assert_unchanged(loaded, before)


def test_garbled_gzip(tmp_path: Path, loaded: Store) -> None:
    data = bytearray(gzip.compress((GOOD * 50).encode()))
    data[20:40] = b"\x00" * 20
    path = tmp_path / "nmc.csv.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(SchemaError, match="truncated or corrupt"):
        load_file("nmc", path, loaded)


def test_missing_file(tmp_path: Path, store: Store) -> None:
    with pytest.raises(SchemaError, match="file not found"):
        load_file("nmc", tmp_path / "nope.csv", store)


def test_failure_during_write_rolls_back_table_and_provenance(
    tmp_path: Path, loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table is replaced, then recording provenance fails: both must roll back."""
    newer = tmp_path / "newer.csv"
    newer.write_text(HEADER + "2,2010,1,2,3,4,5,6,0.1\n")
    before = _snapshot(loaded)

    def broken(self: Store, p: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_record", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        load_file("nmc", newer, loaded)
    monkeypatch.undo()
    _assert_unchanged(loaded, before)


def test_failed_first_load_creates_no_table(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "365,2010,x,2,3,4,5,6,0.04\n")
    with pytest.raises(SchemaError):
        load_file("nmc", path, store)
    assert store.tables() == []
    assert store.provenance().empty


@pytest.mark.parametrize(
    ("dataset", "text", "message"),
    [
        (
            "unga_votes",
            "rcid,country,country_code,vote\n3,Russia,RU,yes\n3,China,CN,maybe\n",
            r"data row 2, column 'vote': 'maybe' is not one of yes, no, abstain",
        ),
        (
            "unga_votes",
            "rcid,country,country_code,vote\n3,Russia,RU,yes\n3,Narnia,,no\n",
            r"data row 2, column 'country': 'Narnia' is not a known un_name country code",
        ),
        (
            "sipri",
            "SIPRI AT Database ID,Supplier,Recipient,Delivery year,TIV delivery values\n"
            "1,Russia,China,2010,5\n2,Rusia,China,2010,5\n",
            r"data row 2, column 'Supplier': 'Rusia' is not a known state name",
        ),
        (
            "icews",
            "i_iso3c,j_iso3c,year,verbCoop,matlCoop,verbConf,matlConf\nRUS,CHX,2010,1,1,1,1\n",
            r"data row 1, column 'j_iso3c': 'CHX' is not a known iso3 country code",
        ),
    ],
)
def test_other_adapters_name_row_and_column(
    dataset: str, text: str, message: str, tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(SchemaError, match=message):
        load_file(dataset, path, store)
    assert store.tables() == []


def test_sipri_preamble_is_skipped(tmp_path: Path, store: Store) -> None:
    """SIPRI's own exports start with notes before the header; the adapter finds the header."""
    path = tmp_path / "trade-register.csv"
    path.write_text(
        "Transfers of major weapons: Deals with deliveries or orders made for 2010 to 2010\n"
        "Note: ...\n\n"
        "SIPRI AT Database ID,Supplier,Recipient,Delivery year,TIV delivery values\n"
        "1,Russia,China,2010,5\n2,Hezbollah (Lebanon)*,China,2010,1\n"
    )
    load_file("sipri", path, store)
    table = store.table("sipri_transfers")
    assert table["supplier_iso3"].tolist()[0] == "RUS"
    assert pd.isna(table["supplier_iso3"].tolist()[1])
