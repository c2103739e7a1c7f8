"""Adapters that combine rows (``dots`` pivots, ``cow_alliance`` groups) load in chunks.

Issue 9, bounded memory: their rows are checked and staged chunk by chunk and combined
in DuckDB SQL (``Adapter.combine``), so a load holds one chunk, not the file.  The stored
table must be exactly the pandas transform's (``Adapter.produce``), errors must still
name rows and lines and leave the store as it was; Parquet inputs are read by batches.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dyadscope.data.adapters._base import iter_parquet_checked, read_parquet_checked
from dyadscope.data.countries import to_iso3
from dyadscope.data.registry import get_adapter
from dyadscope.data.store import Store, load_into
from dyadscope.errors import SchemaError

PeakMib = Callable[[str, Path, Path], tuple[int, float]]
Whole = Callable[[str, Path], pd.DataFrame]
DOTS = Path("dots") / "imf_dots_extract_6countries_1948_2020_long.csv"
ALLIANCE_HEADER = "version4id,ccode1,ccode2,year,defense,neutrality,nonaggression,entente\n"
DOTS_HEADER = (
    "Country Name,Country Code,Indicator Name,Indicator Code,Counterpart Country Name,"
    "Counterpart Country Code,Attribute,year,value_usd\n"
)


def _chunked(dataset: str, path: Path, store_path: Path, chunk_bytes: int) -> pd.DataFrame:
    """Load into a store file (so the memory cap applies) and read the table back."""
    load_into(dataset, path, store_path, chunk_bytes=chunk_bytes)
    with Store(store_path, read_only=True) as store:
        return store.table(get_adapter(dataset).table.name)


def test_dots_is_read_in_chunks_notwhole_table(shared_data: Path) -> None:
    """The real DOTS file (369 KB) in 4 KB chunks: many pieces, every data row in one."""
    pieces = list(get_adapter("dots").chunks(shared_data / DOTS, 4096))
    assert len(pieces) > 50
    total = len((shared_data / DOTS).read_text().splitlines()) - 1
    rows = pd.concat([p["_row"] for p in pieces])
    assert rows.is_unique and rows.max() <= total


def test_dots_sql_pivot_equals_the_pandas_pivot(
    shared_data: Path, tmp_path: Path, whole_table: Whole
) -> None:
    """MANIFEST: 6 reporters x 5 partners; a dyad-year's two indicators often sit in
    different chunks at 4 KB, so the SQL pivot must put them back together."""
    path = shared_data / DOTS
    loaded = _chunked("dots", path, tmp_path / "s.duckdb", 4096)
    expected = whole_table("dots", path)
    pd.testing.assert_frame_equal(loaded, expected)
    assert set(loaded.reporter_iso3) == {"BRA", "CHN", "IND", "MEX", "RUS", "URY"}


def test_cow_alliance_groups_across_chunks(tmp_path: Path, whole_table: Whole) -> None:
    """365-710 in 1950 appears in rows 1 and 300 (300 rows of ~24 bytes span many 256-byte
    chunks): one row, defense 1 (row 1) and entente 1 (row 300), nonaggression 0 (row 1;
    row 300's -9 is missing and max skips it), _row = 1.  Rows 2-299: 710 with
    partners 2, 20, 200… in 1900-1999, each alone."""
    partners = [2, 20, 200]
    lines = ["1,365,710,1950,1,0,0,0\n"]
    lines += [f"{i},710,{partners[i % 3]},{1900 + i % 100},0,1,0,0\n" for i in range(2, 300)]
    lines.append("300,365,710,1950,0,0,-9,1\n")
    path = tmp_path / "alliance_v4.1_by_dyad_yearly.csv"
    path.write_text(ALLIANCE_HEADER + "".join(lines))
    loaded = _chunked("cow_alliance", path, tmp_path / "s.duckdb", 256)
    pd.testing.assert_frame_equal(loaded, whole_table("cow_alliance", path))
    pair = loaded[(loaded.ccode1 == 365) & (loaded.year == 1950)]
    assert pair[["defense", "neutrality", "nonaggression", "entente"]].values.tolist() == [
        [1, 0, 0, 1]
    ]
    assert len(loaded) == 1 + len({(partners[i % 3], 1900 + i % 100) for i in range(2, 300)})


def test_dots_duplicate_measure_across_chunks_names_rows_and_lines(
    shared_data: Path, tmp_path: Path
) -> None:
    """The real file's first data row repeated at the end: rows 1 and N+1, lines 2 and N+2."""
    text = (shared_data / DOTS).read_text()
    lines = text.splitlines(keepends=True)
    path = tmp_path / "dup.csv"
    path.write_text(text + lines[1])
    n = len(lines) - 1
    target = tmp_path / "s.duckdb"
    with pytest.raises(
        SchemaError,
        match=rf"dup\.csv: duplicate key \(reporter_iso3, partner_iso3, measure, year\) at "
        rf"data rows 1 and {n + 1} \(lines 2 and {n + 2}\): reporter_iso3=BRA",
    ):
        load_into("dots", path, target, chunk_bytes=4096)
    assert not target.exists()


def test_dots_bad_name_in_a_late_chunk_leaves_the_store_unchanged(
    shared_data: Path, tmp_path: Path
) -> None:
    good = shared_data / DOTS
    bad = tmp_path / "bad.csv"
    row = "Atlantis,1,x,TXG_FOB_USD,China,924,Value,2001,5.0\n"
    bad.write_text(good.read_text() + row)
    n = len(good.read_text().splitlines())  # header + data rows: the bad row is data row n
    target = tmp_path / "s.duckdb"
    load_into("dots", good, target)
    with pytest.raises(SchemaError, match=rf"data row {n}, column 'Country Name': 'Atlantis'"):
        load_into("dots", bad, target, chunk_bytes=4096)
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM dots").fetchall() == [(1580,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "s.duckdb", "s.duckdb.lock"]


def test_parquet_is_read_in_batches(shared_data: Path, tmp_path: Path) -> None:
    """peacesciencer's ATOP table (273,296 rows, one row group) in ~4 KB batches."""
    path = shared_data / "peacesciencer_all" / "atop_alliance.parquet"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    adapter = get_adapter("atop")
    batches = list(iter_parquet_checked(path, adapter.raw_columns, chunk_bytes=4096))
    assert len(batches) > 10
    whole = read_parquet_checked(path, adapter.raw_columns)
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), whole)
    assert len(whole) == 273296


def test_parquet_bad_cell_names_its_row(tmp_path: Path) -> None:
    """Row 3 of the second batch (batches of 2 rows) holds 1.5 in an int column: row 5."""
    path = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 1.5, 6.0]}).to_parquet(path)
    size = 2 * 8  # about 8 bytes a row: batches of two rows
    with pytest.raises(SchemaError, match=r"t\.parquet: row 5, column 'a': '1.5'"):
        list(iter_parquet_checked(path, {"a": "int"}, chunk_bytes=size))


# --- memory --------------------------------------------------------------------------


def _dots_file(names: list[str], out: Path) -> None:
    """A synthetic DOTS file: every ordered pair of ``names``, 1948-2020, three indicators
    (one of them dropped by the adapter); keys unique, so it loads."""
    with out.open("w") as fh:
        fh.write(DOTS_HEADER)
        for a in names:
            for b in names:
                if a == b:
                    continue
                fh.write(
                    "".join(
                        f"{a},1,x,{code},{b},2,Value,{y},{y * 1000.5}\n"
                        for y in range(1948, 2021)
                        for code in ("TXG_FOB_USD", "TMG_CIF_USD", "OTHER")
                    )
                )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_dots_peak_memory_does_not_grow_with_the_file(tmp_path: Path, peak_mib: PeakMib) -> None:
    """24 vs 48 states (6.8 vs 28 MB of text): the peak must not rise by 40 MiB.

    Measured (VmHWM) before, with the pandas pivot of the whole file: 244 and 330 MiB;
    after, with the SQL pivot of staged chunks: 241 and 257 MiB.
    """
    from importlib import resources

    table = resources.files("dyadscope.data.vendor") / "cow_states.csv"
    with resources.as_file(table) as csv_path:
        states = pd.read_csv(csv_path)["name"].astype(str)
    iso3 = to_iso3(states, "un_name", errors="coerce")
    names = sorted(dict(zip(iso3.dropna(), states[iso3.notna()], strict=True)).values())
    names = [n for n in names if "," not in n][:48]
    assert len(names) == 48
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _dots_file(names[:24], small)
    _dots_file(names, large)
    rows_small, peak_small = peak_mib("dots", small, tmp_path / "a.duckdb")
    rows_large, peak_large = peak_mib("dots", large, tmp_path / "b.duckdb")
    assert (rows_small, rows_large) == (24 * 23 * 73, 48 * 47 * 73)
    assert peak_large - peak_small < 40, (peak_small, peak_large)


def test_workbook_over_the_size_cap_is_refused_before_reading(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIPRI's milex workbook expands to 3,789,742 bytes (``unzip -l``): a cap of 3 MB
    refuses it naming the size, and the first load creates no store."""
    from dyadscope.data.adapters import _base

    path = shared_data / "sipri" / "SIPRI-Milex-data-1949-2023.xlsx"
    with pytest.raises(SchemaError, match=r"expands to 3789742 bytes, more than 3000000"):
        _base.read_sheet(path, "Current US$", max_bytes=3_000_000)
    monkeypatch.setattr(_base, "MAX_WORKBOOK_BYTES", 3_000_000)
    target = tmp_path / "s.duckdb"
    with pytest.raises(SchemaError, match=r"SIPRI-Milex-data-1949-2023\.xlsx: the workbook"):
        load_into("milex", path, target)
    assert not target.exists()


UNDL = Path("unvotes") / "un_digital_library_votes_2019_2025.csv"


def test_undl_votes_load_in_chunks_equals_the_pandas_melt(
    shared_data: Path, tmp_path: Path, whole_table: Whole
) -> None:
    """MANIFEST 21: 107,395 votes cast; the combined A/RES/75/254 record is dropped in SQL
    (its parts A-C are in the file) exactly as the pandas read drops it."""
    path = shared_data / UNDL
    pieces = list(get_adapter("undl_votes").chunks(path, 65536))
    assert len(pieces) > 10
    loaded = _chunked("undl_votes", path, tmp_path / "s.duckdb", 65536)
    pd.testing.assert_frame_equal(loaded, whole_table("undl_votes", path))
    assert len(loaded) == 107395
    assert not loaded.resolution.isin(["A/RES/75/254", "A/RES/75/254A-C"]).any()


def _undl_records(shared_data: Path, n: int) -> list[list[str]]:
    """The real file's header and first ``n - 1`` records (fields may hold newlines)."""
    with (shared_data / UNDL).open(newline="", encoding="utf-8") as fh:
        return list(itertools.islice(csv.reader(fh), n))


def _write(path: Path, records: list[list[str]], tail: str = "") -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(records)
        fh.write(tail)
    return path


def test_undl_votes_bad_id_names_row_and_column(shared_data: Path, tmp_path: Path) -> None:
    """Before: pandas' ValueError (a traceback) on a non-numeric id."""
    records = _undl_records(shared_data, 4)
    records[3][0] = "x"
    path = _write(tmp_path / "undl.csv", records)
    with pytest.raises(SchemaError, match=r"undl\.csv: data row 3, column 'id': 'x'"):
        get_adapter("undl_votes").produce(path)
    with pytest.raises(SchemaError, match=r"undl\.csv: data row 3, column 'id': 'x'"):
        load_into("undl_votes", path, tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()


def test_undl_votes_short_row_is_refused_naming_its_line(shared_data: Path, tmp_path: Path) -> None:
    """A last record cut after its first field (a truncated download): data row 3, line 4.

    Before, the whole-file read took the cut record for the undated one and dropped it."""
    records = _undl_records(shared_data, 4)
    path = _write(tmp_path / "undl.csv", records[:3], tail=records[3][0] + "\n")
    with pytest.raises(SchemaError, match=r"undl\.csv: data row 3 \(line 4\) has 1 field\(s\)"):
        load_into("undl_votes", path, tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()
