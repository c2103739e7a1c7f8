"""dyadscope's Python API: what a notebook user reaches for, re-exported by ``dyadscope``.

* frames — :func:`indicators`, :func:`dyad_years`, :func:`create_dyad_years` and the
  ``add_*`` joins (:mod:`.frames`);
* engines — theory (``dyadscope.theory.power`` …), :func:`scenario_run`
  (``dyadscope.scenario.run``), :func:`event_series`, :func:`brief`, :func:`cite`
  (:mod:`.engines`).

Every function takes states in any spelling, resolved once into a
:class:`~dyadscope.data.dyad.Dyad`; ``store=None`` means the vendored data (loaded
once per process); frames carry ``unit``, ``source``, ``coding`` and ``notes`` in
``DataFrame.attrs`` and come back as pandas or, with ``to="arrow"``, as Arrow tables
whose schema metadata holds the same.  See ``docs/api.md``.
"""

from __future__ import annotations

from dyadscope.api.engines import (
    brief,
    cite,
    event_series,
    external,
    game,
    interdependence,
    power,
    scenario_run,
    threat,
)
from dyadscope.api.frames import (
    ADD_FAMILIES,
    add_alliances,
    add_arms,
    add_capabilities,
    add_contiguity,
    add_energy,
    add_energy_shares,
    add_gdp,
    add_igos,
    add_indicators,
    add_mids,
    add_milex,
    add_rivalry,
    add_territorial_threat,
    add_trade,
    add_unga,
    create_dyad_years,
    dyad_years,
    indicators,
)
from dyadscope.data.dyad import Dyad

__all__ = [
    "ADD_FAMILIES",
    "Dyad",
    "add_alliances",
    "add_arms",
    "add_capabilities",
    "add_contiguity",
    "add_energy",
    "add_energy_shares",
    "add_gdp",
    "add_igos",
    "add_indicators",
    "add_mids",
    "add_milex",
    "add_rivalry",
    "add_territorial_threat",
    "add_trade",
    "add_unga",
    "brief",
    "cite",
    "create_dyad_years",
    "dyad_years",
    "event_series",
    "external",
    "game",
    "indicators",
    "interdependence",
    "power",
    "scenario_run",
    "threat",
]
