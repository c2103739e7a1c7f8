"""The scenarios section: what each scenario changes against the baseline, how robust
that change is, whether the map replays history, and what the model assumes.

Every figure comes from :class:`dyadscope.scenario.section.ScenarioSection`; this
module only words and lays it out.  Shares are shares of plausible maps (never
"probabilities"), changes are in points of share against the baseline, and a change
is called robust only when the robustness grid says so.
"""

from __future__ import annotations

import math
from typing import SupportsFloat, cast

import pandas as pd

from dyadscope.case.schema import Case
from dyadscope.report import charts
from dyadscope.report.model import Bullets, Chart, Download, Paragraph, Section, Table
from dyadscope.scenario.library import BASELINE
from dyadscope.scenario.robustness import DEFAULT_GRID, ROBUST_SHARE, SIGN_TOL, UNDETERMINED
from dyadscope.scenario.section import ScenarioSection

_RULES = {"kosko": "Kosko", "modified_kosko": "modified Kosko", "rescaled": "rescaled Kosko"}

#: How many outcome changes each scenario's plain-words line names, largest first.
CHANGES_NAMED = 2


def _num(value: object) -> float:
    """A pandas cell as a float (for the type checker: cells are typed loosely)."""
    return float(cast(SupportsFloat, value))


def short_label(label: str) -> str:
    """A factor label without its parenthesised gloss.

    >>> short_label("Comprehensive strategic partnership (status quo)")
    'Comprehensive strategic partnership'
    """
    return label.split(" (")[0].strip()


def _lower_first(text: str) -> str:
    """``"Estrangement or tension"`` → ``"estrangement or tension"`` (acronyms kept)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def outcome_labels(case: Case, *, brief: bool = False) -> dict[str, str]:
    """Outcome id → short label, in the case's order, with ``undetermined`` last.

    ``brief`` also drops an " or …" alternative ("Estrangement or strategic tension"
    → "Estrangement"), for the top card.
    """
    labels = {f.id: short_label(f.label) for f in case.factors if f.kind == "outcome"}
    if brief:
        labels = {k: v.split(" or ")[0] for k, v in labels.items()}
    labels[UNDETERMINED] = "Undetermined"
    return labels


def scenario_names(data: ScenarioSection) -> dict[str, str]:
    """Scenario id → label, as the run gave them."""
    p = data.probabilities
    return {
        str(k): str(v)
        for k, v in p.groupby("scenario", sort=False)["scenario_label"].first().items()
    }


def share_frame(data: ScenarioSection) -> pd.DataFrame:
    """Scenario × outcome shares (``undetermined`` included), scenarios in run order."""
    p = data.probabilities
    rows = p[(p["category"] == "outcome") | (p["outcome"] == UNDETERMINED)]
    wide = rows.pivot(index="scenario", columns="outcome", values="share")
    return wide.loc[list(dict.fromkeys(p["scenario"]))]


def points(delta: float) -> str:
    """A change in share as signed whole points (a true minus sign).

    >>> points(0.137), points(-0.012), points(0.004)
    ('+14 points', '−1 point', '0 points')
    """
    value = round(delta * 100)
    if not value:
        return "0 points"
    unit = "point" if abs(value) == 1 else "points"
    return f"{value:+d} {unit}".replace("-", "−")


def _robust_lookup(data: ScenarioSection) -> dict[tuple[str, str], pd.Series]:
    if data.robustness is None or data.robustness.empty:
        return {}
    return {(str(r.scenario), str(r.outcome)): r for _, r in data.robustness.iterrows()}


def _robust_words(delta: float, row: pd.Series | None) -> str:
    """How far the other engine settings agree on the direction of ``delta``."""
    if row is None:
        return "robustness not computed"
    agree = float(row["robust_share"])
    ref = float(row["delta_vs_baseline"])
    if abs(ref) < SIGN_TOL or math.copysign(1, ref) != math.copysign(1, delta):
        return "direction unsettled across engine settings: not robust"
    if bool(row["robust"]):
        return f"robust in {agree:.0%} of settings"
    return f"same direction in {agree:.0%} of settings: not robust"


def change_sentences(case: Case, data: ScenarioSection) -> list[str]:
    """One plain line per scenario: its largest changes against the baseline.

    Changes are the reference run's (``data.probabilities``); robustness, when the
    section carries it, is the share of the grid's settings agreeing on the sign.
    """
    wide = share_frame(data)
    if BASELINE not in wide.index:
        return []
    labels = outcome_labels(case)
    names = scenario_names(data)
    robust = _robust_lookup(data)
    base = wide.loc[BASELINE]
    lines = []
    for sid in wide.index:
        if sid == BASELINE:
            continue
        deltas = (wide.loc[sid] - base).drop(UNDETERMINED, errors="ignore")
        moved = deltas[deltas.abs() >= SIGN_TOL].sort_values(key=abs, ascending=False)
        parts = [
            f"{_lower_first(labels.get(str(o), str(o)))} {points(float(d))} "
            f"({_robust_words(float(d), robust.get((sid, str(o))))})"
            for o, d in moved.head(CHANGES_NAMED).items()
        ]
        und = float(wide.loc[sid].get(UNDETERMINED, 0.0) - base.get(UNDETERMINED, 0.0))
        tail = f"; undetermined {points(und)}" if abs(und) >= SIGN_TOL else ""
        body = "; ".join(parts) if parts else "no outcome moves by a point or more"
        lines.append(f"{names.get(sid, sid)}: {body}{tail}.")
    return lines


def shares_table(case: Case, data: ScenarioSection) -> Table:
    """Scenario rows, outcome columns: share, and change against the baseline."""
    wide = share_frame(data)
    labels = outcome_labels(case, brief=True)
    cols = [c for c in labels if c in wide.columns]
    names = scenario_names(data)
    robust = _robust_lookup(data)
    base = wide.loc[BASELINE] if BASELINE in wide.index else None
    rows = []
    for sid in wide.index:
        cells = [names.get(sid, sid)]
        for c in cols:
            share = _num(wide.loc[sid, c])
            text = f"{share:.0%}"
            if base is not None and sid != BASELINE:
                delta = round((share - _num(base[c])) * 100)
                text += f" ({delta:+d})".replace("-", "−") if delta else " (0)"
                words = _robust_words(share - _num(base[c]), robust.get((sid, c)))
                if words.startswith("robust in"):
                    text += " ✓"
            cells.append(text)
        rows.append(cells)
    caption = (
        "Share of plausible maps in which each outcome leads by the margin, at the "
        "reference setting; in brackets the change against the baseline in points. "
    )
    if robust:
        caption += (
            f"✓ marks a change that at least {ROBUST_SHARE:.0%} of the {len(DEFAULT_GRID)} "
            "engine settings agree on (see the robustness table)."
        )
    else:
        caption += "Robustness across engine settings was not computed for this brief."
    return Table(
        columns=["Scenario", *[labels[c] for c in cols]],
        rows=rows,
        caption=caption,
        title="Outcome shares by scenario",
    )


def lever_table(case: Case) -> Table:
    """Each scenario's lever settings, by label, with its rationale."""
    labels = {f.id: f.label for f in case.factors}
    rows = []
    for s in case.scenarios:
        clamps = "; ".join(f"{labels.get(k, k)} {v:+.1f}" for k, v in (s.clamps or {}).items())
        rows.append([s.label, clamps or "none (levels as the case states them)", s.rationale])
    return Table(
        columns=["Scenario", "Levers set (−1 to +1)", "Why"],
        rows=rows,
        title="What each scenario sets",
        collapsed=True,
    )


def replay_block(case: Case, data: ScenarioSection) -> list[Paragraph | Table]:
    """The dated states, replayed: what the sources describe and what the map leads with."""
    v = data.replay
    if v is None or v.empty:
        return [Paragraph("The case states no dated history, so nothing was replayed.", "note")]
    labels = outcome_labels(case)
    states = {h.id: h.label for h in case.history}
    hits = int(v["match"].sum())
    verdict = Paragraph(
        f"Historical replay: the map leads with the outcome the sources describe in {hits} "
        f"of {len(v)} dated states. "
        + (
            "Every state is matched."
            if hits == len(v)
            else "The misses are shown, not hidden: in those periods the map, as written, "
            "does not reproduce what the sources describe."
        ),
        tone="plain" if hits == len(v) else "warning",
    )
    rows = []
    for r in v.itertuples(index=False):
        rows.append(
            [
                states.get(str(r.state), str(r.state)),
                str(r.period),
                labels.get(str(r.expected), str(r.expected)),
                f"{labels.get(str(r.leading), str(r.leading))} "
                f"({float(getattr(r, 'leading_share', float('nan'))):.0%})",
                f"{_num(r.undetermined_share):.0%}",
                "yes" if bool(r.match) else "no",
            ]
        )
    table = Table(
        columns=[
            "Dated state",
            "Period",
            "Sources describe",
            "Map leads with",
            "Undetermined",
            "Match",
        ],
        rows=rows,
        caption="Each state clamps the levers to the levels the sources give for the period "
        "(citations in the case file) and runs the reference setting.",
        title="Historical replay",
    )
    return [verdict, table]


def _change_range(low: float, high: float) -> str:
    return f"{low * 100:+.0f} to {high * 100:+.0f}"


def robustness_table(case: Case, data: ScenarioSection) -> Table | None:
    """Per scenario and outcome: range of the share across settings and agreement."""
    r = data.robustness
    if r is None or r.empty:
        return None
    labels = outcome_labels(case)
    names = scenario_names(data)
    rows = [
        [
            names.get(str(x.scenario), str(x.scenario)),
            labels.get(str(x.outcome), str(x.outcome)),
            f"{x.share:.0%}",
            f"{x.share_low:.0%}–{x.share_high:.0%}",
            _change_range(_num(x.delta_min), _num(x.delta_max)) if x.scenario != BASELINE else "",
            "" if x.scenario == BASELINE else f"{x.robust_share:.0%}",
            "yes" if bool(x.robust) else "",
        ]
        for x in r.itertuples(index=False)
    ]
    return Table(
        columns=[
            "Scenario",
            "Outcome",
            "Share (reference)",
            "Share range, all settings",
            "Change range (points)",
            "Settings agreeing",
            "Robust",
        ],
        rows=rows,
        caption=f"Every scenario run under {len(DEFAULT_GRID)} settings: update rule (Kosko, "
        "modified Kosko) × transfer (sigmoid λ 1, 2, 5; tanh λ 1, 2) × every stated exogenous "
        "level shifted −0.2, 0, +0.2. The share range spans the 95% Wilson bounds of all "
        f"settings. Robust: a change of at least {SIGN_TOL * 100:.0f} point at the reference "
        f"whose sign at least {ROBUST_SHARE:.0%} of settings share.",
        title="Robustness across engine settings",
        collapsed=True,
    )


def stated_levels_table(case: Case) -> Table:
    """The factors nothing acts on: the level the case states for each, with citations."""
    rows = []
    for f in case.factors:
        if f.level is None:
            continue
        interval = (
            f"{f.level_interval[0]:+.2f} to {f.level_interval[1]:+.2f}"
            if (f.level_interval)
            else "fixed"
        )
        cites = ", ".join(f"{e.doc}:{e.lines}" for e in f.level_evidence)
        kind = str(f.kind).replace("_", " ")
        rows.append([f.label, kind, f"{f.level:+.2f}", interval, cites or "none"])
    return Table(
        columns=["Factor", "Kind", "Stated level", "Drawn from", "Citations"],
        rows=rows,
        caption="Levels on the −1 to +1 scale, each with its rationale in the case file; "
        "scenarios move only levers.",
        title=f"Stated levels of the {len(rows)} factors nothing acts on",
        collapsed=True,
    )


def model_assumptions(case: Case, data: ScenarioSection) -> list[str]:
    """What the reader must know to read the shares, in plain words."""
    s = data.settings
    rule = str(s.get("rule"))
    n_levels = sum(1 for f in case.factors if f.level is not None)
    items = [
        f"Engine setting (the reference): update rule {_RULES.get(rule, rule)}, transfer "
        f"{s.get('transfer')} with λ = {float(s.get('lambda', 1.0)):g}, at most "
        f"{s.get('max_iter')} steps; {int(s.get('draws', 0)):,} draws per scenario, seed "
        f"{s.get('seed')}. The robustness table re-runs every scenario under "
        f"{len(DEFAULT_GRID)} settings.",
        f"Margin: a draw counts for an outcome only if it leads the runner-up by at least "
        f"{float(s.get('margin', 0.05)):g} in final activation; closer calls are "
        "undetermined and are shown, not shared out.",
        "A share of plausible maps is the share of weight and level draws the case allows "
        "in which the outcome leads. It is not the probability that the outcome happens: the "
        "outcomes are not exclusive states of the world.",
        f"The {n_levels} factors nothing acts on hold levels the case states, each with a "
        "rationale and citations (table above); no factor starts at a hidden default.",
    ]
    said = ("A share is the share", "Factors nothing acts on")
    return items + [a for a in data.assumptions if not a.startswith(said)]


def convergence_frame(data: ScenarioSection) -> pd.DataFrame:
    """How the draws of each scenario ended, with readable names."""
    conv = data.convergence.copy()
    if "scenario" in conv:
        conv["scenario"] = conv["scenario"].map(scenario_names(data)).fillna(conv["scenario"])
    names = {
        "scenario": "Scenario",
        "settled": "Settled",
        "limit_cycle": "Limit cycle",
        "no_convergence": "Not settled",
        "mean_steps": "Mean steps",
    }
    return conv.rename(columns=names)


def scenarios_section(case: Case, data: ScenarioSection) -> Section:
    """Render a :class:`dyadscope.scenario.section.ScenarioSection`."""
    section = Section(
        "scenarios",
        "Scenarios",
        lead="The factor map run as a fuzzy cognitive map. Each scenario sets some levers; "
        "every link weight is drawn from its interval in each draw, and a draw counts for the "
        "outcome that leads the runner-up by a clear margin (otherwise it is undetermined). "
        "Figures are shares of plausible maps, not probabilities.",
    )
    section.add(Bullets(items=change_sentences(case, data), title="What each scenario changes"))
    section.add(shares_table(case, data))
    robust = robustness_table(case, data)
    if robust is not None:
        section.add(robust)
    section.add(lever_table(case))
    for block in replay_block(case, data):
        section.add(block)
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
        wrap=11,
        height=480,
    )
    s = data.settings
    section.add(
        Chart(
            html=html,
            title="Share of plausible maps by scenario",
            source_note=f"{int(s.get('draws', 0)):,} draws per scenario, seed {s.get('seed')}, "
            f"rule {_RULES.get(str(s.get('rule')), s.get('rule'))}, transfer "
            f"{s.get('transfer')} (λ = {float(s.get('lambda', 1.0)):g}), weights drawn "
            f"{s.get('distribution')} within each link's interval; whiskers are 95% Wilson "
            "intervals (Monte Carlo error only).",
            download=Download.csv(probs, f"{case.id}_scenario_probabilities.csv"),
        )
    )
    section.add(
        Table.from_frame(
            convergence_frame(data),
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
                f"({scenario_names(data).get(data.tornado_scenario, 'baseline')}): "
                "Sobol indices",
                source_note="First-order (S1) and total (ST) Sobol indices of the outcome's final "
                "activation, estimated with SALib (Saltelli sampling); error bars are ST's "
                "bootstrap confidence intervals.",
                download=Download.csv(data.tornado, f"{case.id}_sobol.csv"),
            )
        )
    else:
        section.add(Paragraph("No Sobol indices were computed.", tone="warning"))
    section.add(stated_levels_table(case))
    section.add(Bullets(items=model_assumptions(case, data), title="What this model assumes"))
    return section


def baseline_card(case: Case, data: ScenarioSection) -> tuple[str, str, str]:
    """Label, value and note of the brief's top card: the baseline's whole distribution.

    No single "most likely outcome": the value is the share of maps in which no outcome
    leads by the margin (short enough for a card), the note every outcome's share of
    plausible maps and how far the leading shares move across engine settings.
    """
    wide = share_frame(data)
    if wide.empty:
        return ("Baseline outcomes", "NA", "no scenario results")
    sid = BASELINE if BASELINE in wide.index else str(wide.index[0])
    labels = outcome_labels(case, brief=True)
    row = wide.loc[sid]
    order = [c for c in labels if c in row.index and c != UNDETERMINED]
    order.sort(key=lambda c: -_num(row[c]))
    dist = " · ".join(f"{labels[c]} {_num(row[c]):.0%}" for c in order)
    value = f"{_num(row.get(UNDETERMINED, 0.0)):.0%}"
    r = data.robustness
    if r is not None and not r.empty:
        base = r[(r["scenario"] == sid) & (r["outcome"] != UNDETERMINED)]
        spread = ", ".join(
            f"{_lower_first(labels.get(str(x.outcome), str(x.outcome)))} "
            f"{x.share_low:.0%}–{x.share_high:.0%}"
            for x in base.sort_values("share_high", ascending=False).head(2).itertuples()
        )
        across = f"Across {len(DEFAULT_GRID)} engine settings: {spread}."
    else:
        across = "At the reference engine setting only."
    note = f"{dist}. {across} Shares of plausible maps, not probabilities."
    margin = float(data.settings.get("margin", 0.05))
    return (f"Baseline: undetermined share of maps (margin {margin:g})", value, note)
