"""The embedded DuckDB store: canonical tables plus a provenance row for each.

Every number dyadscope shows comes from a table in a :class:`Store`, and every table
has a row in ``_provenance`` saying which dataset, file (SHA-256), version and years
it came from and when it was loaded.  A load is one transaction: if any check or
write fails, the store, provenance included, is exactly as it was before.

Writing to a store file goes through :func:`open_for_writing` (and :func:`load_into`,
which every ``data load`` uses): it holds a lock file beside the store so two loads
take turns instead of fighting over DuckDB's own lock, and a store that did not exist
is built under a temporary name and renamed into place only when the load succeeds.
A run therefore never deletes a store it did not create, and a failed first load
leaves no half-made file behind.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import platformdirs
from filelock import FileLock, Timeout

from dyadscope._sql import quote_identifier, quote_literal
from dyadscope.errors import InputError, MissingData, StoreError

if TYPE_CHECKING:
    from dyadscope.data.vendored import open_store, vendored_store

__all__ = [
    "LOAD_MEMORY_LIMIT",
    "PROVENANCE_COLUMNS",
    "STORE_LOCK_TIMEOUT",
    "Provenance",
    "Store",
    "default_store_path",
    "load_into",
    "open_for_writing",
    "open_store",
    "vendored_store",
]

#: Seconds a load waits for another process writing to the same store before giving up.
STORE_LOCK_TIMEOUT = 600.0

PROVENANCE_COLUMNS = (
    "dataset",
    "table",
    "source",
    "version",
    "sha256",
    "rows",
    "first_year",
    "last_year",
    "loaded_at",
)

_PROVENANCE_DDL = """
CREATE TABLE IF NOT EXISTS _provenance (
    dataset VARCHAR NOT NULL,
    "table" VARCHAR PRIMARY KEY,
    source VARCHAR,
    version VARCHAR,
    sha256 VARCHAR,
    rows BIGINT,
    first_year INTEGER,
    last_year INTEGER,
    loaded_at TIMESTAMP
)
"""

_ROW = '"_row"'
#: DuckDB's memory cap while ``load_file`` stages a table for a store file: reading
#: holds one chunk, and DuckDB's own work (the duplicate-key check) spills to disk
#: beyond this, so a load's peak memory does not grow with the file.
LOAD_MEMORY_LIMIT = "64MB"


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _ident(name: str) -> str:
    """Quote a table or column name after checking it is a plain identifier."""
    if not _IDENT.fullmatch(name):
        raise InputError(f"{name!r} is not a valid table or column name")
    return quote_identifier(name)


@dataclass(frozen=True)
class Provenance:
    """Where one table came from; one row of ``_provenance``."""

    dataset: str
    table: str
    source: str
    version: str
    sha256: str
    rows: int
    first_year: int | None
    last_year: int | None
    loaded_at: datetime | None = None


def default_store_path() -> Path:
    """Where ``dyadscope data load`` keeps its store unless ``--store`` says otherwise.

    ``$DYADSCOPE_HOME/dyadscope.duckdb`` when the variable is set (the tests set it to
    a temporary folder), else the platform's user data folder.

    >>> default_store_path().name
    'dyadscope.duckdb'
    """
    home = os.environ.get("DYADSCOPE_HOME")
    base = Path(home) if home else Path(platformdirs.user_data_dir("dyadscope", appauthor=False))
    return base / "dyadscope.duckdb"


class Store:
    """One DuckDB database holding dyadscope's canonical tables and their provenance.

    ``Store()`` is an in-memory database (what tests and the brief use);
    ``Store(path)`` opens or creates a file.

    >>> store = Store()
    >>> store.has("nmc")
    False
    >>> list(store.provenance().columns)[:3]
    ['dataset', 'table', 'source']
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None and not read_only:
            _make_folder(self.path)
        target = str(self.path) if self.path is not None else ":memory:"
        try:
            self.con: duckdb.DuckDBPyConnection = duckdb.connect(target, read_only=read_only)
        except duckdb.Error as exc:
            raise InputError(f"cannot open store {target}: {exc}") from exc
        if not read_only:
            try:
                self.con.execute(_PROVENANCE_DDL)
            except duckdb.Error as exc:
                self.con.close()
                raise StoreError(f"cannot write to store {target}: {exc}") from None

    def __repr__(self) -> str:
        return f"Store({str(self.path) if self.path else ':memory:'!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (a file store is then free for another process)."""
        self.con.close()

    #: The table names last read from DuckDB, or None until read (or since a write).
    _table_names: tuple[str, ...] | None = None

    def _table_list(self) -> tuple[str, ...]:
        """The data tables' names, read from DuckDB's catalog once until the next write.

        Why: the brief asks :meth:`has` ~150 times and each catalog query costs ~2 ms.
        Every method here that creates, replaces or drops a table (or may roll one
        back) calls :meth:`forget_tables`; code that does so through ``con`` directly
        must call it too.
        """
        if self._table_names is None:
            rows = self.con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_name <> '_provenance' ORDER BY 1"
            ).fetchall()
            self._table_names = tuple(r[0] for r in rows)
        return self._table_names

    def forget_tables(self) -> None:
        """Drop the cached table list, so that the next :meth:`has` reads DuckDB's catalog."""
        self._table_names = None

    def tables(self) -> list[str]:
        """Names of the data tables in the store (``_provenance`` excluded)."""
        return list(self._table_list())

    def has(self, table: str) -> bool:
        """Whether ``table`` exists in the store."""
        return table in self._table_list()

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a pandas frame; :class:`MissingData` if it is absent."""
        if not self.has(name):
            raise MissingData(
                f"table {name!r} is not in {self!r}; load it with "
                "'dyadscope data load DATASET --file PATH' or use the vendored store"
            )
        return self.con.execute(f"SELECT * FROM {_ident(name)}").df()

    def provenance(self) -> pd.DataFrame:
        """One row per table: dataset, table, source, version, sha256, rows, years, loaded_at."""
        try:
            return self.con.execute('SELECT * FROM _provenance ORDER BY dataset, "table"').df()
        except duckdb.CatalogException:
            return pd.DataFrame(columns=list(PROVENANCE_COLUMNS))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """``BEGIN`` … ``COMMIT``; any exception rolls back every table and provenance row."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.forget_tables()  # a table made in the transaction is gone
            self.con.execute("ROLLBACK")
            raise
        self.forget_tables()
        self.con.execute("COMMIT")

    def replace_table(
        self,
        table: str,
        frame: pd.DataFrame,
        columns: Mapping[str, str],
        provenance: Provenance,
    ) -> None:
        """Replace ``table`` with ``frame`` cast to ``columns`` (name → DuckDB type).

        Call inside :meth:`transaction` so that a failure leaves nothing behind.
        """
        con = self.con
        view = f"_incoming_{table}"
        con.register(view, frame)
        try:
            defs = ", ".join(f"{_ident(c)} {t}" for c, t in columns.items())
            casts = ", ".join(f"CAST({_ident(c)} AS {t})" for c, t in columns.items())
            con.execute(f"CREATE OR REPLACE TABLE {_ident(table)} ({defs})")
            con.execute(f"INSERT INTO {_ident(table)} SELECT {casts} FROM {_ident(view)}")
        finally:
            self.forget_tables()
            con.unregister(view)
        self._record(provenance)

    # A chunked load (dyadscope.data.registry.load_file) builds the new table aside, in a
    # scratch database attached as ``_stage`` (a file beside a store file, committed chunk
    # by chunk so that DuckDB can write it out instead of holding it), with a ``_row``
    # column naming each row's data row; the keys are checked there, and only then is
    # the table copied into the store in one transaction.

    @contextlib.contextmanager
    def staging(self, table: str, columns: Mapping[str, str]) -> Iterator[str]:
        """Attach a scratch database holding an empty ``table`` (``columns`` plus ``_row``).

        Yields the staged table's qualified name; on leaving, the scratch database is
        detached and its file removed.  For a store file, DuckDB's memory is capped at
        :data:`LOAD_MEMORY_LIMIT` meanwhile (larger work spills to disk).
        """
        scratch = (
            None
            if self.path is None
            else self.path.with_name(f".{self.path.name}.{os.getpid()}.load")
        )
        if scratch is not None:
            _unlink_store_files(scratch)
        limit = self.con.execute("SELECT current_setting('memory_limit')").fetchone()
        try:
            target = ":memory:" if scratch is None else str(scratch)
            self.con.execute(f"ATTACH {quote_literal(target)} AS _stage")
            try:
                if scratch is not None:
                    self.con.execute(f"SET memory_limit = {quote_literal(LOAD_MEMORY_LIMIT)}")
                yield self.add_staging(table, columns)
            finally:
                if limit is not None:
                    self.con.execute(f"SET memory_limit = {quote_literal(str(limit[0]))}")
                self.forget_tables()
                self.con.execute("DETACH _stage")
        finally:
            if scratch is not None:
                _unlink_store_files(scratch)

    def add_staging(self, table: str, columns: Mapping[str, str]) -> str:
        """Another empty scratch table (``columns`` plus ``_row``) inside :meth:`staging`.

        Returns its qualified name; it goes when the scratch database does.
        """
        defs = ", ".join(f"{_ident(c)} {t}" for c, t in columns.items())
        staged = f"_stage.{_ident(table)}"
        self.forget_tables()
        self.con.execute(f"CREATE TABLE {staged} ({defs}, {_ROW} BIGINT)")
        return staged

    def fill_staging(self, staged: str, select: str) -> None:
        """Append the rows of ``select`` (a query over other scratch tables) to ``staged``.

        The query runs in DuckDB under the load's memory cap, spilling to disk beyond
        it: this is how a pivot or group-by of a whole file is done without holding it.
        """
        self.con.execute(f"INSERT INTO {staged} {select}")

    def append_staging(self, staged: str, frame: pd.DataFrame, columns: Mapping[str, str]) -> None:
        """Append one chunk (``columns`` plus ``_row``) to the table :meth:`staging` made."""
        view = "_incoming_chunk"
        self.con.register(view, frame)
        try:
            casts = ", ".join(f"CAST({_ident(c)} AS {t})" for c, t in columns.items())
            self.con.execute(
                f"INSERT INTO {staged} SELECT {casts}, CAST({_ROW} AS BIGINT) FROM {view}"
            )
        finally:
            self.con.unregister(view)

    def first_duplicate(
        self, staged: str, key: tuple[str, ...]
    ) -> tuple[tuple[object, ...], tuple[int, int]] | None:
        """The repeated key whose first row comes first, and its first two ``_row``; or None."""
        cols = ", ".join(_ident(k) for k in key)
        found = self.con.execute(
            f"SELECT {cols} FROM {staged} GROUP BY {cols} HAVING count(*) > 1 "
            f"ORDER BY min({_ROW}) LIMIT 1"
        ).fetchone()
        if found is None:
            return None
        same = " AND ".join(f"{_ident(k)} IS NOT DISTINCT FROM ?" for k in key)
        rows = self.con.execute(
            f"SELECT {_ROW} FROM {staged} WHERE {same} ORDER BY {_ROW} LIMIT 2", list(found)
        ).fetchall()
        return tuple(found), (int(rows[0][0]), int(rows[1][0]))

    def staged_rows(self, staged: str) -> int:
        """How many rows the staged table holds."""
        row = self.con.execute(f"SELECT count(*) FROM {staged}").fetchone()
        return int(row[0]) if row is not None else 0

    def replace_from_staging(
        self, table: str, staged: str, columns: Mapping[str, str], provenance: Provenance
    ) -> None:
        """Replace ``table`` by the staged rows in file order (call inside :meth:`transaction`)."""
        cols = ", ".join(_ident(c) for c in columns)  # the staged columns have their types
        # One CREATE ... AS SELECT: DuckDB writes its row groups out as it goes, whereas
        # an INSERT into a table made in the same transaction keeps them in memory.
        self.forget_tables()
        self.con.execute(f"CREATE OR REPLACE TABLE {_ident(table)} AS SELECT {cols} FROM {staged}")
        self._record(provenance)

    def _record(self, p: Provenance) -> None:
        self.con.execute('DELETE FROM _provenance WHERE "table" = ?', [p.table])
        self.con.execute(
            "INSERT INTO _provenance VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                p.dataset,
                p.table,
                p.source,
                p.version,
                p.sha256,
                p.rows,
                p.first_year,
                p.last_year,
                p.loaded_at or datetime.now(UTC).replace(tzinfo=None),
            ],
        )

    def attach_parquet(self, table: str, path: Path, provenance: Provenance) -> None:
        """Create ``table`` from a Parquet file (how vendored extracts are loaded)."""
        self.forget_tables()
        self.con.execute(
            f"CREATE OR REPLACE TABLE {_ident(table)} AS SELECT * FROM read_parquet(?)",
            [str(path)],
        )
        self._record(provenance)


def _make_folder(path: Path) -> None:
    """Create the folder of a store file; a clear error when that is impossible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder {path.parent} for store {path} ({exc.strerror}); "
            "choose a store path in a writable folder"
        ) from None


def _unlink_store_files(path: Path) -> None:
    """Remove a DuckDB file and its write-ahead log, ignoring what is already gone."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


#: What DuckDB raises when it cannot write a file (disk full, read-only, I/O error).
_WRITE_ERRORS = (
    OSError,
    duckdb.IOException,
    duckdb.TransactionException,
    duckdb.FatalException,
)


def _store_failure(path: Path, exc: BaseException) -> StoreError:
    """A StoreError naming ``path`` for an OS or DuckDB I/O failure while writing it."""
    if isinstance(exc, OSError) and exc.strerror:
        reason = exc.strerror
    else:  # DuckDB: 'Failed to commit: Could not write file "<temp>": No space left on device'
        reason = str(exc).rsplit(": ", 1)[-1]
    return StoreError(
        f"cannot write store {path}: {reason}. The store is unchanged; free disk space or "
        "choose a writable location, then load again"
    )


@contextlib.contextmanager
def open_for_writing(
    path: str | Path, *, lock_timeout: float = STORE_LOCK_TIMEOUT
) -> Iterator[Store]:
    """A :class:`Store` on the file ``path`` for one load, safe against concurrent loads.

    A lock file ``<path>.lock`` is held for the whole block (a second writer waits up to
    ``lock_timeout`` seconds, then gets :class:`~dyadscope.errors.StoreError`); the
    empty lock file stays beside the store, since removing it could let two writers in.  If
    ``path`` does not exist, the store is built as a temporary file beside it and renamed
    to ``path`` only when the block ends without an error; on an error the temporary
    file is removed, so nothing is left behind and no existing store is ever deleted.
    Disk-full and read-only failures become :class:`~dyadscope.errors.StoreError`
    naming ``path``.

    >>> with open_for_writing("my.duckdb") as db:  # doctest: +SKIP
    ...     load_file("nmc", "nmc.csv", db)
    """
    path = Path(path)
    _make_folder(path)
    lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=lock_timeout)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(
            f"store {path} is busy: another process has been writing to it for more than "
            f"{lock_timeout:g} s; wait for it to finish (or raise lock_timeout) and retry"
        ) from None
    except OSError as exc:
        raise _store_failure(path, exc) from None
    try:
        if path.exists():
            yield from _write_existing(path)
        else:
            yield from _write_new(path)
    finally:
        lock.release()


def _checkpoint(db: Store) -> None:
    """Write the log into the database file now, so that a full disk raises here.

    DuckDB also checkpoints on close, but there a failure is silent (a full disk then
    loses the load); an explicit ``CHECKPOINT`` raises instead and keeps the log.
    """
    db.con.execute("CHECKPOINT")


def _write_existing(path: Path) -> Iterator[Store]:
    try:
        with Store(path) as db:
            yield db
            _checkpoint(db)
    except _WRITE_ERRORS as exc:
        raise _store_failure(path, exc) from None


def _write_new(path: Path) -> Iterator[Store]:
    temp = path.with_name(f".{path.name}.{os.getpid()}.new")
    _unlink_store_files(temp)
    try:
        with Store(temp) as db:
            yield db
            _checkpoint(db)
        os.replace(temp, path)
    except _WRITE_ERRORS as exc:
        raise _store_failure(path, exc) from None
    finally:
        _unlink_store_files(temp)


def load_into(
    dataset: str,
    file: str | Path,
    path: str | Path | None = None,
    *,
    lock_timeout: float = STORE_LOCK_TIMEOUT,
    chunk_bytes: int | None = None,
) -> Provenance:
    """Load ``file`` for ``dataset`` into the store file ``path`` (None: the default store).

    All or nothing: the table and its provenance are replaced in one transaction, a
    store that did not exist is only created when the load succeeds, and concurrent
    loads into the same file take turns (see :func:`open_for_writing`).  The file is
    read ``chunk_bytes`` at a time (default ``validate.CHUNK_BYTES``, 1 MiB; see
    :func:`~dyadscope.data.registry.load_file`), so memory does not grow with the file.

    >>> load_into("nmc", "NMC-60-abridged.csv", "my.duckdb").rows  # doctest: +SKIP
    17121
    """
    from dyadscope.data.registry import load_file

    target = Path(path) if path is not None else default_store_path()
    with open_for_writing(target, lock_timeout=lock_timeout) as db:
        return load_file(dataset, file, db, chunk_bytes=chunk_bytes)


def __getattr__(name: str) -> object:
    """``vendored_store`` and ``open_store`` moved to :mod:`dyadscope.data.vendored`.

    They are still importable from here (lazily: ``vendored`` imports this module, so
    importing it at the top would make a cycle).
    """
    if name in _MOVED:
        from dyadscope.data import vendored

        return getattr(vendored, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MOVED = frozenset({"vendored_store", "open_store"})
