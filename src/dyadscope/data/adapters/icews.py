"""ICEWS event counts by directed dyad-year and quad class (netify's extract)."""

from __future__ import annotations

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class Icews(CsvAdapter):
    """Directed dyad-years: ``source_iso3`` acts toward ``target_iso3``."""

    name = "icews"
    title = "ICEWS dyad-year event counts (verbal/material cooperation and conflict)"
    url = "https://dataverse.harvard.edu/dataverse/icews"
    version = "netify icews extract 2002-2014"
    citation = (
        "Boschee, Elizabeth, et al. 2015. ICEWS Coded Event Data. Harvard Dataverse, "
        "doi:10.7910/DVN/28075. Dyad-year aggregation from the netify R package "
        "(Minhas, Dorff, et al.)."
    )
    licence = "ICEWS: public release on Harvard Dataverse; netify package GPL-3"
    note = "The vendored extract keeps directed pairs among RUS, CHN, USA and IND."
    raw_columns = frozen(
        {
            "i_iso3c": "str",
            "j_iso3c": "str",
            "year": "int",
            "verbCoop": "int",
            "matlCoop": "int",
            "verbConf": "int",
            "matlConf": "int",
        }
    )
    renames = frozen(
        {
            "verbCoop": "verb_coop",
            "matlCoop": "matl_coop",
            "verbConf": "verb_conf",
            "matlConf": "matl_conf",
        }
    )
    code_columns = frozen({"i_iso3c": "iso3", "j_iso3c": "iso3"})
    iso3_columns = frozen({"source_iso3": "i_iso3c", "target_iso3": "j_iso3c"})
    table = TableSpec(
        name="icews",
        columns={
            "source_iso3": "VARCHAR",
            "target_iso3": "VARCHAR",
            "year": "INTEGER",
            "verb_coop": "INTEGER",
            "matl_coop": "INTEGER",
            "verb_conf": "INTEGER",
            "matl_conf": "INTEGER",
        },
        key=("source_iso3", "target_iso3", "year"),
        years=(1995, 2100),
    )
