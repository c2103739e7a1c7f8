"""Balance of power: Ray–Singer concentration, polarity thresholds, real NMC data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadscope.errors import InputError, UnknownCountry
from dyadscope.theory.power import (
    PolarityThresholds,
    balance_of_power,
    classify_polarity,
    major_powers,
    ray_singer_con,
)


def test_con_two_powers_by_hand() -> None:
    """Capabilities 3 and 1: shares 0.75/0.25, sum of squares 0.625,
    (0.625 - 1/2) / (1 - 1/2) = 0.25, CON = sqrt(0.25) = 0.5."""
    assert ray_singer_con([3.0, 1.0]) == pytest.approx(0.5)


def test_con_three_powers_by_hand() -> None:
    """Capabilities 5, 3, 2: shares 0.5/0.3/0.2, sum of squares 0.38,
    (0.38 - 1/3) / (2/3) = 0.07, CON = sqrt(0.07)."""
    assert ray_singer_con([5.0, 3.0, 2.0]) == pytest.approx(math.sqrt(0.07))


def test_con_extremes_and_missing() -> None:
    assert ray_singer_con([1.0, 1.0, 1.0, 1.0]) == pytest.approx(0.0)
    assert ray_singer_con([1.0, 0.0, 0.0]) == pytest.approx(1.0)
    assert math.isnan(ray_singer_con([1.0, np.nan]))
    with pytest.raises(InputError, match="at least two"):
        ray_singer_con([1.0])


@given(st.lists(st.floats(min_value=0.001, max_value=100), min_size=2, max_size=12))
def test_con_is_bounded_and_scale_free(caps: list[float]) -> None:
    con = ray_singer_con(caps)
    assert 0.0 <= con <= 1.0 + 1e-12
    assert ray_singer_con([c * 7.5 for c in caps]) == pytest.approx(
        con, abs=1e-6
    )  # sqrt amplifies rounding near 0


@pytest.mark.parametrize(
    ("shares", "label"),
    [
        ([0.5, 0.3, 0.2], "unipolar"),  # leader exactly at the unipolar cut-off
        ([0.49, 0.3, 0.21], "bipolar"),  # top two 0.79, second 0.61 of the leader
        ([0.45, 0.2, 0.2, 0.15], "multipolar"),  # second only 0.44 of the leader
        ([0.3, 0.29, 0.21, 0.2], "multipolar"),  # top two 0.59 < 0.6
        ([0.3, 0.3, 0.2, 0.2], "bipolar"),  # top two exactly 0.6
        ([0.3, np.nan, 0.2], "unknown"),
    ],
)
def test_polarity_thresholds(shares: list[float], label: str) -> None:
    assert classify_polarity(shares) == label


def test_polarity_thresholds_are_parameters() -> None:
    strict = PolarityThresholds(unipolar_top=0.6)
    # not unipolar under 0.6; second is 0.25 / 0.55 = 0.45 of the leader, so not bipolar
    assert classify_polarity([0.55, 0.25, 0.2], strict) == "multipolar"
    assert classify_polarity([0.55, 0.3, 0.15], strict) == "bipolar"
    assert classify_polarity([0.55, 0.25, 0.2]) == "unipolar"


def test_cow_major_power_list() -> None:
    assert major_powers(1946) == [2, 200, 220, 365]
    assert major_powers(1950) == [2, 200, 220, 365, 710]
    assert major_powers(1991) == [2, 200, 220, 255, 365, 710, 740]
    assert major_powers(2022) == major_powers(2016)


def test_china_outweighs_us_in_the_2010s(store, shared_data) -> None:
    """NMC v7: China's CINC exceeds the US's in every year 2010–2016 (checked on the CSV)."""
    raw = pd.read_csv(shared_data / "cow" / "cow_nmc_v7.csv")
    wide = raw[raw["ccode"].isin([2, 710])].pivot(index="year", columns="ccode", values="cinc")
    res = balance_of_power(store, 2010, 2016, measures=["cinc"])
    shares = res.shares.pivot(index="year", columns="state", values="share")
    for year in range(2010, 2017):
        assert wide.loc[year, 710] > wide.loc[year, 2]
        assert shares.loc[year, "CHN"] > shares.loc[year, "USA"]
        ratio = shares.loc[year, "CHN"] / shares.loc[year, "USA"]
        assert ratio == pytest.approx(wide.loc[year, 710] / wide.loc[year, 2], rel=1e-9)
    assert (res.polarity["leader"] == "CHN").all()


def test_coalition_vs_rival_matches_manifest(store) -> None:
    """MANIFEST: CINC 2010 RUS 0.0390844, CHN 0.2092237; the US value is read from the store."""
    res = balance_of_power(store, 2010, 2010)
    row = res.rc_vs_us.set_index("measure").loc["cinc"]
    assert row["coalition_value"] == pytest.approx(0.0390844 + 0.2092237, abs=1e-6)
    us = store.con.execute("SELECT cinc FROM nmc WHERE ccode = 2 AND year = 2010").fetchone()[0]
    assert row["ratio"] == pytest.approx((0.0390844 + 0.2092237) / us, rel=1e-5)
    assert bool(row["balances"]) is True


def test_missing_capability_gives_na_not_zero(make_store) -> None:
    nmc = pd.DataFrame(
        {
            "ccode": [2, 200, 220, 365, 710],
            "iso3": ["USA", "GBR", "FRA", "RUS", "CHN"],
            "year": [1960] * 5,
            "cinc": [0.2, 0.05, 0.03, 0.15, None],
        }
    )
    res = balance_of_power(make_store(nmc=nmc), 1960, 1960, measures=["cinc"])
    assert math.isnan(res.concentration["con"].iloc[0])
    assert res.polarity["polarity"].iloc[0] == "unknown"
    assert res.overall["polarity"].iloc[0] == "unknown"
    assert res.rc_vs_us["balances"].isna().all()
    assert math.isnan(res.rc_vs_us["coalition_value"].iloc[0])


def test_bad_arguments(store) -> None:
    with pytest.raises(InputError, match="after"):
        balance_of_power(store, 2000, 1990)
    with pytest.raises(UnknownCountry, match="XXX"):
        balance_of_power(store, 2000, 2001, rival="XXX")
    with pytest.raises(InputError, match="also in the coalition"):
        balance_of_power(store, 2000, 2001, coalition=["USA", "CHN"], rival="usa")


def test_result_json_has_nulls_not_zeros(make_store) -> None:
    nmc = pd.DataFrame(
        {
            "ccode": [2, 200, 220, 365],
            "iso3": ["USA", "GBR", "FRA", "RUS"],
            "year": [1946] * 4,
            "cinc": [0.3, 0.1, None, 0.2],
        }
    )
    out = balance_of_power(
        make_store(nmc=nmc), 1946, 1946, coalition=["RUS", "GBR"], measures=["cinc"]
    ).to_dict()
    assert out["concentration"][0]["con"] is None
    assert out["polarity"][0]["polarity"] == "unknown"
    assert out["assumptions"]


_MAJORS_2016 = {2: "USA", 200: "GBR", 220: "FRA", 255: "DEU", 365: "RUS", 710: "CHN", 740: "JPN"}


def _hand_store(make_store, milex: dict[str, float], gdp: dict[str, float], year: int = 2020):
    """A store with one year of NMC (CINC, population), SIPRI milex and World Bank GDP."""
    nmc = pd.DataFrame(
        {
            "ccode": list(_MAJORS_2016),
            "iso3": list(_MAJORS_2016.values()),
            "year": [year] * 7,
            "cinc": [0.14, 0.01, 0.01, 0.02, 0.04, 0.70, 0.08],
            "tpop": [1000.0] * 7,
        }
    )
    mil = pd.DataFrame(
        {"iso3": list(milex), "year": [year] * len(milex), "milex_usd": list(milex.values())}
    )
    gd = pd.DataFrame({"iso3": list(gdp), "year": [year] * len(gdp), "gdp_usd": list(gdp.values())})
    return make_store(nmc=nmc, milex=mil, gdp=gd)


def test_measures_by_hand_and_contested_polarity(make_store) -> None:
    """Worked example, 2020, seven majors.

    CINC 0.14, 0.01, 0.01, 0.02, 0.04, 0.70, 0.08 (sum 1.0): China 0.70 >= 0.5 -> unipolar (CHN).
    Milex USA 60, others 5, 5, 5, 10, 10, 5 (sum 100): USA 0.6 -> unipolar (USA).
    CON of milex shares 0.6, .05 x4, .1 x2: sum of squares 0.36 + 4 x 0.0025 + 2 x 0.01 = 0.39;
    (0.39 - 1/7) / (6/7) = 0.28833; CON = 0.53697.
    GDP USA 30, CHN 30, the rest 8 each (sum 100): top two 0.6, second = leader -> bipolar.
    Net power GDP^2 / pop (equal pops): 900, 900, 64 x 5 = 2120; USA 0.4245 -> bipolar.
    The four measures disagree -> 'contested', each reading listed.
    Balancing RUS+CHN vs USA on milex: (10 + 10) / 60 = 1/3; on GDP (8 + 30) / 30 = 1.2667.
    """
    milex = {"USA": 60.0, "GBR": 5.0, "FRA": 5.0, "DEU": 5.0, "RUS": 10.0, "CHN": 10.0, "JPN": 5.0}
    gdp = {"USA": 30.0, "CHN": 30.0, "GBR": 8.0, "FRA": 8.0, "DEU": 8.0, "RUS": 8.0, "JPN": 8.0}
    res = balance_of_power(_hand_store(make_store, milex, gdp), 2020, 2020)
    pol = res.polarity.set_index("measure")
    assert pol.loc["cinc", "polarity"] == "unipolar"
    assert pol.loc["cinc", "leader"] == "CHN"
    assert pol.loc["milex", "polarity"] == "unipolar"
    assert pol.loc["milex", "leader"] == "USA"
    assert pol.loc["milex", "concentration"] == pytest.approx(math.sqrt((0.39 - 1 / 7) / (6 / 7)))
    assert pol.loc["gdp", "polarity"] == "bipolar"
    assert pol.loc["net_power", "polarity"] == "bipolar"
    shares = res.share_table.set_index(["measure", "state"])["share"]
    assert shares.loc[("net_power", "USA")] == pytest.approx(900 / 2120)
    assert res.overall["polarity"].iloc[0] == "contested"
    assert "cinc: unipolar (CHN)" in res.overall["readings"].iloc[0]
    assert "milex: unipolar (USA)" in res.overall["readings"].iloc[0]
    ratio = res.rc_vs_us.set_index("measure")["ratio"]
    assert ratio["milex"] == pytest.approx(20 / 60)
    assert ratio["gdp"] == pytest.approx(38 / 30)
    assert list(res.share_table.columns) == ["year", "measure", "state", "share"]
    assert list(res.polarity_table.columns) == ["year", "measure", "concentration", "polarity"]


def test_overall_label_only_where_measures_agree(make_store) -> None:
    """Milex and GDP both give China 0.7 of the total: unipolar (CHN) on every measure."""
    vals = {"USA": 10.0, "GBR": 4.0, "FRA": 4.0, "DEU": 4.0, "RUS": 4.0, "CHN": 70.0, "JPN": 4.0}
    res = balance_of_power(_hand_store(make_store, vals, vals), 2020, 2020)
    assert res.overall["polarity"].iloc[0] == "unipolar (CHN)"


def test_2022_not_unipolar_china_on_all_measures(store, shared_data) -> None:
    """NMC 2022 itself records US military spending about four times China's (raw CSV), so
    the engine must not call 2022 unipolar (CHN): CINC says so, military spending does not."""
    raw = pd.read_csv(shared_data / "cow" / "cow_nmc_v7.csv")
    nmc22 = raw[raw["year"] == 2022].set_index("ccode")["milex"]
    assert nmc22[2] > 3 * nmc22[710]
    res = balance_of_power(store, 2022, 2022)
    pol = res.polarity.set_index("measure")
    assert pol.loc["cinc", "leader"] == "CHN"
    assert pol.loc["milex", "leader"] == "USA"
    assert res.overall["polarity"].iloc[0] == "contested"
    balances = res.rc_vs_us.set_index("measure")["balances"]
    assert bool(balances["cinc"]) is True
    assert bool(balances["milex"]) is False


def test_gdp_shares_match_world_bank_csv(store, shared_data) -> None:
    """The GDP measure's USA/CHN share ratio equals the World Bank CSV's GDP ratio (2019)."""
    raw = pd.read_csv(shared_data / "worldbank" / "gdp_current_usd_1960_2023.csv")
    wb = raw[raw["Year"] == 2019].set_index("Country Code")["Value"]
    res = balance_of_power(store, 2019, 2019, measures=["gdp"])
    shares = res.share_table.set_index("state")["share"]
    assert shares["USA"] / shares["CHN"] == pytest.approx(wb["USA"] / wb["CHN"], rel=1e-9)


def test_unknown_measure(store) -> None:
    with pytest.raises(InputError, match="unknown ppp"):
        balance_of_power(store, 2000, 2001, measures=["ppp"])
