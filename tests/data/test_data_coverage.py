"""``data coverage``: years with data per indicator, release, stale flag, refresh command.

Years asserted come from the vendored extracts and ../shared/data/MANIFEST.md: NMC v7
runs to 2022 (§5), COW trade to 2014 (§6), PRC votes start in 1971 and the unvotes
roll calls end in January 2020 (§8), SIPRI deliveries 2000–2023 (§11).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dyadscope.cli import app
from dyadscope.data.store import Provenance, Store, vendored_store
from dyadscope.errors import UnknownCountry
from dyadscope.indicators.coverage_report import COVERAGE_COLUMNS, coverage


@pytest.fixture(scope="module")
def cov_2026() -> pd.DataFrame:
    return coverage(vendored_store(), "RUS", "CHN", today=date(2026, 1, 1)).set_index("indicator")


def test_years_per_indicator_from_the_data(cov_2026: pd.DataFrame) -> None:
    spans = cov_2026[["first_year", "last_year"]]
    # UN votes: unvotes to 2019, then the UN Digital Library; SIPRI: deliveries 1995-2024.
    assert tuple(spans.loc["cinc_a"]) == (1816, 2022)
    assert tuple(spans.loc["trade_total"]) == (1870, 2014)
    assert tuple(spans.loc["unga_same_vote"]) == (
        1971,
        2024,
    )
    assert tuple(spans.loc["arms_share_b_from_a"]) == (
        1995,
        2024,
    )
    assert list(cov_2026.reset_index().columns) == COVERAGE_COLUMNS


def test_stale_is_more_than_three_years_before_today(cov_2026: pd.DataFrame) -> None:
    """2026: 2022 is four years back (stale), 2023 three (not stale)."""
    assert bool(cov_2026.loc["cinc_a", "stale"]) is True
    assert bool(cov_2026.loc["ideal_point_distance", "stale"]) is False  # BSV to 2023
    assert bool(cov_2026.loc["arms_share_b_from_a", "stale"]) is False
    earlier = coverage(vendored_store(), "RUS", "CHN", today=date(2025, 12, 31))
    assert not earlier.set_index("indicator").loc["cinc_a", "stale"]


def test_no_data_is_na_and_stale(cov_2026: pd.DataFrame) -> None:
    """No pipeline gas flows from China to Russia in the Energy Institute matrices."""
    row = cov_2026.loc["energy_pipeline_gas_bcm_b_to_a"]
    assert pd.isna(row["first_year"]) and pd.isna(row["last_year"])
    assert row["years_with_data"] == 0 and bool(row["stale"])


def test_release_and_refresh_command(cov_2026: pd.DataFrame) -> None:
    assert cov_2026.loc["cinc_a", "release"] == "nmc: 7.0"
    assert cov_2026.loc["cinc_a", "refresh"] == "dyadscope data load nmc --file FILE"
    assert cov_2026.loc["unga_kappa", "refresh"] == "dyadscope data update undl"
    assert cov_2026.loc["arms_share_b_from_a", "refresh"] == "dyadscope data update sipri"
    assert "unvotes 0.3.0" in cov_2026.loc["unga_kappa", "release"]


def test_release_comes_from_the_store_provenance(tmp_path: Path) -> None:
    """A dots table refreshed from IMTS shows that release and the update command."""
    db = tmp_path / "s.duckdb"
    frame = pd.DataFrame(
        {
            "reporter_iso3": ["RUS", "CHN"],
            "partner_iso3": ["CHN", "RUS"],
            "year": [2013, 2013],
            "exports_usd": [35625419976.0, 49607589861.0],  # DOTS extract, MANIFEST §7
            "imports_usd": [53173086204.0, 39565185588.0],
        }
    )
    columns = {
        "reporter_iso3": "VARCHAR",
        "partner_iso3": "VARCHAR",
        "year": "INTEGER",
        "exports_usd": "DOUBLE",
        "imports_usd": "DOUBLE",
    }
    prov = Provenance("dots", "dots", "replay", "IMTS test release", "0" * 64, 2, 2013, 2013)
    with Store(db) as store:
        with store.transaction():
            store.replace_table("dots", frame, columns, prov)
        cov = coverage(store, "RUS", "CHN", trade_source="dots", today=date(2026, 1, 1))
    row = cov.set_index("indicator").loc["trade_total"]
    assert (row["first_year"], row["last_year"]) == (2013, 2013)
    assert row["release"] == "dots: IMTS test release"
    assert row["refresh"] == f"dyadscope data update imf --store {db}"
    assert bool(row["stale"])
    cinc = cov.set_index("indicator").loc["cinc_a"]
    assert cinc["release"] == "nmc: not in store" and pd.isna(cinc["last_year"])


def test_unknown_state_is_a_named_error() -> None:
    with pytest.raises(UnknownCountry):
        coverage(vendored_store(), "RUS", "Atlantis")


def test_cli_coverage_json_and_table() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["data", "coverage", "RUS", "CHN", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = {r["indicator"]: r for r in json.loads(result.output)}
    assert records["cinc_a"]["last_year"] == 2022
    assert records["energy_pipeline_gas_bcm_b_to_a"]["first_year"] is None  # NA, never 0
    result = runner.invoke(app, ["data", "coverage", "RUS", "CHN"])
    assert result.exit_code == 0 and "stale" in result.output


def test_cli_coverage_bad_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["data", "coverage", "RUS", "CHN", "--store", str(tmp_path / "no.duckdb")]
    )
    assert result.exit_code == 2
    assert "no such store file" in result.output
