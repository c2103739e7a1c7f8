"""``data load`` reads, checks and stores a file chunk by chunk (issue 9, bounded memory).

The table a chunked load stores must equal the whole-file result (``Adapter.produce``)
on the real data; errors in a late chunk, and duplicate keys split across chunks, must
name their rows and lines and leave the store as it was; and peak memory must not grow
with the file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import duckdb
import pandas as pd
import pytest

from dyadscope.data.registry import get_adapter, load_file
from dyadscope.data.store import Store, load_into
from dyadscope.errors import SchemaError

PeakMib = Callable[[str, Path, Path], tuple[int, float]]
HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
SMALL_CHUNK = 16 * 1024  # NMC (1 MB) then spans about 60 chunks


@pytest.mark.parametrize(
    "dataset",
    [
        "nmc",
        "cow_trade_dyadic",
        "cow_trade_national",
        "dots",
        "unga_rollcalls",
        "sipri",
        "ideal_points",
    ],
)
def test_chunked_load_equals_the_whole_file_result(
    dataset: str,
    shared_file: object,
    vendor_script: ModuleType,
    whole_table: Callable[[str, Path], pd.DataFrame],
) -> None:
    path = shared_file(dataset)  # type: ignore[operator]
    adapter = get_adapter(dataset)
    with Store() as store:
        prov = load_file(dataset, path, store, chunk_bytes=SMALL_CHUNK)
        loaded = store.table(adapter.table.name)
    expected = whole_table(dataset, path)
    pd.testing.assert_frame_equal(loaded, expected)
    first, last = adapter.coverage(adapter.produce(path))
    assert (prov.rows, prov.first_year, prov.last_year) == (len(expected), first, last)


def test_chunked_nmc_keeps_the_manifest_figures(shared_data: Path) -> None:
    """MANIFEST section 5: 17,121 rows, 1816–2022; CINC 2010 RUS 0.0390844, CHN 0.2092237."""
    with Store() as store:
        prov = load_file("nmc", shared_data / "cow" / "cow_nmc_v7.csv", store, chunk_bytes=4096)
        cinc = store.con.execute(
            "SELECT iso3, cinc FROM nmc WHERE year = 2010 AND iso3 IN ('RUS', 'CHN')"
        ).fetchall()
    assert (prov.rows, prov.first_year, prov.last_year) == (17121, 1816, 2022)
    values = dict(cinc)
    assert round(values["RUS"], 7) == 0.0390844
    assert round(values["CHN"], 7) == 0.2092237


def _rows(years: range, ccode: int = 365) -> str:
    return "".join(f"{ccode},{y},1,2,3,4,5,6,0.04\n" for y in years)


def test_duplicate_key_across_chunks_names_both_rows_and_lines(tmp_path: Path) -> None:
    """Rows 2 and 150 share (365, 1901); a blank line after row 1 puts them on lines 4 and 152."""
    path = tmp_path / "dup.csv"
    path.write_text(
        HEADER
        + _rows(range(1900, 1901))
        + "\n"
        + _rows(range(1901, 2049))
        + _rows(range(1901, 1902))
    )
    with pytest.raises(
        SchemaError,
        match=r"dup\.csv: duplicate key \(ccode, year\) at data rows 2 and 150 "
        r"\(lines 4 and 152\): ccode=365, year=1901",
    ):
        load_file("nmc", path, Store(), chunk_bytes=256)


def test_bad_row_in_a_late_chunk_leaves_the_store_unchanged(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + _rows(range(1990, 1992)))
    bad.write_text(HEADER + _rows(range(1816, 2100)) + "365,2100,1,2,x,4,5,6,0.04\n")
    target = tmp_path / "s.duckdb"
    load_into("nmc", good, target)
    with pytest.raises(SchemaError, match=r"data row 285 \(line 286\), column 'irst': 'x'"):
        load_into("nmc", bad, target, chunk_bytes=512)  # the bad row is in the last chunk
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT year FROM nmc").fetchall() == [(1990,), (1991,)]
        assert con.execute("SELECT rows FROM _provenance").fetchall() == [(2,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.csv",
        "good.csv",
        "s.duckdb",
        "s.duckdb.lock",
    ]


# --- memory --------------------------------------------------------------------------


def _igos_file(nmc: Path, out: Path, partners: int) -> None:
    """A synthetic COW IGO file: each real NMC state-year paired with ``partners`` states.

    Keys (ccode1, ccode2, year) stay unique and every code is a real COW code, so the
    file loads; its size grows with ``partners`` (17,121 rows and ~0.6 MB each).
    """
    pairs = [line.split(",")[:2] for line in nmc.read_text().splitlines()[1:]]
    codes = sorted({int(c) for c, _ in pairs})[:partners]
    with out.open("w") as fh:
        fh.write("ccode1,ccode2,year,dyadigos,note\n")
        for partner in codes:
            fh.write(
                "".join(f"{c},{partner},{y},{(int(c) + int(y)) % 97},filler\n" for c, y in pairs)
            )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/status")
def test_peak_memory_does_not_grow_with_the_file(
    tmp_path: Path, shared_data: Path, peak_mib: PeakMib
) -> None:
    """A file twice as large (36 MiB vs 77 MiB) must not raise the peak by 15 MiB.

    Both files are larger than what pyarrow's CSV reader reads ahead before its first
    batch (about 32 blocks: 32 MiB at the 1 MiB chunk), the one part of the load's
    memory that grows with a small file; beyond it nothing does.  Measured before
    chunking: 342 MiB for a 38 MB file, 638 MiB for 116 MB (the whole typed table and
    DuckDB's copy of it grew with the file).  After: 269.4 and 270.0 MiB for these two
    files.  An earlier version of this test compared 8 MB with 27 MB, inside the
    read-ahead window, and grew by 36–41 MiB, at its 40 MiB threshold.
    """
    nmc = shared_data / "cow" / "cow_nmc_v7.csv"
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _igos_file(nmc, small, 100)
    _igos_file(nmc, large, 210)
    rows_small, peak_small = peak_mib("igos", small, tmp_path / "a.duckdb")
    rows_large, peak_large = peak_mib("igos", large, tmp_path / "b.duckdb")
    assert (rows_small, rows_large) == (17121 * 100, 17121 * 210)
    assert peak_large - peak_small < 15, (peak_small, peak_large)
    assert peak_large < 450, peak_large
