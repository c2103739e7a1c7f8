"""The scenario engine: fuzzy cognitive maps built from a case, run under uncertainty.

* :mod:`~dyadscope.scenario.fcm` — the map (:class:`FCM`, :func:`fcm_from_case`) and
  single runs (:func:`simulate`);
* :mod:`~dyadscope.scenario.engine` — the batched simulator (:func:`simulate_batch`);
* :mod:`~dyadscope.scenario.sampling` — weights drawn from their intervals,
  reproducibly (:func:`draw_link_values`, :func:`sample_weights`);
* :mod:`~dyadscope.scenario.montecarlo` — outcome probabilities with Wilson intervals
  (:func:`run_scenario`, :func:`run_library`);
* :mod:`~dyadscope.scenario.sensitivity` — Sobol indices (:func:`sobol`,
  :func:`sobol_indices`);
* :mod:`~dyadscope.scenario.library` — the case's scenarios (:func:`list_scenarios`);
* :mod:`~dyadscope.scenario.section` — the data behind the brief's scenarios section.

:func:`run` is the notebook verb: ``run("RUS", "CHN", "baseline", draws=20_000)`` finds
the dyad's case and returns a :class:`ScenarioResult` (:func:`dyadscope.api.scenario_run`).

>>> from dyadscope.case import load_case  # doctest: +SKIP
>>> run_scenario(load_case(), "baseline", draws=20_000).frame  # doctest: +SKIP
"""

from __future__ import annotations

from dyadscope.api.engines import scenario_run as run
from dyadscope.scenario.engine import (
    RULES,
    STATUSES,
    TRANSFERS,
    BatchResult,
    FCMSettings,
    simulate_batch,
)
from dyadscope.scenario.fcm import (
    FCM,
    Trajectory,
    fcm_from_case,
    initial_state,
    simulate,
    to_activation,
)
from dyadscope.scenario.library import (
    ScenarioSpec,
    UnknownScenario,
    get_scenario,
    list_scenarios,
    scenario_ids,
)
from dyadscope.scenario.montecarlo import (
    MonteCarloRun,
    ScenarioResult,
    classify,
    monte_carlo,
    run_library,
    run_scenario,
    wilson_intervals,
)
from dyadscope.scenario.sampling import DISTRIBUTIONS, draw_link_values, sample_weights
from dyadscope.scenario.section import ScenarioSection, scenario_section
from dyadscope.scenario.sensitivity import SobolResult, saltelli_batches, sobol, sobol_indices

__all__ = [
    "DISTRIBUTIONS",
    "FCM",
    "RULES",
    "STATUSES",
    "TRANSFERS",
    "BatchResult",
    "FCMSettings",
    "MonteCarloRun",
    "ScenarioResult",
    "ScenarioSection",
    "ScenarioSpec",
    "SobolResult",
    "Trajectory",
    "UnknownScenario",
    "classify",
    "draw_link_values",
    "fcm_from_case",
    "get_scenario",
    "initial_state",
    "list_scenarios",
    "monte_carlo",
    "run",
    "run_library",
    "run_scenario",
    "saltelli_batches",
    "sample_weights",
    "scenario_ids",
    "scenario_section",
    "simulate",
    "simulate_batch",
    "sobol",
    "sobol_indices",
    "to_activation",
    "wilson_intervals",
]
