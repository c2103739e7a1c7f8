"""Layout and catalog of an events store folder.

An events store is a folder::

    <store>/year=YYYY/month=MM/<sha16>-<n>.parquet   committed event files
    <store>/catalog.duckdb                            manifest, file list, views
                                                      ``events`` and ``quarantine``
    <store>/quarantine/<sha16>-<name>.csv             malformed rows, with reasons
    <store>/_staging/                                 work in progress (never read)

The catalog is the commit point: a data file is part of the store only once its
row in ``data_files`` is committed, in the same DuckDB transaction as the file's
``ingest_manifest`` row.  Readers therefore list files from the catalog instead of
globbing the folder, so a process killed half-way through an ingest leaves files
that nobody reads; the next ingest removes them and redoes the work.

>>> default_store_dir().name  # doctest: +SKIP
'events'
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import platformdirs

from dyadscope._sql import quote_list
from dyadscope.errors import MissingData
from dyadscope.errors import StoreBusy as StoreBusy  # re-exported: its old home

CATALOG_NAME = "catalog.duckdb"
STAGING_NAME = "_staging"
QUARANTINE_NAME = "quarantine"

LOCK_RETRIES = 40


_DDL = (
    """CREATE TABLE IF NOT EXISTS ingest_manifest (
        sha256 VARCHAR PRIMARY KEY,
        file_path VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        size_bytes BIGINT NOT NULL,
        layouts VARCHAR,
        rows_read BIGINT NOT NULL,
        rows_stored BIGINT NOT NULL,
        duplicates BIGINT NOT NULL,
        quarantined BIGINT NOT NULL,
        goldstein_disagree BIGINT NOT NULL,
        quadclass_disagree BIGINT NOT NULL,
        first_date DATE,
        last_date DATE,
        quarantine_file VARCHAR,
        ingested_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS data_files (
        path VARCHAR PRIMARY KEY,
        batch VARCHAR NOT NULL,
        rows BIGINT NOT NULL
    )""",
)


def default_store_dir() -> Path:
    """``$DYADSCOPE_HOME/events``, else the platform's user data folder + ``events``."""
    home = os.environ.get("DYADSCOPE_HOME")
    base = Path(home) if home else Path(platformdirs.user_data_dir("dyadscope"))
    return base / "events"


def resolve_store_dir(store_dir: str | os.PathLike[str] | None) -> Path:
    """The store folder to use: ``store_dir`` if given, else :func:`default_store_dir`."""
    return Path(store_dir) if store_dir is not None else default_store_dir()


def catalog_path(store_dir: Path) -> Path:
    """Path of the store's ``catalog.duckdb``."""
    return store_dir / CATALOG_NAME


@contextmanager
def open_catalog(store_dir: Path, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the catalog; read-only unless ``write`` (which creates it and its tables).

    Writers hold the file only for the short commit of one ingested file, so
    readers are rarely locked out.
    """
    path = catalog_path(store_dir)
    if write:
        store_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create_catalog(path)
    con = _connect(path, read_only=not write)
    if write:
        for ddl in _DDL:
            con.execute(ddl)
    try:
        yield con
    finally:
        con.close()


def _create_catalog(path: Path) -> None:
    """Create the catalog under a temporary name and rename it into place.

    DuckDB writes a new database file's headers in several steps; a process killed in
    between would leave a truncated ``catalog.duckdb`` that no later run can open.
    Built aside and renamed, the catalog either exists whole or not at all.  Only the
    ingest that holds the store's lock creates it, so there is no race to rename.
    """
    for stale in path.parent.glob(f".{path.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    con = duckdb.connect(str(tmp))
    try:
        for ddl in _DDL:
            con.execute(ddl)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Connect to the catalog, waiting out another process's short commit (up to ~10 s)."""
    for attempt in range(LOCK_RETRIES):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreBusy(f"{path}: cannot open the events catalog: {exc}") from exc
            time.sleep(min(0.05 * (attempt + 1), 0.5))
    raise StoreBusy(
        f"{path}: the events catalog stayed locked by another process; "
        "try again when the running ingest has finished"
    )


def _initialised(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the catalog's tables exist (a process killed while creating it leaves none)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name IN ('data_files', 'ingest_manifest')"
    ).fetchone()
    return found is not None and found[0] == 2


def has_catalog(store_dir: Path) -> bool:
    """Whether ``store_dir`` holds a catalog (i.e. something was ever ingested)."""
    return catalog_path(store_dir).is_file()


def committed_files(store_dir: str | os.PathLike[str]) -> list[Path]:
    """Absolute paths of the committed Parquet files of the store, sorted.

    This is what every engine reads; an empty list means nothing is ingested.

    >>> committed_files("/nonexistent/store")
    []
    """
    store = Path(store_dir)
    if not has_catalog(store):
        return []
    with open_catalog(store) as con:
        if not _initialised(con):
            return []
        rows = con.execute("SELECT path FROM data_files ORDER BY path").fetchall()
    return [store.resolve() / r[0] for r in rows]


def committed_quarantine_files(store_dir: str | os.PathLike[str]) -> list[Path]:
    """Absolute paths of the quarantine files recorded in the manifest, sorted.

    Like data files, a quarantine file belongs to the store only once the manifest
    row naming it is committed; one left by a killed ingest is an orphan that
    :func:`dyadscope.events.ingest.recover` removes and no view ever lists.
    """
    store = Path(store_dir)
    if not has_catalog(store):
        return []
    with open_catalog(store) as con:
        if not _initialised(con):
            return []
        return _quarantine_paths(con, store)


def _quarantine_paths(con: duckdb.DuckDBPyConnection, store: Path) -> list[Path]:
    rows = con.execute(
        "SELECT DISTINCT quarantine_file FROM ingest_manifest "
        "WHERE quarantine_file IS NOT NULL ORDER BY 1"
    ).fetchall()
    return [store.resolve() / r[0] for r in rows]


def create_quarantine_view(con: duckdb.DuckDBPyConnection, store: Path) -> None:
    """(Re)create the ``quarantine`` view over the committed quarantine files only.

    Run inside the commit transaction, so the manifest rows being committed count.
    """
    files = [f for f in _quarantine_paths(con, store) if f.is_file()]
    if not files:
        con.execute("DROP VIEW IF EXISTS quarantine")
        return
    con.execute(
        "CREATE OR REPLACE VIEW quarantine AS SELECT * FROM read_csv("
        f"{quote_list(files)}, header = true, all_varchar = true, filename = true)"
    )


def require_files(store_dir: str | os.PathLike[str]) -> list[Path]:
    """Like :func:`committed_files`, but raise :class:`MissingData` when there are none."""
    files = committed_files(store_dir)
    if not files:
        raise MissingData(
            f"no GDELT events are ingested in {store_dir}; "
            "ingest GDELT files into it first (dyadscope.events.ingest, or the "
            "`dyadscope events ingest` command)"
        )
    return files


def manifest(store_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """The ingest manifest (one row per ingested file), oldest first; empty if none."""
    store = Path(store_dir)
    if not has_catalog(store):
        return pd.DataFrame()
    with open_catalog(store) as con:
        if not _initialised(con):
            return pd.DataFrame()
        frame = con.execute("SELECT * FROM ingest_manifest ORDER BY ingested_at, file_name").df()
    for col in ("first_date", "last_date"):
        frame[col] = pd.to_datetime(frame[col]).dt.date  # DATE, not midnight timestamps
    return frame


def parquet_source_sql(files: list[Path]) -> str:
    """``read_parquet(...)`` over ``files`` with the hive partitions typed as integers."""
    return (
        f"read_parquet({quote_list(files)}, hive_partitioning = true, "
        "hive_types = {'year': INTEGER, 'month': INTEGER})"
    )


def create_events_view(con: duckdb.DuckDBPyConnection, files: list[Path], *, temp: bool) -> None:
    """Create (or replace) the ``events`` view over ``files`` on ``con``."""
    kind = "TEMP VIEW" if temp else "VIEW"
    con.execute(f"CREATE OR REPLACE {kind} events AS SELECT * FROM {parquet_source_sql(files)}")
