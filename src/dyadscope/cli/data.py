"""CLI commands: ``dyadscope data list | fetch | load | cite``.

Each handler parses its options, calls one function of :mod:`dyadscope.data` and
prints the result.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from dyadscope.cli._common import (
    FormatOpt,
    OutputFormat,
    OutputOpt,
    StoreOpt,
    console,
    emit_frame,
    handle_errors,
)

data_app = typer.Typer(
    help="List, fetch, load and cite the datasets behind dyadscope's numbers.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def _store_path(store: Path | None) -> Path:
    from dyadscope.data.store import default_store_path

    return store if store is not None else default_store_path()


@data_app.command("list")
@handle_errors
def list_datasets(
    store: StoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """List every dataset: version, rows, coverage, source, and vendored or loaded."""
    from dyadscope.data.catalog import catalog

    frame = catalog(_store_path(store))
    if fmt is OutputFormat.table:
        frame = frame.drop(columns=["table", "origin"])
    emit_frame(frame, fmt, output, title="dyadscope datasets")


@data_app.command("fetch")
@handle_errors
def fetch(
    dataset: str = typer.Argument(..., help="Dataset name, as in 'dyadscope data list'."),
    dest: Path = typer.Option(Path("."), "--dest", help="Folder to download into."),
    url: str | None = typer.Option(None, "--url", help="Download from this URL instead."),
    sha256: str | None = typer.Option(
        None, "--sha256", help="Expected SHA-256 of the file (default: the published one, if any)."
    ),
    deadline: float | None = typer.Option(
        None, "--deadline", min=1.0, help="Give up after this many seconds in all (default 3600)."
    ),
) -> None:
    """Download a dataset's full upstream file (resumable, retried, verified).

    The file is checked against the provider's published checksum when there is one
    (or --sha256) and always against the length the server announces; HTML pages are
    refused.
    """
    from dyadscope.data.fetch import DOWNLOAD_DEADLINE, fetch_dataset

    limit = DOWNLOAD_DEADLINE if deadline is None else deadline
    path = fetch_dataset(dataset, dest, url=url, sha256=sha256, deadline=limit)
    console.print(Text(f"downloaded {dataset} to {path}"))


@data_app.command("load")
@handle_errors
def load(
    dataset: str = typer.Argument(..., help="Dataset name, as in 'dyadscope data list'."),
    file: Path = typer.Option(..., "--file", help="The data file you already have (CSV, .gz)."),
    store: StoreOpt = None,
) -> None:
    """Check a file and load it into the store; on any error the store is left unchanged."""
    from dyadscope.data.store import load_into

    target = _store_path(store)
    prov = load_into(dataset, file, target)
    years = f", {prov.first_year}–{prov.last_year}" if prov.first_year is not None else ""
    console.print(
        Text(f"loaded {prov.dataset} into table {prov.table}: {prov.rows} rows{years} ({target})")
    )


@data_app.command("cite")
@handle_errors
def cite(
    datasets: list[str] | None = typer.Argument(
        None, help="Dataset names; all datasets when none are given."
    ),
) -> None:
    """Print the citation of each dataset (paste them into your references)."""
    from dyadscope.data.registry import cite as cite_datasets

    for line in cite_datasets(datasets or None):
        console.print(Text(f"- {line}"))


def register(app: typer.Typer) -> None:
    """Add the ``data`` command group to the main app."""
    app.add_typer(data_app, name="data")
