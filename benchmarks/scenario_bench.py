"""Scenario engine benchmark: 100,000 Monte Carlo draws of a 40-node map, 30 steps each.

Three ways to run the same draws, timed in the same process:

* dyadscope — :func:`dyadscope.scenario.monte_carlo` (batched, chunked, threaded);
* fcmpy — ``FcmSimulator.simulate`` once per draw, timed on a subsample and scaled;
* a naive NumPy loop — one draw at a time, ``tanh(A @ W + A)``, timed on a subsample
  and scaled.

All three use modified Kosko with tanh, 30 steps at most, the stopping threshold 0.001,
and keep exogenous nodes (drivers, context, levers set to their scenario levels) fixed.
The map is built like a case map: exogenous drivers and levers feed a web of key
variables and frictions, which feed the outcomes.  A second, "dense" map where all 40
nodes move shows the worst case.  Targets (issue 6): at least 300 times fcmpy per draw,
and under 1 s for all 100,000 draws on two cores (printed, never asserted).  The end
states of the subsample must equal fcmpy's and the NumPy loop's to 1e-9, or the run
raises ``AssertionError`` (the test suite's smoke run relies on it).
"""

from __future__ import annotations

import contextlib
import io
import os
import time
import warnings
from typing import Any

import numpy as np

from dyadscope.scenario import FCM, FCMSettings, monte_carlo, sample_weights

N_NODES = 40
#: Largest allowed difference between dyadscope's float64 end states and the baselines'.
TOLERANCE = 1e-9
SETTINGS = FCMSettings(rule="modified_kosko", transfer="tanh", max_iter=30, eps=1e-3)


def case_like_map(seed: int = 2024) -> tuple[FCM, np.ndarray]:
    """A 40-node map shaped like a case, and its starting state (levers at their levels).

    Nodes 0-9 are drivers and context and 10-15 levers (nothing acts on them), 16-33
    key variables, frictions and limitations, 34-39 outcomes (they act on nothing).
    """
    rng = np.random.default_rng(seed)
    kinds = ["driver"] * 6 + ["context"] * 4 + ["lever"] * 6
    kinds += ["key_variable"] * 8 + ["friction"] * 6 + ["limitation"] * 4 + ["outcome"] * 6
    W = np.zeros((N_NODES, N_NODES))
    mid, out = np.arange(16, 34), np.arange(34, 40)
    masks = [
        (np.arange(0, 16)[:, None], mid, 0.20),
        (mid[:, None], mid, 0.15),
        (mid[:, None], out, 0.35),
    ]
    for rows, cols, density in masks:
        shape = (rows.shape[0], cols.shape[0])
        W[rows, cols] = rng.uniform(-0.7, 0.7, shape) * (rng.random(shape) < density)
    width = np.where(W != 0, rng.uniform(0.05, 0.3, W.shape), 0.0)
    fcm = FCM([f"f{i}" for i in range(N_NODES)], kinds, W, W - width, W + width)
    start = np.where(np.arange(N_NODES) < 16, 0.5, 0.0)
    start[10:16] = rng.choice([-1.0, -0.5, 0.5, 1.0], 6)
    return fcm, start


def dense_map(seed: int = 7) -> tuple[FCM, np.ndarray]:
    """A 40-node map in which every node is acted on (no exogenous node at all)."""
    rng = np.random.default_rng(seed)
    W = rng.uniform(-0.6, 0.6, (N_NODES, N_NODES)) * (rng.random((N_NODES, N_NODES)) < 0.12)
    np.fill_diagonal(W, 0.0)
    W[(np.arange(N_NODES) + 1) % N_NODES, np.arange(N_NODES)] = 0.3  # a ring: no sources
    width = np.where(W != 0, 0.2, 0.0)
    kinds = ["key_variable"] * 34 + ["outcome"] * 6
    fcm = FCM([f"f{i}" for i in range(N_NODES)], kinds, W, W - width, W + width)
    return fcm, np.full(N_NODES, 0.5)


def _naive(W: np.ndarray, start: np.ndarray) -> np.ndarray:
    """One draw at a time, the obvious way (the baseline a careful user would write)."""
    held = ~np.any(W != 0, axis=0)
    A = start.copy()
    for _ in range(SETTINGS.max_iter):
        new = np.tanh(A @ W + A)
        new[held] = start[held]
        if np.max(np.abs(new - A)) <= SETTINGS.eps:
            return new
        A = new
    return A


def _fcmpy(W: np.ndarray, start: np.ndarray) -> np.ndarray:
    import pandas as pd
    from fcmpy import FcmSimulator

    names = [f"f{i}" for i in range(len(start))]
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = FcmSimulator.simulate(
            initial_state=dict(zip(names, start, strict=True)),
            weight_matrix=pd.DataFrame(W, index=names, columns=names),
            transfer="tanh",
            inference="mKosko",
            thresh=SETTINGS.eps,
            iterations=SETTINGS.max_iter,
        )
    return frame.iloc[-1].to_numpy(dtype=float)


def _per_draw(fn: Any, W: np.ndarray, start: np.ndarray) -> tuple[float, np.ndarray]:
    began = time.perf_counter()
    finals = np.stack([fn(w, start) for w in W])
    return (time.perf_counter() - began) / len(W), finals


def _one_map(label: str, fcm: FCM, start: np.ndarray, draws: int, sub: int) -> dict[str, Any]:
    workers = min(2, os.cpu_count() or 1)
    monte_carlo(fcm, 2048, seed=1, initial=start, settings=SETTINGS, workers=workers)  # warm-up
    began = time.perf_counter()
    run = monte_carlo(fcm, draws, seed=1, initial=start, settings=SETTINGS, workers=workers)
    ours = time.perf_counter() - began
    W = sample_weights(fcm, 0, sub * 10, seed=1)
    naive_per_draw, naive_final = _per_draw(_naive, W, start)
    fcmpy_per_draw, fcmpy_final = _per_draw(_fcmpy, W[:sub], start)
    check = monte_carlo(
        fcm, sub, seed=1, initial=start, settings=SETTINGS, dtype=np.float64, keep_states=True
    )
    assert check.final is not None
    result = {
        "map": label,
        "draws": draws,
        "iterations": SETTINGS.max_iter,
        "workers": workers,
        "dyadscope_s": ours,
        "dyadscope_per_draw_us": ours / draws * 1e6,
        "naive_numpy_s_scaled": naive_per_draw * draws,
        "fcmpy_s_scaled": fcmpy_per_draw * draws,
        "fcmpy_per_draw_ms": fcmpy_per_draw * 1e3,
        "ratio_vs_fcmpy": fcmpy_per_draw * draws / ours,
        "ratio_vs_naive": naive_per_draw * draws / ours,
        "settled_share": float(np.mean(run.status == 0)),
        "max_abs_diff_vs_fcmpy": float(np.abs(check.final - fcmpy_final).max()),
        "max_abs_diff_vs_naive": float(np.abs(check.final - naive_final[:sub]).max()),
    }
    for other in ("fcmpy", "naive"):
        diff = result[f"max_abs_diff_vs_{other}"]
        assert diff <= TOLERANCE, f"[{label}] end states differ from {other} by {diff:.2e}"
    print(
        f"[{label}] {draws:,} draws × ≤{SETTINGS.max_iter} steps on {workers} thread(s): "
        f"dyadscope {ours:.3f} s ({result['dyadscope_per_draw_us']:.2f} µs/draw); "
        f"naive NumPy {result['naive_numpy_s_scaled']:.1f} s (scaled from {sub * 10} draws), "
        f"ratio {result['ratio_vs_naive']:.0f}×; fcmpy {result['fcmpy_s_scaled']:.0f} s "
        f"({result['fcmpy_per_draw_ms']:.2f} ms/draw, scaled from {sub}), "
        f"ratio {result['ratio_vs_fcmpy']:.0f}× (target ≥ 300×, and < 1 s); "
        f"settled {result['settled_share']:.1%}; max |Δ| vs fcmpy "
        f"{result['max_abs_diff_vs_fcmpy']:.1e}",
        flush=True,
    )
    return result


def main(quick: bool = False) -> dict[str, Any]:
    """Run the benchmark; ``quick`` uses 10,000 draws and small subsamples."""
    draws, sub = (10_000, 20) if quick else (100_000, 200)
    return {
        "case_like": _one_map("case-like 40 nodes", *case_like_map(), draws, sub),
        "dense": _one_map("dense 40 nodes", *dense_map(), draws, sub),
    }


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv[1:])
