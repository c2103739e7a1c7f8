"""The events section: the dyad's monthly cooperation and conflict from GDELT."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dyadscope.report import charts
from dyadscope.report.model import Bullets, Chart, Download, Paragraph, Section


def events_section(overview: Any | None, a: str, b: str) -> Section:
    """Chart the monthly series of an :class:`~dyadscope.events.summary.EventsOverview`.

    With no event store the section says so and shows the commands that build one,
    rather than silently leaving the section out.
    """
    section = Section(
        "events",
        "Events: monthly cooperation and conflict (GDELT)",
        lead="Event data measure how the relationship moves month by month. Shares and means "
        "are computed over the events actually ingested; a month outside the store's coverage "
        "is missing, not quiet.",
    )
    if overview is None:
        section.add(
            Paragraph(
                "No GDELT events are ingested in the event store, so this section has no data. "
                "Fetch and ingest a period, then rebuild the brief:",
                tone="warning",
            ),
            Bullets(
                items=[
                    "dyadscope events fetch --gdelt 2 --from 2019-01-01 --to 2019-01-31",
                    "dyadscope events ingest PATH/TO/*.export.CSV.zip   (files you already have)",
                    f"dyadscope brief {a} {b}",
                ]
            ),
        )
        return section
    s = overview.series.copy()
    section.add(
        Paragraph(
            f"Event store {overview.store_dir}: {overview.rows:,} events from {overview.files:,} "
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
        series={"coop_share": "cooperation share (QuadClass 1–2)"},
        secondary={"goldstein_mean": "mean Goldstein score (right axis)"},
        chart_id="events-monthly",
        yaxis_title="share of dyad events",
        percent=True,
    )
    section.add(
        Chart(
            html=html,
            title=f"{a}–{b} events by month",
            source_note="Source: GDELT event data (Leetaru & Schrodt), CAMEO codes and the "
            "official Goldstein table; undirected, all actor types, "
            f"{int(s['events'].sum()):,} events in {len(s)} months.",
            download=Download.csv(s.drop(columns="month"), f"{a}_{b}_events_monthly.csv".lower()),
        )
    )
    return section
