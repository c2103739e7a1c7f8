"""Indicators that reach the present: trade source per year, energy, milex and GDP, and
dyad-years for any pair. Figures come from ../shared/data and its MANIFEST.md."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dyadscope.cli import app
from dyadscope.data.store import Store
from dyadscope.indicators import compute, dyad_years
from dyadscope.indicators.energy import china_monthly_imports


def _by(df: pd.DataFrame, indicator: str) -> pd.Series:
    return df[df["indicator"] == indicator].set_index("year")["value"]


def _last(df: pd.DataFrame, indicator: str) -> int:
    values = _by(df, indicator).dropna()
    return int(values.index.max())


def test_done_when_rus_chn_2000_2024_reaches_the_present() -> None:
    """`indicators RUS CHN --from 2000 --to 2024`: trade totals to 2020 (DOTS by
    default), shares NA with a note naming the missing world totals, arms both ways to
    2024, energy to 2024, milex and GDP to 2023, UN agreement to 2024."""
    result = CliRunner().invoke(
        app, ["indicators", "RUS", "CHN", "--from", "2000", "--to", "2024", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    df = pd.DataFrame(json.loads(result.stdout))
    df["value"] = df["value"].astype(float)
    assert _last(df, "trade_total") == 2020
    assert _by(df, "trade_share_a").isna().all()
    assert "partner WLD" in result.stderr and "trade_source='auto'" in result.stderr
    for ind in ("arms_share_b_from_a", "arms_export_share_a_to_b", "energy_crude_mt"):
        assert _last(df, ind) == 2024, ind
    for ind in ("milex_a", "milex_share_gdp_b", "gdp_ratio_b_a", "energy_pipeline_gas_bcm"):
        assert _last(df, ind) == 2023, ind
    assert _last(df, "unga_same_vote") == 2024


def test_auto_trade_takes_each_year_from_one_source(store: Store) -> None:
    """RU-CN: COW to 1991, DOTS from 1992; each year equals that source's own value."""
    auto = compute(store, "RUS", "CHN", 1990, 1995, only=["trade"])
    cow = compute(store, "RUS", "CHN", 1990, 1995, only=["trade"], trade_source="cow")
    dots = compute(store, "RUS", "CHN", 1990, 1995, only=["trade"], trade_source="dots")
    assert _by(auto, "trade_total")[1991] == _by(cow, "trade_total")[1991]
    assert _by(auto, "trade_share_a")[1991] == _by(cow, "trade_share_a")[1991]
    assert _by(auto, "trade_total")[1992] == _by(dots, "trade_total")[1992]
    # DOTS has no world totals here: the share is NA, never DOTS flow / COW total
    assert _by(auto, "trade_share_a").loc[1992:].isna().all()
    assert any("up to 1991" in n and "from 1992" in n for n in auto.attrs["notes"])


def test_energy_reference_figures(store: Store) -> None:
    """MANIFEST 16: China's pipeline gas from Russia 2020-23 = 3.88, 7.58, 14.67, 21.29
    bcm; MANIFEST 17: Russia -> China crude 2013 23.20 Mt / $18.74bn, 2021 72.11 Mt,
    2023 99.55 Mt / $60.68bn (BACI)."""
    df = compute(store, "RUS", "CHN", 2013, 2024, only=["energy"])
    gas = _by(df, "energy_pipeline_gas_bcm")
    assert [round(gas[y], 2) for y in (2020, 2021, 2022, 2023)] == [3.88, 7.58, 14.67, 21.29]
    crude = _by(df, "energy_crude_mt")
    assert crude[2013] == pytest.approx(23.20, abs=0.005)
    assert crude[2021] == pytest.approx(72.11, abs=0.005)
    assert crude[2023] == pytest.approx(99.55, abs=0.005)
    usd = _by(df, "energy_crude_usd")
    assert usd[2013] == pytest.approx(18.74e9, rel=5e-4)
    assert usd[2023] == pytest.approx(60.68e9, rel=5e-4)
    swapped = compute(store, "CHN", "RUS", 2020, 2023, only=["energy"])
    assert _by(swapped, "energy_pipeline_gas_bcm_b_to_a")[2023] == gas[2023]


def test_energy_shares_divide_within_one_sheet(store: Store) -> None:
    """2023 pipeline gas: 21.29 of China's 61.34 bcm inter-regional pipeline imports
    (EI 'Gas - Trade movements', the same sheet as the flow)."""
    df = compute(store, "RUS", "CHN", 2023, 2023, only=["energy_shares"])
    share = _by(df, "energy_pipeline_gas_share_b_imports")[2023]
    assert share == pytest.approx(21.294248 / 61.343286, rel=1e-6)
    assert 0 < _by(df, "energy_crude_share_a_exports")[2023] < 1


def test_china_monthly_imports_2021(shared_data: Path) -> None:
    """MANIFEST 18: crude imports from Russia in 2021 = 79.6 Mt, $40.3bn."""
    path = shared_data / "energy" / "china_fossil_imports_by_origin_monthly_1993_2022.csv"
    monthly = china_monthly_imports(path)
    crude = monthly[monthly["month"].str.startswith("2021") & (monthly["fuel"] == "crude")]
    assert len(crude) == 12
    assert crude["tonnes"].sum() / 1e6 == pytest.approx(79.6, abs=0.05)
    assert crude["usd"].sum() / 1e9 == pytest.approx(40.3, abs=0.05)


def test_milex_and_gdp_ratios(store: Store) -> None:
    """MANIFEST 14/15: milex 2014 CHN 182,109.2 / RUS 84,696.5; GDP 2013 CHN / RUS."""
    df = compute(store, "RUS", "CHN", 2013, 2014, only=["milex", "gdp"])
    assert _by(df, "milex_ratio_b_a")[2014] == pytest.approx(182109.2 / 84696.5, rel=1e-6)
    assert _by(df, "gdp_ratio_b_a")[2013] == pytest.approx(9.570471e12 / 2.292470e12, rel=1e-6)


_ANY_PAIR = ["geography", "alliances", "mids", "igos", "rivalry", "threat"]


@pytest.mark.parametrize(
    ("a", "b"), [("IND", "PAK"), ("USA", "CHN"), ("DEU", "FRA"), ("RUS", "IND")]
)
def test_dyad_years_for_any_pair(store: Store, a: str, b: str) -> None:
    wide = dyad_years(store, a, b, 2005, 2024, only=_ANY_PAIR).set_index("year")
    assert wide["contiguity"].notna().all()  # carried forward past 2016
    assert any("carried forward to 2024" in n for n in wide.attrs["notes"])
    assert wide["capdist"].notna().all()
    assert wide.loc[2019, "mindist"] >= 0
    for col in ("atop_defense", "mids", "joint_igos", "rivalry", "terrthreat_a", "terrthreat_b"):
        assert wide.loc[2010, col] == wide.loc[2010, col], f"{a}-{b} {col} is NA in 2010"


def test_india_pakistan_against_the_sources(store: Store, shared_data: Path) -> None:
    """Contiguity 1 (MANIFEST 19), a strategic rivalry since 1947, each side's threat,
    and the New Delhi-Islamabad distance by the haversine formula."""
    ps = shared_data / "peacesciencer_all"
    wide = dyad_years(store, "IND", "PAK", 2000, 2024, only=_ANY_PAIR).set_index("year")
    assert (wide["contiguity"] == 1).all()
    riv = pd.read_parquet(ps / "td_rivalries.parquet").query("ccode1 == 750 and ccode2 == 770")
    assert int(riv["styear"].iloc[0]) <= 2000 and wide.loc[2000, "rivalry"] == 1
    threat = pd.read_parquet(ps / "terrthreat.parquet").query("ccode == 770 and year == 2005")
    assert wide.loc[2005, "terrthreat_b"] == pytest.approx(threat["lterrthreat"].iloc[0])
    caps = pd.read_parquet(ps / "cow_capitals.parquet").set_index("capital")
    (la1, lo1), (la2, lo2) = (caps.loc[c, ["lat", "lng"]] for c in ("New Delhi", "Islamabad"))
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    assert wide.loc[2020, "capdist"] == pytest.approx(2 * 6371 * math.asin(math.sqrt(h)))


@pytest.mark.parametrize("buyer", ["IND", "VNM", "CHN"])
def test_arms_shares_for_any_pair_2020_24(store: Store, shared_data: Path, buyer: str) -> None:
    """Russia's arms exports 2020-24 (align="latest": SIPRI's window) going to a buyer,
    and the buyer's imports from Russia, against sums over the register itself."""
    import io

    name = "sipri/sipri_trade_register_all_1995_2024_generated_2026-02-12.csv"
    lines = (shared_data / name).read_text(encoding="utf-8").splitlines()[11:]
    reg = pd.read_csv(io.StringIO("\n".join(line.removesuffix(";") for line in lines)))
    reg = reg[reg["Delivery year"].between(2020, 2024)]
    label = {"IND": "India", "VNM": "Viet Nam", "CHN": "China"}[buyer]
    tiv = "TIV delivery values"
    russia = reg[reg["Supplier"] == "Russia"]
    export_share = russia.loc[russia["Recipient"] == label, tiv].sum() / russia[tiv].sum()
    imports = reg[reg["Recipient"] == label]
    import_share = imports.loc[imports["Supplier"] == "Russia", tiv].sum() / imports[tiv].sum()

    df = compute(store, "RUS", buyer, 2015, 2030, only=["arms"], periods=5, align="latest")
    assert sorted(df["year"].unique()) == [2015, 2020]
    assert _by(df, "arms_export_share_a_to_b")[2020] == pytest.approx(export_share, rel=1e-9)
    assert _by(df, "arms_share_b_from_a")[2020] == pytest.approx(import_share, rel=1e-9)


def test_coal_shares_from_the_ei_matrix(store: Store, shared_data: Path) -> None:
    """2023: Russia's coal to China over Russia's coal exports, both in EJ from the EI
    sheet 'Coal trade movements 2023' (row Russia, columns China and Total)."""
    raw = pd.read_excel(
        shared_data / "energy" / "EI-Statistical-Review-2024-all-data.xlsx",
        sheet_name="Coal trade movements 2023",
        header=2,
    ).set_index("Exajoules")
    expected = raw.loc["Russia", "China"] / raw.loc["Russia", "Total"]
    df = compute(store, "RUS", "CHN", 2023, 2023, only=["energy_coal_share_a_exports"])
    assert _by(df, "energy_coal_share_a_exports")[2023] == pytest.approx(expected, rel=1e-9)
