"""SIPRI Arms Transfers Database, trade register: TIV delivered per deal and year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.countries import to_iso3
from dyadscope.data.registry import TableSpec, register_adapter
from dyadscope.data.validate import ROW
from dyadscope.errors import SchemaError


def _non_state(names: pd.Series) -> pd.Series:
    """SIPRI marks non-state actors with ``*`` and organisations with ``**``."""
    text = names.fillna("").str.strip()
    return text.str.endswith("*") | text.str.lower().str.startswith("unknown")


@register_adapter
class Sipri(CsvAdapter):
    """One row per deal and delivery year; TIV in millions of SIPRI trend-indicator values.

    Supplier and recipient names become ISO3 codes; rebels, organisations (``*``/``**``)
    and "unknown" parties keep their name and get a NULL code.  Any other unmatched
    name is an error, so a misspelt state never silently drops out of a share.
    """

    name = "sipri"
    title = "SIPRI Arms Transfers (trade register, TIV by delivery year)"
    url = "https://www.sipri.org/databases/armstransfers"
    version = "trade register generated 2026-02-12 (deliveries 1995-2024)"
    citation = (
        "SIPRI Arms Transfers Database. Stockholm International Peace Research Institute. "
        "https://www.sipri.org/databases/armstransfers (trade register generated 12 Feb 2026)."
    )
    licence = "© SIPRI; free for non-commercial use with citation (SIPRI terms of use)"
    note = (
        "The vendored extract is the full register (all suppliers and recipients, "
        "deliveries 1995-2024). SIPRI ends every line of its export with ';'; only the "
        "last column (Local production, unused) carries it, so the parse is unaffected."
    )
    header_starts_with = "SIPRI AT Database ID"
    raw_columns = frozen(
        {
            "SIPRI AT Database ID": "int",
            "Supplier": "str",
            "Recipient": "str",
            "Delivery year": "int",
            "TIV delivery values": "float",
        }
    )
    renames = frozen(
        {
            "SIPRI AT Database ID": "deal_id",
            "Supplier": "supplier",
            "Recipient": "recipient",
            "Delivery year": "year",
            "TIV delivery values": "tiv",
        }
    )
    table = TableSpec(
        name="sipri_transfers",
        columns={
            "deal_id": "BIGINT",
            "supplier": "VARCHAR",
            "recipient": "VARCHAR",
            "supplier_iso3": "VARCHAR",
            "recipient_iso3": "VARCHAR",
            "year": "INTEGER",
            "tiv": "DOUBLE",
        },
        key=("deal_id", "year"),
        years=(1950, 2100),
    )

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Names to ISO3 (NULL for non-state parties); unmatched state names fail."""
        for side in ("supplier", "recipient"):
            names = frame[side]
            iso3 = to_iso3(names, "un_name", errors="coerce")
            bad = iso3.isna() & ~_non_state(names)
            if bad.any():
                row = int(frame.loc[bad, ROW].iloc[0])
                raise SchemaError(
                    f"{path}: data row {row}, column {side.capitalize()!r}: "
                    f"{names[bad].iloc[0]!r} is not a known state name; mark non-state "
                    "parties with '*' as SIPRI does"
                )
            frame[f"{side}_iso3"] = iso3.where(~_non_state(names))
        return frame
