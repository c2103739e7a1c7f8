"""Interdependence: channels for both members, HHI by hand, leverage on real COW trade."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dyadscope.errors import InputError
from dyadscope.theory.interdependence import (
    CHANNELS,
    channel_family,
    herfindahl,
    interdependence,
)


@pytest.fixture(scope="module")
def result(store):
    return interdependence(store, "rus", "CHN", 2010, 2023)


def test_herfindahl_by_hand() -> None:
    """Flows 6, 3, 1: shares 0.6, 0.3, 0.1; HHI 0.36 + 0.09 + 0.01 = 0.46."""
    assert herfindahl([6, 3, 1]) == pytest.approx(0.46)
    assert herfindahl([5]) == 1.0
    assert math.isnan(herfindahl([0, 0]))


def test_same_channels_for_both_members(result) -> None:
    ch = result.channels
    assert list(ch.columns) == [
        "year",
        "state",
        "partner",
        "channel",
        "sensitivity",
        "vulnerability",
        "source",
    ]
    per_state = ch.groupby("state")["channel"].apply(set)
    assert per_state["RUS"] == per_state["CHN"] == set(CHANNELS)


def test_trade_sensitivity_matches_manifest(result) -> None:
    """MANIFEST (COW trade v4): China is 11.16% of Russia's trade in 2013, Russia 1.82% of
    China's; one source (COW) for numerator and denominator."""
    ch = result.channels.set_index(["year", "state", "channel"])
    assert ch.loc[(2013, "RUS", "trade"), "sensitivity"] == pytest.approx(0.1116, abs=5e-4)
    assert ch.loc[(2013, "CHN", "trade"), "sensitivity"] == pytest.approx(0.0182, abs=5e-4)
    assert "COW" in ch.loc[(2013, "RUS", "trade"), "source"]
    # COW ends in 2014: later trade is NA, never 0
    assert math.isnan(ch.loc[(2016, "RUS", "trade"), "sensitivity"])


def test_energy_both_directions_from_ei(result, store) -> None:
    """2023: China's pipeline-gas imports from Russia and Russia's exports to China are the
    indicator values (one EI sheet each); pipeline vulnerability equals sensitivity."""
    from dyadscope.indicators import compute

    ind = compute(
        store,
        "RUS",
        "CHN",
        2023,
        2023,
        only=["energy_pipeline_gas_share_b_imports", "energy_pipeline_gas_share_a_exports"],
    ).set_index("indicator")["value"]
    ch = result.channels.set_index(["year", "state", "channel"])
    chn = ch.loc[(2023, "CHN", "energy_pipeline_gas_supply")]
    rus = ch.loc[(2023, "RUS", "energy_pipeline_gas_market")]
    assert chn["sensitivity"] == pytest.approx(ind["energy_pipeline_gas_share_b_imports"])
    assert rus["sensitivity"] == pytest.approx(ind["energy_pipeline_gas_share_a_exports"])
    assert chn["vulnerability"] == chn["sensitivity"]
    assert math.isnan(ch.loc[(2023, "CHN", "energy_lng_supply"), "vulnerability"])


def test_arms_vulnerability_is_share_times_supplier_hhi(result, store) -> None:
    """China's 2013 arms imports: vulnerability = Russia's share x HHI of China's suppliers."""
    df = store.con.execute(
        "SELECT supplier_iso3, sum(tiv) AS v FROM sipri_transfers WHERE recipient_iso3 = 'CHN' "
        "AND year = 2013 GROUP BY 1"
    ).df()
    shares = df["v"] / df["v"].sum()
    row = result.channels.set_index(["year", "state", "channel"]).loc[(2013, "CHN", "arms_supply")]
    rus = float(shares[df["supplier_iso3"] == "RUS"].iloc[0])
    assert row["sensitivity"] == pytest.approx(rus)
    assert row["vulnerability"] == pytest.approx(rus * float((shares**2).sum()))


def test_leverage_from_families_measured_for_both(result) -> None:
    lev = result.leverage.set_index("year")
    fam = result.channels.assign(family=result.channels["channel"].map(channel_family))
    sub = fam[fam.year == 2013].pivot_table(
        index="family", columns="state", values="sensitivity", aggfunc="max"
    )
    sub = sub.dropna()
    assert lev.loc[2013, "leverage_a_over_b"] == pytest.approx((sub["CHN"] - sub["RUS"]).mean())
    assert lev.loc[2013, "leverage_b_over_a"] == pytest.approx(-lev.loc[2013, "leverage_a_over_b"])
    assert "trade" in lev.loc[2013, "channels_used"]
    assert "trade" not in lev.loc[2016, "channels_used"]
    assert channel_family("energy_crude_market") == "crude"
    assert channel_family("trade") == "trade"


def test_bad_arguments(store) -> None:
    with pytest.raises(InputError, match="after"):
        interdependence(store, "RUS", "CHN", 2014, 2010)
    with pytest.raises(InputError, match="two different"):
        interdependence(store, "RUS", "rus", 2010, 2014)


def test_json_has_nulls(result) -> None:
    out = result.to_dict()
    assert any(r["vulnerability"] is None for r in out["channels"])
    assert isinstance(pd.DataFrame(out["leverage"]), pd.DataFrame)
