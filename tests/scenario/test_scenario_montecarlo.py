"""Monte Carlo runs: reproducible, independent of chunking, and right where the answer is known."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from dyadscope.case import Case
from dyadscope.errors import InputError
from dyadscope.scenario import (
    FCM,
    UnknownScenario,
    classify,
    draw_link_values,
    fcm_from_case,
    initial_state,
    list_scenarios,
    monte_carlo,
    run_library,
    run_scenario,
    sample_weights,
    wilson_intervals,
)


def _case_like_map() -> FCM:
    """Eight nodes: a driver and a lever feeding a loop of key variables and two outcomes."""
    rng = np.random.default_rng(11)
    n = 8
    kinds = ["driver", "lever", "key_variable", "key_variable", "friction", "context"]
    kinds += ["outcome", "outcome"]
    W = rng.uniform(-0.8, 0.8, (n, n)) * (rng.random((n, n)) < 0.5)
    W[:, :2] = 0.0
    W[6:, :] = 0.0
    W[0, 6], W[1, 7] = 0.6, -0.4
    width = np.where(W != 0, 0.2, 0.0)
    levels = np.full(n, np.nan)
    levels[:2] = 0.5
    return FCM([f"f{i}" for i in range(n)], kinds, W, W - width, W + width, levels=levels)


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    m = _case_like_map()
    start = initial_state(m)
    a = monte_carlo(m, 3000, seed=5, initial=start, keep_states=True)
    b = monte_carlo(m, 3000, seed=5, initial=start, keep_states=True)
    c = monte_carlo(m, 3000, seed=6, initial=start, keep_states=True)
    assert np.array_equal(a.final, b.final) and np.array_equal(a.category, b.category)
    assert not np.array_equal(a.final, c.final)


def test_results_do_not_depend_on_chunks_or_threads() -> None:
    m = _case_like_map()
    start = initial_state(m)
    runs = [
        monte_carlo(m, 2500, seed=9, initial=start, chunk_size=chunk, workers=w, keep_states=True)
        for chunk, w in [(1024, 1), (100, 2), (3000, 1), (777, 2)]
    ]
    for other in runs[1:]:
        assert np.array_equal(runs[0].final, other.final)
        assert np.array_equal(runs[0].status, other.status)
        assert np.array_equal(runs[0].steps, other.steps)


def test_weights_stay_in_their_intervals_and_certain_ones_stay_put() -> None:
    m = _case_like_map()
    for dist in ("uniform", "triangular", "beta"):
        W = sample_weights(m, 0, 2000, seed=2, distribution=dist)
        assert np.all(m.low - 1e-12 <= W) and np.all(m.high + 1e-12 >= W)
        assert np.all(W[:, m.W == 0] == 0)


def test_pert_mean_is_low_plus_four_modes_plus_high_over_six() -> None:
    """PERT on [0, 1] with mode 0.1 has mean (0 + 4 * 0.1 + 1) / 6 = 0.2333."""
    m = FCM(
        ["a", "b"],
        ["driver", "outcome"],
        np.array([[0, 0.1], [0, 0]]),
        low=np.zeros((2, 2)),
        high=np.array([[0, 1.0], [0, 0]]),
    )
    v = draw_link_values(m, 0, 40_000, seed=4, distribution="beta")
    assert v.mean() == pytest.approx(1.4 / 6, abs=0.005)
    with pytest.raises(InputError, match="distribution 'normal'"):
        draw_link_values(m, 0, 10, distribution="normal")


def test_classification_on_hand_made_end_states() -> None:
    final = np.array([[0.2, 0.9, 0.1], [0.5, 0.5, 0.0], [0.3, 0.1, 0.0], [0.9, 0.0, 0.0]])
    status = np.array([0, 0, 1, 2], dtype=np.int8)
    # outcomes are columns 1 and 2: row 0 -> outcome 0 (col 1); row 1: col 1 vs col 2
    assert classify(final, status, [1, 2]).tolist() == [0, 0, 3, 4]
    assert classify(final, status, [0, 1]).tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("scenario", "winner"),
    [("baseline", "cooperation"), ("push", "cooperation"), ("release", "rivalry")],
)
@pytest.mark.parametrize("distribution", ["uniform"])
def test_known_outcome_probabilities(
    lever_case: Case, scenario: str, winner: str, distribution: str
) -> None:
    """Worked by hand for the invented case (Kosko rule, tanh).

    Each outcome is acted on by the lever alone, so after one step
    cooperation = tanh(p * wc) and rivalry = tanh(p * wr), with p the lever level
    (0.5 at baseline, +1 pushed, -1 released), wc ~ U[-0.2, 0.6], wr ~ U[-0.6, 0.2].
    Write wc = -0.2 + 0.8 U1, wr = -0.6 + 0.8 U2: wc - wr = 0.4 + 0.8 (U1 - U2) > 0
    unless U2 - U1 > 0.5, which has probability 0.5**2 / 2 = 0.125.  So for p > 0
    cooperation wins with probability 0.875, and for p < 0 rivalry does.
    """
    res = run_scenario(lever_case, scenario, draws=20_000, seed=3, rule="kosko", margin=0.0)
    probs = res.frame.set_index("outcome")
    assert probs.loc[winner, "share"] == pytest.approx(0.875, abs=0.01)
    assert probs.loc[winner, "ci_low"] < 0.875 + 0.01 and probs.loc[winner, "ci_high"] > 0.865
    assert probs.loc[["undetermined", "limit_cycle", "no_convergence"], "count"].sum() == 0
    assert probs["count"].sum() == 20_000
    assert res.assumptions and all(isinstance(a, str) for a in res.assumptions)
    json.dumps(res.to_dict(), allow_nan=False)


def test_wilson_interval_by_hand() -> None:
    """30 of 100 at 95 %: centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n) sqrt(...)."""
    z, n, p = 1.959963984540054, 100, 0.3
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo, hi = wilson_intervals(np.array([30]), 100)
    assert lo[0] == pytest.approx(centre - half, abs=1e-9)
    assert hi[0] == pytest.approx(centre + half, abs=1e-9)


def test_library_and_unknown_scenario(lever_case: Case) -> None:
    frame = run_library(lever_case, draws=500, seed=1, rule="kosko")
    assert list(dict.fromkeys(frame.scenario)) == ["baseline", "push", "release"]
    assert list_scenarios(lever_case).clamps.tolist() == ["(none)", "pressure=+1", "pressure=-1"]
    with pytest.raises(UnknownScenario, match="Did you mean push"):
        run_scenario(lever_case, "pushh", draws=10)


def test_unsettled_draws_are_reported_not_assigned(lever_case: Case) -> None:
    """With one step allowed no draw can show it has settled (that needs two)."""
    res = run_scenario(lever_case, "push", draws=200, rule="kosko", max_iter=1)
    probs = res.frame.set_index("outcome")
    assert probs.loc["no_convergence", "count"] == 200
    assert "Warning" in res.summary()


def test_map_built_for_monte_carlo_matches_full_matrices(lever_case: Case) -> None:
    """The reduced fast path gives what full weight matrices give."""
    from dyadscope.scenario import FCMSettings, simulate_batch

    m = fcm_from_case(lever_case)
    start = initial_state(m)
    settings = FCMSettings(max_iter=50)
    fast = monte_carlo(m, 300, seed=8, initial=start, settings=settings, keep_states=True,
                       dtype=np.float64, clamps={0: 1.0})  # fmt: skip
    W = sample_weights(m, 0, 300, seed=8)
    slow = simulate_batch(W, start, settings, clamp_idx=[0], clamp_values=[1.0])
    np.testing.assert_allclose(fast.final, slow.final, atol=1e-12)
    assert np.array_equal(fast.status, slow.status)


def test_brief_section_data(lever_case: Case) -> None:
    from dyadscope.scenario import scenario_section

    sec = scenario_section(lever_case, draws=1000, sobol_n=64, rule="kosko")
    assert sec.probabilities.scenario.nunique() == 3
    assert sec.convergence["settled"].tolist() == [1.0, 1.0, 1.0]
    assert sec.tornado_outcome == "cooperation"
    assert sec.tornado.iloc[0]["parameter"] == "link:pressure->cooperation"
    assert any("Sobol" in a for a in sec.assumptions)
    # the fixture's two dated states: one the map reproduces, one it cannot
    assert sec.replay["match"].tolist() == [True, False]
    assert sec.robustness is None
    assert bool(sec.tornado["distinguishable"].all())


def test_brief_section_with_robustness(lever_case: Case) -> None:
    from dyadscope.scenario import scenario_section

    sec = scenario_section(
        lever_case, draws=200, sobol_n=64, rule="kosko", margin=0.1, robustness_draws=50
    )
    assert sec.robustness is not None and len(sec.robustness) == 9
    assert {"robust_share", "robust"} <= set(sec.robustness.columns)


def lead_share_by_grid(p: float, margin: float, n: int = 2001) -> tuple[float, float]:
    """Shares of maps where cooperation / rivalry lead by ``margin`` in the invented case.

    Worked independently of the engine: after settling (Kosko, tanh, lever held at
    ``p``) cooperation = tanh(p·wc) and rivalry = tanh(p·wr) with wc ~ U[-0.2, 0.6] and
    wr ~ U[-0.6, 0.2] independent; the shares are integrated on an n×n midpoint grid.
    """
    u = (np.arange(n) + 0.5) / n
    wc = -0.2 + 0.8 * u[:, None]
    wr = -0.6 + 0.8 * u[None, :]
    gap = np.tanh(p * wc) - np.tanh(p * wr)
    return float(np.mean(gap >= margin)), float(np.mean(-gap >= margin))


@pytest.mark.parametrize("margin", [0.05, 0.2])
def test_margin_leaves_close_calls_undetermined(lever_case: Case, margin: float) -> None:
    coop, riv = lead_share_by_grid(1.0, margin)
    res = run_scenario(lever_case, "push", draws=20_000, seed=4, rule="kosko", margin=margin)
    shares = res.frame.set_index("outcome")["share"]
    assert shares["cooperation"] == pytest.approx(coop, abs=0.01)
    assert shares["rivalry"] == pytest.approx(riv, abs=0.01)
    assert shares["undetermined"] == pytest.approx(1 - coop - riv, abs=0.01)
    assert 1 - coop - riv > 0.02  # the margin does bite


def test_outcome_mean_activation_and_interval(lever_case: Case) -> None:
    """Under push, cooperation = tanh(wc), wc ~ U[-0.2, 0.6]: mean = ∫tanh / 0.8."""
    res = run_scenario(lever_case, "push", draws=20_000, seed=2, rule="kosko")
    row = res.frame.set_index("outcome").loc["cooperation"]
    mean = (math.log(math.cosh(0.6)) - math.log(math.cosh(-0.2))) / 0.8
    assert row["mean_activation"] == pytest.approx(mean, abs=0.005)
    # central 95 % of tanh(U[-0.2, 0.6]) is tanh of the 2.5 % and 97.5 % points of wc
    assert row["activation_low"] == pytest.approx(math.tanh(-0.2 + 0.8 * 0.025), abs=0.01)
    assert row["activation_high"] == pytest.approx(math.tanh(-0.2 + 0.8 * 0.975), abs=0.01)


def test_exogenous_level_without_statement_is_refused() -> None:
    m = FCM(["a", "b"], ["driver", "outcome"], np.array([[0.0, 0.5], [0.0, 0.0]]))
    with pytest.raises(InputError, match=r"\['a'\] have no incoming links and no stated level"):
        initial_state(m)
    assert initial_state(m, overrides={"a": 0.2}).tolist() == [0.2, 0.0]


def test_stated_level_interval_is_sampled() -> None:
    """Level of 'a' drawn from U[0, 1], weight 1 into b (Kosko, tanh): b = tanh(a)."""
    nan = float("nan")
    m = FCM(["a", "b"], ["driver", "outcome"], np.array([[0.0, 1.0], [0.0, 0.0]]),
            levels=np.array([0.5, nan]), level_low=np.array([0.0, nan]),
            level_high=np.array([1.0, nan]))  # fmt: skip
    from dyadscope.scenario import FCMSettings

    s = FCMSettings(rule="kosko")
    run = monte_carlo(m, 4000, seed=1, initial=initial_state(m), settings=s, keep_states=True)
    assert run.final is not None
    a, b = run.final[:, 0].astype(float), run.final[:, 1].astype(float)
    assert a.min() >= 0 and a.max() <= 1 and a.std() > 0.25  # uniform on [0, 1]: sd 0.289
    np.testing.assert_allclose(b, np.tanh(a), atol=1e-5)
    fixed = monte_carlo(m, 50, seed=1, initial=initial_state(m), settings=s, keep_states=True,
                        sample_levels=False)  # fmt: skip
    assert fixed.final is not None and np.all(fixed.final[:, 0] == 0.5)


def test_brief_section_does_not_depend_on_machine_speed(
    lever_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The brief's Sobol sample is exactly ``sobol_n``: no precision target grows it and
    no time budget cuts it, so a slow machine writes the same brief as a fast one."""
    import itertools

    from dyadscope.scenario import scenario_section, sensitivity

    def section() -> tuple[int, list[str], list[float]]:
        sec = scenario_section(lever_case, draws=200, sobol_n=4, rule="kosko")
        return (
            sec.settings["sobol_n"],
            sec.tornado["parameter"].tolist(),
            sec.tornado["ST"].tolist(),
        )

    fast = section()
    slow_clock = itertools.count(0.0, 1000.0)  # every reading 1000 s after the last
    monkeypatch.setattr(sensitivity.time, "perf_counter", lambda: next(slow_clock))
    slow = section()
    assert fast[0] == 4
    assert slow == fast
