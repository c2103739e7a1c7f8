"""CLI commands: ``dyadscope evidence ingest | voices | search | figures | suggest``.

Each handler parses its arguments, calls one function of :mod:`dyadscope.evidence`
and prints; the store is ``evidence.duckdb`` beside the data store unless
``--store`` names another.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.text import Text

from dyadscope.cli._common import (
    EvidenceStoreOpt,
    FormatOpt,
    OutputFormat,
    OutputOpt,
    console,
    emit_frame,
    handle_errors,
)
from dyadscope.data.store import Store
from dyadscope.errors import InputError

evidence_app = typer.Typer(
    help="Ingest source documents, attribute voices, search passages, check figures.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

PathsArg = Annotated[
    list[Path], typer.Argument(help="Document files or folders (txt, md, html, pdf).")
]


def _open(store: Path | None) -> AbstractContextManager[Store]:
    from dyadscope.evidence.store import open_evidence_store

    return open_evidence_store(store)


@evidence_app.command("ingest")
@handle_errors
def ingest(paths: PathsArg, store: EvidenceStoreOpt = None) -> None:
    """Read documents into the evidence store (idempotent; one transaction)."""
    from dyadscope.evidence.store import default_evidence_store
    from dyadscope.evidence.store import ingest as run

    report = run(paths, store)
    target = store or default_evidence_store()
    console.print(
        Text("OK ", style="bold green")
        + Text(
            f"{target}: {len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.unchanged)} unchanged; {report.passages} passages indexed"
        )
    )


@evidence_app.command("voices")
@handle_errors
def voices(paths: PathsArg, fmt: FormatOpt = OutputFormat.table, output: OutputOpt = None) -> None:
    """Who speaks where: doc, line_start, line_end, voice, role for each span."""
    from dyadscope.evidence.analysis import voices_frame

    emit_frame(voices_frame(paths), fmt, output, title="voices")


@evidence_app.command("search")
@handle_errors
def search(
    query: Annotated[str, typer.Argument(help="Words to look for (BM25 ranking).")],
    top: Annotated[int, typer.Option("--top", min=1, help="Number of passages.")] = 10,
    doc: Annotated[
        str | None, typer.Option("--doc", help="Only this document (file name).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only documents dated on or after YYYY-MM-DD.")
    ] = None,
    store: EvidenceStoreOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Passages best matching QUERY: doc, line_start, line_end, score, voice, date, passage."""
    from dyadscope.evidence.search import search as run

    day = None
    if since is not None:
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            raise InputError(f"--since {since!r} is not a date; write YYYY-MM-DD") from None
    with _open(store) as db:
        frame = run(db, query, top=top, doc=doc, since=day)
    emit_frame(frame, fmt, output, title=f"search: {query}")


@evidence_app.command("figures")
@handle_errors
def figures(
    paths: PathsArg,
    check: Annotated[
        bool, typer.Option("--check", help="Compare figures with the dataset values.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Money, shares, volumes and counts stated in the documents, with the year each is for."""
    from dyadscope.evidence.analysis import figures_frame
    from dyadscope.evidence.figures import check_figures

    frame = figures_frame(paths)
    if check:
        frame = check_figures(frame)
    emit_frame(frame, fmt, output, title="figures")


@evidence_app.command("suggest")
@handle_errors
def suggest(
    case_path: Annotated[Path, typer.Argument(help="Case file (YAML).")],
    docs: Annotated[
        list[Path], typer.Option("--docs", help="Folder of documents to draw from (repeatable).")
    ],
    per_factor: Annotated[
        int, typer.Option("--per-factor", min=1, help="Suggestions per factor.")
    ] = 2,
    max_citations: Annotated[
        int,
        typer.Option("--max-citations", min=0, help="Factors with at most this many citations."),
    ] = 2,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
) -> None:
    """Propose evidence (doc, lines, stance, voice) for the case's least-supported factors."""
    from dyadscope.case import validate_case
    from dyadscope.evidence.tags import suggest_evidence

    frame: pd.DataFrame = suggest_evidence(
        validate_case(case_path), docs, per_factor=per_factor, max_citations=max_citations
    )
    emit_frame(frame, fmt, output, title="suggested evidence")


def register(app: typer.Typer) -> None:
    """Add the ``evidence`` command group to the main app."""
    app.add_typer(evidence_app, name="evidence")
