"""Drawing link weights from their intervals, reproducibly, and routing them to the engine.

Reproducibility: draws are grouped in fixed blocks of :data:`RNG_BLOCK` and block
``k`` takes its random numbers from ``SeedSequence(seed, spawn_key=(k,))`` — NumPy's
documented way to make independent streams.  The weights a draw gets depend only on
the seed and the draw's position, never on the chunk size or the number of threads,
and never on the scenario: every scenario run with the same seed sees the same maps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from dyadscope.errors import InputError
from dyadscope.scenario.engine import (
    BatchResult,
    CoreResult,
    EdgeWeights,
    FCMSettings,
    ReducedBatch,
    constant_input,
    iterate,
    sparse_enough,
)
from dyadscope.scenario.fcm import FCM, to_activation

Distribution = Literal["uniform", "triangular", "beta"]
DISTRIBUTIONS: tuple[str, ...] = get_args(Distribution)

#: Draws per random-number block (the unit of reproducibility; chunk sizes are free).
RNG_BLOCK = 1024


def _block_rng(seed: int, block: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def _draw_block(
    rng: np.random.Generator,
    low: NDArray[np.float64],
    mode: NDArray[np.float64],
    high: NDArray[np.float64],
    distribution: str,
) -> NDArray[np.float64]:
    """One block of draws of every uncertain weight: shape (RNG_BLOCK, len(low))."""
    width = high - low
    if distribution == "uniform":
        return low + width * rng.random((RNG_BLOCK, low.size))
    if distribution == "triangular":
        return rng.triangular(low, mode, high, size=(RNG_BLOCK, low.size))
    alpha = 1.0 + 4.0 * (mode - low) / width
    beta = 1.0 + 4.0 * (high - mode) / width
    return low + width * rng.beta(alpha, beta, size=(RNG_BLOCK, low.size))


def draw_link_values(
    fcm: FCM, start: int, stop: int, *, seed: int = 1, distribution: str = "uniform"
) -> NDArray[np.float64]:
    """The uncertain weights of draws ``start`` to ``stop - 1``: shape (draws, links).

    Columns follow ``fcm.uncertain`` (the weights whose interval has width).
    ``uniform`` draws evenly over [low, high]; ``triangular`` peaks at the nominal
    weight; ``beta`` is the PERT distribution — a beta rescaled to the interval, mode
    at the nominal weight, shape parameters 1 + 4·(mode − low)/width and
    1 + 4·(high − mode)/width — which puts less weight near the ends.

    >>> import numpy as np
    >>> m = FCM(["a", "b"], ["driver", "outcome"], np.array([[0, .5], [0, 0]]),
    ...         low=np.array([[0, .2], [0, 0]]), high=np.array([[0, .8], [0, 0]]))
    >>> v = draw_link_values(m, 0, 3, seed=7)
    >>> v.shape, bool(np.all((v >= .2) & (v <= .8)))
    ((3, 1), True)
    """
    if distribution not in DISTRIBUTIONS:
        raise InputError(f"distribution {distribution!r} is not one of {list(DISTRIBUTIONS)}")
    if not 0 <= start <= stop:
        raise InputError(f"draw range [{start}, {stop}) is empty or negative")
    assert fcm.low is not None and fcm.high is not None
    cols = fcm.uncertain
    out = np.empty((stop - start, cols.size))
    if cols.size == 0 or stop == start:
        return out
    low, mode, high = (a.ravel()[cols] for a in (fcm.low, fcm.W, fcm.high))
    for block in range(start // RNG_BLOCK, (stop - 1) // RNG_BLOCK + 1):
        first = block * RNG_BLOCK
        values = _draw_block(_block_rng(seed, block), low, mode, high, distribution)
        lo, hi = max(start, first), min(stop, first + RNG_BLOCK)
        out[lo - start : hi - start] = values[lo - first : hi - first]
    return out


def draw_level_values(
    fcm: FCM, nodes: NDArray[np.intp], start: int, stop: int, *, seed: int = 1
) -> NDArray[np.float64]:
    """Signed levels of ``nodes`` for draws ``start`` to ``stop - 1``: shape (draws, nodes).

    Each level is uniform on the node's ``level_interval``.  Block ``k`` draws from
    ``SeedSequence(seed, spawn_key=(k, 1))``, a stream apart from the weights' (so
    adding a level interval never changes the weights a draw gets).

    >>> import numpy as np
    >>> m = FCM(["a", "b"], ["driver", "outcome"], np.array([[0, .5], [0, 0]]),
    ...         levels=np.array([.4, np.nan]), level_low=np.array([.2, np.nan]),
    ...         level_high=np.array([.6, np.nan]))
    >>> v = draw_level_values(m, np.array([0]), 0, 5, seed=3)
    >>> v.shape, bool(np.all((v >= .2) & (v <= .6)))
    ((5, 1), True)
    """
    assert fcm.level_low is not None and fcm.level_high is not None
    nodes = np.asarray(nodes, dtype=np.intp)
    out = np.empty((stop - start, nodes.size))
    if nodes.size == 0 or stop == start:
        return out
    low, high = fcm.level_low[nodes], fcm.level_high[nodes]
    for block in range(start // RNG_BLOCK, (stop - 1) // RNG_BLOCK + 1):
        first = block * RNG_BLOCK
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block, 1)))
        values = low + (high - low) * rng.random((RNG_BLOCK, nodes.size))
        lo, hi = max(start, first), min(stop, first + RNG_BLOCK)
        out[lo - start : hi - start] = values[lo - first : hi - first]
    return out


def sample_weights(
    fcm: FCM,
    start: int,
    stop: int,
    *,
    seed: int = 1,
    distribution: str = "uniform",
    dtype: type[np.floating[Any]] = np.float64,
) -> NDArray[np.floating[Any]]:
    """Full weight matrices for draws ``start`` to ``stop - 1``: (draws, n, n).

    The same draws :func:`draw_link_values` gives, placed in copies of ``fcm.W``.

    >>> import numpy as np
    >>> m = FCM(["a", "b"], ["driver", "outcome"], np.array([[0, .5], [0, 0]]),
    ...         low=np.array([[0, .2], [0, 0]]), high=np.array([[0, .8], [0, 0]]))
    >>> sample_weights(m, 0, 3, seed=7).shape
    (3, 2, 2)
    """
    values = draw_link_values(fcm, start, stop, seed=seed, distribution=distribution)
    flat = np.empty((stop - start, fcm.n * fcm.n), dtype=dtype)
    flat[:] = fcm.W.ravel()
    flat[:, fcm.uncertain] = values
    return flat.reshape(stop - start, fcm.n, fcm.n)


class ReducedSampler:
    """Runs draws of one map and scenario without ever building full weight matrices.

    Built once per run: it works out which nodes never move (clamped, or with nothing
    acting on them) and where each uncertain weight lands — among the moving nodes,
    in the constant input from the fixed ones, or nowhere (a link into a fixed node
    changes nothing).  Each chunk then only fills those small blocks.
    """

    def __init__(
        self,
        fcm: FCM,
        initial: NDArray[np.float64],
        clamps: Mapping[int, float],
        settings: FCMSettings,
        dtype: type[np.floating[Any]] = np.float32,
        level_nodes: Sequence[int] | None = None,
    ) -> None:
        assert fcm.low is not None and fcm.high is not None
        n = fcm.n
        start = np.asarray(initial, dtype=np.float64).copy()
        if start.shape != (n,):
            raise InputError(f"initial state has {start.size} values for {n} nodes")
        fixed = np.zeros(n, dtype=bool)
        if settings.hold_sources:
            pattern = (fcm.W != 0) | (fcm.low != fcm.high)
            fixed |= ~pattern.any(axis=0)
        for node, level in clamps.items():
            start[node] = level
            fixed[node] = True
        self.settings, self.dtype, self.state = settings, dtype, start
        self.mov, self.fix = np.flatnonzero(~fixed), np.flatnonzero(fixed)
        # Moving nodes by in-degree (most links first), so each slot of the edge
        # product adds into a leading slice (see EdgeWeights).
        links = (fcm.W != 0) | (fcm.low != fcm.high)
        indegree = links[np.ix_(self.mov, self.mov)].sum(axis=0)
        self.mov = self.mov[np.argsort(-indegree, kind="stable")]
        m = self.mov.size
        pos = np.full(n, -1)
        pos[self.mov] = np.arange(m)
        fpos = np.full(n, -1)
        fpos[self.fix] = np.arange(self.fix.size)
        src, tgt = np.divmod(fcm.uncertain, n)
        into_mov = pos[tgt] >= 0
        from_mov = pos[src] >= 0
        self.sel_mm = np.flatnonzero(into_mov & from_mov)
        self.sel_fm = np.flatnonzero(into_mov & ~from_mov)
        self.at_mm = pos[src[self.sel_mm]] * m + pos[tgt[self.sel_mm]]
        self.at_fm = fpos[src[self.sel_fm]] * m + pos[tgt[self.sel_fm]]
        self.W_mm = fcm.W[np.ix_(self.mov, self.mov)].astype(dtype).ravel()
        self.W_fm = fcm.W[np.ix_(self.fix, self.mov)].astype(dtype).ravel()
        certain = self.W_mm != 0
        certain[self.at_mm] = False
        self._certain_mm = np.flatnonzero(certain)
        self._edge_list = sparse_enough(self._certain_mm.size + self.at_mm.size, self.mov.size)
        self.base_fix = start[self.fix].astype(dtype)[None, :]
        #: Held nodes whose level may vary by draw (the ``levels`` of :meth:`run`): by
        #: default those whose stated level has an interval and that nothing clamps.
        if level_nodes is None:
            level_nodes = [i for i in fcm.uncertain_levels if fixed[i] and i not in clamps]
        elif not all(fixed[i] for i in level_nodes):
            raise InputError("level_nodes must be held nodes (clamped, or nothing acts on them)")
        self.level_nodes = np.array(level_nodes, dtype=np.intp)
        self._level_cols = fpos[self.level_nodes]

    def _edges(self, values: NDArray[np.float64]) -> EdgeWeights:
        """The moving block as per-draw edge weights: certain links, then drawn ones."""
        d = values.shape[0]
        const = np.broadcast_to(self.W_mm[self._certain_mm], (d, self._certain_mm.size))
        drawn = values[:, self.sel_mm]
        return EdgeWeights.from_flat(
            self.mov.size,
            np.concatenate([self._certain_mm, self.at_mm]),
            np.concatenate([const, drawn], axis=1).astype(self.dtype),
        )

    def _block(self, values: NDArray[np.float64], base: NDArray[Any], sel: Any, at: Any) -> Any:
        flat = np.empty((values.shape[0], base.size), dtype=self.dtype)
        flat[:] = base
        flat[:, at] = values[:, sel]
        return flat

    def run(
        self, values: NDArray[np.float64], levels: NDArray[np.float64] | None = None
    ) -> BatchResult:
        """Simulate one chunk given its uncertain weights (from :func:`draw_link_values`).

        ``levels`` (signed, one column per :attr:`level_nodes`, from
        :func:`draw_level_values`) replaces the stated levels of those held nodes.
        """
        batch, base = self.prepare(values, levels)
        return self.finish(iterate(batch, self.settings), base, levels)

    def prepare(
        self, values: NDArray[np.float64], levels: NDArray[np.float64] | None = None
    ) -> tuple[ReducedBatch, NDArray[Any]]:
        """The reduced batch of one chunk and the held nodes' levels per draw.

        :meth:`run` is ``finish(iterate(batch), base, levels)``; the robustness grid
        stacks the batches of several scenarios (same moving nodes) into one iterate.
        """
        d, m, f = values.shape[0], self.mov.size, self.fix.size
        W_mm: NDArray[Any] | EdgeWeights = self.W_mm.reshape(m, m)
        if self.sel_mm.size and self._edge_list:
            W_mm = self._edges(values)
        elif self.sel_mm.size:
            W_mm = self._block(values, self.W_mm, self.sel_mm, self.at_mm).reshape(d, m, m)
        if self.sel_fm.size:
            W_fm = self._block(values, self.W_fm, self.sel_fm, self.at_fm).reshape(d, f, m)
        else:
            W_fm = self.W_fm.reshape(f, m)
        base = np.repeat(self.base_fix, d, axis=0)
        if levels is not None and self.level_nodes.size:
            drawn = to_activation(levels, self.settings.transfer).astype(self.dtype)
            base[:, self._level_cols] = drawn
        start = np.repeat(self.state[None, self.mov].astype(self.dtype), d, axis=0)
        const = constant_input(base, W_fm, self.settings.rule)
        return ReducedBatch(W=W_mm, const=const, start=start), base

    def finish(
        self, core: CoreResult, base: NDArray[Any], levels: NDArray[np.float64] | None = None
    ) -> BatchResult:
        """Full end states of a chunk from the moving nodes' (what :meth:`prepare` fed)."""
        d = core.final.shape[0]
        final = np.broadcast_to(self.state.astype(self.dtype), (d, self.state.size)).copy()
        final[:, self.mov] = core.final
        if levels is not None and self.level_nodes.size:
            final[:, self.level_nodes] = base[:, self._level_cols]
        return BatchResult(final=final, status=core.status, steps=core.steps, period=core.period)
