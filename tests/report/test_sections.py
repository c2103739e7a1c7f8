"""Sections of the brief built from the shipped case, checked without a full brief."""

from __future__ import annotations

import re

import pandas as pd

from dyadscope.case.loader import load_case
from dyadscope.report.model import Paragraph, Table
from dyadscope.report.sections.case import documents_block, experts_section
from dyadscope.report.sections.scenarios import (
    baseline_card,
    change_sentences,
    scenarios_section,
)
from dyadscope.scenario.section import ScenarioSection


def _expert_tables() -> list[Table]:
    return [b for b in experts_section(load_case()).blocks if isinstance(b, Table)]


def test_experts_grouped_by_camp_sorted_by_surname_positions_once_in_line_order() -> None:
    tables = _expert_tables()
    assert tables and all(t.columns[:4] == ["who", "affiliation", "document", "date"]
                          for t in tables)  # fmt: skip
    rows = {row[0]: row for t in tables for row in t.rows}
    # Legvold is cited twice for "Russia as junior partner" (000:25 and 000:27): once here.
    assert rows["Robert Legvold"][4].count("“Russia as junior partner”") <= 1
    for t in tables:
        for row in t.rows:
            quoted = re.findall(r"“[^”]+”", row[4])
            assert len(quoted) == len(set(quoted)) <= 9, row[0]  # at most 3 per stance
    for t in tables:
        surnames = [r[0].split(" and ")[0].split()[-1].casefold() for r in t.rows]
        assert surnames == sorted(surnames), t.title
        for *_, position, where in t.rows:
            assert position.endswith(".")
            starts = [
                (c.rpartition(":")[0], int(c.rpartition(":")[2].split("-")[0]))
                for c in where.split(", ")
            ]
            assert starts == sorted(starts)


def test_experts_carry_affiliation_document_title_and_date() -> None:
    case = load_case()
    titles = {d.title for d in case.documents}
    for t in _expert_tables():
        for _, affiliation, document, date, *_ in t.rows:
            assert affiliation and date
            assert document in titles


def test_documents_listed_by_title_with_file_name_only_as_citation() -> None:
    table = documents_block(load_case())
    assert table.columns[0] == "title" and table.columns[-1] == "cited as"
    titles = [r[0] for r in table.rows]
    assert titles == sorted(titles, key=str.casefold)


_OUTCOMES = ["formal_alliance", "strategic_partnership", "partnership_of_convenience"]
_OUTCOMES += ["estrangement"]


def _scenario_data(robust: bool = True) -> ScenarioSection:
    """Baseline and tighter sanctions, shares chosen by hand.

    Baseline: alliance 0.00, partnership 0.20, convenience 0.10, estrangement 0.30,
    undetermined 0.40.  Sanctions: 0.00, 0.34, 0.10, 0.25, undetermined 0.31.  So the
    sanctions change partnership by +14 points, estrangement by −5, convenience by 0
    and the undetermined share by −9.
    """
    shares = {
        "baseline": [0.0, 0.20, 0.10, 0.30, 0.40],
        "tighter_us_sanctions": [0.0, 0.34, 0.10, 0.25, 0.31],
    }
    labels = {"baseline": "Baseline", "tighter_us_sanctions": "Tighter US sanctions"}
    rows = []
    for sid, values in shares.items():
        for outcome, share in zip([*_OUTCOMES, "undetermined"], values, strict=True):
            rows.append(
                {
                    "scenario": sid,
                    "scenario_label": labels[sid],
                    "outcome": outcome,
                    "label": outcome,
                    "category": "unresolved" if outcome == "undetermined" else "outcome",
                    "count": int(share * 1000),
                    "share": share,
                    "ci_low": share,
                    "ci_high": share,
                }
            )
    summary = pd.DataFrame(
        [
            # sanctions/partnership: 28 of 30 settings agree on the sign (93%)
            ["tighter_us_sanctions", "strategic_partnership", 0.34, 0.14, 28 / 30, robust],
            # estrangement: the grid's reference says +0.02, the run says −0.05
            ["tighter_us_sanctions", "estrangement", 0.25, 0.02, 0.5, False],
            ["baseline", "strategic_partnership", 0.20, 0.0, 1.0, False],
            ["baseline", "estrangement", 0.30, 0.0, 1.0, False],
        ],
        columns=["scenario", "outcome", "share", "delta_vs_baseline", "robust_share", "robust"],
    ).assign(share_low=[0.1, 0.0, 0.05, 0.2], share_high=[0.9, 0.6, 0.99, 0.31])
    summary["delta_min"] = summary["delta_vs_baseline"] - 0.05
    summary["delta_max"] = summary["delta_vs_baseline"] + 0.05
    verdicts = pd.DataFrame(
        {
            "state": ["early_1990s", "treaty_2001"],
            "period": ["1991-1995", "2001"],
            "expected": ["partnership_of_convenience", "strategic_partnership"],
            "leading": ["strategic_partnership", "strategic_partnership"],
            "leading_share": [0.9, 0.3],
            "expected_share": [0.01, 0.3],
            "undetermined_share": [0.04, 0.3],
            "match": [False, True],
        }
    )
    return ScenarioSection(
        probabilities=pd.DataFrame(rows),
        convergence=pd.DataFrame({"scenario": ["baseline"], "settled": [1.0]}),
        tornado=pd.DataFrame(),
        tornado_outcome="estrangement",
        tornado_scenario="baseline",
        settings={
            "draws": 1000,
            "seed": 1,
            "rule": "modified_kosko",
            "transfer": "tanh",
            "lambda": 1.0,
            "max_iter": 300,
            "margin": 0.05,
        },
        assumptions=["A share is the share of plausible maps.", "Steps are rounds."],
        replay=verdicts,
        robustness=summary,
    )


def test_scenario_changes_lead_in_plain_words_with_robustness() -> None:
    lines = change_sentences(load_case(), _scenario_data())
    assert lines == [
        "Tighter US sanctions: comprehensive strategic partnership +14 points (robust in 93% "
        "of settings); estrangement or strategic tension −5 points (direction unsettled "
        "across engine settings: not robust); undetermined −9 points."
    ]
    not_robust = change_sentences(load_case(), _scenario_data(robust=False))[0]
    assert "+14 points (same direction in 93% of settings: not robust)" in not_robust


def test_top_card_shows_the_baseline_distribution_not_one_outcome() -> None:
    label, value, note = baseline_card(load_case(), _scenario_data())
    assert "likely" not in (label + value + note).lower()
    assert value == "40%" and "undetermined" in label
    assert note.startswith(
        "Estrangement 30% · Comprehensive strategic partnership 20% · Partnership of "
        "convenience 10% · Formal military-political alliance 0%. Across 30 engine settings: "
    )
    assert "5%–99%" in note and note.endswith("not probabilities.")


def test_scenarios_section_reports_replay_misses_levers_by_label_and_assumptions() -> None:
    case = load_case()
    section = scenarios_section(case, _scenario_data())
    assert section.blocks[0].title == "What each scenario changes"
    assert section.blocks[1].title == "Outcome shares by scenario"
    shares = section.blocks[1]
    assert shares.rows[1][2] == "34% (+14) ✓" and shares.rows[1][4] == "25% (−5)"
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert any("in 1 of 2 dated states" in t for t in texts)
    replay_table = next(b for b in section.blocks if getattr(b, "title", "") == "Historical replay")
    assert [r[-1] for r in replay_table.rows] == ["no", "yes"]
    levers = next(b for b in section.blocks if getattr(b, "title", "") == "What each scenario sets")
    sanctions = next(r for r in levers.rows if r[0] == "Tighter US and Western sanctions")
    labels = {f.id: f.label for f in case.factors}
    assert labels["us_sanctions_pressure"] in sanctions[1]
    assert "us_sanctions_pressure" not in sanctions[1]
    assumptions = next(
        b for b in section.blocks if getattr(b, "title", "") == "What this model assumes"
    )
    joined = " ".join(assumptions.items)
    assert "modified Kosko" in joined and "0.05" in joined and "not the probability" in joined
    assert "citations" in joined
    stated = next(b for b in section.blocks if str(getattr(b, "title", "")).startswith("Stated"))
    assert len(stated.rows) == sum(1 for f in case.factors if f.level is not None)
