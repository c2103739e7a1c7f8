"""Rewrite the "All indicators" table of docs/indicators.md from the registry.

Run from the repository root after adding or changing an indicator::

    .venv/bin/python scripts/indicator_table.py

``tests/indicators/test_indicators_docs.py`` fails while the table and the registry differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dyadscope._io import atomic_write_text
from dyadscope.indicators import INDICATORS

DOC = Path(__file__).resolve().parent.parent / "docs" / "indicators.md"
HEADING = "## All indicators"


def table() -> str:
    """The markdown table: one row per indicator, in registry order."""
    rows = ["| id | family | what | unit | source | coverage |", "|---|---|---|---|---|---|"]
    for ind in INDICATORS.values():
        cells = (ind.family, ind.description, ind.unit, ind.source, ind.coverage_rule)
        rows.append(f"| `{ind.id}` | " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(rows) + "\n"


def main() -> int:
    """Replace everything after the heading with the current table."""
    text = DOC.read_text(encoding="utf-8")
    head = text.split(HEADING)[0]
    atomic_write_text(DOC, f"{head}{HEADING}\n\n{table()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
