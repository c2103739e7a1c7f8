"""Which years each indicator covers for a dyad, from which release, and whether it is stale.

:func:`coverage` answers, per indicator: the first and last year with a value for
(A, B) (non-NA, from :func:`dyadscope.indicators.compute`), the source and the release
the store's provenance records for the tables behind it, a ``stale`` flag when the
last year lies more than :data:`STALE_AFTER_YEARS` years before today, and the
command that refreshes it (``dyadscope data update PROVIDER`` where a live provider
exists, else ``dyadscope data load DATASET --file FILE``).

Why a dyad and not a table: a table may run to 2024 while the dyad's last value is
2014 (COW trade) or absent (a vendored extract without one of the states); what a
user reads is the dyad's series.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import pandas as pd

from dyadscope.data.store import Store

__all__ = ["COVERAGE_COLUMNS", "STALE_AFTER_YEARS", "coverage"]

#: A series whose last year is more than this many years before today is stale.
STALE_AFTER_YEARS = 3

COVERAGE_COLUMNS = [
    "indicator",
    "family",
    "first_year",
    "last_year",
    "years_with_data",
    "source",
    "release",
    "tables",
    "stale",
    "refresh",
]

_FIRST_YEAR = 1800
_COW_TRADE = ("cow_trade_dyadic", "cow_trade_national")


def _tables_used(tables: tuple[str, ...], trade_source: str) -> list[str]:
    """The tables an indicator reads with this trade source (trade lists both sources)."""
    if "dots" in tables and any(t in tables for t in _COW_TRADE):
        return ["dots"] if trade_source == "dots" else [t for t in tables if t in _COW_TRADE]
    return list(tables)


def _refresh(table: str, store: Store) -> str:
    """The command that brings a newer release of ``table`` into the store."""
    from dyadscope.data.registry import adapters
    from dyadscope.data.update import provider_for_table

    suffix = f" --store {store.path}" if store.path is not None else ""
    provider = provider_for_table(table)
    if provider is not None:
        return f"dyadscope data update {provider}{suffix}"
    dataset = next((n for n, a in adapters().items() if a.table.name == table), table)
    return f"dyadscope data load {dataset} --file FILE{suffix}"


def coverage(
    store: Store,
    a: str,
    b: str,
    *,
    trade_source: str = "cow",
    today: date | None = None,
) -> pd.DataFrame:
    """Per indicator: first/last year with data for (A, B), source, release, stale, refresh.

    ``today`` fixes the date the staleness is judged against (default: today, UTC).
    ``stale`` is True when the last year with data is more than three years before
    ``today``'s year, or when the dyad has no data at all.

    >>> from dyadscope.data.store import vendored_store
    >>> cov = coverage(vendored_store(), "RUS", "CHN", today=date(2025, 6, 1))
    >>> cinc = cov.set_index("indicator").loc["cinc_a"]
    >>> int(cinc.first_year), int(cinc.last_year), bool(cinc.stale)  # NMC v7 ends in 2022
    (1816, 2022, False)
    """
    from dyadscope.indicators import INDICATORS, compute

    when = today or pd.Timestamp.now(tz="UTC").date()
    tidy = compute(store, a, b, _FIRST_YEAR, when.year, trade_source=trade_source)  # type: ignore[arg-type]
    have = tidy[tidy["value"].notna()]
    spans = have.groupby("indicator")["year"].agg(["min", "max", "count"])
    # pandas-stubs bounds an aggregate's result to a dtype scalar, but pandas accepts pd.NA
    sources = tidy.groupby("indicator")["source"].agg(  # type: ignore[type-var]
        lambda s: next((v for v in s if isinstance(v, str) and v), pd.NA)
    )
    prov = store.provenance().set_index("table")
    rows = []
    for ind_id, ind in INDICATORS.items():
        if ind_id not in set(tidy["indicator"]):
            continue
        used = _tables_used(ind.tables, trade_source)
        releases = []
        for table in used:
            if table in prov.index:
                version = cast(str, prov.loc[table, "version"])  # a VARCHAR column
                releases.append(f"{table}: {version}")
            else:
                releases.append(f"{table}: not in store")
        # min/max/count of the indicator's years: numbers; NA when it has no data
        first = spans.loc[ind_id, "min"] if ind_id in spans.index else pd.NA
        last = cast(float, spans.loc[ind_id, "max"]) if ind_id in spans.index else pd.NA
        count = int(cast(int, spans.loc[ind_id, "count"])) if ind_id in spans.index else 0
        stale = bool(pd.isna(last) or int(last) < when.year - STALE_AFTER_YEARS)
        refresh = "; ".join(dict.fromkeys(_refresh(t, store) for t in used))
        rows.append(
            {
                "indicator": ind_id,
                "family": ind.family,
                "first_year": first,
                "last_year": last,
                "years_with_data": count,
                "source": sources.get(ind_id, ind.source),
                "release": "; ".join(releases),
                "tables": ", ".join(used),
                "stale": stale,
                "refresh": refresh,
            }
        )
    frame = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    for col in ("first_year", "last_year"):
        frame[col] = frame[col].astype("Int64")
    frame.attrs["notes"] = tidy.attrs.get("notes", [])
    frame.attrs["today"] = when.isoformat()
    return frame
