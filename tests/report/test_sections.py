"""Sections of the brief built from the shipped case, checked without a full brief."""

from __future__ import annotations

import re

from dyadscope.case.loader import load_case
from dyadscope.report.model import Table
from dyadscope.report.sections.case import documents_block, experts_section


def _expert_tables() -> list[Table]:
    return [b for b in experts_section(load_case()).blocks if isinstance(b, Table)]


def test_experts_grouped_by_camp_sorted_by_surname_positions_once_in_line_order() -> None:
    tables = _expert_tables()
    assert tables and all(t.columns[:4] == ["who", "affiliation", "document", "date"]
                          for t in tables)  # fmt: skip
    rows = {row[0]: row for t in tables for row in t.rows}
    # Legvold is cited twice for "Russia as junior partner" (000:25 and 000:27): once here.
    assert rows["Robert Legvold"][4].count("“Russia as junior partner”") <= 1
    for t in tables:
        for row in t.rows:
            quoted = re.findall(r"“[^”]+”", row[4])
            assert len(quoted) == len(set(quoted)) <= 9, row[0]  # at most 3 per stance
    for t in tables:
        surnames = [r[0].split(" and ")[0].split()[-1].casefold() for r in t.rows]
        assert surnames == sorted(surnames), t.title
        for *_, position, where in t.rows:
            assert position.endswith(".")
            starts = [
                (c.rpartition(":")[0], int(c.rpartition(":")[2].split("-")[0]))
                for c in where.split(", ")
            ]
            assert starts == sorted(starts)


def test_experts_carry_affiliation_document_title_and_date() -> None:
    case = load_case()
    titles = {d.title for d in case.documents}
    for t in _expert_tables():
        for _, affiliation, document, date, *_ in t.rows:
            assert affiliation and date
            assert document in titles


def test_documents_listed_by_title_with_file_name_only_as_citation() -> None:
    table = documents_block(load_case())
    assert table.columns[0] == "title" and table.columns[-1] == "cited as"
    titles = [r[0] for r in table.rows]
    assert titles == sorted(titles, key=str.casefold)
