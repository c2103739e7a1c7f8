"""CLI commands: ``dyadscope scenario compare | robustness | replay``.

Registered on the ``scenario`` command group by a one-line import at the end of
:mod:`dyadscope.cli.scenario`.  Each handler parses, calls one library function
(:func:`dyadscope.scenario.robustness.robustness` or
:func:`dyadscope.scenario.replay.replay`) and prints.
"""

from __future__ import annotations

from pathlib import Path

import typer

from dyadscope.case import find_case
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
    handle_errors,
    progress_bar,
)
from dyadscope.cli.scenario import ITER_OPT, SEED_OPT, scenario_app
from dyadscope.scenario.montecarlo import DEFAULT_MARGIN, default_workers
from dyadscope.scenario.robustness import DEFAULT_GRID, RobustnessResult, robustness

COMPARE_COLUMNS = [
    "scenario",
    "outcome",
    "share",
    "share_low",
    "share_high",
    "mean_activation",
    "delta_vs_baseline",
    "robust_share",
]
MARGIN_OPT = typer.Option(
    DEFAULT_MARGIN,
    "--margin",
    min=0.0,
    help="Lead over the runner-up an outcome needs to count for a draw; closer calls are "
    "undetermined.",
)
DRAWS_OPT = typer.Option(
    1000, "--draws", "-n", min=1, help="Monte Carlo draws per scenario and setting."
)
SCENARIOS_OPT = typer.Option(
    None, "--scenario", "-s", help="Scenario id to include (repeat; default: all)."
)


PROCESSES_OPT = typer.Option(
    default_workers(),
    "--processes",
    "-j",
    min=1,
    help="Worker processes for a large grid (default: the machine's cores, at most four).",
)


def _run_grid(
    a: str,
    b: str,
    case_path: Path | None,
    scenarios: list[str] | None,
    draws: int,
    seed: int,
    margin: float,
    iterations: int,
    processes: int,
) -> RobustnessResult:
    case = find_case(a, b, path=case_path)
    with progress_bar() as bar:
        task = bar.add_task(f"Scenarios over {len(DEFAULT_GRID)} settings", total=None)
        return robustness(
            case,
            scenarios,
            draws=draws,
            seed=seed,
            margin=margin,
            max_iter=iterations,
            processes=processes,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


@scenario_app.command("compare")
@handle_errors
def compare(
    a: CountryA,
    b: CountryB,
    draws: int = DRAWS_OPT,
    seed: int = SEED_OPT,
    margin: float = MARGIN_OPT,
    scenarios: list[str] | None = SCENARIOS_OPT,
    iterations: int = ITER_OPT,
    processes: int = PROCESSES_OPT,
    case_path: CaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Scenarios side by side: share of plausible maps per outcome, change vs baseline, robustness.

    One row per scenario and outcome (plus undetermined). share is under the
    reference setting; share_low/high span Monte Carlo error and the spread over the
    robustness grid; robust_share is the fraction of settings that agree on the sign
    of the change (robust at 80% or more).
    """
    result = _run_grid(a, b, case_path, scenarios, draws, seed, margin, iterations, processes)
    frame = result.summary[COMPARE_COLUMNS]
    if fmt is OutputFormat.table and output is None:
        frame = frame.round(3)
    emit_frame(frame, fmt, output, title=f"Scenarios compared — case {result.case_id}")
    if fmt is OutputFormat.table and output is None:
        console.print("\n".join(result.assumptions), markup=False, highlight=False)


@scenario_app.command("robustness")
@handle_errors
def robustness_cmd(
    a: CountryA,
    b: CountryB,
    draws: int = DRAWS_OPT,
    seed: int = SEED_OPT,
    margin: float = MARGIN_OPT,
    scenarios: list[str] | None = SCENARIOS_OPT,
    detail: bool = typer.Option(
        False, "--detail", help="One row per setting, scenario and outcome instead."
    ),
    iterations: int = ITER_OPT,
    processes: int = PROCESSES_OPT,
    case_path: CaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Every scenario over the grid rule × transfer × level shift; which changes are robust.

    Grid: Kosko or modified Kosko × sigmoid (λ 1, 2, 5) or tanh (λ 1, 2) × every
    stated exogenous level shifted −0.2, 0, +0.2. A change against the baseline is
    robust when at least 80% of settings agree on its sign.
    """
    result = _run_grid(a, b, case_path, scenarios, draws, seed, margin, iterations, processes)
    frame = result.runs if detail else result.summary
    emit_frame(frame, fmt, output, title=f"Robustness — case {result.case_id}")
    if fmt is OutputFormat.table and output is None:
        console.print("\n".join(result.assumptions), markup=False, highlight=False)


@scenario_app.command("replay")
@handle_errors
def replay_cmd(
    a: CountryA,
    b: CountryB,
    draws: int = typer.Option(4000, "--draws", "-n", min=1, help="Monte Carlo draws per state."),
    seed: int = SEED_OPT,
    margin: float = MARGIN_OPT,
    iterations: int = ITER_OPT,
    case_path: CaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Replay the case's dated states: does the map rank first what the sources describe?"""
    from dyadscope.scenario.replay import replay

    case = find_case(a, b, path=case_path)
    with err_console.status("Replaying dated states", spinner="dots"):
        result = replay(case, draws=draws, seed=seed, margin=margin, max_iter=iterations)
    if fmt is OutputFormat.table and output is None:
        emit_frame(result.frame, fmt, None, title=f"Historical replay — case {result.case_id}")
        emit_frame(result.verdicts, fmt, None, title="Does the leading outcome match?")
        return
    emit_frame(
        result.frame.merge(result.verdicts, on=["state", "period"], suffixes=("", "_state")),
        fmt,
        output,
    )
