"""The indicators section: one chart per family, each with source and coverage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dyadscope.report import charts
from dyadscope.report.model import Chart, Download, Paragraph, Section


@dataclass(frozen=True)
class Family:
    """How one indicator family is drawn: which columns, labels and axis."""

    id: str
    title: str
    series: Mapping[str, str]
    yaxis: str
    percent: bool = False
    secondary: Mapping[str, str] = field(default_factory=dict)
    scale: float = 1.0
    periods: int | None = None


def families(a: str, b: str) -> list[Family]:
    """The families shown in the brief, labelled for the dyad (A, B)."""
    return [
        Family(
            "capability",
            "Material capability (CINC)",
            {"cinc_a": f"CINC {a}", "cinc_b": f"CINC {b}"},
            "share of world capabilities",
            secondary={"cinc_ratio_b_a": f"ratio {b}/{a} (right axis)"},
        ),
        Family(
            "trade_total",
            "Bilateral trade",
            {
                "trade_total": f"{a}–{b} trade, US$ bn (COW)",
                "trade_total_dots": f"{a}–{b} goods trade, US$ bn (IMF DOTS)",
            },
            "US$ bn",
            scale=1e-3,
        ),
        Family(
            "trade_share",
            "Trade dependence",
            {
                "trade_share_a": f"share of {a}'s trade that is with {b}",
                "trade_share_b": f"share of {b}'s trade that is with {a}",
            },
            "share of total trade",
            percent=True,
        ),
        Family(
            "unga",
            "UN General Assembly voting",
            {"unga_same_vote": "same-vote share", "unga_kappa": "Cohen's κ"},
            "agreement",
            secondary={"ideal_point_distance": "ideal-point distance (right axis)"},
        ),
        Family(
            "arms",
            "Arms-transfer dependence (5-year periods)",
            {
                "arms_share_a_from_b": f"share of {a}'s arms imports from {b}",
                "arms_share_b_from_a": f"share of {b}'s arms imports from {a}",
            },
            "share of arms imports (TIV)",
            percent=True,
            periods=5,
        ),
        Family(
            "ties",
            "Alliances, disputes and shared institutions",
            {"joint_igos": "joint IGO memberships", "mids": "militarised dispute-years"},
            "count",
            secondary={"atop_defense": "ATOP defence pact (0/1, right axis)"},
        ),
    ]


def indicators_section(
    tidy: pd.DataFrame,
    tidy_periods: pd.DataFrame | None,
    a: str,
    b: str,
    claims: Sequence[Any] = (),
) -> Section:
    """Build the section from the tidy indicator frames (yearly and by period).

    ``claims`` are figures quoted in the case's documents (:class:`dyadscope.case.Claim`);
    they are drawn beside the data with their citation so a reader can check the
    essay against the dataset.
    """
    section = Section(
        "indicators",
        "Indicators from the standard datasets",
        lead=f"Computed at build time for {a}–{b} from the vendored extracts. A gap in a line "
        "is a year the dataset does not cover: missing is shown as missing, never as zero.",
    )
    for fam in families(a, b):
        frame = tidy_periods if fam.periods and tidy_periods is not None else tidy
        cols = [*fam.series, *fam.secondary]
        sub = frame[frame["indicator"].isin(cols)]
        if sub.empty or sub["value"].notna().sum() == 0:
            section.add(
                Paragraph(
                    f"{fam.title}: no data in the vendored extracts for {a}–{b}.", tone="warning"
                )
            )
            continue
        wide = sub.pivot_table(index="year", columns="indicator", values="value", dropna=False)
        wide = wide.reindex(columns=cols).reset_index()
        trimmed = _trim(wide, cols)
        plotted = trimmed.copy()
        for c in fam.series:
            if c in plotted:
                plotted[c] = plotted[c] * fam.scale
        markers = [
            {
                "x": c.year,
                "y": c.value * fam.scale if fam.scale != 1 else c.value,
                "label": c.label,
                "hover": f"{c.label}: {_cite(c)}",
            }
            for c in claims
            if c.indicator in fam.series
        ]
        html = charts.line_chart(
            plotted,
            x="year",
            series=fam.series,
            secondary=fam.secondary,
            chart_id=f"ind-{fam.id}",
            yaxis_title=fam.yaxis,
            percent=fam.percent,
            markers=markers,
        )
        section.add(
            Chart(
                html=html,
                title=fam.title,
                source_note=provenance_note(sub, cols)
                + (
                    " Diamonds: figures quoted in the case documents ("
                    + "; ".join(_cite(c) for c in claims if c.indicator in fam.series)
                    + ")."
                    if markers
                    else ""
                ),
                download=Download.csv(trimmed, f"{a}_{b}_{fam.id}.csv".lower()),
            )
        )
    return section


def _cite(claim: Any) -> str:
    return ", ".join(f"{e.doc}:{e.lines}" for e in claim.evidence)


def _trim(wide: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    """Drop leading and trailing years where every plotted column is missing."""
    present = wide[[c for c in cols if c in wide]].notna().any(axis=1)
    if not present.any():
        return wide
    first, last = present.idxmax(), present[::-1].idxmax()
    return wide.loc[first:last].reset_index(drop=True)


def provenance_note(sub: pd.DataFrame, cols: Sequence[str]) -> str:
    """'Source: X (coverage a–b)' for each indicator drawn in a chart."""
    parts = []
    for col in cols:
        rows = sub[(sub["indicator"] == col) & sub["value"].notna()]
        if rows.empty:
            parts.append(f"{col}: no data")
            continue
        sources = ", ".join(sorted(set(rows["source"].astype(str))))
        parts.append(f"{col}: {sources}, {int(rows['year'].min())}–{int(rows['year'].max())}")
    return "Source and coverage — " + "; ".join(parts) + "."
