"""Arms-transfer indicators: import and export shares between the two sides.

Source: SIPRI Arms Transfers Database, trend-indicator values (TIV, millions) by
delivery year. ``arms_share_a_from_b`` = TIV A received from B / TIV A received from
all suppliers; ``arms_export_share_a_to_b`` = TIV A delivered to B / TIV A delivered
to all recipients (for RUS-CHN: China's share of Russia's arms exports). With
``periods``, TIVs are summed over the period first: deliveries are lumpy (a ship or a
batch of aircraft lands in one year), so multi-year sums are steadier than yearly
shares.

**Periods.** ``compute(..., periods=5)`` buckets years from the start year
(``align="start"``), or backwards from the register's latest delivery year
(``align="latest"``: 2020-24, 2015-19 …, SIPRI's own convention). A period the
register covers only in part (e.g. 2025-29 when deliveries end in 2024) is computed
over the years it has and a note names them; it is never silently dropped.

**Coverage rule.** A share is only defined where the table holds *all* of the
importer's deliveries (import shares) or the exporter's (export shares). The full
register (vendored since deliveries 1995-2024) does. A partial extract such as the
earlier "recipient China or supplier Russia" cut does not: India's imports appear
only where Russia supplied them, so India's "share from Russia" would be a false 1.0.
The filters of known extracts are declared in :data:`KNOWN_EXTRACTS`; a table whose
every row satisfies a declared filter is treated as that extract, and only the
filter's recipients get import shares (suppliers: export shares) — every other state
is NA, with a note. Within the table's delivery-year range, a year without deliveries
is 0 TIV (SIPRI lists deliveries, not absences), so a share over it is NA (0/0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

from dyadscope.indicators._base import DyadQuery, Family, FamilyResult, Indicator, fetch

SOURCE = "SIPRI Arms Transfers Database (TIV)"


@dataclass(frozen=True)
class ExtractFilter:
    """How a partial SIPRI extract was cut: rows with these recipients or suppliers.

    Importers in ``recipients`` have complete imports in such an extract, exporters in
    ``suppliers`` complete exports; nobody else.
    """

    label: str
    recipients: frozenset[str]
    suppliers: frozenset[str]


#: Filters of the partial SIPRI extracts dyadscope knows about (data description, not
#: a special case: an earlier vendored file was cut this way, see the data MANIFEST).
KNOWN_EXTRACTS = (
    ExtractFilter(
        "SIPRI extract with recipient China or supplier Russia (deliveries 2000-2023)",
        recipients=frozenset({"CHN"}),
        suppliers=frozenset({"RUS"}),
    ),
)

_RULE = (
    "delivery years inside the table's range, for a state whose imports (import shares) "
    "or exports (export shares) the table holds completely (the vendored full register: "
    "every state); NA where the state received or sent nothing (0/0); with periods, the "
    "latest period may be partial and the notes name the years it covers"
)


def _ind(ident: str, mirror: str, text: str) -> Indicator:
    return Indicator(
        ident,
        "arms",
        text,
        "share (0-1)",
        SOURCE,
        ("sipri_transfers",),
        swap="mirror",
        mirror=mirror,
        flow=True,
        coverage_rule=_RULE,
    )


INDICATORS = (
    _ind(
        "arms_share_a_from_b",
        "arms_share_b_from_a",
        "Share of A's arms imports (SIPRI TIV) supplied by B",
    ),
    _ind(
        "arms_share_b_from_a",
        "arms_share_a_from_b",
        "Share of B's arms imports (SIPRI TIV) supplied by A",
    ),
    _ind(
        "arms_export_share_a_to_b",
        "arms_export_share_b_to_a",
        "Share of A's arms exports (SIPRI TIV) delivered to B",
    ),
    _ind(
        "arms_export_share_b_to_a",
        "arms_export_share_a_to_b",
        "Share of B's arms exports (SIPRI TIV) delivered to A",
    ),
)

#: flow column -> the completeness flag it depends on.
_FLOWS = {
    "all_a": "a_complete",
    "from_b": "a_complete",
    "all_b": "b_complete",
    "from_a": "b_complete",
    "xall_a": "a_xcomplete",
    "x_a_to_b": "a_xcomplete",
    "xall_b": "b_xcomplete",
    "x_b_to_a": "b_xcomplete",
}
_ANNUAL = ",\n         ".join(
    f"CASE WHEN ${flag} AND y.year BETWEEN cov.lo AND cov.hi THEN coalesce(t.{col}, 0) END AS {col}"
    for col, flag in _FLOWS.items()
)
_SUMS = ", ".join(f"sum({c}) AS {c}" for c in _FLOWS)

_SQL = f"""
WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1)),
cov AS (SELECT min(year) AS lo, max(year) AS hi FROM sipri_transfers),
t AS (
  SELECT year,
         sum(tiv) FILTER (WHERE recipient_iso3 = $a) AS all_a,
         sum(tiv) FILTER (WHERE recipient_iso3 = $a AND supplier_iso3 = $b) AS from_b,
         sum(tiv) FILTER (WHERE recipient_iso3 = $b) AS all_b,
         sum(tiv) FILTER (WHERE recipient_iso3 = $b AND supplier_iso3 = $a) AS from_a,
         sum(tiv) FILTER (WHERE supplier_iso3 = $a) AS xall_a,
         sum(tiv) FILTER (WHERE supplier_iso3 = $a AND recipient_iso3 = $b) AS x_a_to_b,
         sum(tiv) FILTER (WHERE supplier_iso3 = $b) AS xall_b,
         sum(tiv) FILTER (WHERE supplier_iso3 = $b AND recipient_iso3 = $a) AS x_b_to_a
  FROM sipri_transfers
  WHERE recipient_iso3 IN ($a, $b) OR supplier_iso3 IN ($a, $b) GROUP BY year
),
annual AS (
  SELECT y.year, y.year BETWEEN cov.lo AND cov.hi AS inside,
         {_ANNUAL}
  FROM years y CROSS JOIN cov LEFT JOIN t USING (year)
),
buckets AS (
  SELECT (year - $offset) // $period * $period + $offset AS year,
         min(year) FILTER (WHERE inside) AS first_year,
         max(year) FILTER (WHERE inside) AS last_year,
         {_SUMS}
  FROM annual GROUP BY 1
)
SELECT year, first_year, last_year,
       from_b / NULLIF(all_a, 0) AS arms_share_a_from_b,
       from_a / NULLIF(all_b, 0) AS arms_share_b_from_a,
       x_a_to_b / NULLIF(xall_a, 0) AS arms_export_share_a_to_b,
       x_b_to_a / NULLIF(xall_b, 0) AS arms_export_share_b_to_a
FROM buckets ORDER BY year
"""


def latest_year(q: DyadQuery) -> int | None:
    """The latest delivery year in the store's SIPRI table (for ``align="latest"``)."""
    row = q.store.con.execute("SELECT max(year) FROM sipri_transfers").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def extract_filter(q: DyadQuery) -> ExtractFilter | None:
    """The declared extract filter the store's table satisfies, or None if it is full.

    Why check the rows rather than trust a label: a user who loads the full register
    into the store must get every importer's share, and a table that still satisfies
    the filter cannot hold anything the filter would have removed.
    """
    for filt in KNOWN_EXTRACTS:
        sql = """SELECT count(*) AS n,
                        count_if(NOT (list_contains($rec, recipient_iso3)
                                      OR list_contains($sup, supplier_iso3))) AS outside
                 FROM sipri_transfers"""
        params = {"rec": sorted(filt.recipients), "sup": sorted(filt.suppliers)}
        n, outside = q.store.con.execute(sql, params).fetchone() or (0, 0)
        if n and not outside:
            return filt
    return None


def _period_notes(frame: pd.DataFrame, q: DyadQuery) -> list[str]:
    notes = []
    for row in frame.itertuples():
        # itertuples() types each field as a loose pandas scalar; these are numeric years
        first_year, last_year = cast(float, row.first_year), cast(float, row.last_year)
        if pd.isna(first_year):
            continue
        first, last = int(first_year), int(last_year)
        n = last - first + 1
        if n < q.period:
            notes.append(
                f"arms: the period starting {row.year} covers {first}-{last} only "
                f"({n} of {q.period} years; the SIPRI table has no deliveries outside "
                "its year range)"
            )
    return notes


def run(q: DyadQuery) -> FamilyResult:
    """Each side's import and export share with the other, per year or per period."""
    filt = extract_filter(q)
    imp = {s: filt is None or s in filt.recipients for s in (q.a, q.b)}
    exp = {s: filt is None or s in filt.suppliers for s in (q.a, q.b)}
    flags = {
        "a_complete": imp[q.a],
        "b_complete": imp[q.b],
        "a_xcomplete": exp[q.a],
        "b_xcomplete": exp[q.b],
    }
    frame = fetch(q.store, _SQL, {**q.params, **flags})
    notes = [
        f"arms: the store's SIPRI table is the {filt.label}; it does not hold all of "
        f"{state}'s arms {what}, so {state}'s {what[:-1]} share is NA"
        for state in (q.a, q.b)
        for what, complete in (("imports", imp), ("exports", exp))
        if filt is not None and not complete[state]
    ]
    if q.period > 1:
        notes.extend(_period_notes(frame, q))
    frame = frame.drop(columns=["first_year", "last_year"])
    source = q.source("sipri_transfers", "SIPRI Arms Transfers Database (TIV)", SOURCE)
    return FamilyResult(frame, {ind.id: source for ind in INDICATORS}, notes)


FAMILIES = (
    Family(
        "arms",
        INDICATORS,
        run,
        tables=("sipri_transfers",),
        flow=True,
        latest_year=latest_year,
        partial_periods=True,
    ),
)
