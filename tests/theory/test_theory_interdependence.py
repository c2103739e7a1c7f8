"""Interdependence: leverage sign and size on real COW trade figures; NA channels."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dyadscope.errors import InputError
from dyadscope.theory.interdependence import interdependence


@pytest.fixture(scope="module")
def result(store):
    return interdependence(store, "rus", "CHN", 2010, 2016)


def test_china_has_leverage_over_russia_in_2013(result) -> None:
    """MANIFEST (COW trade v4): China is 11.16% of Russia's trade, Russia 1.82% of China's.

    Only trade is measured for both sides (Russia's arms imports are not in the SIPRI
    extract), so leverage of CHN over RUS = 0.1116 - 0.0182 = 0.0934.
    """
    lev = result.leverage.set_index("year").loc[2013]
    assert lev["leverage_b_over_a"] > 0
    assert lev["leverage_b_over_a"] == pytest.approx(0.1116 - 0.0182, abs=0.0005)
    assert lev["leverage_a_over_b"] == pytest.approx(-lev["leverage_b_over_a"])
    assert lev["channels_used"] == "trade"


def test_missing_channels_are_na(result) -> None:
    dep = result.dependence
    assert dep[dep.channel == "energy"]["value"].isna().all()
    rus_arms = dep[(dep.channel == "arms") & (dep.dependent == "RUS")]
    assert rus_arms["value"].isna().all()
    # COW trade ends in 2014: later years are NA, and so is leverage
    lev = result.leverage.set_index("year")
    assert math.isnan(lev.loc[2015, "leverage_a_over_b"])
    assert pd.isna(lev.loc[2015, "channels_used"])


def test_vulnerability_uses_arms_for_china(result) -> None:
    sens = result.sensitivity.set_index(["year", "state"])
    row = sens.loc[(2013, "CHN")]
    dep = result.dependence
    arms = dep[(dep.year == 2013) & (dep.dependent == "CHN") & (dep.channel == "arms")]
    assert row["vulnerability"] == pytest.approx(arms["value"].iloc[0])
    assert row["channels"] == "trade+arms"
    assert math.isnan(sens.loc[(2013, "RUS"), "vulnerability"])


def test_bad_arguments(store) -> None:
    with pytest.raises(InputError, match="after"):
        interdependence(store, "RUS", "CHN", 2014, 2010)
    with pytest.raises(InputError, match="two different"):
        interdependence(store, "RUS", "rus", 2010, 2014)
