"""SIPRI: the Arms Transfers trade register and the Military Expenditure Database.

**Arms transfers.** The database's own application asks its back end for the trade
register with ``POST {base}/api/p/trades/trade-register-csv/`` and a JSON body of
filters (``{"filters": [{"field": "Delivery year", "condition": "contains",
"value1": FIRST, "value2": LAST, …}], "logic": "AND"}``); the answer is
``{"bytes": "<base64 CSV>"}``: SIPRI's usual export, a preamble with ``Data generated:
<date>`` (the release) and the ``SIPRI AT Database ID,…`` header.  The decoded file is
read by the ``sipri`` adapter, exactly as a file a user downloads by hand.

**Military expenditure.** SIPRI publishes one workbook a year,
``{base}/sites/default/files/SIPRI-Milex-data-1949-<YEAR>.xlsx``; the newest of the
last three years that exists is taken.  Its ``Current US$`` sheet (US$ m) becomes
``sipri_milex(iso3, year, milex_usd_m)``; ``...`` and ``xxx`` are missing, region
rows and names that are not states are left out (and listed in the notes).
"""

from __future__ import annotations

import base64
import binascii
import re
import warnings
from pathlib import Path

import pandas as pd

from dyadscope._io import sha256_file
from dyadscope.data.registry import TableSpec, get_adapter
from dyadscope.data.update._base import Context, Provider, Release, Target
from dyadscope.errors import FetchError, SchemaError

__all__ = ["SIPRI_MILEX", "SipriArmsTransfers", "SipriMilex", "parse_milex"]

SIPRI_MILEX = TableSpec(
    name="sipri_milex",
    columns={"iso3": "VARCHAR", "year": "INTEGER", "milex_usd_m": "DOUBLE"},
    key=("iso3", "year"),
    years=(1949, 2100),
)

_GENERATED = re.compile(r"Data generated:\s*([^;\n]+)")
_MILEX_SHEET = "Current US$"


class SipriArmsTransfers(Provider):
    """The full trade register (all suppliers and recipients), deliveries 1950 to today."""

    name = "sipri"
    title = "SIPRI Arms Transfers Database, trade register"
    aliases = ("sipri_transfers", "arms")
    env_var = "DYADSCOPE_SIPRI_AT_URL"
    default_base_url = "https://atbackend.sipri.org"
    targets = (Target(get_adapter("sipri").table, "sipri"),)

    def fetch(self, ctx: Context) -> Release:
        """POST the filters, decode the CSV, read it with the ``sipri`` adapter."""
        url = f"{self.base_url}/api/p/trades/trade-register-csv/"
        body = {
            "filters": [
                {
                    "field": "Delivery year",
                    "oldField": "",
                    "condition": "contains",
                    "value1": 1950,
                    "value2": ctx.today.year,
                    "listData": [],
                },
                {"field": "opendeals", "condition": "", "value1": "", "value2": "", "listData": []},
            ],
            "logic": "AND",
        }
        response = ctx.http.request("POST", url, json=body)
        assert response is not None
        try:
            blob = base64.b64decode(response.json()["bytes"], validate=True)
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise SchemaError(
                f"{url}: expected JSON {{'bytes': <base64 CSV>}} from SIPRI ({exc})"
            ) from exc
        path = ctx.workdir / "trade_register.csv"
        path.write_bytes(blob)
        text = blob.decode("utf-8-sig", errors="replace")
        found = _GENERATED.search(text)
        if found is None:
            raise SchemaError(
                f"{url}: the trade register has no 'Data generated:' line; not a SIPRI export"
            )
        frame = get_adapter("sipri").produce(path)
        version = f"trade register generated {found.group(1).strip()}"
        return Release({"sipri_transfers": frame}, version, url, sha256_file(path))


def parse_milex(path: Path, origin: str) -> tuple[pd.DataFrame, list[str]]:
    """The ``Current US$`` sheet as ``iso3, year, milex_usd_m`` plus notes."""
    from dyadscope.data.countries import to_iso3

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "no default style" from openpyxl
            with warnings.catch_warnings():  # SIPRI's workbook has no default style
                warnings.filterwarnings("ignore", "Workbook contains no default style")
                sheet = pd.read_excel(path, sheet_name=_MILEX_SHEET, header=None, dtype=object)
    except ValueError as exc:
        raise SchemaError(f"{origin}: no sheet {_MILEX_SHEET!r} ({exc})") from exc
    first = sheet[0].astype("string").str.strip()
    heads = first.index[first == "Country"]
    if len(heads) == 0:
        raise SchemaError(f"{origin}: sheet {_MILEX_SHEET!r} has no header row 'Country'")
    head = int(heads[0])
    header = sheet.iloc[head]
    year_cols = {
        col: int(float(str(v)))
        for col, v in header.items()
        if re.fullmatch(r"\d{4}(\.0)?", str(v).strip())
    }
    if not year_cols:
        raise SchemaError(f"{origin}: sheet {_MILEX_SHEET!r}, row {head + 1}: no year columns")
    body = sheet.iloc[head + 1 :]
    names = body[0].astype("string").str.strip()
    values = body[list(year_cols)].apply(pd.to_numeric, errors="coerce")
    has_data = values.notna().any(axis=1) & names.notna()
    names, values = names[has_data], values[has_data]
    iso3 = to_iso3(names, "un_name", errors="coerce")
    dropped = sorted(set(names[iso3.isna()]))
    values = values[iso3.notna()]
    values.columns = [year_cols[c] for c in values.columns]
    values.insert(0, "iso3", iso3[iso3.notna()])
    long = values.melt(id_vars="iso3", var_name="year", value_name="milex_usd_m").dropna()
    # Two names for one state (USSR and Russia) never report the same year.
    long = long.sort_values(["iso3", "year"]).drop_duplicates(["iso3", "year"], keep="last")
    long["year"] = long["year"].astype("int64")
    notes = [f"names not matched to a state, left out: {dropped}"] if dropped else []
    return long.reset_index(drop=True), notes


class SipriMilex(Provider):
    """Military expenditure in current US$ m for every state, from SIPRI's yearly workbook."""

    name = "milex"
    title = "SIPRI Military Expenditure Database"
    aliases = ("sipri_milex",)
    env_var = "DYADSCOPE_SIPRI_MILEX_URL"
    default_base_url = "https://www.sipri.org"
    targets = (Target(SIPRI_MILEX, "sipri_milex"),)

    def fetch(self, ctx: Context) -> Release:
        """Try this year's workbook name, then the two before; parse the newest that exists."""
        tried = []
        for year in range(ctx.today.year, ctx.today.year - 3, -1):
            url = f"{self.base_url}/sites/default/files/SIPRI-Milex-data-1949-{year}.xlsx"
            tried.append(url)
            try:
                if ctx.http.request("HEAD", url, ok_missing=True) is None:
                    continue
            except FetchError:
                pass  # a server that refuses HEAD: the download below says whether it exists
            path = ctx.http.download(url, ctx.workdir / Path(url).name)
            frame, notes = parse_milex(path, url)
            version = f"SIPRI Milex 1949-{year}"
            return Release({"sipri_milex": frame}, version, url, sha256_file(path), notes=notes)
        raise FetchError(f"no SIPRI Milex workbook found at {', '.join(tried)}")
