"""The scenarios section: outcome shares per scenario and what drives them."""

from __future__ import annotations

from typing import Any

from dyadscope.report import charts
from dyadscope.report.model import Bullets, Chart, Download, Paragraph, Section, Table
from dyadscope.report.sections.case import scenario_rows


def scenarios_section(case: Any, data: Any) -> Section:
    """Render a :class:`dyadscope.scenario.section.ScenarioSection`."""
    section = Section(
        "scenarios",
        "Scenarios",
        lead="The factor map run as a fuzzy cognitive map: each scenario holds some levers "
        "fixed, every link weight is drawn from its interval in each Monte Carlo draw, and each "
        "draw's end state is classified into the outcome that leads the runner-up by a clear "
        "margin (otherwise undetermined). Bars are shares of plausible maps, not probabilities; "
        "whiskers are 95% Wilson intervals (Monte Carlo error only).",
    )
    section.add(scenario_rows(case))
    probs = data.probabilities
    outcomes = probs[probs["category"] == "outcome"]
    html = charts.interval_bars(
        outcomes,
        category="scenario_label",
        group="label",
        value="share",
        yaxis_title="share of plausible maps",
        low="ci_low",
        high="ci_high",
        chart_id="scenario-probabilities",
    )
    s = data.settings
    section.add(
        Chart(
            html=html,
            title="Share of plausible maps by scenario",
            source_note=f"{int(s.get('draws', 0)):,} draws per scenario, seed {s.get('seed')}, "
            f"rule {s.get('rule')}, transfer {s.get('transfer')}, weights drawn "
            f"{s.get('distribution')} within each link's interval.",
            download=Download.csv(probs, f"{case.id}_scenario_probabilities.csv"),
        )
    )
    conv = data.convergence.copy()
    section.add(
        Table.from_frame(
            conv,
            title="Convergence",
            caption="Share of draws that settled at a fixed point, entered a limit cycle, or "
            "had not converged at the step limit (those are reported, never classified).",
        )
    )
    if not data.tornado.empty:
        label = {f.id: f.label for f in case.factors}.get(data.tornado_outcome, "")
        section.add(
            Chart(
                html=charts.tornado(
                    data.tornado,
                    label="label",
                    first="S1",
                    total="ST",
                    conf="ST_conf",
                    chart_id="sobol-tornado",
                ),
                title=f"What drives “{label or data.tornado_outcome}” "
                f"({data.tornado_scenario} scenario): Sobol indices",
                source_note="First-order (S1) and total (ST) Sobol indices of the outcome's final "
                "activation, estimated with SALib (Saltelli sampling); error bars are ST's "
                "bootstrap confidence intervals.",
                download=Download.csv(data.tornado, f"{case.id}_sobol.csv"),
            )
        )
    else:
        section.add(Paragraph("No Sobol indices were computed.", tone="warning"))
    section.add(Bullets(items=list(data.assumptions), title="What this model assumes"))
    return section
