"""The brief's first screen: key judgements, a dated bottom line, what to watch.

Everything here is generated from the numbers the brief computes — the tidy
indicator frame, the case and the scenario results — never written by hand, and
every judgement links to the chart that carries its evidence.

A worked example (shares of Russia's trade with China, invented numbers)::

    >>> import pandas as pd
    >>> tidy = pd.DataFrame({"year": [2004, 2014], "indicator": ["trade_share_a"] * 2,
    ...                      "value": [0.06, 0.11], "source": ["COW"] * 2})
    >>> j = trend_judgement(tidy, "trade_share_a", "Russia", "China", "#chart-ind-trade-share")
    >>> j.text
    "Share of Russia's trade that is with China rose from 6.0% in 2004 to 11.0% in 2014."
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dyadscope.report import labels

#: A section whose newest data point is older than this many years is flagged stale.
STALE_AFTER_YEARS = 3


@dataclass(frozen=True)
class Judgement:
    """One key judgement: a sentence, the anchor of its evidence, its source."""

    text: str
    href: str
    source: str


@dataclass(frozen=True)
class Watch:
    """A lever or indicator to watch, with why and its latest value."""

    label: str
    why: str
    latest: str


@dataclass(frozen=True)
class TimelineEntry:
    """A dated event for the timeline, with its citation (file:lines) or source."""

    when: str
    text: str
    cite: str


def series(tidy: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Rows of one indicator with a value, sorted by year."""
    rows = tidy[(tidy["indicator"] == indicator) & tidy["value"].notna()]
    return rows.sort_values("year")


def latest(tidy: pd.DataFrame, indicator: str) -> tuple[float, int, str] | None:
    """(value, year, source) of the newest value of ``indicator``, or None."""
    rows = series(tidy, indicator)
    if rows.empty:
        return None
    last = rows.iloc[-1]
    return float(last["value"]), int(last["year"]), str(last["source"])


def value_in(tidy: pd.DataFrame, indicator: str, year: int) -> tuple[float, int] | None:
    """The value in ``year`` or, failing that, the nearest earlier year with one."""
    rows = series(tidy, indicator)
    rows = rows[rows["year"] <= year]
    if rows.empty:
        return None
    last = rows.iloc[-1]
    return float(last["value"]), int(last["year"])


def trend_judgement(
    tidy: pd.DataFrame, indicator: str, na: str, nb: str, href: str, span: int = 10
) -> Judgement | None:
    """'<label> rose/fell from X in A to Y in B' over the last ``span`` years of data."""
    end = latest(tidy, indicator)
    if end is None:
        return None
    value, year, source = end
    start = value_in(tidy, indicator, year - span)
    if start is None:
        rows = series(tidy, indicator)
        start = (float(rows.iloc[0]["value"]), int(rows.iloc[0]["year"]))
    if start[1] == year:
        return None
    old = start[0]
    verb = "rose" if value > old else "fell" if value < old else "held"
    text = (
        f"{labels.indicator_label(indicator, na, nb)} {verb} from "
        f"{labels.fmt_value(indicator, old)} in {start[1]} to "
        f"{labels.fmt_value(indicator, value)} in {year}."
    )
    return Judgement(text=text, href=href, source=source)


def asymmetry_judgement(tidy: pd.DataFrame, na: str, nb: str) -> Judgement | None:
    """Who depends on whom: the two trade shares in the same latest year."""
    sa, sb = latest(tidy, "trade_share_a"), latest(tidy, "trade_share_b")
    if sa is None or sb is None or sa[1] != sb[1] or min(sa[0], sb[0]) <= 0:
        return None
    ratio = max(sa[0], sb[0]) / min(sa[0], sb[0])
    if ratio < 1.5:
        text = (
            f"Trade dependence is roughly even: {sa[0]:.1%} of {labels.possessive(na)} trade is "
            f"with {nb}, {sb[0]:.1%} of {labels.possessive(nb)} with {na} ({sa[1]})."
        )
    else:
        more, less = (na, nb) if sa[0] > sb[0] else (nb, na)
        text = (
            f"Dependence is lopsided: {more} needs {less} more than the reverse — "
            f"{max(sa[0], sb[0]):.1%} of {labels.possessive(more)} trade against "
            f"{min(sa[0], sb[0]):.1%} of {labels.possessive(less)} ({sa[1]}), "
            f"{ratio:.1f} times as much."
        )
    return Judgement(text=text, href="#chart-ind-trade-share", source=sa[2])


def key_judgements(tidy: pd.DataFrame, na: str, nb: str) -> list[Judgement]:
    """Three to five judgements from the indicators, most telling first."""
    found = [
        trend_judgement(tidy, "trade_share_a", na, nb, "#chart-ind-trade-share"),
        asymmetry_judgement(tidy, na, nb),
        trend_judgement(tidy, "cinc_ratio_b_a", na, nb, "#chart-ind-capability"),
        trend_judgement(tidy, "unga_same_vote", na, nb, "#chart-ind-unga"),
        trend_judgement(tidy, "trade_total_dots", na, nb, "#chart-ind-trade-total")
        or trend_judgement(tidy, "trade_total", na, nb, "#chart-ind-trade-total"),
        trend_judgement(tidy, "arms_share_a_from_b", na, nb, "#chart-ind-arms", span=10),
    ]
    return [j for j in found if j is not None][:5]


def bottom_line(tidy: pd.DataFrame, na: str, nb: str, as_of: str, leading: str = "") -> str:
    """One dated sentence: is the pair closer or further apart than ten years earlier?"""
    moves = []
    for ind, closer_if_up in (("trade_share_a", True), ("trade_share_b", True),
                              ("unga_same_vote", True), ("mids", False)):  # fmt: skip
        end = latest(tidy, ind)
        if end is None:
            continue
        start = value_in(tidy, ind, end[1] - 10)
        if start is None or math.isclose(start[0], end[0]):
            continue
        up = end[0] > start[0]
        moves.append(up == closer_if_up)
    if not moves:
        verdict = f"the shipped datasets say too little about {na}–{nb} for a trend"
    elif sum(moves) > len(moves) / 2:
        verdict = (
            f"{na} and {nb} are closer than a decade earlier on most measured ties "
            f"({sum(moves)} of {len(moves)} indicators moved towards each other)"
        )
    elif sum(moves) < len(moves) / 2:
        verdict = (
            f"{na} and {nb} have drifted apart on most measured ties "
            f"({len(moves) - sum(moves)} of {len(moves)} indicators moved apart)"
        )
    else:
        verdict = f"the measured ties between {na} and {nb} point both ways"
    tail = f" The case model's leading outcome: {leading}." if leading else ""
    return f"Bottom line, {as_of}: {verdict}.{tail}"


def data_as_of(tidy: pd.DataFrame) -> dict[str, int]:
    """Newest year with a value, per source (the dataset versions' reach for this pair)."""
    rows = tidy[tidy["value"].notna()]
    return {str(s): int(y) for s, y in rows.groupby("source")["year"].max().items()}


def stale_note(latest_year: int | None, build_year: int, what: str) -> str | None:
    """A warning when ``what``'s newest data is more than STALE_AFTER_YEARS old."""
    if latest_year is None or build_year - latest_year <= STALE_AFTER_YEARS:
        return None
    return (
        f"{what}: the newest data point is from {latest_year}, "
        f"{build_year - latest_year} years before this brief was built. Refresh the datasets "
        "(dyadscope data update) and rebuild."
    )


def sparkline(values: Sequence[float], width: int = 120, height: int = 28) -> str:
    """An inline SVG polyline of ``values`` (NaN skipped); empty string when < 2 points.

    >>> sparkline([1.0, 2.0])[:4]
    '<svg'
    """
    pts = [(i, v) for i, v in enumerate(values) if not math.isnan(v)]
    if len(pts) < 2:
        return ""
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span, n = (hi - lo) or 1.0, max(i for i, _ in pts) or 1
    coords = " ".join(
        f"{2 + (width - 4) * i / n:.1f},{height - 2 - (height - 4) * (v - lo) / span:.1f}"
        for i, v in pts
    )
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true" focusable="false"><polyline fill="none" stroke="#0072B2" '
        f'stroke-width="1.6" points="{coords}"/></svg>'
    )
