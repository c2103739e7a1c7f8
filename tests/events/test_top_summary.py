"""`events top` and the brief's events overview, on the real GDELT 2.0 export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadscope.errors import InputError, MissingData
from dyadscope.events.summary import events_overview
from dyadscope.events.top import TOP_COLUMNS, top_events


def test_top_lists_the_dyad_events_by_mentions(store_2_0: Path) -> None:
    top = top_events(store_2_0, "RUS", "CHN", "2019-10")
    assert tuple(top.columns) == TOP_COLUMNS
    assert len(top) == 2  # MANIFEST.md §1: the only two RUS–CHN events
    assert top["num_mentions"].is_monotonic_decreasing
    assert (top["actor1_iso3"] == "CHN").all()
    assert top["event"].iat[0] == "Make optimistic comment"
    assert top["source_url"].str.startswith("http").all()
    assert top["event_date"].iat[0] == dt.date(2019, 10, 24)
    assert top_events(store_2_0, "RUS", "CHN", "2019-10", directed=True).empty
    assert len(top_events(store_2_0, "CHN", "RUS", "2019-10", n=1)) == 1


def test_top_needs_a_month_and_a_store(store_2_0: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="YYYY-MM"):
        top_events(store_2_0, "RUS", "CHN", "2019-13")
    with pytest.raises(MissingData):
        top_events(tmp_path, "RUS", "CHN", "2019-10")


def test_overview_states_coverage(export_2_0: Path, store_2_0: Path) -> None:
    ov = events_overview(store_2_0, "rus", "chn")
    assert ov is not None
    assert (ov.a, ov.b) == ("RUS", "CHN")
    assert (ov.first_date, ov.last_date) == (dt.date(2018, 10, 24), dt.date(2019, 10, 24))
    assert (ov.rows, ov.files, ov.dyad_events) == (2111, 1, 2)
    assert ov.series["period"].iat[0] == "2018-10"


def test_overview_is_none_when_nothing_is_ingested(tmp_path: Path) -> None:
    assert events_overview(tmp_path / "empty", "RUS", "CHN") is None
