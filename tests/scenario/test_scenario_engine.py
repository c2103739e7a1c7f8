"""The FCM engine on maps small enough to work out by hand."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

import dyadscope.scenario.engine as engine_mod
import dyadscope.scenario.fcm as fcm_mod
import dyadscope.scenario.library as library_mod
import dyadscope.scenario.montecarlo as montecarlo_mod
import dyadscope.scenario.sampling as sampling_mod
import dyadscope.scenario.sensitivity as sensitivity_mod
from dyadscope.case import Case
from dyadscope.errors import InputError
from dyadscope.scenario import (
    FCM,
    FCMSettings,
    fcm_from_case,
    initial_state,
    simulate,
    simulate_batch,
    to_activation,
)


def test_fixed_point_of_a_one_link_map() -> None:
    """a -> b with weight 0.5, a held at 1 (nothing acts on it), Kosko and tanh.

    Step 1 gives b = tanh(0.5 * 1) = 0.46212; step 2 gives the same, so the run
    stops after two steps at a fixed point.
    """
    r = simulate_batch(np.array([[0.0, 0.5], [0.0, 0.0]]), [1.0, 0.0], FCMSettings(rule="kosko"))
    assert r.final[0, 0] == 1.0
    assert r.final[0, 1] == pytest.approx(math.tanh(0.5), abs=1e-12)
    assert (r.status[0], r.steps[0]) == (0, 2)


def test_contraction_settles_at_its_fixed_point() -> None:
    """x -> tanh(0.5 x) is a contraction whose only fixed point is 0.

    From x = 1 each step at least halves x, so within 30 steps |x| < 1e-3 and the
    run must report a fixed point near 0.
    """
    r = simulate_batch(np.array([[0.5]]), [1.0], FCMSettings(rule="kosko", eps=1e-4))
    assert r.status[0] == 0
    assert abs(r.final[0, 0]) < 1e-3


@pytest.mark.parametrize(
    ("weight", "transfer"), [(-1.0, "trivalent"), (-5.0, "tanh")], ids=["trivalent", "tanh"]
)
def test_negative_self_loop_is_a_two_cycle(weight: float, transfer: str) -> None:
    """x -> f(w x) with w < 0 flips sign every step: a limit cycle of period 2.

    Trivalent: 0.5 -> -1 -> 1 -> -1 ... exactly.  tanh with w = -5: the state
    alternates around +-x* with x* = tanh(5 x*) ~ 0.9999, never settling.
    """
    r = simulate_batch(np.array([[weight]]), [0.5], FCMSettings(rule="kosko", transfer=transfer))
    assert engine_mod.STATUSES[r.status[0]] == "limit_cycle"
    assert r.period[0] == 2
    assert r.steps[0] == 30


def test_clamped_node_holds_at_every_step() -> None:
    """A clamped node keeps its level even though other nodes act on it."""
    W = np.array([[0.0, 0.9, 0.0], [-0.8, 0.0, 0.7], [0.5, 0.0, 0.0]])
    m = FCM(["lever", "mid", "goal"], ["lever", "key_variable", "outcome"], W)
    t = simulate(m, clamps={"lever": -0.6}, settings=FCMSettings(max_iter=40))
    assert (t.states["lever"] == -0.6).all()
    assert t.states["mid"].nunique() > 1


def test_exogenous_node_keeps_its_start_unless_asked() -> None:
    W = np.array([[0.0, 0.5], [0.0, 0.0]])
    held = simulate_batch(W, [0.3, 0.0], FCMSettings(rule="kosko"))
    free = simulate_batch(W, [0.3, 0.0], FCMSettings(rule="kosko", hold_sources=False))
    assert held.final[0, 0] == 0.3
    assert free.final[0, 0] == 0.0  # tanh(0): nothing feeds it


def test_batch_equals_maps_run_one_by_one(random_map) -> None:
    stack = np.stack([random_map(7, s, density=0.6) for s in range(20)])
    starts = np.random.default_rng(3).uniform(-1, 1, (20, 7))
    settings = FCMSettings(max_iter=60)
    batch = simulate_batch(stack, starts, settings)
    for k in range(20):
        one = simulate_batch(stack[k], starts[k], settings)
        np.testing.assert_allclose(batch.final[k], one.final[0], atol=1e-12)
        assert (batch.steps[k], batch.status[k]) == (one.steps[0], one.status[0])


def test_bad_settings_and_shapes_are_named() -> None:
    with pytest.raises(InputError, match="rule 'mkosko'"):
        FCMSettings(rule="mkosko")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="lambda"):
        FCMSettings(lam=0)
    with pytest.raises(InputError, match="shape"):
        simulate_batch(np.zeros((2, 3)), [0, 0])
    with pytest.raises(InputError, match="outside its interval"):
        FCM(["a", "b"], ["driver", "outcome"], np.array([[0, 0.5], [0, 0]]), high=np.zeros((2, 2)))
    m = FCM(["a", "b"], ["lever", "outcome"], np.zeros((2, 2)))
    with pytest.raises(InputError, match="no factor 'c'"):
        simulate(m, clamps={"c": 1.0})
    with pytest.raises(InputError, match=r"\[-1, 1\]"):
        simulate(m, clamps={"a": 2.0})


def test_levels_map_onto_the_transfer_range() -> None:
    assert to_activation([-1, 0, 1], "sigmoid").tolist() == [0.0, 0.5, 1.0]
    assert to_activation([-1, 0, 1], "tanh").tolist() == [-1.0, 0.0, 1.0]


def test_map_built_from_a_case(lever_case: Case) -> None:
    m = fcm_from_case(lever_case)
    assert m.nodes == ["pressure", "habit", "cooperation", "rivalry"]
    i, j = m.index("pressure"), m.index("rivalry")
    assert (m.W[i, j], m.low[i, j], m.high[i, j]) == (-0.2, -0.6, 0.2)
    assert m.uncertain.size == 2
    # every factor starts at the level the case states (pressure 0.5, habit 0.5)
    assert initial_state(m).tolist() == [0.5, 0.5, 0.0, 0.0]
    assert m.levels is not None and m.levels[m.index("habit")] == 0.5


@pytest.mark.parametrize(
    "module",
    [engine_mod, fcm_mod, library_mod, montecarlo_mod, sampling_mod, sensitivity_mod],
    ids=lambda m: m.__name__.rsplit(".", 1)[-1],
)
def test_docstring_examples_run(module: object) -> None:
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0
