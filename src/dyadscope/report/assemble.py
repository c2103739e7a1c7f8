"""Gather the library results for a dyad into brief sections, in reading order.

Any pair the datasets know gets a brief: with a case (shipped, or ``case_path``) the
brief adds the factor map, the experts and the scenarios; without one it is a
data-only brief (indicators, theory, events, sources) that says how to add a case.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from dyadscope.data.dyad import Dyad
from dyadscope.errors import UnknownCase
from dyadscope.report.model import BriefOptions, Paragraph, Section, StepCallback, card

if TYPE_CHECKING:
    from dyadscope.case.schema import Case


def _find_case(a: str, b: str, case_path: str | Path | None) -> Case | None:
    """The case for the pair: the given file (must match), a shipped one, or None."""
    from dyadscope.case import find_case

    if case_path is not None:
        return find_case(a, b, path=case_path)
    try:
        return find_case(a, b)
    except UnknownCase:
        return None


#: Trade indicators that divide a flow by a trade-with-world total.
TRADE_SHARES = ("trade_share_a", "trade_share_b", "trade_asymmetry")


def _latest_trade_shares(
    tidy: pd.DataFrame, store: Any, a: str, b: str, options: BriefOptions, end: int
) -> pd.DataFrame:
    """Each trade share from the source whose numerator and denominator reach furthest.

    Why: a share needs the flow and the world total from one compilation. With the
    default source DOTS takes over in the year it first reports the pair; where the
    vendored DOTS extract has no world totals its shares are NA, and the automatic
    series would stop at the switch year (1991 for Russia-China) although COW has both
    parts to 2014. The brief shows whichever complete series reaches later; each row
    keeps its own source, so no ratio mixes compilations.
    """
    from dyadscope.indicators import compute

    cow = compute(store, a, b, options.start, end, only=["trade"], trade_source="cow")
    out = tidy
    for ind in TRADE_SHARES:
        auto_rows = tidy[(tidy["indicator"] == ind) & tidy["value"].notna()]
        cow_rows = cow[(cow["indicator"] == ind) & cow["value"].notna()]
        if cow_rows.empty:
            continue
        if auto_rows.empty or int(cow_rows["year"].max()) > int(auto_rows["year"].max()):
            out = pd.concat(
                [out[out["indicator"] != ind], cow[cow["indicator"] == ind]], ignore_index=True
            )
    return out


def no_case_section(na: str, nb: str) -> Section:
    """What a data-only brief lacks and how an analyst adds it."""
    return Section(
        "case",
        "No case model yet",
        blocks=[
            Paragraph(
                f"dyadscope ships no case model for {na}–{nb}, so this brief shows the data "
                "only: indicators, theory models, events and sources. A case model adds the "
                "factor map, the positions of experts and officials, and what-if scenarios, "
                "each claim citing the document and lines it rests on.",
            ),
            Paragraph(
                "To add one, an analyst writes a case file (the command dyadscope case init "
                "writes a starter that already validates), cites the documents for each factor "
                "and link, and rebuilds the brief with that file.",
                tone="note",
            ),
        ],
    )


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
    from dyadscope.data.vendored import vendored_store
    from dyadscope.indicators import compute
    from dyadscope.report import overview, synthesis
    from dyadscope.report.sections import case as case_sections
    from dyadscope.report.sections.indicators import indicators_section

    dyad = Dyad.resolve(a, b)
    a, b = dyad.a, dyad.b
    on_step("case")
    case = _find_case(a, b, case_path)
    if case is not None:
        actor = {x.iso3: x.name for x in case.actors}
        names = (actor.get(a, a), actor.get(b, b))
    else:
        names = dyad.names
    na, nb = names
    today = options.build_date or dt.date.today()
    end = options.end or today.year

    on_step("indicators")
    store = vendored_store()
    tidy = _latest_trade_shares(compute(store, a, b, options.start, end), store, a, b, options, end)
    # COW trade stops in 2014; IMF DOTS (where the extract covers the pair) goes further.
    dots = compute(store, a, b, options.start, end, only=["trade"], trade_source="dots")
    dots = dots[dots["indicator"] == "trade_total"].assign(indicator="trade_total_dots")
    tidy = pd.concat([tidy, dots], ignore_index=True)
    tidy_periods = compute(store, a, b, options.start, end, only=["arms"], periods=5)
    claims = list(case.claims) if case is not None else []
    indicators = indicators_section(
        tidy, tidy_periods, a, b, claims, names=names, build_year=today.year
    )

    on_step("events")
    from dyadscope.events.summary import events_overview
    from dyadscope.report.sections.events import events_section

    events = events_overview(options.events_store, a, b)
    events_sec = events_section(events, a, b)

    on_step("theory")
    from dyadscope.report.sections.theory import theory_section as render_theory
    from dyadscope.theory.section import theory_section

    theory = theory_section(
        store,
        a,
        b,
        case=case,
        events_store=options.events_store,
        start=options.start,
        play_tournament=False,
    )
    theory_sec = render_theory(theory, a, b)

    scenario_data = None
    sections: list[Section] = []
    if case is not None and case.links:
        on_step("scenarios")
        from dyadscope.report.sections.scenarios import scenarios_section
        from dyadscope.scenario.section import BRIEF_ROBUSTNESS_DRAWS, scenario_section

        scenario_data = scenario_section(
            case,
            draws=options.draws,
            seed=options.seed,
            sobol_n=options.sobol_n,
            robustness_draws=BRIEF_ROBUSTNESS_DRAWS,
        )
    if case is not None:
        sections += [
            case_sections.summary_section(case),
            case_sections.factor_map_section(case),
            case_sections.factors_section(case),
            case_sections.experts_section(case),
        ]
    else:
        sections.append(no_case_section(na, nb))
    from dyadscope.report.sections.sources import sources_section

    on_step("synthesis")
    sections += [indicators, events_sec, theory_sec]
    if case is not None and scenario_data is not None:
        sections.append(scenarios_section(case, scenario_data))
    if case is not None:
        from dyadscope.evidence.brief import sources_say
        from dyadscope.report.sections.sources_say import sources_say_section

        sections.append(sources_say_section(sources_say(case, store)))
    sections.append(sources_section(case))
    overview.flag_stale(indicators, tidy, today.year, "Indicators")
    if events is not None:
        note = synthesis.stale_note(events.last_date.year, today.year, "Events")
        if note is not None:
            events_sec.blocks.insert(0, Paragraph(note, tone="warning"))
    head = overview.overview_section(
        tidy,
        a,
        b,
        names,
        case=case,
        scenarios=scenario_data,
        events=events,
        as_of=today.isoformat(),
    )
    cards = overview.indicator_cards(tidy, a, b, names)
    if case is not None and scenario_data is not None:
        from dyadscope.report.sections.scenarios import baseline_card

        cards.append(card(*baseline_card(case, scenario_data)))
    return {
        "title": f"{na}–{nb}",
        "subtitle": case.title if case is not None else "A data brief",
        "case_label": "with a case model" if case is not None else "no case model",
        "sections": [head, *sections],
        "cards": cards,
        "data_as_of": overview.as_of_lines(tidy),
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        if options.build_date is None
        else today.isoformat(),
    }
