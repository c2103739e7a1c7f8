"""CLI command: ``dyadscope brief`` writes the self-contained HTML brief."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from dyadscope.cli._common import (
    CaseOpt,
    CountryA,
    CountryB,
    EventsStoreOpt,
    OutputOpt,
    console,
    handle_errors,
)
from dyadscope.scenario.montecarlo import MAX_DRAWS

_STEPS = {
    "case": "Loading the case",
    "indicators": "Computing indicators",
    "events": "Reading the event store",
    "theory": "Running the theory engines",
    "scenarios": "Running the scenarios (Monte Carlo)",
    "sensitivity": "Sobol sensitivity",
    "render": "Rendering HTML",
}


@handle_errors
def brief(
    a: CountryA,
    b: CountryB,
    case: CaseOpt = None,
    output: OutputOpt = Path("out/brief.html"),
    events_store: EventsStoreOpt = None,
    draws: int = typer.Option(
        20_000,
        min=100,
        max=MAX_DRAWS,
        help=f"Monte Carlo draws per scenario (at most {MAX_DRAWS:,}).",
    ),
    seed: int = typer.Option(1, help="Random seed for the scenario engine."),
) -> None:
    """Write a self-contained HTML brief for a dyad (works offline once written)."""
    from dyadscope.report.brief import BriefOptions, build_brief

    options = BriefOptions(draws=draws, seed=seed, events_store=events_store)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Starting", total=None)

        def on_step(name: str) -> None:
            progress.update(task, description=_STEPS.get(name, name))

        target = output if output is not None else Path("out/brief.html")
        path = build_brief(a, b, case_path=case, output=target, options=options, on_step=on_step)
    console.print(f"[green]Wrote[/] {path} ({path.stat().st_size / 1e6:.1f} MB)")


def register(app: typer.Typer) -> None:
    """Add the ``brief`` command to the main app."""
    app.command("brief")(brief)
