"""COW Trade v4.0 (Barbieri & Keshk): dyadic flows and national totals, US$ million."""

from __future__ import annotations

from dyadscope.data.adapters._base import COW_LICENCE, CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter

_CITATION = (
    'Barbieri, Katherine, Omar M. G. Keshk, and Brian Pollins. 2009. "Trading Data: '
    'Evaluating our Assumptions and Coding Rules." Conflict Management and Peace Science '
    "26(5): 471-491. (COW Trade v4.0, Barbieri and Keshk 2016)"
)
_URL = "https://correlatesofwar.org/data-sets/bilateral-trade/"
_FETCH = "https://correlatesofwar.org/wp-content/uploads/COW_Trade_4.0.zip"


@register_adapter
class CowTradeDyadic(CsvAdapter):
    """Non-directed dyad-years; flow1 = ccode1's imports from ccode2; ``-9`` → NULL."""

    name = "cow_trade_dyadic"
    title = "COW Dyadic Trade (flows in current US$ million)"
    url = _URL
    version = "4.0"
    citation = _CITATION
    licence = COW_LICENCE
    fetch_url = _FETCH
    note = "The vendored extract holds the dyads of COW 365 (Russia) and 710 (China) only."
    raw_columns = frozen(
        {
            "ccode1": "int",
            "ccode2": "int",
            "year": "int",
            "flow1": "float",
            "flow2": "float",
        }
    )
    cow_missing = True
    code_columns = frozen({"ccode1": "cow", "ccode2": "cow"})
    table = TableSpec(
        name="cow_trade_dyadic",
        columns={
            "ccode1": "INTEGER",
            "ccode2": "INTEGER",
            "year": "INTEGER",
            "flow1": "DOUBLE",
            "flow2": "DOUBLE",
        },
        key=("ccode1", "ccode2", "year"),
        years=(1870, 2100),
    )


@register_adapter
class CowTradeNational(CsvAdapter):
    """State-years of total imports and exports; ``-9`` → NULL."""

    name = "cow_trade_national"
    title = "COW National Trade (totals in current US$ million)"
    url = _URL
    version = "4.0"
    citation = _CITATION
    licence = COW_LICENCE
    fetch_url = _FETCH
    raw_columns = frozen({"ccode": "int", "year": "int", "imports": "float", "exports": "float"})
    cow_missing = True
    code_columns = frozen({"ccode": "cow"})
    iso3_columns = frozen({"iso3": "ccode"})
    table = TableSpec(
        name="cow_trade_national",
        columns={
            "ccode": "INTEGER",
            "iso3": "VARCHAR",
            "year": "INTEGER",
            "imports": "DOUBLE",
            "exports": "DOUBLE",
        },
        key=("ccode", "year"),
        years=(1870, 2100),
    )
