"""The one definition of every dyad-series aggregate, as SQL text.

Both engines (DuckDB and Spark) run the query built here against a table or view
called ``events`` with the canonical columns of
:data:`dyadscope.events.schema.CANONICAL_COLUMNS`; a small :class:`Dialect` covers
the few spellings that differ.  Keeping the definitions in one generated query is
what makes the engines agree to the last digit rather than "roughly".

Definitions (per period; "dyad events" are those matching the query's dyad and
filters):

* ``events`` — number of dyad events;
* ``events_share`` — dyad events / all events stored for the period (GDELT's
  volume grows over time, so raw counts are not comparable across years);
* ``goldstein_sum`` / ``goldstein_mean`` — sum and mean of GoldsteinScale;
* ``goldstein_weighted_mean`` — Σ(Goldstein × NumMentions) / Σ NumMentions;
* ``verbal_coop, material_coop, verbal_conflict, material_conflict`` — counts of
  QuadClass 1, 2, 3, 4;
* ``coop_share`` — (verbal_coop + material_coop) / events;
* ``conflict_index`` — (verbal_conflict + 2·material_conflict − verbal_coop −
  2·material_coop) / (2·events).  Material acts weigh twice verbal ones; the index
  is −1 when every event is material cooperation and +1 when every event is
  material conflict;
* ``root_01`` … ``root_20`` — counts per CAMEO root code (EventRootCode).

A period with stored events but no dyad event has ``events = 0`` and NULL means
and shares of the dyad (nothing to average), never 0.  Periods with no stored
events at all are absent.

>>> from dyadscope.events.engines.base import SeriesQuery
>>> "GROUP BY" in series_sql(SeriesQuery("RUS", "CHN"))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dyadscope._sql import date_literal, quote_literal
from dyadscope.events.engines.base import SeriesQuery

ROOT_CODES: tuple[str, ...] = tuple(f"{i:02d}" for i in range(1, 21))

QUAD_COLUMNS: tuple[tuple[str, int], ...] = (
    ("verbal_coop", 1),
    ("material_coop", 2),
    ("verbal_conflict", 3),
    ("material_conflict", 4),
)

#: Columns of every series frame, in order: part of the public interface.
SERIES_COLUMNS: tuple[str, ...] = (
    "a",
    "b",
    "period",
    "events",
    "events_share",
    "goldstein_sum",
    "goldstein_mean",
    "goldstein_weighted_mean",
    *(name for name, _ in QUAD_COLUMNS),
    "coop_share",
    "conflict_index",
    *(f"root_{c}" for c in ROOT_CODES),
)

#: Integer-valued series columns (counts); the rest after ``period`` are floats.
COUNT_COLUMNS: tuple[str, ...] = (
    "events",
    *(name for name, _ in QUAD_COLUMNS),
    *(f"root_{c}" for c in ROOT_CODES),
)


@dataclass(frozen=True)
class Dialect:
    """The spellings that differ between the SQL engines dyadscope runs on."""

    name: str
    string_type: str
    double_type: str = "DOUBLE"
    bigint_type: str = "BIGINT"


DIALECTS: dict[str, Dialect] = {
    "duckdb": Dialect("duckdb", string_type="VARCHAR"),
    "spark": Dialect("spark", string_type="STRING"),
}


_lit = quote_literal  # values here are validated codes, quoted defensively
_date = date_literal


def period_key(freq: str, date_col: str = "event_date") -> str:
    """SQL for the integer sub-year key of ``date_col``: month, quarter, or 0 for years.

    Grouping by two integers (year, key) and building the text label only for the
    result rows is about three times faster than building a label on every event.
    """
    if freq == "year":
        return "0"
    if freq == "quarter":
        return f"CAST(floor((month({date_col}) - 1) / 3) AS INT) + 1"
    return f"month({date_col})"


def period_label(freq: str, d: Dialect, year_col: str = "p_year", key_col: str = "p_key") -> str:
    """SQL for the period label from the grouped keys: ``2019-05``, ``2019-Q2`` or ``2019``."""
    year = f"CAST({year_col} AS {d.string_type})"
    if freq == "year":
        return year
    if freq == "quarter":
        return f"concat({year}, '-Q', CAST({key_col} AS {d.string_type}))"
    return f"concat({year}, '-', lpad(CAST({key_col} AS {d.string_type}), 2, '0'))"


def _date_filter(query: SeriesQuery) -> str:
    """WHERE clause of the date range; the year bound lets engines prune partitions."""
    parts = ["event_date IS NOT NULL"]
    if query.start is not None:
        parts += [f"year >= {query.start.year}", f"event_date >= {_date(query.start)}"]
    if query.end is not None:
        parts += [f"year <= {query.end.year}", f"event_date <= {_date(query.end)}"]
    return " AND ".join(parts)


def dyad_condition(query: SeriesQuery) -> str:
    """SQL condition selecting the query's dyad events (direction and filters)."""
    a, b = _lit(query.a), _lit(query.b)
    forward = f"(actor1_iso3 = {a} AND actor2_iso3 = {b})"
    backward = f"(actor1_iso3 = {b} AND actor2_iso3 = {a})"
    cond = forward if query.directed else f"({forward} OR {backward})"
    parts = [cond]
    if query.root_only:
        parts.append("is_root_event = 1")
    if query.actor_types:
        types = ", ".join(_lit(t) for t in query.actor_types)
        for actor in ("actor1", "actor2"):
            slots = " OR ".join(f"{actor}_type{i}_code IN ({types})" for i in (1, 2, 3))
            parts.append(f"({slots})")
    return " AND ".join(parts)


def series_sql(query: SeriesQuery, *, dialect: str = "duckdb", table: str = "events") -> str:
    """Build the series query for ``query`` in ``dialect`` over ``table``.

    The result has exactly :data:`SERIES_COLUMNS`, one row per period with stored
    events, ordered by period.

    >>> sql = series_sql(SeriesQuery("RUS", "CHN", freq="year"), dialect="spark")
    >>> "STRING" in sql and "VARCHAR" not in sql
    True
    """
    d = DIALECTS[dialect]
    dbl, big = d.double_type, d.bigint_type
    quads = ",\n    ".join(
        f"sum(CASE WHEN quad_class = {q} THEN 1 ELSE 0 END) AS {name}" for name, q in QUAD_COLUMNS
    )
    roots = ",\n    ".join(
        f"sum(CASE WHEN event_root_code = {_lit(c)} THEN 1 ELSE 0 END) AS root_{c}"
        for c in ROOT_CODES
    )
    quad_counts = ",\n  ".join(
        f"CAST(coalesce(g.{name}, 0) AS {big}) AS {name}" for name, _ in QUAD_COLUMNS
    )
    root_counts = ",\n  ".join(
        f"CAST(coalesce(g.root_{c}, 0) AS {big}) AS root_{c}" for c in ROOT_CODES
    )
    ev = f"CAST(g.events AS {dbl})"
    conflict = (
        f"(g.verbal_conflict + 2 * g.material_conflict - g.verbal_coop - 2 * g.material_coop)"
        f" / (2 * {ev})"
    )
    return f"""WITH base AS (
  SELECT *, year(event_date) AS p_year, {period_key(query.freq)} AS p_key
  FROM {table}
  WHERE {_date_filter(query)}
),
totals AS (
  SELECT p_year, p_key, count(*) AS all_events FROM base GROUP BY p_year, p_key
),
agg AS (
  SELECT
    p_year,
    p_key,
    count(*) AS events,
    sum(goldstein_scale) AS goldstein_sum,
    avg(goldstein_scale) AS goldstein_mean,
    sum(CASE WHEN goldstein_scale IS NOT NULL THEN goldstein_scale * num_mentions END)
      AS weighted_sum,
    sum(CASE WHEN goldstein_scale IS NOT NULL THEN num_mentions END) AS weight,
    {quads},
    {roots}
  FROM base
  WHERE {dyad_condition(query)}
  GROUP BY p_year, p_key
)
SELECT
  {_lit(query.a)} AS a,
  {_lit(query.b)} AS b,
  {period_label(query.freq, d, "t.p_year", "t.p_key")} AS period,
  CAST(coalesce(g.events, 0) AS {big}) AS events,
  CAST(coalesce(g.events, 0) AS {dbl}) / CAST(t.all_events AS {dbl}) AS events_share,
  CAST(g.goldstein_sum AS {dbl}) AS goldstein_sum,
  CAST(g.goldstein_mean AS {dbl}) AS goldstein_mean,
  CAST(g.weighted_sum AS {dbl}) / CAST(nullif(g.weight, 0) AS {dbl})
    AS goldstein_weighted_mean,
  {quad_counts},
  CAST(g.verbal_coop + g.material_coop AS {dbl}) / {ev} AS coop_share,
  {conflict} AS conflict_index,
  {root_counts}
FROM totals t
LEFT JOIN agg g ON t.p_year = g.p_year AND t.p_key = g.p_key
ORDER BY t.p_year, t.p_key"""


def tidy_series(df: pd.DataFrame) -> pd.DataFrame:
    """Put an engine's raw result in the interface's column order and dtypes.

    Counts become int64 and measures float64 (NULL → NaN), whatever the engine
    returned, so results from different engines compare equal.
    """
    missing = [c for c in SERIES_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"series result lacks columns {missing}")
    out = df[list(SERIES_COLUMNS)].copy()
    for col in SERIES_COLUMNS[3:]:
        out[col] = out[col].astype("int64" if col in COUNT_COLUMNS else "float64")
    for col in ("a", "b", "period"):
        out[col] = out[col].astype(str)
    return out.reset_index(drop=True)
