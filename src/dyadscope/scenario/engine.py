"""The batched FCM simulator: update rules, transfer functions and stopping rule.

Conventions follow fcmpy's ``FcmSimulator`` exactly, so results can be checked
against it (``tests/scenario/test_scenario_fcmpy_parity.py``):

* ``W[i, j]`` is the effect of node ``i`` on node ``j``; a state is a row vector and
  one Kosko step is ``f(A @ W)``; modified Kosko adds the node's own level,
  ``f(A + A @ W)``; rescaled works on ``2A - 1`` (for activations in [0, 1]).
* A node nothing acts on (a column of ``W`` that is all zero) is exogenous and keeps
  its starting value (``hold_sources=True``).
* A run stops at the first step where no activation moved by more than ``eps``
  (a fixed point), or after ``max_iter`` steps.

Why it is fast: every step is one batched matrix product over all draws of a chunk
(``np.matmul`` over a ``(draws, m, m)`` stack); only the loop over steps is Python.
Nodes that never move (clamped levers, exogenous factors) are folded into a constant
input computed once, so a step only multiplies the ``m`` moving nodes — for a case
map, where many factors are exogenous, most of the work disappears.  Draws that have
settled are dropped from the arrays as they accumulate, and states live in a small
ring buffer that also serves limit-cycle detection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard, get_args

import numpy as np
from numpy.typing import NDArray

from dyadscope.errors import InputError

ArrayLike = float | Sequence[float] | NDArray[Any]
Rule = Literal["kosko", "modified_kosko", "rescaled"]
Transfer = Literal["sigmoid", "tanh", "bivalent", "trivalent"]

RULES: tuple[str, ...] = get_args(Rule)
TRANSFERS: tuple[str, ...] = get_args(Transfer)
#: How a draw ended, in the order of the integer codes used in batch results.
STATUSES = ("fixed_point", "limit_cycle", "no_convergence")
FIXED_POINT, LIMIT_CYCLE, NO_CONVERGENCE = range(3)


def is_rule(value: str) -> TypeGuard[Rule]:
    """Is ``value`` one of :data:`RULES`?  (Narrows a plain string to :data:`Rule`.)"""
    return value in RULES


def is_transfer(value: str) -> TypeGuard[Transfer]:
    """Is ``value`` one of :data:`TRANSFERS`?  (Narrows a plain string to :data:`Transfer`.)"""
    return value in TRANSFERS


#: Restrict the product to the active block only when it saves at least this share.
_SUBMATRIX_GAIN = 0.25


@dataclass(frozen=True)
class FCMSettings:
    """How a map is run: update rule, transfer function and stopping rule.

    ``lam`` is the steepness λ of the transfer (``sigmoid(λx)``, ``tanh(λx)``).
    ``eps`` is fcmpy's ``thresh``: a run has reached a fixed point when no activation
    moved by more than ``eps`` in the last step.  A run that has not, is checked for a
    limit cycle: its last state equals (within ``cycle_tol``, default ``eps``) the
    state ``p`` steps earlier for some period ``2 <= p <= max_period``.

    >>> FCMSettings(rule="kosko", transfer="sigmoid", lam=2.0).max_iter
    30
    """

    rule: Rule = "modified_kosko"
    transfer: Transfer = "tanh"
    lam: float = 1.0
    max_iter: int = 30
    eps: float = 1e-3
    max_period: int = 8
    cycle_tol: float | None = None
    hold_sources: bool = True

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise InputError(f"rule {self.rule!r} is not one of {list(RULES)}")
        if self.transfer not in TRANSFERS:
            raise InputError(f"transfer {self.transfer!r} is not one of {list(TRANSFERS)}")
        if not (np.isfinite(self.lam) and self.lam > 0):
            raise InputError(f"lambda must be a positive number, got {self.lam!r}")
        if self.max_iter < 1:
            raise InputError(f"iterations must be at least 1, got {self.max_iter}")
        if self.eps < 0:
            raise InputError(f"eps must not be negative, got {self.eps}")
        if self.max_period < 2:
            raise InputError(f"max_period must be at least 2, got {self.max_period}")

    @classmethod
    def from_options(
        cls,
        *,
        rule: str = "modified_kosko",
        transfer: str = "tanh",
        lam: float = 1.0,
        max_iter: int = 30,
        eps: float = 1e-3,
    ) -> FCMSettings:
        """Settings from plain option values (strings as a command line gives them).

        The rule and transfer are checked here, so a typo is an :class:`InputError`
        naming the choices rather than a value of the wrong type.

        >>> FCMSettings.from_options(rule="kosko", transfer="sigmoid").rule
        'kosko'
        >>> FCMSettings.from_options(rule="mkosko")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        dyadscope.errors.InputError: rule 'mkosko' is not one of ['kosko', ...]
        """
        if not is_rule(rule):
            raise InputError(f"rule {rule!r} is not one of {list(RULES)}")
        if not is_transfer(transfer):
            raise InputError(f"transfer {transfer!r} is not one of {list(TRANSFERS)}")
        return cls(rule=rule, transfer=transfer, lam=lam, max_iter=max_iter, eps=eps)

    @property
    def tol(self) -> float:
        """Tolerance used to recognise a repeated state."""
        return self.eps if self.cycle_tol is None else self.cycle_tol


@dataclass
class BatchResult:
    """Where each draw of a batch ended.

    ``final`` has shape ``(draws, n)``; ``status`` holds codes into :data:`STATUSES`;
    ``steps`` counts the updates each draw made; ``period`` is the cycle length of a
    limit cycle (0 otherwise); ``history`` (``(steps + 1, draws, n)``) only when asked.
    """

    final: NDArray[np.floating[Any]]
    status: NDArray[np.int8]
    steps: NDArray[np.int32]
    period: NDArray[np.int32]
    history: NDArray[np.floating[Any]] | None = field(default=None, repr=False)


def _transfer(x: NDArray[Any], transfer: str, lam: float) -> None:
    """Squash ``x`` in place."""
    if transfer in ("sigmoid", "tanh") and lam != 1.0:
        x *= lam
    if transfer == "sigmoid":
        from scipy.special import expit  # here: importing scipy.special takes ~0.2 s

        expit(x, out=x)
    elif transfer == "tanh":
        np.tanh(x, out=x)
    elif transfer == "bivalent":
        x[...] = x > 0
    else:
        np.sign(x, out=x)


def _base(A: NDArray[Any], rule: str) -> NDArray[Any]:
    """What the rule multiplies by the weights: the levels, or ``2A - 1`` when rescaled."""
    return 2.0 * A - 1.0 if rule == "rescaled" else A


@dataclass
class EdgeWeights:
    """Per-draw weights of a sparse map by incoming link, never as ``(d, m, m)`` stacks.

    Slot ``k`` holds the ``k``-th incoming link of every node that has more than ``k``:
    node ``tgt[k][i]`` gets ``A[:, src[k][i]] * values[k][:, i]``.  A step's product
    ``A @ W`` is the sum over slots (as many as the largest in-degree), each a gather,
    a product and an add over ``(d, n_k)`` arrays, instead of ``d`` tiny products over
    mostly empty ``(m, m)`` matrices.  When a slot's targets are the first ``n_k``
    nodes (the sampler orders nodes by in-degree) the add is a plain slice.  Each
    draw's sum is taken in the same order whatever the batch size (unlike a BLAS
    product), so a draw's end state never depends on the chunking; it differs from the
    dense product only in the order of the nonzero terms.

    >>> import numpy as np
    >>> W = np.array([[0.0, 0.5], [0.25, 0.0]])
    >>> ew = EdgeWeights.from_flat(2, np.array([1, 2]), W.reshape(1, 4)[:, [1, 2]])
    >>> ew.product(np.array([[1.0, 2.0]]), np.empty((1, 2))).tolist()
    [[0.5, 0.5]]
    """

    tgt: list[NDArray[np.intp]]
    src: NDArray[np.intp]
    values: NDArray[Any]

    @classmethod
    def from_flat(cls, m: int, flat: NDArray[np.intp], values: NDArray[Any]) -> EdgeWeights:
        """Links at flat positions ``flat`` (``i * m + j``) with per-draw ``values``."""
        src, tgt = np.divmod(np.asarray(flat, dtype=np.intp), m)
        slot = np.zeros(src.size, dtype=np.intp)
        seen = np.zeros(m, dtype=np.intp)
        for e in range(src.size):
            slot[e] = seen[tgt[e]]
            seen[tgt[e]] += 1
        order = np.lexsort((tgt, slot))
        tgts = [tgt[order][slot[order] == k] for k in range(int(seen.max()) if src.size else 0)]
        return cls(tgt=tgts, src=src[order], values=np.ascontiguousarray(values[:, order]))

    @property
    def ndim(self) -> int:
        """Three, like a per-draw ``(d, m, m)`` stack (the weights vary by draw)."""
        return 3

    @staticmethod
    def stack(parts: Sequence[EdgeWeights]) -> EdgeWeights | None:
        """The draws of ``parts`` one after another, or None if their links differ."""
        first = parts[0]
        for p in parts[1:]:
            if len(p.tgt) != len(first.tgt) or not np.array_equal(p.src, first.src):
                return None
            if not all(np.array_equal(a, b) for a, b in zip(p.tgt, first.tgt, strict=True)):
                return None
        return EdgeWeights(first.tgt, first.src, np.concatenate([p.values for p in parts]))

    def take(self, keep: NDArray[np.bool_]) -> EdgeWeights:
        """The weights of the draws in ``keep`` only."""
        return EdgeWeights(self.tgt, self.src, self.values[keep])

    def product(self, base: NDArray[Any], out: NDArray[Any]) -> NDArray[Any]:
        """``base @ W`` for every draw, into ``out``: one gather, then an add per slot."""
        out[...] = 0.0
        terms = np.take(base, self.src, axis=1)
        terms *= self.values
        first = 0
        for tgt in self.tgt:
            n = tgt.size
            part = terms[:, first : first + n]
            if tgt[-1] == n - 1:  # targets 0..n-1 in order: a slice
                out[:, :n] += part
            else:
                out[:, tgt] += part
            first += n
        return out


#: Use the edge list when at most this share of the moving block's entries are links.
#: Measured on one core: the shipped case (85 of 1,764, 5 %) runs about 15 % faster
#: (float32; 40 % in float64) with the edge list; the benchmark's 40-node maps (14–15 %)
#: run 20–40 % slower than with per-draw matrices.
EDGE_DENSITY = 0.10


def sparse_enough(links: int, m: int) -> bool:
    """Are ``links`` few enough among ``m × m`` entries for :class:`EdgeWeights`?

    >>> sparse_enough(85, 42), sparse_enough(87, 24)
    (True, False)
    """
    return links <= EDGE_DENSITY * m * m


def _product(base: NDArray[Any], W: NDArray[Any] | EdgeWeights, out: NDArray[Any]) -> NDArray[Any]:
    """``base @ W`` row by row into ``out``: W is one (m, m) matrix, a (d, m, m) stack
    or per-draw :class:`EdgeWeights`."""
    if isinstance(W, EdgeWeights):
        return W.product(base, out)
    if W.ndim == 2:
        return np.matmul(base, W, out=out)
    np.matmul(base[:, None, :], W, out=out[:, None, :])
    return out


def _settled(
    new: NDArray[Any], prev: NDArray[Any], eps: float, buf: NDArray[Any], ones: NDArray[Any]
) -> NDArray[np.bool_]:
    """Per draw: did no activation move by more than ``eps``?  (fcmpy's ``<= thresh``.)

    Counting the activations that stayed within ``eps`` with a matrix-vector product
    is several times faster than ``abs(diff).max(axis=1)``, whose reduction over short
    rows is slow; the count of ones is exact.  A NaN never counts as settled.
    """
    np.subtract(new, prev, out=buf)
    np.abs(buf, out=buf)
    np.less_equal(buf, eps, out=buf, casting="unsafe")
    settled: NDArray[np.bool_] = (buf @ ones) == ones.size
    return settled


@dataclass
class ReducedBatch:
    """A batch cut down to the ``m`` nodes that can move.

    Nodes that never move (clamped levers, exogenous factors) feed the others a
    constant input, computed once: a step is then ``f(A_m @ W_mm + const [+ A_m])``
    over the moving nodes only.  For a case map, where many factors are exogenous or
    clamped, this removes most of the arithmetic.  ``fixed``/``held`` mark moving nodes
    that are nonetheless held in some draws (a column that is zero in one draw only).
    """

    W: NDArray[Any] | EdgeWeights
    const: NDArray[Any]
    start: NDArray[Any]
    fixed: NDArray[np.bool_] | None = None
    held: NDArray[Any] | None = None


@dataclass
class CoreResult:
    """What :func:`iterate` returns: per draw, the moving nodes' end state and how it ended."""

    final: NDArray[Any]
    status: NDArray[np.int8]
    steps: NDArray[np.int32]
    period: NDArray[np.int32]
    history: NDArray[Any] | None


class _Rows:
    """The draws still being iterated, and where each one's results go."""

    def __init__(self, batch: ReducedBatch, ring: NDArray[Any]) -> None:
        d = batch.start.shape[0]
        self.batch = batch
        self.ring = ring
        self.at = np.arange(d)
        self.done = np.zeros(d, dtype=bool)
        self.steps = np.zeros(d, dtype=np.int32)

    def compact(self, out: CoreResult, slot: int) -> None:
        """Write out the settled draws and drop them from the arrays (cheaper steps)."""
        done, keep = self.done, ~self.done
        out.final[self.at[done]] = self.ring[slot][done]
        out.steps[self.at[done]] = self.steps[done]
        out.status[self.at[done]] = FIXED_POINT
        b = self.batch
        W = b.W.take(keep) if isinstance(b.W, EdgeWeights) else b.W
        self.batch = ReducedBatch(
            W=W if W.ndim == 2 or isinstance(W, EdgeWeights) else W[keep],
            const=b.const[keep],
            start=b.start[keep],
            fixed=None if b.fixed is None else b.fixed[keep],
            held=None if b.held is None else b.held[keep],
        )
        self.ring = self.ring[:, keep]
        self.at, self.steps = self.at[keep], self.steps[keep]
        self.done = np.zeros(self.at.size, dtype=bool)


def iterate(batch: ReducedBatch, s: FCMSettings, record: bool = False) -> CoreResult:
    """The update loop over the moving nodes; settled draws are frozen, then dropped.

    Once a quarter of the rows have settled they are written out and removed, so the
    remaining steps only pay for draws still moving.
    """
    d, m = batch.start.shape
    dtype = batch.start.dtype
    ring_len = s.max_period + 1
    ring = np.empty((ring_len, d, m), dtype=dtype)
    ring[0] = batch.start
    out = CoreResult(
        final=np.empty((d, m), dtype=dtype),
        status=np.full(d, NO_CONVERGENCE, dtype=np.int8),
        steps=np.zeros(d, dtype=np.int32),
        period=np.zeros(d, dtype=np.int32),
        history=None,
    )
    history = [batch.start.copy()] if record else None
    rows = _Rows(batch, ring)
    ones = np.ones(m, dtype=dtype)
    t = 0
    for t in range(1, s.max_iter + 1):
        b, ring = rows.batch, rows.ring
        prev, new = ring[(t - 1) % ring_len], ring[t % ring_len]
        base = _base(prev, s.rule)
        _product(base, b.W, new)
        new += b.const
        if s.rule != "kosko":
            new += base
        _transfer(new, s.transfer, s.lam)
        if b.fixed is not None and b.held is not None:
            np.copyto(new, b.held, where=b.fixed)
        settled = _settled(new, prev, s.eps, np.empty_like(new), ones)
        if rows.done.any():
            np.copyto(new, prev, where=rows.done[:, None])
        rows.steps += ~rows.done
        rows.done |= settled
        if history is not None:
            history.append(new.copy())
        if rows.done.all():
            break
        if history is None and rows.done.sum() * 4 >= rows.done.size:
            rows.compact(out, t % ring_len)
    last = t % ring_len
    out.final[rows.at] = rows.ring[last]
    out.steps[rows.at] = rows.steps
    out.status[rows.at[rows.done]] = FIXED_POINT
    cycle, period = _find_cycles(rows.ring, t, ~rows.done, s)
    out.status[rows.at[cycle]] = LIMIT_CYCLE
    out.period[rows.at] = period
    if history is not None:
        out.history = np.stack(history)
    return out


def _find_cycles(
    ring: NDArray[Any], t: int, open_: NDArray[np.bool_], s: FCMSettings
) -> tuple[NDArray[np.bool_], NDArray[np.int32]]:
    """Which unsettled draws repeat a state ``p`` steps back (``2 <= p <= max_period``)."""
    open_ = open_.copy()
    cycle = np.zeros(open_.size, dtype=bool)
    period = np.zeros(open_.size, dtype=np.int32)
    last = ring[t % ring.shape[0]]
    for p in range(2, min(s.max_period, t) + 1):
        if not open_.any():
            break
        gap = np.abs(last - ring[(t - p) % ring.shape[0]]).max(axis=1, initial=0.0)
        hit = open_ & (gap <= s.tol)
        cycle |= hit
        period[hit] = p
        open_ &= ~hit
    return cycle, period


def _prepare(
    W: NDArray[Any],
    initial: ArrayLike,
    clamp_idx: Sequence[int],
    clamp_values: ArrayLike | None,
    hold_sources: bool,
) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.bool_]]:
    """Checked weights, starting states (clamps applied) and the mask of held nodes."""
    W = np.asarray(W)
    if not np.issubdtype(W.dtype, np.floating):
        W = W.astype(np.float64)
    if W.ndim == 3 and W.shape[0] == 1:
        W = W[0]
    if W.ndim not in (2, 3) or W.shape[-1] != W.shape[-2]:
        raise InputError(f"weights must have shape (draws, n, n) or (n, n); got {W.shape}")
    n = W.shape[-1]
    start = np.asarray(initial, dtype=W.dtype)
    idx = np.asarray(clamp_idx, dtype=np.intp)
    if idx.size and clamp_values is None:
        raise InputError("clamp_idx given without clamp_values")
    levels = np.asarray(clamp_values if idx.size else [], dtype=W.dtype)
    d = max(
        W.shape[0] if W.ndim == 3 else 1,
        start.shape[0] if start.ndim == 2 else 1,
        levels.shape[0] if levels.ndim == 2 else 1,
    )
    try:
        A = np.array(np.broadcast_to(start, (d, n)))
        if idx.size:
            A[:, idx] = np.broadcast_to(levels, (d, idx.size))
    except ValueError as exc:
        raise InputError(
            f"initial state or clamp levels do not fit {d} draws of {n} nodes: {exc}"
        ) from None
    fixed = np.zeros((d, n), dtype=bool)
    if hold_sources:
        fixed |= ~np.any(W != 0, axis=-2)
    fixed[:, idx] = True
    return W, A, fixed


def constant_input(A_fixed: NDArray[Any], W_fixed: NDArray[Any], rule: str) -> NDArray[Any]:
    """What the never-moving nodes feed the moving ones each step: ``base(A_f) @ W_fm``.

    ``A_fixed`` is ``(d, f)``; ``W_fixed`` is ``(f, m)`` or ``(d, f, m)``.
    """
    d, m = A_fixed.shape[0], W_fixed.shape[-1]
    return _product(_base(A_fixed, rule), W_fixed, np.empty((d, m), dtype=A_fixed.dtype))


def simulate_batch(
    W: NDArray[np.floating[Any]],
    initial: ArrayLike,
    settings: FCMSettings | None = None,
    *,
    clamp_idx: Sequence[int] = (),
    clamp_values: ArrayLike | None = None,
    record: bool = False,
) -> BatchResult:
    """Run a batch of maps that share a node set; the arithmetic follows ``W.dtype``.

    ``W`` is ``(draws, n, n)``, or ``(n, n)`` for one map shared by every draw;
    ``initial`` is ``(n,)`` or ``(draws, n)``.  Nodes in ``clamp_idx`` are held at
    ``clamp_values`` (``(k,)`` or ``(draws, k)``, on the transfer's scale) at every
    step.  A draw that reaches a fixed point stops there, exactly as if it had been
    run alone.

    >>> import numpy as np
    >>> W = np.array([[0.0, 1.0], [0.0, 0.0]])
    >>> r = simulate_batch(W, [1.0, 0.0], FCMSettings(rule="kosko"))
    >>> round(float(r.final[0, 1]), 4), STATUSES[r.status[0]]
    (0.7616, 'fixed_point')
    """
    s = settings or FCMSettings()
    W, A, fixed = _prepare(W, initial, clamp_idx, clamp_values, s.hold_sources)
    always = fixed.all(axis=0)
    mov, fix = np.flatnonzero(~always), np.flatnonzero(always)
    partial = fixed[:, mov]
    dense: NDArray[Any] = np.ascontiguousarray(W[..., mov[:, None], mov])
    W_mm: NDArray[Any] | EdgeWeights = dense
    if dense.ndim == 3:
        # Per-draw weights over a sparse pattern: the edge list (see EdgeWeights).
        flat = np.flatnonzero(np.any(dense != 0, axis=0))
        if sparse_enough(flat.size, mov.size):
            W_mm = EdgeWeights.from_flat(mov.size, flat, dense.reshape(dense.shape[0], -1)[:, flat])
    batch = ReducedBatch(
        W=W_mm,
        const=constant_input(A[:, fix], W[..., fix[:, None], mov], s.rule),
        start=A[:, mov],
        fixed=partial if partial.any() else None,
        held=A[:, mov] if partial.any() else None,
    )
    core = iterate(batch, s, record)
    final = A.copy()
    final[:, mov] = core.final
    history = None
    if core.history is not None:
        history = np.repeat(A[None], core.history.shape[0], axis=0)
        history[:, :, mov] = core.history
    return BatchResult(
        final=final, status=core.status, steps=core.steps, period=core.period, history=history
    )
