"""Sobol sensitivity: which links and levers decide where a scenario's outcomes end?

Variance-based (Sobol) indices split the variance of a model output among its
inputs: ``S1`` is the share an input explains alone, ``ST`` the share it explains
with all its interactions.  An input with a small ``ST`` can be fixed anywhere in its
range without changing the answer; one with a large ``ST`` is where better evidence
would pay off.

Sampling follows SALib's Saltelli scheme (``SALib.sample.sobol``, without
second-order terms: ``n * (k + 2)`` model runs for ``k`` inputs) and the indices come
from ``SALib.analyze.sobol``.  The sample matrix is built here in batches, in exactly
SALib's row order, so that a map with two hundred uncertain links never needs the
whole matrix in memory; a test checks the rows against SALib's own sampler.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dyadscope.errors import InputError
from dyadscope.scenario.engine import FCMSettings
from dyadscope.scenario.fcm import FCM
from dyadscope.scenario.library import BASELINE
from dyadscope.scenario.sampling import ReducedSampler
from dyadscope.scenario.settings import prepare_scenario, resolve_settings

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

Params = Literal["links", "levers", "both"]
BatchFunction = Callable[[NDArray[np.float64]], NDArray[Any]]

#: Model evaluations held in memory at once (rows of the sample matrix).
DEFAULT_BATCH_ROWS = 4096

#: Largest Sobol base sample ``n`` of one analysis (32 times the default 1024).  The
#: model runs ``n × (inputs + 2)`` times and every output is kept, so a mistyped
#: ``n`` (2**30) would run for days and exhaust memory; beyond this the indices'
#: bootstrap intervals are already narrow.
MAX_SOBOL_N = 2**15


def saltelli_batches(
    bounds: NDArray[np.float64], n: int, seed: int, batch_rows: int = DEFAULT_BATCH_ROWS
) -> Iterator[NDArray[np.float64]]:
    """Yield the Saltelli sample matrix (no second order) in row batches.

    Row order is SALib's: for each base point, A, then A with column ``j`` taken
    from B for each ``j``, then B.  ``n`` must be a power of two (the balance of a
    Sobol' sequence needs it).

    >>> import numpy as np
    >>> sum(len(b) for b in saltelli_batches(np.array([[0.0, 1.0]] * 3), 8, seed=1))
    40
    """
    bounds = np.asarray(bounds, dtype=np.float64)
    k = bounds.shape[0]
    if n < 2 or n & (n - 1):
        raise InputError(f"the Sobol sample size n must be a power of two, got {n}")
    if n > MAX_SOBOL_N:
        raise InputError(
            f"the Sobol sample size n {n} is above the limit of {MAX_SOBOL_N:,} (MAX_SOBOL_N)"
        )
    if k == 0:
        raise InputError("there are no uncertain inputs to analyse")
    low, width = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    if np.any(width <= 0):
        raise InputError("every input needs an interval with low < high")
    from scipy.stats import qmc  # here, not at the top: scipy.stats takes ~0.5 s to import

    base = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random(n)
    per_batch = max(1, batch_rows // (k + 2))
    cols = np.arange(k)
    for first in range(0, n, per_batch):
        chunk = base[first : first + per_batch]
        a, b = chunk[:, :k], chunk[:, k:]
        block = np.repeat(a[:, None, :], k + 2, axis=1)
        block[:, 1 + cols, cols] = b
        block[:, k + 1, :] = b
        rows = block.reshape(-1, k)
        yield rows * width + low


def sobol(
    func_batch: BatchFunction,
    bounds: Sequence[tuple[float, float]] | NDArray[np.float64],
    names: Sequence[str],
    n: int = 1024,
    seed: int = 1,
    *,
    outputs: Sequence[str] | None = None,
    conf_level: float = 0.95,
    num_resamples: int = 100,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> pd.DataFrame:
    """First-order and total Sobol indices of ``func_batch`` over a box of inputs.

    ``func_batch`` takes an ``(m, k)`` array of inputs and returns ``(m,)`` or
    ``(m, len(outputs))`` outputs; it is called on batches of at most ``batch_rows``
    rows.  Inputs are uniform on ``bounds``.  Returns one row per (output, input):
    output, parameter, S1, S1_conf, ST, ST_conf (``*_conf`` is the half-width of the
    bootstrap interval at ``conf_level``).  An output that never varies has NaN
    indices: nothing can be attributed.

    >>> import numpy as np
    >>> f = lambda x: x[:, 0] + 0.1 * x[:, 1]
    >>> df = sobol(f, [(0, 1), (0, 1)], ["big", "small"], n=256)
    >>> bool(df.S1.iloc[0] > 0.9)
    True
    """
    from SALib.analyze import sobol as salib_sobol

    bounds = np.asarray(bounds, dtype=np.float64)
    names = list(names)
    if bounds.shape != (len(names), 2):
        raise InputError(f"{len(names)} names for bounds of shape {bounds.shape}")
    parts = [
        np.asarray(func_batch(x), dtype=np.float64)
        for x in saltelli_batches(bounds, n, seed, batch_rows)
    ]
    Y = np.concatenate(parts, axis=0)
    Y = Y[:, None] if Y.ndim == 1 else Y
    out_names = list(outputs) if outputs is not None else [f"y{i}" for i in range(Y.shape[1])]
    if len(out_names) != Y.shape[1]:
        raise InputError(f"{len(out_names)} output names for {Y.shape[1]} outputs")
    problem = {"num_vars": len(names), "names": names, "bounds": bounds.tolist()}
    frames = []
    for col, out in enumerate(out_names):
        y = Y[:, col]
        if not np.all(np.isfinite(y)):
            raise InputError(f"output {out!r} has non-finite values; cannot attribute variance")
        if np.ptp(y) == 0:
            nan = np.full(len(names), np.nan)
            si = {"S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan}
        else:
            si = salib_sobol.analyze(
                problem,
                y,
                calc_second_order=False,
                conf_level=conf_level,
                num_resamples=num_resamples,
                seed=seed,
            )
        frames.append(
            pd.DataFrame(
                {
                    "output": out,
                    "parameter": names,
                    "S1": si["S1"],
                    "S1_conf": si["S1_conf"],
                    "ST": si["ST"],
                    "ST_conf": si["ST_conf"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _precise(full: pd.DataFrame, target: float | None) -> bool:
    """Is every outcome's top ST estimated to within ``target`` of its value?"""
    if target is None:
        return True
    for _, g in full.groupby("output" if "output" in full else "outcome"):
        g = g.dropna(subset=["ST"])
        if g.empty:
            continue
        top = g.iloc[int(np.argmax(g["ST"].to_numpy()))]
        if not (top["ST"] > 0 and top["ST_conf"] < target * top["ST"]):
            return False
    return True


def _sample_note(n: int, target: float | None, precise: bool) -> str:
    """The assumption line that says how the Sobol base sample was chosen."""
    if target is None:
        return (
            f"The base sample is fixed at n = {n} (no precision target, no time bound): "
            "the ± half-widths state the precision reached."
        )
    if precise:
        return (
            f"The sample was enlarged to n = {n} so that each outcome's top ST is at "
            f"least {1 / target:g} times its half-width."
        )
    return (
        f"The sample was enlarged to n = {n} within its time and size bound without "
        f"reaching a top ST of {1 / target:g} times its half-width: read the ranking as rough."
    )


@dataclass
class SobolResult:
    """Sobol indices of every outcome of a scenario, ranked by total effect.

    ``frame`` keeps the ``top`` inputs per outcome (``full`` keeps all): outcome,
    parameter, label, kind (link or lever), S1, S1_conf, ST, ST_conf, rank.
    """

    case_id: str
    scenario_id: str
    frame: pd.DataFrame
    full: pd.DataFrame
    settings: dict[str, Any]
    assumptions: list[str]
    evaluations: int
    elapsed_s: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (what ``--format json`` prints)."""
        import json

        return {
            "case": self.case_id,
            "scenario": self.scenario_id,
            "indices": json.loads(self.frame.to_json(orient="records")),
            "settings": self.settings,
            "assumptions": self.assumptions,
            "evaluations": self.evaluations,
            "elapsed_s": round(self.elapsed_s, 3),
        }


@dataclass(frozen=True)
class _Inputs:
    """The uncertain inputs of a case map: link weights and lever levels."""

    names: list[str]
    labels: list[str]
    kinds: list[str]
    bounds: NDArray[np.float64]
    link_cols: NDArray[np.intp]
    lever_idx: list[int]


def _inputs(fcm: FCM, params: str) -> _Inputs:
    if params not in ("links", "levers", "both"):
        raise InputError(f"params must be links, levers or both, got {params!r}")
    assert fcm.low is not None and fcm.high is not None
    labels = list(fcm.labels or fcm.nodes)
    cols = fcm.uncertain if params in ("links", "both") else np.array([], dtype=np.intp)
    levers = fcm.indices_of("lever") if params in ("levers", "both") else []
    src, tgt = np.divmod(cols, fcm.n)
    names = [f"link:{fcm.nodes[i]}->{fcm.nodes[j]}" for i, j in zip(src, tgt, strict=True)]
    names += [f"lever:{fcm.nodes[i]}" for i in levers]
    nice = [f"{labels[i]} → {labels[j]}" for i, j in zip(src, tgt, strict=True)]
    nice += [f"{labels[i]} (lever level)" for i in levers]
    bounds = np.vstack(
        [
            np.column_stack([fcm.low.ravel()[cols], fcm.high.ravel()[cols]]).reshape(-1, 2),
            np.tile([-1.0, 1.0], (len(levers), 1)),
        ]
    )
    if not names:
        what = {"links": "no link has an interval", "levers": "the map has no levers"}
        raise InputError(
            f"{fcm.source}: nothing to analyse with params={params!r}: "
            f"{what.get(params, 'no link has an interval and there are no levers')}"
        )
    kinds = ["link"] * cols.size + ["lever"] * len(levers)
    return _Inputs(names, nice, kinds, bounds, cols, levers)


def _case_model(
    fcm: FCM,
    inputs: _Inputs,
    start: NDArray[np.float64],
    clamps: dict[int, float],
    settings: FCMSettings,
    dtype: type[np.floating[Any]],
) -> BatchFunction:
    """The batch function Sobol calls: inputs -> final level of every outcome node.

    It runs the Monte Carlo engine (:class:`~dyadscope.scenario.sampling.ReducedSampler`:
    only the moving nodes iterate, sparse maps as an edge list) with the sampled link
    weights as the draws' weights and the sampled lever levels as per-draw levels of
    the held lever nodes; links without an interval keep their weight.
    """
    outcomes = fcm.indices_of("outcome")
    held = {**clamps, **dict.fromkeys(inputs.lever_idx, 0.0)}
    sampler = ReducedSampler(fcm, start, held, settings, dtype, level_nodes=inputs.lever_idx)
    k_links = inputs.link_cols.size
    nominal = fcm.W.ravel()[fcm.uncertain]
    assert not k_links or np.array_equal(inputs.link_cols, fcm.uncertain)

    def model(x: NDArray[np.float64]) -> NDArray[np.float64]:
        values = x[:, :k_links] if k_links else np.broadcast_to(nominal, (x.shape[0], nominal.size))
        levels = x[:, k_links:] if inputs.lever_idx else None
        res = sampler.run(values, levels)
        return res.final[:, outcomes].astype(np.float64)

    return model


def sobol_indices(
    case: Case,
    scenario_id: str = BASELINE,
    n: int = 1024,
    seed: int = 1,
    params: Params = "links",
    top: int = 15,
    *,
    rule: str | None = None,
    transfer: str | None = None,
    lam: float | None = None,
    max_iter: int | None = None,
    eps: float | None = None,
    settings: FCMSettings | None = None,
    conf_level: float = 0.95,
    dtype: type[np.floating[Any]] = np.float32,
    target_precision: float | None = 0.25,
    max_n: int = 16_384,
    time_budget_s: float | None = 60.0,
) -> SobolResult:
    """Sobol indices of each outcome's final level over the case's uncertain inputs.

    The output measured for an outcome is its final activation (a continuous number,
    so small shifts count, not only changes of the winning outcome).  ``params``
    chooses the inputs: link weights (uniform on their intervals), lever levels
    (uniform on [-1, 1], replacing the scenario's clamp on that lever), or both.

    Precision: with ``target_precision`` (default 0.25) the base sample ``n`` is doubled
    until, for every outcome, the top input's ST confidence half-width is below that
    fraction of its ST — or ``n`` would exceed ``max_n``, or the next round would
    likely overrun ``time_budget_s`` seconds in all (``settings["precise"]`` says
    which).  With ``target_precision=None`` the sample stays at ``n`` and
    ``time_budget_s`` is never consulted; ``time_budget_s=None`` drops the time bound.
    Only a run without a time bound gives the same indices on every machine.  An
    index whose interval (ST ± ST_conf) includes 0 is marked ``distinguishable = False``:
    it cannot be told apart from no effect.

    The engine runs under ``settings`` or the loose options ``rule``, ``transfer``,
    ``lam``, ``max_iter`` and ``eps`` (see
    :func:`~dyadscope.scenario.settings.resolve_settings`), as in
    :func:`~dyadscope.scenario.montecarlo.run_scenario`.

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> res = sobol_indices(load_case(), "baseline", n=256)  # doctest: +SKIP
    >>> res.frame.head()  # doctest: +SKIP
    """
    started = time.perf_counter()
    s = resolve_settings(
        settings, rule=rule, transfer=transfer, lam=lam, max_iter=max_iter, eps=eps
    )
    if top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    if n < 2 or n & (n - 1) or n > MAX_SOBOL_N:
        raise InputError(
            f"the Sobol sample size n must be a power of two from 2 to {MAX_SOBOL_N:,} "
            f"(MAX_SOBOL_N), got {n}"
        )
    prep = prepare_scenario(case, scenario_id, s)
    fcm, spec = prep.fcm, prep.spec
    outcomes = fcm.indices_of("outcome")
    if not outcomes:
        raise InputError(f"{fcm.source} has no outcome factors to analyse")
    inputs = _inputs(fcm, params)
    model = _case_model(fcm, inputs, prep.start, prep.clamps, s, dtype)
    out_names = [fcm.nodes[i] for i in outcomes]
    while True:
        round_started = time.perf_counter()
        full = sobol(
            model,
            inputs.bounds,
            inputs.names,
            n,
            seed,
            outputs=out_names,
            conf_level=conf_level,
        ).rename(columns={"output": "outcome"})
        precise = _precise(full, target_precision)
        spent = time.perf_counter() - started
        next_round = 2.0 * (time.perf_counter() - round_started)
        over_time = time_budget_s is not None and spent + next_round > time_budget_s
        if precise or n * 2 > max_n or over_time:
            break
        n *= 2
    full.insert(2, "label", np.tile(inputs.labels, len(outcomes)))
    full.insert(3, "kind", np.tile(inputs.kinds, len(outcomes)))
    full = full.sort_values(["outcome", "ST"], ascending=[True, False], na_position="last")
    full["rank"] = full.groupby("outcome").cumcount() + 1
    full["distinguishable"] = (full["ST"] - full["ST_conf"]) > 0
    full = full.reset_index(drop=True)
    return SobolResult(
        case_id=case.id,
        scenario_id=spec.id,
        frame=full[full["rank"] <= top].reset_index(drop=True),
        full=full,
        settings={
            "n": n,
            "seed": seed,
            "params": params,
            "rule": s.rule,
            "transfer": s.transfer,
            "lambda": s.lam,
            "max_iter": s.max_iter,
            "eps": s.eps,
            "conf_level": conf_level,
            "inputs": len(inputs.names),
            "target_precision": target_precision,
            "precise": precise,
        },
        assumptions=[
            "Sobol indices split the variance of each outcome's final level among the "
            "inputs; S1 is an input's share alone, ST its share with all interactions.",
            "Each input is taken as uniform on its interval (links) or on [-1, 1] "
            "(lever levels) and independent of the others.",
            "The output is the outcome's final activation after the run, settled or not; "
            "an outcome whose level never varies gets no indices (NaN).",
            "Indices come from a finite Saltelli sample: the ± figures are bootstrap "
            "confidence half-widths, and small negative estimates mean 'about zero'.",
            _sample_note(n, target_precision, precise),
            "Indices whose interval includes 0 are marked not distinguishable from no effect.",
        ],
        evaluations=n * (len(inputs.names) + 2),
        elapsed_s=time.perf_counter() - started,
    )
