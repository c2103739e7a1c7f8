"""The sources section: documents of the case and datasets with version and citation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dyadscope.report.model import Section, Table
from dyadscope.report.sections.case import documents_block

if TYPE_CHECKING:
    from dyadscope.case.schema import Case


def sources_section(case: Case | None) -> Section:
    """Every document the case cites (if any) and every dataset the brief's numbers use."""
    from dyadscope.data.catalog import catalog
    from dyadscope.data.registry import get_adapter

    section = Section(
        "sources",
        "Sources",
        lead="Documents are listed by title, author, publisher and date, and cited by file and "
        "line range; datasets by version, with the exact extract recorded in the manifest.",
    )
    if case is not None:
        section.add(documents_block(case))
    cat = catalog()
    rows = []
    for r in cat.itertuples(index=False):
        adapter = get_adapter(str(r.dataset))
        rows.append(
            [
                adapter.title,
                str(r.version).replace("_", " "),
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
            caption="Datasets known to dyadscope. Extracts marked 'vendored' ship with the "
            "package; the others are loaded by the analyst before a build.",
        )
    )
    return section


def _int(value: object) -> str:
    try:
        return f"{int(value):,}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "NA"
