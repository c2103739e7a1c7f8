"""Energy flows between the two sides, seller → buyer, and their weight in each side's trade.

Indicators named without a direction suffix are flows from A (seller) to B (buyer);
``…_b_to_a`` is the reverse flow. For RUS-CHN, ``energy_crude_mt`` is Russia's crude
sold to China.

Sources, never mixed inside one ratio:

* **BACI** (CEPII, HS6, 1995-2024; the vendored extract holds Russia-China only):
  crude (HS 270900) in Mt and US$, coal (HS 2701xx) in Mt. Where BACI covers the
  dyad it is the one source of ``energy_crude_mt`` in every year; inside its years a
  missing HS line is 0 (BACI lists flows, not absences).
* **Energy Institute** Statistical Review 2024: pipeline gas and LNG in bcm, crude in
  Mt (2023 matrices; pipeline gas between states 2000-2023 from the inter-regional
  sheet); coal in EJ (2023 matrix), used for coal shares only. ``energy_crude_mt``
  comes from the EI matrix only for dyads BACI does not hold.
* **Shares** (``…_share_b_imports``: the flow over the buyer's imports of the fuel;
  ``…_share_a_exports``: over the seller's exports) divide an EI flow by the total
  *of the same EI sheet* (the inter-regional sheet counts inter-regional trade only,
  the 2023 matrices all trade). Where the sheet has no total the share is NA.

Monthly detail for China's imports (China customs, 1993-2022) is
:func:`china_monthly_imports`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, cast

import numpy as np
import pandas as pd

from dyadscope.errors import SchemaError
from dyadscope.indicators._base import DyadQuery, Family, FamilyResult, Indicator, fetch

EI_SOURCE = "Energy Institute Statistical Review 2024"
BACI_SOURCE = "CEPII BACI (HS6)"

#: fuel -> (unit, tables, description)
_VOLUMES = {
    "energy_crude_mt": ("Mt", ("baci_energy", "ei_trade"), "crude oil", "BACI, else EI"),
    "energy_crude_usd": ("US$ (current)", ("baci_energy",), "crude oil (value)", BACI_SOURCE),
    "energy_pipeline_gas_bcm": ("bcm", ("ei_trade",), "pipeline natural gas", EI_SOURCE),
    "energy_lng_bcm": ("bcm", ("ei_trade",), "liquefied natural gas", EI_SOURCE),
    "energy_coal_mt": ("Mt", ("baci_energy",), "coal (HS 2701)", BACI_SOURCE),
}
_SHARE_FUELS = {"crude": "crude oil", "pipeline_gas": "pipeline gas", "lng": "LNG", "coal": "coal"}

_RULE_BACI = "years BACI covers the dyad (vendored: Russia-China, 1995-2024); 0 inside"
_RULE_EI = "years and pairs the Energy Institute sheets list (matrices: 2023); NA otherwise"


def _volume_indicators() -> tuple[Indicator, ...]:
    out = []
    for ident, (unit, tables, what, source) in _VOLUMES.items():
        rule = _RULE_BACI if tables == ("baci_energy",) else _RULE_EI
        for rev in (False, True):
            me, other = (f"{ident}_b_to_a", ident) if rev else (ident, f"{ident}_b_to_a")
            seller, buyer = ("B", "A") if rev else ("A", "B")
            out.append(
                Indicator(
                    me,
                    "energy",
                    f"{what.capitalize()} sold by {seller} to {buyer}",
                    unit,
                    source,
                    tables,
                    swap="mirror",
                    mirror=other,
                    coverage_rule=rule,
                )
            )
    return tuple(out)


def _share_indicators() -> tuple[Indicator, ...]:
    out = []
    for fuel, what in _SHARE_FUELS.items():
        pairs = (
            (f"energy_{fuel}_share_b_imports", f"energy_{fuel}_share_a_imports",
             f"Share of B's {what} imports bought from A"),
            (f"energy_{fuel}_share_a_imports", f"energy_{fuel}_share_b_imports",
             f"Share of A's {what} imports bought from B"),
            (f"energy_{fuel}_share_a_exports", f"energy_{fuel}_share_b_exports",
             f"Share of A's {what} exports sold to B"),
            (f"energy_{fuel}_share_b_exports", f"energy_{fuel}_share_a_exports",
             f"Share of B's {what} exports sold to A"),
        )  # fmt: skip
        for me, mirror, text in pairs:
            out.append(
                Indicator(
                    me,
                    "energy_shares",
                    text,
                    "share (0-1)",
                    EI_SOURCE,
                    ("ei_trade",),
                    swap="mirror",
                    mirror=mirror,
                    coverage_rule=_RULE_EI + "; flow and total from one EI sheet",
                )
            )
    return tuple(out)


VOLUME_INDICATORS = _volume_indicators()
SHARE_INDICATORS = _share_indicators()

_BACI_SQL = """
WITH years AS (SELECT range::INTEGER AS year FROM range($start, $end + 1)),
cov AS (SELECT min(year) AS lo, max(year) AS hi,
               count(*) FILTER (WHERE exporter_iso3 IN ($a, $b) AND importer_iso3 IN ($a, $b)
                                AND exporter_iso3 <> importer_iso3) > 0 AS covered
        FROM baci_energy),
f AS (
  SELECT year, exporter_iso3 = $a AS a_sells,
         sum(qty_tonnes) FILTER (WHERE hs6 = 270900) / 1e6 AS crude_mt,
         sum(value_usd) FILTER (WHERE hs6 = 270900) AS crude_usd,
         sum(qty_tonnes) FILTER (WHERE hs6 // 100 = 2701) / 1e6 AS coal_mt
  FROM baci_energy
  WHERE (exporter_iso3 = $a AND importer_iso3 = $b) OR (exporter_iso3 = $b AND importer_iso3 = $a)
  GROUP BY 1, 2
)
SELECT y.year, cov.covered AND y.year BETWEEN cov.lo AND cov.hi AS inside,
       ab.crude_mt AS crude_ab, ba.crude_mt AS crude_ba,
       ab.crude_usd AS usd_ab, ba.crude_usd AS usd_ba,
       ab.coal_mt AS coal_ab, ba.coal_mt AS coal_ba
FROM years y CROSS JOIN cov
LEFT JOIN f ab ON ab.year = y.year AND ab.a_sells
LEFT JOIN f ba ON ba.year = y.year AND NOT ba.a_sells
ORDER BY y.year
"""

_EI_SQL = """
SELECT year, fuel, sheet, exporter_iso3 AS e, importer_iso3 AS i, value
FROM ei_trade
WHERE year BETWEEN $start AND $end
  AND exporter_iso3 IN ($a, $b, 'WLD') AND importer_iso3 IN ($a, $b, 'WLD')
"""

#: Order of preference among EI sheets for a flow (the by-year sheet first).
_SHEET_ORDER = ("Gas - Trade movements",)


def _baci(q: DyadQuery, frame: pd.DataFrame) -> bool:
    """Fill the BACI volumes; True when BACI covers the dyad."""
    b = fetch(q.store, _BACI_SQL, q.params)
    inside = b["inside"].fillna(False).astype(bool)
    cols = {
        "energy_crude_mt": "crude_ab",
        "energy_crude_mt_b_to_a": "crude_ba",
        "energy_crude_usd": "usd_ab",
        "energy_crude_usd_b_to_a": "usd_ba",
        "energy_coal_mt": "coal_ab",
        "energy_coal_mt_b_to_a": "coal_ba",
    }
    for ident, col in cols.items():
        frame[ident] = b[col].fillna(0).where(inside).to_numpy(dtype=float)
    return bool(inside.any())


#: EI rows by (year, fuel, exporter, importer): (sheet, value) in the table's order.
_EiIndex = dict[tuple[int, str, str, str], list[tuple[str, float]]]


def _ei_index(ei: pd.DataFrame) -> _EiIndex:
    """Index the EI rows once; filtering the frame per lookup cost seconds per brief."""
    index: _EiIndex = {}
    cols = ("year", "fuel", "e", "i", "sheet", "value")
    for year, fuel, e, i, sheet, value in zip(*(ei[c].tolist() for c in cols), strict=True):
        val = float("nan") if value is None else float(value)
        index.setdefault((int(year), str(fuel), str(e), str(i)), []).append((str(sheet), val))
    return index


def _ei_value(
    index: _EiIndex, year: int, fuel: str, e: str, i: str, sheet: str | None = None
) -> tuple[float, str | None]:
    """The value for (year, fuel, e, i), from ``sheet`` if given, else the preferred sheet.

    The preferred sheet is the first row from a sheet in ``_SHEET_ORDER``, else the
    first row (the table's order).
    """
    rows = index.get((year, fuel, e, i), [])
    if sheet is not None:
        rows = [r for r in rows if r[0] == sheet]
    if not rows:
        return float("nan"), None
    best = next((r for r in rows if r[0] in _SHEET_ORDER), rows[0])
    return best[1], best[0]


def _ei(q: DyadQuery, frame: pd.DataFrame, baci_covers: bool) -> None:
    ei = fetch(q.store, _EI_SQL, q.params)
    index = _ei_index(ei)
    flows = {"pipeline_gas": "energy_pipeline_gas_bcm", "lng": "energy_lng_bcm"}
    if not baci_covers:
        flows["crude"] = "energy_crude_mt"
    rows = {int(y): n for n, y in enumerate(frame["year"])}
    # Gathered per column and written once: a scalar .loc write costs ~0.1 ms, and a
    # brief made ~1,500 of them.
    cells: dict[str, dict[int, float]] = {}
    for year in sorted(set(ei["year"].astype(int)) & set(rows)):
        row_n = rows[year]
        for fuel in _SHARE_FUELS:
            for seller, buyer, suffix in ((q.a, q.b, ""), (q.b, q.a, "_b_to_a")):
                value, sheet = _ei_value(index, year, fuel, seller, buyer)
                if fuel in flows:
                    cells.setdefault(flows[fuel] + suffix, {})[row_n] = value
                if sheet:
                    imports, _ = _ei_value(index, year, fuel, "WLD", buyer, sheet)
                    exports, _ = _ei_value(index, year, fuel, seller, "WLD", sheet)
                else:
                    imports = exports = float("nan")
                b_side, a_side = ("b", "a") if seller == q.a else ("a", "b")
                cells.setdefault(f"energy_{fuel}_share_{b_side}_imports", {})[row_n] = (
                    value / imports if imports else float("nan")
                )
                cells.setdefault(f"energy_{fuel}_share_{a_side}_exports", {})[row_n] = (
                    value / exports if exports else float("nan")
                )
    for column, by_row in cells.items():
        values = (
            frame[column].to_numpy(dtype=float, copy=True)
            if column in frame
            else np.full(len(frame), np.nan)
        )
        for row_n, value in by_row.items():
            values[row_n] = value
        frame[column] = values


def _empty(q: DyadQuery, indicators: tuple[Indicator, ...]) -> pd.DataFrame:
    frame = pd.DataFrame({"year": list(range(q.start, q.end + 1))})
    for ind in indicators:
        frame[ind.id] = float("nan")
    return frame


def run(q: DyadQuery) -> FamilyResult:
    """Volumes from BACI and the EI, one row per year."""
    frame = _empty(q, VOLUME_INDICATORS + SHARE_INDICATORS)
    notes = []
    covers = "baci_energy" in q.tables and _baci(q, frame)
    if "ei_trade" in q.tables:
        _ei(q, frame, covers)
    else:
        notes.append("energy: the store has no ei_trade table; gas and LNG volumes are NA")
    crude = f"{BACI_SOURCE}" if covers else EI_SOURCE
    if not covers:
        notes.append(
            f"energy: BACI does not cover {q.a}-{q.b} (the vendored extract holds Russia-"
            "China only): energy_crude_mt is the Energy Institute's (2023 matrix), crude "
            "values and coal are NA"
        )
    sources = {i.id: i.source for i in VOLUME_INDICATORS}
    sources["energy_crude_mt"] = sources["energy_crude_mt_b_to_a"] = crude
    keep = ["year", *(i.id for i in VOLUME_INDICATORS)]
    return FamilyResult(frame[keep], sources, notes)


def run_shares(q: DyadQuery) -> FamilyResult:
    """Shares of each side's imports and exports of each fuel (EI, one sheet per ratio)."""
    frame = _empty(q, VOLUME_INDICATORS + SHARE_INDICATORS)
    _ei(q, frame, baci_covers=True)
    keep = ["year", *(i.id for i in SHARE_INDICATORS)]
    return FamilyResult(frame[keep], {i.id: EI_SOURCE for i in SHARE_INDICATORS})


FAMILIES = (
    Family("energy", VOLUME_INDICATORS, run, tables=(), needs_ccode=False),
    Family("energy_shares", SHARE_INDICATORS, run_shares, tables=("ei_trade",), needs_ccode=False),
)


Measure = Literal["volume", "value"]
_FUEL_LABELS = {
    "crude": "Crude Oil",
    "lng": "Liquified Natural Gas (LNG)",
    "pipeline_gas": "Pipeline Carried Natural Gas (Gaseous State)",
    "coal": "Coal",
}
#: Wind unit -> factor to tonnes (volume) or US$ (value).
_UNITS = {"kg": 1e-3, "ton": 1.0, "10000 tons": 1e4, "USD": 1.0}


def china_monthly_imports(path: str | Path, origin: str = "Russian Federation") -> pd.DataFrame:
    """China's monthly fossil-fuel imports from one origin (China customs via Wind).

    Reads the Wind export (seven metadata rows ``Name, Frequency, Unit, ID, Time
    Period, Source, Update``, then ``YYYY-MM`` rows) and returns one row per month and
    fuel: ``month, fuel, tonnes, usd``. Units differ per column (kg, ton, 10,000 tons,
    USD) and are converted; empty cells are missing, not 0.

    Why a file argument: the compilation is commercial (Wind), so it is not vendored;
    point this at your own copy.

    >>> df = china_monthly_imports("china_imports_wind.csv")  # doctest: +SKIP
    >>> crude = df[df.month.str.startswith("2021") & (df.fuel == "crude")]  # doctest: +SKIP
    >>> crude.tonnes.sum() / 1e6  # doctest: +SKIP
    79.6...
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise SchemaError(f"{path}: cannot read the Wind export ({exc})") from None
    first = raw[0].str.strip()
    meta = {k: int(first.index[first == k][0]) for k in ("Name", "Unit") if (first == k).any()}
    if len(meta) < 2:
        raise SchemaError(f"{path}: no 'Name' and 'Unit' rows; is this a Wind export?")
    names, units = raw.iloc[meta["Name"]], raw.iloc[meta["Unit"]].str.strip()
    months = raw[first.str.fullmatch(r"\d{4}-\d{2}")]
    parts = []
    for fuel, label in _FUEL_LABELS.items():
        for measure, column in (("Volume", "tonnes"), ("Value", "usd")):
            wanted = f"{measure} of Imports: {label}: {origin}"
            cols = [j for j, n in names.items() if str(n).strip() == wanted]
            if not cols:
                continue
            j = cast(int, cols[0])  # header=None: the column labels are positions
            unit = units[j]
            if unit not in _UNITS:
                raise SchemaError(f"{path}: column {wanted!r}: unknown unit {unit!r}")
            values = pd.to_numeric(months[j].str.replace(",", "").str.strip(), errors="coerce")
            parts.append(
                pd.DataFrame(
                    {"month": months[0].str.strip(), "fuel": fuel, column: values * _UNITS[unit]}
                )
            )
    if not parts:
        raise SchemaError(f"{path}: no import series for origin {origin!r}")
    out = pd.concat(parts).groupby(["month", "fuel"], as_index=False).first()
    return out.reindex(columns=["month", "fuel", "tonnes", "usd"]).reset_index(drop=True)
