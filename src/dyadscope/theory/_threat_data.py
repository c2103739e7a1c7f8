"""The raw components of Walt's four threat criteria, read from the canonical tables.

Each function returns one frame of components for a year and a set of states, with
a ``score`` in [0, 1] per component and NaN wherever the store says nothing.  The
balance-of-threat engine (:mod:`dyadscope.theory.threat`) averages the components
into criteria and the criteria into a threat score.

Coverage rule for the dyadic event tables (``contiguity``, ``mindist``, ``mids``,
``atop``): these tables list only dyads *with* something (a border, a dispute, an
alliance), so a missing row means "none" only when the table covers the dyad at
all.  A dyad counts as covered when both states appear somewhere in the table and
the year lies within the table's years.  The vendored tables cover every pair of
states; a user store with a partial extract gives NA rather than a false "none".

Tables that end before the requested year are carried forward from their last
year (contiguity from 2016, minimum distance from 2019, ATOP from 2018): borders
and alliances change rarely.  Each carried value's component names the year it
comes from (``carried_from``) and the engine adds a note.

Distance enters through Boulding's loss-of-strength gradient (Boulding 1962,
*Conflict and Defense*, ch. 12) in the form Bueno de Mesquita (1981, *The War
Trap*, pp. 103-108) made standard and EUGene implements (Bennett & Stam 2000):
capability ``C`` in ``[0, 1]`` projected over ``d`` miles keeps
``C ** log10(d / MPD + (10 - e))``, with ``MPD`` miles a day an army can move
(:data:`MILES_PER_DAY`).  :func:`lsg_exponent` is that exponent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dyadscope.errors import InputError, MissingData
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
#: Miles per day in the loss-of-strength gradient (Bueno de Mesquita 1981 / EUGene).
MILES_PER_DAY = 250.0
#: Kilometres per statute mile.
KM_PER_MILE = 1.609344
#: Measures the aggregate-power criterion can use: table, column, key column.
POWER_MEASURES: dict[str, tuple[str, str, str]] = {
    "milex": ("milex", "milex_usd", "iso3"),
    "cinc": ("nmc", "cinc", "ccode"),
    "gdp": ("gdp", "gdp_usd", "iso3"),
    "nmc_milex": ("nmc", "milex", "ccode"),
}
#: Intentions score of an ATOP tie: allies are read as less hostile; no tie is neutral.
ATOP_INTENT_SCORE = {"defense": 0.0, "offense": 0.0, "neutrality": 0.25, "non-aggression": 0.25}
#: Intentions score of a pair with only a consultation pact, and with no ATOP tie.
ATOP_CONSULT_SCORE = 0.4
ATOP_NONE_SCORE = 0.5

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


def lsg_exponent(distance_km: float, miles_per_day: float = MILES_PER_DAY) -> float:
    """Exponent of the loss-of-strength gradient for a distance in km.

    ``log10(miles / miles_per_day + (10 - e))``: 0.862 at 0 km, 1 once the distance
    is ``e`` days' march (about 1,094 km at 250 miles a day), rising slowly after.

    Worked example: 4,023.36 km = 2,500 miles = 10 days at 250 miles/day;
    log10(10 + 10 - 2.71828) = log10(17.28172) = 1.23759.

    >>> round(lsg_exponent(4023.36), 5)
    1.23759
    """
    miles = max(float(distance_km), 0.0) / KM_PER_MILE
    return math.log10(miles / miles_per_day + 10.0 - math.e)


def lsg_discount(
    capability: float, distance_km: float, miles_per_day: float = MILES_PER_DAY
) -> float:
    """Capability share ``capability`` in [0, 1] projected over ``distance_km``.

    ``capability ** lsg_exponent(distance_km)``, capped at ``capability`` (no gain
    from being near: the exponent is below 1 within ``e`` days' march).

    >>> round(lsg_discount(0.5, 4023.36), 4)  # 0.5 ** 1.2376
    0.4241
    """
    if not (math.isfinite(capability) and math.isfinite(distance_km)):
        return float("nan")
    return float(min(capability, capability ** lsg_exponent(distance_km, miles_per_day)))


def lsg_proximity(distance_km: float, miles_per_day: float = MILES_PER_DAY) -> float:
    """Closeness in [0, 1]: ``1 / lsg_exponent``, capped at 1 (1 within ``e`` days' march).

    >>> round(lsg_proximity(4023.36), 4)  # 1 / 1.2376
    0.808
    """
    if not math.isfinite(distance_km):
        return float("nan")
    return min(1.0, 1.0 / lsg_exponent(distance_km, miles_per_day))


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


def source_shares(
    store: Store, year: int, codes: Mapping[str, int], measure: str = "milex"
) -> dict[str, float]:
    """Each state's share of the set's total on ``measure`` (NaN for all if any lacks it)."""
    if measure not in POWER_MEASURES:
        raise InputError(f"power_measure: unknown {measure!r}; use {', '.join(POWER_MEASURES)}")
    table, column, key = POWER_MEASURES[measure]
    if not store.has(table):
        return dict.fromkeys(codes, float("nan"))
    keys: list[object] = list(codes.values()) if key == "ccode" else list(codes)
    df = query(
        store,
        f"SELECT {key} AS k, {column} AS v FROM {table} WHERE year = ? AND {key} IN "
        f"({', '.join('?' * len(keys))})",
        [year, *keys],
    )
    by_key: dict[object, float] = {
        k: float(v) for k, v in zip(df["k"].tolist(), df["v"].tolist(), strict=True) if pd.notna(v)
    }
    vals = np.array(
        [by_key.get(codes[i] if key == "ccode" else i, np.nan) for i in codes], dtype=float
    )
    total = vals.sum() if np.all(np.isfinite(vals)) else np.nan
    return {
        iso: (v / total if np.isfinite(total) and total > 0 else np.nan)
        for iso, v in zip(codes, vals, strict=True)
    }


def milex_shares(store: Store, year: int, codes: Mapping[str, int]) -> tuple[str, dict[str, float]]:
    """Military-spending shares from SIPRI, or from NMC where SIPRI lacks a state that year.

    SIPRI's current-US$ series starts late for some states (Russia 1987, China 1989);
    NMC's ``milex`` (also current US$) then stands in, and the component says so.
    """
    share = source_shares(store, year, codes, "milex")
    if all(np.isfinite(v) for v in share.values()):
        return "milex", share
    return "nmc_milex", source_shares(store, year, codes, "nmc_milex")


def power_components(
    store: Store, year: int, codes: Mapping[str, int], measure: str = "milex"
) -> pd.DataFrame:
    """Aggregate power: the source's share of the set's total on ``measure``."""
    if measure == "milex":
        measure, share = milex_shares(store, year, codes)
    else:
        share = source_shares(store, year, codes, measure)
    out = _rows(codes, "power", f"{measure}_share", {(i, j): share[j] for i, j in _pairs(codes)})
    out["score"] = out["raw"]
    return out


def capability_components(
    store: Store, year: int, codes: Mapping[str, int], distances: Mapping[tuple[str, str], float]
) -> pd.DataFrame:
    """Offensive capability: the source's military-spending share, discounted by distance.

    The source's share of the set's military expenditure (SIPRI) is projected over
    the distance to the perceiver (``distances``, km; minimum distance where known,
    else between capitals) by the loss-of-strength gradient (:func:`lsg_discount`).
    ``raw`` is the undiscounted share.
    """
    name, share = milex_shares(store, year, codes)
    raw = {(i, j): share[j] for i, j in _pairs(codes)}
    out = _rows(codes, "capability", f"{name}_share_lsg", raw)
    out["score"] = [
        lsg_discount(r, distances.get((i, j), np.nan)) if np.isfinite(r) else np.nan
        for i, j, r in zip(out["perceiver"], out["source"], out["raw"], strict=True)
    ]
    return out


def _last_year(store: Store, table: str, lo: str, hi: str) -> tuple[int, int] | None:
    """First and last year of ``table`` (None when absent or empty)."""
    if not store.has(table):
        return None
    row = store.con.execute(f"SELECT min({lo}), max({hi}) FROM {table}").fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


#: What :func:`_coverage` finds: the table's first and last year and the states in it.
Coverage = tuple[int, int, frozenset[int]]


def _coverage(store: Store, table: str, year_sql: tuple[str, str]) -> Coverage | None:
    """The years ``table`` spans and every state in it (None when absent or empty).

    Read once per table and call: asking per pair scanned the table ~100 times a brief.
    """
    if not store.has(table):
        return None
    span = store.con.execute(f"SELECT min({year_sql[0]}), max({year_sql[1]}) FROM {table}")
    row = span.fetchone()
    if row is None or row[0] is None:
        return None
    states = store.con.execute(
        f"SELECT ccode1 FROM {table} UNION SELECT ccode2 FROM {table}"
    ).fetchall()
    return int(row[0]), int(row[1]), frozenset(int(s) for (s,) in states if s is not None)


def _covered(coverage: Coverage | None, year: int, a: int, b: int) -> bool:
    """Whether a table with ``coverage`` covers the dyad (a, b) in ``year`` (module docstring)."""
    if coverage is None:
        return False
    lo, hi, states = coverage
    return lo <= year <= hi and a in states and b in states


def _by_dyad(
    store: Store,
    table: str,
    aggregates: str,
    where: str,
    params: list[object],
    codes: Mapping[str, int],
) -> dict[tuple[int, int], tuple[object, ...]]:
    """``aggregates`` over each unordered pair of ``codes``' rows in ``table``, in one query.

    Keys are ``(low, high)`` COW codes; a pair with no row matching ``where`` is absent.
    Why: one query per pair scanned the table ~100 times per brief.
    """
    ids = sorted(set(codes.values()))
    marks = ", ".join("?" * len(ids))
    rows = store.con.execute(
        f"SELECT least(ccode1, ccode2) AS x, greatest(ccode1, ccode2) AS y, {aggregates} "
        f"FROM {table} WHERE ccode1 IN ({marks}) AND ccode2 IN ({marks}) AND ({where}) "
        "GROUP BY x, y",
        [*ids, *ids, *params],
    ).fetchall()
    return {(int(r[0]), int(r[1])): tuple(r[2:]) for r in rows}


def _dyad(
    found: Mapping[tuple[int, int], tuple[object, ...]], a: int, b: int
) -> tuple[object, ...]:
    """The aggregates :func:`_by_dyad` found for (a, b); ``(None,)`` when it found none."""
    return found.get((min(a, b), max(a, b)), (None,))


def proximity_components(
    store: Store, year: int, codes: Mapping[str, int]
) -> tuple[pd.DataFrame, dict[tuple[str, str], float], list[str]]:
    """Proximity: contiguity type, capital distance, minimum distance; and the notes.

    Distances become closeness by the loss-of-strength gradient
    (:func:`lsg_proximity`); contiguity types become :data:`CONTIGUITY_SCORE`.
    Contiguity and minimum distance past their tables' last years use the last
    year (``carried_from``).  Also returns the distance each pair's capability is
    discounted over (minimum distance where known, else capitals) and notes.
    """
    cont: dict[tuple[str, str], float] = {}
    capdist: dict[tuple[str, str], float] = {}
    mind: dict[tuple[str, str], float] = {}
    notes: list[str] = []
    caps = _capitals(store, year, codes)
    cspan = _last_year(store, "contiguity", "year(start_date)", "year(end_date)")
    mspan = _last_year(store, "mindist", "year", "year")
    cyear = min(year, cspan[1]) if cspan else year
    myear = min(year, mspan[1]) if mspan else year
    if cspan and year > cspan[1]:
        notes.append(f"contiguity {year}: carried forward from {cspan[1]}, the table's last year")
    if mspan and year > mspan[1]:
        notes.append(f"minimum distance {year}: carried forward from {mspan[1]}")
    ccov = _coverage(store, "contiguity", ("year(start_date)", "year(end_date)"))
    mcov = _coverage(store, "mindist", ("year", "year"))
    borders = (
        _by_dyad(
            store,
            "contiguity",
            "min(conttype)",
            "? BETWEEN year(start_date) AND year(end_date) AND conttype > 0",
            [cyear],
            codes,
        )
        if ccov
        else {}
    )
    gaps = _by_dyad(store, "mindist", "min(mindist)", "year = ?", [myear], codes) if mcov else {}
    for i, j in _pairs(codes):
        a, b = codes[i], codes[j]
        if _covered(ccov, cyear, a, b):
            (hit,) = _dyad(borders, a, b)
            cont[(i, j)] = 0.0 if hit is None else float(hit)  # type: ignore[arg-type]
        if a in caps and b in caps:
            capdist[(i, j)] = haversine_km(*caps[a], *caps[b])
        if _covered(mcov, myear, a, b):
            (hit,) = _dyad(gaps, a, b)
            mind[(i, j)] = np.nan if hit is None else float(hit)  # type: ignore[arg-type]
    parts = [
        _rows(codes, "proximity", "contiguity_type", cont),
        _rows(codes, "proximity", "capital_distance_km", capdist),
        _rows(codes, "proximity", "min_distance_km", mind),
    ]
    parts[0]["score"] = parts[0]["raw"].map(
        lambda t: CONTIGUITY_SCORE.get(int(t), np.nan) if pd.notna(t) else np.nan
    )
    parts[0]["carried_from"] = cyear if cyear != year else pd.NA
    parts[1]["carried_from"] = pd.NA
    parts[2]["carried_from"] = myear if myear != year else pd.NA
    for p in parts[1:]:
        p["score"] = p["raw"].map(lsg_proximity)
    distances = {
        k: mind[k] if k in mind and np.isfinite(mind[k]) else capdist.get(k, np.nan)
        for k in _pairs(codes)
    }
    return pd.concat(parts, ignore_index=True), distances, notes


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
        int(c): (float(la), float(ln))
        for c, la, ln in zip(
            df["ccode"].tolist(), df["lat"].tolist(), df["lng"].tolist(), strict=True
        )
        if pd.notna(la) and pd.notna(ln)
    }


def unga_agreement(
    store: Store, year: int, codes: Mapping[str, int]
) -> dict[tuple[str, str], float]:
    """Same-vote share per ordered pair in ``year``, from the indicators' one definition.

    Empty when the store has no votes or does not cover ``year`` in full.
    """
    from dyadscope.indicators import unga_agreement_matrix

    try:
        matrix = unga_agreement_matrix(store, year, states=list(codes))
    except MissingData:
        return {}
    isos = set(codes)
    pairs = matrix[matrix["iso3_a"].isin(isos) & matrix["iso3_b"].isin(isos)]
    out: dict[tuple[str, str], float] = {}
    for x, y, v in zip(
        pairs["iso3_a"].tolist(), pairs["iso3_b"].tolist(), pairs["same_vote"].tolist(), strict=True
    ):
        out[(str(x), str(y))] = out[(str(y), str(x))] = float(v)
    return out


def intention_components(
    store: Store, year: int, codes: Mapping[str, int], events_store: Path | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Offensive intentions from behaviour: MIDs, material conflict, alliance ties.

    * ``mid_years``: years with a militarised dispute between the two among the
      last :data:`MID_WINDOW` years that the MID table covers, over those years
      (MIDs end in 2014, so a 2019 score rests on 2010-2014 and says so).
    * ``icews_matl_conf_share``: the source's material-conflict events towards the
      perceiver as a share of all its events towards the perceiver (ICEWS table);
      ``events_matl_conf_share`` the same from the events store, when given.
    * ``atop_tie``: ATOP obligation (last ATOP year carried forward): defence or
      offence pact 0, neutrality or non-aggression 0.25, consultation only 0.4,
      none 0.5 (no information either way).

    UNGA disagreement is *not* an intention: see :func:`diplomatic_distance`.
    """
    notes: list[str] = []
    mids: dict[tuple[str, str], float] = {}
    span = _last_year(store, "mids", "year", "year")
    lo = year - MID_WINDOW + 1
    hi = min(year, span[1]) if span else year
    if span and lo <= hi:
        if hi < year:
            notes.append(
                f"MIDs {year}: the table ends in {span[1]}, so MID history covers {lo}-{hi} only"
            )
        cov = _coverage(store, "mids", ("year", "year"))
        found = _by_dyad(
            store, "mids", "count(DISTINCT year)", "year BETWEEN ? AND ?", [lo, hi], codes
        )
        for i, j in _pairs(codes):
            a, b = codes[i], codes[j]
            if _covered(cov, hi, a, b):
                (n,) = _dyad(found, a, b)  # absent: no MID year, count 0
                mids[(i, j)] = float(n or 0) / (hi - lo + 1)  # type: ignore[arg-type]
    elif span:
        notes.append(f"MIDs {year}: no MID data in {lo}-{year} (table ends {span[1]})")
    atop_span = _last_year(store, "atop", "year", "year")
    ayear = min(year, atop_span[1]) if atop_span else year
    if atop_span and year > atop_span[1]:
        notes.append(f"ATOP {year}: alliances carried forward from {atop_span[1]}")
    ties = atop_obligations(store, ayear, codes)
    parts = [
        _rows(codes, "intentions", "mid_years", mids),
        _rows(codes, "intentions", "icews_matl_conf_share", _icews_conflict(store, year, codes)),
        _rows(codes, "intentions", "atop_tie", {k: _tie_score(v) for k, v in ties.items()}),
    ]
    for p in parts:
        p["score"] = p["raw"]
    parts[2]["carried_from"] = ayear if ayear != year else pd.NA
    if events_store is not None:
        from dyadscope.theory._events import material_conflict_share

        ev = material_conflict_share(events_store, year, list(codes))
        part = _rows(codes, "intentions", "events_matl_conf_share", ev)
        part["score"] = part["raw"]
        parts.append(part)
    return pd.concat(parts, ignore_index=True), notes


def _tie_score(obligations: str) -> float:
    """Intentions score of an ATOP obligation string (see :func:`intention_components`)."""
    kinds = [k for k in obligations.split("+") if k]
    if not kinds:
        return ATOP_NONE_SCORE
    scores = [ATOP_INTENT_SCORE[k] for k in kinds if k in ATOP_INTENT_SCORE]
    return min(scores) if scores else ATOP_CONSULT_SCORE


def diplomatic_distance(
    store: Store, year: int, codes: Mapping[str, int]
) -> dict[tuple[str, str], float]:
    """UNGA diplomatic distance per ordered pair: 1 - same-vote share (not a threat criterion)."""
    return {k: 1.0 - v for k, v in unga_agreement(store, year, codes).items()}


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
    return {
        (str(i), str(j)): float(v)
        for i, j, v in zip(df["i"].tolist(), df["j"].tolist(), df["s"].tolist(), strict=True)
        if pd.notna(v)
    }


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
    cov = _coverage(store, "atop", ("year", "year"))
    found = _by_dyad(store, "atop", cols, "year = ?", [year], codes) if cov else {}
    for i, j in _pairs(codes):
        a, b = codes[i], codes[j]
        if not _covered(cov, year, a, b):
            continue
        row = found.get((min(a, b), max(a, b)), (None,) * len(ATOP_TYPES))
        out[(i, j)] = "+".join(
            label
            for label, v in zip(ATOP_TYPES.values(), row, strict=True)
            if v is not None and v > 0  # type: ignore[operator]
        )
    return out
