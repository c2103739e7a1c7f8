"""CLI commands ``dyadscope data update`` and ``dyadscope data coverage``.

They join the ``data`` group defined in ``cli/data.py``.  Handlers parse options, call
:func:`dyadscope.data.update.update` or :func:`dyadscope.indicators.coverage_report.coverage`, and
print; the download progress is shown here (Rich), never by the library.
"""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from dyadscope.cli._common import (
    CountryA,
    CountryB,
    FormatOpt,
    OutputFormat,
    OutputOpt,
    StoreOpt,
    console,
    emit_frame,
    err_console,
    handle_errors,
)

_TABLE_COLUMNS = ["provider", "table", "status", "version_new", "rows_new", "rows_added"]


def _base_urls(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, url = item.partition("=")
        if not sep or not name.strip() or not url.strip():
            raise typer.BadParameter(f"--base-url {item!r}: write PROVIDER=URL, e.g. imf=http://…")
        from dyadscope.data.update import resolve_provider

        out[resolve_provider(name).name] = url.strip()
    return out


def status_column() -> TextColumn:
    """The progress column that shows the provider's latest message, never as markup.

    A message such as ``bad[red]`` (an address or a server's reply) prints as is.
    """
    return TextColumn("{task.description}", markup=False)


@handle_errors
def update_command(
    datasets: list[str] | None = typer.Argument(
        None,
        help="Providers or tables to refresh (imf, worldbank, undl, sipri, milex, gdelt, "
        "comtrade; or dots, wb_gdp, unga_votes …). Default: every provider but comtrade.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Fetch and check, then say what would change; write nothing."
    ),
    store: StoreOpt = None,
    base_url: list[str] | None = typer.Option(
        None,
        "--base-url",
        help="PROVIDER=URL: ask another address (a mirror, a test server). Repeatable.",
    ),
    country: list[str] | None = typer.Option(
        None, "--country", help="Reporter for the trade providers (imf, comtrade). Repeatable."
    ),
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    list_only: bool = typer.Option(
        False, "--list", help="List the providers, their tables and address variables."
    ),
) -> None:
    """Bring the newest release from each provider's official interface into the store."""
    from dyadscope.data.store import default_store_path
    from dyadscope.data.update import changes_frame, providers, update

    if list_only:
        emit_frame(providers(), fmt, output, title="live providers")
        return
    target = store if store is not None else default_store_path()
    urls = _base_urls(base_url)
    with Progress(
        SpinnerColumn(),
        status_column(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("starting", total=None)

        def report(message: str) -> None:
            # A provider's message is text, never Rich markup.
            progress.update(task, description=escape(message[:150]))

        changes = update(
            target,
            datasets or None,
            dry_run=dry_run,
            base_urls=urls,
            countries=country,
            report=report,
        )
    frame = changes_frame(changes)
    shown = frame
    if fmt is OutputFormat.table:
        shown = frame[_TABLE_COLUMNS].assign(
            status=frame["status"].str.split(": ").str[0],
            years=frame["first_year_new"].astype("string")
            + "–"
            + frame["last_year_new"].astype("string"),
        )
    title = "dry run: nothing written" if dry_run else f"update of {target}"
    emit_frame(shown, fmt, output, title=title)
    if fmt is OutputFormat.table and output is None:
        for _, row in frame.iterrows():
            detail = row["status"].partition(": ")[2]
            for text in (detail, row["note"]):
                if text and not row["status"].startswith("failed"):
                    console.print(Text(f"{row['provider']}/{row['table']}: {text}"))
    failed = frame[frame["status"].str.startswith("failed")]
    for _, row in failed.iterrows():
        err_console.print(Text(f"{row['provider']}: {row['status']}", style="red"))
    if len(failed):
        raise typer.Exit(code=1)


@handle_errors
def coverage_command(
    a: CountryA,
    b: CountryB,
    store: StoreOpt = None,
    trade_source: str = typer.Option(
        "cow", "--trade-source", help="Trade indicators from 'cow' or 'dots' (IMF)."
    ),
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Per indicator: years with data for the dyad, source, release, stale flag, refresh command."""
    from dyadscope.data.vendored import open_store
    from dyadscope.indicators.coverage_report import coverage

    db = open_store(store)
    try:
        frame = coverage(db, a, b, trade_source=trade_source)
    finally:
        db.close()
    if fmt is OutputFormat.table:
        table = frame[["indicator", "first_year", "last_year", "stale", "release", "refresh"]]
        emit_frame(table, fmt, output, title=f"coverage {a}-{b} (stale: last year < today - 3)")
        return
    emit_frame(frame, fmt, output)


def register(app: typer.Typer) -> None:
    """Add ``update`` and ``coverage`` to the ``data`` command group."""
    from dyadscope.cli.data import data_app

    data_app.command("update")(update_command)
    data_app.command("coverage")(coverage_command)
