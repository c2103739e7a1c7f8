"""ATOP 5.1 alliance obligations by directed dyad-year (peacesciencer's extract)."""

from __future__ import annotations

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter

_OBLIGATIONS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")


@register_adapter
class Atop(CsvAdapter):
    """Directed dyad-years with an alliance; each obligation is 0 or 1."""

    name = "atop"
    title = "ATOP alliance obligations (directed dyad-years)"
    url = "http://www.atopdata.org/"
    version = "5.1"
    citation = (
        "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. "
        'Long. 2002. "Alliance Treaty Obligations and Provisions, 1815-1944." '
        "International Interactions 28: 237-260. (ATOP v5.1)"
    )
    licence = "ATOP: free for research use with citation"
    note = "Vendored from peacesciencer (all states)."
    raw_columns = frozen(
        {
            "ccode1": "int",
            "ccode2": "int",
            "year": "int",
            **dict.fromkeys(_OBLIGATIONS, "int"),
        }
    )
    code_columns = frozen({"ccode1": "cow", "ccode2": "cow"})
    table = TableSpec(
        name="atop",
        columns={
            "ccode1": "INTEGER",
            "ccode2": "INTEGER",
            "year": "INTEGER",
            **dict.fromkeys(_OBLIGATIONS, "INTEGER"),
        },
        key=("ccode1", "ccode2", "year"),
        years=(1815, 2100),
    )
