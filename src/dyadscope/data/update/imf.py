"""IMF International Trade in Goods (IMTS, which replaced DOTS) through the SDMX 3.0 API.

The data query is ``{base}/data/dataflow/IMF.STA/IMTS/+/{key}`` with the key
``COUNTRY.INDICATOR.COUNTERPART_COUNTRY.FREQUENCY`` (``+`` is the latest version of
the dataflow; ``A+B`` selects several codes, ``*`` any).  The answer is asked for as
SDMX-CSV 2.0 (``Accept: application/vnd.sdmx.data+csv;version=2.0.0``): one
observation a line with columns ``STRUCTURE, STRUCTURE_ID, ACTION, COUNTRY,
INDICATOR, COUNTERPART_COUNTRY, FREQUENCY, TIME_PERIOD, OBS_VALUE`` and attributes.

Goods exports FOB (``XG_FOB_USD``) and imports CIF (``MG_CIF_USD``) in US$ become the
canonical ``dots`` table, one row per reporter, partner and year, each side's own
report.  The world counterpart (``G001``) becomes partner ``WLD``; regional and
economic-group counterparts are dropped.  A unit multiplier attribute (``UNIT_MULT``
or ``SCALE``, a power of ten) is applied, so the table is always in US$.

Which reporters: ``countries`` when given, else the reporters the store's ``dots``
table already holds plus RUS and CHN, so an update never loses a reporter.
``sdmx1`` could parse the same answer; plain httpx keeps one code path and a base
URL that tests can point at a local server.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd

from dyadscope.data.registry import get_adapter
from dyadscope.data.update._base import Context, Provider, Release, Target, digest
from dyadscope.errors import SchemaError

__all__ = ["ImfImts"]

ACCEPT_CSV = "application/vnd.sdmx.data+csv;version=2.0.0"
INDICATORS = {"XG_FOB_USD": "exports_usd", "MG_CIF_USD": "imports_usd"}
WORLD_CODES = frozenset({"G001", "W00", "001", "WLD"})
DEFAULT_REPORTERS = ("RUS", "CHN")
_NEEDED = ("COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "TIME_PERIOD", "OBS_VALUE")


def _iso3_or_na(codes: Iterable[str]) -> dict[str, str | None]:
    """Each code → itself if it is a known ISO3 state code, WLD for the world, else None."""
    from dyadscope.data.countries import to_iso3

    unique = sorted({str(c) for c in codes})
    known = to_iso3(pd.Series(unique, dtype="string"), "iso3", errors="coerce")
    out: dict[str, str | None] = {}
    for code, iso in zip(unique, known, strict=True):
        out[code] = "WLD" if code in WORLD_CODES else (None if pd.isna(iso) else str(iso))
    return out


def parse_sdmx_csv(text: str, origin: str) -> tuple[pd.DataFrame, str]:
    """SDMX-CSV observations → the canonical ``dots`` frame and the structure id."""
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SchemaError(f"{origin}: not SDMX-CSV ({exc})") from exc
    absent = [c for c in _NEEDED if c not in raw.columns]
    if absent:
        raise SchemaError(
            f"{origin}: SDMX-CSV answer lacks column(s) {absent}; columns: {list(raw.columns)}"
        )
    raw = raw[raw["INDICATOR"].isin(INDICATORS)]
    if "FREQUENCY" in raw.columns:
        raw = raw[raw["FREQUENCY"].isin(("A", ""))]
    value = pd.to_numeric(raw["OBS_VALUE"].replace({"NaN": "", "NA": ""}), errors="coerce")
    bad = raw["OBS_VALUE"].ne("") & value.isna() & ~raw["OBS_VALUE"].isin(("NaN", "NA"))
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise SchemaError(
            f"{origin}: line {line}, field OBS_VALUE: {raw['OBS_VALUE'][bad].iloc[0]!r} "
            "is not a number"
        )
    for attr in ("UNIT_MULT", "SCALE"):
        if attr in raw.columns:
            mult = pd.to_numeric(raw[attr], errors="coerce").fillna(0)
            value = value * (10.0**mult)
    year = pd.to_numeric(raw["TIME_PERIOD"].str[:4], errors="coerce")
    codes = _iso3_or_na(pd.concat([raw["COUNTRY"], raw["COUNTERPART_COUNTRY"]]))
    long = pd.DataFrame(
        {
            "reporter_iso3": raw["COUNTRY"].map(codes),
            "partner_iso3": raw["COUNTERPART_COUNTRY"].map(codes),
            "year": year,
            "measure": raw["INDICATOR"].map(INDICATORS),
            "value": value,
        }
    )
    long = long.dropna(subset=["reporter_iso3", "partner_iso3", "year"])
    long = long[long["reporter_iso3"] != "WLD"]
    keys = ["reporter_iso3", "partner_iso3", "year"]
    dup = long.duplicated([*keys, "measure"], keep=False)
    if dup.any():
        first = long[dup].iloc[0]
        raise SchemaError(
            f"{origin}: two observations for {first['reporter_iso3']}→"
            f"{first['partner_iso3']} {int(first['year'])} {first['measure']}"
        )
    wide = long.pivot(index=keys, columns="measure", values="value")
    wide = wide.reindex(columns=list(INDICATORS.values())).reset_index()
    wide.columns.name = None
    wide["year"] = wide["year"].astype("int64")
    structure = raw["STRUCTURE_ID"].iloc[0] if "STRUCTURE_ID" in raw and len(raw) else ""
    return wide, str(structure)


class ImfImts(Provider):
    """Bilateral goods trade (IMTS) for the chosen reporters against every partner."""

    name = "imf"
    title = "IMF IMTS (International Trade in Goods), SDMX 3.0 API"
    aliases = ("imts", "dots")
    env_var = "DYADSCOPE_IMF_URL"
    default_base_url = "https://api.imf.org/external/sdmx/3.0"
    targets = (Target(get_adapter("dots").table, "dots"),)

    def reporters(self, ctx: Context) -> list[str]:
        """``countries`` option, else the store's current reporters plus RUS and CHN."""
        given = self.options.get("countries")
        if given:
            from dyadscope.data.countries import resolve

            return sorted({resolve(c) for c in given})
        current = ctx.existing.get("dots")
        have = set(current["reporter_iso3"].dropna()) if current is not None else set()
        return sorted(have | set(DEFAULT_REPORTERS))

    def fetch(self, ctx: Context) -> Release:
        """One SDMX-CSV data query for every reporter, both indicators, annual."""
        reporters = self.reporters(ctx)
        key = f"{'+'.join(reporters)}.{'+'.join(INDICATORS)}.*.A"
        url = f"{self.base_url}/data/dataflow/IMF.STA/IMTS/+/{key}"
        response = ctx.http.get(url, headers={"Accept": ACCEPT_CSV})
        frame, structure = parse_sdmx_csv(response.text, url)
        last = int(frame["year"].max()) if len(frame) else None
        version = f"IMTS {structure or 'IMF.STA:IMTS'}, data to {last}"
        notes = [f"reporters: {', '.join(reporters)}"]
        missing = sorted(set(reporters) - set(frame["reporter_iso3"]))
        if missing:
            notes.append(f"no observations for reporter(s) {', '.join(missing)}")
        return Release(
            {"dots": frame}, version, ctx.http.urls[-1], digest([response.content]), notes=notes
        )
