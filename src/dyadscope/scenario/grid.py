"""The robustness grid's engine: every scenario under every setting, draws drawn once.

:func:`dyadscope.scenario.robustness.robustness` needs, for every (setting, scenario)
pair, the outcome counts and mean outcome levels of a Monte Carlo run.  Running each
pair through :func:`~dyadscope.scenario.montecarlo.run_scenario` repeats work that
does not change between pairs: every run with the same seed draws the same link
weights (common random numbers, which is also what makes "same sign across settings"
a comparison of settings, not of samples), and each run builds result frames the grid
throws away.  Here the weights of a chunk of draws are drawn once and shared by every
pair; the stated levels once per level shift and set of held nodes; and each pair
keeps only counts and sums.  Pairs run on a small thread pool.

The numbers are those of ``run_scenario``: the same draws (same seed, same positions),
the same engine (:class:`~dyadscope.scenario.sampling.ReducedSampler`, float32 like
the Monte Carlo default) and the same classification, so every count equals the
plain run's (``tests/scenario/test_scenario_grid.py`` checks it draw for draw).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from dyadscope.scenario.engine import CoreResult, EdgeWeights, FCMSettings, ReducedBatch, iterate
from dyadscope.scenario.fcm import fcm_from_case
from dyadscope.scenario.montecarlo import check_draws, classify, default_workers
from dyadscope.scenario.sampling import ReducedSampler, draw_level_values, draw_link_values
from dyadscope.scenario.settings import prepare_scenario

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: Draws per chunk.  The pairs of one engine setting (every scenario and level shift,
#: 33 for the shipped case) run stacked, 33 × 256 = 8,448 rows: small enough that a
#: step's arrays stay in cache (at 1,024 draws a chunk the grid took about twice the
#: CPU time), large enough that the per-step Python work is small beside the arithmetic.
GRID_CHUNK = 256


@dataclass
class PairCounts:
    """What the grid keeps of one (setting, scenario) run.

    ``counts``: draws per category (outcomes in map order, then undetermined, limit
    cycle, no convergence); ``outcome_sum``: per outcome, the sum over draws of its
    final level (float64), so ``outcome_sum / draws`` is the mean activation.
    """

    counts: NDArray[np.int64]
    outcome_sum: NDArray[np.float64]


@dataclass
class _Pair:
    sampler: ReducedSampler
    outcomes: list[int]
    level_key: tuple[float, tuple[int, ...]]
    counts: NDArray[np.int64]
    outcome_sum: NDArray[np.float64]


def grid_counts(
    cases: Mapping[float, Case],
    pairs: Sequence[tuple[float, FCMSettings, str]],
    *,
    draws: int,
    seed: int,
    margin: float,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[PairCounts]:
    """Counts and outcome sums for each ``(shift, settings, scenario)`` in ``pairs``.

    ``cases`` maps each level shift to the (shifted) case it runs.  The link weights of
    draw ``k`` are those every Monte Carlo run with ``seed`` gives draw ``k``; they are
    drawn once per chunk of :data:`GRID_CHUNK` draws and used by every pair.
    """
    check_draws(draws)
    prepared: list[_Pair] = []
    fcm = None
    for shift, settings, sid in pairs:
        prep = prepare_scenario(cases[shift], sid, settings)
        fcm = fcm or prep.fcm
        sampler = ReducedSampler(prep.fcm, prep.start, prep.clamps, settings, np.float32)
        outcomes = prep.fcm.indices_of("outcome")
        prepared.append(
            _Pair(
                sampler=sampler,
                outcomes=outcomes,
                level_key=(shift, tuple(int(i) for i in sampler.level_nodes)),
                counts=np.zeros(len(outcomes) + 3, dtype=np.int64),
                outcome_sum=np.zeros(len(outcomes)),
            )
        )
    if fcm is None:
        return []
    level_maps = {shift: fcm_from_case(case) for shift, case in cases.items()}
    chunks = list(range(0, draws, GRID_CHUNK))
    total, done = len(chunks) * len(prepared), 0  # progress counts pair-chunks
    with ThreadPoolExecutor(max_workers=workers or default_workers()) as pool:
        for first in chunks:
            stop = min(draws, first + GRID_CHUNK)
            values = draw_link_values(fcm, first, stop, seed=seed)
            levels: dict[tuple[float, tuple[int, ...]], NDArray[np.float64] | None] = {}
            for pair in prepared:
                shift, nodes = pair.level_key
                if pair.level_key not in levels:
                    levels[pair.level_key] = (
                        draw_level_values(
                            level_maps[shift],
                            np.array(nodes, dtype=np.intp),
                            first,
                            stop,
                            seed=seed,
                        )
                        if nodes
                        else None
                    )

            groups = _groups(prepared)
            run = partial(_run_group, values=values, levels=levels, margin=margin)
            for size in pool.map(run, groups):
                done += size
                if progress is not None:
                    progress(done, total)
    return [PairCounts(counts=p.counts, outcome_sum=p.outcome_sum) for p in prepared]


def _groups(prepared: Sequence[_Pair]) -> list[list[_Pair]]:
    """Pairs run under the same engine settings, in order (one ``iterate`` each)."""
    by: dict[FCMSettings, list[_Pair]] = {}
    for pair in prepared:
        by.setdefault(pair.sampler.settings, []).append(pair)
    return list(by.values())


def _run_group(
    group: list[_Pair],
    *,
    values: NDArray[np.float64],
    levels: Mapping[tuple[float, tuple[int, ...]], NDArray[np.float64] | None],
    margin: float,
) -> int:
    """Run one chunk of draws for every pair of a group; add counts and outcome sums.

    Pairs with the same moving nodes and links (every scenario of a case, whose clamps
    are on levers nothing acts on) are stacked into one batch: each draw's arithmetic
    is row by row, so stacking changes no number, only the Python work per step.
    """
    parts = [p.sampler.prepare(values, levels[p.level_key]) for p in group]
    stacked = _stack([b for b, _ in parts], group)
    if stacked is None:
        cores = [iterate(b, p.sampler.settings) for (b, _), p in zip(parts, group, strict=True)]
    else:
        core = iterate(stacked, group[0].sampler.settings)
        d = values.shape[0]
        cores = [
            CoreResult(
                final=core.final[k * d : (k + 1) * d],
                status=core.status[k * d : (k + 1) * d],
                steps=core.steps[k * d : (k + 1) * d],
                period=core.period[k * d : (k + 1) * d],
                history=None,
            )
            for k in range(len(group))
        ]
    for pair, (_, base), core in zip(group, parts, cores, strict=True):
        res = pair.sampler.finish(core, base, levels[pair.level_key])
        codes = classify(res.final, res.status, pair.outcomes, margin=margin)
        pair.counts += np.bincount(codes, minlength=pair.counts.size)
        pair.outcome_sum += res.final[:, pair.outcomes].astype(np.float64).sum(axis=0)
    return len(group)


def _stack(batches: Sequence[ReducedBatch], group: Sequence[_Pair]) -> ReducedBatch | None:
    """One batch holding every pair's draws, or None when their moving nodes differ."""
    first = group[0].sampler.mov
    if any(not np.array_equal(p.sampler.mov, first) for p in group[1:]):
        return None
    weights = [b.W for b in batches]
    if not all(isinstance(w, EdgeWeights) for w in weights):
        return None
    W = EdgeWeights.stack([w for w in weights if isinstance(w, EdgeWeights)])
    if W is None or any(b.fixed is not None for b in batches):
        return None
    return ReducedBatch(
        W=W,
        const=np.concatenate([b.const for b in batches]),
        start=np.concatenate([b.start for b in batches]),
    )
