"""Robustness grid benchmark: every scenario of the shipped case under all 30 settings.

What is timed: :func:`dyadscope.scenario.robustness.robustness` on the Russia–China
case, every scenario (baseline included) × the 30 settings of
:data:`~dyadscope.scenario.robustness.DEFAULT_GRID`, at 20,000 draws per scenario and
setting (target, issue 13: under 60 s on two cores; printed, never asserted).

How the grid runs (:mod:`dyadscope.scenario.grid`): the link weights of each chunk of
draws are drawn once and shared by every setting and scenario (common random numbers:
every run with the same seed sees the same maps anyway); all scenarios and level shifts
of one engine setting are stacked into one batch; the moving block's weights are an edge
list, not per-draw matrices; only counts are kept; and blocks of draws go to one worker
process per core (at most four; the quick run is too small for workers and stays in
one process).

Baseline, measured in the same run: the same scenarios at the reference setting only
(one ``run_scenario`` per scenario, the way ``scenario compare`` ran before the grid
existed), times the grid size.  The ratio ``grid_s / (single_setting_s × 30)`` says
what the grid costs against 30 single-setting passes: 1 is what running the settings
one after another costs; the target (60 s against a reference pass of roughly 6–9 s
on the project machine) needs a ratio near 0.25 or below, which only sharing work
between settings and scenarios reaches.

Correctness check (raises ``AssertionError``, which the smoke test relies on): the
grid's reference-setting shares equal those of the plain single-setting runs draw for
draw (same seed, same maps), and every setting's shares sum to one (the grid's
``undetermined`` holds every draw no outcome led: near ties, cycles, unsettled).
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from dyadscope.case import load_case
from dyadscope.scenario.library import BASELINE, CASE_MAX_ITER, scenario_ids
from dyadscope.scenario.montecarlo import default_workers, run_scenario
from dyadscope.scenario.robustness import DEFAULT_GRID, REFERENCE, UNDETERMINED, robustness

TARGET_S = 60.0


def _single_setting(case: Any, ids: list[str], draws: int) -> tuple[float, dict[str, Any]]:
    """All scenarios once at the reference setting; seconds and outcome shares."""
    began = time.perf_counter()
    shares = {}
    for sid in ids:
        res = run_scenario(
            case,
            sid,
            draws=draws,
            seed=1,
            rule=REFERENCE.rule,
            transfer=REFERENCE.transfer,
            lam=REFERENCE.lam,
            max_iter=CASE_MAX_ITER,
        )
        p = res.probabilities
        shares[sid] = p[p["category"] == "outcome"].set_index("outcome")["share"]
    return time.perf_counter() - began, shares


def main(quick: bool = False) -> dict[str, Any]:
    """Run the benchmark; ``quick`` uses 500 draws and two scenarios."""
    case = load_case()
    ids = scenario_ids(case)
    draws = 500 if quick else 20_000
    if quick:
        ids = [BASELINE, next(s for s in ids if s != BASELINE)]
    run_scenario(case, BASELINE, draws=1024, seed=1)  # warm-up (imports, thread pool)
    single_s, single = _single_setting(case, ids, draws)
    began = time.perf_counter()
    processes = default_workers()
    grid = robustness(case, ids, draws=draws, seed=1, processes=processes)
    grid_s = time.perf_counter() - began
    runs = grid.runs
    ref = runs[runs["setting"] == REFERENCE.name]
    for sid in ids:
        mine = ref[(ref["scenario"] == sid) & (ref["outcome"] != UNDETERMINED)]
        for outcome, share in mine.set_index("outcome")["share"].items():
            expected = float(single[sid][outcome])
            assert abs(float(share) - expected) < 1e-12, (
                f"grid reference share of {sid}/{outcome} is {share}, single run {expected}"
            )
    totals = runs.groupby(["setting", "scenario"])["share"].sum()
    assert np.allclose(totals.to_numpy(), 1.0), "shares (with undetermined) do not sum to 1"
    assert UNDETERMINED in set(runs["outcome"])
    settings = len(DEFAULT_GRID)
    per_draw_us = grid_s / (settings * len(ids) * draws) * 1e6
    result = {
        "scenarios": len(ids),
        "settings": settings,
        "draws": draws,
        "cpus": os.cpu_count(),
        "processes": processes,
        "grid_s": grid_s,
        "single_setting_s": single_s,
        "single_setting_x_grid_s": single_s * settings,
        "ratio_vs_single_x_grid": grid_s / (single_s * settings),
        "per_draw_us": per_draw_us,
        "target_s": TARGET_S,
    }
    print(
        f"robustness grid: {len(ids)} scenarios × {settings} settings × {draws:,} draws in "
        f"{grid_s:.1f} s ({per_draw_us:.2f} µs/draw; target < {TARGET_S:.0f} s at 20,000 "
        f"draws; up to {processes} worker process(es)); one reference pass "
        f"{single_s:.2f} s × {settings} = {single_s * settings:.1f} s, "
        f"ratio {result['ratio_vs_single_x_grid']:.2f}",
        flush=True,
    )
    return result


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv[1:])
