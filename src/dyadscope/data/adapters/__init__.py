"""Built-in dataset adapters, one module per dataset.

Importing this package registers every built-in adapter with
:func:`dyadscope.data.registry.register_adapter`, the same decorator an outside plugin
uses.
"""

from __future__ import annotations

from dyadscope.data.adapters import (
    atop,
    capitals,
    contiguity,
    cow_alliance,
    cow_trade,
    dots,
    economy,
    energy,
    icews,
    ideal_points,
    igos,
    mids,
    mindist,
    nmc,
    rivalries,
    sipri,
    terrthreat,
    unvotes,
)

__all__ = [
    "atop",
    "capitals",
    "contiguity",
    "cow_alliance",
    "cow_trade",
    "dots",
    "economy",
    "energy",
    "icews",
    "ideal_points",
    "igos",
    "mids",
    "mindist",
    "nmc",
    "rivalries",
    "sipri",
    "terrthreat",
    "unvotes",
]
