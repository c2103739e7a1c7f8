"""The engine against fcmpy's FcmSimulator: same maps, same settings, same end states.

fcmpy runs one map at a time in pandas; dyadscope runs stacks of maps at once.  Both
take ``W[i, j]`` as the effect of node ``i`` on node ``j``, keep nodes nothing acts on
at their starting value, and stop at the first step where no node moved by more than
``thresh`` (``eps``).  fcmpy prints a line when it converges and warns when it does
not; both are expected and filtered here only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from dyadscope.scenario import FCMSettings, simulate_batch

fcmpy = pytest.importorskip("fcmpy")

pytestmark = [
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

INFERENCE = {"kosko": "kosko", "modified_kosko": "mKosko", "rescaled": "rescaled"}
CASES = [(n, seed) for n in (4, 5, 6, 8) for seed in range(3)]


def _fcmpy_final(W: np.ndarray, start: np.ndarray, rule: str, transfer: str, lam: float):
    names = [f"c{i}" for i in range(len(start))]
    frame = fcmpy.FcmSimulator.simulate(
        initial_state=dict(zip(names, start, strict=True)),
        weight_matrix=pd.DataFrame(W, index=names, columns=names),
        transfer=transfer,
        inference=INFERENCE[rule],
        thresh=0.001,
        iterations=50,
        l=lam,
    )
    return frame.iloc[-1].to_numpy(dtype=float), len(frame) - 1


@pytest.mark.parametrize(("n", "seed"), CASES)
@pytest.mark.parametrize("rule", ["kosko", "modified_kosko", "rescaled"])
@pytest.mark.parametrize(("transfer", "lam"), [("sigmoid", 1.0), ("sigmoid", 2.5), ("tanh", 1.0)])
def test_final_states_match_fcmpy(
    random_map: Callable[..., np.ndarray], n: int, seed: int, rule: str, transfer: str, lam: float
) -> None:
    W = random_map(n, seed)
    start = np.random.default_rng(100 + seed).uniform(0, 1, n)
    expected, steps = _fcmpy_final(W, start, rule, transfer, lam)
    settings = FCMSettings(rule=rule, transfer=transfer, lam=lam, max_iter=50, eps=0.001)
    got = simulate_batch(W, start, settings)
    np.testing.assert_allclose(got.final[0], expected, rtol=0, atol=1e-6)
    assert got.steps[0] == steps


@pytest.mark.parametrize("rule", ["kosko", "modified_kosko"])
@pytest.mark.parametrize("transfer", ["sigmoid", "tanh"])
def test_a_stack_of_maps_matches_fcmpy_map_by_map(
    random_map: Callable[..., np.ndarray], rule: str, transfer: str
) -> None:
    """One batched call over twelve different maps equals twelve fcmpy runs.

    The maps converge after different numbers of steps, so this also checks that a
    draw which settles early is frozen while the others go on.
    """
    n = 6
    stack = np.stack([random_map(n, seed, density=0.6) for seed in range(12)])
    starts = np.random.default_rng(7).uniform(0, 1, (12, n))
    settings = FCMSettings(rule=rule, transfer=transfer, max_iter=50, eps=0.001)
    got = simulate_batch(stack, starts, settings)
    for k in range(12):
        expected, steps = _fcmpy_final(stack[k], starts[k], rule, transfer, 1.0)
        np.testing.assert_allclose(got.final[k], expected, rtol=0, atol=1e-6)
        assert got.steps[k] == steps
    assert len(set(got.steps.tolist())) > 1, "the maps should settle at different steps"
