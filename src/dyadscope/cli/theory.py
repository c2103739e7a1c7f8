"""CLI commands: ``theory power|threat|interdependence|game|external``.

Each handler parses its options, calls one engine of :mod:`dyadscope.theory` and
prints the result: Rich tables plus the model's assumptions (``--format table``),
the whole result as JSON (``--format json``), or the main table as CSV/Parquet.
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dyadscope._io import atomic_path
from dyadscope.cli._common import OutputFormat, console, emit_frame, frame_to_rich, handle_errors
from dyadscope.data.store import open_store
from dyadscope.errors import InputError

if TYPE_CHECKING:
    from dyadscope.theory._common import TheoryResult

theory_app = typer.Typer(
    help="Theory engines: balance of power and threat, interdependence, alliance game, "
    "and the externally-driven test.",
    no_args_is_help=True,
)

_A = typer.Argument(..., help="State A: ISO3 code (any case), e.g. RUS.")
_B = typer.Argument(..., help="State B: ISO3 code (any case), e.g. CHN.")
_STORE = typer.Option(
    None, "--store", help="A DuckDB store made with `dyadscope data load` (default: vendored data)."
)
_EVENTS = typer.Option(
    None, "--events-store", help="A GDELT events store folder (made by `dyadscope events ingest`)."
)
_FORMAT = typer.Option(
    OutputFormat.table,
    "--format",
    "-f",
    help="table or json (the whole result); csv/parquet write the main table only.",
)
_OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file (atomically).")


class InfoCriterion(enum.StrEnum):
    """Information criteria for the VAR lag order."""

    aic = "aic"
    bic = "bic"


def _codes(text: str, option: str) -> list[str]:
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    if not codes:
        raise InputError(f"{option}: give comma-separated ISO3 codes, e.g. USA,RUS,CHN")
    return codes


def _emit(result: TheoryResult, fmt: OutputFormat, output: Path | None, title: str) -> None:
    """Print or write a theory result in ``fmt``."""
    if fmt is OutputFormat.json:
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            with atomic_path(output) as tmp:
                tmp.write_text(text, encoding="utf-8")
        return
    if fmt is not OutputFormat.table or output is not None:
        emit_frame(result.frame, fmt, output, title=title)
        return
    for key, value in result.scalars().items():
        if key != "caveats":
            console.print(f"[bold]{key}[/]: {value}", highlight=False)
    for name, frame in result.frames().items():
        if not frame.empty:
            console.print(frame_to_rich(frame, title=f"{title}: {name}", max_rows=60))
    lines = getattr(result, "summary_lines", None)
    for line in lines() if callable(lines) else []:
        console.print(line, highlight=False, markup=False)
    console.print("[bold]Assumptions[/]")
    for item in result.assumptions:
        console.print(f"  - {item}", highlight=False, markup=False)


@theory_app.command("power")
@handle_errors
def power(
    start: int = typer.Option(1946, "--from", help="First year (inclusive)."),
    end: int = typer.Option(None, "--to", help="Last year (default: last year of NMC)."),
    coalition: str = typer.Option("RUS,CHN", "--coalition", help="States whose CINC is summed."),
    rival: str = typer.Option("USA", "--rival", help="The state the coalition is compared with."),
    store: Path = _STORE,
    fmt: OutputFormat = _FORMAT,
    output: Path = _OUTPUT,
) -> None:
    """Major-power CINC shares, Ray–Singer concentration, polarity, coalition vs rival."""
    from dyadscope.theory.power import balance_of_power

    res = balance_of_power(
        open_store(store), start, end, coalition=_codes(coalition, "--coalition"), rival=rival
    )
    _emit(res, fmt, output, "Balance of power")


@theory_app.command("threat")
@handle_errors
def threat(
    year: int = typer.Option(..., "--year", help="Year to score, e.g. 2014."),
    states: str = typer.Option(
        None, "--states", help="Comma-separated ISO3 codes (default: USA,RUS,CHN,IND,JPN)."
    ),
    weights: str = typer.Option(
        None,
        "--weights",
        help="Criterion weights, e.g. power=1,proximity=1,capability=1,intentions=2 "
        "(default equal).",
    ),
    events_store: Path = _EVENTS,
    store: Path = _STORE,
    fmt: OutputFormat = _FORMAT,
    output: Path = _OUTPUT,
) -> None:
    """Walt's four criteria, threat scores, threat matrix and predicted alignment."""
    from dyadscope.theory.threat import balance_of_threat

    res = balance_of_threat(
        open_store(store),
        year,
        _codes(states, "--states") if states else None,
        weights,
        events_store,
    )
    _emit(res, fmt, output, f"Balance of threat {year}")


@theory_app.command("interdependence")
@handle_errors
def interdependence_cmd(
    a: str = _A,
    b: str = _B,
    start: int = typer.Option(1992, "--from", help="First year (inclusive)."),
    end: int = typer.Option(2014, "--to", help="Last year (inclusive; COW trade ends in 2014)."),
    store: Path = _STORE,
    fmt: OutputFormat = _FORMAT,
    output: Path = _OUTPUT,
) -> None:
    """Sensitivity, vulnerability and leverage of A and B (Keohane & Nye)."""
    from dyadscope.theory.interdependence import interdependence

    res = interdependence(open_store(store), a, b, start, end)
    _emit(res, fmt, output, f"Interdependence {res.a}-{res.b}")


@theory_app.command("game")
@handle_errors
def game(
    payoffs: str = typer.Option(
        None, "--payoffs", help="T,R,P,S with T > R > P > S and 2R > T + S, e.g. 5,3,1,0."
    ),
    case: str = typer.Option(
        None,
        "--case",
        help="Derive payoffs from a case: a case YAML file, or a pair like RUS,CHN.",
    ),
    turns: int = typer.Option(200, "--turns", min=1, help="Turns per match."),
    repetitions: int = typer.Option(5, "--repetitions", min=1, help="Repetitions per match."),
    seed: int = typer.Option(1, "--seed", help="Random seed (same seed, same tournament)."),
    fmt: OutputFormat = _FORMAT,
    output: Path = _OUTPUT,
) -> None:
    """Iterated prisoner's dilemma: δ*, its sensitivity, and a strategy tournament."""
    from dyadscope.theory.games import alliance_game

    loaded = None
    if case is not None:
        from dyadscope.case import find_case, load_case

        loaded = load_case(Path(case)) if Path(case).is_file() else find_case(*_pair(case))
    res = alliance_game(payoffs, loaded, turns=turns, repetitions=repetitions, seed=seed)
    _emit(res, fmt, output, "Alliance game")


def _pair(text: str) -> tuple[str, str]:
    codes = _codes(text, "--case")
    if len(codes) != 2:
        raise InputError(f"--case {text!r}: give a case file or two ISO3 codes like RUS,CHN")
    return codes[0], codes[1]


@theory_app.command("external")
@handle_errors
def external(
    a: str = _A,
    b: str = _B,
    third: str = typer.Option("USA", "--third", help="The outside state (ISO3)."),
    ic: InfoCriterion = typer.Option(InfoCriterion.aic, "--ic", help="Lag-order criterion."),
    maxlags: int = typer.Option(None, "--maxlags", min=1, help="Largest VAR lag to consider."),
    events_store: Path = _EVENTS,
    store: Path = _STORE,
    fmt: OutputFormat = _FORMAT,
    output: Path = _OUTPUT,
) -> None:
    """Granger test: does conflict with a third state drive A–B cooperation?"""
    from dyadscope.theory.external import externally_driven

    res = externally_driven(
        open_store(store), a, b, third, events_store, ic=ic.value, maxlags=maxlags
    )
    _emit(res, fmt, output, f"Externally driven? {res.a}-{res.b} / {res.third}")


def register(app: typer.Typer) -> None:
    """Add the theory commands to the main app."""
    app.add_typer(theory_app, name="theory")
