"""Figures: extraction, normalisation, the year, and the check against the datasets."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from dyadscope.data.store import Store
from dyadscope.evidence.analysis import figures_frame
from dyadscope.evidence.documents import SourceDocument
from dyadscope.evidence.figures import TONNES_PER_BARREL, check_figures, extract_figures
from dyadscope.indicators import compute


def _doc(*lines: str, date_year: int | None = None) -> SourceDocument:
    return SourceDocument("d.txt", "d.txt", "text", lines, "0" * 64)


def test_units_are_normalised_per_measure() -> None:
    """Worked by hand: 1.5 trillion roubles = 1,500,000 rouble million; 38 billion cubic
    metres = 38 bcm; 1 million barrels a day = 365e6 bbl x 0.1364 t = 49.786 Mt a year."""
    doc = _doc(
        "In 2019 the fund held 1.5 trillion roubles.",
        "Deliveries of 38 billion cubic metres were agreed in 2014.",
        "Exports reached 1 million barrels per day in 2020.",
        "Trade hit $2.66B, about 12 per cent, and 65 projects followed in 2021.",
    )
    got = [(f.line, f.value, f.unit, f.measure, f.year) for f in extract_figures(doc)]
    assert got[0] == (1, 1_500_000.0, "rouble million", "money_rub", 2019)
    assert got[1] == (2, 38.0, "bcm", "gas_volume", 2014)
    assert got[2][:4] == (3, round(365 * TONNES_PER_BARREL, 3), "Mt", "oil_volume")
    assert got[3] == (4, 2660.0, "US$ million", "money_usd", 2021)
    assert got[4] == (4, 12.0, "percent", "share", 2021)
    assert got[5] == (4, 65.0, "count", "count_projects", 2021)


def test_a_figure_wrapped_across_lines_is_found_on_its_first_line() -> None:
    doc = _doc("By 2009 total trade was US$38.75", "", "billion, a record.")
    (fig,) = extract_figures(doc)
    assert (fig.line, fig.value, fig.year) == (1, 38750.0, 2009)


def test_seed_trade_figure_is_checked_against_cow(seeds_dir: Path, store: Store) -> None:
    """004:876-878 states the 2009 trade total the case's claim also records (US$38.75 bn)."""
    frame = figures_frame([seeds_dir / "004_aa016b3768031b75.txt"])
    row = frame[(frame.line >= 876) & (frame.line <= 878) & (frame.measure == "money_usd")]
    assert row.value.tolist() == [38750.0] and row.year.tolist() == [2009]
    checked = check_figures(row, store=store)
    data = compute(store, "RUS", "CHN", 2009, 2009, only=["trade_total"], trade_source="cow")
    expected = float(data.value.iloc[0])
    assert checked.dataset_value.iloc[0] == pytest.approx(expected)
    assert checked.gap.iloc[0] == pytest.approx(38750.0 - expected)
    assert checked.dataset.iloc[0].startswith("trade_total")


def test_figures_without_a_counterpart_are_listed_not_dropped(
    documents_dir: Path, store: Store
) -> None:
    frame = figures_frame([documents_dir])
    checked = check_figures(frame, store=store)
    assert len(checked) == len(frame)
    none = checked[checked.dataset == "no counterpart"]
    assert len(none) and none.dataset_value.map(math.isnan).all()
    # the 2022 Kremlin trade figures map onto trade_total; the extract stops before 2022
    kremlin = checked[checked.doc.str.startswith("03_kremlin") & (checked.measure == "money_usd")]
    assert set(kremlin.indicator.dropna()) == {"trade_total"}
    assert pd.isna(kremlin.dataset_value).all()
