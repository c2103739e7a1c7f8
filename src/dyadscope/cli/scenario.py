"""CLI commands: ``dyadscope scenario list | run | sensitivity``.

Each handler parses its options, calls one function of :mod:`dyadscope.scenario`
and prints.  Progress goes to standard error, so ``--format json`` output on standard
output stays clean for pipes.
"""

from __future__ import annotations

import enum
import importlib

import pandas as pd
import typer

from dyadscope.cli._common import (
    CaseOpt,
    CountryA,
    CountryB,
    FormatOpt,
    OutputFormat,
    OutputOpt,
    console,
    emit_frame,
    err_console,
    find_pair_case,
    handle_errors,
    progress_bar,
    write_json,
)
from dyadscope.scenario.library import CASE_MAX_ITER
from dyadscope.scenario.montecarlo import DEFAULT_MARGIN, MAX_DRAWS
from dyadscope.scenario.sensitivity import MAX_SOBOL_N

scenario_app = typer.Typer(
    help="Run the case's fuzzy cognitive map: scenario library, Monte Carlo, Sobol sensitivity.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

SCENARIO_OPT = typer.Option(
    "baseline", "--scenario", "-s", help="Scenario id (see `dyadscope scenario list`)."
)
SEED_OPT = typer.Option(1, "--seed", help="Random seed; the same seed gives the same numbers.")
RULE_OPT = typer.Option(
    "modified_kosko", "--rule", help="Update rule: kosko, modified_kosko or rescaled."
)
TRANSFER_OPT = typer.Option(
    "tanh", "--transfer", help="Transfer function: tanh, sigmoid, bivalent or trivalent."
)
LAMBDA_OPT = typer.Option(1.0, "--lambda", help="Steepness λ of the transfer function.")
#: Most update steps a draw may be given on the command line (a map that never settles
#: runs every step, so a mistyped 10**20 would never finish).
MAX_ITERATIONS = 100_000
ITER_OPT = typer.Option(
    CASE_MAX_ITER,
    "--iterations",
    min=1,
    max=MAX_ITERATIONS,
    help=f"Most update steps a draw may take (at most {MAX_ITERATIONS:,}).",
)

MARGIN_OPT = typer.Option(
    DEFAULT_MARGIN,
    "--margin",
    min=0.0,
    help="Lead over the runner-up an outcome needs to count for a draw; closer calls are "
    "undetermined.",
)


class DistributionOption(enum.StrEnum):
    """How link weights are drawn from their intervals."""

    uniform = "uniform"
    triangular = "triangular"
    beta = "beta"


class ParamsOption(enum.StrEnum):
    """Which inputs the Sobol analysis varies."""

    links = "links"
    levers = "levers"
    both = "both"


@scenario_app.command("list")
@handle_errors
def list_(
    a: CountryA,
    b: CountryB,
    case_path: CaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """List the case's scenarios: id, label, clamped levers, rationale and evidence."""
    from dyadscope.scenario import list_scenarios

    frame = list_scenarios(find_pair_case(a, b, case_path))
    emit_frame(frame, fmt, output, title="Scenario library")


def _interval_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outcome": frame["outcome"],
            "label": frame["label"],
            "share of maps": frame["share"].map(lambda p: f"{p:.2%}"),
            "95% interval": [
                f"{lo:.2%} – {hi:.2%}"
                for lo, hi in zip(frame["ci_low"], frame["ci_high"], strict=True)
            ],
            "draws": frame["count"],
        }
    )


@scenario_app.command("run")
@handle_errors
def run(
    a: CountryA,
    b: CountryB,
    scenario: str = SCENARIO_OPT,
    draws: int = typer.Option(
        10_000,
        "--draws",
        "-n",
        min=1,
        max=MAX_DRAWS,
        help=f"Monte Carlo draws (at most {MAX_DRAWS:,} per run).",
    ),
    seed: int = SEED_OPT,
    distribution: DistributionOption = typer.Option(
        DistributionOption.uniform, "--distribution", help="How weights are drawn."
    ),
    rule: str = RULE_OPT,
    transfer: str = TRANSFER_OPT,
    lam: float = LAMBDA_OPT,
    iterations: int = ITER_OPT,
    margin: float = MARGIN_OPT,
    case_path: CaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Share of plausible maps in which each outcome leads, with 95% Wilson intervals.

    Every uncertain link weight is drawn from its interval, the map is run with the
    scenario's levers clamped, and each draw is counted for the outcome that leads the
    runner-up by at least --margin (default 0.05); closer calls (undetermined), limit
    cycles and unsettled draws are counted apart. Not a probability: see `scenario
    compare` for robustness.
    """
    from dyadscope.scenario import run_scenario

    case = find_pair_case(a, b, case_path)
    with progress_bar() as bar:
        task = bar.add_task(f"{scenario}: drawing maps", total=draws)
        result = run_scenario(
            case,
            scenario,
            draws=draws,
            seed=seed,
            distribution=distribution.value,
            rule=rule,
            transfer=transfer,
            lam=lam,
            max_iter=iterations,
            margin=margin,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    if fmt is OutputFormat.json:
        write_json(result.to_dict(), output)
        return
    if fmt is not OutputFormat.table or output is not None:
        emit_frame(result.frame, fmt, output)
        return
    title = f"{result.scenario.label} ({result.scenario.id}) — case {result.case_id}"
    emit_frame(_interval_table(result.frame), fmt, None, title=title)
    console.print(result.summary(), markup=False, highlight=False)


@scenario_app.command("sensitivity")
@handle_errors
def sensitivity(
    a: CountryA,
    b: CountryB,
    scenario: str = SCENARIO_OPT,
    n: int = typer.Option(
        1024,
        "--n",
        min=2,
        max=MAX_SOBOL_N,
        help=f"Base sample size (a power of two, at most {MAX_SOBOL_N:,}); "
        "runs = n × (inputs + 2).",
    ),
    params: ParamsOption = typer.Option(
        ParamsOption.links, "--params", help="Vary link weights, lever levels or both."
    ),
    top: int = typer.Option(15, "--top", min=1, help="Inputs shown per outcome, by total effect."),
    seed: int = SEED_OPT,
    rule: str = RULE_OPT,
    transfer: str = TRANSFER_OPT,
    lam: float = LAMBDA_OPT,
    iterations: int = ITER_OPT,
    case_path: CaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Sobol indices (S1, ST) of each outcome's final level, ranked by total effect."""
    from dyadscope.scenario import sobol_indices

    case = find_pair_case(a, b, case_path)
    with err_console.status(f"Sobol analysis of {scenario} (n={n})", spinner="dots"):
        result = sobol_indices(
            case,
            scenario,
            n=n,
            seed=seed,
            params=params.value,
            top=top,
            rule=rule,
            transfer=transfer,
            lam=lam,
            max_iter=iterations,
        )
    if fmt is OutputFormat.json:
        write_json(result.to_dict(), output)
        return
    title = (
        f"Sobol indices — {result.scenario_id}, case {result.case_id} "
        f"({result.evaluations:,} model runs)"
    )
    frame = result.frame
    if fmt is OutputFormat.table and output is None:
        frame = frame[["outcome", "rank", "label", "kind", "S1", "ST", "ST_conf"]].rename(
            columns={"label": "input", "ST_conf": "ST ±"}
        )
    emit_frame(frame, fmt, output, title=title)


def register(app: typer.Typer) -> None:
    """Add the scenario commands (and compare, robustness, replay) to the main app."""
    # scenario_compare adds its commands to scenario_app when imported; importing it
    # here, not at the top, keeps the two modules out of an import cycle.
    importlib.import_module("dyadscope.cli.scenario_compare")
    app.add_typer(scenario_app, name="scenario")
