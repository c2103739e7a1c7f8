"""Theory engines: international-relations theories run against data.

* :func:`balance_of_power` — major-power CINC shares, Ray–Singer concentration,
  polarity, and whether a coalition matches a rival (:mod:`.power`);
* :func:`balance_of_threat` — Walt's four criteria, threat scores and predicted vs
  observed alignment (:mod:`.threat`);
* :func:`interdependence` — Keohane & Nye's sensitivity, vulnerability and leverage
  (:mod:`.interdependence`);
* :func:`alliance_game` — the iterated prisoner's dilemma, δ* for grim trigger and an
  ``axelrod`` tournament (:mod:`.games`);
* :func:`externally_driven` — VAR/Granger test of whether a third state's conflict
  with the pair drives the pair's cooperation (:mod:`.external`);
* :func:`theory_section` — all five for the brief (:mod:`.section`).

The API verbs take states in any spelling and the vendored data by default:
``power("RUS", "CHN")``, ``threat(...)``, ``interdependence("russia", "china")``,
``external(...)``, ``game(...)`` (:mod:`dyadscope.api.engines`).  ``power``, ``threat``,
``interdependence`` and ``external`` are the engine modules made callable, so ``from
dyadscope.theory.power import balance_of_power`` works as before; ``interdependence``
also keeps the engine's form ``interdependence(store, a, b, start, end)``.

Every result carries plain frames, headline numbers and ``assumptions`` (what the
model takes for granted), and ``to_dict()`` for JSON.  Heavy libraries (axelrod,
statsmodels) are imported only when an engine needs them.
"""

from __future__ import annotations

from dyadscope._callable import make_callable as _make_callable
from dyadscope.api.engines import game
from dyadscope.theory.external import ExternalResult, externally_driven, granger_var
from dyadscope.theory.games import (
    GameResult,
    InvalidPayoffs,
    Payoffs,
    alliance_game,
    critical_discount,
    payoffs_from_case,
)
from dyadscope.theory.interdependence import InterdependenceResult
from dyadscope.theory.power import (
    PolarityThresholds,
    PowerResult,
    balance_of_power,
    classify_polarity,
    ray_singer_con,
)
from dyadscope.theory.section import TheorySection, theory_section
from dyadscope.theory.threat import ThreatResult, balance_of_threat, default_states

__all__ = [
    "ExternalResult",
    "GameResult",
    "InterdependenceResult",
    "InvalidPayoffs",
    "Payoffs",
    "PolarityThresholds",
    "PowerResult",
    "TheorySection",
    "ThreatResult",
    "alliance_game",
    "balance_of_power",
    "balance_of_threat",
    "classify_polarity",
    "critical_discount",
    "default_states",
    "external",
    "externally_driven",
    "game",
    "granger_var",
    "interdependence",
    "payoffs_from_case",
    "power",
    "ray_singer_con",
    "theory_section",
    "threat",
]

for _verb in ("power", "threat", "interdependence", "external"):
    _make_callable(f"dyadscope.theory.{_verb}", f"dyadscope.api.engines:{_verb}")
