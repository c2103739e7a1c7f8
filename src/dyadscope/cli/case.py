"""CLI commands: ``dyadscope case validate | init | schema | show | graph | list``.

Each handler parses its arguments, calls one function of :mod:`dyadscope.case`
and prints.  Text from a case file is printed as plain :class:`rich.text.Text`, so
brackets in a label are shown as written and never read as Rich markup.
"""

from __future__ import annotations

import enum
import json
from pathlib import Path

import pandas as pd
import typer
from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from dyadscope.case import (
    Case,
    Factor,
    case_json_schema,
    graph_to,
    lint_case,
    list_cases,
    validate_case,
)
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
    write_text,
)
from dyadscope.errors import CaseValidationError, InputError

case_app = typer.Typer(
    help="Check, show and export case files (factors, links, scenarios with citations).",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


class GraphFormatOption(enum.StrEnum):
    """Formats ``dyadscope case graph`` writes (the library's ``GRAPH_FORMATS``)."""

    json = "json"
    dot = "dot"
    graphml = "graphml"


@case_app.command("validate")
@handle_errors
def validate(
    path: Path = typer.Argument(..., help="Case file (YAML) to check."),
    docs: list[Path] | None = typer.Option(
        None,
        "--docs",
        help="Folder holding the cited documents (repeat for several); checks cited line ranges.",
    ),
    check_evidence: bool = typer.Option(
        False,
        "--check-evidence",
        help="With --docs: also flag citations whose lines do not bear on the factor, "
        "whose voice is not the speaker, or whose stance disagrees (warnings).",
    ),
) -> None:
    """Check a case file and list every problem with its YAML path and line (exit 2).

    A valid case may still get warnings (a document never cited, a factor no link
    touches); they are printed in yellow and do not change the exit code.
    """
    if check_evidence and not docs:
        raise InputError("--check-evidence needs --docs DIR (the cited documents)")
    try:
        case = validate_case(path, docs_dir=docs or None)
    except CaseValidationError as exc:
        err_console.print(Text(f"{exc.source}: {len(exc.problems)} problem(s)", style="bold red"))
        for problem in exc.problems:
            err_console.print(Text(f"  - {problem}", style="red"))
        raise typer.Exit(code=exc.exit_code) from None
    for warning in lint_case(case):
        err_console.print(Text(f"warning: {warning}", style="yellow"))
    if check_evidence and docs:
        from dyadscope.evidence.tags import check_citations

        for flag in check_citations(case, docs):
            err_console.print(Text(f"citation: {flag}", style="yellow"))
    where = ", ".join(str(d) for d in docs or [])
    checked = f"; cited lines checked against {where}" if docs else ""
    console.print(
        Text("OK ", style="bold green")
        + Text(
            f"{path}: {len(case.actors)} actors, {len(case.documents)} documents, "
            f"{len(case.factors)} factors, {len(case.links)} links, "
            f"{len(case.scenarios)} scenarios{checked}"
        )
    )


@case_app.command("init")
@handle_errors
def init(a: CountryA, b: CountryB, output: OutputOpt = None) -> None:
    """Write a starter case for a pair (placeholders only; it validates as written)."""
    from dyadscope.case.starter import starter_case_text

    write_text(starter_case_text(a, b), output, announce=True)


@case_app.command("schema")
@handle_errors
def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of a case file (for editors and other tools)."""
    text = json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n"
    write_text(text, output, announce=True)


def _citations(factor: Factor) -> Text:
    text = Text()
    for i, ev in enumerate(factor.evidence):
        if i:
            text.append("\n")
        text.append(f"{ev.doc}:{ev.lines}")
        text.append(f"\n  {ev.stance}", style="dim")
        if ev.voice:
            text.append(f" — {ev.voice}", style="italic")
    return text


def _factor_cell(factor: Factor) -> Text:
    text = Text(factor.label, style="bold")
    text.append(f"\n{factor.id}", style="dim")
    if factor.actors:
        text.append(f"\n{' '.join(factor.actors)}", style="dim")
    if factor.period:
        text.append(f"\n{factor.period}", style="dim")
    return text


def _factor_table(kind: str, factors: list[Factor]) -> Table:
    table = Table(
        title=f"{kind.replace('_', ' ')} ({len(factors)})", title_justify="left", show_lines=True
    )
    table.add_column("factor", ratio=2, overflow="fold")
    table.add_column("summary", ratio=4)
    table.add_column("citations (doc:lines, stance — voice)", ratio=3, overflow="fold")
    for f in factors:
        table.add_row(_factor_cell(f), Text(f.summary), _citations(f))
    return table


def _links_table(case: Case) -> Table:
    table = Table(title=f"links ({len(case.links)})", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("source", "left"),
        ("target", "left"),
        ("weight", "right"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    table.add_column("interval", justify="right")
    table.add_column("rationale", overflow="fold")
    for link in case.links:
        low, high = link.interval
        table.add_row(
            Text(link.source),
            Text(link.target),
            f"{link.weight:+.2f}",
            f"[{low:+.2f}, {high:+.2f}]",
            Text(link.rationale),
        )
    return table


@case_app.command("show")
@handle_errors
def show(a: CountryA, b: CountryB, case_path: CaseOpt = None) -> None:
    """Show a pair's case: factors grouped by kind with their citations, then the links."""
    case = find_pair_case(a, b, case_path)
    console.print(Text(f"{case.title} ({'–'.join(case.dyad)})", style="bold"))
    console.print(Text(case.summary))
    for kind, factors in case.factors_by_kind().items():
        console.print(_factor_table(kind, factors))
    if case.links:
        console.print(_links_table(case))


@case_app.command("graph")
@handle_errors
def graph(
    a: CountryA,
    b: CountryB,
    fmt: GraphFormatOption = typer.Option(
        GraphFormatOption.json, "--format", "-f", help="json (node-link), dot or graphml."
    ),
    output: OutputOpt = None,
    case_path: CaseOpt = None,
) -> None:
    """Export a pair's factor map (factors as nodes, weighted links as edges)."""
    write_text(graph_to(find_pair_case(a, b, case_path), fmt.value), output, announce=True)


@case_app.command("list")
@handle_errors
def list_(fmt: FormatOpt = OutputFormat.table, output: OutputOpt = None) -> None:
    """List the cases shipped with dyadscope and the pair each is about."""
    frame = pd.DataFrame(
        [
            {
                "id": c.id,
                "dyad": "–".join(c.actors[:2]),
                "title": c.title,
                "actors": " ".join(c.actors),
                "file": c.file,
            }
            for c in list_cases()
        ],
        columns=["id", "dyad", "title", "actors", "file"],
    )
    emit_frame(frame, fmt, output, title="shipped cases")


def register(app: typer.Typer) -> None:
    """Add the ``case`` command group to the main app."""
    app.add_typer(case_app, name="case")
