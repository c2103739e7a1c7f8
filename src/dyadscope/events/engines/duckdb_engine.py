"""The default event engine: embedded DuckDB over the store's Parquet files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from dyadscope.events.aggregate import series_sql, tidy_series
from dyadscope.events.catalog import create_events_view, require_files
from dyadscope.events.engines import register_engine
from dyadscope.events.engines.base import EventEngine, SeriesQuery


@register_engine
class DuckDBEngine(EventEngine):
    """Run the shared aggregate SQL in an in-memory DuckDB over the committed files.

    >>> DuckDBEngine().name
    'duckdb'
    """

    name = "duckdb"

    def series(self, store_dir: Path, query: SeriesQuery) -> pd.DataFrame:
        """Return the dyad series of ``query`` from the store at ``store_dir``."""
        files = require_files(store_dir)
        con = duckdb.connect()
        try:
            create_events_view(con, files, temp=True)
            df = con.execute(series_sql(query, dialect="duckdb")).df()
        finally:
            con.close()
        return tidy_series(df)
