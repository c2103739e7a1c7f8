"""The ``dyadscope scenario`` commands, run through Typer's test runner on the invented case."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from dyadscope.cli import app

runner = CliRunner()


def test_list(lever_case_path: Path) -> None:
    result = runner.invoke(
        app, ["scenario", "list", "nor", "SWE", "--case", str(lever_case_path), "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert "push,Full pressure,pressure=+1" in result.stdout


def test_run_table_and_json(lever_case_path: Path) -> None:
    args = ["scenario", "run", "NOR", "SWE", "--case", str(lever_case_path), "--scenario", "push"]
    args += ["--draws", "2000", "--rule", "kosko"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "Close cooperation" in table.stdout and "95% interval" in table.stdout
    assert "Settled at a fixed point: 100.0%" in table.stdout
    as_json = runner.invoke(app, [*args, "--format", "json"])
    payload = json.loads(as_json.stdout)
    probs = {row["outcome"]: row["share"] for row in payload["shares"]}
    # default margin 0.05: cooperation = tanh(wc), rivalry = tanh(wr), wc ~ U[-0.2, 0.6],
    # wr ~ U[-0.6, 0.2]; the share with a lead of 0.05 is integrated on a grid
    u = (np.arange(2001) + 0.5) / 2001
    gap = np.tanh(-0.2 + 0.8 * u[:, None]) - np.tanh(-0.6 + 0.8 * u[None, :])
    assert abs(probs["cooperation"] - float(np.mean(gap >= 0.05))) < 0.03
    assert payload["settings"]["draws"] == 2000 and payload["assumptions"]


def test_sensitivity_json(lever_case_path: Path) -> None:
    args = ["scenario", "sensitivity", "NOR", "SWE", "--case", str(lever_case_path)]
    result = runner.invoke(app, [*args, "-s", "push", "--n", "128", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["indices"]
    assert {r["outcome"] for r in rows} == {"cooperation", "rivalry"}


def test_errors_are_named(lever_case_path: Path) -> None:
    base = ["scenario", "run", "NOR", "SWE", "--case", str(lever_case_path)]
    unknown = runner.invoke(app, [*base, "--scenario", "nope", "--draws", "10"])
    assert unknown.exit_code == 2
    assert "no scenario 'nope'" in unknown.output
    bad_rule = runner.invoke(app, [*base, "--rule", "fuzzy", "--draws", "10"])
    assert bad_rule.exit_code == 2 and "rule 'fuzzy'" in bad_rule.output
    wrong_pair = runner.invoke(
        app, ["scenario", "list", "RUS", "CHN", "--case", str(lever_case_path)]
    )
    assert wrong_pair.exit_code != 0


def test_run_margin_moves_draws_to_undetermined(lever_case_path: Path) -> None:
    args = ["scenario", "run", "NOR", "SWE", "--case", str(lever_case_path), "--scenario", "push"]
    args += ["--draws", "2000", "--rule", "kosko", "--format", "json"]
    shares = {}
    for margin in ("0", "0.3"):
        result = runner.invoke(app, [*args, "--margin", margin])
        assert result.exit_code == 0, result.output
        payload = json.loads(result.stdout)
        assert payload["settings"]["margin"] == float(margin)
        shares[margin] = {row["outcome"]: row["share"] for row in payload["shares"]}
    # Same grid integral as test_run_table_and_json: cooperation leads by at least m
    # when tanh(wc) - tanh(wr) >= m, wc ~ U[-0.2, 0.6], wr ~ U[-0.6, 0.2].
    u = (np.arange(2001) + 0.5) / 2001
    gap = np.tanh(-0.2 + 0.8 * u[:, None]) - np.tanh(-0.6 + 0.8 * u[None, :])
    for margin, expected in (("0", np.mean(gap > 0)), ("0.3", np.mean(gap >= 0.3))):
        assert abs(shares[margin]["cooperation"] - float(expected)) < 0.03
    assert shares["0.3"]["undetermined"] > shares["0"]["undetermined"] + 0.1
    bad = runner.invoke(app, [*args, "--margin", "-1"])
    assert bad.exit_code == 2
