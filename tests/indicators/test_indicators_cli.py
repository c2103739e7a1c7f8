"""The ``indicators``, ``dyad-years`` and ``unga agreement`` commands, every format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dyadscope.cli import app
from dyadscope.data.store import Store, vendored_store

runner = CliRunner()
TIDY = ["a", "b", "year", "indicator", "value", "source"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_indicators_table_shows_one_table_per_family() -> None:
    code, out, err = invoke("indicators", "rus", "chn", "--from", "2010", "--to", "2011")
    assert code == 0, err
    for family in ("capability", "trade", "unga", "arms", "alliances", "geography", "igos"):
        assert f"{family}, RUS-CHN" in out
    assert "COW NMC v7.0" in out
    assert "Note:" in err  # the trade source switches from COW to DOTS


def test_indicators_csv() -> None:
    code, out, _ = invoke(
        "indicators",
        "RUS",
        "CHN",
        "--from",
        "2013",
        "--to",
        "2013",
        "--only",
        "trade",
        "--trade-source",
        "cow",  # pinned: the default became auto (DOTS from 1992, no world totals)
        "--format",
        "csv",
    )
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert list(df.columns) == TIDY
    share = df.loc[df.indicator == "trade_share_a", "value"].iloc[0]
    assert share == pytest.approx(0.112, abs=0.0005)


def test_indicators_json_is_records_with_null_for_na() -> None:
    code, out, _ = invoke(
        "indicators",
        "RUS",
        "CHN",
        "--from",
        "2010",
        "--to",
        "2014",
        "--only",
        "arms",
        "--periods",
        "5",
        "--format",
        "json",
    )
    assert code == 0
    records = json.loads(out)
    assert isinstance(records, list) and list(records[0]) == TIDY
    by_id = {r["indicator"]: r for r in records}
    # MANIFEST section 13 (full register): Russia's imports from China 2010-14 are a true 0
    assert by_id["arms_share_a_from_b"]["value"] == 0
    assert by_id["arms_share_b_from_a"]["value"] == pytest.approx(0.5498, abs=0.00005)
    assert by_id["arms_share_b_from_a"]["year"] == 2010


def test_indicators_parquet_needs_and_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "rc.parquet"
    code, _, err = invoke(
        "indicators",
        "RUS",
        "CHN",
        "--from",
        "2000",
        "--to",
        "2001",
        "--format",
        "parquet",
        "-o",
        str(target),
    )
    assert code == 0, err
    df = pd.read_parquet(target)
    assert list(df.columns) == TIDY and len(df) > 0
    assert not list(target.parent.glob(".*.tmp"))  # the atomic write left no temp file


def test_indicators_dots_source() -> None:
    code, out, _ = invoke(
        "indicators",
        "CHN",
        "RUS",
        "--from",
        "2019",
        "--to",
        "2019",
        "--only",
        "trade_total",
        "--trade-source",
        "dots",
        "--format",
        "csv",
    )
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert df["value"].iloc[0] == pytest.approx(109_742, abs=1)  # MANIFEST: China reports
    assert df["source"].iloc[0].startswith("IMF DOTS")


@pytest.mark.parametrize("pair", [("USA", "CHN"), ("IND", "RUS")])
def test_other_pairs(pair: tuple[str, str]) -> None:
    code, out, _ = invoke("indicators", *pair, "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert set(df["year"]) == set(range(1992, 2021))


def test_usa_india_trade_is_na_with_a_note() -> None:
    code, out, err = invoke("indicators", "usa", "ind", "--only", "trade", "--format", "csv")
    assert code == 0
    assert pd.read_csv(io.StringIO(out))["value"].isna().all()
    assert "USA-IND" in err and "not 0" in err


def test_dyad_years_directed_csv(tmp_path: Path) -> None:
    target = tmp_path / "dy.csv"
    code, _, _ = invoke(
        "dyad-years",
        "RUS",
        "CHN",
        "--from",
        "2010",
        "--to",
        "2012",
        "--directed",
        "--format",
        "csv",
        "-o",
        str(target),
    )
    assert code == 0
    df = pd.read_csv(target)
    assert len(df) == 6 and list(df.columns[:3]) == ["a", "b", "year"]
    assert set(zip(df.a, df.b, strict=True)) == {("RUS", "CHN"), ("CHN", "RUS")}


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_dyad_years_other_formats(fmt: str) -> None:
    code, out, _ = invoke(
        "dyad-years", "RUS", "CHN", "--from", "2010", "--to", "2010", "--format", fmt
    )
    assert code == 0 and "cinc" in out


def test_unga_agreement(tmp_path: Path) -> None:
    code, out, _ = invoke("unga", "agreement", "--year", "2010", "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert list(df.columns) == ["year", "iso3_a", "iso3_b", "n", "same_vote", "kappa"]
    row = df[(df.iso3_a == "CHN") & (df.iso3_b == "RUS")].iloc[0]
    assert row["same_vote"] == pytest.approx(0.744, abs=0.0005)
    code, out, _ = invoke("unga", "agreement", "--year", "2019")
    assert code == 0 and "UNGA agreement, 2019" in out


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_unga_agreement_json_and_parquet(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"agreement.{fmt}"
    code, _, err = invoke("unga", "agreement", "--year", "2000", "--format", fmt, "-o", str(target))
    assert code == 0, err
    df = pd.read_json(target) if fmt == "json" else pd.read_parquet(target)
    row = df[(df.iso3_a == "CHN") & (df.iso3_b == "RUS")].iloc[0]
    assert row["n"] == 75 and row["same_vote"] == pytest.approx(0.747, abs=0.0005)


def test_dyad_years_parquet(tmp_path: Path) -> None:
    target = tmp_path / "dy.parquet"
    code, _, _ = invoke(
        "dyad-years",
        "USA",
        "CHN",
        "--from",
        "2000",
        "--to",
        "2001",
        "--format",
        "parquet",
        "-o",
        str(target),
    )
    assert code == 0
    df = pd.read_parquet(target)
    assert len(df) == 2 and "trade_share_a" in df.columns


def test_unga_agreement_year_without_votes() -> None:
    code, _, err = invoke("unga", "agreement", "--year", "1900")
    assert code != 0 and "no UNGA roll call" in err


def test_user_store(tmp_path: Path) -> None:
    """A user store holding only NMC: CINC comes from it, everything else is NA + note."""
    path = tmp_path / "user.duckdb"
    nmc = vendored_store().table("nmc")
    with Store(path) as s:
        s.con.register("_nmc", nmc)
        s.con.execute("CREATE TABLE nmc AS SELECT * FROM _nmc")
    code, out, err = invoke(
        "indicators",
        "RUS",
        "CHN",
        "--from",
        "2010",
        "--to",
        "2010",
        "--store",
        str(path),
        "--format",
        "csv",
    )
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out)).set_index("indicator")
    assert df.loc["cinc_a", "value"] == pytest.approx(0.0391, abs=0.00005)
    assert df.drop(index=["cinc_a", "cinc_b", "cinc_ratio_b_a"])["value"].isna().all()
    assert "no table" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("indicators", "RUS", "Atlantis"), "unknown country"),
        (("indicators", "RUS", "CHN", "--only", "trad"), "unknown indicator or family"),
        (("indicators", "RUS", "CHN", "--store", "/nonexistent/x.duckdb"), "no such store"),
        (("dyad-years", "RUS", "RUS"), "two different states"),
    ],
)
def test_errors_exit_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert message in err.replace("\n", " ")


def test_align_latest_ends_the_periods_at_the_latest_delivery_year() -> None:
    """``--periods 5 --align latest``: SIPRI's windows, the last one 2020-24 (issue 11).

    The CLI gives the library's numbers for the same call. With 5-year windows both
    alignments agree (2024 - 4 = 2020 is divisible by 5); with 4-year ones they differ:
    latest gives 2009-12 ... 2021-24, start gives 2008-11 ... 2020-23.
    """
    from dyadscope.indicators import compute

    code, out, _ = invoke(
        "indicators", "RUS", "CHN", "--from", "2008", "--to", "2024", "--only",
        "arms_share_b_from_a", "--periods", "5", "--align", "latest", "--format", "csv",
    )  # fmt: skip
    assert code == 0, out
    got = pd.read_csv(io.StringIO(out))
    want = compute(
        vendored_store(), "RUS", "CHN", 2008, 2024, only=["arms_share_b_from_a"],
        periods=5, align="latest",
    )  # fmt: skip
    assert list(got["year"]) == list(want["year"])
    assert got["year"].max() == 2020  # the window 2020-2024 ends at the latest year
    assert got["value"].tolist() == pytest.approx(want["value"].tolist(), nan_ok=True)
    years = {}
    for align in ("start", "latest"):
        _, text, _ = invoke(
            "indicators", "RUS", "CHN", "--from", "2008", "--to", "2024", "--only",
            "arms_share_b_from_a", "--periods", "4", "--align", align, "--format", "csv",
        )  # fmt: skip
        years[align] = pd.read_csv(io.StringIO(text))["year"].tolist()
    assert years["latest"][-1] == 2021 and years["start"][0] == 2008
