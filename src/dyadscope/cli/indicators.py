"""CLI commands: ``indicators``, ``dyad-years`` and ``unga agreement``.

Each handler parses its options, calls one function of :mod:`dyadscope.indicators`
and prints the frame; notes explaining NAs go to standard error.
"""

from __future__ import annotations

import enum
from pathlib import Path

import pandas as pd
import typer

from dyadscope.cli._common import (
    CountryA,
    CountryB,
    FormatOpt,
    FromYear,
    OutputFormat,
    OutputOpt,
    StoreOpt,
    ToYear,
    console,
    emit_frame,
    err_console,
    handle_errors,
    split_list,
)
from dyadscope.cli._common import frame_to_rich as _rich
from dyadscope.data.store import open_store


class TradeSourceChoice(enum.StrEnum):
    """Where trade figures come from."""

    auto = "auto"
    cow = "cow"
    dots = "dots"


_ONLY = typer.Option(
    None,
    "--only",
    help="Comma-separated families (capability, trade, unga, arms, alliances, geography, "
    "mids, igos) or indicator ids; default: all.",
)
_PERIODS = typer.Option(
    None,
    "--periods",
    min=1,
    help="Sum trade and arms flows over N-year periods starting at years divisible by N "
    "(shares from the summed flows; a period with a missing year is NA). Other families "
    "stay annual.",
)


class AlignChoice(enum.StrEnum):
    """Where N-year periods start (typer needs an enum for a choice)."""

    start = "start"
    latest = "latest"


_ALIGN = typer.Option(
    AlignChoice.start,
    "--align",
    help="With --periods: 'start' starts periods at years divisible by N; 'latest' ends the "
    "last period at the data's latest year (SIPRI's convention, e.g. 2020-24); a partial "
    "period is reported with the years it covers.",
)
_TRADE = typer.Option(
    TradeSourceChoice.auto,
    "--trade-source",
    help="Trade data: auto (DOTS where it covers the dyad, COW before), cow or dots.",
)


def _only(text: str | None) -> list[str] | None:
    return split_list(text) or None


def _print_notes(frame: pd.DataFrame) -> None:
    for note in frame.attrs.get("notes", []):
        err_console.print(f"[yellow]Note:[/] {note}", highlight=False)


def _print_families(wide: pd.DataFrame, sources: dict[str, str], periods: int | None) -> None:
    """One Rich table per family, titled with the dyad, its source under it."""
    from dyadscope.indicators import FAMILIES, family_frames

    dyads = wide[["a", "b"]].drop_duplicates()
    single = len(dyads) == 1
    dyad = "-".join(dyads.iloc[0]) if single else "both directions"
    for name, part in family_frames(wide, periods).items():
        label = "; ".join(dict.fromkeys(s for i in FAMILIES[name].ids if (s := sources.get(i))))
        table = _rich(part.drop(columns=["a", "b"]) if single else part, title=f"{name}, {dyad}")
        table.caption = f"source: {label}"
        console.print(table)


def _emit(
    frame: pd.DataFrame,
    wide: pd.DataFrame,
    fmt: OutputFormat,
    output: Path | None,
    periods: int | None,
) -> None:
    if fmt is OutputFormat.table and output is None:
        sources = dict(zip(frame["indicator"], frame["source"], strict=False))
        _print_families(wide, sources, periods)
    else:
        emit_frame(frame, fmt, output)
    _print_notes(frame)


def register(app: typer.Typer) -> None:
    """Add the ``indicators`` and ``dyad-years`` commands and the ``unga`` group."""

    @app.command("indicators")
    @handle_errors
    def indicators_cmd(
        a: CountryA,
        b: CountryB,
        start: FromYear = 1992,
        end: ToYear = 2020,
        only: str | None = _ONLY,
        periods: int | None = _PERIODS,
        align: AlignChoice = _ALIGN,
        trade_source: TradeSourceChoice = _TRADE,
        store: StoreOpt = None,
        fmt: FormatOpt = OutputFormat.table,
        output: OutputOpt = None,
    ) -> None:
        """Dyad-year indicators for A and B (tidy: a, b, year, indicator, value, source).

        Example: dyadscope indicators RUS CHN --from 2010 --to 2014 --only trade,arms
        --periods 5
        """
        from dyadscope.indicators import compute, to_wide

        frame = compute(
            open_store(store),
            a,
            b,
            start,
            end,
            only=_only(only),
            periods=periods,
            align=align.value,
            trade_source=trade_source.value,
        )
        _emit(frame, to_wide(frame), fmt, output, periods)

    @app.command("dyad-years")
    @handle_errors
    def dyad_years_cmd(
        a: CountryA,
        b: CountryB,
        start: FromYear = 1992,
        end: ToYear = 2020,
        directed: bool = typer.Option(
            False, "--directed", help="Both directed dyads, (A, B) and (B, A), one row each."
        ),
        only: str | None = _ONLY,
        periods: int | None = _PERIODS,
        align: AlignChoice = _ALIGN,
        trade_source: TradeSourceChoice = _TRADE,
        store: StoreOpt = None,
        fmt: FormatOpt = OutputFormat.table,
        output: OutputOpt = None,
    ) -> None:
        """A peacesciencer-style dyad-year table: one row per year, one column per indicator.

        Example: dyadscope dyad-years RUS CHN --from 2000 --to 2014 --directed --format csv
        """
        from dyadscope.indicators import dyad_years

        wide = dyad_years(
            open_store(store),
            a,
            b,
            start,
            end,
            directed,
            only=_only(only),
            periods=periods,
            align=align.value,
            trade_source=trade_source.value,
        )
        if fmt is OutputFormat.table and output is None:
            _print_families(wide, wide.attrs.get("sources", {}), periods)
        else:
            emit_frame(wide, fmt, output)
        _print_notes(wide)

    unga_app = typer.Typer(
        help="Whole-system views of UN General Assembly voting.", no_args_is_help=True
    )

    @unga_app.command("agreement")
    @handle_errors
    def agreement_cmd(
        year: int = typer.Option(..., "--year", help="Calendar year of the roll calls."),
        store: StoreOpt = None,
        fmt: FormatOpt = OutputFormat.table,
        output: OutputOpt = None,
    ) -> None:
        """Vote agreement (n, same-vote share, Cohen's kappa) for every pair of states.

        Example: dyadscope unga agreement --year 2019 --format csv -o agreement_2019.csv
        """
        from dyadscope.indicators import unga_agreement_matrix

        frame = unga_agreement_matrix(open_store(store), year)
        emit_frame(frame, fmt, output, title=f"UNGA agreement, {year}")

    app.add_typer(unga_app, name="unga")
