"""Set GDELT's yearly QuadClass counts beside another event source (ICEWS).

Why: GDELT and ICEWS code the same news with different dictionaries, sources and
de-duplication, so a dyad's trend is only as credible as the agreement between
them.  :func:`compare_sources` puts the yearly counts of the four QuadClass
categories from the ingested GDELT store next to the ICEWS dyad-year extract
(netify's aggregation, vendored as the ``icews`` table) and reports, per
category, the Pearson correlation over the years both cover, on raw counts and
on each category's share of the dyad's events that year (the shares are immune to
the very different volumes of the two sources).

ICEWS's ``verb_coop``, ``matl_coop``, ``verb_conf`` and ``matl_conf`` are the
QuadClass categories 1–4 under other names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dyadscope.errors import InputError, MissingData
from dyadscope.events.aggregate import QUAD_COLUMNS
from dyadscope.events.catalog import resolve_store_dir
from dyadscope.events.engines import get_engine
from dyadscope.events.engines.base import SeriesQuery

__all__ = ["CATEGORY_MAP", "SOURCES", "SourceComparison", "compare_sources", "icews_yearly"]

#: GDELT QuadClass column → ICEWS column.
CATEGORY_MAP: dict[str, str] = {
    "verbal_coop": "verb_coop",
    "material_coop": "matl_coop",
    "verbal_conflict": "verb_conf",
    "material_conflict": "matl_conf",
}
CATEGORIES: tuple[str, ...] = tuple(name for name, _ in QUAD_COLUMNS)
#: Fewer common years than this give no correlation (NaN), not a misleading one.
MIN_YEARS = 3


@dataclass(frozen=True)
class SourceComparison:
    """The result of :func:`compare_sources`.

    ``years``: one row per year either source covers — ``year``, ``gdelt_months``
    (months of that year present in the GDELT store), ``gdelt_<category>`` and
    ``<other>_<category>`` counts (NaN where a source says nothing).
    ``summary``: one row per category — ``category``, ``years`` (number in common,
    i.e. covered by both, see ``min_months``),
    ``pearson_counts``, ``pearson_shares``, ``gdelt_total``, ``<other>_total``
    (totals over the common years).
    ``common_years``: the years both cover, ascending.
    """

    a: str
    b: str
    other: str
    directed: bool
    years: pd.DataFrame
    summary: pd.DataFrame
    common_years: list[int]


def icews_yearly(
    a: str, b: str, *, directed: bool = False, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Yearly ICEWS counts for the dyad: ``year`` and the four QuadClass categories.

    Undirected pools a→b and b→a, like GDELT's undirected series.  ``table`` is the
    canonical ``icews`` table; by default it comes from the vendored store.

    >>> icews = icews_yearly("RUS", "CHN")  # doctest: +SKIP
    >>> icews.loc[icews.year == 2010, "verbal_coop"].item()  # doctest: +SKIP
    3715.0
    """
    if table is None:
        from dyadscope.data.store import vendored_store

        with vendored_store() as store:
            table = store.table("icews")
    forward = (table["source_iso3"] == a) & (table["target_iso3"] == b)
    backward = (table["source_iso3"] == b) & (table["target_iso3"] == a)
    rows = table[forward if directed else forward | backward]
    renamed = rows.rename(columns={v: k for k, v in CATEGORY_MAP.items()})
    out = renamed.groupby("year", as_index=False)[list(CATEGORIES)].sum()
    return out.astype({"year": "int64", **dict.fromkeys(CATEGORIES, "float64")})


def _gdelt_yearly(
    store_dir: Path, query: SeriesQuery, engine: str, options: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.Series]:
    """Yearly QuadClass counts from the store, and the months stored per year."""
    eng = get_engine(engine, **options)
    yearly = eng.series(store_dir, query)
    monthly = eng.series(
        store_dir, SeriesQuery(query.a, query.b, freq="month", directed=query.directed)
    )
    months = monthly["period"].str[:4].astype("int64").value_counts().rename("gdelt_months")
    out = yearly[["period", *CATEGORIES]].rename(columns={"period": "year"})
    out["year"] = out["year"].astype("int64")
    return out.astype(dict.fromkeys(CATEGORIES, "float64")), months


def _pearson(x: pd.Series, y: pd.Series) -> float:
    """Pearson correlation, NaN when too few points or either series is constant."""
    ok = x.notna() & y.notna()
    xv, yv = x[ok].to_numpy(float), y[ok].to_numpy(float)
    if len(xv) < MIN_YEARS or np.ptp(xv) == 0 or np.ptp(yv) == 0:
        return float("nan")
    return float(np.corrcoef(xv, yv)[0, 1])


def _span(years: pd.Series) -> str:
    return f"{years.min()}–{years.max()}" if len(years) else "no year"


#: Other sources a comparison can use: name → loader of their yearly dyad counts.
SOURCES: dict[str, Callable[..., pd.DataFrame]] = {"icews": icews_yearly}


def compare_sources(
    a: str,
    b: str,
    *,
    other: str = "icews",
    store_dir: str | os.PathLike[str] | None = None,
    directed: bool = False,
    engine: str = "duckdb",
    engine_options: Mapping[str, Any] | None = None,
    min_months: int = 1,
    other_table: pd.DataFrame | None = None,
) -> SourceComparison:
    """Compare the dyad's yearly GDELT QuadClass counts with another event source.

    ``engine_options`` go to the engine (e.g. ``{"master": "spark://host:7077"}``).
    A year counts as covered by GDELT when the store holds events of at least
    ``min_months`` of its months (``12`` keeps only whole years; a store holding a
    few days of a year would otherwise be compared with a full year of the other
    source).  Raises :class:`MissingData` when nothing is ingested, or when the two
    sources share no covered year (the message gives the years each covers).

    >>> cmp = compare_sources("RUS", "CHN", other="icews")  # doctest: +SKIP
    >>> cmp.summary[["category", "years", "pearson_counts"]]  # doctest: +SKIP
    """
    key = other.strip().lower()
    if key not in SOURCES:
        raise InputError(f"other {other!r}: unknown source; available: {', '.join(SOURCES)}")
    query = SeriesQuery(a, b, freq="year", directed=directed)
    store = resolve_store_dir(store_dir)
    if not 1 <= min_months <= 12:
        raise InputError(f"min_months must be between 1 and 12, not {min_months}")
    gdelt, months = _gdelt_yearly(store, query, engine, engine_options or {})
    ref = SOURCES[key](query.a, query.b, directed=directed, table=other_table)
    if ref.empty:
        raise MissingData(f"{key.upper()} has no events for {query.a}–{query.b} to compare with")
    covered = gdelt.loc[gdelt["year"].map(months).fillna(0) >= min_months, "year"]
    common = sorted(set(covered) & set(ref["year"]))
    if not common:
        last = int(ref["year"].max())
        raise MissingData(
            f"the GDELT store {store} covers {_span(covered)} (years with events in at least "
            f"{min_months} month(s)) and {key.upper()} covers {_span(ref['year'])} for "
            f"{query.a}–{query.b}; they share no year. Ingest GDELT for a year both cover, "
            f"e.g. fetch_gdelt(1, date({last}, 1, 1), date({last}, 12, 31)) "
            "(the `dyadscope events fetch` command)."
        )
    years = gdelt.add_prefix("gdelt_").rename(columns={"gdelt_year": "year"})
    years = years.merge(
        ref.add_prefix(f"{key}_").rename(columns={f"{key}_year": "year"}), on="year", how="outer"
    )
    years.insert(1, "gdelt_months", years["year"].map(months).astype("Int64"))
    years = years.sort_values("year", ignore_index=True)

    both = years[years["year"].isin(common)]
    g_tot = both[[f"gdelt_{c}" for c in CATEGORIES]].sum(axis=1)
    o_tot = both[[f"{key}_{c}" for c in CATEGORIES]].sum(axis=1)
    rows = []
    for cat in CATEGORIES:
        g, o = both[f"gdelt_{cat}"], both[f"{key}_{cat}"]
        rows.append(
            {
                "category": cat,
                "years": len(both),
                "pearson_counts": _pearson(g, o),
                "pearson_shares": _pearson(g / g_tot.where(g_tot > 0), o / o_tot.where(o_tot > 0)),
                "gdelt_total": int(g.sum()),
                f"{key}_total": int(o.sum()),
            }
        )
    return SourceComparison(
        a=query.a,
        b=query.b,
        other=key,
        directed=directed,
        years=years,
        summary=pd.DataFrame(rows),
        common_years=[int(y) for y in common],
    )
