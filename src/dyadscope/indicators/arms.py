"""Arms-transfer indicators: the share of one side's arms imports supplied by the other.

Source: SIPRI Arms Transfers Database, trend-indicator values (TIV, millions) by
delivery year. ``arms_share_a_from_b`` = TIV A received from B / TIV A received from
all suppliers. With ``periods``, TIVs are summed over the period first: deliveries
are lumpy (a ship or a batch of aircraft lands in one year), so multi-year sums are
steadier than yearly shares.

**Coverage rule.** A share is only defined where the table holds *all* of the
importer's deliveries. The full SIPRI register does; the vendored extract does not:
it keeps only rows whose recipient is China or whose supplier is Russia. Under that
filter China's imports from every supplier are present, but India's imports appear
only where Russia supplied them, so India's "share from Russia" would be a false 1.0.
The filters of known extracts are declared in :data:`KNOWN_EXTRACTS`; a table whose
every row satisfies a declared filter is treated as that extract, and only the
filter's recipients get shares — every other importer is NA, with a note.
Within the table's delivery-year range, a year without deliveries to a covered
importer is 0 TIV (SIPRI lists deliveries, not absences), so its share is NA (0/0).
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadscope.indicators._base import (
    DyadQuery,
    Family,
    FamilyResult,
    Indicator,
    bucket_sum,
    fetch,
)

SOURCE = "SIPRI Arms Transfers Database (TIV)"


@dataclass(frozen=True)
class ExtractFilter:
    """How a partial SIPRI extract was cut: rows with these recipients or suppliers.

    Importers in ``recipients`` have complete imports in such an extract; nobody else.
    """

    label: str
    recipients: frozenset[str]
    suppliers: frozenset[str]


#: Filters of the partial SIPRI extracts dyadscope knows about (data description, not
#: a special case: the vendored file was cut this way, see the data MANIFEST).
KNOWN_EXTRACTS = (
    ExtractFilter(
        "vendored SIPRI extract (recipient China or supplier Russia, deliveries 2000-2023)",
        recipients=frozenset({"CHN"}),
        suppliers=frozenset({"RUS"}),
    ),
)

_RULE = (
    "delivery years inside the table's range, and only for an importer whose imports the "
    "table holds completely (full register: all; vendored extract: China only); "
    "NA where the importer received nothing (0/0)"
)

INDICATORS = (
    Indicator(
        "arms_share_a_from_b",
        "arms",
        "Share of A's arms imports (SIPRI TIV) supplied by B",
        "share (0-1)",
        SOURCE,
        ("sipri_transfers",),
        swap="mirror",
        mirror="arms_share_b_from_a",
        flow=True,
        coverage_rule=_RULE,
    ),
    Indicator(
        "arms_share_b_from_a",
        "arms",
        "Share of B's arms imports (SIPRI TIV) supplied by A",
        "share (0-1)",
        SOURCE,
        ("sipri_transfers",),
        swap="mirror",
        mirror="arms_share_a_from_b",
        flow=True,
        coverage_rule=_RULE,
    ),
)

_SQL = f"""
WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1)),
cov AS (SELECT min(year) AS lo, max(year) AS hi FROM sipri_transfers),
t AS (
  SELECT year,
         sum(tiv) FILTER (WHERE recipient_iso3 = $a) AS all_a,
         sum(tiv) FILTER (WHERE recipient_iso3 = $a AND supplier_iso3 = $b) AS from_b,
         sum(tiv) FILTER (WHERE recipient_iso3 = $b) AS all_b,
         sum(tiv) FILTER (WHERE recipient_iso3 = $b AND supplier_iso3 = $a) AS from_a
  FROM sipri_transfers WHERE recipient_iso3 IN ($a, $b) GROUP BY year
),
annual AS (
  SELECT y.year,
         CASE WHEN $a_complete AND y.year BETWEEN cov.lo AND cov.hi
              THEN coalesce(t.all_a, 0) END AS all_a,
         CASE WHEN $a_complete AND y.year BETWEEN cov.lo AND cov.hi
              THEN coalesce(t.from_b, 0) END AS from_b,
         CASE WHEN $b_complete AND y.year BETWEEN cov.lo AND cov.hi
              THEN coalesce(t.all_b, 0) END AS all_b,
         CASE WHEN $b_complete AND y.year BETWEEN cov.lo AND cov.hi
              THEN coalesce(t.from_a, 0) END AS from_a
  FROM years y CROSS JOIN cov LEFT JOIN t USING (year)
),
buckets AS (
  SELECT year // $period * $period AS year,
         {bucket_sum("all_a", "all_a")}, {bucket_sum("from_b", "from_b")},
         {bucket_sum("all_b", "all_b")}, {bucket_sum("from_a", "from_a")}
  FROM annual GROUP BY 1
)
SELECT year, from_b / NULLIF(all_a, 0) AS arms_share_a_from_b,
       from_a / NULLIF(all_b, 0) AS arms_share_b_from_a
FROM buckets ORDER BY year
"""


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


def run(q: DyadQuery) -> FamilyResult:
    """Each side's import share from the other, per year or per period."""
    filt = extract_filter(q)
    complete = {s: filt is None or s in filt.recipients for s in (q.a, q.b)}
    frame = fetch(
        q.store, _SQL, {**q.params, "a_complete": complete[q.a], "b_complete": complete[q.b]}
    )
    notes = [
        f"arms: the store's SIPRI table is the {filt.label}; it does not hold all of "
        f"{state}'s arms imports, so {state}'s import share is NA"
        for state in (q.a, q.b)
        if filt is not None and not complete[state]
    ]
    source = q.source("sipri_transfers", "SIPRI Arms Transfers Database (TIV)", SOURCE)
    return FamilyResult(frame, {ind.id: source for ind in INDICATORS}, notes)


FAMILIES = (Family("arms", INDICATORS, run, tables=("sipri_transfers",), flow=True),)
