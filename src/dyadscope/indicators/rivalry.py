"""Strategic rivalry, territorial threat and capital distance for any pair of states.

* ``rivalry`` — 1 if Thompson and Dreyer code a strategic rivalry between A and B
  that year, else 0; NA outside 1816-2010 (the COW state system starts in 1816; the
  handbook ends in 2010, where ongoing rivalries are coded as lasting to 2010).
* ``terrthreat_a`` / ``terrthreat_b`` — each side's latent external territorial
  threat (Miller 2022), a state-year estimate, 1816-2010.
* ``capdist`` — great-circle distance between the two capitals that year (COW
  capitals with their dates, to 2024), haversine on a 6,371 km sphere.
"""

from __future__ import annotations

from dyadscope.indicators._base import (
    DyadQuery,
    Family,
    FamilyResult,
    Indicator,
    fetch,
    state_code_sql,
)

#: Each side's COW code in the joined year ``y.year``.
_YA, _YB = state_code_sql("ca", "y.year"), state_code_sql("cb", "y.year")

RIVALRY_SOURCE = "Thompson & Dreyer strategic rivalries (2012)"
THREAT_SOURCE = "Latent territorial threat (Miller 2022)"
CAPITALS_SOURCE = "COW capitals (peacesciencer)"

RIVALRY_INDICATORS = (
    Indicator(
        "rivalry",
        "rivalry",
        "1 if A and B are strategic rivals that year (Thompson & Dreyer), else 0",
        "0/1",
        RIVALRY_SOURCE,
        ("rivalries",),
        coverage_rule="1816-2010 (handbook's end); 0 inside for pairs never rivals",
    ),
)

THREAT_INDICATORS = (
    Indicator(
        "terrthreat_a",
        "threat",
        "A's latent external territorial threat (higher: more threatened)",
        "latent score",
        THREAT_SOURCE,
        ("terrthreat",),
        swap="mirror",
        mirror="terrthreat_b",
        coverage_rule="state-years 1816-2010 the estimate covers",
    ),
    Indicator(
        "terrthreat_b",
        "threat",
        "B's latent external territorial threat (higher: more threatened)",
        "latent score",
        THREAT_SOURCE,
        ("terrthreat",),
        swap="mirror",
        mirror="terrthreat_a",
        coverage_rule="state-years 1816-2010 the estimate covers",
    ),
)

CAPDIST_INDICATOR = Indicator(
    "capdist",
    "geography",
    "Great-circle distance between the two capitals that year",
    "km",
    CAPITALS_SOURCE,
    ("capitals",),
    coverage_rule="years both states have a capital in COW's list (to 2024)",
)

_YEARS = "WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1))"

_RIVALRY_SQL = f"""{_YEARS},
cov AS (SELECT greatest(1816, min(start_year)) AS lo, max(end_year) AS hi FROM rivalries),
r AS (
  SELECT y.year, count(*) AS n
  FROM years y JOIN rivalries v ON y.year BETWEEN v.start_year AND v.end_year
  WHERE (v.ccode1 = {_YA} AND v.ccode2 = {_YB})
     OR (v.ccode1 = {_YB} AND v.ccode2 = {_YA})
  GROUP BY y.year
)
SELECT y.year, CASE WHEN y.year BETWEEN cov.lo AND cov.hi
                    THEN (coalesce(r.n, 0) > 0)::INTEGER END AS rivalry
FROM years y CROSS JOIN cov LEFT JOIN r USING (year) ORDER BY y.year
"""

_THREAT_SQL = f"""{_YEARS}
SELECT y.year, ta.lterrthreat AS terrthreat_a, tb.lterrthreat AS terrthreat_b
FROM years y
LEFT JOIN terrthreat ta ON ta.year = y.year AND ta.ccode = {_YA}
LEFT JOIN terrthreat tb ON tb.year = y.year AND tb.ccode = {_YB}
ORDER BY y.year
"""

# A state's capital in a year: the spell covering the year that started last.
_CAPDIST_SQL = f"""{_YEARS},
cap AS (
  SELECT y.year, c.ccode, arg_max(c.lat, c.start_date) AS lat, arg_max(c.lng, c.start_date) AS lng
  FROM years y JOIN capitals c
    ON y.year BETWEEN year(c.start_date) AND year(c.end_date)
  WHERE c.ccode IN ($ca, $cb, $ca_alt, $cb_alt)
  GROUP BY y.year, c.ccode
)
SELECT y.year,
       2 * 6371 * asin(sqrt(
         power(sin(radians(cb.lat - ca.lat) / 2), 2)
         + cos(radians(ca.lat)) * cos(radians(cb.lat))
           * power(sin(radians(cb.lng - ca.lng) / 2), 2))) AS capdist
FROM years y
LEFT JOIN cap ca ON ca.year = y.year AND ca.ccode = {_YA}
LEFT JOIN cap cb ON cb.year = y.year AND cb.ccode = {_YB}
ORDER BY y.year
"""


def run_rivalry(q: DyadQuery) -> FamilyResult:
    """Strategic rivalry flag per year."""
    frame = fetch(q.store, _RIVALRY_SQL, q.params)
    notes = []
    if q.end > 2010:
        notes.append(
            "rivalry: Thompson & Dreyer's handbook ends in 2010; later years are NA "
            "(a rivalry coded to 2010 was ongoing then)"
        )
    source = q.source("rivalries", "Strategic rivalries", RIVALRY_SOURCE)
    return FamilyResult(frame, {"rivalry": source}, notes)


def run_threat(q: DyadQuery) -> FamilyResult:
    """Each side's latent territorial threat."""
    frame = fetch(q.store, _THREAT_SQL, q.params)
    source = q.source("terrthreat", "Latent territorial threat", THREAT_SOURCE)
    return FamilyResult(frame, {i.id: source for i in THREAT_INDICATORS})


def capdist(q: DyadQuery) -> FamilyResult:
    """Capital-to-capital distance per year (NA without a capitals table)."""
    if "capitals" in q.tables:
        frame = fetch(q.store, _CAPDIST_SQL, q.params)
        notes: list[str] = []
    else:
        frame = fetch(
            q.store, f"{_YEARS} SELECT year, NULL::DOUBLE AS capdist FROM years", q.params
        )
        notes = ["geography: the store has no capitals table; capdist is NA"]
    source = q.source("capitals", "COW capitals", CAPITALS_SOURCE)
    return FamilyResult(frame, {"capdist": source}, notes)


FAMILIES = (
    Family("rivalry", RIVALRY_INDICATORS, run_rivalry, tables=("rivalries",)),
    Family("threat", THREAT_INDICATORS, run_threat, tables=("terrthreat",)),
)
