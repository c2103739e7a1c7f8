"""Capability indicators from COW National Material Capabilities (CINC).

CINC is a state's share of the world total of six material components, so the
ratio ``cinc_b / cinc_a`` says how many times B's capabilities exceed A's — the
"widening capability gap" the seeds argue about, measured rather than asserted.
"""

from __future__ import annotations

from dyadscope.indicators._base import (
    CA,
    CB,
    DyadQuery,
    Family,
    FamilyResult,
    Indicator,
    fetch,
)

SOURCE = "COW NMC v7.0"
_RULE = "years where NMC has a CINC score for the state (1816-2022); NA otherwise"

INDICATORS = (
    Indicator(
        "cinc_a",
        "capability",
        "A's Composite Index of National Capability",
        "share of world capabilities (0-1)",
        SOURCE,
        ("nmc",),
        swap="mirror",
        mirror="cinc_b",
        coverage_rule=_RULE,
    ),
    Indicator(
        "cinc_b",
        "capability",
        "B's Composite Index of National Capability",
        "share of world capabilities (0-1)",
        SOURCE,
        ("nmc",),
        swap="mirror",
        mirror="cinc_a",
        coverage_rule=_RULE,
    ),
    Indicator(
        "cinc_ratio_b_a",
        "capability",
        "B's CINC divided by A's (how many times stronger B is)",
        "ratio",
        SOURCE,
        ("nmc",),
        swap="reciprocal",
        coverage_rule="years where both states have a CINC score; NA when A's is 0",
    ),
)

_SQL = f"""
WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1)),
xa AS (SELECT year, cinc FROM nmc WHERE ccode = {CA}),
xb AS (SELECT year, cinc FROM nmc WHERE ccode = {CB})
SELECT y.year, xa.cinc AS cinc_a, xb.cinc AS cinc_b,
       xb.cinc / NULLIF(xa.cinc, 0) AS cinc_ratio_b_a
FROM years y LEFT JOIN xa USING (year) LEFT JOIN xb USING (year)
ORDER BY y.year
"""


def run(q: DyadQuery) -> FamilyResult:
    """CINC of each side and their ratio, one row per year."""
    frame = fetch(q.store, _SQL, q.params)
    source = q.source("nmc", "COW NMC", SOURCE)
    return FamilyResult(frame, {ind.id: source for ind in INDICATORS})


FAMILIES = (Family("capability", INDICATORS, run, tables=("nmc",)),)
