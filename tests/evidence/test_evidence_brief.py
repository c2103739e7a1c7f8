"""The "What the sources say" section: positions, claims against the data, later layer."""

from __future__ import annotations

import math

import pytest

from dyadscope.case import load_case
from dyadscope.data.store import Store
from dyadscope.evidence.brief import MATCH_TOLERANCE, sources_say
from dyadscope.indicators import compute
from dyadscope.report.model import Table
from dyadscope.report.sections.sources_say import sources_say_section


def test_claims_are_set_against_the_data(store: Store) -> None:
    case = load_case()
    say = sources_say(case, store)
    assert len(say.figures) == len(case.claims)
    for row in say.figures.itertuples():
        data = compute(store, *case.dyad, row.year, row.year, trade_source="cow")
        if row.indicator.startswith("trade"):
            cow = data[(data.indicator == row.indicator)].value.dropna()
            if cow.empty:
                dots = compute(store, *case.dyad, row.year, row.year, trade_source="dots")
                cow = dots[dots.indicator == row.indicator].value.dropna()
            expected = float(cow.iloc[0]) if len(cow) else math.nan
        else:
            vals = data[data.indicator == row.indicator].value.dropna()
            expected = float(vals.iloc[0]) if len(vals) else math.nan
        if math.isnan(expected):
            assert row.verdict == "no counterpart" and math.isnan(row.dataset_value)
        else:
            assert row.dataset_value == pytest.approx(expected)
            close = abs(row.stated - expected) <= MATCH_TOLERANCE * abs(expected)
            assert row.verdict == ("match" if close else "gap")


def test_later_layer_and_as_of(store: Store) -> None:
    case = load_case()
    say = sources_say(case, store)
    assert say.as_of == case.sources_as_of
    assert {"trade_targets_2022", "g7_position_2024", "nato_position_2024"} <= set(say.later.factor)
    nato = say.later.set_index("factor").loc["nato_position_2024"]
    assert nato.documents == "2024-07-05" and "wh_2024-07-05_nato-preview.md:408-417" in (
        nato.citations
    )
    kirby = say.positions[say.positions.voice == "John Kirby"]
    assert set(kirby.date) == {"2023-03-21"}
    assert (say.later.links == 0).all()
    assert len(say.positions) and list(say.positions.voice) == sorted(say.positions.voice)


def test_section_renders_the_three_tables(store: Store) -> None:
    section = sources_say_section(sources_say(load_case(), store))
    assert section.title == "What the sources say"
    assert section.lead is not None and "Sources as of 2024-" in section.lead
    titles = [b.title for b in section.blocks if isinstance(b, Table)]
    assert titles == [
        "Positions by voice and date",
        "Figures the documents state, checked against the data",
        "The layer after 2021",
    ]


def test_timeline_shows_the_nato_position() -> None:
    from dyadscope.report.overview import timeline

    table = timeline(load_case(), None)
    assert table is not None
    rows = [r for r in table.rows if "NATO summit position" in str(r[1])]
    assert len(rows) == 1 and rows[0][0] == "July 2024"
    assert "wh_2024-07-05_nato-preview.md:404-406" in str(rows[0][2])
