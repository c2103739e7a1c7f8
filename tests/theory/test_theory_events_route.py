"""The theory engines on an events store, through an in-memory fake event engine.

The fake replaces the DuckDB engine in the one engine registry (restored after each
test), the way a plugin would register itself, so the tests need no GDELT files.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

from dyadscope.events.engines import ENGINES, EventEngine, SeriesQuery
from dyadscope.theory.external import MIN_MONTHS, externally_driven
from dyadscope.theory.threat import balance_of_threat

MONTHS = pd.period_range("2010-01", periods=96, freq="M").astype(str)


def _driven_series(seed: int = 11) -> dict[tuple[str, str], pd.DataFrame]:
    """RUS–USA conflict is noise; RUS–CHN cooperation follows it one month later (0.6)."""
    rng = np.random.default_rng(seed)
    n = len(MONTHS)
    conflict_ru = rng.normal(size=n) * 0.2
    conflict_cn = rng.normal(size=n) * 0.2
    coop = np.zeros(n)
    for t in range(1, n):
        coop[t] = 0.2 * coop[t - 1] + 0.6 * conflict_ru[t - 1] + rng.normal(scale=0.05)
    return {
        ("RUS", "USA"): pd.DataFrame({"period": MONTHS, "conflict_index": conflict_ru}),
        ("CHN", "USA"): pd.DataFrame({"period": MONTHS, "conflict_index": conflict_cn}),
        ("RUS", "CHN"): pd.DataFrame({"period": MONTHS, "coop_share": coop + 0.5}),
    }


class FakeEngine(EventEngine):
    """Returns prepared series instead of reading a store."""

    name: ClassVar[str] = "duckdb"
    monthly: ClassVar[dict[tuple[str, str], pd.DataFrame]] = {}

    def series(self, store_dir: Path, query: SeriesQuery) -> pd.DataFrame:
        if query.freq == "year":
            # every directed pair: 100 events in 2014, 10 of them material conflict
            return pd.DataFrame(
                {
                    "a": [query.a],
                    "b": [query.b],
                    "period": ["2014"],
                    "events": [100],
                    "material_conflict": [10],
                }
            )
        frame = self.monthly.get((query.a, query.b))
        return frame.copy() if frame is not None else pd.DataFrame()


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> type[FakeEngine]:
    monkeypatch.setitem(ENGINES, "duckdb", FakeEngine)
    monkeypatch.setattr(FakeEngine, "monthly", _driven_series())
    return FakeEngine


def test_monthly_route_detects_constructed_driver(store, fake_engine, tmp_path) -> None:
    res = externally_driven(store, "RUS", "CHN", "USA", events_store=tmp_path)
    assert res.frequency == "month"
    assert (res.first_period, res.last_period) == ("2010-01", "2017-12")
    g = res.granger.set_index(["causing", "caused"])
    assert g.loc[("conflict_a_third", "coop_ab"), "p_value"] < 0.001
    assert g.loc[("conflict_b_third", "coop_ab"), "p_value"] > 0.01
    assert res.verdict.startswith(("consistent", "mixed"))


def test_short_events_store_falls_back_to_years(store, fake_engine, tmp_path) -> None:
    short = {k: v.head(MIN_MONTHS - 1) for k, v in _driven_series().items()}
    fake_engine.monthly = short
    res = externally_driven(store, "RUS", "CHN", "USA", events_store=tmp_path)
    assert res.frequency == "year"
    assert any(f"{MIN_MONTHS - 1} common consecutive months" in c for c in res.caveats)


def test_threat_uses_events_material_conflict(store, fake_engine, tmp_path) -> None:
    res = balance_of_threat(store, 2014, ["USA", "RUS", "CHN"], events_store=tmp_path)
    comp = res.components
    ev = comp[comp.component == "events_matl_conf_share"]
    assert len(ev) == 6
    assert np.allclose(ev["score"], 0.1)
