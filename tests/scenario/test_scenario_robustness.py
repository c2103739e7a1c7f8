"""Robustness grid, compare table and historical replay on the invented lever case."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from dyadscope.case import Case
from dyadscope.cli import app
from dyadscope.errors import InputError
from dyadscope.scenario.replay import replay
from dyadscope.scenario.robustness import DEFAULT_GRID, Setting, robustness, shift_levels

runner = CliRunner()


def lead_share(p: float, margin: float, n: int = 2001) -> float:
    """Share of maps where cooperation leads by ``margin`` (Kosko, tanh; see montecarlo tests)."""
    u = (np.arange(n) + 0.5) / n
    gap = np.tanh(p * (-0.2 + 0.8 * u[:, None])) - np.tanh(p * (-0.6 + 0.8 * u[None, :]))
    return float(np.mean(gap >= margin))


def test_grid_is_the_documented_one() -> None:
    assert len(DEFAULT_GRID) == 30
    assert {s.rule for s in DEFAULT_GRID} == {"kosko", "modified_kosko"}
    assert {(s.transfer, s.lam) for s in DEFAULT_GRID} == {
        ("sigmoid", 1.0), ("sigmoid", 2.0), ("sigmoid", 5.0), ("tanh", 1.0), ("tanh", 2.0)
    }  # fmt: skip
    assert {s.shift for s in DEFAULT_GRID} == {-0.2, 0.0, 0.2}


def test_shift_moves_stated_levels_and_clips(lever_case: Case) -> None:
    up = shift_levels(lever_case, 0.7)
    assert up.factor("pressure").level == pytest.approx(1.0)  # 0.5 + 0.7 clipped
    assert up.factor("habit").level == pytest.approx(1.0)
    assert lever_case.factor("pressure").level == 0.5  # the original is untouched


def test_change_vs_baseline_by_hand(lever_case: Case) -> None:
    """One Kosko/tanh setting: delta = lead share at p=-1 minus lead share at p=0.5."""
    ref = Setting("kosko", "tanh", 1.0, 0.0)
    res = robustness(lever_case, draws=20_000, seed=5, grid=[ref], reference=ref)
    row = res.summary.set_index(["scenario", "outcome"]).loc[("release", "cooperation")]
    assert row["delta_vs_baseline"] == pytest.approx(
        lead_share(-1.0, 0.05) - lead_share(0.5, 0.05), abs=0.015
    )
    assert row["robust_share"] == 1.0 and bool(row["robust"])


def test_summary_rows_and_agreement(lever_case: Case) -> None:
    grid = [Setting("kosko", "tanh", 1.0, s) for s in (-0.2, 0.0, 0.2)]
    grid += [Setting("kosko", "sigmoid", 1.0, 0.0), Setting("modified_kosko", "tanh", 2.0, 0.0)]
    res = robustness(lever_case, draws=400, seed=1, grid=grid, reference=grid[1])
    s = res.summary
    assert len(s) == 3 * 3  # 3 scenarios × (2 outcomes + undetermined)
    ref = res.runs[res.runs["setting"] == grid[1].name]
    sums = ref.groupby("scenario")["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    assert (s.loc[s.scenario == "baseline", "delta_vs_baseline"] == 0).all()
    assert not s.loc[s.scenario == "baseline", "robust"].any()
    # robust_share recomputed from the per-setting runs
    for _, row in s.iterrows():
        g = res.runs[(res.runs.scenario == row.scenario) & (res.runs.outcome == row.outcome)]
        d = g["delta_vs_baseline"].where(g["delta_vs_baseline"].abs() >= 0.01, 0.0)
        r = np.sign(row["delta_vs_baseline"]) if abs(row["delta_vs_baseline"]) >= 0.01 else 0.0
        assert row["robust_share"] == pytest.approx(float((np.sign(d) == r).mean()))
        assert row["share_low"] <= row["share"] <= row["share_high"]


def test_replay_reports_match_and_miss(lever_case: Case) -> None:
    res = replay(lever_case, draws=2000, rule="kosko")
    v = res.verdicts.set_index("state")
    assert v.loc["pressed", "leading"] == "cooperation" and bool(v.loc["pressed", "match"])
    assert v.loc["courted", "leading"] == "rivalry" and not bool(v.loc["courted", "match"])
    expected_share = lead_share(1.0, 0.05)
    got = res.frame.set_index(["state", "outcome"]).loc[("pressed", "cooperation"), "share"]
    assert got == pytest.approx(expected_share, abs=0.03)
    # The verdicts carry the leader's and the expected outcome's shares from the frame.
    frame = res.frame.set_index(["state", "outcome"])["share"]
    assert v.loc["pressed", "leading_share"] == frame[("pressed", "cooperation")]
    courted_expected = str(v.loc["courted", "expected"])
    assert v.loc["courted", "expected_share"] == frame[("courted", courted_expected)]
    assert v.loc["courted", "leading_share"] == frame[("courted", "rivalry")]


def test_replay_without_history_is_a_named_error(lever_case: Case) -> None:
    with pytest.raises(InputError, match="no dated states"):
        replay(lever_case.model_copy(update={"history": []}), draws=10)


def test_compare_cli_columns(lever_case_path: Path) -> None:
    args = ["scenario", "compare", "NOR", "SWE", "--case", str(lever_case_path)]
    result = runner.invoke(app, [*args, "--draws", "100", "--margin", "0.1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert header == (
        "scenario,outcome,share,share_low,share_high,mean_activation,delta_vs_baseline,robust_share"
    )
    assert len(result.stdout.strip().splitlines()) == 1 + 9


def test_robustness_and_replay_cli(lever_case_path: Path) -> None:
    base = ["NOR", "SWE", "--case", str(lever_case_path), "--draws", "100"]
    rob = runner.invoke(app, ["scenario", "robustness", *base, "--format", "json"])
    assert rob.exit_code == 0, rob.output
    rows = json.loads(rob.stdout)
    assert {"robust_share", "delta_min", "delta_max", "robust"} <= set(rows[0])
    rep = runner.invoke(app, ["scenario", "replay", *base])
    assert rep.exit_code == 0, rep.output
    assert "courted" in rep.stdout and "pressed" in rep.stdout
    bad = runner.invoke(app, ["scenario", "compare", *base, "--margin", "-1"])
    assert bad.exit_code != 0


def test_shipped_case_replays_its_dated_states() -> None:
    """The shipped case's three dated states run; the verdicts are reported, whatever they are."""
    from dyadscope.case import load_case

    res = replay(load_case(), draws=300)
    assert res.verdicts["state"].tolist() == ["early_1990s", "treaty_2001", "after_crimea"]
    assert set(res.verdicts["expected"]) <= {"strategic_partnership", "partnership_of_convenience"}
    assert res.verdicts["match"].dtype == bool
    assert (res.frame.groupby("state")["expected"].sum() == 1).all()
