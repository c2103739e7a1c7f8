"""State-year economic series: SIPRI military expenditure and World Bank GDP.

Both are long tables ``iso3, year, value…`` in current US$. SIPRI's workbook is read
with openpyxl (through pandas); the World Bank file is a plain CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd

from dyadscope.data.adapters._base import CsvAdapter, frozen, read_sheet
from dyadscope.data.countries import to_iso3
from dyadscope.data.registry import Adapter, TableSpec, register_adapter
from dyadscope.errors import SchemaError

_SIPRI_LICENCE = "© SIPRI; free for non-commercial use with citation (SIPRI terms of use)"
#: The workbook's sheets used, and the column each becomes.
_MILEX_SHEETS = {"Current US$": "milex_usd", "Share of GDP": "milex_share_gdp"}


def _read_milex_sheet(path: Path, sheet: str, column: str) -> pd.DataFrame:
    """One SIPRI country sheet to long ``iso3, year, column`` (regions and blanks dropped).

    The header row is the one whose first cell is ``Country``; ``...`` (unavailable)
    and ``xxx`` (state did not exist) are missing. Two rows naming one ISO3 state
    (USSR and Russia, Yemen North and Yemen) are merged year by year.
    """
    raw = read_sheet(path, sheet)
    first = raw[0].astype(str).str.strip()
    heads = first.index[first == "Country"]
    if heads.empty:
        raise SchemaError(f"{path}: sheet {sheet!r} has no header row starting with 'Country'")
    head = int(heads[0])
    years = {
        c: int(v) for c, v in raw.iloc[head].items() if isinstance(v, (int, float)) and v > 1900
    }
    body = raw.iloc[head + 1 :]
    body = body[body[0].notna()]
    values = body[list(years)].apply(pd.to_numeric, errors="coerce")
    names = body[0].astype(str).str.strip()
    iso3 = to_iso3(names, "un_name", errors="coerce")
    has_data = values.notna().any(axis=1)
    frame = values[iso3.notna() & has_data].rename(columns=years)
    frame.insert(0, "iso3", iso3[iso3.notna() & has_data])
    long = frame.melt(id_vars="iso3", var_name="year", value_name=column).dropna()
    # as_index=False gives a frame; pandas-stubs types this selection as a Series
    long = cast(pd.DataFrame, long.groupby(["iso3", "year"], as_index=False)[column].first())
    long["year"] = long["year"].astype("int64")
    return long


@register_adapter
class Milex(Adapter):
    """Military expenditure by state and year: current US$ million and share of GDP.

    Non-state rows (regions, the European Union) are dropped.
    """

    name = "milex"
    title = "SIPRI Military Expenditure Database (current US$ m and share of GDP)"
    url = "https://www.sipri.org/databases/milex"
    version = "April 2024 release (1949-2023)"
    citation = (
        "SIPRI Military Expenditure Database. Stockholm International Peace Research "
        "Institute, 2024. https://www.sipri.org/databases/milex"
    )
    licence = _SIPRI_LICENCE
    raw_columns = frozen({"Country": "str"})
    table = TableSpec(
        name="milex",
        columns={
            "iso3": "VARCHAR",
            "year": "INTEGER",
            "milex_usd": "DOUBLE",
            "milex_share_gdp": "DOUBLE",
        },
        key=("iso3", "year"),
        years=(1949, 2100),
    )

    def read(self, path: Path) -> pd.DataFrame:
        """Both sheets, joined on (iso3, year)."""
        parts = [_read_milex_sheet(path, s, c) for s, c in _MILEX_SHEETS.items()]
        frame = parts[0].merge(parts[1], on=["iso3", "year"], how="outer")
        return frame.sort_values(["iso3", "year"]).reset_index(drop=True)


@register_adapter
class Gdp(CsvAdapter):
    """GDP in current US$ by state and year; aggregates (World, regions) are dropped."""

    name = "gdp"
    title = "World Bank GDP (current US$, NY.GDP.MKTP.CD)"
    url = "https://data.worldbank.org/indicator/NY.GDP.MKTP.CD"
    version = "datasets/gdp snapshot (1960-2023)"
    citation = "World Bank. World Development Indicators: GDP (current US$), NY.GDP.MKTP.CD."
    licence = "World Bank data CC BY 4.0 (repackaged under ODC-PDDL by datasets/gdp)"
    raw_columns = frozen(
        {"Country Name": "str", "Country Code": "str", "Year": "int", "Value": "float"}
    )
    renames = frozen({"Country Code": "code", "Year": "year", "Value": "gdp_usd"})
    table = TableSpec(
        name="gdp",
        columns={"iso3": "VARCHAR", "year": "INTEGER", "gdp_usd": "DOUBLE"},
        key=("iso3", "year"),
        years=(1960, 2100),
    )

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Keep rows whose code is a state's ISO3 (aggregates such as WLD are not)."""
        iso3 = to_iso3(frame["code"], "iso3", errors="coerce")
        frame = frame[iso3.notna()].copy()
        frame["iso3"] = iso3[iso3.notna()]
        return frame
