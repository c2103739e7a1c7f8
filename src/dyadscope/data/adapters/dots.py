"""IMF Direction of Trade Statistics (DOTS): goods exports (FOB) and imports (CIF), US$."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dyadscope._sql import quote_identifier, quote_literal
from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import Combine, TableSpec, register_adapter
from dyadscope.data.validate import ROW, check_codes, check_keys

_INDICATORS = {"TXG_FOB_USD": "exports_usd", "TMG_CIF_USD": "imports_usd"}
_KEYS = ("reporter_iso3", "partner_iso3", "year")


def _pivot_sql(staged: str) -> str:
    """The pivot of :meth:`Dots.transform` in SQL: one row per dyad-year, sorted by key.

    Each (key, measure) is unique (checked first), so ``max`` picks the one value.
    """
    keys = ", ".join(quote_identifier(k) for k in _KEYS)
    measures = ", ".join(
        f"max(value_usd) FILTER (WHERE measure = {quote_literal(m)}) AS {quote_identifier(m)}"
        for m in _INDICATORS.values()
    )
    known = " AND ".join(f"{quote_identifier(k)} IS NOT NULL" for k in _KEYS)
    return (
        f"SELECT {keys}, {measures}, min(_row) AS _row FROM {staged} WHERE {known} "
        f"GROUP BY {keys} ORDER BY {keys}"
    )


@register_adapter
class Dots(CsvAdapter):
    """Long DOTS rows (one per reporter, partner, indicator, year) pivoted to dyad-years.

    Each side's own report is kept: ``reporter_iso3``'s exports to and imports from
    ``partner_iso3``, as the reporter states them (mirror statistics differ).
    """

    name = "dots"
    title = "IMF Direction of Trade Statistics (goods, US$)"
    url = "https://data.imf.org/?sk=9d6028d4-f14a-464c-a2f2-59b2cd424b85"
    version = "extract 1948-2020 (Candelon & Moura 2023)"
    citation = (
        "International Monetary Fund. Direction of Trade Statistics (DOTS). Washington, DC: "
        "IMF. Extract as used in Candelon, Bertrand, and Rubens Moura. 2023. Economic "
        "Modelling."
    )
    licence = "IMF data: free to use with attribution (IMF terms of use)"
    #: The transform combines rows of one key: a load stages the prepared rows and
    #: pivots them in SQL (``combine``); :meth:`read` pivots in pandas.
    row_wise = False
    note = "Six reporters (BRA, CHN, IND, MEX, RUS, URY), each against the other five."
    raw_columns = frozen(
        {
            "Country Name": "str",
            "Indicator Code": "str",
            "Counterpart Country Name": "str",
            "year": "int",
            "value_usd": "float",
        }
    )
    table = TableSpec(
        name="dots",
        columns={
            "reporter_iso3": "VARCHAR",
            "partner_iso3": "VARCHAR",
            "year": "INTEGER",
            "exports_usd": "DOUBLE",
            "imports_usd": "DOUBLE",
        },
        key=("reporter_iso3", "partner_iso3", "year"),
        years=(1948, 2100),
    )

    combine = Combine(
        columns={
            "reporter_iso3": "VARCHAR",
            "partner_iso3": "VARCHAR",
            "measure": "VARCHAR",
            "year": "INTEGER",
            "value_usd": "DOUBLE",
        },
        select=_pivot_sql,
        unique=("reporter_iso3", "partner_iso3", "measure", "year"),
    )

    def prepare(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Keep the two goods indicators, map names to ISO3, name the measure of each row."""
        frame = frame[frame["Indicator Code"].isin(_INDICATORS)].copy()
        frame["reporter_iso3"] = check_codes(frame, "Country Name", "un_name", path)
        frame["partner_iso3"] = check_codes(frame, "Counterpart Country Name", "un_name", path)
        frame["measure"] = frame["Indicator Code"].map(_INDICATORS)
        return frame

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """:meth:`prepare`, then pivot to one row per dyad-year (what ``combine`` does)."""
        frame = self.prepare(frame, path)
        check_keys(frame, ("reporter_iso3", "partner_iso3", "Indicator Code", "year"), path)
        keys = list(_KEYS)
        wide = frame.pivot(index=keys, columns="measure", values="value_usd")
        wide = wide.reindex(columns=list(_INDICATORS.values())).reset_index()
        rows = frame.groupby(keys)[ROW].min().rename(ROW).reset_index()
        wide = wide.merge(rows, on=keys)
        wide.columns.name = None
        return wide
