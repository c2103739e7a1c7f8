"""Sobol indices: the wrapper against analytic values and SALib's own sampler."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.sample import sobol as salib_sample

from dyadscope.case import Case
from dyadscope.errors import InputError
from dyadscope.scenario import saltelli_batches, sobol, sobol_indices


def _ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_first_order_indices() -> None:
    """Analytic S1 of Ishigami (a=7, b=0.1) on [-pi, pi]^3: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2,
    V1 = (1 + bπ⁴/5)² / 2, V2 = a²/8, V3 = 0, giving 0.3139, 0.4424, 0.0."""
    a, b, pi = 7.0, 0.1, np.pi
    var = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    expected = [(1 + b * pi**4 / 5) ** 2 / 2 / var, a**2 / 8 / var, 0.0]
    df = sobol(_ishigami, [(-pi, pi)] * 3, ["x1", "x2", "x3"], n=1024, seed=1)
    np.testing.assert_allclose(df["S1"], expected, atol=0.02)
    assert expected[0] == pytest.approx(0.3139, abs=1e-4)


@pytest.mark.parametrize("batch_rows", [7, 40, 10_000])
def test_batches_reproduce_salib_sampler(batch_rows: int) -> None:
    bounds = [[-1.0, 1.0], [0.0, 2.0], [5.0, 6.0], [0.1, 0.2]]
    problem = {"num_vars": 4, "names": list("abcd"), "bounds": bounds}
    expected = salib_sample.sample(problem, 32, calc_second_order=False, seed=3)
    got = np.concatenate(list(saltelli_batches(np.array(bounds), 32, 3, batch_rows)))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_constant_output_gets_no_indices_and_bad_n_is_named() -> None:
    df = sobol(lambda x: np.ones(len(x)), [(0, 1), (0, 1)], ["a", "b"], n=64)
    assert df[["S1", "ST"]].isna().all().all()
    with pytest.raises(InputError, match="power of two"):
        sobol(lambda x: x[:, 0], [(0, 1)], ["a"], n=100)


def test_case_links_each_outcome_depends_on_its_own_link(lever_case: Case) -> None:
    """Kosko rule: cooperation = tanh(p wc) depends on wc only, rivalry on wr only,
    so each outcome's own link explains all its variance (S1 = ST = 1) and the other
    link none of it."""
    res = sobol_indices(lever_case, "push", n=512, rule="kosko")
    top = res.frame[res.frame["rank"] == 1].set_index("outcome")
    assert top.loc["cooperation", "parameter"] == "link:pressure->cooperation"
    assert top.loc["rivalry", "parameter"] == "link:pressure->rivalry"
    assert top["S1"].tolist() == pytest.approx([1.0, 1.0], abs=0.05)
    other = res.full[res.full["rank"] == 2]
    assert other["ST"].abs().max() < 0.01
    assert res.evaluations == 512 * 4


def test_case_levers_and_both(lever_case: Case) -> None:
    res = sobol_indices(lever_case, "push", n=256, params="both", rule="kosko", top=1)
    assert set(res.frame["kind"]) == {"lever"}
    assert len(res.frame) == 2
    assert set(res.full["kind"]) == {"lever", "link"}


def test_sample_grows_until_the_top_index_is_precise(lever_case: Case) -> None:
    res = sobol_indices(lever_case, "push", n=64, rule="kosko", max_n=8192)
    assert res.settings["precise"] is True
    for _, g in res.full.groupby("outcome"):
        top = g.loc[g["ST"].idxmax()]
        assert top["ST_conf"] < 0.25 * top["ST"]
    assert res.settings["n"] >= 64
    np.testing.assert_array_equal(
        res.full["distinguishable"], (res.full["ST"] - res.full["ST_conf"]) > 0
    )


def test_time_bound_stops_the_growth(lever_case: Case) -> None:
    res = sobol_indices(lever_case, "push", n=64, rule="kosko", time_budget_s=0.0)
    assert res.settings["n"] == 64
    if not res.settings["precise"]:
        assert any("rough" in a for a in res.assumptions)
