"""The overview section (synthesis first) and the key-figure cards of the brief."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from dyadscope.report import labels, synthesis
from dyadscope.report.brief import Card
from dyadscope.report.model import KeyPoints, Paragraph, Section, Table

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: The headline indicators of the cards, in order.
CARD_INDICATORS = ("trade_share_a", "trade_share_b", "cinc_ratio_b_a", "unga_same_vote")


def indicator_cards(
    tidy: pd.DataFrame, a: str, b: str, names: tuple[str, str] | None = None
) -> list[Card]:
    """Cards: latest value, its year and source, change over 5 years, and a sparkline."""
    na, nb = names or (a, b)
    cards = []
    for ind in CARD_INDICATORS:
        label = labels.indicator_label(ind, na, nb)
        last = synthesis.latest(tidy, ind)
        if last is None:
            cards.append(Card(label=label, value="NA", note="no data for this pair"))
            continue
        value, year, source = last
        before = synthesis.value_in(tidy, ind, year - 5)
        change = (
            f"{labels.fmt_change(ind, before[0], value)} since {before[1]}"
            if before is not None and before[1] < year
            else ""
        )
        rows = synthesis.series(tidy, ind)
        recent = rows[rows["year"] >= year - 20]["value"].astype(float).tolist()
        cards.append(
            Card(
                label=label,
                value=labels.fmt_value(ind, value),
                note=f"{year} · {_short_source(source)}",
                change=change,
                spark=synthesis.sparkline(recent),
            )
        )
    return cards


def _short_source(source: str) -> str:
    """The dataset's name without the extract details in parentheses."""
    return source.split(" (")[0]


def as_of_lines(tidy: pd.DataFrame) -> list[str]:
    """'COW Trade v4.0: data to 2014' for each source the indicators use."""
    return [
        f"{_short_source(src)}: data to {year}"
        for src, year in sorted(synthesis.data_as_of(tidy).items(), key=lambda kv: kv[0])
    ]


def flag_stale(section: Section, tidy: pd.DataFrame, build_year: int, what: str) -> None:
    """Put a staleness warning at the top of ``section`` when its newest data is old."""
    rows = tidy[tidy["value"].notna()]
    newest = int(rows["year"].max()) if not rows.empty else None
    note = synthesis.stale_note(newest, build_year, what)
    if note is not None:
        section.blocks.insert(0, Paragraph(note, tone="warning"))


def _leading_outcome(scenarios: Any) -> str:
    if scenarios is None:
        return ""
    p = scenarios.probabilities
    base = p[(p["scenario"] == "baseline") & (p["category"] == "outcome")]
    if base.empty:
        return ""
    top = base.sort_values("share").iloc[-1]
    undetermined = p[(p["scenario"] == "baseline") & (p["outcome"] == "undetermined")]
    open_share = (
        f"; in {float(undetermined['share'].iloc[0]):.0%} of maps no outcome leads by the "
        "margin, so the model does not settle the question"
        if not undetermined.empty
        else ""
    )
    return (
        f"“{top['label']}” leads in {top['share']:.0%} of plausible maps of the baseline "
        f"(not a probability){open_share}"
    )


def what_to_watch(
    tidy: pd.DataFrame, names: tuple[str, str], case: Case | None, scenarios: Any
) -> Table:
    """Levers the sensitivity ranks highest (with their level) and the fastest-moving data."""
    na, nb = names
    rows: list[list[str]] = []
    if case is not None and scenarios is not None and not scenarios.tornado.empty:
        by_label = {f.label: f for f in case.factors}
        top = scenarios.tornado.sort_values("ST", ascending=False).head(3)
        for r in top.itertuples(index=False):
            factor = by_label.get(str(r.label))
            latest = "—"
            if factor is not None and factor.indicator:
                last = synthesis.latest(tidy, factor.indicator)
                if last is not None:
                    latest = f"{labels.fmt_value(factor.indicator, last[0])} ({last[1]})"
            elif factor is not None and factor.level is not None:
                latest = f"level {factor.level:+.2f} on −1…+1 (case estimate)"
            elif factor is None:
                latest = _link_weight(case, str(r.label))
            rows.append(
                [
                    str(r.label),
                    f"moves the leading outcome most (total Sobol index {float(r.ST):.2f})",
                    latest,
                ]
            )
    moves = []
    for ind in ("trade_share_a", "trade_share_b", "unga_same_vote", "cinc_ratio_b_a"):
        last = synthesis.latest(tidy, ind)
        if last is None:
            continue
        before = synthesis.value_in(tidy, ind, last[1] - 5)
        if before is None or before[0] == 0:
            continue
        moves.append((abs(last[0] / before[0] - 1), ind, before, last))
    for _, ind, before, last in sorted(moves, reverse=True)[: max(2, 5 - len(rows))]:
        rows.append(
            [
                labels.indicator_label(ind, na, nb),
                f"changed {labels.fmt_change(ind, before[0], last[0])} in {last[1] - before[1]} "
                "years of data",
                f"{labels.fmt_value(ind, last[0])} ({last[1]})",
            ]
        )
    return Table(columns=["watch", "why", "latest value"], rows=rows, title="What to watch")


def _link_weight(case: Case, label: str) -> str:
    """'weight +0.60 (case estimate)' for a tornado row naming a link 'A → B'."""
    src, _, dst = label.partition(" → ")
    ids = {f.label: f.id for f in case.factors}
    for link in case.links:
        if link.source == ids.get(src) and link.target == ids.get(dst):
            return (
                f"link weight {link.weight:+.2f}, interval {link.interval[0]:+.2f} to "
                f"{link.interval[1]:+.2f} (case estimate)"
            )
    return "—"


def _year_key(when: str) -> tuple[int, str]:
    """Sort key of a dated entry: its first four-digit year, then the text."""
    found = re.search(r"\d{4}", when)
    return (int(found.group()) if found else 9999, when)


def timeline(case: Case | None, events: Any) -> Table | None:
    """Dated entries from the case (history, claims, dated factors) and the event store."""
    entries: list[synthesis.TimelineEntry] = []
    if case is not None:
        for h in case.history:
            entries.append(
                synthesis.TimelineEntry(h.period, h.label, "; ".join(_cites(h.evidence)))
            )
        for f in case.factors:
            if f.period:
                entries.append(
                    synthesis.TimelineEntry(f.period, f.label, "; ".join(_cites(f.evidence[:2])))
                )
        na, nb = case.actors[0].name, case.actors[1].name
        for c in case.claims:
            what = f"{labels.indicator_label(c.indicator, na, nb)}: {c.label} (figure quoted)"
            entries.append(
                synthesis.TimelineEntry(str(c.year), what, "; ".join(_cites(c.evidence)))
            )
    if events is not None and not events.series.empty:
        s = events.series.sort_values("events", ascending=False).head(3)
        for r in s.itertuples(index=False):
            entries.append(
                synthesis.TimelineEntry(
                    str(r.period), f"busiest month in the event data ({int(r.events):,} events)",
                    "GDELT",
                )
            )  # fmt: skip
    if not entries:
        return None
    entries.sort(key=lambda e: _year_key(e.when))
    return Table(
        columns=["when", "what", "source"],
        rows=[[e.when, e.text, e.cite] for e in entries],
        title="Timeline",
        caption="Dated entries of the case model (each citing its document and lines) and "
        "of the event store, where one is loaded.",
    )


def _cites(evidence: Any) -> list[str]:
    return [f"{e.doc}:{e.lines}" for e in evidence]


def overview_section(
    tidy: pd.DataFrame,
    a: str,
    b: str,
    names: tuple[str, str],
    *,
    case: Case | None,
    scenarios: Any,
    events: Any,
    as_of: str,
) -> Section:
    """Bottom line, key judgements, what to watch and the timeline, in that order."""
    na, nb = names
    section = Section(
        "overview",
        "Overview",
        lead="Generated from the data and the case model when this brief was built; each "
        "judgement links to its evidence further down.",
    )
    section.add(Paragraph(synthesis.bottom_line(tidy, na, nb, as_of, _leading_outcome(scenarios))))
    judgements = synthesis.key_judgements(tidy, na, nb)
    if judgements:
        section.add(
            KeyPoints(
                items=[(j.text, j.href, _short_source(j.source)) for j in judgements],
                title="Key judgements",
            )
        )
    else:
        section.add(Paragraph(f"The datasets hold too little on {na}–{nb} for judgements."))
    section.add(what_to_watch(tidy, names, case, scenarios))
    line = timeline(case, events)
    if line is not None:
        section.add(line)
    return section
