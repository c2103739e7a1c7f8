"""The scenario library of a case: named sets of clamped levers, looked up and listed.

A scenario in a case file says which factors to hold at which signed level (-1 to 1)
while the rest of the map evolves, why, and which sources back it.  This module turns
those entries into what the engine needs and what the CLI and brief show.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from dyadscope.errors import UnknownScenario as UnknownScenario  # re-exported: its old home

if TYPE_CHECKING:
    from dyadscope.case.schema import Case, Evidence

#: The id that always resolves: the case's own ``baseline`` or, failing that, no clamps.
BASELINE = "baseline"

#: Default step limit for case maps.  Under the default rule (modified Kosko with tanh)
#: a map of a few dozen factors settles slowly: on the shipped Russia–China case about
#: a fifth of draws settle within 30 steps and nearly all within 300, so 300 is the
#: default and the unsettled share is always reported.
CASE_MAX_ITER = 300


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario as the engine uses it (signed clamp levels keyed by factor id)."""

    id: str
    label: str
    rationale: str
    clamps: dict[str, float] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)


def _evidence(items: Iterable[Evidence]) -> list[str]:
    return [f"{e.doc}:{e.lines} ({e.stance})" for e in items]


def get_scenario(case: Case, scenario_id: str) -> ScenarioSpec:
    """The scenario ``scenario_id`` of ``case``.

    ``"baseline"`` always resolves: to the case's own baseline if it has one, else to
    a run with nothing clamped.  Any other unknown id raises :class:`UnknownScenario`
    naming the case, the close matches and every id available.

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> get_scenario(load_case(), "baseline").clamps  # doctest: +SKIP
    {}
    """
    scenarios = case.scenarios
    for sc in scenarios:
        if sc.id == scenario_id:
            return ScenarioSpec(
                id=sc.id,
                label=sc.label,
                rationale=sc.rationale,
                clamps={k: float(v) for k, v in sc.clamps.items()},
                evidence=_evidence(sc.evidence),
            )
    if scenario_id == BASELINE:
        return ScenarioSpec(
            id=BASELINE,
            label="Baseline (nothing clamped)",
            rationale="The map as the case describes it, with no lever held.",
        )
    ids = [sc.id for sc in scenarios]
    close = difflib.get_close_matches(scenario_id, ids, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownScenario(
        f"case {case.id!r} has no scenario {scenario_id!r}.{hint} "
        f"Scenarios: {', '.join(ids) or 'none (only the implicit baseline)'}."
    )


def scenario_ids(case: Case) -> list[str]:
    """Every scenario id of the case, the implicit baseline first when the case lacks one.

    >>> from dyadscope.case.schema import Case, Scenario
    >>> scenario_ids(Case.model_construct(scenarios=[Scenario.model_construct(id="thaw")]))
    ['baseline', 'thaw']
    """
    ids = [sc.id for sc in case.scenarios]
    return ids if BASELINE in ids else [BASELINE, *ids]


def format_clamps(clamps: dict[str, float]) -> str:
    """Clamps as compact text, e.g. ``"us_pressure=+1, reform=-0.5"``.

    >>> format_clamps({"us_pressure": 1.0, "reform": -0.5})
    'us_pressure=+1, reform=-0.5'
    """
    return ", ".join(f"{k}={v:+g}" for k, v in clamps.items()) or "(none)"


def list_scenarios(case: Case) -> pd.DataFrame:
    """The scenario library as a frame: id, label, clamps, rationale, evidence.

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> list_scenarios(load_case()).columns.tolist()  # doctest: +SKIP
    ['id', 'label', 'clamps', 'rationale', 'evidence']
    """
    specs = [get_scenario(case, sid) for sid in scenario_ids(case)]
    return pd.DataFrame(
        {
            "id": [s.id for s in specs],
            "label": [s.label for s in specs],
            "clamps": [format_clamps(s.clamps) for s in specs],
            "rationale": [s.rationale for s in specs],
            "evidence": ["; ".join(s.evidence) for s in specs],
        }
    )
