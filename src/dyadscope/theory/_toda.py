"""Toda-Yamamoto causality tests and a CUSUM structural-break test.

Toda & Yamamoto (1995, "Statistical inference in vector autoregressions with
possibly integrated processes", Journal of Econometrics 66) avoid pre-testing for
unit roots and differencing: fit a VAR in *levels* with ``p + d_max`` lags, where
``p`` is the lag order chosen by an information criterion and ``d_max`` the highest
order of integration among the series, and Wald-test only the first ``p`` lags of
the causing series in the caused series' equation.  The extra ``d_max`` lags are
left unrestricted, which keeps the Wald statistic asymptotically chi-square with
``p`` degrees of freedom whether the series are I(0), I(1) or cointegrated.

The break test is the OLS-residual CUSUM test of Ploberger & Krämer (1992,
Econometrica 60(2)) from statsmodels (``breaks_cusumolsresid``), run on the caused
series' equation; when it rejects stability the break date is where the cumulated
residuals peak in absolute value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyadscope.errors import InputError, MissingData

__all__ = ["CusumBreak", "cusum_break", "integration_order", "lagged_design", "toda_yamamoto"]


def integration_order(series: pd.Series, alpha: float = 0.05, max_d: int = 2) -> int:
    """Differences needed before ADF rejects a unit root and KPSS does not reject
    stationarity (at most ``max_d``)."""
    from dyadscope.theory.external import stationarity

    s = series.astype(float).reset_index(drop=True)
    for d in range(max_d + 1):
        if stationarity(s, alpha)["stationary"]:
            return d
        s = s.diff().dropna()
    return max_d


def lagged_design(frame: pd.DataFrame, lags: int) -> tuple[np.ndarray, list[str]]:
    """Regressors ``const, L1.x, L1.y, ..., L<lags>.x, ...`` for rows ``lags..n-1``."""
    values = frame.to_numpy(dtype=float)
    n = len(values)
    cols = [np.ones(n - lags)]
    names = ["const"]
    for lag in range(1, lags + 1):
        for j, name in enumerate(frame.columns):
            cols.append(values[lags - lag : n - lag, j])
            names.append(f"L{lag}.{name}")
    return np.column_stack(cols), names


def _select_lag(frame: pd.DataFrame, ic: str, maxlags: int) -> int:
    from statsmodels.tsa.vector_ar.var_model import VAR  # the same class; tsa.api costs 0.1 s more

    chosen = VAR(frame.reset_index(drop=True)).select_order(maxlags=maxlags)
    return max(1, int(getattr(chosen, ic)))


def toda_yamamoto(
    data: pd.DataFrame,
    caused: str,
    causing: Sequence[str],
    *,
    ic: str = "aic",
    maxlags: int | None = None,
    alpha: float = 0.05,
    d_max: int | None = None,
    lag: int | None = None,
) -> tuple[pd.DataFrame, int, int, int]:
    """Toda-Yamamoto Wald tests; returns (table, p, d_max, nobs).

    The table has one row per test: each ``causing`` series on ``caused``, all of
    them jointly, and ``caused`` on each of them (reverse): ``causing, caused, wald,
    df, p_value, significant``.  ``lag`` fixes ``p`` (else chosen by ``ic``),
    ``d_max`` fixes the integration order (else from ADF/KPSS per series).
    """
    from scipy import stats

    frame = data[[caused, *causing]].astype(float).reset_index(drop=True)
    if frame.isna().any().any():
        raise InputError("toda_yamamoto: the series contain NA; pass a gap-free common span")
    n, k = frame.shape
    if d_max is None:
        d_max = max(integration_order(frame[c], alpha) for c in frame.columns)
    cap = max(1, (n - d_max) // (3 * k))
    p = lag if lag is not None else _select_lag(frame, ic, max(1, min(maxlags or cap, cap)))
    total = p + d_max
    x, names = lagged_design(frame, total)
    if len(x) - x.shape[1] < 5:
        raise MissingData(
            f"only {n} observations for a VAR({p}+{d_max}) in levels with {k} series; "
            "too few degrees of freedom"
        )
    tests: list[tuple[list[str], str]] = [([c], caused) for c in causing]
    if len(causing) > 1:
        tests.append((list(causing), caused))
    tests += [([caused], c) for c in causing]
    rows = []
    for cause, effect in tests:
        y = frame[effect].to_numpy()[total:]
        beta, *_ = np.linalg.lstsq(x, y, rcond=None)
        resid = y - x @ beta
        dof = len(y) - x.shape[1]
        sigma2 = float(resid @ resid) / dof
        cov = sigma2 * np.linalg.pinv(x.T @ x)
        idx = [names.index(f"L{lag_}.{c}") for lag_ in range(1, p + 1) for c in cause]
        b = beta[idx]
        wald = float(b @ np.linalg.solve(cov[np.ix_(idx, idx)], b))
        pval = float(stats.chi2.sf(wald, len(idx)))
        rows.append(
            {
                "causing": "+".join(cause),
                "caused": effect,
                "wald": wald,
                "df": len(idx),
                "p_value": pval,
                "significant": pval < alpha,
            }
        )
    return pd.DataFrame(rows), p, d_max, n - total


@dataclass(frozen=True)
class CusumBreak:
    """CUSUM test on one equation: statistic, p-value, and the break index if rejected."""

    statistic: float
    p_value: float
    break_index: int | None


def cusum_break(data: pd.DataFrame, caused: str, lags: int, alpha: float = 0.05) -> CusumBreak:
    """OLS-residual CUSUM test on ``caused``'s equation with ``lags`` lags of every series.

    ``break_index`` is the row of ``data`` where the cumulated residuals peak in
    absolute value when the test rejects stability at ``alpha``, else None.
    """
    from statsmodels.stats.diagnostic import breaks_cusumolsresid

    frame = data.astype(float).reset_index(drop=True)
    x, _ = lagged_design(frame, lags)
    y = frame[caused].to_numpy()[lags:]
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    stat, pval, _crit = breaks_cusumolsresid(resid, ddof=x.shape[1])
    index = None
    if pval < alpha:
        cum = np.cumsum(resid - resid.mean())
        index = int(np.argmax(np.abs(cum))) + lags + 1
    return CusumBreak(float(stat), float(pval), index)
