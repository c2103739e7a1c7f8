"""Robustness: does a scenario's effect survive other engine settings and levels?

A single Monte Carlo run answers "in what share of plausible maps does each outcome
lead, *under these engine settings*".  The audit of the shipped case showed that the
settings matter as much as the weights: the update rule, the transfer function and
its steepness, and the stated levels of the factors nothing acts on can each move a
share by tens of points.  This module runs every scenario over a documented grid of
settings and reports, per scenario and outcome, the change against the baseline and
the fraction of settings in which that change has the same sign as under the
reference setting.  A change is called robust only when that fraction is at least
:data:`ROBUST_SHARE` (80 %).

The grid (:data:`DEFAULT_GRID`): rule Kosko or modified Kosko × transfer sigmoid with
λ = 1, 2, 5 or tanh with λ = 1, 2 × every stated exogenous level shifted by −0.2, 0
or +0.2 (clipped to [−1, 1]; scenario clamps are not shifted): 30 settings.  The
reference setting is the engine default (modified Kosko, tanh, λ = 1, no shift).

Share interval: ``share_low``/``share_high`` are the lowest Wilson lower bound and
the highest Wilson upper bound over all settings — an envelope that holds both the
Monte Carlo error of each run and the spread across settings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dyadscope.scenario.engine import FCMSettings, Rule, Transfer
from dyadscope.scenario.grid import PairCounts, grid_counts
from dyadscope.scenario.library import BASELINE, CASE_MAX_ITER, scenario_ids
from dyadscope.scenario.montecarlo import (
    DEFAULT_MARGIN,
    ScenarioResult,
    wilson_intervals,
)

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: A change is robust when at least this share of settings agrees on its sign.
ROBUST_SHARE = 0.8
#: Changes smaller than this (in share of maps) count as "no change" (sign 0).
SIGN_TOL = 0.01
UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class Setting:
    """One point of the grid: update rule, transfer, steepness and level shift."""

    rule: Rule
    transfer: Transfer
    lam: float
    shift: float

    @property
    def name(self) -> str:
        """Compact label, e.g. ``"modified_kosko/tanh λ=1/shift +0"``."""
        return f"{self.rule}/{self.transfer} λ={self.lam:g}/shift {self.shift:+g}"

    def engine(self, max_iter: int = CASE_MAX_ITER) -> FCMSettings:
        """The engine settings of this point (the level shift applies to the case).

        >>> Setting("kosko", "sigmoid", 2.0, 0.2).engine(50).lam
        2.0
        """
        return FCMSettings(rule=self.rule, transfer=self.transfer, lam=self.lam, max_iter=max_iter)


REFERENCE = Setting("modified_kosko", "tanh", 1.0, 0.0)
_RULES: tuple[Rule, ...] = ("kosko", "modified_kosko")
_TRANSFERS: tuple[tuple[Transfer, float], ...] = (
    ("sigmoid", 1.0),
    ("sigmoid", 2.0),
    ("sigmoid", 5.0),
    ("tanh", 1.0),
    ("tanh", 2.0),
)
#: The documented grid: 2 rules × 5 transfers × 3 level shifts.
DEFAULT_GRID: tuple[Setting, ...] = tuple(
    Setting(rule, transfer, lam, shift)
    for rule, (transfer, lam), shift in product(_RULES, _TRANSFERS, (-0.2, 0.0, 0.2))
)


def shift_levels(case: Case, delta: float) -> Case:
    """A copy of ``case`` with every stated level (and its interval) moved by ``delta``.

    Levels are clipped to [-1, 1].  Nothing is re-validated: the copy is only run.

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> shift_levels(load_case(), 0.2).factor("us_sanctions_pressure").level  # doctest: +SKIP
    0.8
    """
    if delta == 0:
        return case

    def moved(v: float) -> float:
        return float(np.clip(v + delta, -1.0, 1.0))

    factors = []
    for f in case.factors:
        if f.level is None:
            factors.append(f)
            continue
        interval = f.level_interval
        update: dict[str, Any] = {"level": moved(f.level)}
        if interval is not None:
            update["level_interval"] = (moved(interval[0]), moved(interval[1]))
        factors.append(f.model_copy(update=update))
    return case.model_copy(update={"factors": factors})


def outcome_names(case: Case) -> list[str]:
    """The case's outcome factor ids, in map order (the grid's outcome rows)."""
    return [str(f.id) for f in case.factors if str(f.kind) == "outcome"]


def _runs_frame(
    tasks: Sequence[tuple[Setting, str]],
    outcomes: list[str],
    results: Sequence[PairCounts],
    draws: int,
) -> pd.DataFrame:
    """Every (setting, scenario) run as grid rows: each outcome, then ``undetermined``.

    The same rows :func:`_shares` makes of a :class:`ScenarioResult` (Wilson bounds of
    each count; ``undetermined`` holds every draw no outcome led), built in one go.
    """
    k = len(outcomes)
    kept = np.concatenate(
        [np.append(r.counts[:k], draws - int(r.counts[:k].sum())) for r in results]
    )
    low, high = wilson_intervals(kept, draws)
    rows = k + 1
    cols: dict[str, Any] = {
        "setting": np.repeat([s.name for s, _ in tasks], rows),
        "rule": np.repeat([s.rule for s, _ in tasks], rows),
        "transfer": np.repeat([s.transfer for s, _ in tasks], rows),
        "lambda": np.repeat([s.lam for s, _ in tasks], rows),
        "shift": np.repeat([s.shift for s, _ in tasks], rows),
        "scenario": np.repeat([sid for _, sid in tasks], rows),
        "outcome": [*outcomes, UNDETERMINED] * len(tasks),
        "count": kept,
        "share": kept / draws,
        "ci_low": low,
        "ci_high": high,
        "mean_activation": np.concatenate(
            [np.append(r.outcome_sum / draws, np.nan) for r in results]
        ),
    }
    return pd.DataFrame(cols)


def _shares(res: ScenarioResult) -> pd.DataFrame:
    """Outcome rows plus one ``undetermined`` row holding every draw no outcome led."""
    frame = res.probabilities
    outcomes = frame[frame["category"] == "outcome"]
    draws = int(frame["count"].sum())
    rest = draws - int(outcomes["count"].sum())
    lo, hi = wilson_intervals(np.array([rest]), draws)
    extra = pd.DataFrame(
        {
            "outcome": [UNDETERMINED],
            "count": [rest],
            "share": [rest / draws],
            "ci_low": lo,
            "ci_high": hi,
            "mean_activation": [np.nan],
        }
    )
    cols = ["outcome", "count", "share", "ci_low", "ci_high", "mean_activation"]
    return pd.concat([outcomes[cols], extra], ignore_index=True)


@dataclass
class RobustnessResult:
    """Per-setting runs and the per scenario × outcome summary.

    ``runs``: setting, rule, transfer, lambda, shift, scenario, outcome, count, share,
    ci_low, ci_high, mean_activation, delta_vs_baseline.  ``summary``: scenario,
    outcome, share, share_low, share_high, mean_activation, delta_vs_baseline,
    delta_min, delta_max, robust_share, robust (one row per scenario × outcome,
    ``undetermined`` included; values at the reference setting where not a range).
    """

    case_id: str
    runs: pd.DataFrame
    summary: pd.DataFrame
    settings: dict[str, Any]
    assumptions: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        import json

        return {
            "case": self.case_id,
            "summary": json.loads(self.summary.to_json(orient="records")),
            "settings": self.settings,
            "assumptions": self.assumptions,
            "elapsed_s": round(self.elapsed_s, 3),
        }


def _sign(x: pd.Series[float], tol: float) -> pd.Series[float]:
    kept = x.where(x.abs() >= tol, 0.0)
    return pd.Series(np.sign(kept.to_numpy(dtype=float)), index=kept.index)


def robustness(
    case: Case,
    scenarios: Sequence[str] | None = None,
    *,
    draws: int = 1000,
    seed: int = 1,
    margin: float = DEFAULT_MARGIN,
    grid: Iterable[Setting] = DEFAULT_GRID,
    reference: Setting = REFERENCE,
    max_iter: int = CASE_MAX_ITER,
    sign_tol: float = SIGN_TOL,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> RobustnessResult:
    """Run every scenario over the grid of settings; summarise change and agreement.

    For each setting, every scenario's outcome shares are compared with the
    baseline's under the same setting.  ``robust_share`` is the fraction of settings
    whose change has the sign of the reference setting's change (changes below
    ``sign_tol`` count as none); ``robust`` needs ``robust_share >= 0.8`` and a
    reference change that is not none.  ``processes``: worker processes for a
    large grid (see :func:`~dyadscope.scenario.grid.grid_counts`; default 1, none).

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> robustness(load_case(), draws=500).summary.head()  # doctest: +SKIP
    """
    started = time.perf_counter()
    points = list(grid)
    if reference not in points:
        points.insert(0, reference)
    ids = list(scenarios) if scenarios else scenario_ids(case)
    if BASELINE not in ids:
        ids.insert(0, BASELINE)
    shifted = {s.shift: shift_levels(case, s.shift) for s in points}
    tasks = [(s, sid) for s in points for sid in ids]
    results = grid_counts(
        shifted,
        [(s.shift, s.engine(max_iter), sid) for s, sid in tasks],
        draws=draws,
        seed=seed,
        margin=margin,
        processes=processes,
        progress=progress,
    )
    runs = _runs_frame(tasks, outcome_names(case), results, draws)
    base = runs[runs["scenario"] == BASELINE].set_index(["setting", "outcome"])["share"]
    runs["delta_vs_baseline"] = (
        runs["share"].to_numpy()
        - base.reindex(pd.MultiIndex.from_frame(runs[["setting", "outcome"]])).to_numpy()
    )
    summary = _summarise(runs, reference, sign_tol)
    return RobustnessResult(
        case_id=case.id,
        runs=runs,
        summary=summary,
        settings={
            "draws": draws,
            "seed": seed,
            "margin": margin,
            "max_iter": max_iter,
            "grid": [s.name for s in points],
            "reference": reference.name,
            "robust_share": ROBUST_SHARE,
            "sign_tol": sign_tol,
        },
        assumptions=[
            "Shares are shares of plausible maps in which an outcome leads the runner-up "
            f"by at least {margin:g}, not probabilities of events.",
            f"Each scenario is run under {len(points)} settings (update rule × transfer × "
            "shift of every stated exogenous level); values without a range are those of "
            f"the reference setting ({reference.name}).",
            "share_low/share_high span the lowest and highest 95% Wilson bounds over all "
            "settings: Monte Carlo error and the spread across settings together.",
            f"A change against the baseline is robust when at least {ROBUST_SHARE:.0%} of "
            f"settings agree on its sign (changes under {sign_tol:g} count as none).",
        ],
        elapsed_s=time.perf_counter() - started,
    )


def _summarise(runs: pd.DataFrame, reference: Setting, sign_tol: float) -> pd.DataFrame:
    ref = runs[runs["setting"] == reference.name].set_index(["scenario", "outcome"])
    out = []
    for (sid, outcome), g in runs.groupby(["scenario", "outcome"], sort=False):
        r = ref.loc[[(sid, outcome)]].iloc[0]
        ref_sign = float(_sign(pd.Series([r["delta_vs_baseline"]]), sign_tol).iloc[0])
        signs = _sign(g["delta_vs_baseline"], sign_tol)
        agree = float((signs == ref_sign).mean())
        out.append(
            {
                "scenario": sid,
                "outcome": outcome,
                "share": float(r["share"]),
                "share_low": float(g["ci_low"].min()),
                "share_high": float(g["ci_high"].max()),
                "mean_activation": float(r["mean_activation"]),
                "delta_vs_baseline": float(r["delta_vs_baseline"]),
                "delta_min": float(g["delta_vs_baseline"].min()),
                "delta_max": float(g["delta_vs_baseline"].max()),
                "robust_share": agree,
                "robust": bool(sid != BASELINE and ref_sign != 0 and agree >= ROBUST_SHARE),
            }
        )
    return pd.DataFrame(out)
