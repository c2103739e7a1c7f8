"""The indicators section: one chart per family, each with source and coverage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadscope.report import charts, labels
from dyadscope.report.model import Chart, Download, Paragraph, Section, Table
from dyadscope.report.synthesis import STALE_AFTER_YEARS


@dataclass(frozen=True)
class Family:
    """How one indicator family is drawn: which indicators, on which axis, in what unit."""

    id: str
    title: str
    series: Sequence[str]
    yaxis: str
    percent: bool = False
    secondary: Sequence[str] = ()
    secondary_title: str = ""
    periods: int | None = None


FAMILIES: tuple[Family, ...] = (
    Family(
        "capability",
        "Material capability (CINC)",
        ("cinc_a", "cinc_b"),
        "share of world capabilities (%)",
        percent=True,
        secondary=("cinc_ratio_b_a",),
        secondary_title="capability ratio (×)",
    ),
    Family("trade_total", "Bilateral trade", ("trade_total", "trade_total_dots"), "US$ bn"),
    Family(
        "trade_share",
        "Trade dependence",
        ("trade_share_a", "trade_share_b"),
        "share of total trade (%)",
        percent=True,
    ),
    Family(
        "unga",
        "UN General Assembly voting",
        ("unga_same_vote", "unga_kappa"),
        "agreement (share or κ)",
        secondary=("ideal_point_distance",),
        secondary_title="ideal-point distance",
    ),
    Family(
        "arms",
        "Arms-transfer dependence (5-year periods)",
        ("arms_share_a_from_b", "arms_share_b_from_a"),
        "share of arms imports, TIV (%)",
        percent=True,
        periods=5,
    ),
    Family(
        "ties",
        "Alliances, disputes and shared institutions",
        ("joint_igos", "mids"),
        "count",
        secondary=("atop_defense",),
        secondary_title="defence pact (0 = no, 1 = yes)",
    ),
)


def families(a: str, b: str) -> list[Family]:
    """The families shown in the brief (the same for every dyad; labels come from names)."""
    del a, b
    return list(FAMILIES)


def indicators_section(
    tidy: pd.DataFrame,
    tidy_periods: pd.DataFrame | None,
    a: str,
    b: str,
    claims: Sequence[Any] = (),
    names: tuple[str, str] | None = None,
    build_year: int | None = None,
) -> Section:
    """Build the section from the tidy indicator frames (yearly and by period).

    ``claims`` are figures quoted in the case's documents (:class:`dyadscope.case.Claim`);
    they are drawn beside the data with their citation so a reader can check the
    essay against the dataset.  ``names`` are the states' names for labels (default
    the ISO3 codes).
    """
    na, nb = names or (a, b)
    section = Section(
        "indicators",
        "Indicators from the standard datasets",
        lead=f"Computed at build time for {na}–{nb} from the datasets shipped with dyadscope. "
        "A gap in a line is a year the dataset does not cover: missing is shown as missing, "
        "never as zero.",
    )
    for fam in FAMILIES:
        frame = tidy_periods if fam.periods and tidy_periods is not None else tidy
        cols = [*fam.series, *fam.secondary]
        sub = frame[frame["indicator"].isin(cols)]
        if sub.empty or sub["value"].notna().sum() == 0:
            section.add(
                Paragraph(f"{fam.title}: no data in the shipped datasets for {na}–{nb}.", "note")
            )
            continue
        wide = sub.pivot_table(index="year", columns="indicator", values="value", dropna=False)
        wide = wide.reindex(columns=cols).reset_index()
        trimmed = _trim(wide, cols)
        plotted = trimmed.copy()
        for c in cols:
            if c in plotted:
                plotted[c] = plotted[c] * labels.scale(c)
        fam_claims = [c for c in claims if c.indicator in fam.series]
        markers = [
            {
                "x": c.year,
                "y": c.value * labels.scale(c.indicator),
                "label": c.label,
                "hover": f"{c.label}: {_cite(c)}",
            }
            for c in fam_claims
        ]
        label_of = {c: labels.indicator_label(c, na, nb) for c in cols}
        html = charts.line_chart(
            plotted,
            x="year",
            series={c: label_of[c] for c in fam.series},
            secondary={c: f"{label_of[c]} (right axis)" for c in fam.secondary},
            secondary_title=fam.secondary_title,
            chart_id=f"ind-{fam.id}",
            yaxis_title=fam.yaxis,
            percent=fam.percent,
            hover_format=".1%" if fam.percent else ",.2f",
            units="" if fam.percent else labels.unit(fam.series[0]),
            secondary_units=labels.unit(fam.secondary[0]) if fam.secondary else "",
            markers=markers,
            eras=[(y, t.replace(a, na).replace(b, nb)) for y, t in labels.eras(a, b)]
            if int(trimmed["year"].min()) <= 1991
            else [],
        )
        shown = Table(
            columns=["year", *[label_of[c] for c in cols if c in trimmed]],
            rows=[
                [str(int(r["year"])), *[labels.fmt_value(c, r[c]) for c in cols if c in trimmed]]
                for _, r in trimmed.iterrows()
            ],
            title="Table view",
        )
        newest = int(sub.loc[sub["value"].notna(), "year"].max())
        age = (build_year - newest) if build_year else 0
        stale = (
            f" The newest data point is from {newest}, {age} years before this brief."
            if age > STALE_AFTER_YEARS
            else ""
        )
        section.add(
            Chart(
                html=html,
                title=fam.title,
                source_note=provenance_note(sub, cols, na, nb)
                + (
                    " Diamonds: figures quoted in the case documents ("
                    + "; ".join(_cite(c) for c in fam_claims)
                    + ")."
                    if markers
                    else ""
                )
                + stale,
                download=Download.csv(trimmed, f"{a}_{b}_{fam.id}.csv".lower()),
                alt=chart_alt(fam.title, sub, cols, na, nb),
                table=shown,
            )
        )
    return section


def chart_alt(title: str, sub: pd.DataFrame, cols: Sequence[str], na: str, nb: str) -> str:
    """One sentence: what the chart shows and the latest value of each series."""
    parts = []
    for col in cols:
        rows = sub[(sub["indicator"] == col) & sub["value"].notna()]
        if rows.empty:
            continue
        last = rows.sort_values("year").iloc[-1]
        parts.append(
            f"{labels.indicator_label(col, na, nb)} "
            f"{labels.fmt_value(col, float(last['value']))} in {int(last['year'])}"
        )
    years = sub.loc[sub["value"].notna(), "year"]
    span = f"{int(years.min())}–{int(years.max())}" if len(years) else "no years"
    return f"{title}, {span}. Latest: " + "; ".join(parts) + "."


def _cite(claim: Any) -> str:
    return ", ".join(f"{e.doc}:{e.lines}" for e in claim.evidence)


def _trim(wide: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    """Drop leading and trailing years where every plotted column is missing."""
    present = wide[[c for c in cols if c in wide]].notna().any(axis=1)
    if not present.any():
        return wide
    first, last = present.idxmax(), present[::-1].idxmax()
    return wide.loc[first:last].reset_index(drop=True)


def provenance_note(sub: pd.DataFrame, cols: Sequence[str], na: str = "A", nb: str = "B") -> str:
    """'Source and coverage — label: X, a–b' for each indicator drawn in a chart."""
    parts = []
    for col in cols:
        name = labels.indicator_label(col, na, nb)
        rows = sub[(sub["indicator"] == col) & sub["value"].notna()]
        if rows.empty:
            parts.append(f"{name}: no data")
            continue
        sources = ", ".join(sorted(set(rows["source"].astype(str))))
        parts.append(f"{name}: {sources}, {int(rows['year'].min())}–{int(rows['year'].max())}")
    return "Source and coverage — " + "; ".join(parts) + "."
