"""Gather the library results for a dyad into brief sections, in reading order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from dyadscope.data.dyad import Dyad
from dyadscope.report.model import BriefOptions, Card, Section, StepCallback, card
from dyadscope.report.sections import case as case_sections
from dyadscope.report.sections.indicators import indicators_section


def assemble(
    a: str | Dyad,
    b: str | None,
    *,
    case_path: str | Path | None,
    options: BriefOptions,
    on_step: StepCallback,
) -> dict[str, Any]:
    """Compute everything the brief shows; return the template's arguments.

    ``a``/``b`` take any spelling, or ``a`` a :class:`Dyad` and ``b`` None; the pair is
    resolved once and the canonical codes are what every engine below receives.
    """
    from dyadscope.case import find_case
    from dyadscope.data.store import vendored_store
    from dyadscope.indicators import compute

    # The pair is resolved once, here; everything below receives canonical ISO3 codes.
    dyad = Dyad.resolve(a, b)
    a, b = dyad.a, dyad.b
    on_step("case")
    case = find_case(a, b, path=case_path)
    end = options.end or dt.date.today().year
    sections: list[Section] = [
        case_sections.summary_section(case),
        case_sections.factor_map_section(case),
        case_sections.factors_section(case),
        case_sections.experts_section(case),
    ]
    on_step("indicators")
    store = vendored_store()
    tidy = compute(store, a, b, options.start, end)
    # COW trade stops in 2014; IMF DOTS (where the extract covers the pair) goes further.
    dots = compute(store, a, b, options.start, end, only=["trade"], trade_source="dots")
    dots = dots[dots["indicator"] == "trade_total"].assign(indicator="trade_total_dots")
    tidy = pd.concat([tidy, dots], ignore_index=True)
    tidy_periods = compute(store, a, b, options.start, end, only=["arms"], periods=5)
    claims = list(getattr(case, "claims", []) or [])
    sections.append(indicators_section(tidy, tidy_periods, a, b, claims))
    cards = indicator_cards(tidy, a, b)

    on_step("events")
    from dyadscope.events.summary import events_overview
    from dyadscope.report.sections.events import events_section

    sections.append(events_section(events_overview(options.events_store, a, b), a, b))

    on_step("theory")
    from dyadscope.report.sections.theory import theory_section as render_theory
    from dyadscope.theory.section import theory_section

    theory = theory_section(
        store, a, b, case=case, events_store=options.events_store, start=options.start
    )
    sections.append(render_theory(theory, a, b))
    if theory.game is not None:
        cards.append(
            card("Alliance game δ*", f"{theory.game.delta_star:.2f}", "grim-trigger threshold")
        )

    on_step("scenarios")
    from dyadscope.report.sections.scenarios import scenarios_section
    from dyadscope.scenario.section import BRIEF_ROBUSTNESS_DRAWS, scenario_section

    data = scenario_section(
        case,
        draws=options.draws,
        seed=options.seed,
        sobol_n=options.sobol_n,
        robustness_draws=BRIEF_ROBUSTNESS_DRAWS,
    )
    sections.append(scenarios_section(case, data))
    cards.append(_scenario_card(case, data))

    from dyadscope.evidence.brief import sources_say
    from dyadscope.report.sections.sources import sources_section
    from dyadscope.report.sections.sources_say import sources_say_section

    sections.append(sources_say_section(sources_say(case, store)))

    sections.append(sources_section(case))
    names = {x.iso3: x.name for x in case.actors}
    return {
        "title": f"{names.get(a, a)}–{names.get(b, b)}: a dyadscope brief",
        "subtitle": case.title,
        "case_id": case.id,
        "sections": sections,
        "cards": cards,
    }


def _scenario_card(case: Any, data: Any) -> Card:
    """The baseline's distribution over outcomes, undetermined share and robustness."""
    from dyadscope.report.sections.scenarios import baseline_card

    return card(*baseline_card(case, data))


def _latest(tidy: pd.DataFrame, indicator: str) -> tuple[float, int, str] | None:
    rows = tidy[(tidy["indicator"] == indicator) & tidy["value"].notna()]
    if rows.empty:
        return None
    last = rows.sort_values("year").iloc[-1]
    return float(last["value"]), int(last["year"]), str(last["source"])


def indicator_cards(tidy: pd.DataFrame, a: str, b: str) -> list[Card]:
    """Key figures: the latest value of the headline indicators, with year and source."""
    specs = [
        ("cinc_ratio_b_a", f"Capability ratio {b}/{a}", "{:.2f}×"),
        ("trade_share_a", f"Share of {a}'s trade with {b}", "{:.1%}"),
        ("trade_share_b", f"Share of {b}'s trade with {a}", "{:.1%}"),
        ("unga_same_vote", "UNGA same-vote share", "{:.1%}"),
    ]
    cards = []
    for ind, label, fmt in specs:
        latest = _latest(tidy, ind)
        if latest is None:
            cards.append(card(label, "NA", "no data"))
            continue
        value, year, source = latest
        cards.append(card(label, fmt.format(value), f"{year} · {source}"))
    return cards
