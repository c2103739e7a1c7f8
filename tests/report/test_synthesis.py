"""Key judgements, cards, staleness and labels: worked examples computed by hand."""

from __future__ import annotations

import pandas as pd

from dyadscope.report import labels, synthesis
from dyadscope.report.overview import indicator_cards


def _tidy(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"year": y, "indicator": i, "value": v, "source": "COW Trade v4.0"} for y, i, v in rows]
    )


def test_trend_judgement_over_ten_years() -> None:
    """6 % (2004) → 11 % (2014): rose; the evidence is the trade-share chart."""
    tidy = _tidy([(2004, "trade_share_a", 0.06), (2010, "trade_share_a", 0.09),
                  (2014, "trade_share_a", 0.11)])  # fmt: skip
    j = synthesis.trend_judgement(tidy, "trade_share_a", "Russia", "China", "#x")
    assert j is not None
    assert j.text == (
        "Share of Russia's trade that is with China rose from 6.0% in 2004 to 11.0% in 2014."
    )
    assert j.source == "COW Trade v4.0"


def test_asymmetry_judgement_names_the_dependent_side() -> None:
    """12 % against 2 % is 6.0 times as much: Russia needs China more."""
    tidy = _tidy([(2014, "trade_share_a", 0.12), (2014, "trade_share_b", 0.02)])
    j = synthesis.asymmetry_judgement(tidy, "Russia", "China")
    assert j is not None
    assert "Russia needs China more than the reverse" in j.text
    assert "6.0 times as much" in j.text


def test_bottom_line_is_dated_and_counts_moves() -> None:
    tidy = _tidy([(2004, "trade_share_a", 0.06), (2014, "trade_share_a", 0.11),
                  (2004, "mids", 2.0), (2014, "mids", 0.0)])  # fmt: skip
    line = synthesis.bottom_line(tidy, "Russia", "China", "2026-11-30")
    assert line.startswith("Bottom line, 2026-11-30: Russia and China are closer")
    assert "2 of 2 indicators" in line


def test_stale_flag_names_the_refresh_command() -> None:
    assert synthesis.stale_note(2023, 2026, "Indicators") is None  # 3 years: not stale
    note = synthesis.stale_note(2014, 2026, "Indicators")
    assert note is not None and "12 years" in note and "dyadscope data update" in note


def test_cards_show_latest_value_year_source_change_and_sparkline() -> None:
    """11 % in 2014 against 9 % in 2009: +2.0 pp since 2009."""
    tidy = _tidy([(y, "trade_share_a", 0.09 + 0.004 * (y - 2009)) for y in range(2009, 2015)])
    card = indicator_cards(tidy, "RUS", "CHN", ("Russia", "China"))[0]
    assert card.value == "11.0%"
    assert card.note == "2014 · COW Trade v4.0"
    assert card.change == "+2.0 pp since 2009"
    assert card.spark.startswith("<svg")


def test_every_drawn_indicator_has_a_human_label() -> None:
    from dyadscope.report.sections.indicators import FAMILIES

    for fam in FAMILIES:
        for ind in [*fam.series, *fam.secondary]:
            assert ind in labels.INDICATORS, ind
            assert "_" not in labels.indicator_label(ind, "Russia", "China")


def test_russia_is_labelled_as_the_ussr_before_1992() -> None:
    from dyadscope.report.sections.indicators import indicators_section

    assert labels.eras("RUS", "CHN") == [(1991, "RUS was the USSR until 1991")]
    assert labels.eras("USA", "CHN") == []
    tidy = pd.DataFrame(
        [{"year": y, "indicator": "cinc_a", "value": 0.1, "source": "COW NMC v7.0"}
         for y in range(1985, 1996)]
    )  # fmt: skip
    section = indicators_section(tidy, None, "RUS", "CHN", names=("Russia", "China"))
    chart = next(b for b in section.blocks if b.kind == "chart")
    assert "Russia was the USSR until 1991" in chart.html
    assert chart.alt.startswith("Material capability (CINC), 1985–1995. Latest:")
    assert chart.table is not None and chart.table.rows[0][1] == "10.0%"


def test_charts_have_no_cloud_or_image_buttons() -> None:
    from dyadscope.report.charts import PLOTLY_CONFIG

    assert PLOTLY_CONFIG["displaylogo"] is False
    assert PLOTLY_CONFIG["showSendToCloud"] is False
    assert {"sendDataToCloud", "toImage"} <= set(PLOTLY_CONFIG["modeBarButtonsToRemove"])


def test_the_page_inlines_the_minimal_plotly_bundle() -> None:
    from dyadscope.report.brief import plotly_js

    minimal, full = str(plotly_js()), str(plotly_js("full"))
    assert "plotly.js (cartesian - minified)" in minimal[:300]
    assert len(minimal) < 0.4 * len(full)
