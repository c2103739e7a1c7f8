"""UN General Assembly voting indicators and the all-pairs agreement matrix.

Definitions (Voeten's roll calls, year = calendar year of the roll-call date):

* ``unga_same_vote`` — among the roll calls of the year in which *both* states cast
  yes, no or abstain (absences are not votes and are excluded), the share of
  identical votes.
* ``unga_kappa`` — Cohen's κ on the same votes over the three categories:
  (p_o − p_e) / (1 − p_e), with p_e = Σ_k p_a(k)·p_b(k) from each side's marginals on
  those votes. Why κ as well: two states that both vote "yes" on most resolutions
  agree a lot by chance; κ discounts that. NA when p_e = 1 (no variation).
* ``ideal_point_distance`` — |ideal_a − ideal_b|, Bailey–Strezhnev–Voeten ideal
  points (one release at a time: releases are on different scales).

The dyad indicators and :func:`unga_agreement_matrix` share one SQL definition of
the agreement aggregates, so a dyad's row in the matrix equals its indicator value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from dyadscope.errors import MissingData
from dyadscope.indicators._base import (
    DyadQuery,
    Family,
    FamilyResult,
    Indicator,
    fetch,
    missing_tables,
)

if TYPE_CHECKING:
    from dyadscope.data.store import Store

VOTES_NAME = "UNGA roll calls (Voeten)"
VOTES_SOURCE = f"{VOTES_NAME}, unvotes"
IDEAL_SOURCE = "BSV ideal points"
UNDL_SOURCE = "UN Digital Library recorded votes"
#: The ideal-point release used when the store holds several (they do not mix).
PREFERRED_RELEASE = "Jun2024"
_VOTE_TABLES = ("unga_votes", "unga_rollcalls")

INDICATORS = (
    Indicator(
        "unga_same_vote",
        "unga",
        "Share of the year's roll calls, among those where both voted, with identical votes",
        "share (0-1)",
        VOTES_SOURCE,
        _VOTE_TABLES,
        coverage_rule="years with at least one roll call in which both states voted (1946-)",
    ),
    Indicator(
        "unga_kappa",
        "unga",
        "Cohen's kappa of the two states' votes (yes/no/abstain) on the same roll calls",
        "kappa (-1 to 1)",
        VOTES_SOURCE,
        _VOTE_TABLES,
        coverage_rule="as unga_same_vote; NA when the expected agreement is 1",
    ),
    Indicator(
        "ideal_point_distance",
        "unga",
        "Absolute difference of the two states' UNGA ideal points",
        "ideal-point units",
        f"{IDEAL_SOURCE}, {PREFERRED_RELEASE}",
        ("ideal_points",),
        coverage_rule="years (session + 1945) in which both states have an ideal point",
    ),
)

# Votes as one-hot TINYINT columns (cheap to sum) plus a category code (cheap to
# compare); ``{where}`` restricts the roll calls. One definition feeds the dyad
# indicators and the all-pairs matrix, so a dyad's row in the matrix equals its
# indicator value.
_VOTES = """
v AS (
  SELECT s.year, s.rcid, s.iso3,
         CASE s.vote WHEN 'yes' THEN 1 WHEN 'no' THEN 2 WHEN 'abstain' THEN 3 END::TINYINT AS c,
         (s.vote = 'yes')::TINYINT AS vy, (s.vote = 'no')::TINYINT AS vn,
         (s.vote = 'abstain')::TINYINT AS va
  FROM ({source}) s
  WHERE {where}
)"""
_UNVOTES_SRC = (
    "SELECT r.year, v.rcid, v.iso3, v.vote FROM unga_votes v JOIN unga_rollcalls r USING (rcid)"
)
# UN Digital Library General Assembly votes after the last year unvotes covers in full;
# ids are offset so they never meet a Voeten rcid.
_UNDL_SRC = (
    f"{_UNVOTES_SRC} WHERE r.year <= $uv_last UNION ALL "
    "SELECT year, 1000000 + id AS rcid, iso3, vote FROM undl_votes "
    "WHERE council = 'GA' AND year > $uv_last"
)


def _votes(where: str, undl: bool) -> str:
    return _VOTES.format(source=_UNDL_SRC if undl else _UNVOTES_SRC, where=where)


# Aggregates over joined vote pairs x (state A) and y (state B) of one roll call.
_AGREEMENT = """
count(*) AS n,
sum((x.c = y.c)::INTEGER) / count(*) AS same_vote,
(sum(x.vy) * sum(y.vy) + sum(x.vn) * sum(y.vn) + sum(x.va) * sum(y.va))::DOUBLE
  / (count(*)::DOUBLE * count(*)) AS p_e
"""

_KAPPA = "(same_vote - p_e) / NULLIF(1 - p_e, 0)"

# The last calendar year counts only if the roll calls reach December: the Assembly's
# main votes come at the end of the year, so a year cut off in January (as the
# vendored data are, at 2020-01-14) would give a share from a handful of votes.
_LAST_COMPLETE_YEAR = """
SELECT CASE WHEN month(max(date)) = 12 THEN year(max(date)) ELSE year(max(date)) - 1 END,
       max(date)
FROM unga_rollcalls
"""


def _dyad_sql(undl: bool) -> str:
    return f"""
WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1)),
{_votes("s.iso3 IN ($a, $b) AND s.year BETWEEN $start AND $last", undl)},
agg AS (
  SELECT x.year, {_AGREEMENT}
  FROM v x JOIN v y ON x.rcid = y.rcid AND x.iso3 = $a AND y.iso3 = $b
  GROUP BY x.year
)
SELECT y.year, agg.same_vote AS unga_same_vote, {_KAPPA} AS unga_kappa
FROM years y LEFT JOIN agg USING (year) ORDER BY y.year
"""


# All pairs: states get a small integer id so that the self-join compares integers;
# each unordered pair is kept once (id_a < id_b, i.e. iso3_a < iso3_b).
def _matrix_sql(undl: bool, states: bool = False) -> str:
    where = "list_contains($years, s.year)"
    if states:  # only these states' votes: each pair's numbers are the same as among all
        where += " AND list_contains($states, s.iso3)"
    return f"""
WITH {_votes(where, undl).lstrip()},
ids AS (SELECT iso3, row_number() OVER (ORDER BY iso3)::SMALLINT AS sid
        FROM (SELECT DISTINCT iso3 FROM v)),
w AS (SELECT v.*, ids.sid FROM v JOIN ids USING (iso3)),
agg AS (
  SELECT x.year, x.sid AS sid_a, y.sid AS sid_b, {_AGREEMENT}
  FROM w x JOIN w y ON x.rcid = y.rcid AND x.sid < y.sid
  GROUP BY x.year, x.sid, y.sid
)
SELECT agg.year, ia.iso3 AS iso3_a, ib.iso3 AS iso3_b, agg.n, agg.same_vote,
       {_KAPPA} AS kappa
FROM agg JOIN ids ia ON ia.sid = agg.sid_a JOIN ids ib ON ib.sid = agg.sid_b
ORDER BY agg.year, iso3_a, iso3_b
"""


def _undl_last(store: Store) -> tuple[int, Any] | None:
    """Last complete year and last date of the UN Digital Library GA votes, if loaded."""
    if missing_tables(store, ["undl_votes"]):
        return None
    row = store.con.execute(
        _LAST_COMPLETE_YEAR.replace("FROM unga_rollcalls", "FROM undl_votes WHERE council = 'GA'")
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), row[1]


_IDEAL_SQL = """
WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1)),
ia AS (SELECT year, ideal_point FROM ideal_points WHERE iso3 = $a AND release = $release),
ib AS (SELECT year, ideal_point FROM ideal_points WHERE iso3 = $b AND release = $release)
SELECT y.year, abs(ia.ideal_point - ib.ideal_point) AS ideal_point_distance
FROM years y LEFT JOIN ia USING (year) LEFT JOIN ib USING (year) ORDER BY y.year
"""


def last_complete_year(store: Store) -> int | None:
    """The last calendar year the store's roll calls cover in full (None without votes).

    A year counts only if its votes reach December: a share computed from a few
    January votes would look like data but mean little. The vendored Voeten roll
    calls stop on 2020-01-14 (complete to 2019); with the UN Digital Library votes
    (GA to 2025-08) the last complete year is 2024.

    >>> from dyadscope.data.store import vendored_store
    >>> last_complete_year(vendored_store())
    2024
    """
    if missing_tables(store, ["unga_rollcalls"]):
        return None
    row = store.con.execute("SELECT max(year) FROM unga_rollcalls").fetchone()
    if row is None or row[0] is None:
        return None
    last, _ = _last_complete_year(store, int(row[0]))
    undl = _undl_last(store)
    return max(last, undl[0]) if undl else last


def _last_complete_year(store: Store, default: int) -> tuple[int, Any]:
    """The last fully covered year and the last roll-call date (None without dates)."""
    columns = {c[0] for c in store.con.execute("SELECT * FROM unga_rollcalls LIMIT 0").description}
    if "date" not in columns:
        return default, None
    row = store.con.execute(_LAST_COMPLETE_YEAR).fetchone()
    if row is None or row[0] is None:
        return default, None
    return int(row[0]), row[1]


def _release(store: Store) -> str | None:
    """The ideal-point release to use: the preferred one if present, else the last listed."""
    rows = store.con.execute("SELECT DISTINCT release FROM ideal_points").fetchall()
    releases = sorted(str(r) for (r,) in rows if r is not None)
    if not releases:
        return None
    return PREFERRED_RELEASE if PREFERRED_RELEASE in releases else releases[-1]


def run(q: DyadQuery) -> FamilyResult:
    """Same-vote share, κ and ideal-point distance, one row per year."""
    notes: list[str] = []
    votes_source = q.source("unga_votes", VOTES_NAME, VOTES_SOURCE)
    sources = {"unga_same_vote": votes_source, "unga_kappa": votes_source}
    years = pd.DataFrame({"year": range(q.start, q.end + 1)})
    if q.missing(_VOTE_TABLES):
        votes = years.assign(unga_same_vote=float("nan"), unga_kappa=float("nan"))
        notes.append("unga: the store has no UNGA roll-call tables; vote indicators are NA")
    else:
        uv_last, last_date = _last_complete_year(q.store, q.end)
        last, undl = uv_last, _undl_last(q.store)
        if undl is not None and undl[0] > uv_last:
            last, last_date = undl
            sources = {
                k: f"{votes_source} to {uv_last}; {UNDL_SOURCE} from {uv_last + 1}" for k in sources
            }
            notes.append(
                f"unga: votes to {uv_last} are Voeten's roll calls (unvotes); from "
                f"{uv_last + 1} the UN Digital Library's recorded GA votes (resolutions "
                "only, see docs/indicators.md)"
            )
        if last < q.end and last_date is not None and last_date.year > last:
            notes.append(
                f"unga: {last_date.year} is NA: the roll calls stop at {last_date}, "
                "before the Assembly's main votes of that year"
            )
        params = {**q.params, "last": min(last, q.end), "uv_last": uv_last}
        votes = fetch(q.store, _dyad_sql(undl is not None), params)
    release = _release(q.store) if "ideal_points" in q.tables else None
    if release is None:
        ideal = years.assign(ideal_point_distance=float("nan"))
        sources["ideal_point_distance"] = INDICATORS[2].source
        notes.append("unga: the store has no ideal points; ideal_point_distance is NA")
    else:
        ideal = fetch(q.store, _IDEAL_SQL, {**q.params, "release": release})
        sources["ideal_point_distance"] = f"{IDEAL_SOURCE}, {release}"
    return FamilyResult(votes.merge(ideal, on="year", how="left"), sources, notes)


def unga_agreement_matrix(
    store: Store, year: int | Iterable[int], *, states: Iterable[str] | None = None
) -> pd.DataFrame:
    """Vote agreement for every pair of states in one or several years, in one query.

    Why: a dyad's agreement only means something against all the others (is 0.74
    high in 2010?). Each unordered pair appears once, ``iso3_a`` < ``iso3_b``.
    Columns: ``year, iso3_a, iso3_b, n, same_vote, kappa`` (``n`` = roll calls on
    which both voted). Pairs that never voted together in a year are absent;
    :class:`MissingData` if no roll call at all falls in the years asked for (by
    ``states``, when given: the pairs among those ISO3 codes only, each with the
    same numbers as in the full matrix, ~10x faster).

    >>> from dyadscope.data.store import vendored_store
    >>> m = unga_agreement_matrix(vendored_store(), 2019)
    >>> row = m.query("iso3_a == 'CHN' and iso3_b == 'RUS'").iloc[0]
    >>> int(row.n), round(float(row.same_vote), 3)
    (86, 0.791)
    """
    asked = [int(year)] if isinstance(year, int) else sorted({int(y) for y in year})
    absent = missing_tables(store, _VOTE_TABLES)
    if absent:
        raise MissingData(
            f"the store has no table {', '.join(absent)}; load the UN votes "
            "with `dyadscope data load unga_votes --file PATH` (and unga_rollcalls)"
        )
    last = last_complete_year(store)
    years = [y for y in asked if last is None or y <= last]
    if not years:
        raise MissingData(
            f"UNGA {', '.join(map(str, asked))}: the roll calls in the store cover years only "
            f"to {last} in full; a later year would rest on a handful of votes"
        )
    undl = _undl_last(store)
    params: dict[str, Any] = {"years": years}
    if states is not None:
        params["states"] = sorted({str(s) for s in states})
    if undl is not None:
        params["uv_last"] = _last_complete_year(store, max(years))[0]
    frame = store.con.execute(_matrix_sql(undl is not None, states is not None), params).df()
    frame.attrs["notes"] = [
        f"unga: {y} left out: only partly covered by the roll calls"
        for y in asked
        if y not in years
    ]
    if frame.empty:
        raise MissingData(
            f"no UNGA roll call in the store for {years[0] if len(years) == 1 else years}; "
            "the vendored votes run from 1946 to August 2025"
        )
    return frame


FAMILIES = (Family("unga", INDICATORS, run, tables=()),)


#: Issue sets of the UN Digital Library votes: name -> resolution-number pattern.
UNDL_ISSUES = {
    # the eleventh emergency special session: the Assembly's votes on the war in Ukraine
    "ukraine_es11": r"^A/RES/ES-11/",
}


def issue_votes(store: Store, a: str, b: str, issue: str = "ukraine_es11") -> pd.DataFrame:
    """Each side's GA vote on every resolution of an issue set (UN Digital Library).

    Columns ``resolution, date, vote_a, vote_b, same`` (``same`` NA where either side
    did not vote). Why per resolution: ES-11 has eight votes, too few for a yearly share.

    >>> from dyadscope.data.store import vendored_store
    >>> first = issue_votes(vendored_store(), "RUS", "CHN").iloc[0]
    >>> first[["resolution", "vote_a", "vote_b"]].tolist()
    ['A/RES/ES-11/1', 'no', 'abstain']
    """
    from dyadscope.data.countries import resolve

    if issue not in UNDL_ISSUES:
        raise MissingData(f"unknown issue set {issue!r}; known: {', '.join(UNDL_ISSUES)}")
    if missing_tables(store, ["undl_votes"]):
        raise MissingData(
            "the store has no undl_votes table; load it with "
            "dyadscope.data.registry.load_file('undl_votes', path, store)"
        )
    sql = """
    WITH r AS (SELECT DISTINCT id, resolution, date FROM undl_votes
               WHERE council = 'GA' AND regexp_matches(resolution, $pattern))
    SELECT r.resolution, r.date, va.vote AS vote_a, vb.vote AS vote_b,
           CASE WHEN va.vote IS NOT NULL AND vb.vote IS NOT NULL
                THEN (va.vote = vb.vote)::DOUBLE END AS same
    FROM r LEFT JOIN undl_votes va ON va.id = r.id AND va.iso3 = $a
           LEFT JOIN undl_votes vb ON vb.id = r.id AND vb.iso3 = $b
    ORDER BY r.date, r.resolution
    """
    params = {"pattern": UNDL_ISSUES[issue], "a": resolve(a), "b": resolve(b)}
    return store.con.execute(sql, params).df()
