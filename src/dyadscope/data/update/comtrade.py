"""UN Comtrade (optional): total goods trade by reporter and partner, needs an API key.

The v1 data API, ``{base}/data/v1/get/C/A/HS`` with ``reporterCode`` (UN M49),
``period`` (years, comma-separated, at most 12 a call), ``flowCode=X,M`` and
``cmdCode=TOTAL``, sends the key in the ``Ocp-Apim-Subscription-Key`` header and
answers ``{"count": n, "elements": [{"reporterISO", "partnerISO", "flowCode",
"period", "primaryValue", …}], "error": ""}``.  The result goes to its own table,
``comtrade`` (same columns as ``dots``), never over IMF data.

Without a key (``api_key`` or ``$COMTRADE_API_KEY``) the provider is skipped with a
message, and a plain ``update()`` leaves it out.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from dyadscope.data.registry import TableSpec
from dyadscope.data.update._base import Context, Provider, Release, Target, digest
from dyadscope.errors import FetchError, SchemaError

__all__ = ["COMTRADE", "Comtrade"]

COMTRADE = TableSpec(
    name="comtrade",
    columns={
        "reporter_iso3": "VARCHAR",
        "partner_iso3": "VARCHAR",
        "year": "INTEGER",
        "exports_usd": "DOUBLE",
        "imports_usd": "DOUBLE",
    },
    key=("reporter_iso3", "partner_iso3", "year"),
    years=(1962, 2100),
)
KEY_ENV = "COMTRADE_API_KEY"
_FLOWS = {"X": "exports_usd", "M": "imports_usd"}
_FIRST_YEAR = 2000


def _m49(iso3: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise FetchError(f"{iso3}: no UN M49 code known for Comtrade")
    return str(int(country.numeric))


class Comtrade(Provider):
    """Goods exports and imports (HS TOTAL) of the chosen reporters with every partner."""

    name = "comtrade"
    title = "UN Comtrade API v1 (HS, TOTAL)"
    env_var = "DYADSCOPE_COMTRADE_URL"
    default_base_url = "https://comtradeapi.un.org"
    targets = (Target(COMTRADE, "comtrade"),)
    optional = True

    @property
    def api_key(self) -> str | None:
        """The ``api_key`` option, else ``$COMTRADE_API_KEY``."""
        return self.options.get("api_key") or os.environ.get(KEY_ENV) or None

    def unavailable(self) -> str | None:
        """Comtrade needs a subscription key."""
        if self.api_key is None:
            return f"UN Comtrade needs an API key: set {KEY_ENV} (free at comtradedeveloper.un.org)"
        return None

    def fetch(self, ctx: Context) -> Release:
        """One call per block of 12 years; elements pivoted to exports and imports."""
        reporters = sorted(self.options.get("countries") or ("RUS", "CHN"))
        url = f"{self.base_url}/data/v1/get/C/A/HS"
        headers = {"Ocp-Apim-Subscription-Key": str(self.api_key)}
        years = list(range(_FIRST_YEAR, ctx.today.year + 1))
        rows: list[dict[str, Any]] = []
        raws: list[bytes] = []
        for i in range(0, len(years), 12):
            block = years[i : i + 12]
            params = {
                "reporterCode": ",".join(_m49(r) for r in reporters),
                "period": ",".join(map(str, block)),
                "flowCode": "X,M",
                "cmdCode": "TOTAL",
                "partner2Code": "0",
                "customsCode": "C00",
                "motCode": "0",
            }
            response = ctx.http.get(url, params=params, headers=headers)
            raws.append(response.content)
            payload = response.json()
            if not isinstance(payload, dict) or "elements" not in payload:
                raise SchemaError(f"{url}: expected a JSON object with 'elements'")
            if payload.get("error"):
                raise FetchError(f"{url}: Comtrade answered an error: {payload['error']}")
            rows.extend(payload["elements"] or [])
        long = pd.DataFrame(rows)
        if long.empty:
            raise SchemaError(f"{url}: Comtrade returned no data for {', '.join(reporters)}")
        long = long[long["flowCode"].isin(_FLOWS)]
        long["partner_iso3"] = long["partnerISO"].replace({"W00": "WLD"})
        long = long.rename(columns={"reporterISO": "reporter_iso3", "period": "year"})
        long["year"] = pd.to_numeric(long["year"], errors="coerce").astype("int64")
        long["measure"] = long["flowCode"].map(_FLOWS)
        keys = ["reporter_iso3", "partner_iso3", "year"]
        wide = long.pivot_table(index=keys, columns="measure", values="primaryValue", aggfunc="sum")
        wide = wide.reindex(columns=list(_FLOWS.values())).reset_index()
        wide.columns.name = None
        last = int(wide["year"].max())
        version = f"Comtrade v1, data to {last}"
        return Release({"comtrade": wide}, version, ctx.http.urls[-1], digest(raws))
