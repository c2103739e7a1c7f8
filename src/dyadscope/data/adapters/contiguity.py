"""COW Direct Contiguity 3.2: directed dyads with contiguity type and its date range."""

from __future__ import annotations

from dyadscope.data.adapters._base import COW_LICENCE, CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class Contiguity(CsvAdapter):
    """conttype 1 = land or river border; 2–5 = separated by up to 12/24/150/400 miles of water.

    Type 0 (peacesciencer's filler for "not contiguous" spells) is kept as in the source.
    """

    name = "contiguity"
    title = "COW Direct Contiguity"
    url = "https://correlatesofwar.org/data-sets/direct-contiguity/"
    version = "3.2"
    citation = (
        "Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl, and Charles "
        'Gochman. 2002. "The Correlates of War Project Direct Contiguity Data, Version '
        '3." Conflict Management and Peace Science 19(2): 58-66.'
    )
    licence = COW_LICENCE
    note = "Vendored from peacesciencer (all states)."
    raw_columns = frozen(
        {
            "ccode1": "int",
            "ccode2": "int",
            "conttype": "int",
            "stdate": "date",
            "enddate": "date",
        }
    )
    renames = frozen({"stdate": "start_date", "enddate": "end_date"})
    code_columns = frozen({"ccode1": "cow", "ccode2": "cow"})
    table = TableSpec(
        name="contiguity",
        columns={
            "ccode1": "INTEGER",
            "ccode2": "INTEGER",
            "conttype": "INTEGER",
            "start_date": "DATE",
            "end_date": "DATE",
        },
        key=("ccode1", "ccode2", "start_date"),
        year=None,
        date_columns=("start_date", "end_date"),
    )
