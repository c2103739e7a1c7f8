"""The sources section: documents of the case and datasets with version and citation."""

from __future__ import annotations

from typing import Any

from dyadscope.report.model import Paragraph, Section, Table
from dyadscope.report.sections.case import documents_block


def sources_section(case: Any) -> Section:
    """Every document the case cites and every dataset the brief's numbers come from."""
    from dyadscope.data.catalog import catalog
    from dyadscope.data.registry import get_adapter

    section = Section(
        "sources",
        "Sources",
        lead="Documents are cited by file name and line range; datasets by version, with the "
        "exact extract (repository and commit) recorded in the vendored manifest.",
    )
    section.add(documents_block(case))
    cat = catalog()
    rows = []
    for r in cat.itertuples(index=False):
        adapter = get_adapter(str(r.dataset))
        rows.append(
            [
                adapter.title,
                str(r.version),
                str(getattr(r, "coverage", "") or ""),
                _int(getattr(r, "rows", None)),
                str(r.status),
                adapter.citation,
                adapter.licence,
            ]
        )
    section.add(
        Table(
            columns=["dataset", "version", "coverage", "rows", "status", "citation", "licence"],
            rows=rows,
            caption="Datasets known to dyadscope. 'vendored' extracts ship with the package; "
            "others can be loaded with `dyadscope data load`.",
        )
    )
    section.add(
        Paragraph(
            "Reproduce any number in this brief with the CLI, e.g. "
            f"`dyadscope indicators {case.actors[0].iso3} {case.actors[1].iso3} --format csv`.",
            tone="note",
        )
    )
    return section


def _int(value: object) -> str:
    try:
        return f"{int(value):,}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "NA"
