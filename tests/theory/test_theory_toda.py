"""Toda-Yamamoto on simulated VARs with known causality, and the CUSUM break test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dyadscope.theory._toda import cusum_break, lagged_design, toda_yamamoto


def _simulate(n: int, effect: float, seed: int, integrated: bool = False) -> pd.DataFrame:
    """x is an AR(1) (or a random walk); y_t = 0.3 y_{t-1} + effect * x_{t-1} + e_t.
    With effect 0, x does not Granger-cause y; y never enters x's equation."""
    rng = np.random.default_rng(seed)
    x = np.zeros(n)
    y = np.zeros(n)
    for t in range(1, n):
        x[t] = (1.0 if integrated else 0.5) * x[t - 1] + rng.normal()
        y[t] = 0.3 * y[t - 1] + effect * x[t - 1] + rng.normal()
    return pd.DataFrame({"y": y, "x": x})


def test_lagged_design_by_hand() -> None:
    """Rows t = 2, 3 of a 4-row frame with 2 lags: [1, x_{t-1}, y_{t-1}, x_{t-2}, y_{t-2}]."""
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [10.0, 20.0, 30.0, 40.0]})
    x, names = lagged_design(frame, 2)
    assert names == ["const", "L1.x", "L1.y", "L2.x", "L2.y"]
    assert x.tolist() == [[1, 2, 20, 1, 10], [1, 3, 30, 2, 20]]


@pytest.mark.parametrize("integrated", [False, True])
def test_detects_known_causality(integrated: bool) -> None:
    data = _simulate(200, 0.8, seed=1, integrated=integrated)
    table, p, d_max, nobs = toda_yamamoto(data, "y", ["x"], lag=1, d_max=1)
    g = table.set_index(["causing", "caused"])
    assert g.loc[("x", "y"), "significant"]
    assert g.loc[("x", "y"), "df"] == 1  # only the first p lags are restricted
    assert g.loc[("x", "y"), "p_value"] < 1e-6
    assert (p, d_max, nobs) == (1, 1, 198)


def test_no_causality_is_rarely_rejected() -> None:
    """Under the null (effect 0) the test rejects at 5% in roughly 5% of samples."""
    rejections = [
        toda_yamamoto(_simulate(120, 0.0, seed=s), "y", ["x"], lag=1, d_max=1)[0]
        .set_index("causing")
        .loc["x", "significant"]
        for s in range(40)
    ]
    assert np.mean(rejections) <= 0.15


def test_reverse_direction_is_rarely_rejected() -> None:
    """x drives y, y never enters x's equation: 'y causes x' is rejected about 5% of the time,
    while 'x causes y' is rejected every time."""
    tables = [
        toda_yamamoto(_simulate(120, 0.8, seed=s), "y", ["x"], lag=1, d_max=1)[0].set_index(
            "causing"
        )
        for s in range(40)
    ]
    assert np.mean([t.loc["y", "significant"] for t in tables]) <= 0.15
    assert all(t.loc["x", "significant"] for t in tables)


def test_cusum_finds_a_shift() -> None:
    """y jumps by 4 from row 60 of 120: stability is rejected and the break lies near 60."""
    rng = np.random.default_rng(3)
    n = 120
    x = rng.normal(size=n)
    y = rng.normal(size=n) + np.where(np.arange(n) >= 60, 4.0, 0.0)
    res = cusum_break(pd.DataFrame({"y": y, "x": x}), "y", lags=1)
    assert res.p_value < 0.05
    assert res.break_index is not None and abs(res.break_index - 60) <= 8
    calm = cusum_break(pd.DataFrame({"y": rng.normal(size=n), "x": x}), "y", lags=1)
    assert calm.break_index is None
