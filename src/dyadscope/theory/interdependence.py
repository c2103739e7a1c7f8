"""Asymmetric interdependence: sensitivity, vulnerability and leverage (Keohane & Nye).

Keohane and Nye (1977, *Power and Interdependence*) separate two kinds of
dependence.  **Sensitivity** is how much one side is exposed to changes in the
other before it can adjust; **vulnerability** is what it would cost to adjust,
i.e. how hard the ties are to replace.  Asymmetry in dependence is a source of
power: the less dependent side has leverage over the more dependent one.

Both members are measured through the same channels, each as the partner's share
of the state's own flow (0-1), per year:

* ``trade``: the partner's share of the state's total trade, numerator and
  denominator from one source (COW, to 2014; the vendored DOTS extract has no
  world totals, so later years are NA);
* ``energy_<fuel>_supply`` and ``energy_<fuel>_market`` for pipeline gas, LNG and
  crude oil: the share of the state's imports bought from the partner, and of its
  exports sold to the partner (Energy Institute; the by-year gas sheet from 2000,
  the 2023 matrices for crude);
* ``arms_supply`` and ``arms_market``: the partner's share of the state's arms
  imports and exports (SIPRI full register, TIV).

Sensitivity is that share.  Vulnerability is the share scaled by how few
alternatives the state uses in the channel: ``share x HHI``, where HHI is the
Herfindahl index of the state's partners in the channel that year (trade: COW
dyadic flows, only where they account for at least 90% of the state's reported
total; arms: the SIPRI register).  Pipeline gas is fixed infrastructure that
cannot be redirected in the short run, so its vulnerability equals its
sensitivity.  Seaborne crude and LNG are fungible at world prices and the EI
sheets give no complete partner list per state and year, so their vulnerability
is NA (said in the notes).  Nothing here is tuned: there are no weights.

The **leverage** of A over B per year is the mean over flow families (trade,
pipeline gas, LNG, crude, arms) measured for *both* sides of (B's exposure - A's
exposure), a state's exposure in a family being its largest share there as buyer
or seller; once from sensitivity and once from vulnerability.  Positive means B
needs A more than A needs B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from dyadscope.errors import InputError
from dyadscope.theory._common import TheoryResult, query, resolve_states

if TYPE_CHECKING:
    from dyadscope.data.store import Store

__all__ = [
    "CHANNELS",
    "InterdependenceResult",
    "channel_family",
    "herfindahl",
    "interdependence",
]

#: Channel -> (indicator for A's value, for B's value, vulnerability rule).
#: Rules: "hhi_trade"/"hhi_arms_in"/"hhi_arms_out" (share x partner HHI), "fixed"
#: (= sensitivity), None (not measured).
CHANNELS: dict[str, tuple[str, str, str | None]] = {
    "trade": ("trade_share_a", "trade_share_b", "hhi_trade"),
    "energy_pipeline_gas_supply": (
        "energy_pipeline_gas_share_a_imports",
        "energy_pipeline_gas_share_b_imports",
        "fixed",
    ),
    "energy_pipeline_gas_market": (
        "energy_pipeline_gas_share_a_exports",
        "energy_pipeline_gas_share_b_exports",
        "fixed",
    ),
    "energy_lng_supply": ("energy_lng_share_a_imports", "energy_lng_share_b_imports", None),
    "energy_lng_market": ("energy_lng_share_a_exports", "energy_lng_share_b_exports", None),
    "energy_crude_supply": ("energy_crude_share_a_imports", "energy_crude_share_b_imports", None),
    "energy_crude_market": ("energy_crude_share_a_exports", "energy_crude_share_b_exports", None),
    "arms_supply": ("arms_share_a_from_b", "arms_share_b_from_a", "hhi_arms_in"),
    "arms_market": ("arms_export_share_a_to_b", "arms_export_share_b_to_a", "hhi_arms_out"),
}
#: Share of a state's reported total trade its dyadic rows must cover for an HHI.
TRADE_HHI_COVERAGE = 0.9


def herfindahl(values: pd.Series | list[float]) -> float:
    """Herfindahl index of partner flows: sum of squared shares (NaN if the total is 0).

    Worked example: flows 6, 3, 1 -> shares 0.6, 0.3, 0.1 -> 0.36 + 0.09 + 0.01 = 0.46.

    >>> herfindahl([6, 3, 1])
    0.46
    """
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    total = arr.sum()
    if total <= 0:
        return float("nan")
    return float(round(((arr / total) ** 2).sum(), 12))


@dataclass
class InterdependenceResult(TheoryResult):
    """Interdependence of ``a`` and ``b`` over years.

    * ``channels``: year, state, partner, channel, sensitivity, vulnerability,
      source (main table; NA where the data say nothing).
    * ``sensitivity``: year, state, partner, sensitivity and vulnerability (means
      over the channels with data), channels.
    * ``leverage``: year, leverage_a_over_b, leverage_b_over_a (from sensitivity),
      vulnerability_leverage_a_over_b, channels_used.
    """

    a: str = ""
    b: str = ""
    start: int = 0
    end: int = 0
    channels: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    leverage: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)

    @property
    def dependence(self) -> pd.DataFrame:
        """The channel table under its earlier name."""
        return self.channels

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: channels (main), leverage, sensitivity."""
        return {
            "channels": self.channels,
            "leverage": self.leverage,
            "sensitivity": self.sensitivity,
        }

    def scalars(self) -> dict[str, Any]:
        """The pair, the period and the notes."""
        return {
            "a": self.a,
            "b": self.b,
            "start": self.start,
            "end": self.end,
            "notes": list(self.notes),
        }


def _trade_hhi(store: Store, state: str, code: int, years: list[int]) -> dict[int, float]:
    """HHI of ``state``'s trade partners per year (COW), where the rows are near-complete."""
    if not (store.has("cow_trade_dyadic") and store.has("cow_trade_national")):
        return {}
    df = query(
        store,
        "SELECT d.year, coalesce(d.flow1, 0) + coalesce(d.flow2, 0) AS v FROM cow_trade_dyadic d "
        "WHERE (d.ccode1 = ? OR d.ccode2 = ?) AND d.year BETWEEN ? AND ?",
        [code, code, min(years), max(years)],
    )
    nat = query(
        store,
        "SELECT year, imports + exports AS t FROM cow_trade_national WHERE ccode = ? "
        "AND year BETWEEN ? AND ?",
        [code, min(years), max(years)],
    )
    totals = dict(zip(nat["year"].astype(int).tolist(), nat["t"].tolist(), strict=True))
    out: dict[int, float] = {}
    for year, grp in df.groupby("year"):
        y = int(str(year))
        total = totals.get(y)
        covered = float(grp["v"].sum())
        if total and np.isfinite(total) and covered >= TRADE_HHI_COVERAGE * float(total):
            out[y] = herfindahl(grp["v"])
    return out


def _arms_hhi(store: Store, state: str, years: list[int], side: str) -> dict[int, float]:
    """HHI of ``state``'s arms suppliers (``side="in"``) or recipients (``"out"``) per year."""
    if not store.has("sipri_transfers"):
        return {}
    own, other = (
        ("recipient_iso3", "supplier_iso3")
        if side == "in"
        else (
            "supplier_iso3",
            "recipient_iso3",
        )
    )
    df = query(
        store,
        f"SELECT year, {other} AS p, sum(tiv) AS v FROM sipri_transfers WHERE {own} = ? "
        "AND year BETWEEN ? AND ? GROUP BY year, p",
        [state, min(years), max(years)],
    )
    return {int(str(y)): herfindahl(g["v"]) for y, g in df.groupby("year")}


def _channel_frame(
    store: Store, ind: pd.DataFrame, a: str, b: str, codes: dict[str, int], years: list[int]
) -> pd.DataFrame:
    # Plain dicts: ~2,800 look-ups per brief, each ~40 µs on a MultiIndex Series.
    keys = list(zip(ind["year"].tolist(), ind["indicator"].tolist(), strict=True))
    values = dict(zip(keys, ind["value"].tolist(), strict=True))
    sources = dict(zip(keys, ind["source"].tolist(), strict=True))
    hhi = {
        (s, rule): fn
        for s in (a, b)
        for rule, fn in (
            ("hhi_trade", _trade_hhi(store, s, codes[s], years)),
            ("hhi_arms_in", _arms_hhi(store, s, years, "in")),
            ("hhi_arms_out", _arms_hhi(store, s, years, "out")),
        )
    }
    rows = []
    for year in years:
        for channel, (name_a, name_b, rule) in CHANNELS.items():
            for state, partner, name in ((a, b, name_a), (b, a, name_b)):
                sens = float(values.get((year, name), np.nan))
                source = sources.get((year, name))
                if rule == "fixed":
                    vul = sens
                elif rule is None or not np.isfinite(sens):
                    vul = np.nan
                else:
                    vul = sens * hhi[(state, rule)].get(year, np.nan)
                rows.append((year, state, partner, channel, sens, vul, source))
    cols = ["year", "state", "partner", "channel", "sensitivity", "vulnerability", "source"]
    return pd.DataFrame(rows, columns=cols)


def _per_state(ch: pd.DataFrame) -> pd.DataFrame:
    keys = ["year", "state", "partner"]
    out = ch.groupby(keys, sort=False, as_index=False).agg(
        sensitivity=("sensitivity", "mean"), vulnerability=("vulnerability", "mean")
    )
    measured = ch[ch["sensitivity"].notna()]
    names = measured.groupby(keys, sort=False)["channel"].agg("+".join).rename("channels")
    return out.merge(names.reset_index(), on=keys, how="left")


def channel_family(channel: str) -> str:
    """The flow a channel belongs to: ``energy_lng_market`` -> ``lng``, ``arms_supply`` -> ``arms``.

    >>> channel_family("energy_pipeline_gas_supply")
    'pipeline_gas'
    """
    name = channel.removeprefix("energy_")
    return name.rsplit("_", 1)[0] if name.endswith(("_supply", "_market")) else name


def _leverage(ch: pd.DataFrame, a: str, b: str, years: list[int]) -> pd.DataFrame:
    """Leverage from each family of flows measured for both states.

    A state's exposure in a family is its largest share there (as buyer or seller):
    for gas sold by A to B that compares B's supply share with A's market share.
    """
    fam = ch.assign(family=ch["channel"].map(channel_family))
    # One grouped max per measure (year x family x state), not a pivot per year:
    # the same numbers, a second less per brief.
    grouped = {
        measure: fam.groupby(["year", "family", "state"])[measure].max().unstack("state")
        for measure in ("sensitivity", "vulnerability")
    }
    # Families measured for both states, and b's minus a's share, by year (one dropna
    # per measure, not one slice per year: the same numbers, ~0.2 s less per brief).
    by_year: dict[str, dict[int, tuple[list[str], list[float]]]] = {}
    for measure in ("sensitivity", "vulnerability"):
        both = grouped[measure].reindex(columns=[a, b]).dropna()
        found: dict[int, tuple[list[str], list[float]]] = {}
        for (year, family), gap in zip(both.index, (both[b] - both[a]).tolist(), strict=True):
            fams, gaps = found.setdefault(int(year), ([], []))
            fams.append(str(family))
            gaps.append(gap)
        by_year[measure] = found
    rows = []
    for year in years:
        out: list[Any] = [year]
        used = None
        for measure in ("sensitivity", "vulnerability"):
            fams, gaps = by_year[measure].get(year, ([], []))
            lev = float(np.mean(np.asarray(gaps, dtype=float))) if gaps else np.nan
            out += [lev, -lev] if measure == "sensitivity" else [lev]
            if measure == "sensitivity":
                used = "+".join(fams) or None
        rows.append((*out, used))
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "leverage_a_over_b",
            "leverage_b_over_a",
            "vulnerability_leverage_a_over_b",
            "channels_used",
        ],
    )


def interdependence(
    store: Store,
    a: str,
    b: str,
    start: int,
    end: int,
    *,
    trade_source: Literal["cow", "dots"] = "cow",
) -> InterdependenceResult:
    """Sensitivity, vulnerability and leverage of ``a`` and ``b`` in ``start``-``end``.

    ``trade_source`` picks the trade shares' single source (COW to 2014 by default;
    numerator and denominator always come from the same source).

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> res = interdependence(vendored_store(), "RUS", "CHN", 2000, 2014)  # doctest: +SKIP
    >>> res.leverage.set_index("year").loc[2013, "leverage_a_over_b"] < 0  # doctest: +SKIP
    True
    """
    from dyadscope.indicators import compute

    if start > end:
        raise InputError(f"start {start} is after end {end}")
    codes = resolve_states(store, [a, b])
    if len(codes) != 2:
        raise InputError(f"interdependence needs two different states; got {a!r} and {b!r}")
    a, b = list(codes)
    names = [n for pair in CHANNELS.values() for n in pair[:2]]
    ind = compute(store, a, b, start, end, only=names, trade_source=trade_source)
    ind = ind[ind["indicator"].isin(names)]
    years = list(range(start, end + 1))
    ch = _channel_frame(store, ind, a, b, codes, years)
    return InterdependenceResult(
        assumptions=_assumptions(a, b),
        a=a,
        b=b,
        start=start,
        end=end,
        channels=ch,
        sensitivity=_per_state(ch),
        leverage=_leverage(ch, a, b, years),
        notes=list(ind.attrs.get("notes", [])),
    )


def _assumptions(a: str, b: str) -> list[str]:
    return [
        "Each channel is the partner's share of the state's own flow: trade, pipeline gas, LNG "
        "and crude imports (supply) and exports (market), arms imports and exports; both "
        "states are measured through the same channels.",
        "Sensitivity is that share. Vulnerability is the share times the Herfindahl index of "
        "the state's partners in the channel (few alternatives, costly to replace); pipeline "
        "gas is fixed infrastructure, so its vulnerability equals its sensitivity; seaborne "
        "crude and LNG are fungible and their vulnerability is not measured (NA).",
        f"Leverage of {a} over {b} = mean over flow families measured for both (trade, pipeline "
        f"gas, LNG, crude, arms) of ({b}'s exposure - {a}'s exposure), exposure being the "
        f"largest share in the family; positive favours {a}. No channel is weighted or tuned.",
        "Trade shares come from one source per year (COW to 2014); energy shares from one EI "
        "sheet per flow; arms from SIPRI's full register. Years outside a source are NA, never 0.",
    ]
