"""The fast paths of the scenario engine give the plain engine's answers, draw for draw.

* The edge-list product (:class:`~dyadscope.scenario.engine.EdgeWeights`, used by every
  Monte Carlo run) against :func:`~dyadscope.scenario.engine.simulate_batch` on full
  weight matrices — the plain engine the fcmpy parity tests check — in float64.
* The robustness grid (:func:`~dyadscope.scenario.grid.grid_counts`: weights drawn once
  and shared by every setting and scenario) against one ``run_scenario`` per setting,
  and in worker processes against itself in one process.
* The Sobol model (the reduced engine with per-draw lever levels) against the plain
  engine with full weight matrices and per-draw clamps.
"""

from __future__ import annotations

import numpy as np
import pytest

from dyadscope.case import Case, load_case
from dyadscope.errors import InputError
from dyadscope.scenario import grid
from dyadscope.scenario.engine import FIXED_POINT, EdgeWeights, simulate_batch
from dyadscope.scenario.fcm import to_activation
from dyadscope.scenario.montecarlo import run_scenario, wilson_intervals
from dyadscope.scenario.robustness import (
    DEFAULT_GRID,
    REFERENCE,
    Setting,
    _shares,
    robustness,
    shift_levels,
)
from dyadscope.scenario.sampling import ReducedSampler, draw_link_values, sample_weights
from dyadscope.scenario.sensitivity import _case_model, _inputs
from dyadscope.scenario.settings import prepare_scenario

#: Settings checked one by one: the reference, the slowest to settle, and a sigmoid.
CHECKED = [DEFAULT_GRID[i] for i in (0, 10, 22, 28)]


@pytest.fixture(scope="module")
def case() -> Case:
    """The shipped Russia–China case (75 factors, 153 uncertain links)."""
    return load_case()


@pytest.mark.parametrize("setting", CHECKED, ids=lambda s: s.name)
@pytest.mark.parametrize("scenario", ["baseline", "tighter_us_sanctions"])
def test_edge_list_engine_matches_plain_engine_per_draw(
    case: Case, setting: Setting, scenario: str
) -> None:
    s = setting.engine()
    prep = prepare_scenario(shift_levels(case, setting.shift), scenario, s)
    draws = 300
    fast = ReducedSampler(prep.fcm, prep.start, prep.clamps, s, np.float64).run(
        draw_link_values(prep.fcm, 0, draws, seed=3)
    )
    W = sample_weights(prep.fcm, 0, draws, seed=3)
    plain = simulate_batch(
        W, prep.start, s, clamp_idx=list(prep.clamps), clamp_values=list(prep.clamps.values())
    )
    np.testing.assert_array_equal(fast.status, plain.status)
    np.testing.assert_array_equal(fast.steps, plain.steps)
    settled = plain.status == FIXED_POINT
    assert settled.mean() > 0.9
    assert np.abs(fast.final[settled] - plain.final[settled]).max() <= 1e-9


def test_edge_weights_product_is_the_dense_product() -> None:
    rng = np.random.default_rng(5)
    m, d = 7, 11
    mask = rng.random((m, m)) < 0.4
    flat = np.flatnonzero(mask)
    values = rng.normal(size=(d, flat.size))
    dense = np.zeros((d, m * m))
    dense[:, flat] = values
    A = rng.random((d, m))
    got = EdgeWeights.from_flat(m, flat, values).product(A, np.empty((d, m)))
    want = np.einsum("di,dij->dj", A, dense.reshape(d, m, m))
    assert np.abs(got - want).max() <= 1e-12


def test_grid_counts_equal_one_run_per_setting(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid, "GRID_CHUNK", 700)  # several chunks, one partial
    ids = ["baseline", "tighter_us_sanctions"]
    draws = 1500
    runs = robustness(case, ids, draws=draws, seed=2, grid=CHECKED).runs
    for s in CHECKED:
        for sid in ids:
            res = run_scenario(
                shift_levels(case, s.shift), sid, draws=draws, seed=2, settings=s.engine()
            )
            want = _shares(res).set_index("outcome")
            got = runs[(runs["setting"] == s.name) & (runs["scenario"] == sid)].set_index("outcome")
            assert got["count"].tolist() == want["count"].tolist(), (s.name, sid)
            np.testing.assert_allclose(got["mean_activation"], want["mean_activation"], atol=1e-12)
            np.testing.assert_array_equal(got["ci_low"], want["ci_low"])


def test_wilson_bounds_are_exactly_zero_and_one_at_the_ends() -> None:
    # statsmodels leaves 4.3e-19 as the lower bound of 0 successes in 500 (and 1 - 1e-16
    # as the upper bound of 256 in 256); both bounds are exact there.
    low, _ = wilson_intervals(np.array([0, 0]), 500)
    _, high = wilson_intervals(np.array([256]), 256)
    assert low.tolist() == [0.0, 0.0]
    assert high.tolist() == [1.0]


def test_grid_counts_equal_one_run_per_setting_on_a_dense_map(lever_case: Case) -> None:
    # The invented case's moving block is dense: no edge list, so no stacking; each
    # (setting, scenario) runs its own batch and must still give the plain counts.
    draws = 600
    runs = robustness(lever_case, draws=draws, seed=4, grid=CHECKED).runs
    for s in CHECKED:
        for sid in runs["scenario"].unique():
            res = run_scenario(
                shift_levels(lever_case, s.shift), sid, draws=draws, seed=4, settings=s.engine()
            )
            want = _shares(res)["count"].tolist()
            got = runs[(runs["setting"] == s.name) & (runs["scenario"] == sid)]["count"].tolist()
            assert got == want, (s.name, sid)
    assert (runs.loc[runs["count"] == 0, "ci_low"] == 0.0).all()


def test_grid_in_worker_processes_equals_the_serial_grid_bit_for_bit(
    case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Blocks of draws run in two worker processes; the parent adds them chunk by chunk
    # in draw order, so counts and float sums are those of one process, bit for bit.
    monkeypatch.setattr(grid, "PROCESS_MIN", 0)
    monkeypatch.setattr(grid, "GRID_CHUNK", 64)
    monkeypatch.setattr(grid, "TASK_CHUNKS", 2)
    ids = ["baseline", "tighter_us_sanctions"]
    cases = {s.shift: shift_levels(case, s.shift) for s in CHECKED}
    pairs = [(s.shift, s.engine(), sid) for s in CHECKED for sid in ids]
    seen: list[tuple[int, int]] = []
    serial = grid.grid_counts(cases, pairs, draws=600, seed=5, margin=0.05)
    parallel = grid.grid_counts(
        cases,
        pairs,
        draws=600,
        seed=5,
        margin=0.05,
        processes=2,
        progress=lambda d, t: seen.append((d, t)),
    )
    for one, two in zip(serial, parallel, strict=True):
        assert one.counts.tolist() == two.counts.tolist()
        assert one.outcome_sum.tobytes() == two.outcome_sum.tobytes()
    assert sum(int(p.counts.sum()) for p in parallel) == 600 * len(pairs)
    assert seen[-1] == (10 * len(pairs), 10 * len(pairs))  # 600 draws = 10 chunks of 64
    assert len(seen) == 5  # one report per task of two chunks


@pytest.mark.parametrize("params", ["both", "levers"])
def test_sobol_model_is_the_plain_engine_with_sampled_links_and_levers(
    case: Case, params: str
) -> None:
    # The Sobol model runs the reduced engine with per-draw lever levels; the plain
    # engine gets the same weights as full matrices and the levers as per-draw clamps.
    s = REFERENCE.engine()
    prep = prepare_scenario(case, "tighter_us_sanctions", s)
    inputs = _inputs(prep.fcm, params)
    model = _case_model(prep.fcm, inputs, prep.start, prep.clamps, s, np.float64)
    rng = np.random.default_rng(11)
    lo, hi = inputs.bounds[:, 0], inputs.bounds[:, 1]
    x = lo + (hi - lo) * rng.random((200, lo.size))
    k = inputs.link_cols.size
    W = np.repeat(prep.fcm.W.ravel()[None, :], x.shape[0], axis=0)
    W[:, inputs.link_cols] = x[:, :k]
    fixed = {i: v for i, v in prep.clamps.items() if i not in inputs.lever_idx}
    levels = np.column_stack(
        [np.tile(list(fixed.values()), (x.shape[0], 1)), to_activation(x[:, k:], s.transfer)]
    )
    plain = simulate_batch(
        W.reshape(-1, prep.fcm.n, prep.fcm.n),
        prep.start,
        s,
        clamp_idx=[*fixed, *inputs.lever_idx],
        clamp_values=levels,
    )
    outcomes = prep.fcm.indices_of("outcome")
    assert np.abs(model(x) - plain.final[:, outcomes]).max() <= 1e-9
    with pytest.raises(InputError, match="level_nodes must be held"):
        ReducedSampler(prep.fcm, prep.start, {}, s, level_nodes=[outcomes[0]])
