"""COW Formal Alliances v4.1 — not vendored; loads a copy the user obtained from COW.

The alliance data's maintainers asked that it not be redistributed (peacesciencer
removed it for that reason), so dyadscope ships no extract and ``dyadscope data fetch
cow_alliance`` points at COW's own page.  A user who has
``alliance_v4.1_by_dyad_yearly.csv`` loads it with ``dyadscope data load cow_alliance``.
That file has one row per alliance, dyad and year; dyadscope keeps one row per
directed dyad-year with 1 where any alliance of that type binds the pair.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dyadscope._sql import quote_identifier
from dyadscope.data.adapters._base import COW_LICENCE, CsvAdapter, frozen
from dyadscope.data.registry import Combine, TableSpec, register_adapter
from dyadscope.data.validate import ROW

_TYPES = ("defense", "neutrality", "nonaggression", "entente")
_KEYS = ("ccode1", "ccode2", "year")


def _collapse_sql(staged: str) -> str:
    """The group-by of :meth:`CowAlliance.transform` in SQL, sorted by key like pandas.

    pandas' ``groupby`` drops rows with a missing key and ``max`` skips missing
    values; the ``WHERE`` and SQL's ``max`` do the same.
    """
    keys = ", ".join(quote_identifier(k) for k in _KEYS)
    types = ", ".join(f"max({quote_identifier(t)}) AS {quote_identifier(t)}" for t in _TYPES)
    known = " AND ".join(f"{quote_identifier(k)} IS NOT NULL" for k in _KEYS)
    return (
        f"SELECT {keys}, {types}, min(_row) AS _row FROM {staged} WHERE {known} "
        f"GROUP BY {keys} ORDER BY {keys}"
    )


@register_adapter
class CowAlliance(CsvAdapter):
    """Directed dyad-years with the four COW alliance types (0/1)."""

    name = "cow_alliance"
    title = "COW Formal Alliances (user-supplied; not redistributed)"
    url = "https://correlatesofwar.org/data-sets/formal-alliances/"
    version = "4.1"
    citation = (
        "Gibler, Douglas M. 2009. International Military Alliances, 1648-2008. Washington, "
        "DC: CQ Press. (COW Formal Alliances v4.1)"
    )
    licence = COW_LICENCE + "; not redistributed at the maintainers' request"
    vendored = False
    note = "Not vendored: obtain alliance_v4.1_by_dyad_yearly.csv from COW, then data load."
    raw_columns = frozen(
        {"ccode1": "int", "ccode2": "int", "year": "int", **dict.fromkeys(_TYPES, "int")}
    )
    #: The transform combines rows of one key: a load stages the rows and collapses
    #: them in SQL (``combine``); :meth:`read` collapses them in pandas.
    row_wise = False
    cow_missing = True
    code_columns = frozen({"ccode1": "cow", "ccode2": "cow"})
    table = TableSpec(
        name="cow_alliance",
        columns={
            "ccode1": "INTEGER",
            "ccode2": "INTEGER",
            "year": "INTEGER",
            **dict.fromkeys(_TYPES, "INTEGER"),
        },
        key=("ccode1", "ccode2", "year"),
        years=(1816, 2100),
    )

    combine = Combine(columns=table.columns, select=_collapse_sql)

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Collapse several alliances of one dyad-year into one row (any = 1)."""
        keys = ["ccode1", "ccode2", "year"]
        agg = {**dict.fromkeys(_TYPES, "max"), ROW: "min"}
        return frame.groupby(keys, as_index=False).agg(agg)
