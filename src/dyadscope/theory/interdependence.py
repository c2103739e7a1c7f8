"""Asymmetric interdependence: sensitivity, vulnerability and leverage (Keohane & Nye).

Keohane and Nye (1977, *Power and Interdependence*) separate two kinds of
dependence.  **Sensitivity** is how much one side is affected by changes in the
other before it can adjust; **vulnerability** is what it would cost to adjust,
i.e. how hard the ties are to replace.  Asymmetry in dependence is a source of
power: the less dependent side has leverage over the more dependent one.

Measures, per direction and year, on a 0–1 scale (shares):

* **sensitivity** of A to B: B's share of A's total trade (``trade_share_a``);
* **vulnerability** of A to B: the mean of the dependence channels that are hard
  to substitute in the short run, namely B's share of A's arms imports
  (``arms_share_a_from_b``) and of A's energy imports (no energy data exists in
  dyadscope's sources yet, so the energy channel is NA and the result says so);
* **dependence** of A on B: the mean of the available channels (trade, arms,
  energy), and the **leverage** of A over B = dependence of B on A minus
  dependence of A on B, in [-1, 1]; positive means B needs A more than A needs B.
  Leverage is computed only from channels available for *both* directions in the
  year, so a missing channel on one side cannot create a spurious asymmetry.

The inputs come from :func:`dyadscope.indicators.compute`, so the shares are the
same numbers the indicators section shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from dyadscope.errors import InputError
from dyadscope.theory._common import TheoryResult, resolve_states

if TYPE_CHECKING:
    from dyadscope.data.store import Store

__all__ = ["CHANNELS", "InterdependenceResult", "interdependence"]

#: Dependence channels: name -> (indicator for A's dependence on B, for B's on A, short-run
#: substitutable?).  ``None`` marks a channel with no indicator in the data yet.
CHANNELS: dict[str, tuple[str | None, str | None, bool]] = {
    "trade": ("trade_share_a", "trade_share_b", True),
    "arms": ("arms_share_a_from_b", "arms_share_b_from_a", False),
    "energy": (None, None, False),
}


@dataclass
class InterdependenceResult(TheoryResult):
    """Interdependence of ``a`` and ``b`` over years.

    * ``dependence``: year, dependent, on, channel, value (share, NA where the data
      say nothing), source.
    * ``sensitivity``: year, state, partner, sensitivity, vulnerability, dependence,
      channels (those with data for this state; compare states only on shared ones).
    * ``leverage``: year, leverage_a_over_b, leverage_b_over_a, channels_used.
    """

    a: str = ""
    b: str = ""
    start: int = 0
    end: int = 0
    dependence: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    leverage: pd.DataFrame = field(default_factory=pd.DataFrame)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: leverage (main), sensitivity, dependence."""
        return {
            "leverage": self.leverage,
            "sensitivity": self.sensitivity,
            "dependence": self.dependence,
        }

    def scalars(self) -> dict[str, Any]:
        """The pair and the period."""
        return {"a": self.a, "b": self.b, "start": self.start, "end": self.end}


def _dependence_frame(ind: pd.DataFrame, a: str, b: str, years: list[int]) -> pd.DataFrame:
    values = ind.set_index(["year", "indicator"])["value"]
    sources = ind.set_index(["year", "indicator"])["source"]
    rows = []
    for year in years:
        for channel, (name_a, name_b, _) in CHANNELS.items():
            for dependent, on, name in ((a, b, name_a), (b, a, name_b)):
                key = (year, name)
                value = float(values.get(key, np.nan)) if name else np.nan
                source = sources.get(key) if name else None
                rows.append((year, dependent, on, channel, value, source))
    return pd.DataFrame(rows, columns=["year", "dependent", "on", "channel", "value", "source"])


def _per_state(dep: pd.DataFrame) -> pd.DataFrame:
    wide = (
        dep.set_index(["year", "dependent", "on", "channel"])["value"]
        .unstack("channel")
        .reindex(columns=list(CHANNELS))
    )
    hard = [c for c, (_, _, substitutable) in CHANNELS.items() if not substitutable]
    out = pd.DataFrame(
        {
            "sensitivity": wide["trade"],
            "vulnerability": wide[hard].mean(axis=1, skipna=True),
            "dependence": wide[list(CHANNELS)].mean(axis=1, skipna=True),
            "channels": wide.notna().apply(
                lambda row: "+".join(c for c in CHANNELS if row[c]) or None, axis=1
            ),
        }
    ).reset_index()
    return out.rename(columns={"dependent": "state", "on": "partner"})


def _leverage(dep: pd.DataFrame, a: str, years: list[int]) -> pd.DataFrame:
    wide = dep.pivot_table(
        index=["year", "channel"], columns="dependent", values="value", dropna=False
    )
    b = next(c for c in wide.columns if c != a)
    both = wide[[a, b]].notna().all(axis=1)
    paired = wide[both]
    rows = []
    for year in years:
        sub = paired.xs(year, level="year") if year in paired.index.get_level_values(0) else None
        if sub is None or sub.empty:
            rows.append((year, np.nan, np.nan, None))
            continue
        lev = float(sub[b].mean() - sub[a].mean())
        rows.append((year, lev, -lev, "+".join(sub.index)))
    return pd.DataFrame(
        rows, columns=["year", "leverage_a_over_b", "leverage_b_over_a", "channels_used"]
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
    """Sensitivity, vulnerability and leverage of ``a`` and ``b`` in ``start``–``end``.

    ``trade_source`` picks the trade shares' source (COW to 2014; the IMF DOTS
    extract covers a few states to 2020).

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> res = interdependence(vendored_store(), "RUS", "CHN", 2000, 2014)  # doctest: +SKIP
    >>> res.leverage.set_index("year").loc[2013, "leverage_a_over_b"] < 0  # doctest: +SKIP
    True
    """
    from dyadscope.indicators import compute

    if start > end:
        raise InputError(f"start {start} is after end {end}")
    codes = list(resolve_states(store, [a, b]))
    if len(codes) != 2:
        raise InputError(f"interdependence needs two different states; got {a!r} and {b!r}")
    a, b = codes
    names = [n for pair in CHANNELS.values() for n in pair[:2] if n]
    ind = compute(store, a, b, start, end, only=names, trade_source=trade_source)
    ind = ind[ind["indicator"].isin(names)]
    years = list(range(start, end + 1))
    dep = _dependence_frame(ind, a, b, years)
    return InterdependenceResult(
        assumptions=_assumptions(a, b),
        a=a,
        b=b,
        start=start,
        end=end,
        dependence=dep,
        sensitivity=_per_state(dep),
        leverage=_leverage(dep, a, years),
    )


def _assumptions(a: str, b: str) -> list[str]:
    return [
        "Dependence is read from shares of flows (trade, arms imports): the partner's share "
        "of a state's total; it ignores what is traded and the size of each economy.",
        "Sensitivity is the trade share; vulnerability averages the channels that are hard to "
        "replace quickly (arms supply; energy, for which no data exists here, so it is NA).",
        f"Leverage of {a} over {b} = dependence of {b} on {a} minus dependence of {a} on {b}, "
        "using only channels measured for both sides that year; positive favours " + a + ".",
        "Shares are yearly (or per period when the indicators are aggregated); years outside "
        "a dataset's coverage are NA, never 0.",
    ]
