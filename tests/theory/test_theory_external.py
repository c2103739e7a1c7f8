"""Externally-driven test: VAR/Granger pipeline on simulated and real series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dyadscope.errors import InputError, MissingData
from dyadscope.theory.external import externally_driven, granger_var, stationarity


def _simulated(n: int = 300, seed: int = 3) -> pd.DataFrame:
    """x is white noise; y depends on its own lag and on x's lag (0.8), so x Granger-causes y
    by construction and y carries no information about future x."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = 0.3 * y[t - 1] + 0.8 * x[t - 1] + rng.normal(scale=0.5)
    return pd.DataFrame({"y": y, "x": x})


def test_granger_finds_constructed_direction() -> None:
    res = granger_var(_simulated(), "y", ["x"])
    g = res.granger.set_index(["causing", "caused"])
    assert g.loc[("x", "y"), "p_value"] < 1e-6
    assert g.loc[("x", "y"), "significant"]
    assert g.loc[("y", "x"), "p_value"] > 0.05
    assert res.differences == 0
    assert res.lag_order >= 1
    coef = res.coefficients.set_index(["equation", "term"])
    assert coef.loc[("y", "L1.x"), "coef"] == pytest.approx(0.8, abs=0.1)


def test_random_walks_are_differenced() -> None:
    """Cumulated noise has a unit root: ADF does not reject, so the pipeline differences."""
    rng = np.random.default_rng(5)
    walk = pd.DataFrame({"y": rng.normal(size=200).cumsum(), "x": rng.normal(size=200).cumsum()})
    assert not stationarity(walk["y"])["stationary"]
    res = granger_var(walk, "y", ["x"])
    assert res.differences >= 1
    assert set(res.stationarity["differences"]) >= {0, 1}


def test_bic_and_bad_inputs() -> None:
    sim = _simulated(120)
    assert granger_var(sim, "y", ["x"], ic="bic").ic == "bic"
    with pytest.raises(InputError, match="aic"):
        granger_var(sim, "y", ["x"], ic="hqic")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not among"):
        granger_var(sim, "y", ["z"])
    with pytest.raises(InputError, match="NA"):
        granger_var(sim.assign(x=np.nan), "y", ["x"])
    with pytest.raises(MissingData, match="observations"):
        granger_var(sim.head(10), "y", ["x"])


def test_yearly_fallback_on_real_unga_votes(store) -> None:
    """No events store: the yearly route, after 1992 by default, Toda-Yamamoto in levels,
    ideal-point distances from the USA (BSV; China's from 1971) as the third-party measure."""
    res = externally_driven(store, "RUS", "CHN", third="usa")
    assert res.frequency == "year" and res.method == "toda-yamamoto"
    assert res.window == (1993, None)
    assert res.first_period == "1993"
    assert res.differences == 0  # nothing differenced in Toda-Yamamoto
    assert res.nobs == len(res.series) - res.lag_order - res.d_max
    assert "ideal-point distance" in res.source
    assert {"conflict_a_third+conflict_b_third"} <= set(res.granger["causing"])
    assert set(res.granger.columns) >= {"wald", "df", "p_value"}
    # the third-party series is the ideal-point distance in the store
    ip = (
        store.con.execute(
            "SELECT iso3, ideal_point FROM ideal_points WHERE year = 2000 AND iso3 IN ('RUS','USA')"
        )
        .df()
        .set_index("iso3")["ideal_point"]
    )
    row = res.series.set_index("period").loc["2000"]
    assert row["conflict_a_third"] == pytest.approx(abs(ip["RUS"] - ip["USA"]))
    assert len(res.breaks) == 1 and 0 <= res.breaks["p_value"].iloc[0] <= 1
    out = res.to_dict()
    assert out["window"] == [1993, None] and out["nobs"] == res.nobs
    assert out["series_names"] == ["coop_ab", "conflict_a_third", "conflict_b_third"]
    lines = res.summary_lines()
    assert any("Granger causality is about prediction" in ln for ln in lines)
    assert any("CUSUM" in ln for ln in lines)
    assert res.caveats


def test_var_diff_method_and_window(store) -> None:
    res = externally_driven(store, "RUS", "CHN", "USA", start=1971, end=2019, method="var-diff")
    assert (res.first_period, res.last_period) == ("1971", "2019")
    assert "f_stat" in res.granger.columns
    with pytest.raises(InputError, match="method"):
        externally_driven(store, "RUS", "CHN", "USA", method="ols")  # type: ignore[arg-type]


def test_same_states_rejected(store) -> None:
    with pytest.raises(InputError, match="three different"):
        externally_driven(store, "RUS", "CHN", third="rus")
