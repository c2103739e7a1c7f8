"""Trade indicators: volume, shares, asymmetry and balance, from COW or IMF DOTS.

Why shares and asymmetry rather than volume alone: interdependence theory reads
the *relative* weight of a partner in each side's trade; a dyad in which B matters
much more to A than A to B (``trade_asymmetry`` > 1) gives B leverage.

Sources, chosen with ``trade_source``:

* ``auto`` (the default) — IMF DOTS in the years it reports the dyad's flows (from
  its first such year on), COW before; the note names the switch year. Each year's
  numerator and denominator come from that year's one source, never a mix: where
  DOTS lacks a side's trade with the world, that year's share is NA with a note.

* ``cow`` — COW Dyadic and National Trade v4.0, US$ million. ``flow1`` is
  ``ccode1``'s imports from ``ccode2``; A's exports to B are B's imports from A.
  Shares divide by A's (or B's) total trade, imports + exports, from the national file.
* ``dots`` — IMF Direction of Trade, stored in US$ and converted to US$ million.
  **Mirror choice**: each flow is taken from A's own report (A's exports to B, A's
  imports from B); where A did not report a flow, B's mirror report is used (B's
  imports from A for A's exports, B's exports to A for A's imports). So ``trade_total``
  from DOTS is "as reported by A" and may differ slightly from B's view (FOB vs CIF).
  Shares need each side's trade with the world (partner ``WLD``); without such rows
  the shares are NA.

With ``periods``, flows are summed over the period and shares are computed from the
summed flows (never averaged shares); a period with any year lacking data is NA.
"""

from __future__ import annotations

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
    Swap,
    bucket_sum,
    fetch,
)

COW_SOURCE = "COW Trade v4.0"
DOTS_SOURCE = "IMF DOTS"
_TABLES = ("cow_trade_dyadic", "cow_trade_national")
_RULE = (
    "years where the dyadic flows (COW 1870-2014, or DOTS) are reported for the dyad; "
    "NA where the store's trade table has no row for the dyad (the vendored COW extract "
    "holds only dyads with Russia or China) or a flow is missing"
)
_SOURCE = f"{COW_SOURCE} | {DOTS_SOURCE}"


def _ind(
    id_: str, description: str, unit: str, swap: Swap = "same", mirror: str | None = None
) -> Indicator:
    return Indicator(
        id_,
        "trade",
        description,
        unit,
        _SOURCE,
        (*_TABLES, "dots"),
        flow=True,
        coverage_rule=_RULE,
        swap=swap,
        mirror=mirror,
    )


INDICATORS = (
    _ind("trade_total", "Trade between A and B, imports + exports", "current US$ million"),
    _ind(
        "trade_share_a",
        "Share of A's total trade (imports + exports) that is with B",
        "share (0-1)",
        swap="mirror",
        mirror="trade_share_b",
    ),
    _ind(
        "trade_share_b",
        "Share of B's total trade (imports + exports) that is with A",
        "share (0-1)",
        swap="mirror",
        mirror="trade_share_a",
    ),
    _ind(
        "trade_asymmetry",
        "trade_share_a / trade_share_b (> 1: B matters more to A than A to B)",
        "ratio",
        swap="reciprocal",
    ),
    _ind(
        "trade_balance_a",
        "A's exports to B minus A's imports from B",
        "current US$ million",
        swap="negate",
    ),
)

# Each source fills the same CTE ``annual(year, imp_a, imp_b, tot_a, tot_b)`` in US$
# million: imp_a = A's imports from B, imp_b = B's imports from A (= A's exports to B),
# tot_a / tot_b = each side's total trade with the world.
_COW_ANNUAL = f"""
d AS (
  SELECT year,
         CASE WHEN ccode1 = {CA} THEN flow1 ELSE flow2 END AS imp_a,
         CASE WHEN ccode1 = {CA} THEN flow2 ELSE flow1 END AS imp_b
  FROM cow_trade_dyadic
  WHERE (ccode1 = {CA} AND ccode2 = {CB}) OR (ccode1 = {CB} AND ccode2 = {CA})
),
na AS (SELECT year, imports + exports AS tot FROM cow_trade_national WHERE ccode = {CA}),
nb AS (SELECT year, imports + exports AS tot FROM cow_trade_national WHERE ccode = {CB}),
annual AS (
  SELECT y.year, d.imp_a, d.imp_b, na.tot AS tot_a, nb.tot AS tot_b
  FROM years y LEFT JOIN d USING (year) LEFT JOIN na USING (year) LEFT JOIN nb USING (year)
)
"""

_DOTS_ANNUAL = """
rep AS (
  SELECT reporter_iso3 AS r, partner_iso3 AS p, year,
         exports_usd / 1e6 AS x, imports_usd / 1e6 AS m
  FROM dots WHERE reporter_iso3 IN ($a, $b)
),
ra AS (SELECT year, x, m FROM rep WHERE r = $a AND p = $b),
rb AS (SELECT year, x, m FROM rep WHERE r = $b AND p = $a),
wa AS (SELECT year, x + m AS tot FROM rep WHERE r = $a AND p = 'WLD'),
wb AS (SELECT year, x + m AS tot FROM rep WHERE r = $b AND p = 'WLD'),
annual AS (
  SELECT y.year,
         coalesce(ra.m, rb.x) AS imp_a,
         coalesce(ra.x, rb.m) AS imp_b,
         wa.tot AS tot_a, wb.tot AS tot_b
  FROM years y LEFT JOIN ra USING (year) LEFT JOIN rb USING (year)
       LEFT JOIN wa USING (year) LEFT JOIN wb USING (year)
)
"""

_TAIL = f"""
buckets AS (
  SELECT (year - $offset) // $period * $period + $offset AS year,
         {bucket_sum("imp_a", "imp_a")}, {bucket_sum("imp_b", "imp_b")},
         {bucket_sum("tot_a", "tot_a")}, {bucket_sum("tot_b", "tot_b")}
  FROM annual GROUP BY 1
),
v AS (
  SELECT year, imp_a + imp_b AS trade_total,
         (imp_a + imp_b) / NULLIF(tot_a, 0) AS trade_share_a,
         (imp_a + imp_b) / NULLIF(tot_b, 0) AS trade_share_b,
         imp_b - imp_a AS trade_balance_a
  FROM buckets
)
SELECT year, trade_total, trade_share_a, trade_share_b,
       trade_share_a / NULLIF(trade_share_b, 0) AS trade_asymmetry, trade_balance_a
FROM v ORDER BY year
"""


def _sql(annual: str) -> str:
    head = "WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1)),"
    return f"{head}{annual},{_TAIL}"


def _dots_first_year(q: DyadQuery) -> int | None:
    """First year DOTS reports both of the dyad's flows (directly or as a mirror)."""
    if "dots" not in q.tables:
        return None
    sql = f"""WITH years AS (SELECT range::INTEGER AS year FROM range(1800, 2101)),
    {_DOTS_ANNUAL.strip()}
    SELECT min(year) FROM annual WHERE imp_a IS NOT NULL AND imp_b IS NOT NULL"""
    # DuckDB's min() of an INTEGER column: a number, NaN when there is no such year
    value = cast(float, fetch(q.store, sql, q.params).iloc[0, 0])
    return None if pd.isna(value) else int(value)


def _auto_sql() -> str:
    cow = _COW_ANNUAL.replace("annual AS", "annual_cow AS")
    dots = _DOTS_ANNUAL.replace("annual AS", "annual_dots AS")
    pick = ",\n".join(
        f"CASE WHEN y.year >= $switch THEN dd.{c} ELSE cc.{c} END AS {c}"
        for c in ("imp_a", "imp_b", "tot_a", "tot_b")
    )
    annual = f"""
annual AS (
  SELECT y.year, {pick}
  FROM years y LEFT JOIN annual_cow cc USING (year) LEFT JOIN annual_dots dd USING (year)
)
"""
    return _sql(f"{cow},{dots},{annual}")


def _run_auto(q: DyadQuery) -> FamilyResult:
    """COW before DOTS's first year for the dyad, DOTS from then on (one source a year)."""
    switch = _dots_first_year(q)
    if switch is None:
        result = run(_replace_source(q, "cow"))
        result.notes.append(
            f"trade: DOTS does not report {q.a}-{q.b} (or the store has no dots table); "
            "every year is from COW"
        )
        return result
    if q.missing(_TABLES):
        result = run(_replace_source(q, "dots"))
        result.notes.append("trade: the store has no COW trade tables; every year is from DOTS")
        return result
    cow = q.source("cow_trade_dyadic", "COW Trade", COW_SOURCE)
    dots = q.source("dots", "IMF DOTS", DOTS_SOURCE)
    label = f"{cow} to {switch - 1}; {dots} from {switch}"
    frame = fetch(q.store, _auto_sql(), {**q.params, "switch": switch})
    notes = [
        f"trade: trade_source='auto' uses {cow} up to {switch - 1} and {dots} from {switch} "
        f"(the first year DOTS reports {q.a}-{q.b}); numerator and denominator of each "
        "year's share come from that year's source"
    ]
    lacking = _dots_without_world(q)
    if q.end >= switch and lacking:
        notes.append(
            f"trade: from {switch} the DOTS table has no trade-with-world rows (partner "
            f"WLD) reported by {' or '.join(lacking)}, so "
            f"{', '.join(_shares_of(q, lacking))} and trade_asymmetry are NA there (a DOTS "
            "flow over a COW total would mix sources)"
        )
    notes += _drop_impossible_shares(frame, q, label)
    return FamilyResult(frame, {ind.id: label for ind in INDICATORS}, notes)


def _replace_source(q: DyadQuery, source: str) -> DyadQuery:
    from dataclasses import replace

    return replace(q, trade_source=source)  # type: ignore[arg-type]


def run(q: DyadQuery) -> FamilyResult:
    """Trade indicators for the dyad from the source named in ``q.trade_source``."""
    if q.trade_source == "auto":
        return _run_auto(q)
    dots = q.trade_source == "dots"
    needed = ("dots",) if dots else _TABLES
    source = (
        q.source("dots", "IMF DOTS", DOTS_SOURCE)
        if dots
        else q.source("cow_trade_dyadic", "COW Trade", COW_SOURCE)
    )
    sources = {ind.id: source for ind in INDICATORS}
    absent = q.missing(needed)
    if absent:
        note = (
            f"trade: the store has no table {', '.join(absent)}; {source} values are NA "
            "(load it with `dyadscope data load`)"
        )
        return FamilyResult(fetch(q.store, _sql(_EMPTY_ANNUAL), q.params), sources, [note])
    notes: list[str] = []
    if dots and not _dots_has_world(q):
        notes.append(
            "trade: the DOTS table has no trade-with-world rows (partner WLD) for "
            f"{q.a} or {q.b}, so DOTS trade shares and asymmetry are NA"
        )
    if not _has_dyad(q, dots):
        notes.append(
            f"trade: the store's {needed[0]} table has no row for {q.a}-{q.b}, so the trade "
            "values are NA, not 0 (the vendored extract covers only some dyads; "
            "load the full file with `dyadscope data load`)"
        )
    frame = fetch(q.store, _sql(_DOTS_ANNUAL if dots else _COW_ANNUAL), q.params)
    notes += _drop_impossible_shares(frame, q, source)
    return FamilyResult(frame, sources, notes)


def _drop_impossible_shares(frame: pd.DataFrame, q: DyadQuery, source: str) -> list[str]:
    """Set shares above 1 to NA (in place) and say where: the two files disagree there.

    A side's trade with one partner cannot exceed its trade with the world, but the
    dyadic and national files come from different compilations and sometimes do (COW
    puts China's 1948 trade with the US at $417m against a national total of $244m).
    Such a share is not a measurement, so it is NA, and so is the asymmetry built on it.
    """
    notes = []
    for col, side in (("trade_share_a", q.a), ("trade_share_b", q.b)):
        bad = frame[col] > 1
        if bad.any():
            years = ", ".join(str(int(y)) for y in frame.loc[bad, "year"])
            notes.append(
                f"trade: in {years} the {q.a}-{q.b} flows in {source} exceed {side}'s total "
                f"trade with the world, so {col} and trade_asymmetry are NA there "
                "(the dyadic and national figures disagree)"
            )
            frame.loc[bad, [col, "trade_asymmetry"]] = float("nan")
    return notes


_EMPTY_ANNUAL = """
annual AS (
  SELECT year, NULL::DOUBLE AS imp_a, NULL::DOUBLE AS imp_b,
         NULL::DOUBLE AS tot_a, NULL::DOUBLE AS tot_b FROM years
)
"""


def _has_dyad(q: DyadQuery, dots: bool) -> bool:
    if dots:
        sql = """SELECT count(*) FROM dots WHERE (reporter_iso3 = $a AND partner_iso3 = $b)
                 OR (reporter_iso3 = $b AND partner_iso3 = $a)"""
    else:
        sql = f"SELECT count(*) FROM cow_trade_dyadic WHERE {ANY_DYAD}"
    return bool(fetch(q.store, sql, q.params).iloc[0, 0])


def _dots_without_world(q: DyadQuery) -> list[str]:
    """The dyad's states that report no trade with the world (partner WLD) in DOTS."""
    sql = """SELECT DISTINCT reporter_iso3 FROM dots
             WHERE partner_iso3 = 'WLD' AND reporter_iso3 IN ($a, $b)"""
    have = set(fetch(q.store, sql, q.params).iloc[:, 0])
    return [s for s in (q.a, q.b) if s not in have]


def _shares_of(q: DyadQuery, states: list[str]) -> list[str]:
    return [f"trade_share_{'a' if s == q.a else 'b'}" for s in states]


def _dots_has_world(q: DyadQuery) -> bool:
    sql = """SELECT count(DISTINCT reporter_iso3) FROM dots
             WHERE partner_iso3 = 'WLD' AND reporter_iso3 IN ($a, $b)"""
    return int(cast(int, fetch(q.store, sql, q.params).iloc[0, 0])) == 2  # count(): an integer


FAMILIES = (Family("trade", INDICATORS, run, tables=(), flow=True),)
