"""Balance of power on several measures: shares, concentration and polarity per measure.

One measure of power decides nothing: COW's Composite Index of National Capability
(CINC, NMC v7.0; Singer, Bremer & Stuckey 1972) weighs population and heavy
industry as much as military spending and makes China the leading power from
the mid-2000s, while military expenditure puts the United States far ahead.
The engine therefore reads, per year, each major power's share of the major-power
total on four measures:

* ``cinc``: CINC (NMC v7.0), 1816-2022;
* ``gdp``: GDP in current US$ (World Bank NY.GDP.MKTP.CD), 1960-2023;
* ``milex``: military expenditure in current US$ (SIPRI; the vendored table has no
  constant-price series), 1949-2023;
* ``net_power``: GDP x GDP per capita (= GDP^2 / population), the net-resources
  index of Beckley (2018, "The Power of Nations: Measuring What Matters",
  International Security 43(2)), with population from NMC (``tpop``), 1960-2022.

Each measure gets its own Ray-Singer concentration ``CON`` and polarity label
(:class:`PolarityThresholds`).  The overall label is given only where every
measure with data agrees (same label and, for unipolarity, the same leader);
otherwise it is ``contested`` and the readings of each measure are listed.
Balancing is reported as the ratio (A + B) / third per measure, never as a
yes/no on one measure.

Major powers are those of the COW State System Membership list, v2016
(Correlates of War Project 2017, ``majors2016``).  The list ends in 2016; later
years keep the 2016 set, which the result states as an assumption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dyadscope.data.dyad import resolve_state
from dyadscope.errors import InputError
from dyadscope.theory._common import TheoryResult, query, require_tables, resolve_states

if TYPE_CHECKING:
    from dyadscope.data.store import Store

__all__ = [
    "COW_MAJORS_LAST_YEAR",
    "COW_MAJOR_POWERS",
    "MEASURES",
    "PolarityThresholds",
    "PowerResult",
    "balance_of_power",
    "classify_polarity",
    "major_powers",
    "overall_polarity",
    "ray_singer_con",
]

#: COW major powers and their spells (first year, last year), from the COW State
#: System Membership list v2016 (``majors2016.csv``): COW code -> spells.
#: 2 USA, 200 United Kingdom, 220 France, 255 Germany/Prussia, 300 Austria-Hungary,
#: 325 Italy, 365 Russia/USSR, 710 China (PRC), 740 Japan.
COW_MAJOR_POWERS: dict[int, tuple[tuple[int, int], ...]] = {
    2: ((1898, 2016),),
    200: ((1816, 2016),),
    220: ((1816, 1940), (1945, 2016)),
    255: ((1816, 1918), (1925, 1945), (1991, 2016)),
    300: ((1816, 1918),),
    325: ((1860, 1943),),
    365: ((1816, 1917), (1922, 2016)),
    710: ((1950, 2016),),
    740: ((1895, 1945), (1991, 2016)),
}
#: Last year the COW list codes; later years reuse that year's set.
COW_MAJORS_LAST_YEAR = 2016


def major_powers(year: int) -> list[int]:
    """COW codes of the major powers in ``year`` (the 2016 set after 2016).

    >>> major_powers(1950)
    [2, 200, 220, 365, 710]
    >>> major_powers(2022)
    [2, 200, 220, 255, 365, 710, 740]
    """
    y = min(year, COW_MAJORS_LAST_YEAR)
    return sorted(
        c for c, spells in COW_MAJOR_POWERS.items() if any(a <= y <= b for a, b in spells)
    )


def ray_singer_con(capabilities: Sequence[float] | np.ndarray) -> float:
    """Ray–Singer concentration index of a set of capabilities, in [0, 1].

    ``CON = sqrt((sum(S_i**2) - 1/N) / (1 - 1/N))`` where ``S_i`` is each power's
    share of the set's total and ``N`` the number of powers (Ray & Singer 1973,
    "Measuring the Concentration of Power in the International System",
    Sociological Methods & Research 1(4)).  0 means equal shares, 1 means one
    power holds everything.  Missing values (NaN) make the result NaN, because the
    shares of the others would be wrong.

    Worked examples (by hand):

    * two powers with 3 and 1: shares 0.75 and 0.25; sum of squares 0.625;
      (0.625 - 0.5) / 0.5 = 0.25; CON = 0.5.
    * three powers with 5, 3 and 2: shares 0.5, 0.3, 0.2; sum of squares 0.38;
      (0.38 - 1/3) / (2/3) = 0.07; CON = sqrt(0.07) = 0.2646.

    >>> ray_singer_con([3, 1])
    0.5
    >>> round(ray_singer_con([5, 3, 2]), 4)
    0.2646
    """
    caps = np.asarray(capabilities, dtype=float)
    n = caps.size
    if n < 2:
        raise InputError(f"concentration needs at least two powers; got {n}")
    total = caps.sum()
    if not np.isfinite(total) or total <= 0:
        return float("nan")
    shares = caps / total
    value = ((shares**2).sum() - 1.0 / n) / (1.0 - 1.0 / n)
    return float(np.sqrt(max(value, 0.0)))


@dataclass(frozen=True)
class PolarityThresholds:
    """Thresholds that turn major-power shares into a polarity label.

    Shares are of the major powers' combined total on one measure (they sum to 1).

    * **unipolar** when the leader holds at least ``unipolar_top`` (default 0.5):
      it then matches all other major powers combined, the sense of
      unipolarity in Wohlforth (1999, "The Stability of a Unipolar World",
      International Security 24(1)).
    * **bipolar** when not unipolar, the top two together hold at least
      ``bipolar_top_two`` (default 0.6) and the second holds at least
      ``bipolar_second_ratio`` (default 0.5) of the leader's capability, so two
      comparable poles stand clear of the rest (Waltz 1979, Theory of
      International Politics, counts poles by their capability lead).
    * **multipolar** otherwise.

    The numeric cut-offs are dyadscope's documented convention, not a canonical
    rule: Mansfield (1993, "Concentration, Polarity, and the Distribution of
    Power", International Studies Quarterly 37(1)) shows that polarity counts and
    concentration are distinct measures and that results depend on such choices,
    which is why both CON and the label are reported and the cut-offs are
    parameters.
    """

    unipolar_top: float = 0.5
    bipolar_top_two: float = 0.6
    bipolar_second_ratio: float = 0.5

    def describe(self) -> str:
        """The rule in one line (printed with the result)."""
        return (
            f"unipolar if top share >= {self.unipolar_top}; bipolar if top two >= "
            f"{self.bipolar_top_two} and second >= {self.bipolar_second_ratio} x top; "
            "else multipolar (shares of the major-power total on each measure)"
        )


def classify_polarity(
    shares: Sequence[float] | np.ndarray, thresholds: PolarityThresholds | None = None
) -> str:
    """Polarity label for one year's major-power shares (any order, summing to 1).

    >>> classify_polarity([0.6, 0.2, 0.2])
    'unipolar'
    >>> classify_polarity([0.4, 0.3, 0.2, 0.1])
    'bipolar'
    >>> classify_polarity([0.3, 0.25, 0.25, 0.2])
    'multipolar'
    """
    t = thresholds or PolarityThresholds()
    s = np.sort(np.asarray(shares, dtype=float))[::-1]
    if s.size == 0 or not np.all(np.isfinite(s)):
        return "unknown"
    if s[0] >= t.unipolar_top:
        return "unipolar"
    if s.size >= 2 and s[0] + s[1] >= t.bipolar_top_two and s[1] >= t.bipolar_second_ratio * s[0]:
        return "bipolar"
    return "multipolar"


#: The measures of power, in the order they are reported, with what each is.
MEASURES: dict[str, str] = {
    "cinc": "CINC share (COW NMC v7.0)",
    "gdp": "GDP, current US$ (World Bank)",
    "milex": "military expenditure, current US$ (SIPRI)",
    "net_power": "GDP x GDP per capita (Beckley 2018; population from NMC)",
}


@dataclass
class PowerResult(TheoryResult):
    """Balance-of-power result on several measures.

    * ``shares``: year, measure, state, ccode, value, share (of the major-power
      total on that measure), rank.
    * ``concentration``: year, measure, n_majors, total, con.
    * ``polarity``: year, measure, concentration, polarity, leader, top_share,
      second, second_share, top_two_share.
    * ``overall``: year, polarity (the shared label, ``contested`` where the
      measures disagree, ``unknown`` where none has data), readings.
    * ``rc_vs_us`` (``coalition_vs_rival``): year, measure, coalition,
      coalition_value, rival, rival_value, ratio ((A + B) / rival), balances
      (ratio >= 1; NA where data lack).
    """

    shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    concentration: pd.DataFrame = field(default_factory=pd.DataFrame)
    polarity: pd.DataFrame = field(default_factory=pd.DataFrame)
    overall: pd.DataFrame = field(default_factory=pd.DataFrame)
    rc_vs_us: pd.DataFrame = field(default_factory=pd.DataFrame)
    thresholds: PolarityThresholds = field(default_factory=PolarityThresholds)
    measures: list[str] = field(default_factory=list)
    start: int = 1946
    end: int = 1946

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: shares (main), polarity, overall, concentration, coalition_vs_rival."""
        return {
            "shares": self.shares,
            "polarity": self.polarity,
            "overall": self.overall,
            "concentration": self.concentration,
            "coalition_vs_rival": self.rc_vs_us,
        }

    def scalars(self) -> dict[str, Any]:
        """Period, measures and the polarity rule."""
        return {
            "start": self.start,
            "end": self.end,
            "measures": list(self.measures),
            "polarity_rule": self.thresholds.describe(),
        }

    @property
    def share_table(self) -> pd.DataFrame:
        """``year, measure, state, share``: one row per year, measure and major power."""
        return self.shares[["year", "measure", "state", "share"]].reset_index(drop=True)

    @property
    def polarity_table(self) -> pd.DataFrame:
        """``year, measure, concentration, polarity``: one row per year and measure."""
        return self.polarity[["year", "measure", "concentration", "polarity"]].reset_index(
            drop=True
        )


def overall_polarity(readings: Mapping[str, tuple[str, str | None]]) -> tuple[str, str]:
    """The shared polarity label of several measures, or ``contested``, and the readings.

    ``readings`` maps a measure to (label, leader).  Measures labelled ``unknown``
    are left out; the rest agree when they give the same label and, for
    ``unipolar``, the same leader.

    >>> overall_polarity({"cinc": ("unipolar", "CHN"), "milex": ("unipolar", "USA")})
    ('contested', 'cinc: unipolar (CHN); milex: unipolar (USA)')
    >>> overall_polarity({"gdp": ("multipolar", "USA"), "cinc": ("multipolar", "CHN")})[0]
    'multipolar'
    """
    known = {m: r for m, r in readings.items() if r[0] != "unknown"}
    text = "; ".join(
        f"{m}: {lab}" + (f" ({lead})" if lab == "unipolar" and lead else "")
        for m, (lab, lead) in known.items()
    )
    if not known:
        return "unknown", "no measure has data"
    keys = {(lab, lead if lab == "unipolar" else None) for lab, lead in known.values()}
    if len(keys) == 1:
        lab, lead = next(iter(keys))
        return (f"unipolar ({lead})" if lead else lab), text
    return "contested", text


def _majors_frame(years: range) -> pd.DataFrame:
    rows = [(y, c) for y in years for c in major_powers(y)]
    return pd.DataFrame(rows, columns=["year", "ccode"])


def _measure_values(
    store: Store, measure: str, start: int, end: int, iso_of: Mapping[int, str]
) -> pd.DataFrame:
    """``year, ccode, value`` of one measure for the given COW codes (NaN where absent)."""
    codes = list(iso_of)
    marks = ", ".join("?" * len(codes))
    if measure == "cinc":
        return query(
            store,
            f"SELECT year, ccode, cinc AS value FROM nmc WHERE year BETWEEN ? AND ? "
            f"AND ccode IN ({marks})",
            [start, end, *codes],
        )
    by_iso = {v: k for k, v in iso_of.items()}
    isos = list(by_iso)
    imarks = ", ".join("?" * len(isos))
    if measure == "milex":
        require_tables(store, "milex")
        df = query(
            store,
            f"SELECT year, iso3, milex_usd AS value FROM milex WHERE year BETWEEN ? AND ? "
            f"AND iso3 IN ({imarks})",
            [start, end, *isos],
        )
    elif measure == "gdp":
        require_tables(store, "gdp")
        df = query(
            store,
            f"SELECT year, iso3, gdp_usd AS value FROM gdp WHERE year BETWEEN ? AND ? "
            f"AND iso3 IN ({imarks})",
            [start, end, *isos],
        )
    else:  # net_power: GDP^2 / population (thousands, NMC)
        require_tables(store, "gdp")
        df = query(
            store,
            "SELECT g.year, g.iso3, g.gdp_usd * g.gdp_usd / (n.tpop * 1000.0) AS value "
            "FROM gdp g JOIN nmc n ON n.iso3 = g.iso3 AND n.year = g.year "
            f"WHERE g.year BETWEEN ? AND ? AND g.iso3 IN ({imarks}) AND n.tpop > 0",
            [start, end, *isos],
        )
    df["ccode"] = df["iso3"].map(by_iso)
    return df[["year", "ccode", "value"]]


def _measure_frames(
    store: Store,
    measure: str,
    start: int,
    end: int,
    iso_of: Mapping[int, str],
    raw: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shares and concentration of one measure (NA for a year where any major lacks it).

    ``raw``: the measure's values as :func:`_measure_values` gives them, when already read.
    """
    if raw is None:
        raw = _measure_values(store, measure, start, end, iso_of)
    values = raw.groupby(["year", "ccode"], as_index=False).agg(value=("value", "first"))
    majors = _majors_frame(range(start, end + 1)).merge(values, on=["year", "ccode"], how="left")
    concentration = (
        majors.groupby("year")["value"]
        .agg(
            n_majors="size",
            total=lambda s: s.sum() if s.notna().all() else np.nan,
            con=lambda s: ray_singer_con(s.to_numpy()) if s.notna().all() else np.nan,
        )
        .reset_index()
    )
    shares = majors.merge(concentration[["year", "total"]], on="year")
    shares["share"] = shares["value"] / shares["total"]
    shares["rank"] = shares.groupby("year")["share"].rank(ascending=False, method="min")
    shares["rank"] = shares["rank"].astype("Int64")
    shares["state"] = shares["ccode"].map(iso_of)
    shares.insert(1, "measure", measure)
    concentration.insert(1, "measure", measure)
    shares = shares.drop(columns="total").sort_values(["year", "rank", "ccode"])
    cols = ["year", "measure", "state", "ccode", "value", "share", "rank"]
    return shares[cols], concentration


def balance_of_power(
    store: Store,
    start: int = 1946,
    end: int | None = None,
    *,
    coalition: Sequence[str] = ("RUS", "CHN"),
    rival: str = "USA",
    thresholds: PolarityThresholds | None = None,
    measures: Sequence[str] | None = None,
) -> PowerResult:
    """Major-power shares, Ray-Singer concentration and polarity on each measure.

    ``measures`` is a subset of :data:`MEASURES` (default: all four, or those whose
    tables the store holds); ``end``
    defaults to the last year of the ``nmc`` table.  A year in which any major
    power lacks a value on a measure gets NA concentration and polarity
    ``unknown`` on that measure (a share computed without it would be wrong).
    ``coalition`` and ``rival`` are states in any spelling.

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> res = balance_of_power(vendored_store(), 2022, 2022)  # doctest: +SKIP
    >>> res.overall["polarity"].iloc[0]  # doctest: +SKIP
    'contested'
    """
    require_tables(store, "nmc")
    thresholds = thresholds or PolarityThresholds()
    needs = {"cinc": ("nmc",), "gdp": ("gdp",), "milex": ("milex",), "net_power": ("gdp", "nmc")}
    if measures is None:  # every measure the store can give
        chosen = [m for m in MEASURES if all(store.has(t) for t in needs[m])]
    else:
        chosen = [m.strip().lower() for m in measures]
    unknown = [m for m in chosen if m not in MEASURES]
    if unknown or not chosen:
        raise InputError(
            f"measures: unknown {', '.join(unknown) or '(none given)'}; use {', '.join(MEASURES)}"
        )
    last = int(query(store, "SELECT max(year) AS y FROM nmc")["y"].iloc[0])
    end = last if end is None else end
    if start > end:
        raise InputError(f"start {start} is after end {end}")
    codes = resolve_states(store, [*coalition, rival])
    rival_code = resolve_state(rival, "rival")
    members = [resolve_state(c, "coalition") for c in coalition]
    if rival_code in members:
        raise InputError(f"rival {rival_code} is also in the coalition {'+'.join(members)}")
    iso_of = _iso_of([*COW_MAJOR_POWERS, *codes.values()])

    share_parts, conc_parts, rc_parts = [], [], []
    for measure in chosen:
        vals = _measure_values(store, measure, start, end, iso_of)  # read once, used twice
        shares, conc = _measure_frames(store, measure, start, end, iso_of, vals)
        share_parts.append(shares)
        conc_parts.append(conc)
        rc = _coalition_vs_rival(
            vals, [codes[m] for m in members], codes[rival_code], range(start, end + 1)
        )
        rc.insert(1, "measure", measure)
        rc.insert(2, "coalition", "+".join(members))
        rc.insert(4, "rival", rival_code)
        rc_parts.append(rc)
    shares = pd.concat(share_parts, ignore_index=True)
    concentration = pd.concat(conc_parts, ignore_index=True)
    polarity = _polarity_frame(shares, concentration, thresholds)
    return PowerResult(
        assumptions=_assumptions(thresholds, members, rival_code),
        shares=shares,
        concentration=concentration,
        polarity=polarity,
        overall=_overall_frame(polarity, chosen),
        rc_vs_us=pd.concat(rc_parts, ignore_index=True),
        thresholds=thresholds,
        measures=chosen,
        start=start,
        end=end,
    )


def _iso_of(codes: Sequence[int]) -> dict[int, str]:
    """ISO3 of each COW code from the country layer; a historical state keeps ``COW<code>``."""
    from dyadscope.data.countries import cow_to_iso3
    from dyadscope.errors import UnknownCountry

    out: dict[int, str] = {}
    for c in dict.fromkeys(int(c) for c in codes):
        try:
            out[c] = cow_to_iso3(c)
        except UnknownCountry:
            out[c] = f"COW{c}"
    return out


def _polarity_frame(
    shares: pd.DataFrame, concentration: pd.DataFrame, thresholds: PolarityThresholds
) -> pd.DataFrame:
    rows = []
    for key, grp in shares.groupby(["year", "measure"], sort=False):
        year, measure = key
        g = grp.sort_values("share", ascending=False)
        s = g["share"].to_numpy(dtype=float)
        complete = bool(s.size) and bool(np.all(np.isfinite(s)))
        rows.append(
            {
                "year": int(str(year)),
                "measure": measure,
                "polarity": classify_polarity(s, thresholds) if complete else "unknown",
                "leader": g["state"].iloc[0] if complete else None,
                "top_share": s[0] if complete else np.nan,
                "second": g["state"].iloc[1] if complete and len(g) > 1 else None,
                "second_share": s[1] if complete and len(g) > 1 else np.nan,
                "top_two_share": s[:2].sum() if complete else np.nan,
            }
        )
    out = pd.DataFrame(rows).merge(
        concentration[["year", "measure", "con"]], on=["year", "measure"], how="left"
    )
    out = out.rename(columns={"con": "concentration"})
    first = ["year", "measure", "concentration", "polarity"]
    out = out[first + [c for c in out.columns if c not in first]]
    return out.sort_values(["year", "measure"], kind="stable").reset_index(drop=True)


def _overall_frame(polarity: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    rows = []
    for year, grp in polarity.groupby("year", sort=True):
        by: dict[str, tuple[str, str | None]] = {
            str(m): (str(p), None if pd.isna(lead) else str(lead))
            for m, p, lead in zip(grp["measure"], grp["polarity"], grp["leader"], strict=True)
        }
        label, readings = overall_polarity({m: by[m] for m in measures if m in by})
        rows.append({"year": int(str(year)), "polarity": label, "readings": readings})
    return pd.DataFrame(rows, columns=["year", "polarity", "readings"])


def _assumptions(thresholds: PolarityThresholds, members: list[str], rival: str) -> list[str]:
    return [
        "Power is read on four measures, each as a share of the major powers' total: CINC "
        "(NMC v7.0), GDP in current US$ (World Bank), military expenditure in current US$ "
        "(SIPRI; no constant-price series is vendored) and net power, GDP x GDP per capita "
        "(Beckley 2018), with population from NMC.",
        "CINC weighs population and heavy industry as much as military spending, so it "
        "rates large industrial economies (China above all) higher than spending or "
        "net-resource measures; the measures are shown side by side for that reason.",
        "Major powers follow the COW list (v2016); after 2016 the 2016 set is assumed to hold.",
        f"Polarity rule, applied to each measure: {thresholds.describe()}. The overall label "
        "is given only where every measure with data agrees; otherwise it is 'contested'.",
        f"Balancing is the ratio of {'+'.join(members)}'s combined value to {rival}'s on each "
        "measure (>= 1: the pair matches it); it says nothing about intent or coordination.",
        "A measure whose data lack any major power in a year gives NA for that year "
        "(Russia's GDP and military spending start in the late 1980s; NMC ends in 2022).",
    ]


def _coalition_vs_rival(
    values: pd.DataFrame, members: list[int], rival: int, years: range
) -> pd.DataFrame:
    wide = values.pivot_table(index="year", columns="ccode", values="value", aggfunc="first")
    wide = wide.reindex(index=list(years), columns=[*members, rival])
    coalition_value = wide[members].sum(axis=1, min_count=len(members))
    coalition_value[wide[members].isna().any(axis=1)] = np.nan
    rival_value = wide[rival]
    ratio = coalition_value / rival_value
    balances = pd.Series([pd.NA if pd.isna(r) else bool(r >= 1.0) for r in ratio], dtype="boolean")
    return pd.DataFrame(
        {
            "year": list(years),
            "coalition_value": coalition_value.to_numpy(),
            "rival_value": rival_value.to_numpy(),
            "ratio": ratio.to_numpy(),
            "balances": balances.to_numpy(),
        }
    )
