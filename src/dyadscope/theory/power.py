"""Balance of power: major-power capability shares, concentration and polarity.

Capabilities are COW's Composite Index of National Capability (CINC, NMC v7.0;
Singer, Bremer & Stuckey 1972), each state's share of the world total of six
material indicators.  The engine answers three questions per year:

* how capability is distributed among the major powers (shares, Ray–Singer
  concentration ``CON``);
* what polarity that distribution amounts to, by thresholds stated in
  :class:`PolarityThresholds`;
* whether a coalition (by default Russia + China) matches a rival (by default the
  United States) in combined CINC.

Major powers are those of the COW State System Membership list, v2016
(Correlates of War Project 2017, ``majors2016``).  The list ends in 2016; later
years keep the 2016 set, which the result states as an assumption.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    "PolarityThresholds",
    "PowerResult",
    "balance_of_power",
    "classify_polarity",
    "major_powers",
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

    Shares are of the major powers' combined CINC (they sum to 1).

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
            "else multipolar (shares of the major-power CINC total)"
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


@dataclass
class PowerResult(TheoryResult):
    """Balance-of-power result; every frame has one row per year (``shares``: per power).

    * ``shares``: year, ccode, iso3, cinc, share (of the major-power total), rank.
    * ``concentration``: year, n_majors, majors_cinc (sum), con.
    * ``polarity``: year, polarity, leader, top_share, second, second_share, top_two_share.
    * ``coalition_vs_rival``: year, coalition, coalition_cinc, rival, rival_cinc,
      ratio (coalition / rival), balances (coalition >= rival; NA where data lack).
    """

    shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    concentration: pd.DataFrame = field(default_factory=pd.DataFrame)
    polarity: pd.DataFrame = field(default_factory=pd.DataFrame)
    rc_vs_us: pd.DataFrame = field(default_factory=pd.DataFrame)
    thresholds: PolarityThresholds = field(default_factory=PolarityThresholds)
    start: int = 1946
    end: int = 1946

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: polarity (main), concentration, shares, coalition_vs_rival."""
        return {
            "polarity": self.polarity,
            "concentration": self.concentration,
            "shares": self.shares,
            "coalition_vs_rival": self.rc_vs_us,
        }

    def scalars(self) -> dict[str, Any]:
        """Period and the polarity rule."""
        return {"start": self.start, "end": self.end, "polarity_rule": self.thresholds.describe()}


def _majors_frame(years: range) -> pd.DataFrame:
    rows = [(y, c) for y in years for c in major_powers(y)]
    return pd.DataFrame(rows, columns=["year", "ccode"])


def _polarity_frame(shares: pd.DataFrame, thresholds: PolarityThresholds) -> pd.DataFrame:
    rows = []
    for year, grp in shares.groupby("year", sort=True):
        g = grp.sort_values("share", ascending=False)
        s = g["share"].to_numpy(dtype=float)
        complete = bool(np.all(np.isfinite(s)))
        rows.append(
            {
                "year": int(year),
                "polarity": classify_polarity(s, thresholds) if complete else "unknown",
                "leader": g["iso3"].iloc[0] if complete else None,
                "top_share": s[0] if complete else np.nan,
                "second": g["iso3"].iloc[1] if complete and len(g) > 1 else None,
                "second_share": s[1] if complete and len(g) > 1 else np.nan,
                "top_two_share": s[:2].sum() if complete else np.nan,
            }
        )
    return pd.DataFrame(rows)


def balance_of_power(
    store: Store,
    start: int = 1946,
    end: int | None = None,
    *,
    coalition: Sequence[str] = ("RUS", "CHN"),
    rival: str = "USA",
    thresholds: PolarityThresholds | None = None,
) -> PowerResult:
    """Capability shares, Ray–Singer concentration and polarity of the major powers.

    ``end`` defaults to the last year of the ``nmc`` table.  A year in which any
    major power lacks a CINC value gets NA concentration and polarity ``unknown``
    (a share computed without it would be wrong).  ``coalition`` and ``rival``
    are ISO3 codes; ``balances`` is NA where any of them lacks CINC.

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> res = balance_of_power(vendored_store(), 1990, 2022)  # doctest: +SKIP
    >>> res.polarity.set_index("year").loc[2010, "leader"]  # doctest: +SKIP
    'CHN'
    """
    require_tables(store, "nmc")
    thresholds = thresholds or PolarityThresholds()
    last = int(query(store, "SELECT max(year) AS y FROM nmc")["y"].iloc[0])
    end = last if end is None else end
    if start > end:
        raise InputError(f"start {start} is after end {end}")
    codes = resolve_states(store, [*coalition, rival])
    rival_code = resolve_state(rival, "rival")
    members = [resolve_state(c, "coalition") for c in coalition]
    if rival_code in members:
        raise InputError(f"rival {rival_code} is also in the coalition {'+'.join(members)}")

    nmc = query(
        store, "SELECT ccode, iso3, year, cinc FROM nmc WHERE year BETWEEN ? AND ?", [start, end]
    )
    majors = _majors_frame(range(start, end + 1)).merge(nmc, on=["year", "ccode"], how="left")
    concentration = (
        majors.groupby("year")["cinc"]
        .agg(
            n_majors="size",
            majors_cinc=lambda s: s.sum() if s.notna().all() else np.nan,
            con=lambda s: ray_singer_con(s.to_numpy()) if s.notna().all() else np.nan,
        )
        .reset_index()
    )
    shares = majors.merge(concentration[["year", "majors_cinc"]], on="year")
    shares["share"] = shares["cinc"] / shares["majors_cinc"]
    ranks = shares.groupby("year")["share"].rank(ascending=False, method="min")
    shares["rank"] = ranks.astype("Int64")
    shares = shares.drop(columns="majors_cinc").sort_values(["year", "rank", "ccode"])

    rc = _coalition_vs_rival(
        nmc, [codes[m] for m in members], codes[rival_code], range(start, end + 1)
    )
    rc.insert(1, "coalition", "+".join(members))
    rc.insert(3, "rival", rival_code)

    assumptions = [
        "Capability is COW's CINC (NMC v7.0): a state's share of world military spending, "
        "military personnel, iron and steel, energy use, total and urban population.",
        "Major powers follow the COW list (v2016); after 2016 the 2016 set is assumed to hold.",
        f"Polarity rule: {thresholds.describe()}.",
        "CINC weights population and heavy industry equally with military spending, so it "
        "rates large industrial economies (China above all) higher than spending-only measures.",
        f"'Balancing' here means the combined CINC of {'+'.join(members)} is at least that of "
        f"{rival_code}; it says nothing about intent or coordination.",
    ]
    return PowerResult(
        assumptions=assumptions,
        shares=shares.reset_index(drop=True),
        concentration=concentration,
        polarity=_polarity_frame(shares, thresholds),
        rc_vs_us=rc,
        thresholds=thresholds,
        start=start,
        end=end,
    )


def _coalition_vs_rival(
    nmc: pd.DataFrame, members: list[int], rival: int, years: range
) -> pd.DataFrame:
    wide = nmc.pivot_table(index="year", columns="ccode", values="cinc", aggfunc="first")
    wide = wide.reindex(index=list(years), columns=[*members, rival])
    coalition_cinc = wide[members].sum(axis=1, min_count=len(members))
    coalition_cinc[wide[members].isna().any(axis=1)] = np.nan
    rival_cinc = wide[rival]
    ratio = coalition_cinc / rival_cinc
    balances = (coalition_cinc >= rival_cinc).astype("boolean")
    balances[coalition_cinc.isna() | rival_cinc.isna()] = pd.NA
    return pd.DataFrame(
        {
            "year": list(years),
            "coalition_cinc": coalition_cinc.to_numpy(),
            "rival_cinc": rival_cinc.to_numpy(),
            "ratio": ratio.to_numpy(),
            "balances": balances.to_numpy(),
        }
    )
