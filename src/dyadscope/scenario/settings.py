"""How a case scenario is set up for the engine: one settings value, one prepared map.

The Monte Carlo run (:mod:`~dyadscope.scenario.montecarlo`), the Sobol analysis
(:mod:`~dyadscope.scenario.sensitivity`), the robustness grid and the replay all run
a case map under one :class:`~dyadscope.scenario.engine.FCMSettings` value.  Their
public functions still accept the loose options (``rule``, ``transfer``, ``lam``,
``max_iter``, ``eps``) that the command line and the report pass;
:func:`resolve_settings` turns those into the one value, and :func:`prepare_scenario`
does the set-up they share: the map, the scenario, the starting state and the clamps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from dyadscope.errors import InputError
from dyadscope.scenario.engine import FCMSettings
from dyadscope.scenario.fcm import FCM, clamp_arrays, fcm_from_case, initial_state
from dyadscope.scenario.library import CASE_MAX_ITER, ScenarioSpec, get_scenario

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: The engine settings a case scenario runs under unless told otherwise: the engine
#: defaults, with the case step limit :data:`~dyadscope.scenario.library.CASE_MAX_ITER`.
CASE_SETTINGS = FCMSettings(max_iter=CASE_MAX_ITER)


def resolve_settings(
    settings: FCMSettings | None = None,
    *,
    rule: str | None = None,
    transfer: str | None = None,
    lam: float | None = None,
    max_iter: int | None = None,
    eps: float | None = None,
) -> FCMSettings:
    """One settings value from either ``settings`` or loose options, never both.

    Options left as ``None`` take their value from :data:`CASE_SETTINGS`.

    >>> resolve_settings(rule="kosko").max_iter
    300
    >>> resolve_settings(FCMSettings(), lam=2.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    dyadscope.errors.InputError: pass either settings or lam, not both ...
    """
    loose = {"rule": rule, "transfer": transfer, "lam": lam, "max_iter": max_iter, "eps": eps}
    given = [name for name, value in loose.items() if value is not None]
    if settings is not None:
        if given:
            raise InputError(
                f"pass either settings or {', '.join(given)}, not both "
                "(settings already holds rule, transfer, lam, max_iter and eps)"
            )
        return settings
    d = CASE_SETTINGS
    return FCMSettings.from_options(
        rule=d.rule if rule is None else rule,
        transfer=d.transfer if transfer is None else transfer,
        lam=d.lam if lam is None else lam,
        max_iter=d.max_iter if max_iter is None else max_iter,
        eps=d.eps if eps is None else eps,
    )


@dataclass(frozen=True)
class PreparedScenario:
    """A case scenario ready for the engine.

    ``held`` holds the signed clamp levels by factor id (the scenario's, then any
    extra ones); ``start`` is the starting state and ``clamps`` the clamp levels by
    node position, both on the transfer's scale.
    """

    fcm: FCM
    spec: ScenarioSpec
    settings: FCMSettings
    held: dict[str, float]
    start: NDArray[np.float64]
    clamps: dict[int, float]


def prepare_scenario(
    case: Case,
    scenario_id: str,
    settings: FCMSettings,
    *,
    initial: Mapping[str, float] | None = None,
    clamps: Mapping[str, float] | None = None,
) -> PreparedScenario:
    """Build the map of ``case``, find the scenario, and set the start and clamps.

    ``initial`` overrides starting levels and ``clamps`` adds to or overrides the
    scenario's clamps (both signed levels by factor id).
    """
    fcm = fcm_from_case(case)
    spec = get_scenario(case, scenario_id)
    held = {**spec.clamps, **(clamps or {})}
    start = initial_state(fcm, settings.transfer, overrides={**(initial or {}), **held})
    idx, values = clamp_arrays(fcm, held, settings.transfer)
    return PreparedScenario(
        fcm=fcm,
        spec=spec,
        settings=settings,
        held=held,
        start=start,
        clamps=dict(zip(idx, values.tolist(), strict=True)),
    )
