"""Monte Carlo over a map's uncertainties: in what share of plausible maps does an outcome lead?

A case gives every link an interval, not a number.  A Monte Carlo run draws every
uncertain weight (and every stated level with an interval) from its interval, runs
the map, and records which outcome ends most active *by a clear margin*; repeated
many times this turns "the weights are uncertain" into "outcome X leads in 62 % of
plausible maps (95 % interval 61.7–62.3 %)".  That is a share of maps the case
allows, not the probability of an event in the world: the outcomes are not mutually
exclusive states, and a draw whose top two outcomes are within the margin counts as
``undetermined`` rather than being forced into one.

Reproducibility: the draws are split into fixed blocks of :data:`RNG_BLOCK` draws and
block ``k`` takes its random numbers from ``SeedSequence(seed, spawn_key=(k,))``.
The numbers a draw gets therefore depend only on the seed and its position, never on
how the work was chunked or how many threads ran it.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dyadscope.errors import InputError
from dyadscope.scenario.engine import FIXED_POINT, LIMIT_CYCLE, STATUSES, FCMSettings
from dyadscope.scenario.fcm import FCM
from dyadscope.scenario.library import BASELINE, ScenarioSpec, scenario_ids
from dyadscope.scenario.sampling import (
    DISTRIBUTIONS,
    RNG_BLOCK,
    ReducedSampler,
    draw_level_values,
    draw_link_values,
)
from dyadscope.scenario.settings import prepare_scenario, resolve_settings

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: Default lead (in activation) the top outcome needs over the runner-up to count.
DEFAULT_MARGIN = 0.05
#: Central share of draws the activation interval covers.
ACTIVATION_COVER = 0.95

#: Default number of draws simulated together (a multiple of the RNG block).  A chunk
#: runs until its slowest draw settles, so fewer, larger chunks repeat that tail less
#: often, until a step's arrays leave the cache.  Measured on two cores: the shipped
#: case's 11 scenarios at 5,000 draws took 2.8 s in chunks of 1,024 and 1.85 s in chunks
#: of 2,048; 100,000 draws of the benchmark's 40-node map 0.49–0.66 s at 1,024, 0.43–0.48 s
#: at 2,048 and 4,096, 0.55–0.70 s at 8,192.  The size is fixed, not set by the number of
#: threads, so that sums over draws are added in the same order on every machine.
DEFAULT_CHUNK = 2 * RNG_BLOCK

#: Most draws one run may take.  Why a cap: at a million draws the 95 % Wilson
#: interval of any probability is already within ±0.1 percentage point, a run takes
#: minutes, and the per-draw record (11 bytes a draw) stays near 11 MB; a count typed
#: by mistake (1e9, 1e20) would otherwise run for hours or fail to allocate.
MAX_DRAWS = 1_000_000

#: Most draws simulated together: larger ``chunk_size`` values are cut to this, so the
#: memory a chunk needs (weights and states of every draw in it) stays bounded.
MAX_CHUNK = 64 * RNG_BLOCK

Progress = Callable[[int, int], None]


def classify(
    final: NDArray[np.floating[Any]],
    status: NDArray[np.int8],
    outcome_idx: list[int],
    *,
    margin: float = DEFAULT_MARGIN,
) -> NDArray[np.int16]:
    """Code each draw's ending: outcome position ``k`` led, or one of three non-answers.

    A draw that reached a fixed point goes to the outcome node with the highest final
    activation only if it leads the runner-up by at least ``margin``; otherwise it is
    undetermined (code ``K``, where ``K`` is the number of outcomes).  The outcomes
    are not exclusive states, so a near-tie says the map does not choose.  A limit
    cycle is code ``K + 1`` and a draw that neither settled nor cycled is ``K + 2``:
    these are reported, never forced into an outcome.

    >>> import numpy as np
    >>> final = np.array([[.1, .9, .2], [.5, .5, .0], [.5, .47, .0]])
    >>> classify(final, np.array([0, 0, 0]), [0, 1]).tolist()
    [1, 2, 2]
    >>> classify(final, np.array([0, 0, 0]), [0, 1], margin=0.01).tolist()
    [1, 2, 0]
    """
    if not (np.isfinite(margin) and margin >= 0):
        raise InputError(f"margin must be a non-negative number, got {margin!r}")
    k = len(outcome_idx)
    if k == 0:
        raise InputError("the map has no outcome nodes to classify draws into")
    out = final[:, outcome_idx]
    codes: NDArray[np.int16] = np.argmax(out, axis=1).astype(np.int16)
    if k > 1:
        top2 = -np.partition(-out, 1, axis=1)[:, :2]
        gap = top2[:, 0] - top2[:, 1]
        codes[(gap < margin) if margin > 0 else (gap <= 0)] = k
    codes[status == LIMIT_CYCLE] = k + 1
    codes[(status != FIXED_POINT) & (status != LIMIT_CYCLE)] = k + 2
    return codes


def category_names(fcm: FCM) -> list[str]:
    """Names of the classification codes: the outcome ids, then the three non-answers."""
    return [fcm.nodes[i] for i in fcm.indices_of("outcome")] + [
        "undetermined",
        "limit_cycle",
        "no_convergence",
    ]


@dataclass
class MonteCarloRun:
    """Per-draw endings of a Monte Carlo run, with running sums of the final states.

    Per draw only small integers are kept (category, status, steps, period), so memory
    grows by a few bytes a draw; the final states are kept only on request.
    """

    category: NDArray[np.int16]
    status: NDArray[np.int8]
    steps: NDArray[np.int32]
    period: NDArray[np.int32]
    activation_sum: NDArray[np.float64]
    activation_sumsq: NDArray[np.float64]
    categories: list[str]
    final: NDArray[np.floating[Any]] | None = field(default=None, repr=False)
    outcome_final: NDArray[np.float32] | None = field(default=None, repr=False)

    @property
    def draws(self) -> int:
        """Number of draws run."""
        return int(self.category.size)

    def counts(self) -> NDArray[np.int64]:
        """How many draws fell in each category (aligned with ``categories``)."""
        return np.bincount(self.category, minlength=len(self.categories))


def default_workers() -> int:
    """Threads used by default: the machine's cores, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def check_draws(draws: int) -> int:
    """Return ``draws`` if it is between 1 and :data:`MAX_DRAWS`, else raise InputError.

    >>> check_draws(10**9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    dyadscope.errors.InputError: draws 1000000000 is above the limit of 1,000,000 per run ...
    """
    if not isinstance(draws, (int, np.integer)) or isinstance(draws, bool):
        raise InputError(f"draws must be a whole number, got {draws!r}")
    if draws < 1:
        raise InputError(f"draws must be at least 1, got {draws}")
    if draws > MAX_DRAWS:
        raise InputError(
            f"draws {draws} is above the limit of {MAX_DRAWS:,} per run (MAX_DRAWS); "
            "a million draws already give probabilities within ±0.1 percentage point"
        )
    return int(draws)


def monte_carlo(
    fcm: FCM,
    draws: int = 10_000,
    seed: int = 1,
    *,
    initial: NDArray[np.float64],
    clamps: Mapping[int, float] | None = None,
    settings: FCMSettings | None = None,
    distribution: str = "uniform",
    chunk_size: int = DEFAULT_CHUNK,
    workers: int | None = None,
    dtype: type[np.floating[Any]] = np.float32,
    keep_states: bool = False,
    margin: float = DEFAULT_MARGIN,
    progress: Progress | None = None,
    sample_levels: bool = True,
) -> MonteCarloRun:
    """Run ``draws`` maps with weights drawn from their intervals, chunk by chunk.

    ``initial`` is the starting state and ``clamps`` maps node positions to levels,
    both already on the transfer's scale.  Chunks of ``chunk_size`` draws are run on
    ``workers`` threads (NumPy releases the GIL in the matrix products); the result is
    identical whatever ``chunk_size`` and ``workers`` are.  ``progress(done, total)``
    is called after each chunk.  ``draws`` may be at most :data:`MAX_DRAWS` and a chunk
    at most :data:`MAX_CHUNK` draws, so memory stays bounded.
    With ``sample_levels`` the held factors whose stated
    level has an interval get a level drawn per draw (see :func:`draw_level_values`).

    >>> import numpy as np
    >>> m = FCM(["lever", "win", "lose"], ["lever", "outcome", "outcome"],
    ...         np.array([[0, .5, -.5], [0, 0, 0], [0, 0, 0]]),
    ...         low=np.array([[0, .1, -.9], [0, 0, 0], [0, 0, 0]]),
    ...         high=np.array([[0, .9, -.1], [0, 0, 0], [0, 0, 0]]))
    >>> run = monte_carlo(m, 500, initial=np.array([1.0, 0, 0]))
    >>> run.counts().tolist()
    [500, 0, 0, 0, 0]
    """
    check_draws(draws)
    if chunk_size < 1:
        raise InputError(f"chunk_size must be at least 1, got {chunk_size}")
    chunk_size = min(chunk_size, MAX_CHUNK)
    s = settings or FCMSettings()
    outcomes = fcm.indices_of("outcome")
    router = ReducedSampler(fcm, initial, clamps or {}, s, dtype)
    category = np.empty(draws, dtype=np.int16)
    status = np.empty(draws, dtype=np.int8)
    steps = np.empty(draws, dtype=np.int32)
    period = np.empty(draws, dtype=np.int32)
    final = np.empty((draws, fcm.n), dtype=dtype) if keep_states else None
    outcome_final = np.empty((draws, len(outcomes)), dtype=np.float32)
    level_nodes = router.level_nodes if sample_levels else np.array([], dtype=np.intp)

    def run_chunk(start: int) -> tuple[int, NDArray[np.float64], NDArray[np.float64]]:
        stop = min(draws, start + chunk_size)
        values = draw_link_values(fcm, start, stop, seed=seed, distribution=distribution)
        levels = None
        if level_nodes.size:
            levels = draw_level_values(fcm, level_nodes, start, stop, seed=seed)
        res = router.run(values, levels)
        category[start:stop] = classify(res.final, res.status, outcomes, margin=margin)
        outcome_final[start:stop] = res.final[:, outcomes]
        status[start:stop] = res.status
        steps[start:stop] = res.steps
        period[start:stop] = res.period
        if final is not None:
            final[start:stop] = res.final
        f64 = res.final.astype(np.float64)
        return stop, f64.sum(axis=0), np.square(f64).sum(axis=0)

    total = np.zeros(fcm.n)
    total_sq = np.zeros(fcm.n)
    threads = workers or default_workers()

    def collect(future: Future[tuple[int, NDArray[np.float64], NDArray[np.float64]]]) -> None:
        stop, part, part_sq = future.result()
        total[:] += part
        total_sq[:] += part_sq
        if progress is not None:
            progress(stop, draws)

    # At most two chunks per thread are in flight (in order), never one task per chunk
    # submitted at once: memory stays bounded whatever ``draws`` is.
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending: deque[Future[tuple[int, NDArray[np.float64], NDArray[np.float64]]]] = deque()
        for first in range(0, draws, chunk_size):
            pending.append(pool.submit(run_chunk, first))
            if len(pending) >= 2 * threads:
                collect(pending.popleft())
        while pending:
            collect(pending.popleft())
    return MonteCarloRun(
        category=category,
        status=status,
        steps=steps,
        period=period,
        activation_sum=total,
        activation_sumsq=total_sq,
        categories=category_names(fcm),
        final=final,
        outcome_final=outcome_final,
    )


def wilson_intervals(
    counts: NDArray[np.int64], total: int, confidence: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score intervals for the proportions ``counts / total``.

    Why Wilson: unlike the textbook ``p ± z·sqrt(p(1-p)/n)`` it never leaves [0, 1]
    and keeps close to its nominal coverage for proportions near 0 or 1, which is
    where rare outcomes sit.  Computed by statsmodels' ``proportion_confint``.

    >>> import numpy as np
    >>> lo, hi = wilson_intervals(np.array([30]), 100)
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.2189, 0.3958)
    >>> [float(b[0]) for b in wilson_intervals(np.array([0]), 500)][0]
    0.0
    """
    from statsmodels.stats.proportion import proportion_confint

    if not 0 < confidence < 1:
        raise InputError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    low, high = proportion_confint(counts, total, alpha=1 - confidence, method="wilson")
    low = np.clip(np.asarray(low, dtype=np.float64), 0.0, 1.0)
    high = np.clip(np.asarray(high, dtype=np.float64), 0.0, 1.0)
    counts_arr = np.broadcast_to(np.asarray(counts), low.shape)  # exact at 0 and all:
    low[counts_arr == 0], high[counts_arr == total] = 0.0, 1.0  # statsmodels leaves 4e-19
    return low, high


def assumptions_for(settings: FCMSettings, distribution: str, margin: float) -> list[str]:
    """What a scenario run assumes, in plain words, for the brief and the JSON output."""
    rule = {
        "kosko": "the weighted sum of the levels of the factors acting on it",
        "modified_kosko": "its own level plus the weighted sum of the factors acting on it",
        "rescaled": "its rescaled level plus the rescaled weighted sum of the factors acting on it",
    }[settings.rule]
    return [
        f"The case is read as a fuzzy cognitive map: at each step a factor's level becomes "
        f"{rule}, squashed by {settings.transfer} (steepness λ = {settings.lam:g}).",
        "Steps are rounds of mutual influence, not years: the model says where the map "
        "settles, not when.",
        f"Every uncertain link weight is drawn independently from its interval "
        f"({distribution}); correlations between links are not modelled.",
        "Factors nothing acts on hold the level the case states for them, with its "
        "citation (drawn from its stated interval, when it has one); other factors and "
        "the outcomes start at 0 on the -1 to 1 scale; clamped levers are held at their "
        "level at every step.",
        f"A draw counts for the outcome with the highest final level once no level moves "
        f"by more than {settings.eps:g} in a step and only if it leads the runner-up by "
        f"at least {margin:g}; otherwise it is undetermined. Limit cycles and draws not "
        f"settled after {settings.max_iter} steps are reported apart.",
        "A share is the share of plausible maps (weights and levels the case allows) in "
        "which an outcome leads, not a probability that it happens.",
        "The share intervals are Wilson score intervals: they measure Monte Carlo sampling "
        "error only, not whether the map or the engine settings are right (see "
        "`scenario robustness` for the spread across settings).",
    ]


@dataclass
class ScenarioResult:
    """Outcome shares of one scenario, with how the draws ended and the settings.

    ``probabilities`` (also ``frame``) has one row per outcome and one per non-answer
    (undetermined, limit cycle, no convergence): outcome, label, category, count, share,
    ci_low, ci_high, mean_activation, activation_low, activation_high.  ``convergence``
    counts how draws ended; ``activations`` gives the mean and standard deviation of
    every factor's final level.
    """

    case_id: str
    scenario: ScenarioSpec
    probabilities: pd.DataFrame
    convergence: pd.DataFrame
    activations: pd.DataFrame
    settings: dict[str, Any]
    assumptions: list[str]
    elapsed_s: float
    run: MonteCarloRun = field(repr=False)

    @property
    def frame(self) -> pd.DataFrame:
        """The outcome shares (the main result)."""
        return self.probabilities

    def summary(self) -> str:
        """A few lines on how the draws ended and the settings used (for the CLI table).

        Warns when many draws had not settled: their outcome is then unknown, and more
        iterations (or another rule) are needed before the shares mean much.
        """
        s = self.settings
        conv = self.convergence.set_index("status")
        share = conv["share"].astype(float)
        settled = float(share["fixed_point"])
        mean_steps = float(conv["mean_steps"].astype(float)["fixed_point"])
        lines = [
            f"{s['draws']:,} draws ({s['distribution']} weights over "
            f"{s['uncertain_links']} uncertain links, seed {s['seed']}; "
            f"{s['rule']} rule, {s['transfer']} λ={s['lambda']:g}, at most "
            f"{s['max_iter']} steps, ε={s['eps']:g}) in {self.elapsed_s:.2f} s.",
            f"Settled at a fixed point: {settled:.1%} "
            f"(mean steps {mean_steps:.1f}); "
            f"limit cycles: {float(share['limit_cycle']):.1%}; "
            f"not settled: {float(share['no_convergence']):.1%}.",
            f"Intervals: {s['confidence']:.0%} Wilson score intervals (Monte Carlo error only).",
        ]
        if settled < 0.8:
            lines.append(
                f"Warning: only {settled:.0%} of draws settled within {s['max_iter']} steps; "
                "outcomes are counted for settled draws only, the rest sit in no_convergence. "
                f"Raise the step limit above {s['max_iter']} before reading much into them."
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready values (what ``--format json`` prints)."""

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = json.loads(df.to_json(orient="records"))
            return rows

        return {
            "case": self.case_id,
            "scenario": {
                "id": self.scenario.id,
                "label": self.scenario.label,
                "clamps": self.scenario.clamps,
                "rationale": self.scenario.rationale,
                "evidence": self.scenario.evidence,
            },
            "shares": records(self.probabilities),
            "convergence": records(self.convergence),
            "activations": records(self.activations),
            "settings": self.settings,
            "assumptions": self.assumptions,
            "elapsed_s": round(self.elapsed_s, 3),
        }


def outcome_activation_stats(
    run: MonteCarloRun, cover: float = ACTIVATION_COVER
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per outcome: mean final activation and the central ``cover`` interval across draws.

    >>> import numpy as np
    >>> run = MonteCarloRun(np.zeros(3, np.int16), np.zeros(3, np.int8), np.zeros(3, np.int32),
    ...     np.zeros(3, np.int32), np.zeros(1), np.zeros(1), ["a"],
    ...     outcome_final=np.array([[0.0], [0.5], [1.0]], dtype=np.float32))
    >>> [float(v[0]) for v in outcome_activation_stats(run, cover=1.0)]
    [0.5, 0.0, 1.0]
    """
    assert run.outcome_final is not None
    vals = run.outcome_final.astype(np.float64)
    tail = (1.0 - cover) / 2.0
    return (
        vals.mean(axis=0),
        np.quantile(vals, tail, axis=0),
        np.quantile(vals, 1.0 - tail, axis=0),
    )


def _probability_frame(
    fcm: FCM, run: MonteCarloRun, confidence: float, max_iter: int, margin: float
) -> pd.DataFrame:
    counts = run.counts()
    low, high = wilson_intervals(counts, run.draws, confidence)
    outcomes = fcm.indices_of("outcome")
    nan3 = [float("nan")] * 3
    mean, act_low, act_high = outcome_activation_stats(run)
    names = list(fcm.labels or fcm.nodes)
    labels = [names[i] for i in outcomes] + [
        f"Undetermined (top two within {margin:g})",
        "Limit cycle (no single end state)",
        f"Not settled after {max_iter} steps",
    ]
    return pd.DataFrame(
        {
            "outcome": run.categories,
            "label": labels,
            "category": ["outcome"] * len(outcomes) + ["unresolved"] * 3,
            "count": counts,
            "share": counts / run.draws,
            "ci_low": low,
            "ci_high": high,
            "mean_activation": [*mean, *nan3],
            "activation_low": [*act_low, *nan3],
            "activation_high": [*act_high, *nan3],
        }
    )


def _convergence_frame(run: MonteCarloRun) -> pd.DataFrame:
    rows = []
    cycled = run.period > 0
    for code, name in enumerate(STATUSES):
        mask = run.status == code
        count = int(mask.sum())
        rows.append(
            {
                "status": name,
                "count": count,
                "share": count / run.draws,
                "mean_steps": float(run.steps[mask].mean()) if count else float("nan"),
                "periods": ", ".join(str(p) for p in np.unique(run.period[mask & cycled])),
            }
        )
    return pd.DataFrame(rows)


def _activation_frame(fcm: FCM, run: MonteCarloRun, clamped: set[str]) -> pd.DataFrame:
    mean = run.activation_sum / run.draws
    var = np.maximum(run.activation_sumsq / run.draws - mean**2, 0.0)
    return pd.DataFrame(
        {
            "factor": list(fcm.nodes),
            "label": list(fcm.labels or fcm.nodes),
            "kind": list(fcm.kinds),
            "clamped": [node in clamped for node in fcm.nodes],
            "mean": mean,
            "sd": np.sqrt(var),
        }
    )


def run_scenario(
    case: Case,
    scenario_id: str = BASELINE,
    draws: int = 10_000,
    seed: int = 1,
    distribution: str = "uniform",
    rule: str | None = None,
    transfer: str | None = None,
    lam: float | None = None,
    max_iter: int | None = None,
    *,
    eps: float | None = None,
    settings: FCMSettings | None = None,
    margin: float = DEFAULT_MARGIN,
    initial: Mapping[str, float] | None = None,
    clamps: Mapping[str, float] | None = None,
    sample_levels: bool = True,
    confidence: float = 0.95,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int | None = None,
    keep_states: bool = False,
    progress: Progress | None = None,
) -> ScenarioResult:
    """Monte Carlo shares of plausible maps in which each outcome of ``case`` leads.

    The scenario's clamps (signed levels) are held fixed; every uncertain link weight
    is drawn from its interval, and every stated level with an interval from it
    (``sample_levels``); each draw's end state is classified (see :func:`classify`,
    ``margin``).  ``initial`` overrides starting levels (signed) and ``clamps`` adds to
    or overrides the scenario's clamps.  Same seed, same numbers — whatever the chunking.
    The engine runs under ``settings`` or, when it is not given, the loose options
    ``rule``, ``transfer``, ``lam``, ``max_iter`` and ``eps`` (see
    :func:`~dyadscope.scenario.settings.resolve_settings`; defaults: modified Kosko,
    tanh, λ = 1, :data:`~dyadscope.scenario.library.CASE_MAX_ITER` steps, ε = 0.001).

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> res = run_scenario(load_case(), "baseline", draws=20_000, seed=1)  # doctest: +SKIP
    >>> res.frame[["outcome", "share", "ci_low", "ci_high"]]  # doctest: +SKIP
    """
    started = time.perf_counter()
    s = resolve_settings(
        settings, rule=rule, transfer=transfer, lam=lam, max_iter=max_iter, eps=eps
    )
    if distribution not in DISTRIBUTIONS:
        raise InputError(f"distribution {distribution!r} is not one of {list(DISTRIBUTIONS)}")
    prep = prepare_scenario(case, scenario_id, s, initial=initial, clamps=clamps)
    fcm = prep.fcm
    run = monte_carlo(
        fcm,
        draws,
        seed,
        initial=prep.start,
        clamps=prep.clamps,
        settings=s,
        distribution=distribution,
        chunk_size=chunk_size,
        workers=workers,
        keep_states=keep_states,
        margin=margin,
        progress=progress,
        sample_levels=sample_levels,
    )
    used = {
        "draws": draws,
        "seed": seed,
        "distribution": distribution,
        "rule": s.rule,
        "transfer": s.transfer,
        "lambda": s.lam,
        "max_iter": s.max_iter,
        "eps": s.eps,
        "margin": margin,
        "sample_levels": sample_levels,
        "extra_clamps": dict(clamps or {}),
        "confidence": confidence,
        "uncertain_links": int(fcm.uncertain.size),
        "case_source": case.source or fcm.source,
    }
    return ScenarioResult(
        case_id=case.id,
        scenario=prep.spec,
        probabilities=_probability_frame(fcm, run, confidence, s.max_iter, margin),
        convergence=_convergence_frame(run),
        activations=_activation_frame(fcm, run, set(prep.held)),
        settings=used,
        assumptions=assumptions_for(s, distribution, margin),
        elapsed_s=time.perf_counter() - started,
        run=run,
    )


def run_library(case: Case, draws: int = 10_000, seed: int = 1, **options: Any) -> pd.DataFrame:
    """Outcome shares for every scenario of the case, stacked in one frame.

    Columns: scenario, scenario_label, outcome, label, category, count, share,
    ci_low, ci_high.  ``options`` go to :func:`run_scenario`; every scenario uses the
    same seed, so differences between scenarios are not sampling noise in the weights.

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> run_library(load_case(), draws=5_000).scenario.unique()  # doctest: +SKIP
    """
    frames = []
    for sid in scenario_ids(case):
        res = run_scenario(case, sid, draws=draws, seed=seed, **options)
        frame = res.probabilities.copy()
        frame.insert(0, "scenario_label", res.scenario.label)
        frame.insert(0, "scenario", sid)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
