"""Ingest GDELT files into an events store, idempotently and crash-safely.

For each batch of input files: load and check every line (:mod:`.parse`,
:mod:`.validate`), drop events whose GLOBALEVENTID is already stored or appears
earlier in the batch, write the new events as Parquet partitioned by event year
and month into ``_staging/``, move those files into the store, and only then
record the batch in ``catalog.duckdb`` (manifest rows and the file list) in one
transaction.  That transaction is the commit point (see :mod:`.catalog`): a
process killed anywhere before it leaves files nobody reads, which the next run
deletes before redoing the batch; re-ingesting a file whose SHA-256 is in the
manifest adds nothing.

Every file's counts balance: ``rows_read = rows_stored + duplicates +
quarantined``.  Quarantined lines are written to ``quarantine/`` with file, line,
reason and the raw text.

>>> report = ingest(["20191024143000.export.CSV"], "store/")  # doctest: +SKIP
>>> report.files[0].rows_stored  # doctest: +SKIP
2111
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock, Timeout

from dyadscope._io import atomic_path, sha256_file
from dyadscope._sql import date_literal, quote_list, quote_literal
from dyadscope.errors import DyadscopeError, InputError
from dyadscope.events import catalog
from dyadscope.events.lines import COMPRESSION_ERRORS, MAX_LINE_BYTES
from dyadscope.events.parse import duckdb_reason, load_batch
from dyadscope.events.schema import CANONICAL_COLUMNS
from dyadscope.events.validate import build_typed, register_lookups

__all__ = ["MAX_LINE_BYTES", "FileReport", "IngestReport", "Progress", "ingest", "recover"]

#: File name endings picked up when a folder is ingested (case-insensitive).
INPUT_SUFFIXES = (".csv", ".tsv", ".txt", ".zip", ".gz")
#: Lock file that keeps two ingests off one store.
LOCK_NAME = ".ingest.lock"
#: Input bytes processed per batch (one DuckDB session, one commit); bounds memory.
DEFAULT_BATCH_BYTES = 64 << 20
#: Files per batch at most, so progress and commits stay frequent.
DEFAULT_BATCH_FILES = 256

#: Errors that fail one ingest batch (it is then retried file by file).
_BATCH_ERRORS: tuple[type[Exception], ...] = (
    duckdb.Error,
    OSError,
    *COMPRESSION_ERRORS,
    DyadscopeError,
)


@dataclass
class FileReport:
    """What happened to one input file."""

    path: str
    sha256: str
    status: str  # "ingested" | "already ingested" | "failed"
    layouts: str = ""
    rows_read: int = 0
    rows_stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    goldstein_disagree: int = 0
    quadclass_disagree: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    quarantine_file: str | None = None
    error: str | None = None

    @property
    def balanced(self) -> bool:
        """True when rows read = stored + duplicates + quarantined."""
        return self.rows_read == self.rows_stored + self.duplicates + self.quarantined


@dataclass
class IngestReport:
    """The outcome of :func:`ingest`: one :class:`FileReport` per input file."""

    store_dir: Path
    files: list[FileReport] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """One row per file, with the counts; the CLI prints this."""
        rows = [asdict(f) for f in self.files]
        for row in rows:
            row["file"] = Path(row.pop("path")).name
            row.pop("sha256")
        cols = [
            "file",
            "status",
            "layouts",
            "rows_read",
            "rows_stored",
            "duplicates",
            "quarantined",
            "goldstein_disagree",
            "quadclass_disagree",
            "error",
        ]
        return pd.DataFrame(rows, columns=cols)

    @property
    def failed(self) -> list[FileReport]:
        """Files that could not be ingested at all (nothing of them was stored)."""
        return [f for f in self.files if f.status == "failed"]


@dataclass(frozen=True)
class Progress:
    """A progress notice passed to the ``progress`` callback of :func:`ingest`."""

    done: int  # files finished so far (ingested, skipped or failed)
    total: int
    file: str
    status: str


ProgressCallback = Callable[[Progress], None]


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named directly, plus those under named folders with an input suffix.

    Folder contents are sorted by path so that ingest order (and so which copy of a
    repeated event is kept) does not depend on the file system.
    """
    out: list[Path] = []
    named = [Path(item) for item in inputs]
    for p in named:
        if p.is_dir():
            found = [
                f
                for f in sorted(p.rglob("*"))
                if f.is_file()
                and not f.name.startswith(".")
                and f.name.lower().endswith(INPUT_SUFFIXES)
            ]
            out.extend(found)
        elif p.is_file():
            out.append(p)
        elif p.exists():
            raise InputError(
                f"{p}: not a regular file (a device, pipe or socket); "
                "name GDELT files or folders of them"
            )
        else:
            raise InputError(f"{p}: no such file or folder")
    if not out:
        where = ", ".join(str(p) for p in named) or "(no input named)"
        raise InputError(
            f"no GDELT files found in {where}: nothing to ingest "
            f"(files are picked up by their ending: {', '.join(INPUT_SUFFIXES)})"
        )
    return out


def recover(store_dir: Path) -> list[Path]:
    """Remove what an interrupted ingest left: staging and uncommitted data files.

    Returns the data files removed.  Safe to call at any time no other ingest runs.
    """
    shutil.rmtree(store_dir / catalog.STAGING_NAME, ignore_errors=True)
    committed = {p.resolve() for p in catalog.committed_files(store_dir)}
    committed |= {p.resolve() for p in catalog.committed_quarantine_files(store_dir)}
    removed = []
    for pattern in ("year=*/month=*/*.parquet", f"{catalog.QUARANTINE_NAME}/*.csv"):
        for f in store_dir.glob(pattern):
            if f.resolve() not in committed:
                f.unlink()
                removed.append(f)
    return removed


def _known_hashes(store_dir: Path) -> set[str]:
    known = catalog.manifest(store_dir)
    return set(known["sha256"]) if not known.empty else set()


def _batches(
    items: list[tuple[Path, str]], max_bytes: int, max_files: int
) -> list[list[tuple[Path, str]]]:
    batches: list[list[tuple[Path, str]]] = []
    current: list[tuple[Path, str]] = []
    size = 0
    for item in items:
        item_size = item[0].stat().st_size
        if current and (size + item_size > max_bytes or len(current) >= max_files):
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        batches.append(current)
    return batches


def ingest(
    inputs: Sequence[str | os.PathLike[str]],
    store_dir: str | os.PathLike[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    batch_files: int = DEFAULT_BATCH_FILES,
) -> IngestReport:
    """Ingest GDELT files or folders into the events store at ``store_dir``.

    ``store_dir`` defaults to ``$DYADSCOPE_HOME/events``.  A file that cannot be
    read at all (corrupt zip, header without GLOBALEVENTID) is reported as
    ``failed`` and the other files still go in; nothing of a failed file is stored
    and it is tried again next time.

    >>> r = ingest(["gdelt/"], "store")  # doctest: +SKIP
    >>> all(f.balanced for f in r.files)  # doctest: +SKIP
    True
    """
    store = catalog.resolve_store_dir(store_dir)
    files = expand_inputs(inputs)
    report = IngestReport(store_dir=store)
    with _exclusive(store):
        recover(store)
        known = _known_hashes(store)
        todo: list[tuple[Path, str]] = []
        for path in files:
            digest = sha256_file(path)
            if digest in known or any(digest == d for _, d in todo):
                _record(
                    report, FileReport(str(path), digest, "already ingested"), len(files), progress
                )
            else:
                todo.append((path, digest))
        for batch in _batches(todo, batch_bytes, batch_files):
            for file_report in _ingest_isolating_failures(store, batch):
                _record(report, file_report, len(files), progress)
    return report


def _ingest_isolating_failures(store: Path, batch: list[tuple[Path, str]]) -> list[FileReport]:
    """Ingest ``batch``; if the batch as a whole fails, retry its files one by one.

    Line-level problems never fail a batch (they are quarantined), but a file DuckDB
    cannot process at all must not take the good files of its batch down with it:
    alone, such a file is reported as ``failed`` and the run goes on.
    """
    try:
        return _ingest_batch(store, batch)
    except _BATCH_ERRORS as exc:
        if len(batch) == 1:
            path, digest = batch[0]
            reason = str(exc) if isinstance(exc, DyadscopeError) else duckdb_reason(exc)
            if not reason.startswith(f"{path}:"):
                reason = f"{path}: {reason}"
            return [FileReport(str(path), digest, "failed", error=reason)]
    recover(store)
    return [fr for item in batch for fr in _ingest_isolating_failures(store, [item])]


def _record(
    report: IngestReport, fr: FileReport, total: int, progress: ProgressCallback | None
) -> None:
    report.files.append(fr)
    if progress:
        progress(Progress(len(report.files), total, Path(fr.path).name, fr.status))


@contextlib.contextmanager
def _exclusive(store: Path) -> Iterator[None]:
    """Hold the store's ingest lock; a second ingest on the same store is refused.

    An OS file lock (``filelock``: ``flock`` on POSIX, ``msvcrt`` on Windows, so it is
    released by the kernel even when the process is killed), so a crashed ingest never
    leaves the store locked.  A store that cannot be written (read-only mount, no
    permission) is refused here, before any work, with its path.
    """
    try:
        store.mkdir(parents=True, exist_ok=True)
        with open(store / LOCK_NAME, "a"):
            pass
    except OSError as exc:
        raise InputError(
            f"{store}: the events store is not writable ({exc.strerror or exc}); "
            "choose another store_dir or make this folder writable"
        ) from None
    lock = FileLock(store / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(
            f"{store}: another ingest is writing this events store; wait for it to finish"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _open_work(store: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    work = store / catalog.STAGING_NAME / uuid.uuid4().hex[:12]
    work.mkdir(parents=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"SET temp_directory = {quote_literal(work / 'spill')}")
    memory = os.environ.get("DYADSCOPE_DUCKDB_MEMORY", "512MB")
    con.execute(f"SET memory_limit = {quote_literal(memory)}")
    register_lookups(con)
    return con, work


def _ingest_batch(store: Path, batch: list[tuple[Path, str]]) -> list[FileReport]:
    """Load, check, deduplicate, stage and commit one batch; return its file reports."""
    con, work = _open_work(store)
    try:
        files = list(enumerate(path for path, _ in batch))
        failed = load_batch(con, files, "loaded", work)
        reports = [
            FileReport(str(path), digest, "failed", error=str(failed[idx]))
            if idx in failed
            else FileReport(str(path), digest, "ingested")
            for idx, (path, digest) in enumerate(batch)
        ]
        names = {idx: path.name for idx, path in files if idx not in failed}
        if names:
            build_typed(con, "loaded", "batch", names)
            _stage_and_commit(con, store, work, [(i, reports[i]) for i in names])
        return reports
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)


def _stage_and_commit(
    con: duckdb.DuckDBPyConnection, store: Path, work: Path, loaded: list[tuple[int, FileReport]]
) -> None:
    existing = _existing_ids_sql(store, con)
    # Duplicates are few: keep their keys in a small table that later steps anti-join.
    con.execute(
        f"""CREATE TEMP TABLE duplicate AS
        WITH good AS (SELECT file_idx, source_line, global_event_id FROM batch
                      WHERE reason IS NULL),
        repeated AS (
          SELECT file_idx, source_line FROM (
            SELECT file_idx, source_line, row_number() OVER (
              PARTITION BY global_event_id ORDER BY file_idx, source_line) AS k
            FROM good
            WHERE global_event_id IN (SELECT global_event_id FROM good
                                      GROUP BY ALL HAVING count(*) > 1))
          WHERE k > 1),
        stored_before AS (
          SELECT g.file_idx, g.source_line
          FROM (SELECT global_event_id FROM {existing}) p
          JOIN good g ON g.global_event_id = p.global_event_id)
        SELECT * FROM repeated UNION SELECT * FROM stored_before"""
    )
    stats = con.execute(
        """SELECT b.file_idx,
             count(*),
             count(*) FILTER (WHERE reason IS NULL AND d.file_idx IS NULL),
             count(d.file_idx),
             count(*) FILTER (WHERE reason IS NOT NULL),
             count(*) FILTER (WHERE reason IS NULL AND goldstein_disagree),
             count(*) FILTER (WHERE reason IS NULL AND quadclass_disagree),
             min(event_date) FILTER (WHERE reason IS NULL AND d.file_idx IS NULL),
             max(event_date) FILTER (WHERE reason IS NULL AND d.file_idx IS NULL)
           FROM batch b LEFT JOIN duplicate d USING (file_idx, source_line)
           GROUP BY b.file_idx"""
    ).fetchall()
    layouts = dict(
        con.execute(
            """SELECT file_idx, string_agg(layout || ': ' || n, ', ' ORDER BY layout)
               FROM (SELECT file_idx, coalesce(gdelt_layout, 'no layout') AS layout,
                            count(*) AS n FROM batch GROUP BY ALL)
               GROUP BY file_idx"""
        ).fetchall()
    )
    by_idx = {row[0]: row[1:] for row in stats}
    for idx, fr in loaded:
        s = by_idx.get(idx, (0, 0, 0, 0, 0, 0, None, None))
        fr.rows_read, fr.rows_stored, fr.duplicates, fr.quarantined = map(int, s[:4])
        fr.goldstein_disagree, fr.quadclass_disagree = int(s[4]), int(s[5])
        fr.first_date, fr.last_date, fr.layouts = s[6], s[7], layouts.get(idx, "")
        if fr.quarantined:
            fr.quarantine_file = _write_quarantine(con, store, idx, fr)
    batch_id = uuid.uuid4().hex[:16]
    staged = _write_staging(con, work / "parts", batch_id)
    _commit(store, batch_id, staged, work / "parts", loaded)


def _existing_ids_sql(store: Path, con: duckdb.DuckDBPyConnection) -> str:
    """A relation of stored GLOBALEVENTIDs in the partitions this batch touches."""
    touched = {
        (int(y), int(m))
        for y, m in con.execute(
            "SELECT DISTINCT year(event_date), month(event_date) FROM batch WHERE reason IS NULL"
        ).fetchall()
    }
    files = [
        f
        for f in catalog.committed_files(store)
        if (int(f.parent.parent.name.split("=")[1]), int(f.parent.name.split("=")[1])) in touched
    ]
    if not files:
        return "(SELECT NULL::BIGINT AS global_event_id WHERE false)"
    return f"read_parquet({quote_list(files)})"


def _write_quarantine(con: duckdb.DuckDBPyConnection, store: Path, idx: int, fr: FileReport) -> str:
    qdir = store / catalog.QUARANTINE_NAME
    qdir.mkdir(parents=True, exist_ok=True)
    name = f"{fr.sha256[:16]}-{Path(fr.path).name}.csv"
    with atomic_path(qdir / name, suffix=".csv") as tmp:
        con.execute(
            f"""COPY (SELECT source_file, source_line AS line, reason, raw FROM batch
                     WHERE file_idx = {int(idx)} AND reason IS NOT NULL ORDER BY line)
                TO {quote_literal(tmp)} (HEADER, DELIMITER ',')"""
        )
    return f"{catalog.QUARANTINE_NAME}/{name}"


def _write_staging(
    con: duckdb.DuckDBPyConnection, parts: Path, batch_id: str
) -> list[tuple[Path, int]]:
    """Write the batch's new events as hive-partitioned Parquet under ``parts``.

    One COPY per (year, month) rather than DuckDB's PARTITION_BY: a batch touches
    few months, and writing each file in one go is about twice as fast here.
    Returns each file written with its row count.
    """
    cols = ", ".join(f"b.{name}" for name, _ in CANONICAL_COLUMNS)
    con.execute(
        """CREATE OR REPLACE TEMP VIEW new_events AS
        SELECT b.* FROM batch b ANTI JOIN duplicate d USING (file_idx, source_line)
        WHERE b.reason IS NULL"""
    )
    months = con.execute(
        "SELECT year(event_date) AS y, month(event_date) AS m, count(*) FROM new_events "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    written = []
    for year, month, rows in months:
        folder = parts / f"year={year}" / f"month={month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{batch_id}.parquet"
        first = date_literal(dt.date(year, month, 1))
        con.execute(
            f"""COPY (SELECT {cols} FROM new_events b
                      WHERE b.event_date >= {first}
                        AND b.event_date < {first} + INTERVAL 1 MONTH)
                TO {quote_literal(target)} (FORMAT parquet, COMPRESSION zstd)"""
        )
        written.append((target, int(rows)))
    return written


def _commit(
    store: Path,
    batch_id: str,
    staged: list[tuple[Path, int]],
    parts: Path,
    loaded: list[tuple[int, FileReport]],
) -> None:
    """Move staged files into the store, then record them and the manifest atomically."""
    moved: list[tuple[str, int]] = []
    for f, rows in staged:
        rel = f.relative_to(parts)
        dest = store / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(f, dest)
        moved.append((rel.as_posix(), rows))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with catalog.open_catalog(store, write=True) as con:
        con.execute("BEGIN TRANSACTION")
        for name, rows in moved:
            con.execute("INSERT INTO data_files VALUES (?, ?, ?)", [name, batch_id, rows])
        for _, fr in loaded:
            con.execute(
                "INSERT INTO ingest_manifest VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    fr.sha256,
                    str(Path(fr.path).resolve()),
                    Path(fr.path).name,
                    Path(fr.path).stat().st_size,
                    fr.layouts,
                    fr.rows_read,
                    fr.rows_stored,
                    fr.duplicates,
                    fr.quarantined,
                    fr.goldstein_disagree,
                    fr.quadclass_disagree,
                    fr.first_date,
                    fr.last_date,
                    fr.quarantine_file,
                    now,
                ],
            )
        files = [
            store.resolve() / r[0] for r in con.execute("SELECT path FROM data_files").fetchall()
        ]
        if files:
            catalog.create_events_view(con, sorted(files), temp=False)
        catalog.create_quarantine_view(con, store)
        con.execute("COMMIT")
