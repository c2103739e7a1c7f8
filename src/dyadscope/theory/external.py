"""Is the A–B relationship driven from outside?  A Granger test of that thesis.

Thesis 004 argues that the Russia–China rapprochement is a response to pressure
from a third state (the United States) rather than a product of the pair's own
affinity (``004_aa016b3768031b75.txt:5-9``, ``:102-107``).  Made falsifiable: if
the thesis holds, the third state's conflict with A and with B should *help
predict* A–B cooperation beyond A–B cooperation's own past (Granger causality),
and not the other way round.

Series (one row per period):

* monthly, from a GDELT events store with at least :data:`MIN_MONTHS` common
  months: ``conflict_a_third`` and ``conflict_b_third`` are the dyads'
  ``conflict_index`` (see :mod:`dyadscope.events.aggregate`), ``coop_ab`` is A–B's
  ``coop_share``;
* otherwise yearly, from UNGA roll calls: conflict = 1 − same-vote share of A and
  the third (and of B and the third); cooperation = A–B same-vote share.

Pipeline (statsmodels): ADF and KPSS tests on each series; if any series is not
stationary by both tests, all series are differenced together (up to twice); a
VAR whose lag order minimises the chosen information criterion (AIC by default,
BIC on request) over 1..maxlags; F-tests of Granger causality in both directions.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from dyadscope.errors import InputError, MissingData
from dyadscope.theory._common import TheoryResult, require_tables, resolve_states

if TYPE_CHECKING:
    from dyadscope.data.store import Store

__all__ = [
    "MIN_MONTHS",
    "MIN_OBS",
    "ExternalResult",
    "externally_driven",
    "granger_var",
    "stationarity",
]

#: Fewest common months for the monthly (events) route.
MIN_MONTHS = 36
#: Fewest observations (after differencing) for a VAR at all.
MIN_OBS = 15
IC = Literal["aic", "bic"]


def stationarity(series: pd.Series, alpha: float = 0.05) -> dict[str, Any]:
    """ADF (null: unit root) and KPSS (null: stationary) on one series.

    The series counts as stationary when ADF rejects its null and KPSS does not.
    KPSS p-values are interpolated in a table bounded at 0.01 and 0.1; statsmodels
    warns when it clips them, and that warning is expected, so it is silenced here.
    """
    from statsmodels.tools.sm_exceptions import InterpolationWarning
    from statsmodels.tsa.stattools import adfuller, kpss

    x = series.dropna().to_numpy(dtype=float)
    if np.ptp(x) == 0:
        return {
            "adf_stat": np.nan,
            "adf_p": np.nan,
            "kpss_stat": np.nan,
            "kpss_p": np.nan,
            "stationary": False,
        }
    adf = adfuller(x, autolag="AIC", result_object=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InterpolationWarning)
        kp = kpss(x, regression="c", nlags="auto", result_object=True)
    adf_stat, adf_p = adf.statistic, adf.pvalue
    kpss_stat, kpss_p = kp.statistic, kp.pvalue
    return {
        "adf_stat": float(adf_stat),
        "adf_p": float(adf_p),
        "kpss_stat": float(kpss_stat),
        "kpss_p": float(kpss_p),
        "stationary": bool(adf_p < alpha and kpss_p > alpha),
    }


@dataclass
class VarTest:
    """What :func:`granger_var` found: tests, coefficients and the settings used."""

    stationarity: pd.DataFrame
    granger: pd.DataFrame
    coefficients: pd.DataFrame
    differences: int
    lag_order: int
    ic: str
    nobs: int


def granger_var(
    data: pd.DataFrame,
    caused: str,
    causing: Sequence[str],
    *,
    ic: IC = "aic",
    maxlags: int | None = None,
    alpha: float = 0.05,
    max_differences: int = 2,
) -> VarTest:
    """Stationarity tests, differencing, a VAR with IC-chosen lags, Granger F-tests.

    ``data`` has one column per series and one row per period (no gaps, no NA).
    Granger tests are run for each ``causing`` column on ``caused``, all of them
    jointly, and ``caused`` on each ``causing`` column (the reverse direction).

    >>> rng = np.random.default_rng(0)  # doctest: +SKIP
    >>> res = granger_var(frame, "y", ["x"])  # doctest: +SKIP
    >>> res.granger.set_index("causing").loc["x", "p_value"] < 0.05  # doctest: +SKIP
    True
    """
    from statsmodels.tsa.api import VAR

    if ic not in ("aic", "bic"):
        raise InputError(f"information criterion {ic!r}: use 'aic' or 'bic'")
    missing = [c for c in (caused, *causing) if c not in data.columns]
    if missing:
        raise InputError(f"series {', '.join(missing)} not among the columns {list(data.columns)}")
    # a plain integer index: the periods are consecutive by contract, and statsmodels
    # would otherwise try to infer a date frequency from the labels
    frame = data[[caused, *causing]].astype(float).reset_index(drop=True)
    if frame.isna().any().any():
        raise InputError("granger_var: the series contain NA; pass a gap-free common span")
    rows, diffs = [], 0
    while True:
        tests = {c: stationarity(frame[c], alpha) for c in frame.columns}
        rows += [{"series": c, "differences": diffs, **t} for c, t in tests.items()]
        if all(t["stationary"] for t in tests.values()) or diffs >= max_differences:
            break
        frame, diffs = frame.diff().dropna(), diffs + 1
    n, k = frame.shape
    if n < MIN_OBS:
        raise MissingData(f"only {n} observations after differencing; a VAR needs {MIN_OBS}")
    cap = max(1, n // (3 * k))
    maxlags = max(1, min(maxlags or cap, cap))
    model = VAR(frame)
    chosen = int(getattr(model.select_order(maxlags=maxlags), ic))
    lag = max(1, chosen)
    fit = model.fit(lag)
    return VarTest(
        stationarity=pd.DataFrame(rows),
        granger=_granger_table(fit, caused, list(causing), alpha),
        coefficients=_coefficients(fit),
        differences=diffs,
        lag_order=lag,
        ic=ic,
        nobs=int(fit.nobs),
    )


def _granger_table(fit: Any, caused: str, causing: list[str], alpha: float) -> pd.DataFrame:
    tests = [(c, caused) for c in causing]
    if len(causing) > 1:
        tests.append((causing, caused))
    tests += [(caused, c) for c in causing]
    rows = []
    for cause, effect in tests:
        t = fit.test_causality(effect, cause, kind="f")
        rows.append(
            {
                "causing": cause if isinstance(cause, str) else "+".join(cause),
                "caused": effect,
                "f_stat": float(t.test_statistic),
                "p_value": float(t.pvalue),
                "df_num": int(t.df[0]),
                "df_denom": int(t.df[1]),
                "significant": bool(t.pvalue < alpha),
            }
        )
    return pd.DataFrame(rows)


def _coefficients(fit: Any) -> pd.DataFrame:
    parts = []
    for name, frame in (("coef", fit.params), ("stderr", fit.stderr), ("p_value", fit.pvalues)):
        long = (
            frame.rename_axis("term")
            .reset_index()
            .melt(id_vars="term", var_name="equation", value_name=name)
        )
        parts.append(long.set_index(["equation", "term"]))
    return pd.concat(parts, axis=1).reset_index()


@dataclass
class ExternalResult(TheoryResult):
    """The externally-driven test for ``a``–``b`` and ``third``.

    Frames: ``granger`` (F-tests both ways), ``stationarity`` (ADF/KPSS per series
    and differencing round), ``coefficients`` (VAR equations), ``series`` (the data
    used, before differencing), ``coverage`` (each series' own span before the common
    gap-free stretch was cut).  Numbers: frequency, coverage, N, lag order.
    """

    a: str = ""
    b: str = ""
    third: str = ""
    frequency: str = "year"
    source: str = ""
    first_period: str = ""
    last_period: str = ""
    nobs: int = 0
    lag_order: int = 0
    ic: str = "aic"
    differences: int = 0
    alpha: float = 0.05
    granger: pd.DataFrame = field(default_factory=pd.DataFrame)
    stationarity: pd.DataFrame = field(default_factory=pd.DataFrame)
    coefficients: pd.DataFrame = field(default_factory=pd.DataFrame)
    series: pd.DataFrame = field(default_factory=pd.DataFrame)
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)
    caveats: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: granger (main), stationarity, coefficients, series, coverage."""
        return {
            "granger": self.granger,
            "stationarity": self.stationarity,
            "coefficients": self.coefficients,
            "series": self.series,
            "coverage": self.coverage,
        }

    def scalars(self) -> dict[str, Any]:
        """Pair, third state, data used and VAR settings, caveats."""
        return {
            "a": self.a,
            "b": self.b,
            "third": self.third,
            "frequency": self.frequency,
            "source": self.source,
            "first_period": self.first_period,
            "last_period": self.last_period,
            "nobs": self.nobs,
            "lag_order": self.lag_order,
            "ic": self.ic,
            "differences": self.differences,
            "alpha": self.alpha,
            "verdict": self.verdict,
            "caveats": self.caveats,
        }

    @property
    def verdict(self) -> str:
        """One sentence on whether the data are consistent with the thesis."""
        g = self.granger.set_index("causing")
        joint = "conflict_a_third+conflict_b_third"
        if joint not in g.index:
            return "no test"
        outward = bool(g.loc[joint, "significant"])
        back = bool(g[g["caused"] != "coop_ab"]["significant"].any())
        if outward and not back:
            return "consistent with the thesis: third-party conflict helps predict A-B cooperation"
        if outward:
            return "mixed: conflict with the third state and A-B cooperation predict each other"
        return (
            "not supported at this level: third-party conflict does not help predict "
            "A-B cooperation"
        )

    def summary_lines(self) -> list[str]:
        """Plain-language summary for the brief and the CLI."""
        out = [
            f"{self.a}-{self.b} cooperation vs conflict of each with {self.third}, "
            f"{self.frequency}ly {self.first_period}-{self.last_period} from {self.source} "
            f"(N = {self.nobs} after differencing {self.differences}x; VAR lag {self.lag_order} "
            f"by {self.ic.upper()}).",
        ]
        for r in self.granger.itertuples():
            word = "helps" if r.significant else "does not help"
            out.append(
                f"{r.causing} {word} predict {r.caused} (F = {r.f_stat:.2f}, p = {r.p_value:.3f})."
            )
        out.append(f"Verdict: {self.verdict}.")
        return out + self.caveats


def _yearly_series(store: Store, a: str, b: str, third: str) -> pd.DataFrame:
    from dyadscope.indicators import compute

    require_tables(store, "unga_votes", "unga_rollcalls")
    bounds = store.con.execute("SELECT min(year), max(year) FROM unga_rollcalls").fetchone()
    if bounds is None or bounds[0] is None:
        raise MissingData("table unga_rollcalls is empty; the yearly test needs UNGA votes")
    cols = {}
    for name, (x, y) in {
        "coop_ab": (a, b),
        "conflict_a_third": (a, third),
        "conflict_b_third": (b, third),
    }.items():
        ind = compute(store, x, y, int(bounds[0]), int(bounds[1]), only=["unga_same_vote"])
        s = ind[ind["indicator"] == "unga_same_vote"].set_index("year")["value"].astype(float)
        cols[name] = s if name == "coop_ab" else 1.0 - s
    return pd.DataFrame(cols)


def _monthly_series(events_store: Path, a: str, b: str, third: str) -> pd.DataFrame:
    from dyadscope.theory._events import dyad_series

    cols = {}
    for name, (x, y, col) in {
        "coop_ab": (a, b, "coop_share"),
        "conflict_a_third": (a, third, "conflict_index"),
        "conflict_b_third": (b, third, "conflict_index"),
    }.items():
        s = dyad_series(events_store, x, y, "month")
        cols[name] = (
            s.set_index(s["period"].astype(str))[col].astype(float) if not s.empty else pd.Series()
        )
    return pd.DataFrame(cols)


def _coverage(raw: pd.DataFrame) -> pd.DataFrame:
    """Per series: first and last period with a value and how many periods have one."""
    rows = []
    for name in raw.columns:
        s = raw[name].dropna()
        labels = sorted(str(p) for p in s.index)
        rows.append(
            {
                "series": name,
                "first_period": labels[0] if labels else None,
                "last_period": labels[-1] if labels else None,
                "n_values": len(s),
            }
        )
    return pd.DataFrame(rows)


def _longest_run(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """The longest stretch of consecutive periods where every series has a value."""
    full = frame.dropna()
    if full.empty:
        return full
    idx = pd.PeriodIndex([str(p) for p in full.index], freq="M" if freq == "month" else "Y")
    ordinal = np.asarray(idx.asi8)
    breaks = np.r_[0, np.flatnonzero(np.diff(ordinal) != 1) + 1, len(ordinal)]
    i = int(np.argmax(np.diff(breaks)))
    return full.iloc[breaks[i] : breaks[i + 1]]


def externally_driven(
    store: Store,
    a: str,
    b: str,
    third: str = "USA",
    events_store: str | Path | None = None,
    *,
    ic: IC = "aic",
    maxlags: int | None = None,
    alpha: float = 0.05,
) -> ExternalResult:
    """Granger-test whether conflict with ``third`` drives ``a``–``b`` cooperation.

    Uses monthly event series when ``events_store`` holds at least
    :data:`MIN_MONTHS` common months for the three dyads, else yearly UNGA votes.

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> res = externally_driven(vendored_store(), "RUS", "CHN", "USA")  # doctest: +SKIP
    >>> print("\\n".join(res.summary_lines()))  # doctest: +SKIP
    """
    codes = list(resolve_states(store, [a, b, third]))
    if len(codes) != 3:
        raise InputError(f"need three different states; got {a!r}, {b!r} and third {third!r}")
    a, b, third = codes
    freq, source, data = "year", "UNGA roll calls (same-vote share)", pd.DataFrame()
    raw = pd.DataFrame()
    notes: list[str] = []
    if events_store is not None:
        raw = _monthly_series(Path(events_store), a, b, third)
        monthly = _longest_run(raw, "month")
        if len(monthly) >= MIN_MONTHS:
            freq, source, data = "month", "GDELT events store (coop_share, conflict_index)", monthly
        else:
            notes.append(
                f"The events store has {len(monthly)} common consecutive months (fewer than "
                f"{MIN_MONTHS}), so the yearly UNGA series were used instead."
            )
    if data.empty:
        raw = _yearly_series(store, a, b, third)
        data = _longest_run(raw, "year")
    if len(data) < MIN_OBS:
        raise MissingData(
            f"{a}-{b} with {third}: only {len(data)} consecutive {freq}s with all three series; "
            f"the test needs at least {MIN_OBS}"
        )
    test = granger_var(
        data,
        "coop_ab",
        ["conflict_a_third", "conflict_b_third"],
        ic=ic,
        maxlags=maxlags,
        alpha=alpha,
    )
    series = data.rename_axis("period").reset_index()
    series["period"] = series["period"].astype(str)
    return ExternalResult(
        assumptions=_assumptions(freq),
        a=a,
        b=b,
        third=third,
        frequency=freq,
        source=source,
        first_period=series["period"].iloc[0],
        last_period=series["period"].iloc[-1],
        nobs=test.nobs,
        lag_order=test.lag_order,
        ic=ic,
        differences=test.differences,
        alpha=alpha,
        granger=test.granger,
        stationarity=test.stationarity,
        coefficients=test.coefficients,
        series=series,
        coverage=_coverage(raw),
        caveats=notes + _caveats(freq, test),
    )


def _assumptions(freq: str) -> list[str]:
    conflict = (
        "the GDELT conflict index of each dyad"
        if freq == "month"
        else "UNGA disagreement (1 - same-vote share) of each state with the third"
    )
    return [
        f"Pressure from the third state is measured by {conflict}; cooperation by the pair's "
        + ("cooperative share of events." if freq == "month" else "UNGA same-vote share."),
        "The relationships are linear and stable over the whole span (one VAR, fixed lags).",
        "Granger causality means predictive precedence, not causation.",
    ]


def _caveats(freq: str, test: VarTest) -> list[str]:
    out = [
        "Granger causality is about prediction: a common cause or an omitted series can "
        "produce it, and it cannot show why states act."
    ]
    if test.nobs < 50:
        out.append(
            f"Only {test.nobs} observations: tests have little power, so 'no effect' "
            "is weak evidence of absence."
        )
    if test.differences:
        out.append(
            f"Series were differenced {test.differences}x to pass ADF/KPSS, so the test "
            "is about changes, not levels."
        )
    if not test.stationarity[test.stationarity["differences"] == test.differences][
        "stationary"
    ].all():
        out.append("Some series remain non-stationary after differencing; p-values may be off.")
    if freq == "year":
        out.append(
            "The yearly fallback uses UNGA votes, which mix many issues and move slowly; "
            "it is a weak proxy for conflict and cooperation."
        )
    return out
