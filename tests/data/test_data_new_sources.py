"""The data that reach the present (MANIFEST sections 13-21): each adapter on the real
file in ../shared/data reproduces the MANIFEST's reference figures, and the vendored
data stay inside their size budget."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dyadscope.data.registry import get_adapter
from dyadscope.data.store import vendored_store
from dyadscope.data.vendor_manifest import vendor_dir
from dyadscope.indicators import compute

#: The budget stated in docs/indicators.md and the vendor README.
VENDOR_BUDGET_BYTES = 15 * 1024 * 1024


def _produce(name: str, shared_file) -> pd.DataFrame:
    return get_adapter(name).produce(shared_file(name))


def test_vendored_data_stay_within_budget() -> None:
    total = sum(p.stat().st_size for p in Path(vendor_dir()).rglob("*") if p.is_file())
    assert total <= VENDOR_BUDGET_BYTES, f"vendored data are {total / 2**20:.1f} MiB"


def test_sipri_full_register_reference_figures(shared_file) -> None:
    """MANIFEST 13: 25,024 rows; world TIV delivered in 2022 = 33,871.05."""
    sipri = _produce("sipri", shared_file)
    assert len(sipri) == 25024
    assert sipri.loc[sipri["year"] == 2022, "tiv"].sum() == pytest.approx(33871.05, abs=0.005)
    assert (sipri["year"].min(), sipri["year"].max()) == (1995, 2024)


def test_milex_reference_figures(shared_file) -> None:
    """MANIFEST 14, Current US$ (US$ m): 2014 RUS 84,696.5, CHN 182,109.2, USA 647,789;
    2000 RUS 9,228.2."""
    milex = _produce("milex", shared_file).set_index(["iso3", "year"])["milex_usd"]
    assert milex[("RUS", 2014)] == pytest.approx(84696.5, abs=0.05)
    assert milex[("CHN", 2014)] == pytest.approx(182109.2, abs=0.05)
    assert milex[("USA", 2014)] == pytest.approx(647789, abs=0.5)
    assert milex[("RUS", 2000)] == pytest.approx(9228.2, abs=0.05)


def test_gdp_reference_figures_and_no_aggregates(shared_file) -> None:
    """MANIFEST 15: 2013 CHN 9.570471e12, RUS 2.292470e12, USA 1.688068e13."""
    gdp = _produce("gdp", shared_file)
    assert "WLD" not in set(gdp["iso3"])
    gdp = gdp.set_index(["iso3", "year"])["gdp_usd"]
    assert gdp[("CHN", 2013)] == pytest.approx(9.570471e12, rel=1e-6)
    assert gdp[("RUS", 2013)] == pytest.approx(2.292470e12, rel=1e-6)
    assert gdp[("USA", 2013)] == pytest.approx(1.688068e13, rel=1e-6)


def test_contiguity_all_pairs_india_pakistan(shared_file) -> None:
    """MANIFEST 19: India-Pakistan (750, 770) are directly contiguous by land."""
    cont = _produce("contiguity", shared_file)
    row = cont.query("ccode1 == 750 and ccode2 == 770")
    assert list(row["conttype"]) == [1]


def test_mindist_all_pairs_row_count(shared_file) -> None:
    """MANIFEST 19: cow_mindist has 952,244 rows."""
    assert len(_produce("mindist", shared_file)) == 952244


def test_indicators_reach_the_present() -> None:
    """RUS-CHN: milex and GDP to 2023, arms both ways to 2024 (vendored data)."""
    df = compute(vendored_store(), "RUS", "CHN", 2000, 2024, only=["milex", "gdp", "arms"])
    last = df[df["value"].notna()].groupby("indicator")["year"].max()
    assert last["milex_a"] == 2023 and last["gdp_b"] == 2023
    assert last["arms_share_b_from_a"] == 2024 and last["arms_export_share_a_to_b"] == 2024
