"""COW Intergovernmental Organizations 3: joint memberships by non-directed dyad-year."""

from __future__ import annotations

from dyadscope.data.adapters._base import COW_LICENCE, CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class Igos(CsvAdapter):
    """``dyadigos`` = number of IGOs in which both states are full members."""

    name = "igos"
    title = "COW IGO joint memberships (non-directed dyad-years)"
    url = "https://correlatesofwar.org/data-sets/igos/"
    version = "3.0"
    citation = (
        "Pevehouse, Jon C. W., Timothy Nordstrom, Roseanne W. McManus, and Anne Spencer "
        'Jamison. 2020. "Tracking Organizations in the World: The Correlates of War IGO '
        'Version 3.0 Datasets." Journal of Peace Research 57(3): 492-503.'
    )
    licence = COW_LICENCE
    note = "Vendored from peacesciencer (all states)."
    raw_columns = frozen({"ccode1": "int", "ccode2": "int", "year": "int", "dyadigos": "int"})
    cow_missing = True
    code_columns = frozen({"ccode1": "cow", "ccode2": "cow"})
    table = TableSpec(
        name="igos",
        columns={
            "ccode1": "INTEGER",
            "ccode2": "INTEGER",
            "year": "INTEGER",
            "dyadigos": "INTEGER",
        },
        key=("ccode1", "ccode2", "year"),
        years=(1816, 2100),
    )
