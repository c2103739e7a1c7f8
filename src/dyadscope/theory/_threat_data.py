"""The raw components of Walt's four threat criteria, read from the canonical tables.

Each function returns one frame of components for a year and a set of states, with
a ``score`` in [0, 1] per component and NaN wherever the store says nothing.  The
balance-of-threat engine (:mod:`dyadscope.theory.threat`) averages the components
into criteria and the criteria into a threat score.

Coverage rule for the dyadic event tables (``contiguity``, ``mindist``, ``mids``,
``atop``): these tables list only dyads *with* something (a border, a dispute, an
alliance), so a missing row means "none" only when the table covers the dyad at
all.  A dyad counts as covered when both states appear somewhere in the table and
the year lies within the table's years.  A store loaded from the full COW/ATOP
files covers every dyad; the vendored extracts cover only the dyads among a few
states, and every other dyad gets NA rather than a false "none".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dyadscope.errors import MissingData
from dyadscope.theory._common import query

if TYPE_CHECKING:
    from dyadscope.data.store import Store

#: Mean Earth radius (km), IUGG.
EARTH_RADIUS_KM = 6371.0088
#: Largest great-circle distance on the sphere (half the circumference), km.
MAX_DISTANCE_KM = math.pi * EARTH_RADIUS_KM
#: COW direct-contiguity types as closeness scores: 1 land border, 2–5 separated by
#: at most 12, 24, 150 and 400 miles of water; 0 means not contiguous.
CONTIGUITY_SCORE = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.4, 5: 0.2, 0: 0.0}
#: Years of MID history that count towards offensive intentions.
MID_WINDOW = 10

COMPONENT_COLUMNS = ["perceiver", "source", "criterion", "component", "raw", "score"]


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km between two points given in degrees.

    >>> round(haversine_km(0, 0, 0, 90))  # a quarter of the equator
    10008
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlng = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _pairs(codes: Mapping[str, int]) -> list[tuple[str, str]]:
    return [(i, j) for i in codes for j in codes if i != j]


def _rows(
    codes: Mapping[str, int],
    criterion: str,
    component: str,
    values: Mapping[tuple[str, str], float],
) -> pd.DataFrame:
    """One component for every ordered pair; ``values`` maps (perceiver, source) -> raw."""
    rows = []
    for i, j in _pairs(codes):
        raw = values.get((i, j), np.nan)
        rows.append((i, j, criterion, component, raw))
    return pd.DataFrame(rows, columns=COMPONENT_COLUMNS[:-1])


def _share_component(
    store: Store, year: int, codes: Mapping[str, int], column: str, criterion: str
) -> pd.DataFrame:
    """Source state's share of the set's total ``column`` (NMC); NaN if any state lacks it."""
    df = query(
        store,
        f"SELECT ccode, {column} AS v FROM nmc WHERE year = ? AND ccode IN "
        f"({', '.join('?' * len(codes))})",
        [year, *codes.values()],
    )
    by_code = dict(zip(df["ccode"].astype(int), df["v"].astype(float), strict=True))
    vals = np.array([by_code.get(c, np.nan) for c in codes.values()], dtype=float)
    total = vals.sum() if np.all(np.isfinite(vals)) else np.nan
    share = {
        iso: (v / total if total and np.isfinite(total) else np.nan)
        for iso, v in zip(codes, vals, strict=True)
    }
    out = _rows(codes, criterion, column, {(i, j): share[j] for i, j in _pairs(codes)})
    out["score"] = out["raw"]
    return out


def power_components(store: Store, year: int, codes: Mapping[str, int]) -> pd.DataFrame:
    """Aggregate power: the source's CINC share within the set of states."""
    return _share_component(store, year, codes, "cinc", "power")


def capability_components(store: Store, year: int, codes: Mapping[str, int]) -> pd.DataFrame:
    """Offensive capability: the source's share of the set's military spending and personnel."""
    return pd.concat(
        [
            _share_component(store, year, codes, "milex", "capability"),
            _share_component(store, year, codes, "milper", "capability"),
        ],
        ignore_index=True,
    )


def _covered(store: Store, table: str, year_sql: str, year: int, a: int, b: int) -> bool:
    """Whether ``table`` covers the dyad (a, b) in ``year`` (see the module docstring)."""
    if not store.has(table):
        return False
    row = query(
        store,
        f"SELECT min({year_sql[0]}) AS lo, max({year_sql[1]}) AS hi, "
        f"count(*) FILTER (WHERE ccode1 = ? OR ccode2 = ?) AS na, "
        f"count(*) FILTER (WHERE ccode1 = ? OR ccode2 = ?) AS nb FROM {table}",
        [a, a, b, b],
    ).iloc[0]
    if pd.isna(row["lo"]):
        return False
    return bool(row["lo"] <= year <= row["hi"] and row["na"] > 0 and row["nb"] > 0)


def proximity_components(store: Store, year: int, codes: Mapping[str, int]) -> pd.DataFrame:
    """Proximity: contiguity type, distance between capitals, minimum distance.

    Distances become closeness scores ``1 - d / MAX_DISTANCE_KM`` (1 = same place,
    0 = antipodes); contiguity types become :data:`CONTIGUITY_SCORE`.
    """
    cont: dict[tuple[str, str], float] = {}
    capdist: dict[tuple[str, str], float] = {}
    mind: dict[tuple[str, str], float] = {}
    caps = _capitals(store, year, codes)
    for i, j in _pairs(codes):
        a, b = codes[i], codes[j]
        if _covered(store, "contiguity", ("year(start_date)", "year(end_date)"), year, a, b):
            hit = query(
                store,
                "SELECT min(conttype) AS t FROM contiguity WHERE ((ccode1 = ? AND ccode2 = ?) OR "
                "(ccode1 = ? AND ccode2 = ?)) AND ? BETWEEN year(start_date) AND year(end_date) "
                "AND conttype > 0",
                [a, b, b, a, year],
            )["t"].iloc[0]
            cont[(i, j)] = 0.0 if pd.isna(hit) else float(hit)
        if a in caps and b in caps:
            capdist[(i, j)] = haversine_km(*caps[a], *caps[b])
        if _covered(store, "mindist", ("year", "year"), year, a, b):
            hit = query(
                store,
                "SELECT min(mindist) AS d FROM mindist WHERE year = ? AND "
                "((ccode1 = ? AND ccode2 = ?) OR (ccode1 = ? AND ccode2 = ?))",
                [year, a, b, b, a],
            )["d"].iloc[0]
            mind[(i, j)] = float(hit) if pd.notna(hit) else np.nan
    parts = [
        _rows(codes, "proximity", "contiguity_type", cont),
        _rows(codes, "proximity", "capital_distance_km", capdist),
        _rows(codes, "proximity", "min_distance_km", mind),
    ]
    parts[0]["score"] = parts[0]["raw"].map(
        lambda t: CONTIGUITY_SCORE.get(int(t), np.nan) if pd.notna(t) else np.nan
    )
    for p in parts[1:]:
        p["score"] = (1.0 - p["raw"] / MAX_DISTANCE_KM).clip(0.0, 1.0)
    return pd.concat(parts, ignore_index=True)


def _capitals(store: Store, year: int, codes: Mapping[str, int]) -> dict[int, tuple[float, float]]:
    if not store.has("capitals"):
        return {}
    df = query(
        store,
        "SELECT ccode, arg_max(lat, start_date) AS lat, arg_max(lng, start_date) AS lng "
        "FROM capitals WHERE ? BETWEEN year(start_date) AND year(end_date) "
        f"AND ccode IN ({', '.join('?' * len(codes))}) GROUP BY ccode",
        [year, *codes.values()],
    )
    return {
        int(r.ccode): (float(r.lat), float(r.lng))
        for r in df.itertuples()
        if pd.notna(r.lat) and pd.notna(r.lng)
    }


def unga_agreement(
    store: Store, year: int, codes: Mapping[str, int]
) -> dict[tuple[str, str], float]:
    """Same-vote share per ordered pair in ``year``, from the indicators' one definition.

    Empty when the store has no votes or does not cover ``year`` in full.
    """
    from dyadscope.indicators import unga_agreement_matrix

    try:
        matrix = unga_agreement_matrix(store, year)
    except MissingData:
        return {}
    isos = set(codes)
    pairs = matrix[matrix["iso3_a"].isin(isos) & matrix["iso3_b"].isin(isos)]
    out: dict[tuple[str, str], float] = {}
    for r in pairs.itertuples():
        out[(r.iso3_a, r.iso3_b)] = out[(r.iso3_b, r.iso3_a)] = float(r.same_vote)
    return out


def intention_components(
    store: Store, year: int, codes: Mapping[str, int], events_store: Path | None = None
) -> pd.DataFrame:
    """Offensive intentions: MID history, material-conflict share of events, UNGA disagreement.

    * ``mid_years``: years with a militarised dispute between the two in the last
      :data:`MID_WINDOW` years, divided by :data:`MID_WINDOW`.
    * ``icews_matl_conf_share``: the source's material-conflict events towards the
      perceiver as a share of all its events towards the perceiver (ICEWS table).
    * ``events_matl_conf_share``: the same from the GDELT events store, when given.
    * ``unga_disagreement``: 1 - the pair's UNGA same-vote share in the year.
    """
    mids: dict[tuple[str, str], float] = {}
    for i, j in _pairs(codes):
        a, b = codes[i], codes[j]
        lo = year - MID_WINDOW + 1
        if _covered(store, "mids", ("year", "year"), year, a, b) and _covered(
            store, "mids", ("year", "year"), lo, a, b
        ):
            n = query(
                store,
                "SELECT count(DISTINCT year) AS n FROM mids WHERE year BETWEEN ? AND ? AND "
                "((ccode1 = ? AND ccode2 = ?) OR (ccode1 = ? AND ccode2 = ?))",
                [lo, year, a, b, b, a],
            )["n"].iloc[0]
            mids[(i, j)] = float(n)
    agree = unga_agreement(store, year, codes)
    parts = [
        _rows(codes, "intentions", "mid_years", mids),
        _rows(codes, "intentions", "icews_matl_conf_share", _icews_conflict(store, year, codes)),
        _rows(codes, "intentions", "unga_disagreement", {k: 1.0 - v for k, v in agree.items()}),
    ]
    parts[0]["score"] = parts[0]["raw"] / MID_WINDOW
    for p in parts[1:]:
        p["score"] = p["raw"]
    if events_store is not None:
        from dyadscope.theory._events import material_conflict_share

        ev = material_conflict_share(events_store, year, list(codes))
        part = _rows(codes, "intentions", "events_matl_conf_share", ev)
        part["score"] = part["raw"]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _icews_conflict(
    store: Store, year: int, codes: Mapping[str, int]
) -> dict[tuple[str, str], float]:
    if not store.has("icews"):
        return {}
    isos = list(codes)
    marks = ", ".join("?" * len(isos))
    df = query(
        store,
        "SELECT target_iso3 AS i, source_iso3 AS j, matl_conf / "
        "nullif(verb_coop + matl_coop + verb_conf + matl_conf, 0) AS s FROM icews "
        f"WHERE year = ? AND source_iso3 IN ({marks}) AND target_iso3 IN ({marks})",
        [year, *isos, *isos],
    )
    return {(r.i, r.j): float(r.s) for r in df.itertuples() if pd.notna(r.s)}


#: ATOP obligation columns, strongest first, and their short labels.
ATOP_TYPES = {
    "atop_defense": "defense",
    "atop_offense": "offense",
    "atop_neutral": "neutrality",
    "atop_nonagg": "non-aggression",
    "atop_consul": "consultation",
}


def atop_obligations(
    store: Store, year: int, codes: Mapping[str, int]
) -> dict[tuple[str, str], str]:
    """ATOP obligations per covered pair in ``year``: e.g. ``"non-aggression+consultation"``.

    An empty string means the table covers the pair and it has no obligation;
    a pair the table does not cover is absent from the result (unknown).
    """
    out: dict[tuple[str, str], str] = {}
    cols = ", ".join(f"max({c}) AS {c}" for c in ATOP_TYPES)
    for i, j in _pairs(codes):
        a, b = codes[i], codes[j]
        if not _covered(store, "atop", ("year", "year"), year, a, b):
            continue
        row = query(
            store,
            f"SELECT {cols} FROM atop WHERE year = ? AND ((ccode1 = ? AND ccode2 = ?) OR "
            "(ccode1 = ? AND ccode2 = ?))",
            [year, a, b, b, a],
        ).iloc[0]
        out[(i, j)] = "+".join(
            label for c, label in ATOP_TYPES.items() if pd.notna(row[c]) and row[c] > 0
        )
    return out
