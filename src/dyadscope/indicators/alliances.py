"""Ties and frictions: ATOP alliances, COW contiguity, distance, MIDs, joint IGOs.

Two kinds of table feed these indicators, and they treat a missing row differently:

* **Event lists** (ATOP, contiguity, MIDs) hold a row only when something exists
  (an alliance, a border, a dispute). Inside the dataset's coverage a missing row
  is 0 — but only for a dyad the table covers. The vendored peacesciencer extracts
  keep a few states; a dyad counts as covered only when both states appear in the
  table, otherwise the value is NA (with a note), never a false 0.
* **Panels** (joint IGOs, minimum distance) hold every dyad-year; a missing row is NA.

Coverage years of event lists are the declared span of the dataset version (ATOP 5.1
1815–2018, contiguity 3.2 1816–2016, MID 5 1816–2014), widened if the table holds
later years. All of these are undirected; both row orientations are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

from dyadscope.indicators._base import (
    ANY_DYAD,
    CA,
    CB,
    DyadQuery,
    Family,
    FamilyResult,
    Indicator,
    dyad_in_table_sql,
    fetch,
)
from dyadscope.indicators.rivalry import CAPDIST_INDICATOR, capdist

_DYAD = f"((ccode1 = {CA} AND ccode2 = {CB}) OR (ccode1 = {CB} AND ccode2 = {CA}))"
_YEARS = "WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1))"


@dataclass(frozen=True)
class EventList:
    """An event-list table: its declared coverage and how to read the dyad's rows.

    ``rows`` selects ``year`` and one column per indicator for the dyad, one row per
    year in which the table has something; absent years become 0 inside coverage.
    """

    table: str
    name: str
    first: int
    last: int
    year_min: str
    year_max: str
    rows: str


def _event_sql(ev: EventList, ids: tuple[str, ...]) -> str:
    values = ",\n".join(
        f"CASE WHEN cov.covered AND y.year BETWEEN cov.lo AND cov.hi "
        f"THEN coalesce(r.{i}, 0) END AS {i}"
        for i in ids
    )
    return f"""{_YEARS},
cov AS (
  SELECT least({ev.first}, {ev.year_min}) AS lo, greatest({ev.last}, {ev.year_max}) AS hi,
         {dyad_in_table_sql(ev.table)} AS covered
  FROM {ev.table}
),
r AS ({ev.rows})
SELECT y.year, {values}
FROM years y CROSS JOIN cov LEFT JOIN r USING (year) ORDER BY y.year
"""


def _panel_sql(table: str, column: str, alias: str) -> str:
    return f"""{_YEARS},
r AS (SELECT year, max({column}) AS {alias} FROM {table} WHERE {_DYAD} GROUP BY year)
SELECT y.year, r.{alias} FROM years y LEFT JOIN r USING (year) ORDER BY y.year
"""


ATOP_SOURCE = "ATOP v5.1"
_ATOP_KINDS = {
    "defense": "a defence pact (promise of active military support if attacked)",
    "offense": "an offensive alliance",
    "neutral": "a neutrality pact",
    "nonagg": "a non-aggression pact",
    "consul": "a consultation pact",
}
_ATOP = EventList(
    "atop",
    "ATOP",
    1815,
    2018,
    "min(year)",
    "max(year)",
    "SELECT year, "
    + ", ".join(f"max(atop_{k}) AS atop_{k}" for k in _ATOP_KINDS)
    + f" FROM atop WHERE {_DYAD} GROUP BY year",
)

CONTIGUITY_SOURCE = "COW Direct Contiguity v3.2"
_CONTIGUITY = EventList(
    "contiguity",
    "COW Direct Contiguity",
    1816,
    2016,
    "min(year(start_date))",
    "max(year(end_date))",
    "SELECT y.year, min(c.conttype) FILTER (WHERE c.conttype > 0) AS contiguity "
    "FROM years y JOIN contiguity c "
    "ON y.year BETWEEN year(c.start_date) AND year(c.end_date) "
    f"WHERE {_DYAD} GROUP BY y.year",
)

MIDS_SOURCE = "COW MID v5.0"
_MIDS = EventList(
    "mids",
    "COW MID",
    1816,
    2014,
    "min(year)",
    "max(year)",
    f"SELECT year, count(DISTINCT dispnum) AS mids FROM mids WHERE {_DYAD} GROUP BY year",
)

IGO_SOURCE = "COW IGO v3.0"
DISTANCE_SOURCE = "Minimum distance, cshapes"

_EVENT_RULE = (
    "{span}; 0 inside coverage for a dyad the table covers (both states appear in it), "
    "NA outside coverage or for a dyad the extract does not cover"
)


def _atop_indicator(kind: str, text: str) -> Indicator:
    return Indicator(
        f"atop_{kind}",
        "alliances",
        f"1 if A and B share {text} that year, else 0",
        "0/1",
        ATOP_SOURCE,
        ("atop",),
        coverage_rule=_EVENT_RULE.format(span="ATOP 5.1, 1815-2018"),
    )


ATOP_INDICATORS = tuple(_atop_indicator(k, t) for k, t in _ATOP_KINDS.items())

CONTIGUITY_INDICATORS = (
    Indicator(
        "contiguity",
        "geography",
        "Closest COW contiguity type active that year: 1 land border, 2-5 separated by "
        "up to 12/24/150/400 miles of water; 0 none",
        "COW type (0-5)",
        CONTIGUITY_SOURCE,
        ("contiguity",),
        coverage_rule=_EVENT_RULE.format(span="COW contiguity 3.2, 1816-2016"),
    ),
    Indicator(
        "mindist",
        "geography",
        "Minimum distance between the two states' territories",
        "km",
        DISTANCE_SOURCE,
        ("mindist",),
        coverage_rule="years where the distance panel has the dyad (1886-2019); NA otherwise",
    ),
    CAPDIST_INDICATOR,
)

MIDS_INDICATORS = (
    Indicator(
        "mids",
        "mids",
        "Number of militarized interstate disputes between A and B ongoing that year",
        "count of dispute-dyad-years",
        MIDS_SOURCE,
        ("mids",),
        coverage_rule=_EVENT_RULE.format(span="COW MID 5, 1816-2014"),
    ),
)

IGO_INDICATORS = (
    Indicator(
        "joint_igos",
        "igos",
        "Number of intergovernmental organisations both states belong to",
        "count",
        IGO_SOURCE,
        ("igos",),
        coverage_rule="years where the IGO panel has the dyad (1816-2014); NA otherwise",
    ),
)


def _uncovered_note(q: DyadQuery, family: str, table: str, covered: bool) -> list[str]:
    if covered:
        return []
    return [
        f"{family}: the store's {table} table does not cover {q.a}-{q.b} (no rows for the "
        "dyad or one of its states; the vendored extract keeps only a few states), "
        "so values are NA"
    ]


def _run_event(q: DyadQuery, ev: EventList, inds: tuple[Indicator, ...]) -> FamilyResult:
    ids = tuple(i.id for i in inds)
    frame = fetch(q.store, _event_sql(ev, ids), q.params)
    covered = fetch(q.store, f"SELECT {dyad_in_table_sql(ev.table)}", q.params).iloc[0, 0]
    notes = _uncovered_note(q, inds[0].family, ev.table, bool(covered))
    source = q.source(ev.table, ev.name, inds[0].source)
    return FamilyResult(frame, {i.id: source for i in inds}, notes)


def run_atop(q: DyadQuery) -> FamilyResult:
    """The five ATOP obligation flags, one row per year."""
    return _run_event(q, _ATOP, ATOP_INDICATORS)


def _run_panel(
    q: DyadQuery, family: str, table: str, column: str, alias: str
) -> tuple[pd.DataFrame, list[str]]:
    """A panel column for the dyad, and a note when the table has no row for the dyad."""
    frame = fetch(q.store, _panel_sql(table, column, alias), q.params)
    sql = f"SELECT count(*) FROM {table} WHERE {ANY_DYAD}"
    has_dyad = fetch(q.store, sql, q.params).iloc[0, 0]
    return frame, _uncovered_note(q, family, table, bool(has_dyad))


#: Tables whose last year marks "the present" of the store's annual data: contiguity is
#: carried forward to it (borders rarely move; the vendored data reach 2024).
_PRESENT_TABLES = ("sipri_transfers", "gdp", "milex", "baci_energy")


def _carry_contiguity(q: DyadQuery, frame: pd.DataFrame) -> list[str]:
    """Carry the last coded contiguity forward past the table's end, with a note."""
    present = [t for t in _PRESENT_TABLES if t in q.tables]
    if not present or frame["contiguity"].isna().all():
        return []
    union = " UNION ALL ".join(f"SELECT max(year) AS y FROM {t}" for t in present)
    # max() of years: a number, NaN when the table is empty
    last_data = cast(float, fetch(q.store, f"SELECT max(y) FROM ({union})", {}).iloc[0, 0])
    hi = cast(float, fetch(q.store, "SELECT max(year(end_date)) FROM contiguity", {}).iloc[0, 0])
    if pd.isna(last_data) or pd.isna(hi) or q.end <= hi:
        return []
    known = frame.loc[frame["year"] <= hi, "contiguity"].dropna()
    if known.empty:
        coded = fetch(
            q.store,
            _event_sql(_CONTIGUITY, ("contiguity",)),
            {**q.params, "start": int(hi), "end": int(hi)},
        ).iloc[0, 1]
    else:
        coded = known.iloc[-1]
    value = cast(float, coded)  # a contiguity code, NaN where none is coded
    if pd.isna(value):
        return []
    later = (frame["year"] > hi) & (frame["year"] <= last_data)
    if not later.any():
        return []
    frame.loc[later, "contiguity"] = value
    return [
        f"geography: COW contiguity ends in {int(hi)}; its {int(hi)} value ({int(value)}) is "
        f"carried forward to {int(frame.loc[later, 'year'].max())} (borders assumed unchanged)"
    ]


def run_contiguity(q: DyadQuery) -> FamilyResult:
    """COW contiguity type, minimum and capital distance where the store has them."""
    result = _run_event(q, _CONTIGUITY, CONTIGUITY_INDICATORS[:1])
    result.notes.extend(_carry_contiguity(q, result.frame))
    if "mindist" in q.tables:
        dist, notes = _run_panel(q, "geography", "mindist", "mindist", "mindist")
        result.notes.extend(notes)
    else:
        dist = result.frame[["year"]].assign(mindist=float("nan"))
        result.notes.append("geography: the store has no mindist table; mindist is NA")
    result.frame = result.frame.merge(dist, on="year", how="left")
    result.sources["mindist"] = q.source("mindist", "Minimum distance", DISTANCE_SOURCE)
    cap = capdist(q)
    result.frame = result.frame.merge(cap.frame, on="year", how="left")
    result.sources.update(cap.sources)
    result.notes.extend(cap.notes)
    return result


def run_mids(q: DyadQuery) -> FamilyResult:
    """Count of MID dispute-dyad-years per year."""
    return _run_event(q, _MIDS, MIDS_INDICATORS)


def run_igos(q: DyadQuery) -> FamilyResult:
    """Joint IGO memberships per year (a panel: no row is NA)."""
    frame, notes = _run_panel(q, "igos", "igos", "dyadigos", "joint_igos")
    return FamilyResult(frame, {"joint_igos": q.source("igos", "COW IGO", IGO_SOURCE)}, notes)


FAMILIES = (
    Family("alliances", ATOP_INDICATORS, run_atop, tables=("atop",)),
    Family("geography", CONTIGUITY_INDICATORS, run_contiguity, tables=("contiguity",)),
    Family("mids", MIDS_INDICATORS, run_mids, tables=("mids",)),
    Family("igos", IGO_INDICATORS, run_igos, tables=("igos",)),
)
