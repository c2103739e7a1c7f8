"""The events section: the dyad's monthly cooperation and conflict from GDELT."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dyadscope.report import charts
from dyadscope.report.model import Chart, Download, Paragraph, Section


def events_section(overview: Any | None, a: str, b: str) -> Section:
    """Chart the monthly series of an :class:`~dyadscope.events.summary.EventsOverview`.

    With no event store the section says so in one sentence, rather than silently
    leaving the section out (how to load events is the documentation's business).
    """
    section = Section(
        "events",
        "Events: monthly cooperation and conflict (GDELT)",
        lead="Event data measure how the relationship moves month by month. Shares and means "
        "are computed over the events actually ingested; a month outside the store's coverage "
        "is missing, not quiet.",
    )
    if overview is None:
        section.add(Paragraph(f"No event data has been loaded for {a}–{b}, so this brief "
                              "shows no monthly event series.", tone="note"))  # fmt: skip
        return section
    s = overview.series.copy()
    section.add(
        Paragraph(
            f"The event store holds {overview.rows:,} events from {overview.files:,} "
            f"file{'' if overview.files == 1 else 's'}, dated {overview.first_date} to "
            f"{overview.last_date}; "
            f"{overview.dyad_events:,} of them are {a}–{b} events (both directions).",
            tone="note",
        )
    )
    if s.empty or s["events"].sum() == 0:
        section.add(Paragraph(f"The store holds no {a}–{b} events.", tone="warning"))
        return section
    s["month"] = pd.to_datetime(s["period"] + "-01")
    html = charts.line_chart(
        s,
        x="month",
        series={"coop_share": "cooperative share of events (QuadClass 1–2)"},
        secondary={"goldstein_mean": "mean Goldstein score (right axis)"},
        secondary_title="Goldstein score (−10 to +10)",
        chart_id="events-monthly",
        yaxis_title="share of the dyad's events (%)",
        percent=True,
        hover_format=".1%",
        secondary_hover_format="+.2f",
    )
    last = s.dropna(subset=["coop_share"]).iloc[-1] if s["coop_share"].notna().any() else None
    section.add(
        Chart(
            html=html,
            title=f"{a}–{b} events by month",
            source_note="Source: GDELT event data (Leetaru & Schrodt), CAMEO codes and the "
            "official Goldstein table; undirected, all actor types, "
            f"{int(s['events'].sum()):,} events in {len(s)} months.",
            download=Download.csv(s.drop(columns="month"), f"{a}_{b}_events_monthly.csv".lower()),
            alt=f"{a}–{b} events by month, {s['period'].iloc[0]} to {s['period'].iloc[-1]}."
            + (
                f" Latest month {last['period']}: {last['coop_share']:.0%} of events cooperative."
                if last is not None
                else ""
            ),
        )
    )
    return section
