"""The theory section: power, threat, interdependence, the alliance game, the external test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from dyadscope.report import charts
from dyadscope.report.model import Bullets, Chart, Download, Paragraph, Section, Table

_ENGINE_TITLES = {
    "power": "Balance of power",
    "threat": "Balance of threat",
    "interdependence": "Asymmetric interdependence",
    "game": "Alliance game",
    "external": "The externally-driven test",
}


def theory_section(data: Any, a: str, b: str) -> Section:
    """Render a :class:`dyadscope.theory.section.TheorySection`."""
    section = Section(
        "theory",
        "Theories put to the data",
        lead="The realist arguments of the sources, run as models on the same datasets. Each "
        "panel says what its model assumes; none of them is a forecast.",
    )
    for engine, reason in data.problems.items():
        section.add(
            Paragraph(f"{_ENGINE_TITLES.get(engine, engine)} could not run: {reason}", "warning")
        )
    if data.power is not None:
        _power(section, data.power, a, b)
    if data.threat is not None:
        _threat(section, data.threat)
    if data.interdependence is not None:
        _interdependence(section, data.interdependence, a, b)
    if data.game is not None:
        _game(section, data.game)
    for engine, reason in getattr(data, "omitted", {}).items():
        section.add(Paragraph(f"{_ENGINE_TITLES.get(engine, engine)} left out: {reason}", "note"))
    if data.external is not None:
        _external(section, data.external)
    for engine, items in data.assumptions.items():
        section.add(Bullets(items=list(items), title=f"{_ENGINE_TITLES[engine]}: assumptions"))
    return section


def _power(section: Section, power: Any, a: str, b: str) -> None:
    cinc = power.shares[power.shares["measure"] == "cinc"]
    shares = cinc.pivot_table(index="year", columns="state", values="share").reset_index()
    keep = [c for c in ("USA", a, b, "GBR", "FRA", "DEU", "JPN") if c in shares]
    section.add(
        Chart(
            html=charts.line_chart(
                shares,
                x="year",
                series={c: c for c in dict.fromkeys(keep)},
                chart_id="theory-power",
                yaxis_title="share of major-power CINC",
                percent=True,
            ),
            title="Capability shares of the major powers on CINC (one of four measures)",
            source_note="Source: COW NMC v7.0; major powers as listed by COW. "
            + _polarity_runs(power.overall),
            download=Download.csv(power.share_table, "major_power_shares.csv"),
        )
    )
    pol = power.polarity.dropna(subset=["concentration"])
    if not pol.empty:
        year = int(pol["year"].max())
        latest = pol[pol["year"] == year].merge(
            power.rc_vs_us[["year", "measure", "ratio"]], on=["year", "measure"], how="left"
        )
        table = latest[["measure", "leader", "top_share", "concentration", "polarity", "ratio"]]
        table = table.assign(measure=table["measure"].map(lambda m: MEASURE_LABELS.get(m, m)))
        section.add(
            Table.from_frame(
                table.rename(
                    columns={
                        "top_share": "leader's share",
                        "concentration": "Ray–Singer CON",
                        "ratio": f"({a}+{b}) / {power.rc_vs_us['rival'].iloc[0]}",
                    }
                ),
                title=f"Power measured four ways, {year}",
                caption="Shares of the major powers' total on each measure: CINC (NMC), GDP "
                "(World Bank, current US$), military expenditure (SIPRI, current US$), net power "
                "(GDP × GDP per capita, Beckley 2018). The last column is the pair's combined "
                "value over the rival's; 1 or more would match it.",
            )
        )


#: Reader's names for the power measures (theory.power's ``measure`` column).
MEASURE_LABELS = {
    "cinc": "CINC (NMC)",
    "gdp": "GDP (World Bank)",
    "milex": "military spending (SIPRI)",
    "net_power": "net power (Beckley)",
}


def _readable(column: str) -> str:
    """A frame column as a table header: ``greatest_threat`` -> "greatest threat"."""
    return column.replace("_", " ")


def _channel_label(channel: str) -> str:
    """``energy_pipeline_gas_supply`` -> "pipeline gas: supply" (who sells to whom)."""
    flow, _, side = channel.removeprefix("energy_").rpartition("_")
    return f"{flow.replace('_', ' ')}: {side}" if flow else channel.replace("_", " ")


def _polarity_runs(overall: pd.DataFrame) -> str:
    """'1992–2009 contested; …' from the yearly overall label (agreement across measures)."""
    runs: list[str] = []
    rows: Iterator[Any] = overall.itertuples(index=False)
    start = prev = None
    for r in rows:
        if r.polarity == "unknown":
            continue
        key = (r.polarity, None)
        if prev is None or key != prev[0]:
            if prev is not None:
                runs.append(_run_text(start, prev))
            start = r.year
        prev = (key, r.year)
    if prev is not None:
        runs.append(_run_text(start, prev))
    return (
        "Polarity across the four measures (a label only where they agree, else contested): "
        + "; ".join(runs)
        + "."
    )


def _run_text(start: Any, prev: tuple[tuple[str, Any], Any]) -> str:
    (pol, leader), end = prev
    span = f"{start}" if start == end else f"{start}–{end}"
    return f"{span} {pol}" + (f" ({leader})" if leader else "")


def _threat(section: Section, threat: Any) -> None:
    section.add(
        Chart(
            html=charts.heatmap(
                threat.matrix, chart_id="theory-threat", colorbar_title="threat score"
            ),
            title=f"Balance of threat, {threat.year}: how much each row state has to fear "
            "from each column state",
            source_note="Walt's four criteria, each in [0, 1]: aggregate power (share of the "
            "set's military spending), proximity (contiguity; capital and minimum distance via "
            "Boulding's loss-of-strength gradient), offensive capability (military spending "
            "discounted by distance), offensive intentions (MIDs, conflict events, ATOP ties), "
            "combined with the stated weights over the criteria that have data.",
            download=Download.csv(threat.scores, f"threat_scores_{threat.year}.csv"),
        )
    )
    section.add(
        Table.from_frame(
            threat.summary.drop(columns="year").rename(columns=_readable),
            title="Greatest threat, predicted alignment (balance against it) and observed",
            caption="Criteria used: the Walt criteria the top score rests on. Observed: the "
            "strongest ATOP tie in the set, else the most frequent UN General Assembly partner. "
            "UNGA disagreement is shown as diplomatic distance in the download and enters no "
            "score." + (" Notes: " + "; ".join(threat.notes) + "." if threat.notes else ""),
        )
    )


def _interdependence(section: Section, res: Any, a: str, b: str) -> None:
    lev = res.leverage
    if lev.dropna(subset=["leverage_a_over_b", "leverage_b_over_a"], how="all").empty:
        section.add(Paragraph("Interdependence: no year has data on both sides.", tone="warning"))
        return
    section.add(
        Chart(
            html=charts.line_chart(
                lev,
                x="year",
                series={
                    "leverage_b_over_a": f"leverage of {b} over {a} (sensitivity)",
                    "leverage_a_over_b": f"leverage of {a} over {b} (sensitivity)",
                },
                chart_id="theory-leverage",
                yaxis_title="leverage index",
            ),
            title="Asymmetric interdependence: who could hurt whom",
            source_note="Leverage of X over Y = mean, over the flows measured for both (trade, "
            "pipeline gas, LNG, crude, arms), of Y's exposure minus X's, exposure being the "
            "partner's largest share of the state's imports or exports in that flow. Positive: "
            "X holds the upper hand. The download lists the flows used in each year.",
            download=Download.csv(lev, f"{a}_{b}_leverage.csv".lower()),
        )
    )
    ch = res.channels.dropna(subset=["sensitivity"])
    if ch.empty:
        return
    year = int(ch["year"].max())
    latest = ch[ch["year"] == year]
    table = latest.pivot_table(
        index="channel", columns="state", values=["sensitivity", "vulnerability"], dropna=False
    )
    table.columns = [f"{state} {measure}" for measure, state in table.columns]
    table.index = [_channel_label(str(c)) for c in table.index]
    section.add(
        Table.from_frame(
            table.rename_axis("channel").reset_index(),
            title=f"Each channel, {year}: the partner's share of the state's flow",
            caption="Sensitivity: the share. Vulnerability: the share times the Herfindahl index "
            "of the state's partners in the channel (pipeline gas: equal to the share, fixed "
            "infrastructure; crude and LNG: not measured). Trade shares end in 2014 (COW).",
        ),
    )


def _game(section: Section, game: Any) -> None:
    p = game.payoffs
    per = "; ".join(f"{m} {d:.2f}" for m, d in game.delta_star_by_member.items())
    section.add(
        Paragraph(
            f"Alliance game: with payoffs T={p.T:g}, R={p.R:g}, P={p.P:g}, S={p.S:g} "
            f"({game.source}), mutual cooperation under grim trigger holds when the partners "
            f"value the future at least δ* = (T − R)/(T − P) = {game.delta_star:.2f} "
            f"(per member: {per}).",
        )
    )
    section.add(
        Table.from_frame(
            game.sensitivity,
            title="How δ* moves with each payoff",
            caption="δ* after moving one payoff down (minus) or up (plus); NA where the move would "
            "break T > R > P > S.",
        )
    )
    if game.tournament is not None and not game.tournament.empty:
        section.add(
            Table.from_frame(
                game.tournament,
                title="Tournament of standard strategies (axelrod library)",
                caption="Round robin under the same payoffs; a high score with a high cooperation "
                "rate means reciprocity pays.",
            )
        )


def _external(section: Section, ext: Any) -> None:
    lines = ext.summary_lines()
    caveats = set(ext.caveats)
    section.add(
        Bullets(
            items=[x for x in lines if x not in caveats],
            title="Is the rapprochement externally driven? (VAR and Granger causality)",
        ),
        Bullets(items=list(ext.caveats), title="Caveats"),
    )
