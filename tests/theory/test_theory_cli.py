"""The ``dyadscope theory`` commands through Typer's CliRunner."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from dyadscope.cli import app

runner = CliRunner()


def _json(args: list[str]) -> dict:
    res = runner.invoke(app, ["theory", *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_power_json() -> None:
    out = _json(["power", "--from", "2010", "--to", "2012"])
    assert sorted({r["year"] for r in out["polarity"]}) == [2010, 2011, 2012]
    assert {r["measure"] for r in out["polarity"]} == {"cinc", "gdp", "milex", "net_power"}
    assert out["coalition_vs_rival"][0]["coalition"] == "RUS+CHN"
    assert "unipolar if top share" in out["polarity_rule"]
    assert out["assumptions"]


def test_power_csv_columns() -> None:
    res = runner.invoke(
        app, ["theory", "power", "--from", "2021", "--to", "2022", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0] == "year,measure,state,share"
    res = runner.invoke(
        app, ["theory", "power", "--from", "2022", "--to", "2022", "--polarity", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "year,measure,concentration,polarity"
    assert "2022,milex," in res.stdout and len(lines) == 5


def test_threat_summary_csv() -> None:
    res = runner.invoke(app, ["theory", "threat", "--year", "2014", "--summary", "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == (
        "year,state,greatest_threat,threat_score,predicted_alignment,observed_alignment,"
        "criteria_used"
    )
    assert len(lines) == 6
    out = _json(["threat", "--year", "2014", "--states", "usa,rus,ind"])
    ind_rus = next(r for r in out["scores"] if r["perceiver"] == "IND" and r["source"] == "RUS")
    assert ind_rus["criteria_used"] == "power+proximity+capability+intentions"
    assert ind_rus["diplomatic_distance"] is not None


def test_interdependence_table_and_csv(tmp_path) -> None:
    res = runner.invoke(
        app, ["theory", "interdependence", "rus", "chn", "--from", "2012", "--to", "2013"]
    )
    assert res.exit_code == 0, res.output
    assert "Assumptions" in res.stdout
    target = tmp_path / "lev.csv"
    res = runner.invoke(
        app,
        [
            "theory",
            "interdependence",
            "RUS",
            "CHN",
            "--from",
            "2012",
            "--to",
            "2013",
            "--format",
            "csv",
            "-o",
            str(target),
        ],
    )
    assert res.exit_code == 0, res.output
    ch = pd.read_csv(target)
    assert list(ch.columns) == [
        "year",
        "state",
        "partner",
        "channel",
        "sensitivity",
        "vulnerability",
        "source",
    ]
    assert set(ch["year"]) == {2012, 2013}
    assert set(ch["state"]) == {"RUS", "CHN"}


def test_game_json_and_bad_payoffs() -> None:
    out = _json(["game", "--payoffs", "5,3,1,0", "--turns", "10", "--repetitions", "1"])
    assert out["delta_star"] == 0.5
    bad = runner.invoke(app, ["theory", "game", "--payoffs", "3,5,1,0"])
    assert bad.exit_code == 2
    assert "T > R > P > S" in bad.output


def test_game_from_case_pair() -> None:
    out = _json(["game", "--case", "RUS,CHN", "--turns", "10", "--repetitions", "1"])
    assert out["payoff_source"].startswith("case")
    assert out["factors"]


def test_external_json() -> None:
    out = _json(["external", "RUS", "CHN", "--third", "USA", "--ic", "bic"])
    assert out["frequency"] == "year" and out["ic"] == "bic"
    assert out["window"] == [1993, None] and out["method"] == "toda-yamamoto"
    # 1993-2020 is 28 years; a VAR(p + d_max) in levels loses its first p + d_max years
    assert out["nobs"] == 28 - out["lag_order"] - out["d_max"]
    assert out["caveats"]
    old = _json(
        ["external", "RUS", "CHN", "--from", "1971", "--to", "2019", "--method", "var-diff"]
    )
    assert old["nobs"] > 30 and old["method"] == "var-diff"


@pytest.mark.parametrize(
    "args",
    [
        ["threat", "--year", "2014", "--weights", "speed=1"],
        ["power", "--rival", "XXX"],
        ["interdependence", "RUS", "CHN", "--store", "/no/such/store.duckdb"],
    ],
)
def test_bad_input_exits_2(args: list[str]) -> None:
    res = runner.invoke(app, ["theory", *args])
    assert res.exit_code == 2, res.output
