"""Coverage rules: NA where the data says nothing, 0 only where it says "none".

Hand-made stores hold worked examples small enough to check by eye; the vendored
store checks that pairs other than Russia–China get honest NAs, never a false 0.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from dyadscope.data.store import Store
from dyadscope.errors import InputError, MissingData
from dyadscope.indicators import INDICATORS, compute, coverage, dyad_years, indicator_table


def _by(df: pd.DataFrame, indicator: str) -> pd.Series:
    return df[df["indicator"] == indicator].set_index("year")["value"]


def _sipri(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": range(len(rows)),
            "supplier": [r[0] for r in rows],
            "recipient": [r[1] for r in rows],
            "supplier_iso3": [r[0] for r in rows],
            "recipient_iso3": [r[1] for r in rows],
            "year": [r[2] for r in rows],
            "tiv": [r[3] for r in rows],
        }
    )


# A tiny register for 2010: India buys 70 from Russia and 30 from France; China buys
# 50 from Russia and 50 from Ukraine; the UK buys 10 from the US.
FULL = [
    ("RUS", "IND", 2010, 70.0),
    ("FRA", "IND", 2010, 30.0),
    ("RUS", "CHN", 2010, 50.0),
    ("UKR", "CHN", 2010, 50.0),
    ("USA", "GBR", 2010, 10.0),
]


def test_full_register_gives_every_importer_a_share(make_store: Callable[..., Store]) -> None:
    """Full table: India's share from Russia = 70 / (70 + 30) = 0.7."""
    s = make_store(sipri_transfers=_sipri(FULL))
    df = compute(s, "IND", "RUS", 2010, 2010, only=["arms"])
    assert _by(df, "arms_share_a_from_b")[2010] == pytest.approx(0.7)
    assert pd.isna(_by(df, "arms_share_b_from_a")[2010])  # Russia imported nothing: 0/0
    assert df.attrs["notes"] == []


def test_extract_gives_na_for_importers_it_does_not_cover(
    make_store: Callable[..., Store],
) -> None:
    """The same rows cut like the vendored extract (recipient CHN or supplier RUS).

    India then shows only its Russian deliveries: a naive share would be 70/70 = 1.0,
    a wrong number; the rule gives NA. China's share is still 50 / 100 = 0.5.
    """
    cut = [r for r in FULL if r[1] == "CHN" or r[0] == "RUS"]
    s = make_store(sipri_transfers=_sipri(cut))
    india = compute(s, "IND", "RUS", 2010, 2010, only=["arms"])
    assert pd.isna(_by(india, "arms_share_a_from_b")[2010])
    assert any("IND" in note and "NA" in note for note in india.attrs["notes"])
    china = compute(s, "CHN", "RUS", 2010, 2010, only=["arms"])
    assert _by(china, "arms_share_a_from_b")[2010] == pytest.approx(0.5)


def test_vendored_sipri_is_the_full_register(store: Store) -> None:
    """Every importer's shares are defined now (the full register is vendored)."""
    ind_rus = compute(store, "IND", "RUS", 2005, 2015, only=["arms"])
    assert _by(ind_rus, "arms_share_a_from_b").notna().all()
    assert not any("does not hold all" in n for n in ind_rus.attrs["notes"])
    assert "vendored full register" in INDICATORS["arms_share_a_from_b"].coverage_rule


def test_dyad_outside_the_cow_trade_extract_is_na_with_a_note(store: Store) -> None:
    df = compute(store, "USA", "IND", 2000, 2010, only=["trade"])
    assert df["value"].isna().all()
    assert any("cow_trade_dyadic" in n and "USA-IND" in n for n in df.attrs["notes"])


def test_share_above_one_is_na_with_a_note(store: Store) -> None:
    """COW's 1948 CHN-USA flows ($417m) exceed China's national total ($244.2m).

    Found by the property test: a share of 171% is not a measurement, so it is NA (as is
    the asymmetry built on it), the other side's share and the flows stay, and a note
    says why.
    """
    df = compute(store, "CHN", "USA", 1947, 1949, only=["trade"])
    assert _by(df, "trade_total").loc[1948] == pytest.approx(417.0)
    assert pd.isna(_by(df, "trade_share_a").loc[1948])
    assert pd.isna(_by(df, "trade_asymmetry").loc[1948])
    assert _by(df, "trade_share_b").loc[1948] == pytest.approx(0.020664, abs=1e-6)
    assert 0 < _by(df, "trade_share_a").loc[1949] < 1  # 1947: no dyadic row, NA
    assert any("in 1948" in n and "CHN's total trade" in n for n in df.attrs["notes"])


@pytest.mark.parametrize(
    ("iso", "old", "new", "years"),
    [("DEU", 260, 255, (1970, 1989, 1990)), ("YEM", 678, 679, (1980, 1989, 1990))],
)
def test_a_state_with_an_earlier_cow_code_reads_it_in_its_years(
    store: Store, shared_data: Path, iso: str, old: int, new: int, years: tuple[int, ...]
) -> None:
    """DEU before 1990 is West Germany (COW 260); YEM before 1990 the Yemen Arab Republic.

    1990 holds rows for both codes in NMC; it belongs to the unified state.
    """
    nmc = pd.read_csv(shared_data / "cow" / "cow_nmc_v7.csv").set_index(["ccode", "year"])
    first, last_old, unified = years
    df = compute(store, iso, "FRA", first, unified, only=["capability"])
    cinc = _by(df, "cinc_a")
    assert cinc.loc[first] == pytest.approx(nmc.loc[(old, first), "cinc"])
    assert cinc.loc[last_old] == pytest.approx(nmc.loc[(old, last_old), "cinc"])
    assert cinc.loc[unified] == pytest.approx(nmc.loc[(new, unified), "cinc"])
    assert cinc.notna().all()
    assert any(f"COW {old}" in n and f"{first}–{last_old}" in n for n in df.attrs["notes"])
    swapped = compute(store, "FRA", iso, first, unified, only=["capability"])
    assert _by(swapped, "cinc_b").tolist() == cinc.tolist()


def test_germany_in_a_dyadic_table_before_1990(store: Store, shared_data: Path) -> None:
    """COW's 260-365 trade rows (1955-1959) are DEU-RUS trade; 255-365 from 1990."""
    raw = pd.read_csv(shared_data / "cow" / "cow_trade_v4_dyadic_rus365_chn710.csv.gz")
    flows = raw.set_index(["ccode1", "ccode2", "year"])[["flow1", "flow2"]].sum(axis=1)
    df = compute(store, "DEU", "RUS", 1957, 1991, only=["trade"])
    total = _by(df, "trade_total")
    assert total.loc[1957] == pytest.approx(flows.loc[(260, 365, 1957)])
    assert total.loc[1991] == pytest.approx(flows.loc[(255, 365, 1991)])
    assert total.loc[1960:1989].isna().all()  # COW has no 260-365 rows for these years


@pytest.mark.parametrize(("a", "b"), [("USA", "CHN"), ("IND", "RUS"), ("rus", "chn")])
def test_other_pairs_work(store: Store, a: str, b: str) -> None:
    df = compute(store, a, b, 1992, 2020, trade_source="cow")  # pinned: default is "auto"
    trade = _by(df, "trade_share_a")
    assert trade.loc[1992:2014].notna().all()  # both pairs include RUS or CHN
    assert trade.loc[2015:2020].isna().all()  # COW trade v4.0 ends in 2014
    assert _by(df, "unga_same_vote").loc[1992:2019].notna().all()


def test_india_russia_event_lists_cover_all_pairs(store: Store, shared_data) -> None:
    """The vendored ATOP/MID/contiguity/IGO extracts hold every pair (peacesciencer_all):
    India-Russia joint IGO memberships equal the source's row for (365, 750)."""
    df = compute(store, "IND", "RUS", 2000, 2010, only=["alliances", "mids", "geography", "igos"])
    igo = pd.read_parquet(shared_data / "peacesciencer_all" / "cow_igo_ndy.parquet")
    want = igo.query("ccode1 == 365 and ccode2 == 750 and year == 2000")["dyadigos"].iloc[0]
    assert _by(df, "joint_igos")[2000] == want
    assert _by(df, "mids").loc[2000:2010].notna().all()


def test_atop_na_outside_coverage_zero_inside(store: Store) -> None:
    df = compute(store, "USA", "CHN", 1810, 1820, only=["atop_defense"])
    by_year = _by(df, "atop_defense")
    assert by_year.loc[1810:1814].isna().all()  # ATOP starts in 1815
    assert (by_year.loc[1815:1820] == 0).all()
    later = _by(compute(store, "USA", "CHN", 2018, 2020, only=["atop_defense"]), "atop_defense")
    assert later[2018] == 0 and later.loc[2019:2020].isna().all()


def test_period_with_a_missing_year_is_na(store: Store) -> None:
    """COW trade ends in 2014: the 2010 period is complete, the 2015 period is not."""
    df = compute(
        store, "RUS", "CHN", 2010, 2019, only=["trade_total", "arms"], periods=5, trade_source="cow"
    )
    total = _by(df, "trade_total")
    assert list(total.index) == [2010, 2015]
    annual = _by(
        compute(store, "RUS", "CHN", 2010, 2014, only=["trade_total"], trade_source="cow"),
        "trade_total",
    )
    assert total[2010] == pytest.approx(annual.sum())
    assert pd.isna(total[2015])
    assert _by(df, "arms_share_b_from_a").notna().all()  # SIPRI runs to 2023


def test_periods_use_summed_flows_not_averaged_shares(
    make_store: Callable[..., Store],
) -> None:
    """Two years, China buys 10 of 10 from Russia, then 0 of 90.

    Share of summed flows: 10 / 100 = 0.1; the mean of yearly shares would be 0.5.
    """
    rows = [("RUS", "CHN", 2010, 10.0), ("UKR", "CHN", 2011, 90.0)]
    s = make_store(sipri_transfers=_sipri(rows))
    df = compute(s, "CHN", "RUS", 2010, 2011, only=["arms_share_a_from_b"], periods=2)
    assert _by(df, "arms_share_a_from_b")[2010] == pytest.approx(0.1)


def test_missing_table_gives_na_and_a_note(make_store: Callable[..., Store]) -> None:
    df = compute(make_store(), "RUS", "CHN", 2010, 2011)
    assert df["value"].isna().all()
    assert any("no table" in n for n in df.attrs["notes"])


def test_coverage(store: Store) -> None:
    assert coverage(store, "cinc_a", "RUS", "CHN") == (1816, 2022)
    assert coverage(store, "trade_total", "RUS", "CHN", trade_source="cow")[1] == 2014  # type: ignore[index]
    assert coverage(store, "unga_same_vote", "RUS", "CHN")[0] == 1971  # type: ignore[index]
    assert coverage(store, "trade_total", "USA", "IND") is None
    with pytest.raises(InputError, match="unknown indicator"):
        coverage(store, "nope", "RUS", "CHN")


def test_dyad_years_wide_and_directed(store: Store) -> None:
    wide = dyad_years(store, "RUS", "CHN", 2010, 2012, directed=True, only=["capability"])
    assert list(wide.columns) == ["a", "b", "year", "cinc_a", "cinc_b", "cinc_ratio_b_a"]
    assert len(wide) == 6
    rc = wide[(wide.a == "RUS") & (wide.year == 2010)].iloc[0]
    cr = wide[(wide.a == "CHN") & (wide.year == 2010)].iloc[0]
    assert rc.cinc_a == cr.cinc_b and rc.cinc_ratio_b_a == pytest.approx(1 / cr.cinc_ratio_b_a)
    assert wide.attrs["unit"] == "directed dyad-year"
    undirected = dyad_years(store, "RUS", "CHN", 2010, 2012)
    assert len(undirected) == 3 and len(undirected.columns) == 3 + len(INDICATORS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"a": "RUS", "b": "RUS"}, "two different states"),
        ({"start": 2010, "end": 2000}, "after"),
        ({"only": ["trad"]}, "unknown indicator or family"),
        ({"periods": 5, "start": 2011, "end": 2014}, "no whole 5-year period"),
        ({"periods": 0}, "positive"),
        ({"trade_source": "imf"}, "cow' or 'dots"),
        ({"a": "Atlantis"}, "unknown country"),
    ],
)
def test_bad_arguments(store: Store, kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"a": "RUS", "b": "CHN", "start": 2000, "end": 2010}
    args.update(kwargs)
    with pytest.raises(InputError, match=message):
        compute(store, **args)  # type: ignore[arg-type]


def test_registry_metadata_is_complete() -> None:
    table = indicator_table()
    assert table["id"].is_unique and len(table) == len(INDICATORS)
    assert table[["description", "unit", "source", "coverage_rule"]].map(bool).all().all()
    for ind in INDICATORS.values():
        if ind.swap == "mirror":
            assert INDICATORS[ind.mirror or ""].mirror == ind.id


def test_unga_matrix_without_votes_raises(make_store: Callable[..., Store]) -> None:
    from dyadscope.indicators import unga_agreement_matrix

    with pytest.raises(MissingData, match="unga_votes"):
        unga_agreement_matrix(make_store(), 2019)
