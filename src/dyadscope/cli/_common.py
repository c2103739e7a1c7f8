"""Helpers shared by the CLI command modules: output formats and error handling."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dyadscope._io import atomic_path
from dyadscope.errors import DyadscopeError

# Messages are never word-wrapped: a path or a ``file:line`` split across two lines
# cannot be copied or grepped, and its wrapping would depend on the terminal's width.
# Tables and other renderables still fit the terminal.
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(enum.StrEnum):
    """Formats a tabular result can be written in."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def handle_errors(func: F) -> F:
    """Turn the library's named exceptions into a red message and an exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DyadscopeError as exc:
            err_console.print(Text("Error: ", style="bold red") + Text(str(exc)), highlight=False)
            raise typer.Exit(code=exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def frame_to_rich(df: pd.DataFrame, title: str | None = None, max_rows: int = 200) -> Table:
    """Render a data frame as a Rich table; missing values are shown as ``NA``."""
    table = Table(title=title, show_lines=False)
    for col in df.columns:
        justify = "right" if pd.api.types.is_numeric_dtype(df[col]) else "left"
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
            with atomic_path(output) as tmp:
                tmp.write_text(df.to_string(index=False) + "\n", encoding="utf-8")
            return
        console.print(frame_to_rich(df, title=title))
        return
    if fmt is OutputFormat.parquet:
        if output is None:
            raise typer.BadParameter("--format parquet needs -o FILE")
        with atomic_path(output) as tmp:
            df.to_parquet(tmp, index=False)
        return
    if fmt is OutputFormat.csv:
        text = df.to_csv(index=False, na_rep="NA")
    else:
        records = json.loads(df.to_json(orient="records", date_format="iso"))
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        with atomic_path(output) as tmp:
            tmp.write_text(text, encoding="utf-8")
