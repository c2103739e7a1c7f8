"""CLI commands for event data at scale: ``dyadscope events fetch | synth | compare``.

The core events module (``cli/events.py``) calls :func:`register_scale_commands` on
its ``events`` sub-app.  Each handler parses its options, calls one library
function (:func:`~dyadscope.events.fetch.fetch_gdelt`,
:func:`~dyadscope.events.synth.synthesize`,
:func:`~dyadscope.events.compare.compare_sources`) and prints the result.
"""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dyadscope.cli._common import (
    CountryA,
    CountryB,
    EventsStoreOpt,
    EventsStoreTarget,
    FormatOpt,
    FromDay,
    LegacyEventsStore,
    OutputFormat,
    OutputOpt,
    ToDay,
    console,
    deprecated_alias,
    emit_frame,
    handle_errors,
    parse_day,
    progress_bar,
)

if TYPE_CHECKING:
    from dyadscope.events.ingest import Progress as IngestProgress


class GdeltVersion(enum.StrEnum):
    """GDELT versions dyadscope can fetch or imitate."""

    v1 = "1"
    v2 = "2"


def _moment(value: str, option: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not YYYY-MM-DD[THH:MM]", param_hint=option
        ) from None


@handle_errors
def fetch_command(
    start: FromDay,
    end: ToDay,
    gdelt: GdeltVersion = typer.Option(
        ..., "--gdelt", help="GDELT version: 1 (daily) or 2 (15-minute)."
    ),
    dest: Path | None = typer.Option(
        None, "--dest", help="Folder for the zip files (default: $DYADSCOPE_HOME/gdelt/v1|v2)."
    ),
    events_store: EventsStoreTarget = None,
    base_url: str | None = typer.Option(
        None, "--base-url", help="Folder holding the file list(s) and files (default: GDELT's)."
    ),
    no_ingest: bool = typer.Option(False, "--no-ingest", help="Download and verify only."),
    store: LegacyEventsStore = None,
) -> None:
    """Download GDELT event files from the official list (MD5-checked, resumed) and ingest them."""
    from dyadscope.events.fetch import fetch_gdelt

    with progress_bar(remaining=True) as progress:
        task = progress.add_task("fetching", total=None)
        ingesting = progress.add_task("ingest", total=None, visible=False)

        def advance(done: int, total: int, name: str, status: str) -> None:
            progress.update(task, completed=done, total=total, description=f"{name}: {status}")

        def ingested(p: IngestProgress) -> None:
            progress.update(
                ingesting, completed=p.done, total=p.total, visible=True,
                description=f"ingest {p.file}: {p.status}",
            )  # fmt: skip

        result = fetch_gdelt(
            int(gdelt.value),  # type: ignore[arg-type]
            parse_day(start, "--from"),
            parse_day(end, "--to", end=True),
            dest=dest,
            store_dir=deprecated_alias(events_store, store, new="--events-store", old="--store"),
            base_url=base_url,
            ingest=not no_ingest,
            on_file=advance,
            on_ingest=ingested,
        )
    counts = result.files["status"].value_counts()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    console.print(f"{len(result.files)} files ({summary}) in {result.dest}", highlight=False)
    if result.ingest is not None:
        shown = result.ingest.to_frame()
        columns = ["file", "status", "rows_read", "rows_stored", "duplicates", "quarantined"]
        emit_frame(
            shown[columns], OutputFormat.table, None, title=f"ingest into {result.store_dir}"
        )
    if len(result.failed):
        emit_frame(result.failed[["name", "detail"]], OutputFormat.table, None, title="Failed")
        raise typer.Exit(code=1)


@handle_errors
def synth_command(
    rows: int = typer.Option(..., "--rows", help="Number of synthetic events to write."),
    gdelt: GdeltVersion = typer.Option(
        GdeltVersion.v2, "--gdelt", help="Layout: 2 (61 columns, 15-min files) or 1 (58, daily)."
    ),
    dest: Path | None = typer.Option(None, "--dest", help="Folder to write the raw files into."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same files."),
    rows_per_file: int | None = typer.Option(
        None, "--rows-per-file", help="Rows per file (default: 1,500–3,000 like real exports)."
    ),
    start: str = typer.Option(
        "2019-01-01", "--start", help="Time stamp of the first file, YYYY-MM-DD[THH:MM]."
    ),
    zipped: bool = typer.Option(False, "--zip", help="Write .CSV.zip files, as GDELT serves them."),
    bad_fraction: float = typer.Option(
        0.0, "--bad-fraction", help="Share of lines made malformed on purpose (quarantine tests)."
    ),
    duplicate_fraction: float = typer.Option(
        0.0, "--duplicate-fraction", help="Share of lines repeating an earlier GLOBALEVENTID."
    ),
    old_output: Annotated[
        Path | None,
        typer.Option("--output", "-o", hidden=True, help="Deprecated name of --dest."),
    ] = None,
) -> None:
    """Write raw GDELT files statistically like real exports, for benchmarks and scale tests."""
    from dyadscope.errors import InputError
    from dyadscope.events.synth import synthesize

    output = deprecated_alias(dest, old_output, new="--dest", old="-o/--output")
    if output is None:
        raise InputError("give --dest FOLDER: the folder to write the raw files into")

    result = synthesize(
        rows,
        output,
        gdelt=int(gdelt.value),  # type: ignore[arg-type]
        seed=seed,
        rows_per_file=rows_per_file,
        start=_moment(start, "--start"),
        zipped=zipped,
        bad_fraction=bad_fraction,
        duplicate_fraction=duplicate_fraction,
    )
    faults = ""
    if result.bad_rows or result.duplicate_rows:
        faults = f"; {result.bad_rows:,} malformed, {result.duplicate_rows:,} repeated ids"
    console.print(
        f"wrote {result.rows:,} events in {len(result.files):,} GDELT {result.version}.0 files "
        f"to {output} (seed {result.seed}{faults})",
        highlight=False,
    )


@handle_errors
def compare_command(
    a: CountryA,
    b: CountryB,
    other: str = typer.Option(
        "icews", "--with", help="The event source to set beside GDELT: icews."
    ),
    events_store: EventsStoreOpt = None,
    directed: bool = typer.Option(False, "--directed", help="Only events from A to B."),
    engine: str = typer.Option("duckdb", "--engine", help="Events engine: duckdb or spark."),
    spark_master: str | None = typer.Option(
        None, "--spark-master", help="Spark master URL for --engine spark (default local[*])."
    ),
    min_months: int = typer.Option(
        1,
        "--min-months",
        help="Leave out years with GDELT events in fewer months (12: whole years).",
    ),
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    summary: bool = typer.Option(
        False, "--summary", help="With csv/json/parquet: output the correlations, not the years."
    ),
    store: LegacyEventsStore = None,
) -> None:
    """Yearly QuadClass counts from GDELT beside another source, with correlations per category."""
    from dyadscope.data.countries import resolve
    from dyadscope.events.compare import compare_sources

    result = compare_sources(
        resolve(a),
        resolve(b),
        other=other,
        store_dir=deprecated_alias(events_store, store, new="--events-store", old="--store"),
        directed=directed,
        engine=engine,
        engine_options={"master": spark_master} if spark_master else {},
        min_months=min_months,
    )
    title = f"{result.a}–{result.b}: GDELT vs {result.other.upper()}"
    if fmt is OutputFormat.table and output is None:
        emit_frame(result.years, fmt, None, title=f"{title}, by year")
        emit_frame(
            result.summary,
            fmt,
            None,
            title=f"{title}, correlations over {len(result.common_years)} common years",
        )
        return
    emit_frame(result.summary if summary else result.years, fmt, output, title=title)


def register_scale_commands(events_app: typer.Typer) -> None:
    """Add ``fetch``, ``synth`` and ``compare`` to the ``events`` sub-app."""
    events_app.command("fetch")(fetch_command)
    events_app.command("synth")(synth_command)
    events_app.command("compare")(compare_command)
