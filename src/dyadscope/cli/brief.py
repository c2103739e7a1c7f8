"""CLI command: ``dyadscope brief`` writes the self-contained HTML brief."""

from __future__ import annotations

import enum
import time
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
    "synthesis": "Writing the overview",
    "render": "Rendering HTML",
    "pdf": "Printing to PDF (headless Chromium)",
}


class BriefFormat(enum.StrEnum):
    """What ``dyadscope brief`` writes."""

    html = "html"
    pdf = "pdf"


@handle_errors
def brief(
    a: CountryA,
    b: CountryB,
    case: CaseOpt = None,
    output: OutputOpt = None,
    events_store: EventsStoreOpt = None,
    draws: int = typer.Option(
        5_000,  # the brief's default, as BriefOptions.draws
        min=100,
        max=MAX_DRAWS,
        help=f"Monte Carlo draws per scenario (at most {MAX_DRAWS:,}).",
    ),
    seed: int = typer.Option(1, help="Random seed for the scenario engine."),
    fmt: BriefFormat = typer.Option(
        BriefFormat.html, "--format", "-f", help="html (default) or pdf (needs Chromium)."
    ),
) -> None:
    """Write a self-contained brief for any pair (HTML works offline; PDF via Chromium).

    Without a case for the pair the brief shows the data only; `dyadscope case init A B`
    writes a starter case to add.
    """
    from dyadscope.report.brief import BriefOptions, build_brief

    options = BriefOptions(draws=draws, seed=seed, events_store=events_store)
    started = time.perf_counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("Starting", total=None)
        last: list[tuple[str, float]] = []

        def on_step(name: str) -> None:
            now = time.perf_counter()
            if last:
                done, t0 = last.pop()
                progress.console.print(f"  {_STEPS.get(done, done)} ({now - t0:.1f} s)")
            last.append((name, now))
            progress.update(task, description=_STEPS.get(name, name))

        default = Path(f"out/brief.{fmt.value}")
        target = output if output is not None else default
        path = build_brief(
            a, b, case_path=case, output=target, options=options, on_step=on_step, fmt=fmt.value
        )
        if last:
            done, t0 = last.pop()
            progress.console.print(f"  {_STEPS.get(done, done)} ({time.perf_counter() - t0:.1f} s)")
    size = path.stat().st_size / 1e6
    console.print(f"[green]Wrote[/] {path} ({size:.1f} MB, {time.perf_counter() - started:.1f} s)")


def register(app: typer.Typer) -> None:
    """Add the ``brief`` command to the main app."""
    app.command("brief")(brief)
