"""The robustness grid's engine: every scenario under every setting, draws drawn once.

:func:`dyadscope.scenario.robustness.robustness` needs, for every (setting, scenario)
pair, the outcome counts and mean outcome levels of a Monte Carlo run.  Running each
pair through :func:`~dyadscope.scenario.montecarlo.run_scenario` repeats work that
does not change between pairs: every run with the same seed draws the same link
weights (common random numbers, which is also what makes "same sign across settings"
a comparison of settings, not of samples), and each run builds result frames the grid
throws away.  Here the weights of a chunk of draws are drawn once and shared by every
pair; the stated levels once per level shift and set of held nodes; and each pair
keeps only counts and sums.

Large grids run on worker processes, each taking blocks of draws.  Threads do not
help here: a step is many small NumPy operations on arrays of a few megabytes, and
measured on two cores two threads ran the grid no faster than one (wall 14.7 s
against 15.2 s, CPU time equal to wall).  A draw's weights depend only on its position
and the seed, so a block gives the same numbers in any process; the parent adds the
blocks' counts and sums chunk by chunk in draw order, exactly as one process would.

The numbers are those of ``run_scenario``: the same draws (same seed, same positions),
the same engine (:class:`~dyadscope.scenario.sampling.ReducedSampler`, float32 like
the Monte Carlo default) and the same classification, so every count equals the
plain run's (``tests/scenario/test_scenario_grid.py`` checks it draw for draw, and that
the worker processes give the serial result bit for bit).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from dyadscope.errors import InputError
from dyadscope.scenario.engine import CoreResult, EdgeWeights, FCMSettings, ReducedBatch, iterate
from dyadscope.scenario.fcm import FCM, fcm_from_case
from dyadscope.scenario.montecarlo import check_draws, classify
from dyadscope.scenario.sampling import ReducedSampler, draw_level_values, draw_link_values
from dyadscope.scenario.settings import prepare_scenario

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: Draws per chunk.  The pairs of one engine setting (every scenario and level shift,
#: 33 for the shipped case) run stacked, 33 × 256 = 8,448 rows: small enough that a
#: step's arrays stay in cache (at 1,024 draws a chunk the grid took about twice the
#: CPU time), large enough that the per-step Python work is small beside the arithmetic.
GRID_CHUNK = 256
#: Chunks per task handed to a worker process (2,048 draws): enough work that sending
#: the task and its counts back costs little, small enough to keep workers balanced.
TASK_CHUNKS = 8
#: Below this many pair-draws (pairs × draws) the grid runs in the calling process: a
#: worker first imports NumPy and dyadscope and prepares the pairs (about a second),
#: more than such a grid takes.  The brief's grid (330 pairs × 256 draws) stays here.
PROCESS_MIN = 1_000_000


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


@dataclass(frozen=True)
class _Spec:
    """What a grid runs: the shifted cases, the (shift, settings, scenario) pairs, the seed
    and the margin (sent once to each worker process, which prepares its own job)."""

    cases: Mapping[float, Case]
    pairs: Sequence[tuple[float, FCMSettings, str]]
    seed: int
    margin: float


@dataclass
class _Job:
    """The prepared pairs and what every chunk of draws needs."""

    pairs: list[_Pair]
    fcm: FCM
    level_maps: dict[float, FCM]
    seed: int
    margin: float


#: One chunk's result: per pair, its counts and outcome sums over the chunk's draws.
_ChunkResult = list[tuple[NDArray[np.int64], NDArray[np.float64]]]


def grid_counts(
    cases: Mapping[float, Case],
    pairs: Sequence[tuple[float, FCMSettings, str]],
    *,
    draws: int,
    seed: int,
    margin: float,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[PairCounts]:
    """Counts and outcome sums for each ``(shift, settings, scenario)`` in ``pairs``.

    ``cases`` maps each level shift to the (shifted) case it runs.  The link weights of
    draw ``k`` are those every Monte Carlo run with ``seed`` gives draw ``k``; they are
    drawn once per chunk of :data:`GRID_CHUNK` draws and used by every pair.

    ``processes`` is how many worker processes a large grid may use (default 1: all
    in the calling process; grids under :data:`PROCESS_MIN` pair-draws always run
    there).  Workers start with the ``forkserver`` method where the platform has it
    (else ``spawn``), which runs the main script again in each worker: a script that
    asks for several must do so under ``if __name__ == "__main__":``, as with any use
    of :mod:`multiprocessing`.  Notebooks and the command line need nothing.
    """
    check_draws(draws)
    if not pairs:
        return []
    chunks = list(range(0, draws, GRID_CHUNK))
    totals = [
        PairCounts(counts=np.zeros(0, dtype=np.int64), outcome_sum=np.zeros(0)) for _ in pairs
    ]
    done, total = 0, len(chunks) * len(pairs)  # progress counts pair-chunks
    if processes < 1:
        raise InputError(f"processes must be at least 1, not {processes}")
    spec = _Spec(dict(cases), list(pairs), seed, margin)
    if processes > 1 and len(chunks) > TASK_CHUNKS and draws * len(pairs) >= PROCESS_MIN:
        results = _in_processes(spec, draws, chunks, processes)
    else:
        job = _prepare(spec)
        results = ([_run_chunk(job, first, min(draws, first + GRID_CHUNK))] for first in chunks)
    for block in results:
        for chunk in block:
            for acc, (counts, sums) in zip(totals, chunk, strict=True):
                if acc.counts.size == 0:
                    acc.counts, acc.outcome_sum = counts.copy(), sums.copy()
                else:
                    acc.counts += counts
                    acc.outcome_sum += sums
            done += len(pairs)
        if progress is not None:
            progress(done, total)
    return totals


def _prepare(spec: _Spec) -> _Job:
    """Prepare every pair's sampler once; the map whose link weights all pairs share."""
    prepared: list[_Pair] = []
    fcm: FCM | None = None
    for shift, settings, sid in spec.pairs:
        prep = prepare_scenario(spec.cases[shift], sid, settings)
        fcm = fcm or prep.fcm
        sampler = ReducedSampler(prep.fcm, prep.start, prep.clamps, settings, np.float32)
        prepared.append(
            _Pair(
                sampler=sampler,
                outcomes=prep.fcm.indices_of("outcome"),
                level_key=(shift, tuple(int(i) for i in sampler.level_nodes)),
            )
        )
    assert fcm is not None
    level_maps = {shift: fcm_from_case(case) for shift, case in spec.cases.items()}
    return _Job(prepared, fcm, level_maps, spec.seed, spec.margin)


def _run_chunk(job: _Job, first: int, stop: int) -> _ChunkResult:
    """Counts and outcome sums of every pair over draws ``first`` to ``stop - 1``."""
    values = draw_link_values(job.fcm, first, stop, seed=job.seed)
    levels: dict[tuple[float, tuple[int, ...]], NDArray[np.float64] | None] = {}
    for pair in job.pairs:
        shift, nodes = pair.level_key
        if pair.level_key not in levels:
            levels[pair.level_key] = (
                draw_level_values(
                    job.level_maps[shift],
                    np.array(nodes, dtype=np.intp),
                    first,
                    stop,
                    seed=job.seed,
                )
                if nodes
                else None
            )
    out: dict[int, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}
    for group in _groups(job.pairs):
        _run_group(group, values=values, levels=levels, margin=job.margin, out=out)
    return [out[id(pair)] for pair in job.pairs]


def _in_processes(
    spec: _Spec, draws: int, chunks: Sequence[int], processes: int
) -> Iterator[list[_ChunkResult]]:
    """Each task's chunk results, in draw order, computed by worker processes."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    tasks = [chunks[i : i + TASK_CHUNKS] for i in range(0, len(chunks), TASK_CHUNKS)]
    bounds = [(task[0], min(draws, task[-1] + GRID_CHUNK), GRID_CHUNK) for task in tasks]
    with ProcessPoolExecutor(
        max_workers=min(processes, len(tasks)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(spec,),
    ) as pool:
        yield from pool.map(_worker_task, *zip(*bounds, strict=True))


#: The job a worker process prepared once, at start.
_WORKER_JOB: _Job | None = None


def _start_worker(spec: _Spec) -> None:
    """Prepare the pairs in a fresh worker process."""
    global _WORKER_JOB
    _WORKER_JOB = _prepare(spec)


def _worker_task(first: int, stop: int, chunk: int) -> list[_ChunkResult]:
    """The results of draws ``first`` to ``stop - 1``, ``chunk`` draws at a time."""
    assert _WORKER_JOB is not None, "worker started without _start_worker"
    return [_run_chunk(_WORKER_JOB, a, min(stop, a + chunk)) for a in range(first, stop, chunk)]


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
    out: dict[int, tuple[NDArray[np.int64], NDArray[np.float64]]],
) -> None:
    """Run one chunk of draws for every pair of a group; store counts and outcome sums.

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
        out[id(pair)] = (
            np.bincount(codes, minlength=len(pair.outcomes) + 3).astype(np.int64),
            res.final[:, pair.outcomes].astype(np.float64).sum(axis=0),
        )


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
