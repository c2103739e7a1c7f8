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
* otherwise yearly: conflict with the third = the absolute UNGA ideal-point
  distance of A (and of B) from the third state (Bailey, Strezhnev & Voeten 2017,
  table ``ideal_points``); cooperation = the A–B UNGA same-vote share (an A–B
  ideal-point distance would be collinear with the other two).  Where a state has
  no ideal point, UNGA disagreement stands in and ``source`` says so.

The window starts in 1993 by default (after the Soviet collapse, which a single
VAR spanning it would treat as one regime).

Default method, Toda–Yamamoto (:mod:`dyadscope.theory._toda`): a VAR in levels with
``p + d_max`` lags (``p`` by AIC/BIC, ``d_max`` the highest integration order by
ADF/KPSS), Wald tests on the first ``p`` lags only, so no series is differenced
that is stationary.  ``method="var-diff"`` keeps the earlier route (difference
every series until all pass ADF/KPSS, then F-tests).  A CUSUM test of the
cooperation equation looks for a structural break; when it finds one, the break
period is reported and the test is re-run on each segment long enough for it.
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
    from statsmodels.tsa.vector_ar.var_model import VAR  # tsa.api imports far more

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
    tests: list[tuple[str | list[str], str]] = [(c, caused) for c in causing]
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
    out: pd.DataFrame = pd.concat(parts, axis=1).reset_index()
    return out


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
    method: str = "toda-yamamoto"
    d_max: int = 0
    window: tuple[int, int | None] = (1993, None)
    breaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    segments: pd.DataFrame = field(default_factory=pd.DataFrame)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: granger (main), breaks, segments, stationarity, coefficients, ..."""
        return {
            "granger": self.granger,
            "breaks": self.breaks,
            "segments": self.segments,
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
            "method": self.method,
            "window": list(self.window),
            "series_names": ["coop_ab", "conflict_a_third", "conflict_b_third"],
            "d_max": self.d_max,
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

    def series_label(self, name: str) -> str:
        """A reader's name for a series of the VAR (``coop_ab`` -> "RUS-CHN cooperation")."""
        labels = {
            "coop_ab": f"{self.a}-{self.b} cooperation",
            "conflict_a_third": f"{self.a}'s distance from {self.third}",
            "conflict_b_third": f"{self.b}'s distance from {self.third}",
        }
        return labels.get(name, name.replace("_", " "))

    def summary_lines(self) -> list[str]:
        """Plain-language summary for the brief and the CLI."""
        how = (
            f"Toda-Yamamoto VAR in levels, lag {self.lag_order} by {self.ic.upper()} + "
            f"{self.d_max} extra"
            if self.method == "toda-yamamoto"
            else f"differenced {self.differences}x; VAR lag {self.lag_order} by {self.ic.upper()}"
        )
        out = [
            f"{self.a}-{self.b} cooperation vs conflict of each with {self.third}, "
            f"{self.frequency}ly {self.first_period}-{self.last_period} from {self.source} "
            f"(N = {self.nobs}; {how}).",
        ]
        for r in self.granger.to_dict("records"):
            word = "helps" if r["significant"] else "does not help"
            stat = f"F = {r['f_stat']:.2f}" if "f_stat" in r else f"Wald = {r['wald']:.2f}"
            causing = " and ".join(self.series_label(n) for n in str(r["causing"]).split("+"))
            caused = self.series_label(str(r["caused"]))
            out.append(f"{causing} {word} predict {caused} ({stat}, p = {r['p_value']:.3f}).")
        for r in self.breaks.to_dict("records"):
            out.append(
                f"CUSUM stability test of the cooperation equation: p = {r['p_value']:.3f}"
                + (f"; break at {r['break_period']}." if r["break_period"] else "; no break.")
            )
        out.append(f"Verdict: {self.verdict}.")
        return out + self.caveats


def _yearly_series(store: Store, a: str, b: str, third: str) -> tuple[pd.DataFrame, str]:
    """A-B same-vote share, and each member's ideal-point distance from the third state.

    Cooperation is not an ideal-point distance too: on one dimension, with the third
    state outside the pair, |a - b| = |a - t| - |b - t| and the three series would be
    collinear.  Without ideal points for all three, UNGA disagreement stands in.
    """
    wide = None
    if store.has("ideal_points"):
        ip = store.con.execute(
            "SELECT iso3, year, ideal_point FROM ideal_points WHERE iso3 IN (?, ?, ?)",
            [a, b, third],
        ).df()
        wide = ip.pivot_table(index="year", columns="iso3", values="ideal_point")
    # with ideal points for all three, the conflicts' vote series would go unused
    if wide is not None and {a, b, third} <= set(wide.columns):
        votes = _vote_series(store, a, b, third, coop_only=True)
        frame = pd.DataFrame(
            {
                "coop_ab": votes["coop_ab"],
                "conflict_a_third": (wide[a] - wide[third]).abs(),
                "conflict_b_third": (wide[b] - wide[third]).abs(),
            }
        )
        return frame, (
            "UNGA: A-B same-vote share; ideal-point distance from the third state "
            "(Bailey, Strezhnev & Voeten)"
        )
    votes = _vote_series(store, a, b, third)
    return votes, "UNGA roll calls (same-vote share)"


def _vote_series(
    store: Store, a: str, b: str, third: str, *, coop_only: bool = False
) -> pd.DataFrame:
    """Same-vote share of A-B (``coop_ab``) and disagreement of each with the third state."""
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
        if coop_only and name != "coop_ab":
            continue
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


def _window(raw: pd.DataFrame, freq: str, start: int, end: int | None) -> pd.DataFrame:
    years = np.array([int(str(p)[:4]) for p in raw.index])
    keep = (years >= start) & (years <= (end if end is not None else 9999))
    return raw[keep]


def _segments(data: pd.DataFrame, cut: int | None, ic: IC, alpha: float) -> pd.DataFrame:
    """The joint Toda-Yamamoto test re-run on each side of a break (when long enough)."""
    from dyadscope.theory._toda import toda_yamamoto

    if cut is None:
        return pd.DataFrame()
    rows = []
    for name, part in (("before", data.iloc[:cut]), ("after", data.iloc[cut:])):
        row: dict[str, Any] = {
            "segment": name,
            "first_period": str(part.index[0]) if len(part) else None,
            "last_period": str(part.index[-1]) if len(part) else None,
            "n": len(part),
            "joint_p_value": np.nan,
            "note": "",
        }
        if len(part) < MIN_OBS:
            row["note"] = f"too short for the test (fewer than {MIN_OBS} periods)"
        else:
            try:
                table, *_ = toda_yamamoto(
                    part, "coop_ab", ["conflict_a_third", "conflict_b_third"], ic=ic, alpha=alpha
                )
                joint = table[table["causing"] == "conflict_a_third+conflict_b_third"]
                row["joint_p_value"] = float(joint["p_value"].iloc[0])
            except (MissingData, InputError, np.linalg.LinAlgError) as exc:
                row["note"] = str(exc)
        rows.append(row)
    return pd.DataFrame(rows)


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
    start: int = 1993,
    end: int | None = None,
    method: Literal["toda-yamamoto", "var-diff"] = "toda-yamamoto",
) -> ExternalResult:
    """Test whether conflict with ``third`` helps predict ``a``–``b`` cooperation.

    Uses monthly event series when ``events_store`` holds at least
    :data:`MIN_MONTHS` common months for the three dyads in the window
    ``start``..``end``, else yearly UNGA ideal-point distances.  ``method`` is
    ``"toda-yamamoto"`` (default) or ``"var-diff"``.

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> res = externally_driven(vendored_store(), "RUS", "CHN", "USA")  # doctest: +SKIP
    >>> print("\\n".join(res.summary_lines()))  # doctest: +SKIP
    """
    from dyadscope.theory._toda import cusum_break, toda_yamamoto

    if method not in ("toda-yamamoto", "var-diff"):
        raise InputError(f"method {method!r}: use 'toda-yamamoto' or 'var-diff'")
    if end is not None and start > end:
        raise InputError(f"start {start} is after end {end}")
    codes = list(resolve_states(store, [a, b, third]))
    if len(codes) != 3:
        raise InputError(f"need three different states; got {a!r}, {b!r} and third {third!r}")
    a, b, third = codes
    freq, source, data = "year", "", pd.DataFrame()
    raw = pd.DataFrame()
    notes: list[str] = []
    if events_store is not None:
        raw = _window(_monthly_series(Path(events_store), a, b, third), "month", start, end)
        monthly = _longest_run(raw, "month")
        if len(monthly) >= MIN_MONTHS:
            freq, source, data = "month", "GDELT events store (coop_share, conflict_index)", monthly
        else:
            notes.append(
                f"The events store has {len(monthly)} common consecutive months (fewer than "
                f"{MIN_MONTHS}), so the yearly series were used instead."
            )
    if data.empty:
        yearly, source = _yearly_series(store, a, b, third)
        raw = _window(yearly, "year", start, end)
        data = _longest_run(raw, "year")
        notes.append(
            "ICEWS yearly counts in the store cover 2002-2014 only (fewer than "
            f"{MIN_OBS} years), so they are not used for the test."
        )
    if len(data) < MIN_OBS:
        raise MissingData(
            f"{a}-{b} with {third}: only {len(data)} consecutive {freq}s with all three series "
            f"from {start}; the test needs at least {MIN_OBS}"
        )
    causing = ["conflict_a_third", "conflict_b_third"]
    diff_test = granger_var(data, "coop_ab", causing, ic=ic, maxlags=maxlags, alpha=alpha)
    if method == "toda-yamamoto":
        granger, lag, d_max, nobs = toda_yamamoto(
            data, "coop_ab", causing, ic=ic, maxlags=maxlags, alpha=alpha
        )
    else:
        granger, lag, d_max = diff_test.granger, diff_test.lag_order, 0
        nobs = diff_test.nobs
    brk = cusum_break(data, "coop_ab", lag + d_max, alpha)
    break_period = str(data.index[brk.break_index]) if brk.break_index is not None else None
    breaks = pd.DataFrame(
        [
            {
                "test": "CUSUM of OLS residuals (Ploberger & Kraemer 1992), coop_ab equation",
                "statistic": brk.statistic,
                "p_value": brk.p_value,
                "break_period": break_period,
            }
        ]
    )
    series = data.rename_axis("period").reset_index()
    series["period"] = series["period"].astype(str)
    return ExternalResult(
        assumptions=_assumptions(freq, source),
        a=a,
        b=b,
        third=third,
        frequency=freq,
        source=source,
        first_period=series["period"].iloc[0],
        last_period=series["period"].iloc[-1],
        nobs=nobs,
        lag_order=lag,
        ic=ic,
        differences=diff_test.differences if method == "var-diff" else 0,
        alpha=alpha,
        granger=granger,
        stationarity=diff_test.stationarity,
        coefficients=diff_test.coefficients,
        series=series,
        coverage=_coverage(raw),
        caveats=notes + _caveats(freq, diff_test, method, nobs),
        method=method,
        d_max=d_max,
        window=(start, end),
        breaks=breaks,
        segments=_segments(data, brk.break_index, ic, alpha),
    )


def _assumptions(freq: str, source: str) -> list[str]:
    conflict = (
        "the GDELT conflict index of each dyad"
        if freq == "month"
        else f"{source}: the distance of each member from the third state"
    )
    return [
        f"Pressure from the third state is measured by {conflict}; cooperation by "
        + (
            "the pair's cooperative share of events."
            if freq == "month"
            else "the pair's UNGA same-vote share."
        ),
        "The window starts after the Soviet collapse (1993 by default); within it the "
        "relationships are taken as linear, and a CUSUM test checks that they are stable.",
        "Granger causality means predictive precedence, not causation.",
    ]


def _caveats(freq: str, test: VarTest, method: str, nobs: int) -> list[str]:
    out = [
        "Granger causality is about prediction: a common cause or an omitted series can "
        "produce it, and it cannot show why states act."
    ]
    if nobs < 50:
        out.append(
            f"Only {nobs} observations: tests have little power, so 'no effect' "
            "is weak evidence of absence."
        )
    if method == "var-diff" and test.differences:
        out.append(
            f"Series were differenced {test.differences}x to pass ADF/KPSS, so the test "
            "is about changes, not levels."
        )
    if freq == "year":
        out.append(
            "Yearly UNGA positions move slowly and mix many issues; they are a weak proxy "
            "for conflict and cooperation."
        )
    return out
