"""Fuzzy cognitive maps: the structure, built from a case, and single runs.

A fuzzy cognitive map (FCM) is a signed, weighted directed graph of factors.  Each
factor carries an activation; at every step each activation is recomputed from the
activations of the factors that act on it, passed through a squashing (transfer)
function.  dyadscope uses FCMs to ask "what if" of a case: clamp a few levers, let
the rest of the map settle, and read which outcome ends up most active.

The arithmetic lives in :mod:`dyadscope.scenario.engine` (batched simulator, update
rules, transfer functions, stopping rule); this module holds the map itself, the
mapping from a case's signed levels to activations, and :func:`simulate` for one run
shown step by step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dyadscope.errors import InputError
from dyadscope.scenario.engine import STATUSES, ArrayLike, FCMSettings, simulate_batch

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

FACTOR_KINDS = (
    "driver",
    "limitation",
    "friction",
    "lever",
    "key_variable",
    "outcome",
    "context",
)
#: Transfers whose activations live in [0, 1] rather than [-1, 1].
_UNIT_RANGE = frozenset({"sigmoid", "bivalent"})


@dataclass(frozen=True, eq=False)
class FCM:
    """A fuzzy cognitive map with an uncertainty interval on every weight.

    ``W[i, j]`` is the nominal effect of ``nodes[i]`` on ``nodes[j]``; ``low`` and
    ``high`` bound it (equal where a weight is certain; zero where there is no link).

    >>> import numpy as np
    >>> m = FCM(["a", "b"], ["driver", "outcome"], np.array([[0, 0.5], [0, 0]]))
    >>> m.n, m.index("b")
    (2, 1)
    """

    nodes: Sequence[str]
    kinds: Sequence[str]
    W: NDArray[np.float64]
    low: NDArray[np.float64] | None = None
    high: NDArray[np.float64] | None = None
    labels: Sequence[str] | None = None
    source: str = "user-supplied map"
    levels: NDArray[np.float64] | None = None
    level_low: NDArray[np.float64] | None = None
    level_high: NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        nodes = list(self.nodes)
        n = len(nodes)
        W = np.asarray(self.W, dtype=np.float64)
        low = W.copy() if self.low is None else np.asarray(self.low, dtype=np.float64)
        high = W.copy() if self.high is None else np.asarray(self.high, dtype=np.float64)
        problems: list[str] = []
        if len(set(nodes)) != n:
            problems.append("node ids are not unique")
        if len(self.kinds) != n:
            problems.append(f"{len(self.kinds)} kinds for {n} nodes")
        bad = sorted({k for k in self.kinds if k not in FACTOR_KINDS})
        if bad:
            problems.append(f"unknown kind(s) {bad}; expected one of {list(FACTOR_KINDS)}")
        for name, arr in (("W", W), ("low", low), ("high", high)):
            if arr.shape != (n, n):
                problems.append(f"{name} has shape {arr.shape}, expected {(n, n)}")
            elif not np.all(np.isfinite(arr)):
                problems.append(f"{name} has missing or infinite entries")
        tol = 1e-12
        outside = None if problems else np.less(W, low - tol) | np.greater(W, high + tol)
        if outside is not None and outside.any():
            i, j = np.argwhere(outside)[0]
            problems.append(
                f"weight {nodes[i]} -> {nodes[j]} = {W[i, j]} lies outside its interval "
                f"[{low[i, j]}, {high[i, j]}]"
            )
        if self.labels is not None and len(self.labels) != n:
            problems.append(f"{len(self.labels)} labels for {n} nodes")
        levels = np.full(n, np.nan) if self.levels is None else np.asarray(self.levels, float)
        lvl_lo = levels.copy() if self.level_low is None else np.asarray(self.level_low, float)
        lvl_hi = levels.copy() if self.level_high is None else np.asarray(self.level_high, float)
        for name, arr in (("levels", levels), ("level_low", lvl_lo), ("level_high", lvl_hi)):
            if arr.shape != (n,):
                problems.append(f"{name} has shape {arr.shape}, expected {(n,)}")
            elif np.any(np.abs(arr[~np.isnan(arr)]) > 1.0):
                problems.append(f"{name} must lie in [-1, 1]")
        if problems:
            raise InputError(f"fuzzy cognitive map from {self.source}: " + "; ".join(problems))
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "kinds", list(self.kinds))
        object.__setattr__(self, "labels", list(self.labels or nodes))
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "level_low", lvl_lo)
        object.__setattr__(self, "level_high", lvl_hi)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    def index(self, node: str) -> int:
        """Position of ``node``; :class:`InputError` naming the known nodes if absent."""
        try:
            return list(self.nodes).index(node)
        except ValueError:
            raise InputError(
                f"{self.source}: no factor {node!r}; factors are {list(self.nodes)}"
            ) from None

    def indices_of(self, kind: str) -> list[int]:
        """Positions of the nodes of one kind (e.g. ``"outcome"`` or ``"lever"``)."""
        return [i for i, k in enumerate(self.kinds) if k == kind]

    @property
    def exogenous(self) -> NDArray[np.bool_]:
        """Per node: does nothing act on it (no weight and no interval in its column)?"""
        assert self.low is not None and self.high is not None
        pattern = (self.W != 0) | (self.low != self.high)
        acted_on: NDArray[np.bool_] = pattern.any(axis=0)
        return ~acted_on

    @property
    def uncertain_levels(self) -> NDArray[np.intp]:
        """Positions of the nodes whose stated level has an interval with width."""
        assert self.level_low is not None and self.level_high is not None
        with np.errstate(invalid="ignore"):
            return np.flatnonzero(self.level_high > self.level_low)

    @property
    def uncertain(self) -> NDArray[np.intp]:
        """Flat indices (into ``W.ravel()``) of the weights whose interval has width."""
        assert self.low is not None and self.high is not None
        return np.flatnonzero(self.high > self.low)

    def links(self) -> pd.DataFrame:
        """The links as a tidy frame: source, target, weight, low, high."""
        assert self.low is not None and self.high is not None
        mask = (self.W != 0) | (self.low != self.high)
        i, j = np.nonzero(mask)
        return pd.DataFrame(
            {
                "source": [self.nodes[int(k)] for k in i],
                "target": [self.nodes[int(k)] for k in j],
                "weight": self.W[i, j],
                "low": self.low[i, j],
                "high": self.high[i, j],
            }
        )


def fcm_from_case(case: Case) -> FCM:
    """Build the map of a case: one node per factor, one weight per link.

    The case model (:mod:`dyadscope.case`) gives each link a nominal ``weight`` and an
    ``interval`` ``[low, high]``; a link without an interval is treated as certain.

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> fcm_from_case(load_case()).n  # doctest: +SKIP
    40
    """
    factors = list(case.factors)
    ids = [str(f.id) for f in factors]
    pos = {fid: k for k, fid in enumerate(ids)}
    n = len(ids)
    W = np.zeros((n, n))
    low = np.zeros((n, n))
    high = np.zeros((n, n))
    source = f"case {case.id}"
    for row, link in enumerate(case.links):
        for end in (link.source, link.target):
            if end not in pos:
                raise InputError(
                    f"{source}: link {row} ({link.source} -> {link.target}) names unknown "
                    f"factor {end!r}"
                )
        i, j = pos[link.source], pos[link.target]
        lo, hi = link.interval
        W[i, j], low[i, j], high[i, j] = link.weight, lo, hi
    levels = np.full(n, np.nan)
    level_low = np.full(n, np.nan)
    level_high = np.full(n, np.nan)
    for k, f in enumerate(factors):
        level = f.level
        if level is not None:
            levels[k] = level
            bounds = f.level_interval
            level_low[k], level_high[k] = (level, level) if bounds is None else bounds
    return FCM(
        nodes=ids,
        kinds=[str(f.kind) for f in factors],
        W=W,
        low=low,
        high=high,
        labels=[str(f.label) for f in factors],
        source=source,
        levels=levels,
        level_low=level_low,
        level_high=level_high,
    )


def to_activation(values: ArrayLike, transfer: str) -> NDArray[np.float64]:
    """Map signed case levels in [-1, 1] onto the range of ``transfer``.

    Cases state clamp levels on a signed scale (-1 absent/opposed, 0 neutral, +1 at
    full strength).  Under tanh and trivalent activations are signed too, so levels
    pass through; under sigmoid and bivalent they live in [0, 1] and a level ``v``
    becomes ``(v + 1) / 2``.

    >>> to_activation([-1.0, 0.0, 1.0], "sigmoid").tolist()
    [0.0, 0.5, 1.0]
    """
    arr = np.asarray(values, dtype=np.float64)
    return (arr + 1.0) / 2.0 if transfer in _UNIT_RANGE else arr


def initial_state(
    fcm: FCM,
    transfer: str = "tanh",
    *,
    overrides: Mapping[str, float] | None = None,
) -> NDArray[np.float64]:
    """The starting activations of a case map, on the signed scale then mapped.

    Every factor starts at the ``level`` the case states for it; a factor without a
    stated level starts at 0 (neutral), outcomes included, so where it ends is the
    map's doing.  A factor nothing acts on keeps its starting level through the run,
    so it must have a stated level (or an override): there is no hidden default.
    ``overrides`` sets chosen factors (signed scale), e.g. the clamped levers.

    >>> import numpy as np
    >>> m = FCM(["a", "b"], ["driver", "outcome"], np.array([[0, .5], [0, 0]]),
    ...         levels=np.array([0.4, np.nan]))
    >>> initial_state(m).tolist()
    [0.4, 0.0]
    """
    assert fcm.levels is not None
    signed = np.where(np.isnan(fcm.levels), 0.0, fcm.levels)
    given = dict(overrides or {})
    for node, value in given.items():
        signed[fcm.index(node)] = _level(value, f"initial value of {node!r}")
    missing = [
        fcm.nodes[i]
        for i in map(int, np.flatnonzero(fcm.exogenous & np.isnan(fcm.levels)))
        if fcm.kinds[i] != "outcome" and fcm.nodes[i] not in given
    ]
    if missing:
        raise InputError(
            f"{fcm.source}: factor(s) {missing} have no incoming links and no stated level; "
            "give each a level (the case's `level` field) or pass it in overrides"
        )
    return to_activation(signed, transfer)


def _level(value: float, what: str) -> float:
    v = float(value)
    if not (-1.0 <= v <= 1.0):
        raise InputError(f"{what} is {v}; levels must lie in [-1, 1]")
    return v


@dataclass
class Trajectory:
    """One run of one map, step by step (what :func:`simulate` returns)."""

    states: pd.DataFrame
    status: str
    steps: int
    period: int
    settings: FCMSettings

    @property
    def final(self) -> pd.Series:
        """The last state, indexed by node."""
        return self.states.iloc[-1]


def clamp_arrays(
    fcm: FCM, clamps: Mapping[str, float] | None, transfer: str
) -> tuple[list[int], NDArray[np.float64]]:
    """Clamp positions and levels on the transfer's scale, from signed levels by node id.

    >>> import numpy as np
    >>> m = FCM(["a", "b"], ["lever", "outcome"], np.zeros((2, 2)))
    >>> clamp_arrays(m, {"a": -1.0}, "sigmoid")
    ([0], array([0.]))
    """
    items = list((clamps or {}).items())
    idx = [fcm.index(node) for node, _ in items]
    values = to_activation([_level(v, f"clamp on {node!r}") for node, v in items], transfer)
    return idx, values


def simulate(
    fcm: FCM,
    *,
    initial: Mapping[str, float] | Iterable[float] | None = None,
    clamps: Mapping[str, float] | None = None,
    settings: FCMSettings | None = None,
    weights: NDArray[np.float64] | None = None,
) -> Trajectory:
    """Run one map from one starting state and return every step.

    ``initial`` is either a mapping of signed levels overriding :func:`initial_state`
    or a full vector already on the transfer's scale; ``clamps`` holds levers at signed
    levels; ``weights`` replaces the nominal ``fcm.W``.

    >>> import numpy as np
    >>> m = FCM(["lever", "goal"], ["lever", "outcome"], np.array([[0.0, 0.8], [0.0, 0.0]]))
    >>> simulate(m, clamps={"lever": 1.0}).status
    'fixed_point'
    """
    s = settings or FCMSettings()
    if initial is None or isinstance(initial, Mapping):
        start = initial_state(fcm, s.transfer, overrides={**(initial or {}), **(clamps or {})})
    else:
        start = np.asarray(list(initial), dtype=np.float64)
        if start.shape != (fcm.n,):
            raise InputError(f"initial state has {start.size} values for {fcm.n} nodes")
    idx, values = clamp_arrays(fcm, clamps, s.transfer)
    W = fcm.W if weights is None else np.asarray(weights, dtype=np.float64)
    out = simulate_batch(W, start, s, clamp_idx=idx, clamp_values=values, record=True)
    assert out.history is not None
    states = pd.DataFrame(out.history[:, 0, :], columns=list(fcm.nodes))
    states.index.name = "step"
    return Trajectory(
        states=states,
        status=STATUSES[int(out.status[0])],
        steps=int(out.steps[0]),
        period=int(out.period[0]),
        settings=s,
    )
