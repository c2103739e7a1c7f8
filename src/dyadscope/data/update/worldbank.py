"""World Bank Indicators API v2: GDP in current US$ (``NY.GDP.MKTP.CD``) for every state.

Documented at https://datahelpdesk.worldbank.org/knowledgebase/articles/889392.
Every JSON answer is ``[meta, rows]``; ``meta`` has ``page``, ``pages``, ``per_page``,
``total`` and ``lastupdated`` (the release date, which becomes the table's version).
An error is ``[{"message": [{"id", "key", "value"}]}]``.

Aggregates (World, regions, income groups) are not states: the country list
(``/country``) marks them with region "Aggregates", and only ``WLD`` (the world
total) is kept of them.  ``wbgapi`` would do the same requests; plain httpx keeps
the base URL overridable for tests and mirrors.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dyadscope.data.registry import TableSpec
from dyadscope.data.update._base import Context, Provider, Release, Target, digest
from dyadscope.errors import FetchError, SchemaError

__all__ = ["WB_GDP", "WorldBank"]

INDICATOR = "NY.GDP.MKTP.CD"

WB_GDP = TableSpec(
    name="wb_gdp",
    columns={"iso3": "VARCHAR", "year": "INTEGER", "gdp_usd": "DOUBLE"},
    key=("iso3", "year"),
    years=(1960, 2100),
)


def _page(payload: Any, url: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Split one answer into (meta, rows); a documented error becomes FetchError."""
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        if "message" in payload[0]:
            msgs = "; ".join(
                f"{m.get('key', '')}: {m.get('value', '')}" for m in payload[0]["message"]
            )
            raise FetchError(f"{url}: the World Bank API answered an error: {msgs}")
        if len(payload) == 2 and "page" in payload[0]:
            return payload[0], payload[1] or []
    raise SchemaError(f"{url}: not a World Bank API v2 answer (expected a JSON list [meta, rows])")


class WorldBank(Provider):
    """GDP, current US$, every state and the world total, 1960 to the latest year."""

    name = "worldbank"
    title = "World Bank WDI API v2, NY.GDP.MKTP.CD"
    aliases = ("wb", "wb_gdp", "gdp")
    env_var = "DYADSCOPE_WB_URL"
    default_base_url = "https://api.worldbank.org/v2"
    targets = (Target(WB_GDP, "wb_gdp"),)

    def _pages(
        self, ctx: Context, path: str, params: dict[str, Any]
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[bytes]]:
        """Every page of one query: (first meta, all rows, raw bodies)."""
        url = f"{self.base_url}/{path}"
        rows: list[dict[str, Any]] = []
        raws: list[bytes] = []
        page, pages = 1, 1
        meta: dict[str, Any] = {}
        while page <= pages:
            response = ctx.http.get(url, params={**params, "format": "json", "page": page})
            raws.append(response.content)
            try:
                payload = response.json()
            except ValueError as exc:
                raise SchemaError(f"{url} page {page}: the answer is not JSON ({exc})") from exc
            meta_n, rows_n = _page(payload, url)
            meta = meta or meta_n
            pages = int(meta_n.get("pages") or 1)
            ctx.report(f"{path}: page {page} of {pages}")
            rows.extend(rows_n)
            page += 1
        total = int(meta.get("total") or 0)
        if total and total != len(rows):
            raise SchemaError(
                f"{url}: the API announced {total} rows but {len(rows)} arrived; "
                "nothing was replaced (run the update again)"
            )
        return meta, rows, raws

    def fetch(self, ctx: Context) -> Release:
        """The country list (to drop aggregates), then every page of the GDP series."""
        _, countries, raw_c = self._pages(ctx, "country", {"per_page": 1000})
        states = {
            str(c["id"])
            for c in countries
            if (c.get("region") or {}).get("value", "").strip() != "Aggregates"
        } | {"WLD"}
        last = ctx.today.year
        meta, rows, raw_d = self._pages(
            ctx,
            f"country/all/indicator/{INDICATOR}",
            {"date": f"1960:{last}", "per_page": 20000},
        )
        query = ctx.http.urls[-1] if ctx.http.urls else self.base_url
        frame = pd.DataFrame(
            {
                "iso3": [r.get("countryiso3code") or "" for r in rows],
                "year": pd.to_numeric([r.get("date") for r in rows], errors="coerce"),
                "gdp_usd": pd.to_numeric([r.get("value") for r in rows], errors="coerce"),
            }
        )
        unknown = sorted(set(frame["iso3"]) - states - {""})
        frame = frame[frame["iso3"].isin(states) & frame["gdp_usd"].notna()]
        frame = frame.astype({"year": "int64"}).reset_index(drop=True)
        version = f"WDI, last updated {meta.get('lastupdated', 'unknown')}"
        notes = [f"left out {len(unknown)} aggregate code(s) (regions, income groups)"]
        return Release({"wb_gdp": frame}, version, query, digest(raw_c + raw_d), notes=notes)
