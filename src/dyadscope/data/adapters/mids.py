"""COW Militarized Interstate Disputes 5: non-directed dispute-dyad-years."""

from __future__ import annotations

from dyadscope.data.adapters._base import COW_LICENCE, CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class Mids(CsvAdapter):
    """One row per dispute, dyad (ccode1 < ccode2) and year; ``onset`` = 1 in its first year."""

    name = "mids"
    title = "COW Militarized Interstate Disputes (dispute-dyad-years)"
    url = "https://correlatesofwar.org/data-sets/mids/"
    version = "5.0"
    citation = (
        "Palmer, Glenn, Roseanne W. McManus, Vito D'Orazio, Michael R. Kenwick, Mikaela "
        "Karstens, Chase Bloch, Nick Dietrich, Kayla Kahn, Kellan Ritter, and Michael J. "
        'Soules. 2022. "The MID5 Dataset, 2011-2014." Conflict Management and Peace '
        "Science 39(4): 470-482."
    )
    licence = COW_LICENCE
    note = "Vendored from peacesciencer (all states)."
    raw_columns = frozen(
        {
            "dispnum": "int",
            "ccode1": "int",
            "ccode2": "int",
            "year": "int",
            "cowmidonset": "int",
        }
    )
    renames = frozen({"cowmidonset": "onset"})
    code_columns = frozen({"ccode1": "cow", "ccode2": "cow"})
    table = TableSpec(
        name="mids",
        columns={
            "dispnum": "INTEGER",
            "ccode1": "INTEGER",
            "ccode2": "INTEGER",
            "year": "INTEGER",
            "onset": "INTEGER",
        },
        key=("dispnum", "ccode1", "ccode2", "year"),
        years=(1816, 2100),
    )
