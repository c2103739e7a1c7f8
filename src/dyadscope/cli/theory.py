"""CLI commands: ``theory power|threat|interdependence|game|external``.

Each handler parses its options, calls one engine of :mod:`dyadscope.theory` and
prints the result: Rich tables plus the model's assumptions (``--format table``),
the whole result as JSON (``--format json``), or the main table as CSV/Parquet.
Country text is read as ``indicators`` reads it (ISO3 in any case, ISO2 or a name,
by :func:`dyadscope.data.countries.resolve`); payoffs and weights are parsed here into
the typed values the engines take.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dyadscope.cli._common import (
    CountryA,
    CountryB,
    EventsStoreOpt,
    FormatOpt,
    FromYear,
    OutputFormat,
    OutputOpt,
    StoreOpt,
    ToYear,
    ToYearOrLast,
    console,
    emit_frame,
    frame_to_rich,
    handle_errors,
    split_list,
    write_json,
)
from dyadscope.data.store import open_store
from dyadscope.errors import InputError
from dyadscope.theory.games import MAX_REPETITIONS, MAX_TURNS

if TYPE_CHECKING:
    from dyadscope.case import Case
    from dyadscope.theory._common import TheoryResult
    from dyadscope.theory.games import Payoffs

theory_app = typer.Typer(
    help="Theory engines: balance of power and threat, interdependence, alliance game, "
    "and the externally-driven test.",
    no_args_is_help=True,
)


class InfoCriterion(enum.StrEnum):
    """Information criteria for the VAR lag order."""

    aic = "aic"
    bic = "bic"


def _country(text: str) -> str:
    """One state from any spelling (ISO3 in any case, ISO2, name) to ISO3."""
    from dyadscope.data.countries import resolve

    return resolve(text)


def _countries(text: str, option: str) -> list[str]:
    """Comma-separated states, each resolved like :func:`_country`."""
    items = split_list(text)
    if not items:
        raise InputError(f"{option}: give comma-separated states, e.g. USA,RUS,CHN")
    return [_country(item) for item in items]


def parse_payoffs(text: str) -> Payoffs:
    """``"T,R,P,S"`` (e.g. ``"5,3,1,0"``) as validated :class:`~dyadscope.theory.games.Payoffs`.

    >>> parse_payoffs("5,3,1,0")
    Payoffs(T=5.0, R=3.0, P=1.0, S=0.0)
    """
    from dyadscope.theory.games import InvalidPayoffs, Payoffs

    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        raise InvalidPayoffs(f"--payoffs {text!r}: give four numbers T,R,P,S, e.g. 5,3,1,0")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise InvalidPayoffs(f"--payoffs {text!r}: every payoff must be a number") from None
    return Payoffs(*values).validate(f"--payoffs {text!r}")


def parse_weights(text: str) -> dict[str, float]:
    """``"power=2,intentions=1"`` as a mapping of criterion to weight (checked by the engine).

    >>> parse_weights("power=2, intentions=1")
    {'power': 2.0, 'intentions': 1.0}
    """
    parsed: dict[str, float] = {}
    for item in split_list(text):
        key, sep, val = item.partition("=")
        if not sep:
            raise InputError(f"--weights: {item!r} is not NAME=NUMBER")
        try:
            parsed[key.strip().lower()] = float(val)
        except ValueError:
            raise InputError(
                f"--weights: weight of {key.strip()!r} is not a number: {val!r}"
            ) from None
    if not parsed:
        raise InputError("--weights: give NAME=NUMBER pairs, e.g. power=1,intentions=2")
    return parsed


def _emit(result: TheoryResult, fmt: OutputFormat, output: Path | None, title: str) -> None:
    """Print or write a theory result in ``fmt``."""
    if fmt is OutputFormat.json:
        write_json(result.to_dict(), output)
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
    start: FromYear = 1946,
    end: ToYearOrLast = None,
    coalition: str = typer.Option(
        "RUS,CHN", "--coalition", help="States whose values are summed (comma-separated)."
    ),
    rival: str = typer.Option("USA", "--rival", help="The state the coalition is compared with."),
    measures: str = typer.Option(
        None,
        "--measures",
        help="Comma-separated measures (default all): cinc, gdp, milex, net_power.",
    ),
    polarity: bool = typer.Option(
        False,
        "--polarity",
        help="Write year, measure, concentration, polarity (default: year, measure, state, share).",
    ),
    store: StoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Major-power shares, concentration and polarity on CINC, GDP, military spending, net power."""
    from dyadscope.theory.power import balance_of_power

    members = _countries(coalition, "--coalition")
    res = balance_of_power(
        open_store(store),
        start,
        end,
        coalition=members,
        rival=_country(rival),
        measures=split_list(measures) if measures is not None else None,
    )
    if fmt is OutputFormat.json:
        write_json(res.to_dict(), output)
        return
    table = res.polarity_table if polarity else res.share_table
    if fmt is not OutputFormat.table or output is not None:
        emit_frame(table, fmt, output, title="Balance of power")
        return
    _emit(res, fmt, output, "Balance of power")


@theory_app.command("threat")
@handle_errors
def threat(
    year: int = typer.Option(..., "--year", help="Year to score, e.g. 2014."),
    states: str = typer.Option(
        None, "--states", help="Comma-separated states (default: USA,RUS,CHN,IND,JPN)."
    ),
    weights: str = typer.Option(
        None,
        "--weights",
        help="Criterion weights, e.g. power=1,proximity=1,capability=1,intentions=2 "
        "(default equal).",
    ),
    power_measure: str = typer.Option(
        "milex", "--power-measure", help="Aggregate power measure: milex (default), cinc or gdp."
    ),
    summary: bool = typer.Option(
        False,
        "--summary",
        help="One row per state: greatest threat, score, predicted and observed alignment, "
        "criteria used.",
    ),
    events_store: EventsStoreOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Walt's four criteria, threat scores, threat matrix and predicted alignment."""
    from dyadscope.theory.threat import balance_of_threat

    res = balance_of_threat(
        open_store(store),
        year,
        _countries(states, "--states") if states is not None else None,
        parse_weights(weights) if weights is not None else None,
        events_store,
        power_measure=power_measure.strip().lower(),
    )
    if summary and fmt is not OutputFormat.json:
        emit_frame(res.summary, fmt, output, title=f"Balance of threat {year}: summary")
        return
    _emit(res, fmt, output, f"Balance of threat {year}")


@theory_app.command("interdependence")
@handle_errors
def interdependence_cmd(
    a: CountryA,
    b: CountryB,
    start: FromYear = 1992,
    end: ToYear = 2023,
    store: StoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Sensitivity and vulnerability of A and B per channel (trade, energy, arms), leverage.

    CSV: year, state, partner, channel, sensitivity, vulnerability, source.
    """
    from dyadscope.theory.interdependence import interdependence

    res = interdependence(open_store(store), _country(a), _country(b), start, end)
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
        help="Derive payoffs from a case: a case YAML file, or a pair like RUS,CHN "
        "(any spelling of the states).",
    ),
    turns: int = typer.Option(200, "--turns", min=1, max=MAX_TURNS, help="Turns per match."),
    repetitions: int = typer.Option(
        5, "--repetitions", min=1, max=MAX_REPETITIONS, help="Repetitions per match."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed (same seed, same tournament)."),
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Iterated prisoner's dilemma: δ*, its sensitivity, and a strategy tournament."""
    from dyadscope.theory.games import alliance_game

    pay = parse_payoffs(payoffs) if payoffs is not None else None
    loaded = _game_case(case) if case is not None else None
    res = alliance_game(pay, loaded, turns=turns, repetitions=repetitions, seed=seed)
    _emit(res, fmt, output, "Alliance game")


def _game_case(text: str) -> Case:
    """A case file, or the shipped case of a pair written ``A,B``."""
    from dyadscope.case import load_case
    from dyadscope.cli._common import find_pair_case

    if Path(text).exists():
        return load_case(Path(text))
    states = split_list(text)
    if len(states) != 2:
        raise InputError(f"--case {text!r}: give a case file or a pair of states like RUS,CHN")
    return find_pair_case(states[0], states[1], None)


@theory_app.command("external")
@handle_errors
def external(
    a: CountryA,
    b: CountryB,
    third: str = typer.Option("USA", "--third", help="The outside state (any spelling)."),
    ic: InfoCriterion = typer.Option(InfoCriterion.aic, "--ic", help="Lag-order criterion."),
    maxlags: int = typer.Option(None, "--maxlags", min=1, help="Largest VAR lag to consider."),
    start: FromYear = 1993,
    end: ToYearOrLast = None,
    method: str = typer.Option(
        "toda-yamamoto", "--method", help="toda-yamamoto (VAR in levels) or var-diff."
    ),
    events_store: EventsStoreOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Toda–Yamamoto/Granger test: does conflict with a third state drive A–B cooperation?"""
    from dyadscope.theory.external import externally_driven

    res = externally_driven(
        open_store(store),
        _country(a),
        _country(b),
        _country(third),
        events_store,
        ic=ic.value,
        maxlags=maxlags,
        start=start,
        end=end,
        method=method,  # type: ignore[arg-type]
    )
    _emit(res, fmt, output, f"Externally driven? {res.a}-{res.b} / {res.third}")


def register(app: typer.Typer) -> None:
    """Add the theory commands to the main app."""
    app.add_typer(theory_app, name="theory")
