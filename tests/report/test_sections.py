"""Sections of the brief built from the shipped case, checked without a full brief."""

from __future__ import annotations

from dyadscope.case.loader import load_case
from dyadscope.report.model import Table
from dyadscope.report.sections.case import experts_section


def test_expert_positions_state_each_position_once_with_citations_in_line_order() -> None:
    case = load_case()
    table = next(b for b in experts_section(case).blocks if isinstance(b, Table))
    rows = {row[0]: row for row in table.rows}
    # Legvold is cited twice for "Russia as junior partner" (000:25 and 000:27).
    positions = rows["Robert Legvold"][1].split("; ")
    assert positions.count("supports “Russia as junior partner”") == 1
    for _, cell, where in table.rows:
        assert len(cell.split("; ")) == len(set(cell.split("; ")))
        starts = [
            (c.rpartition(":")[0], int(c.rpartition(":")[2].split("-")[0]))
            for c in where.split(", ")
        ]
        assert starts == sorted(starts)
