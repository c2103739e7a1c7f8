"""Reference figures from ../shared/data/MANIFEST.md, recomputed independently here.

Each test computes the expected figure with plain pandas from the original CSV files
(through the ``shared_data`` fixture) and also checks the MANIFEST's published value,
so a wrong adapter, a wrong indicator or a wrong reference would all show up.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from dyadscope.data.store import Store
from dyadscope.indicators import compute

SHARE_TOL = 0.0005
CINC_TOL = 0.00005


def value(df: pd.DataFrame, indicator: str, year: int) -> float:
    """The single value of ``indicator`` in ``year`` of a tidy frame."""
    row = df[(df["indicator"] == indicator) & (df["year"] == year)]
    assert len(row) == 1, f"expected one row for {indicator} {year}, got {len(row)}"
    return float(row["value"].iloc[0])


def test_cinc_2010(store: Store, shared_data: Path) -> None:
    nmc = pd.read_csv(shared_data / "cow/cow_nmc_v7.csv")
    y2010 = nmc[nmc["year"] == 2010].set_index("ccode")["cinc"]
    df = compute(store, "RUS", "CHN", 2010, 2010, only=["capability"])
    assert value(df, "cinc_a", 2010) == pytest.approx(0.0391, abs=CINC_TOL)
    assert value(df, "cinc_b", 2010) == pytest.approx(0.2092, abs=CINC_TOL)
    assert value(df, "cinc_a", 2010) == pytest.approx(y2010[365], rel=1e-9)
    assert value(df, "cinc_b", 2010) == pytest.approx(y2010[710], rel=1e-9)
    # MANIFEST: ratio CHN/RUS 5.353
    assert value(df, "cinc_ratio_b_a", 2010) == pytest.approx(5.353, abs=0.0005)


def test_cow_trade_share_2013(store: Store, shared_data: Path) -> None:
    dyadic = pd.read_csv(shared_data / "cow/cow_trade_v4_dyadic_rus365_chn710.csv.gz")
    national = pd.read_csv(shared_data / "cow/cow_trade_v4_national.csv")
    pair = dyadic[(dyadic.ccode1 == 365) & (dyadic.ccode2 == 710) & (dyadic.year == 2013)]
    total = float(pair.flow1.iloc[0] + pair.flow2.iloc[0])
    rus = national[(national.ccode == 365) & (national.year == 2013)]
    chn = national[(national.ccode == 710) & (national.year == 2013)]
    rus_total = float(rus.imports.iloc[0] + rus.exports.iloc[0])
    chn_total = float(chn.imports.iloc[0] + chn.exports.iloc[0])

    # trade_source pinned: the default became "auto" (DOTS from 1992 for RU-CN)
    df = compute(store, "RUS", "CHN", 2013, 2013, only=["trade"], trade_source="cow")
    assert value(df, "trade_share_a", 2013) == pytest.approx(0.112, abs=SHARE_TOL)
    assert value(df, "trade_share_a", 2013) == pytest.approx(total / rus_total, rel=1e-12)
    assert value(df, "trade_share_b", 2013) == pytest.approx(0.0182, abs=SHARE_TOL)
    assert value(df, "trade_share_b", 2013) == pytest.approx(total / chn_total, rel=1e-12)
    assert value(df, "trade_total", 2013) == pytest.approx(94016, abs=0.5)
    # flow1 = Russia's imports from China (53,348); exports to China are 40,668
    assert value(df, "trade_balance_a", 2013) == pytest.approx(40668 - 53348, abs=0.5)
    assert set(df["source"]) == {"COW Trade v4.0"}


def test_dots_trade_total_2013_each_side_reports(store: Store) -> None:
    """MANIFEST: Russia reports 88.799 bn with China, China reports 89.173 bn (US$ bn)."""
    rus = compute(store, "RUS", "CHN", 2013, 2013, only=["trade_total"], trade_source="dots")
    chn = compute(store, "CHN", "RUS", 2013, 2013, only=["trade_total"], trade_source="dots")
    assert value(rus, "trade_total", 2013) == pytest.approx(88_799, abs=1)
    assert value(chn, "trade_total", 2013) == pytest.approx(89_173, abs=1)
    assert rus["source"].iloc[0].startswith("IMF DOTS")


def _same_vote(shared_data: Path, year: int) -> tuple[float, int]:
    votes = pd.read_csv(shared_data / "unvotes/un_votes.csv.gz", keep_default_na=False)
    calls = pd.read_csv(shared_data / "unvotes/un_roll_calls.csv.gz")
    calls = calls[pd.to_datetime(calls["date"]).dt.year == year]
    v = votes[votes.rcid.isin(calls.rcid)]
    ru = v[v.country_code == "RU"].set_index("rcid")["vote"]
    cn = v[v.country_code == "CN"].set_index("rcid")["vote"]
    both = pd.concat([ru, cn], axis=1, join="inner")
    return float((both.iloc[:, 0] == both.iloc[:, 1]).mean()), len(both)


@pytest.mark.parametrize(("year", "published"), [(2000, 0.747), (2010, 0.744)])
def test_unga_same_vote(store: Store, shared_data: Path, year: int, published: float) -> None:
    expected, _n = _same_vote(shared_data, year)
    df = compute(store, "RUS", "CHN", year, year, only=["unga_same_vote"])
    assert value(df, "unga_same_vote", year) == pytest.approx(published, abs=SHARE_TOL)
    assert value(df, "unga_same_vote", year) == pytest.approx(expected, rel=1e-12)


_REGISTER = "sipri/sipri_trade_register_all_1995_2024_generated_2026-02-12.csv"


def _register(shared_data: Path) -> pd.DataFrame:
    lines = (shared_data / _REGISTER).read_text(encoding="utf-8").splitlines()[11:]
    text = "\n".join(line.removesuffix(";") for line in lines)
    return pd.read_csv(io.StringIO(text))


def test_russia_share_of_china_arms_imports_2010_2014(store: Store, shared_data: Path) -> None:
    """MANIFEST section 13: 2000-04 0.8936, 2010-14 0.5498; China's share of Russia's
    exports 2010-14 0.0871 (3,171.75 / 36,432.01)."""
    sipri = _register(shared_data)
    window = sipri[(sipri["Recipient"] == "China") & sipri["Delivery year"].between(2010, 2014)]
    from_russia = window.loc[window["Supplier"] == "Russia", "TIV delivery values"].sum()
    expected = from_russia / window["TIV delivery values"].sum()

    df = compute(store, "RUS", "CHN", 2000, 2014, only=["arms"], periods=5)
    assert list(df["year"].unique()) == [2000, 2005, 2010]
    assert value(df, "arms_share_b_from_a", 2000) == pytest.approx(0.8936, abs=5e-5)
    assert value(df, "arms_share_b_from_a", 2010) == pytest.approx(0.5498, abs=5e-5)
    assert value(df, "arms_share_b_from_a", 2010) == pytest.approx(expected, rel=1e-12)
    assert value(df, "arms_export_share_a_to_b", 2010) == pytest.approx(
        3171.75 / 36432.01, rel=1e-9
    )
    # the full register holds Russia's imports: none came from China in 2010-14, a true 0
    assert value(df, "arms_share_a_from_b", 2010) == 0
    # the same figure seen from China's side
    swapped = compute(store, "CHN", "RUS", 2010, 2014, only=["arms"], periods=5)
    assert value(swapped, "arms_share_a_from_b", 2010) == pytest.approx(expected, rel=1e-12)


def test_arms_latest_alignment_and_partial_period(store: Store) -> None:
    """align="latest" ends windows at the last delivery year (2024: 2020-24, 2015-19);
    a range past it keeps the calendar period with a note naming its years."""
    df = compute(store, "IND", "RUS", 2013, 2030, only=["arms"], periods=5, align="latest")
    assert sorted(df["year"].unique()) == [2015, 2020]
    india = compute(store, "IND", "RUS", 2020, 2023, only=["arms"], periods=5)
    assert list(india["year"].unique()) == [2020]
    assert any("covers 2020-2023 only (4 of 5 years" in n for n in india.attrs["notes"])
    assert 0 < value(india, "arms_share_a_from_b", 2020) < 1


def test_atop_years_with_any_obligation(store: Store) -> None:
    """MANIFEST: RU–CN ATOP years 1896–1900, 1937–1980 and 1992–2018 (76 years)."""
    df = compute(store, "RUS", "CHN", 1816, 2018, only=["alliances"])
    wide = df.pivot(index="year", columns="indicator", values="value")
    assert wide.notna().all().all()  # inside ATOP coverage every year is 0 or 1
    any_obligation = wide.max(axis=1)
    years = set(any_obligation[any_obligation == 1].index)
    expected = set(range(1896, 1901)) | set(range(1937, 1981)) | set(range(1992, 2019))
    assert years == expected
    assert len(years) == 76


def test_contiguity(store: Store) -> None:
    """MANIFEST: RU–CN land border (type 1) 1860–2016; RU–US 0 to 1958, type 2 from 1959."""
    rc = compute(store, "RUS", "CHN", 1900, 2016, only=["contiguity"])
    assert set(rc["value"]) == {1.0}
    ru_us = compute(store, "RUS", "USA", 1950, 1965, only=["contiguity"])
    by_year = ru_us.set_index("year")["value"]
    assert (by_year.loc[1950:1958] == 0).all()
    assert (by_year.loc[1959:1965] == 2).all()


@pytest.mark.parametrize(("year", "count"), [(1980, 20), (2000, 50), (2014, 55)])
def test_joint_igos(store: Store, year: int, count: int) -> None:
    df = compute(store, "CHN", "RUS", year, year, only=["joint_igos"])
    assert value(df, "joint_igos", year) == count


def test_mindist_2019(store: Store) -> None:
    df = compute(store, "RUS", "CHN", 2019, 2019, only=["mindist"])
    assert value(df, "mindist", 2019) == 0


def test_mid_years(store: Store, shared_data: Path) -> None:
    """Years with a RU–CN MID equal the years of the dispute-dyad-year file."""
    mids = pd.read_csv(shared_data / "peacesciencer/cow_mid_ddydisps_RU_CN_US_dyads.csv")
    rc = mids[mids[["ccode1", "ccode2"]].apply(set, axis=1) == {365, 710}]
    expected = rc.drop_duplicates(["dispnum", "year"]).groupby("year").size()
    df = compute(store, "RUS", "CHN", 1816, 2014, only=["mids"])
    got = df.set_index("year")["value"]
    assert (got[got > 0] == expected.reindex(got[got > 0].index)).all()
    assert set(got[got > 0].index) == set(expected.index)
    assert got.loc[[2009, 2012]].tolist() == [1, 1]
    assert rc["dispnum"].nunique() == 40  # MANIFEST: 40 distinct RU–CN MIDs
