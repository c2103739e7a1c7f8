"""The data behind the brief's scenarios section: one call, plain frames, no HTML.

The report renders; this module only runs the engine: outcome shares with
intervals for every scenario of the case, how many draws settled, and Sobol indices
for the outcome that leads the baseline (the tornado chart), with the assumptions
the brief must state beside them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from dyadscope.scenario.library import BASELINE, scenario_ids
from dyadscope.scenario.montecarlo import DEFAULT_MARGIN, run_scenario
from dyadscope.scenario.replay import replay
from dyadscope.scenario.robustness import robustness
from dyadscope.scenario.sensitivity import sobol_indices

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: Draws per scenario and setting of the robustness grid the brief runs (30 settings ×
#: every scenario).  Chosen so the grid adds a few seconds to ``dyadscope brief``;
#: seeded like every run, so the brief is the same on every build.
BRIEF_ROBUSTNESS_DRAWS = 256

#: Sobol base sample of the brief's tornado: fixed (no precision target, no time
#: bound), so the brief is the same on every machine.  ``n × (inputs + 2)`` runs; the
#: ± half-widths shown with the indices state the precision this buys, and indices
#: whose interval includes 0 are left out of the chart as not distinguishable.
BRIEF_SOBOL_N = 256

_REPLAY_OPTIONS = {"margin", "rule", "transfer", "lam", "max_iter"}


@dataclass
class ScenarioSection:
    """What the brief's scenarios section shows.

    ``probabilities``: scenario, scenario_label, outcome, label, category, count,
    share, ci_low, ci_high (one row per scenario and category).
    ``convergence``: scenario, settled (share at a fixed point), limit_cycle,
    no_convergence, mean_steps.  ``tornado``: the top inputs for ``tornado_outcome``
    under ``tornado_scenario`` — parameter, label, kind, S1, S1_conf, ST, ST_conf —
    only those whose ST interval excludes 0 (the others cannot be told from no effect).
    ``replay``: per dated state of the case, the outcome the sources describe, the one
    the map leads with and whether they match (empty when the case has no history).
    ``robustness``: the per scenario × outcome robustness summary, only when asked
    (``robustness_draws``; it runs every scenario under 30 settings).
    """

    probabilities: pd.DataFrame
    convergence: pd.DataFrame
    tornado: pd.DataFrame
    tornado_outcome: str
    tornado_scenario: str
    settings: dict[str, Any]
    assumptions: list[str] = field(default_factory=list)
    replay: pd.DataFrame = field(default_factory=pd.DataFrame)
    robustness: pd.DataFrame | None = None


def _mc_error_note(draws: int) -> str:
    """The worst-case 95 % Monte Carlo half-width of a share at ``draws`` draws.

    A share p from n independent draws has standard error sqrt(p(1-p)/n), largest at
    p = 0.5: at 5,000 draws 1.96 × sqrt(0.25 / 5000) = 0.0139, i.e. ±1.4 points.

    >>> _mc_error_note(5_000)[:60]
    'With 5,000 draws per scenario a share is known to within ±1.'
    """
    half = 1.96 * math.sqrt(0.25 / draws) * 100
    return (
        f"With {draws:,} draws per scenario a share is known to within ±{half:.1f} "
        "percentage points (95 %, Monte Carlo error only, worst case at a 50 % share)."
    )


def scenario_section(
    case: Case,
    *,
    draws: int = 5_000,
    seed: int = 1,
    sobol_n: int = BRIEF_SOBOL_N,
    sobol_scenario: str = BASELINE,
    top: int = 12,
    robustness_draws: int | None = None,
    **options: Any,
) -> ScenarioSection:
    """Run every scenario of ``case`` and the Sobol analysis the brief needs.

    ``options`` (rule, transfer, lam, max_iter, …) apply to both the Monte Carlo
    runs and the Sobol analysis, so the two describe the same model.  The case's
    dated states are replayed with the same draws; the robustness grid runs only with
    ``robustness_draws`` (draws per scenario and setting).  The Sobol analysis uses
    exactly ``sobol_n`` base points — no precision target and no time budget — so the
    section depends only on the case, the options and ``seed``, never on machine speed.

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> sec = scenario_section(load_case(), draws=5_000, sobol_n=128)  # doctest: +SKIP
    >>> sec.probabilities.scenario.nunique()  # doctest: +SKIP
    7
    """
    frames, conv_rows, results = [], [], {}
    for sid in scenario_ids(case):
        res = run_scenario(case, sid, draws=draws, seed=seed, **options)
        results[sid] = res
        frame = res.probabilities.copy()
        frame.insert(0, "scenario_label", res.scenario.label)
        frame.insert(0, "scenario", sid)
        frames.append(frame)
        conv = res.convergence.set_index("status")
        share = conv["share"].astype(float).to_dict()
        steps = conv["mean_steps"].astype(float).to_dict()
        conv_rows.append(
            {
                "scenario": sid,
                "settled": share["fixed_point"],
                "limit_cycle": share["limit_cycle"],
                "no_convergence": share["no_convergence"],
                "mean_steps": steps["fixed_point"],
            }
        )
    anchor = results.get(sobol_scenario) or results[next(iter(results))]
    outcomes = anchor.probabilities[anchor.probabilities["category"] == "outcome"]
    leader = str(outcomes.sort_values("share", ascending=False)["outcome"].iloc[0])
    sobol_options = {k: v for k, v in options.items() if k != "margin"}
    sob = sobol_indices(
        case,
        anchor.scenario.id,
        n=sobol_n,
        seed=seed,
        top=top,
        target_precision=None,
        time_budget_s=None,
        **sobol_options,
    )
    shown = (sob.frame["outcome"] == leader) & sob.frame["distinguishable"]
    tornado = sob.frame[shown].drop(columns=["outcome", "rank"])
    replayed = pd.DataFrame()
    if case.history:
        replay_options = {k: v for k, v in options.items() if k in _REPLAY_OPTIONS}
        replayed = replay(case, draws=draws, seed=seed, **replay_options).verdicts
    robust = None
    if robustness_draws:
        margin = options.get("margin", DEFAULT_MARGIN)
        robust = robustness(case, draws=robustness_draws, seed=seed, margin=margin).summary
    return ScenarioSection(
        probabilities=pd.concat(frames, ignore_index=True),
        convergence=pd.DataFrame(conv_rows),
        tornado=tornado.reset_index(drop=True),
        tornado_outcome=leader,
        tornado_scenario=anchor.scenario.id,
        settings={**anchor.settings, "sobol_n": int(sob.settings["n"])},
        assumptions=[*anchor.assumptions, _mc_error_note(draws), *sob.assumptions],
        replay=replayed,
        robustness=robust,
    )
