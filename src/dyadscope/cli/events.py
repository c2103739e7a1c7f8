"""CLI commands: ``dyadscope events ingest | series | top | status | check-table``.

Each handler parses its options, calls one function of :mod:`dyadscope.events`
and prints the result.  The scale commands (``fetch``, ``synth``, ``compare``)
are added from ``cli/events_scale.py`` when that module is present.
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from dyadscope.cli._common import (
    CountryA,
    CountryB,
    EventsStoreOpt,
    EventsStoreTarget,
    FormatOpt,
    FromDayOrFirst,
    LegacyEventsStore,
    OutputFormat,
    OutputOpt,
    ToDayOrLast,
    console,
    deprecated_alias,
    emit_frame,
    err_console,
    handle_errors,
    parse_day,
)

events_app = typer.Typer(
    help="Ingest GDELT event files and measure a dyad's cooperation and conflict over time.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


class Freq(enum.StrEnum):
    """Period of a series."""

    month = "month"
    quarter = "quarter"
    year = "year"


#: Columns shown by a series printed as a terminal table (csv/json/parquet have all,
#: including root_01 … root_20).
TABLE_SERIES_COLUMNS = (
    "period",
    "events",
    "events_share",
    "goldstein_mean",
    "coop_share",
    "conflict_index",
)


def _country(text: str) -> str:
    from dyadscope.data.countries import resolve

    return resolve(text)


def _store(events_store: Path | None, store: Path | None) -> Path | None:
    return deprecated_alias(events_store, store, new="--events-store", old="--store")


@events_app.command("ingest")
@handle_errors
def ingest_command(
    inputs: list[Path] = typer.Argument(
        ..., help="GDELT files (.CSV, .zip, .gz; raw or with a header) or folders of them."
    ),
    events_store: EventsStoreTarget = None,
    store: LegacyEventsStore = None,
) -> None:
    """Store GDELT events as Parquet (by year/month); re-ingesting a file adds nothing."""
    from dyadscope.events.ingest import Progress as IngestProgress
    from dyadscope.events.ingest import ingest

    bar_columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*bar_columns, TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def show(p: IngestProgress) -> None:
            bar.update(task, total=p.total, completed=p.done, description=f"{p.file}: {p.status}")

        report = ingest(inputs, _store(events_store, store), progress=show)
    columns_shown = ["file", "status", "rows_read", "rows_stored", "duplicates", "quarantined"]
    shown = report.to_frame()[columns_shown]
    emit_frame(shown, OutputFormat.table, None, title="ingest")
    disagree = sum(f.goldstein_disagree + f.quadclass_disagree for f in report.files)
    if disagree:
        console.print(
            f"{disagree} row(s) read have a Goldstein value or QuadClass that disagrees with "
            "the official CAMEO table (see `dyadscope events status`)"
        )
    quarantined = sum(f.quarantined for f in report.files)
    if quarantined:
        console.print(
            f"{quarantined} malformed row(s) written to {report.store_dir / 'quarantine'}"
        )
    for failed in report.failed:
        err_console.print(Text("failed: ", style="bold red") + Text(str(failed.error)))
    console.print(f"store: {report.store_dir}", highlight=False)
    if report.failed:
        raise typer.Exit(code=1)


@events_app.command("series")
@handle_errors
def series_command(
    a: CountryA,
    b: CountryB,
    freq: Freq = typer.Option(Freq.month, "--freq", help="Period: month, quarter or year."),
    directed: bool = typer.Option(
        False, "--directed", help="Only events with A as Actor1 and B as Actor2."
    ),
    actor_type: list[str] | None = typer.Option(
        None,
        "--actor-type",
        help="Keep events where both actors have this CAMEO type (e.g. GOV); repeatable.",
    ),
    root_only: bool = typer.Option(
        False, "--root-only", help="Only root events (GDELT's IsRootEvent = 1)."
    ),
    start: FromDayOrFirst = None,
    end: ToDayOrLast = None,
    events_store: EventsStoreOpt = None,
    engine: str = typer.Option("duckdb", "--engine", help="Engine: duckdb (default) or spark."),
    spark_master: str | None = typer.Option(
        None, "--spark-master", help="Spark master URL for --engine spark (default local[*])."
    ),
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    store: LegacyEventsStore = None,
    old_start: Annotated[
        str | None, typer.Option("--start", hidden=True, help="Deprecated name of --from.")
    ] = None,
    old_end: Annotated[
        str | None, typer.Option("--end", hidden=True, help="Deprecated name of --to.")
    ] = None,
) -> None:
    """Dyad series: counts, share of all events, Goldstein, QuadClass and root-code counts."""
    import dyadscope.events as ev

    first = deprecated_alias(start, old_start, new="--from", old="--start")
    last = deprecated_alias(end, old_end, new="--to", old="--end")
    code_a, code_b = _country(a), _country(b)
    frame = ev.series(
        _store(events_store, store),
        code_a,
        code_b,
        freq=freq.value,
        directed=directed,
        start=None if first is None else parse_day(first, "--from"),
        end=None if last is None else parse_day(last, "--to", end=True),
        actor_types=tuple(actor_type or ()),
        root_only=root_only,
        engine=engine,
        **({"master": spark_master} if spark_master else {}),
    )
    if fmt is OutputFormat.table and output is None:
        frame = frame[[c for c in frame.columns if c in TABLE_SERIES_COLUMNS]]
    emit_frame(frame, fmt, output, title=f"{code_a}–{code_b} events by {freq.value}")


@events_app.command("top")
@handle_errors
def top_command(
    a: CountryA,
    b: CountryB,
    month: str = typer.Option(..., "--month", help="Month as YYYY-MM, e.g. 2014-05."),
    n: int = typer.Option(10, "--n", help="How many events to list."),
    directed: bool = typer.Option(False, "--directed", help="Only A as Actor1 and B as Actor2."),
    events_store: EventsStoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    store: LegacyEventsStore = None,
) -> None:
    """The month's most-mentioned events of the dyad, with their source URLs."""
    from dyadscope.events.top import top_events

    frame = top_events(
        _store(events_store, store), _country(a), _country(b), month, n=n, directed=directed
    )
    if fmt is not OutputFormat.table or output is not None:
        emit_frame(frame, fmt, output, title=f"top events {month}")
        return
    if frame.empty:
        console.print(f"no {a.upper()}–{b.upper()} events stored for {month}", highlight=False)
    for row in frame.itertuples(index=False):
        head = (
            f"{row.event_date}  {row.actor1_iso3}→{row.actor2_iso3}  {row.event_code} "
            f"{row.event}  ({row.num_mentions} mentions, Goldstein {row.goldstein_scale})"
        )
        console.print(Text(head), Text(f"    {row.source_url}"), sep="\n")


@events_app.command("status")
@handle_errors
def status_command(
    events_store: EventsStoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    store: LegacyEventsStore = None,
) -> None:
    """The ingest manifest: each file's checksum, rows read/stored/duplicate/quarantined."""
    from dyadscope.events.catalog import manifest, resolve_store_dir

    folder = resolve_store_dir(_store(events_store, store))
    frame = manifest(folder)
    if frame.empty:
        console.print(f"nothing ingested in {folder}", highlight=False)
        return
    if fmt is OutputFormat.table:
        frame = frame.drop(columns=["file_path", "sha256", "size_bytes", "quarantine_file"])
    emit_frame(frame, fmt, output, title="ingested files")


@events_app.command("check-table")
@handle_errors
def check_table_command(
    path: Path = typer.Argument(..., help="A Goldstein table (TSV with a header, or JSON)."),
) -> None:
    """Compare a CAMEO Goldstein table with the official one; fail naming codes that differ."""
    from dyadscope.events.cameo import check_goldstein_table

    result = check_goldstein_table(path)
    console.print(
        f"{path}: all {result.shared} shared codes agree with the official Goldstein scale "
        f"({len(result.only_official)} official codes missing, {len(result.only_theirs)} extra)",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add the ``events`` command group (and the scale commands when present)."""
    names = {c.name for c in events_app.registered_commands}
    if "fetch" not in names and importlib.util.find_spec("dyadscope.cli.events_scale"):
        scale = importlib.import_module("dyadscope.cli.events_scale")
        scale.register_scale_commands(events_app)
    app.add_typer(events_app, name="events")
