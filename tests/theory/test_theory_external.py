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
    """No events store: the yearly UNGA route. China votes from 1971 (MANIFEST), unvotes ends
    in 2019, so the common span is 1971-2019 (1964 had no roll calls but precedes it)."""
    res = externally_driven(store, "RUS", "CHN", third="usa")
    assert res.frequency == "year"
    assert (res.first_period, res.last_period) == ("1971", "2019")
    assert len(res.series) == 2019 - 1971 + 1
    assert res.nobs == len(res.series) - res.differences - res.lag_order
    assert {"conflict_a_third+conflict_b_third"} <= set(res.granger["causing"])
    cov = res.coverage.set_index("series")
    assert cov.loc["coop_ab", "first_period"] == "1971"  # the PRC's first UNGA vote
    assert cov.loc["conflict_a_third", "first_period"] == "1946"
    lines = res.summary_lines()
    assert any("Granger causality is about prediction" in ln for ln in lines)
    assert any("UNGA votes" in ln for ln in lines)
    assert res.to_dict()["caveats"]


def test_same_states_rejected(store) -> None:
    with pytest.raises(InputError, match="three different"):
        externally_driven(store, "RUS", "CHN", third="rus")
