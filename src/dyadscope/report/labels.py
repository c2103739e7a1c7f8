"""Reader-facing names and units for every indicator the brief shows: one table.

Nothing in the brief prints an indicator id (``cinc_a``, ``trade_share_b``): each
section asks :func:`indicator_label` for the human label, with the dyad's names
filled in, and :func:`unit` for the unit that goes on an axis or after a value.

>>> indicator_label("trade_share_a", "Russia", "China")
"Share of Russia's trade that is with China"
>>> unit("trade_total")
'US$ bn'
>>> fmt_value("trade_share_a", 0.1834)
'18.3%'
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorLabel:
    """How one indicator is named and shown: label template, unit and value format."""

    label: str
    unit: str
    #: Python format applied to the value as stored (after ``scale``).
    fmt: str = "{:.2f}"
    scale: float = 1.0


#: indicator id → label; ``{a}``/``{b}`` are the two states' names.
INDICATORS: dict[str, IndicatorLabel] = {
    "cinc_a": IndicatorLabel("{a}'s share of world material capability (CINC)", "share", "{:.1%}"),
    "cinc_b": IndicatorLabel("{b}'s share of world material capability (CINC)", "share", "{:.1%}"),
    "cinc_ratio_b_a": IndicatorLabel("Capability ratio {b}/{a} (CINC)", "ratio", "{:.2f}×"),
    "trade_total": IndicatorLabel("{a}–{b} trade (COW)", "US$ bn", "US$ {:,.1f} bn", scale=1e-3),
    "trade_total_dots": IndicatorLabel(
        "{a}–{b} goods trade (IMF DOTS)", "US$ bn", "US$ {:,.1f} bn", scale=1e-3
    ),
    "trade_share_a": IndicatorLabel("Share of {a}'s trade that is with {b}", "share", "{:.1%}"),
    "trade_share_b": IndicatorLabel("Share of {b}'s trade that is with {a}", "share", "{:.1%}"),
    "unga_same_vote": IndicatorLabel("UN General Assembly same-vote share", "share", "{:.1%}"),
    "unga_kappa": IndicatorLabel("UN General Assembly vote agreement (Cohen's κ)", "κ", "{:.2f}"),
    "ideal_point_distance": IndicatorLabel(
        "UN General Assembly ideal-point distance", "distance", "{:.2f}"
    ),
    "arms_share_a_from_b": IndicatorLabel(
        "Share of {a}'s arms imports that come from {b}", "share of TIV", "{:.1%}"
    ),
    "arms_share_b_from_a": IndicatorLabel(
        "Share of {b}'s arms imports that come from {a}", "share of TIV", "{:.1%}"
    ),
    "joint_igos": IndicatorLabel(
        "Joint memberships of intergovernmental organisations", "count", "{:,.0f}"
    ),
    "mids": IndicatorLabel("Militarised interstate disputes", "dispute-years", "{:,.0f}"),
    "atop_defense": IndicatorLabel("Defence pact in force (ATOP)", "0/1", "{:.0f}"),
    "contiguity": IndicatorLabel("Contiguity (COW)", "type", "{:.0f}"),
    "mindist": IndicatorLabel("Minimum distance between the two states", "km", "{:,.0f} km"),
    "coop_share": IndicatorLabel("Cooperative share of events (QuadClass 1–2)", "share", "{:.1%}"),
    "goldstein_mean": IndicatorLabel("Mean Goldstein score of events", "score −10…+10", "{:+.2f}"),
}


def _spec(indicator: str) -> IndicatorLabel:
    found = INDICATORS.get(indicator)
    if found is None:
        # An indicator added without a label still reads as words, never as an id.
        return IndicatorLabel(indicator.replace("_", " ").capitalize(), "")
    return found


def possessive(name: str) -> str:
    """English possessive of a state's name.

    >>> possessive("China"), possessive("United States")
    ("China's", "United States'")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def indicator_label(indicator: str, a: str = "A", b: str = "B") -> str:
    """The reader-facing name of ``indicator`` for the dyad named ``a``–``b``."""
    text = _spec(indicator).label.replace("{a}'s", possessive(a)).replace("{b}'s", possessive(b))
    return text.format(a=a, b=b)


def unit(indicator: str) -> str:
    """The unit of ``indicator`` as stored (after its display scale)."""
    return _spec(indicator).unit


def scale(indicator: str) -> float:
    """Factor from the stored value to the displayed one (US$ m → US$ bn: 1e-3)."""
    return _spec(indicator).scale


def fmt_value(indicator: str, value: float | None) -> str:
    """``value`` of ``indicator`` formatted with its unit; NA for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NA"
    spec = _spec(indicator)
    return spec.fmt.format(value * spec.scale)


def fmt_change(indicator: str, old: float, new: float) -> str:
    """The change from ``old`` to ``new`` in the indicator's natural unit.

    Shares change in percentage points; other quantities by their difference.

    >>> fmt_change("trade_share_a", 0.10, 0.15)
    '+5.0 pp'
    >>> fmt_change("trade_total", 10_000.0, 12_500.0)
    '+US$ 2.5 bn'
    """
    spec = _spec(indicator)
    diff = (new - old) * spec.scale
    if spec.fmt.endswith("%}"):
        return f"{diff * 100:+.1f} pp"
    text = spec.fmt.format(abs(diff))
    return ("+" if diff >= 0 else "−") + text


#: Withdrawn codes whose state continues under today's ISO3 (see
#: ``dyadscope.data.countries.CONTINUATIONS``), with the name and last year of the
#: earlier state, so that a chart of "Russia" says where it was the USSR.
PREDECESSOR_ERAS: dict[str, tuple[str, int]] = {
    "SUN": ("USSR", 1991),
    "YUG": ("Yugoslavia", 1991),
    "SCG": ("Serbia and Montenegro", 2005),
}


def eras(*iso3: str) -> list[tuple[int, str]]:
    """``(last year, text)`` for each state in ``iso3`` that had a predecessor name.

    >>> eras("RUS", "CHN")
    [(1991, 'RUS was the USSR until 1991')]
    """
    from dyadscope.data.countries import CONTINUATIONS

    out = []
    for code in iso3:
        for old, new in CONTINUATIONS.items():
            if new == code and old in PREDECESSOR_ERAS:
                name, last = PREDECESSOR_ERAS[old]
                out.append((last, f"{code} was the {name} until {last}"))
                break
    return out
