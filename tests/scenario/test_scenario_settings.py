"""One FCMSettings value: the loose options and ``settings=`` give the same runs.

The Monte Carlo run, the Sobol analysis and the replay accept either the loose
options (rule, transfer, lam, max_iter, eps: what the CLI and the report pass) or one
:class:`FCMSettings` value; giving both is refused, and a misspelt rule or transfer is
an :class:`InputError`, not a value of the wrong type travelling into the engine.
"""

from __future__ import annotations

import numpy as np
import pytest

from dyadscope.case import Case
from dyadscope.errors import InputError
from dyadscope.scenario import FCMSettings, run_scenario, sobol_indices
from dyadscope.scenario.library import CASE_MAX_ITER
from dyadscope.scenario.replay import replay
from dyadscope.scenario.robustness import Setting
from dyadscope.scenario.settings import CASE_SETTINGS, prepare_scenario, resolve_settings


def test_loose_options_default_to_the_case_settings() -> None:
    s = resolve_settings()
    assert s == CASE_SETTINGS
    assert (s.rule, s.transfer, s.lam, s.max_iter, s.eps) == (
        "modified_kosko",
        "tanh",
        1.0,
        CASE_MAX_ITER,
        1e-3,
    )
    assert resolve_settings(rule="kosko", lam=2.0) == FCMSettings(
        rule="kosko", lam=2.0, max_iter=CASE_MAX_ITER
    )


def test_settings_and_loose_options_together_are_refused() -> None:
    with pytest.raises(InputError, match="either settings or rule, max_iter"):
        resolve_settings(FCMSettings(), rule="kosko", max_iter=50)


@pytest.mark.parametrize(
    ("options", "field"),
    [({"rule": "mkosko"}, "rule 'mkosko'"), ({"transfer": "relu"}, "transfer 'relu'")],
)
def test_misspelt_rule_or_transfer_names_the_choices(options: dict[str, str], field: str) -> None:
    with pytest.raises(InputError, match=field) as err:
        resolve_settings(**options)
    assert "kosko" in str(err.value) or "tanh" in str(err.value)


def test_run_scenario_with_settings_equals_loose_options(lever_case: Case) -> None:
    loose = run_scenario(lever_case, "push", draws=2000, seed=7, rule="kosko", lam=2.0)
    one = run_scenario(
        lever_case,
        "push",
        draws=2000,
        seed=7,
        settings=FCMSettings(rule="kosko", lam=2.0, max_iter=CASE_MAX_ITER),
    )
    np.testing.assert_array_equal(loose.run.category, one.run.category)
    assert loose.settings == one.settings
    assert one.settings["rule"] == "kosko" and one.settings["lambda"] == 2.0


def test_run_scenario_refuses_settings_with_loose_options(lever_case: Case) -> None:
    with pytest.raises(InputError, match="not both"):
        run_scenario(lever_case, "push", draws=10, rule="kosko", settings=FCMSettings())


def test_sobol_with_settings_equals_loose_options(lever_case: Case) -> None:
    loose = sobol_indices(lever_case, "push", n=64, rule="kosko", target_precision=None)
    one = sobol_indices(
        lever_case,
        "push",
        n=64,
        settings=FCMSettings(rule="kosko", max_iter=CASE_MAX_ITER),
        target_precision=None,
    )
    assert loose.full[["S1", "ST"]].equals(one.full[["S1", "ST"]])
    assert loose.settings == one.settings


def test_replay_reports_the_settings_it_ran(lever_case: Case) -> None:
    res = replay(lever_case, draws=200, settings=FCMSettings(rule="kosko", max_iter=40))
    assert (res.settings["rule"], res.settings["max_iter"]) == ("kosko", 40)


def test_prepare_scenario_puts_clamps_on_the_transfer_scale(lever_case: Case) -> None:
    """Under sigmoid a signed clamp level v becomes (v + 1) / 2."""
    prep = prepare_scenario(lever_case, "push", FCMSettings(transfer="sigmoid"))
    assert prep.held
    for node, level in prep.held.items():
        pos = prep.fcm.index(node)
        assert prep.clamps[pos] == pytest.approx((level + 1) / 2)
        assert prep.start[pos] == pytest.approx((level + 1) / 2)


def test_grid_setting_gives_its_engine_settings() -> None:
    s = Setting("kosko", "sigmoid", 5.0, -0.2).engine(max_iter=77)
    assert s == FCMSettings(rule="kosko", transfer="sigmoid", lam=5.0, max_iter=77)
