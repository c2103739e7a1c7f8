"""Economic weight of each side: SIPRI military expenditure and World Bank GDP.

All in current US$ (SIPRI: US$ million at each year's exchange rate; World Bank:
US$). Ratios are B over A, like ``cinc_ratio_b_a``. Values are NA outside each
source's years (SIPRI 1949-2023, World Bank 1960-2023) and where the source has no
figure for the state (SIPRI's ``...`` and ``xxx``).
"""

from __future__ import annotations

from dyadscope.indicators._base import DyadQuery, Family, FamilyResult, Indicator, fetch

MILEX_SOURCE = "SIPRI Military Expenditure Database (current US$)"
GDP_SOURCE = "World Bank GDP (current US$)"


def _ind(
    ident: str, text: str, unit: str, source: str, table: str, swap: str, mirror: str | None
) -> Indicator:
    return Indicator(
        ident,
        "milex" if table == "milex" else "gdp",
        text,
        unit,
        source,
        (table,),
        swap=swap,  # type: ignore[arg-type]
        mirror=mirror,
        coverage_rule=f"years where {source} has a figure for the state(s); NA otherwise",
    )


MILEX_INDICATORS = (
    _ind(
        "milex_a",
        "A's military expenditure",
        "US$ m (current)",
        MILEX_SOURCE,
        "milex",
        "mirror",
        "milex_b",
    ),
    _ind(
        "milex_b",
        "B's military expenditure",
        "US$ m (current)",
        MILEX_SOURCE,
        "milex",
        "mirror",
        "milex_a",
    ),
    _ind(
        "milex_ratio_b_a",
        "B's military expenditure / A's",
        "ratio",
        MILEX_SOURCE,
        "milex",
        "reciprocal",
        None,
    ),
    _ind(
        "milex_share_gdp_a",
        "A's military expenditure as a share of its GDP (SIPRI)",
        "share (0-1)",
        MILEX_SOURCE,
        "milex",
        "mirror",
        "milex_share_gdp_b",
    ),
    _ind(
        "milex_share_gdp_b",
        "B's military expenditure as a share of its GDP (SIPRI)",
        "share (0-1)",
        MILEX_SOURCE,
        "milex",
        "mirror",
        "milex_share_gdp_a",
    ),
)

GDP_INDICATORS = (
    _ind("gdp_a", "A's GDP", "US$ (current)", GDP_SOURCE, "gdp", "mirror", "gdp_b"),
    _ind("gdp_b", "B's GDP", "US$ (current)", GDP_SOURCE, "gdp", "mirror", "gdp_a"),
    _ind("gdp_ratio_b_a", "B's GDP / A's", "ratio", GDP_SOURCE, "gdp", "reciprocal", None),
)

_YEARS = "WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1))"

_MILEX_SQL = f"""{_YEARS},
ma AS (SELECT year, milex_usd, milex_share_gdp FROM milex WHERE iso3 = $a),
mb AS (SELECT year, milex_usd, milex_share_gdp FROM milex WHERE iso3 = $b)
SELECT y.year, ma.milex_usd AS milex_a, mb.milex_usd AS milex_b,
       mb.milex_usd / NULLIF(ma.milex_usd, 0) AS milex_ratio_b_a,
       ma.milex_share_gdp AS milex_share_gdp_a, mb.milex_share_gdp AS milex_share_gdp_b
FROM years y LEFT JOIN ma USING (year) LEFT JOIN mb USING (year) ORDER BY y.year
"""

_GDP_SQL = f"""{_YEARS},
ga AS (SELECT year, gdp_usd FROM gdp WHERE iso3 = $a),
gb AS (SELECT year, gdp_usd FROM gdp WHERE iso3 = $b)
SELECT y.year, ga.gdp_usd AS gdp_a, gb.gdp_usd AS gdp_b,
       gb.gdp_usd / NULLIF(ga.gdp_usd, 0) AS gdp_ratio_b_a
FROM years y LEFT JOIN ga USING (year) LEFT JOIN gb USING (year) ORDER BY y.year
"""


def run_milex(q: DyadQuery) -> FamilyResult:
    """Military expenditure of each side, their ratio and shares of GDP."""
    frame = fetch(q.store, _MILEX_SQL, q.params)
    source = q.source("milex", "SIPRI Military Expenditure", MILEX_SOURCE)
    return FamilyResult(frame, {i.id: source for i in MILEX_INDICATORS})


def run_gdp(q: DyadQuery) -> FamilyResult:
    """GDP of each side and their ratio."""
    frame = fetch(q.store, _GDP_SQL, q.params)
    source = q.source("gdp", "World Bank GDP", GDP_SOURCE)
    return FamilyResult(frame, {i.id: source for i in GDP_INDICATORS})


FAMILIES = (
    Family("milex", MILEX_INDICATORS, run_milex, tables=("milex",), needs_ccode=False),
    Family("gdp", GDP_INDICATORS, run_gdp, tables=("gdp",), needs_ccode=False),
)
