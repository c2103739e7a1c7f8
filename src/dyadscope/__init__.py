"""dyadscope: an observatory and scenario model for the relationship between two states.

>>> import dyadscope
>>> df = dyadscope.indicators("RUS", "CHN", 2010, 2010, only="capability")  # doctest: +SKIP
>>> df.attrs["source"]  # doctest: +SKIP
'COW NMC v7.0'

Everything here is imported on first use, so ``import dyadscope`` stays fast: the
API functions come from :mod:`dyadscope.api`, and the subpackages (``theory``,
``scenario``, ``events`` …) load when first touched.  ``dyadscope.indicators`` is
both the subpackage and, called, the API verb.  See ``docs/api.md``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: importing typing doubles the import time

__version__ = "0.1.0"

__all__ = [
    "Dyad",
    "__version__",
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
    "events",
    "indicators",
    "scenario",
    "theory",
]

#: Subpackages reachable as attributes (``dyadscope.theory.power(...)``) without an import.
_SUBPACKAGES = frozenset(
    {"api", "case", "data", "events", "indicators", "report", "scenario", "theory"}
)
#: Public API names, each loaded from :mod:`dyadscope.api` on first access.
_API = frozenset(__all__) - _SUBPACKAGES - {"__version__"}

if TYPE_CHECKING:
    from typing import Any

    from dyadscope import events, indicators, scenario, theory
    from dyadscope.api import (
        Dyad,
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
        brief,
        cite,
        create_dyad_years,
        dyad_years,
        event_series,
    )


def __getattr__(name: str) -> Any:
    """Load an API function or a subpackage on first access (PEP 562)."""
    import importlib

    if name in _API:
        value = getattr(importlib.import_module("dyadscope.api"), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f"dyadscope.{name}")
    else:
        raise AttributeError(f"module 'dyadscope' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API, *_SUBPACKAGES})
