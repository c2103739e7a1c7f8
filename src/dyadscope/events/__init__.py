"""GDELT event data: parse, check, store and aggregate to dyad series.

The verbs, in the order an analyst uses them:

* :func:`ingest` raw GDELT files (1.0 or 2.0, plain or zipped, or CSV-with-header
  derivatives) into an events store folder (Parquet by year/month + catalog);
* :func:`series` for a dyad: counts, share of all events, Goldstein, QuadClass,
  cooperation share, conflict index and root-code counts, by month, quarter or year,
  through any registered engine (DuckDB by default, Spark for clusters);
* :func:`top_events` to read the reports behind a month;
* :func:`events_overview` for the brief: the monthly series and its coverage.

>>> from dyadscope.events import ingest, series
>>> ingest(["20191024143000.export.CSV"], "store")  # doctest: +SKIP
>>> series("store", "RUS", "CHN", freq="year")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from dyadscope.events.aggregate import SERIES_COLUMNS, series_sql
from dyadscope.events.cameo import check_goldstein_table
from dyadscope.events.catalog import committed_files, default_store_dir, manifest
from dyadscope.events.engines import SeriesQuery, get_engine, register_engine
from dyadscope.events.engines.base import EventEngine
from dyadscope.events.ingest import IngestReport, ingest
from dyadscope.events.summary import EventsOverview, events_overview
from dyadscope.events.top import top_events
from dyadscope.events.validate import parse_file

__all__ = [
    "SERIES_COLUMNS",
    "EventEngine",
    "EventsOverview",
    "IngestReport",
    "SeriesQuery",
    "check_goldstein_table",
    "committed_files",
    "default_store_dir",
    "events_overview",
    "get_engine",
    "ingest",
    "manifest",
    "parse_file",
    "register_engine",
    "series",
    "series_sql",
    "top_events",
]


def series(
    store_dir: str | os.PathLike[str] | None,
    a: str,
    b: str,
    *,
    freq: str = "month",
    directed: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actor_types: tuple[str, ...] = (),
    root_only: bool = False,
    engine: str = "duckdb",
    **engine_options: object,
) -> pd.DataFrame:
    """The dyad series of ``a`` and ``b`` from the store (default ``$DYADSCOPE_HOME/events``).

    The one entry point for a series: the CLI, the brief and the theory engines all
    call it.  ``engine`` names a registered engine and ``engine_options`` are its
    options (an engine refuses an option it does not take).  The columns are
    :data:`SERIES_COLUMNS`.

    >>> series(None, "RUS", "CHN", freq="quarter")  # doctest: +SKIP
    """
    from dyadscope.events.catalog import resolve_store_dir

    query = SeriesQuery(
        a,
        b,
        freq=freq,  # type: ignore[arg-type]
        directed=directed,
        start=start,
        end=end,
        actor_types=actor_types,
        root_only=root_only,
    )
    return get_engine(engine, **engine_options).series(resolve_store_dir(store_dir), query)
