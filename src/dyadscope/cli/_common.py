"""What the CLI command modules share: options, output, early checks and the error boundary.

* **Options defined once.**  ``StoreOpt`` (a DuckDB file), ``OutputOpt``, ``FormatOpt``,
  ``FromYear``/``ToYear``, ``FromDay``/``ToDay`` and ``EventsStoreOpt`` (an events
  folder; ``EventsStoreTarget`` to write one) are ``typing.Annotated`` aliases, so
  every command spells an option and its help text the same way; the default goes in
  the signature (``start: FromYear = 1992``).  A renamed flag keeps its old name as a
  hidden alias (``LegacyEventsStore``, read through :func:`deprecated_alias`).
* **Output.**  :func:`write_text` (standard output, or atomically to ``-o``) and
  :func:`emit_frame` (a table in any :class:`OutputFormat`) are the only writers.
* **Early checks.**  ``-o`` is checked when the command line is parsed (see
  :func:`check_output`), an events store by :func:`check_events_store`, before any
  long work starts.
* **One error boundary.**  :func:`handle_errors` (on every command) and
  :func:`dyadscope.cli.main` turn every :class:`~dyadscope.errors.DyadscopeError`,
  :class:`OSError` (disk full, read-only file system, permission denied),
  :class:`OverflowError` and :class:`MemoryError` into one line on standard error and
  a non-zero exit code; a traceback only with ``dyadscope --debug`` or
  ``DYADSCOPE_DEBUG=1``.
"""

from __future__ import annotations

import datetime as dt
import enum
import errno
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, ParamSpec, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from dyadscope._io import atomic_path, output_target
from dyadscope.errors import DyadscopeError, InputError

if TYPE_CHECKING:
    from dyadscope.case import Case

# Messages are never word-wrapped: a path or a ``file:line`` split across two lines
# cannot be copied or grepped, and its wrapping would depend on the terminal's width.
# Tables and other renderables still fit the terminal.
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def progress_bar(*, remaining: bool = False) -> Progress:
    """A transient progress bar on standard error: description, bar, count, and the time
    elapsed (or, with ``remaining``, the time left)."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn() if remaining else TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class OutputFormat(enum.StrEnum):
    """Formats a tabular result can be written in."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


# --- debug switch ------------------------------------------------------------------------

_debug = False


def set_debug(flag: bool) -> None:
    """Show tracebacks instead of one-line errors (the global ``--debug`` option)."""
    global _debug
    _debug = flag


def debug_enabled() -> bool:
    """Whether ``--debug`` was given or ``DYADSCOPE_DEBUG`` is set to 1/true/yes."""
    env = os.environ.get("DYADSCOPE_DEBUG", "").strip().lower()
    return _debug or env in {"1", "true", "yes", "on"}


# --- the error boundary --------------------------------------------------------------------

#: What to do about common operating-system errors, by errno.
_OS_HINTS = {
    errno.ENOSPC: "the disk is full; free some space or write elsewhere",
    errno.EDQUOT: "the disk quota is used up; free some space or write elsewhere",
    errno.EROFS: "the file system is read-only; write elsewhere",
    errno.EACCES: "check the permissions of the file and its folder, or write elsewhere",
    errno.EPERM: "check the permissions of the file and its folder, or write elsewhere",
    errno.ENOENT: "check the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder; give a file name",
    errno.EIO: "the device reported an input/output error",
}

#: Exceptions the boundary reports in one line (anything else is a bug: traceback).
BOUNDARY_ERRORS: tuple[type[BaseException], ...] = (
    DyadscopeError,
    OSError,
    OverflowError,
    MemoryError,
)


def _duckdb_io_error(exc: BaseException) -> bool:
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(exc, getattr(duckdb, "IOException", ()))


def error_line(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit code for an error that reached the CLI boundary.

    >>> error_line(OSError(28, "No space left on device", "out.csv"))
    ('out.csv: No space left on device (the disk is full; free some space or write elsewhere)', 1)
    """
    if isinstance(exc, DyadscopeError):
        return str(exc), exc.exit_code
    if isinstance(exc, OSError):
        where = f"{exc.filename}" if exc.filename is not None else ""
        if exc.filename2 is not None:
            where += f" -> {exc.filename2}"
        what = exc.strerror or str(exc)
        hint = _OS_HINTS.get(exc.errno or -1)
        text = f"{where}: {what}" if where else what
        return (f"{text} ({hint})" if hint else text), 1
    if isinstance(exc, OverflowError):
        return f"a number is too large to use: {exc}; give a smaller value", 2
    if isinstance(exc, MemoryError):
        return (
            "out of memory: the arguments ask for more than this machine has; "
            "give smaller numbers (fewer draws, a shorter period)",
            1,
        )
    if _duckdb_io_error(exc):
        return str(exc), 1
    return f"{type(exc).__name__}: {exc}", 1


def report_error(exc: BaseException) -> int:
    """Print ``exc`` as one red line on standard error and return its exit code."""
    message, code = error_line(exc)
    err_console.print(Text("Error: ", style="bold red") + Text(message), highlight=False)
    return code


def is_boundary_error(exc: BaseException) -> bool:
    """Whether the boundary reports ``exc`` in one line (rather than as a bug)."""
    return isinstance(exc, BOUNDARY_ERRORS) or _duckdb_io_error(exc)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """The CLI's error boundary, put on every command (see the module docstring).

    Before the command runs, ``--format parquet`` without ``-o`` is refused (for
    commands whose parameters are called ``fmt`` and ``output``), so it fails before
    any work rather than after it.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            if kwargs.get("fmt") is OutputFormat.parquet and kwargs.get("output", 0) is None:
                raise InputError("--format parquet needs -o FILE (Parquet is not for a terminal)")
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            if debug_enabled():
                raise
            err_console.print(Text("Interrupted.", style="bold red"))
            raise typer.Exit(code=130) from None
        except Exception as exc:
            if debug_enabled() or not is_boundary_error(exc):
                raise
            raise typer.Exit(code=report_error(exc)) from None

    return wrapper


# --- early checks ----------------------------------------------------------------------------


def check_output(path: Path | None) -> Path | None:
    """Check before any work that ``path`` can be written; return it unchanged.

    A regular file (or a new name) needs a folder that exists or can be created, and
    that is writable; a folder is refused; a device or FIFO must be writable.  Nothing
    is created.  Raises :class:`~dyadscope.errors.InputError` naming the path.
    """
    if path is None:
        return None
    real, through = output_target(path)
    if through:
        if not os.access(real, os.W_OK):
            raise InputError(f"{path}: cannot write to it (permission denied)")
        return path
    if real.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for the output")
    folder = real.parent
    while not folder.exists():
        if folder.is_symlink():
            raise InputError(f"{path}: its folder {folder} is a broken link")
        folder = folder.parent
    if not folder.is_dir():
        raise InputError(f"{path}: cannot create its folder: {folder} is a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        reason = "read-only file system" if _read_only(folder) else "permission denied"
        raise InputError(f"{path}: cannot write in {folder} ({reason})")
    if real.exists() and not os.access(real, os.W_OK) and not _read_only(folder):
        # Replacing a read-only file would work (rename), but the user protected it.
        raise InputError(f"{path}: the file is read-only (permission denied)")
    return path


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _fail_early(exc: DyadscopeError) -> typer.Exit:
    """An early check failed while the command line was read: one line, exit code."""
    if debug_enabled():
        raise exc
    return typer.Exit(code=report_error(exc))


def _output_callback(value: Path | None) -> Path | None:
    try:
        return check_output(value)
    except InputError as exc:
        raise _fail_early(exc) from None


def check_events_store(path: Path | None) -> Path | None:
    """Check that ``path`` (when given) is an events store folder; return it unchanged.

    An events store has a ``catalog.duckdb`` (``dyadscope events ingest`` makes it).
    Without this check a mistyped path would silently read as an empty store.
    """
    if path is None:
        return None
    from dyadscope.events.catalog import catalog_path

    if not path.is_dir():
        what = "no such folder" if not path.exists() else "not a folder"
        raise InputError(
            f"{path}: {what}; give an events store folder made by `dyadscope events ingest`"
        )
    if not catalog_path(path).is_file():
        raise InputError(
            f"{path}: not an events store (no {catalog_path(path).name}); "
            "make one with `dyadscope events ingest`"
        )
    return path


def _events_store_callback(value: Path | None) -> Path | None:
    try:
        return check_events_store(value)
    except InputError as exc:
        raise _fail_early(exc) from None


# --- shared options (one definition and one help text each) -------------------------------

STORE_HELP = (
    "DuckDB store file made by `dyadscope data load`. Without it, reading commands use "
    "the vendored extracts, and `data load`/`data list`/`data update` use "
    "$DYADSCOPE_HOME/dyadscope.duckdb (else the user data folder)."
)
OUTPUT_HELP = (
    "File to write (default: the terminal, where the command allows), atomically: a "
    "temporary file, then a rename. A symlink is followed; a device or FIFO (/dev/null, "
    "a pipe) is written straight through. Checked before any work starts."
)
FORMAT_HELP = (
    "Output format: table, csv, json or parquet (parquet needs -o). Where a result has "
    "several tables, json holds them all and csv/parquet the main one."
)
EVENTS_STORE_HELP = (
    "GDELT events store folder made by `dyadscope events ingest` (default: the user's "
    "store, if any). Checked before any work starts."
)
EVENTS_TARGET_HELP = (
    "GDELT events store folder to write into, made if missing (default: "
    "$DYADSCOPE_HOME/events, else the user data folder)."
)

#: ``--store PATH`` (read-only for reading commands).
StoreOpt = Annotated[Path | None, typer.Option("--store", help=STORE_HELP, dir_okay=False)]
#: ``-o/--output PATH``, checked when the command line is parsed.
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help=OUTPUT_HELP, callback=_output_callback)
]
#: ``-f/--format``.
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help=FORMAT_HELP)]
#: ``--from YEAR`` and ``--to YEAR`` (inclusive); the default goes in the signature.
#: Years are checked to lie in 1..9999 when the command line is read.
FromYear = Annotated[int, typer.Option("--from", min=1, max=9999, help="First year (inclusive).")]
ToYear = Annotated[int, typer.Option("--to", min=1, max=9999, help="Last year (inclusive).")]
#: ``--to YEAR`` whose default is the last year of the data (``None``).
ToYearOrLast = Annotated[
    int | None,
    typer.Option(
        "--to", min=1, max=9999, help="Last year (inclusive; default: the data's last year)."
    ),
]
#: ``--from DAY`` and ``--to DAY`` for day-based commands (parse with :func:`parse_day`);
#: a month or a year stands for its first (``--from``) or last (``--to``) day.
_FROM_DAY = typer.Option(
    "--from", help="First day, YYYY-MM-DD (inclusive; YYYY-MM or YYYY: its first day)."
)
_TO_DAY = typer.Option(
    "--to", help="Last day, YYYY-MM-DD (inclusive; YYYY-MM or YYYY: its last day)."
)
FromDay = Annotated[str, _FROM_DAY]
ToDay = Annotated[str, _TO_DAY]
#: The same options, optional (no bound when not given).
FromDayOrFirst = Annotated[str | None, _FROM_DAY]
ToDayOrLast = Annotated[str | None, _TO_DAY]
#: The two states of a dyad, as positional arguments ``A`` and ``B``.
CountryA = Annotated[
    str,
    typer.Argument(
        metavar="A", help="First state of the pair: ISO3 (any case), ISO2 or name, e.g. RUS."
    ),
]
CountryB = Annotated[
    str,
    typer.Argument(
        metavar="B", help="Second state of the pair: ISO3 (any case), ISO2 or name, e.g. CHN."
    ),
]
#: ``--case PATH``: a case file instead of the shipped case for the pair.
CaseOpt = Annotated[
    Path | None,
    typer.Option(
        "--case",
        help="Use this case file instead of the shipped case for the pair.",
        exists=True,
        dir_okay=False,
    ),
]
#: ``--evidence-store PATH``: the documents and passages of ``dyadscope evidence``.
EvidenceStoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--evidence-store",
        dir_okay=False,
        help="Evidence store (DuckDB file) made by `dyadscope evidence ingest`; default "
        "evidence.duckdb beside the data store.",
    ),
]
#: ``--events-store PATH``, checked when the command line is parsed.
EventsStoreOpt = Annotated[
    Path | None,
    typer.Option("--events-store", help=EVENTS_STORE_HELP, callback=_events_store_callback),
]
#: ``--events-store PATH`` for commands that write a store (``events ingest``, ``fetch``).
EventsStoreTarget = Annotated[
    Path | None, typer.Option("--events-store", help=EVENTS_TARGET_HELP, file_okay=False)
]
#: ``--store`` was the events commands' name of ``--events-store`` (before 0.2): kept,
#: hidden, as a deprecated alias (see :func:`deprecated_alias`); it is not checked early.
LegacyEventsStore = Annotated[
    Path | None,
    typer.Option("--store", hidden=True, help="Deprecated name of --events-store."),
]


def deprecated_alias(value: T | None, old_value: T | None, *, new: str, old: str) -> T | None:
    """The value of option ``new``, or of its deprecated name ``old`` (with a warning).

    Giving both is refused with an :class:`~dyadscope.errors.InputError`.
    """
    if old_value is None:
        return value
    if value is not None:
        raise InputError(f"{old} is the old name of {new}; give {new} only")
    err_console.print(
        Text(f"Warning: {old} is deprecated here; use {new}", style="yellow"), highlight=False
    )
    return old_value


# --- output --------------------------------------------------------------------------------


def write_text(text: str, output: Path | None, *, announce: bool = False) -> None:
    """Write ``text`` to standard output, or atomically to ``output``.

    ``announce`` prints ``wrote PATH`` on standard error after writing a file.
    """
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(text, encoding="utf-8")
    if announce:
        err_console.print(f"wrote {output}", markup=False, highlight=False)


def write_json(payload: Any, output: Path | None) -> None:
    """Write ``payload`` as indented JSON (NaN refused: missing is ``null``)."""
    write_text(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n", output)


def frame_to_rich(df: pd.DataFrame, title: str | None = None, max_rows: int = 200) -> Table:
    """Render a data frame as a Rich table; missing values are shown as ``NA``."""
    table = Table(title=title, show_lines=False)
    for col in df.columns:
        justify: Literal["right", "left"] = (
            "right" if pd.api.types.is_numeric_dtype(df[col]) else "left"
        )
        table.add_column(str(col), justify=justify)
    for row in df.head(max_rows).itertuples(index=False):
        # Cells are data, never Rich markup: a value like "bad[red]" must print as is.
        table.add_row(*[Text(_fmt(v)) for v in row])
    if len(df) > max_rows:
        table.caption = f"{len(df) - max_rows} more rows not shown; use --format csv"
    return table


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "NA"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e3 else f"{value:,.0f}"
    return str(value)


def emit_frame(
    df: pd.DataFrame,
    fmt: OutputFormat,
    output: Path | None,
    *,
    title: str | None = None,
) -> None:
    """Write ``df`` in ``fmt`` to ``output`` (atomically) or to standard output.

    JSON is a list of records; missing values become ``null``, never 0.
    Parquet needs ``-o``.
    """
    if fmt is OutputFormat.table:
        if output is not None:
            write_text(df.to_string(index=False) + "\n", output)
            return
        console.print(frame_to_rich(df, title=title))
        return
    if fmt is OutputFormat.parquet:
        if output is None:
            raise InputError("--format parquet needs -o FILE (Parquet is not for a terminal)")
        with atomic_path(output) as tmp:
            df.to_parquet(tmp, index=False)
        return
    if fmt is OutputFormat.csv:
        text = df.to_csv(index=False, na_rep="NA")
    else:
        records = json.loads(df.to_json(orient="records", date_format="iso"))
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    write_text(text, output)


# --- parsing helpers (CLI strings to typed values) -----------------------------------------


def split_list(text: str | None) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``; None or blank -> ``[]``."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def find_pair_case(a: str, b: str, path: Path | None) -> Case:
    """:func:`dyadscope.case.find_case`, with the CLI's ``--case`` named when none is found."""
    from dyadscope.case import find_case
    from dyadscope.errors import UnknownCase

    try:
        return find_case(a, b, path=path)
    except UnknownCase as exc:
        if path is not None:
            raise
        raise UnknownCase(f"{exc} On the command line: --case PATH.") from None


def parse_day(text: str, option: str, *, end: bool = False) -> dt.date:
    """A day from ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; anything else is an InputError.

    A month or a year stands for its first day, or its last with ``end=True``.

    >>> parse_day("2019-01-31", "--from"), parse_day("2020-02", "--to", end=True)
    (datetime.date(2019, 1, 31), datetime.date(2020, 2, 29))
    >>> parse_day("2019", "--to", end=True)
    datetime.date(2019, 12, 31)
    """
    parts = text.strip().split("-")
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 3:
            return dt.date(*nums)
        if len(nums) == 2:
            first = dt.date(nums[0], nums[1], 1)
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1) if end else first
        if len(nums) == 1:
            return dt.date(nums[0], 12, 31) if end else dt.date(nums[0], 1, 1)
    except ValueError:
        pass
    raise InputError(
        f"{option} {text!r}: give a day as YYYY-MM-DD (or a month YYYY-MM, a year YYYY), "
        "e.g. 2019-01-31"
    )
