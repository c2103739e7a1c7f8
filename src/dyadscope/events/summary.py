"""What the brief says about events: the monthly series and the coverage behind it.

Coverage matters as much as the numbers: a month that looks quiet may simply not
be ingested, so the overview states the first and last event dates, rows and
files, and the brief shows them beside the chart.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dyadscope.events.catalog import (
    committed_files,
    create_events_view,
    manifest,
    resolve_store_dir,
)


@dataclass(frozen=True)
class EventsOverview:
    """The events section of a brief: a monthly dyad series and its coverage."""

    a: str
    b: str
    store_dir: Path
    series: pd.DataFrame  # SERIES_COLUMNS, monthly, undirected
    first_date: dt.date
    last_date: dt.date
    rows: int  # events stored (all dyads)
    files: int  # input files ingested
    dyad_events: int  # events of this dyad over the whole store


def events_overview(
    store_dir: str | os.PathLike[str] | None, a: str, b: str
) -> EventsOverview | None:
    """Monthly undirected series of ``a``–``b`` with coverage; None when nothing is ingested.

    >>> ov = events_overview(None, "RUS", "CHN")  # doctest: +SKIP
    >>> ov is None or ov.first_date <= ov.last_date  # doctest: +SKIP
    True
    """
    store = resolve_store_dir(store_dir)
    files = committed_files(store)
    if not files:
        return None
    from dyadscope.events import series as dyad_series

    series = dyad_series(store, a, b, freq="month")
    con = duckdb.connect()
    try:
        create_events_view(con, files, temp=True)
        row = con.execute(
            "SELECT min(event_date), max(event_date), count(*) FROM events"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return EventsOverview(
        a=str(series["a"].iat[0]) if len(series) else a.upper(),
        b=str(series["b"].iat[0]) if len(series) else b.upper(),
        store_dir=store,
        series=series,
        first_date=row[0],
        last_date=row[1],
        rows=int(row[2]),
        files=len(manifest(store)),
        dyad_events=int(series["events"].sum()),
    )
