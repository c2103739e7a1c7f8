"""COW National Material Capabilities v7.0: CINC and its six components."""

from __future__ import annotations

from dyadscope.data.adapters._base import COW_LICENCE, CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter

_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")


@register_adapter
class NMC(CsvAdapter):
    """State-years 1816–2022; COW's ``-9`` (missing) becomes NULL, never 0."""

    name = "nmc"
    title = "COW National Material Capabilities (CINC and components)"
    url = "https://correlatesofwar.org/data-sets/national-material-capabilities/"
    version = "7.0"
    citation = (
        'Singer, J. David, Stuart Bremer, and John Stuckey. 1972. "Capability Distribution, '
        'Uncertainty, and Major Power War, 1820-1965." In Bruce Russett (ed.), Peace, War, '
        "and Numbers, 19-48. Beverly Hills: Sage. (COW National Material Capabilities v7.0)"
    )
    licence = COW_LICENCE
    fetch_url = "https://correlatesofwar.org/wp-content/uploads/NMC_Documentation-7.0.zip"
    raw_columns = frozen({"ccode": "int", "year": "int", **dict.fromkeys(_COMPONENTS, "float")})
    cow_missing = True
    code_columns = frozen({"ccode": "cow"})
    iso3_columns = frozen({"iso3": "ccode"})
    table = TableSpec(
        name="nmc",
        columns={
            "ccode": "INTEGER",
            "iso3": "VARCHAR",
            "year": "INTEGER",
            **dict.fromkeys(_COMPONENTS, "DOUBLE"),
        },
        key=("ccode", "year"),
        years=(1816, 2100),
    )
