"""The alliance game: an iterated prisoner's dilemma between the two states.

Each state can cooperate (keep the partnership) or defect (exploit it).  With
payoffs T (temptation), R (reward for mutual cooperation), P (punishment for
mutual defection) and S (sucker's payoff), the one-shot game is a prisoner's
dilemma when ``T > R > P > S``; in the repeated game ``2R > T + S`` keeps mutual
cooperation better than taking turns exploiting each other (Axelrod 1984,
*The Evolution of Cooperation*).  The thesis likens alliance politics to this
dilemma (``004_aa016b3768031b75.txt:312-318``).

Under grim trigger (cooperate until the other defects, then defect for ever),
cooperation is an equilibrium when the discount factor δ (how much the future
counts) is at least ``δ* = (T - R) / (T - P)`` (Friedman 1971; any game-theory
text, e.g. Gibbons 1992, ch. 2).  A lower δ* means cooperation is easier to
sustain.

Payoffs come from the user or from a case (see :func:`payoffs_from_case`); a
tournament of standard strategies is played with the ``axelrod`` library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from dyadscope.errors import InputError
from dyadscope.errors import InvalidPayoffs as InvalidPayoffs  # re-exported: its old home
from dyadscope.theory._common import TheoryResult

if TYPE_CHECKING:
    from dyadscope.case import Case

__all__ = [
    "BASE_PAYOFFS",
    "KIND_EFFECTS",
    "GameResult",
    "InvalidPayoffs",
    "Payoffs",
    "alliance_game",
    "critical_discount",
    "payoffs_from_case",
    "tournament",
]


class Payoffs(NamedTuple):
    """Prisoner's-dilemma payoffs (T, R, P, S) for the row player."""

    T: float
    R: float
    P: float
    S: float

    def validate(self, where: str = "payoffs") -> Payoffs:
        """Return self, or raise :class:`InvalidPayoffs` saying which condition fails.

        >>> Payoffs(5, 3, 1, 0).validate()
        Payoffs(T=5, R=3, P=1, S=0)
        """
        t, r, p, s = self
        if not all(np.isfinite([t, r, p, s])):
            raise InvalidPayoffs(
                f"{where} (T, R, P, S) = {tuple(self)}: every payoff must be finite"
            )
        if not t > r > p > s:
            raise InvalidPayoffs(
                f"{where} (T, R, P, S) = {tuple(self)}: a prisoner's dilemma needs T > R > P > S"
            )
        if not 2 * r > t + s:
            raise InvalidPayoffs(
                f"{where} (T, R, P, S) = {tuple(self)}: the iterated game needs 2R > T + S "
                f"({2 * r} <= {t + s}), else alternating exploitation beats cooperation"
            )
        return self


#: Axelrod's standard payoffs, the neutral starting point for case-derived payoffs.
BASE_PAYOFFS = Payoffs(5.0, 3.0, 1.0, 0.0)

#: How one unit of a factor kind's mean level moves each payoff (dT, dR, dP, dS).
#: Drivers raise the reward of cooperating; limitations cap it and make being
#: exploited costlier; frictions raise the temptation to defect; levers (outside
#: pressure such as sanctions) make mutual defection costlier.  Other kinds
#: (key variables, context, outcomes) do not enter the payoffs.
KIND_EFFECTS: dict[str, tuple[float, float, float, float]] = {
    "driver": (0.0, 1.0, 0.0, 0.0),
    "limitation": (0.0, -0.5, 0.0, -0.5),
    "friction": (1.0, 0.0, 0.0, 0.0),
    "lever": (0.0, 0.0, -0.5, 0.0),
}
#: Starting payoffs for case derivation: with every factor at level 1 they return
#: :data:`BASE_PAYOFFS` exactly, so a case whose kinds balance keeps δ* = 0.5.
_CASE_ORIGIN = Payoffs(4.0, 2.5, 1.5, 0.5)


def critical_discount(payoffs: Payoffs | tuple[float, float, float, float]) -> float:
    """Grim-trigger critical discount factor δ* = (T − R) / (T − P).

    For Axelrod's payoffs (5, 3, 1, 0): (5 − 3) / (5 − 1) = 0.5.

    >>> critical_discount((5, 3, 1, 0))
    0.5
    """
    t, r, p, _ = Payoffs(*payoffs).validate()
    return (t - r) / (t - p)


def _kind_levels(case: Case, levels: Mapping[str, float] | None) -> dict[str, float]:
    """Mean level per factor kind: every factor at 1 unless ``levels`` says otherwise."""
    known = {f.id for f in case.factors}
    unknown = sorted(set(levels or {}) - known)
    if unknown:
        raise InputError(
            f"factor levels: unknown factor id(s) {', '.join(unknown)} in case {case.id}"
        )
    out: dict[str, float] = {}
    for kind in KIND_EFFECTS:
        vals = [float((levels or {}).get(f.id, 1.0)) for f in case.factors if f.kind == kind]
        out[kind] = float(np.mean(vals)) if vals else 0.0
    return out


def payoffs_from_case(case: Case, levels: Mapping[str, float] | None = None) -> Payoffs:
    """Payoffs implied by a case's factors at the given levels (default: all at 1).

    Each payoff is ``_CASE_ORIGIN + Σ_kind mean_level(kind) × KIND_EFFECTS[kind]``:
    the mean level of a kind's factors (so a case with many drivers does not
    outweigh one with a few strong ones), times that kind's effect.  Levels are in
    [-1, 1] like a scenario's clamps; ``levels`` maps factor ids to levels.
    With every factor at 1 the payoffs are (5, 3, 1, 0); raising frictions raises
    T, raising drivers raises R, raising levers lowers P.

    >>> payoffs_from_case(load_case())  # doctest: +SKIP
    Payoffs(T=5.0, R=3.0, P=1.0, S=0.0)
    """
    kinds = _kind_levels(case, levels)
    delta = np.zeros(4)
    for kind, level in kinds.items():
        delta += level * np.asarray(KIND_EFFECTS[kind])
    values = np.asarray(_CASE_ORIGIN) + delta
    return Payoffs(*(round(float(v), 12) for v in values)).validate(f"payoffs from case {case.id}")


def payoff_sensitivity(payoffs: Payoffs, step: float = 0.5) -> pd.DataFrame:
    """How δ* moves when each payoff moves by ±``step`` (others fixed).

    Columns: parameter, value, delta_star_minus, delta_star, delta_star_plus,
    derivative (∂δ*/∂parameter, exact).  A move that breaks the dilemma gives NA.
    """
    t, r, p, _ = payoffs
    base = critical_discount(payoffs)
    derivative = {
        "T": (r - p) / (t - p) ** 2,
        "R": -1.0 / (t - p),
        "P": (t - r) / (t - p) ** 2,
        "S": 0.0,
    }
    rows = []
    for i, name in enumerate(Payoffs._fields):
        moved = []
        for sign in (-1, 1):
            vals = list(payoffs)
            vals[i] += sign * step
            moved.append(_safe_delta(Payoffs(*vals)))
        rows.append((name, payoffs[i], moved[0], base, moved[1], derivative[name]))
    return pd.DataFrame(
        rows,
        columns=[
            "parameter",
            "value",
            "delta_star_minus",
            "delta_star",
            "delta_star_plus",
            "derivative",
        ],
    )


def factor_sensitivity(case: Case, levels: Mapping[str, float] | None = None) -> pd.DataFrame:
    """How δ* moves as each factor moves from level -1 to +1 (others as given).

    Columns: factor, kind, label, delta_star_at_minus1, delta_star_at_plus1,
    change (plus minus minus).  Factors of kinds that do not enter the payoffs are
    left out; a level that breaks the dilemma gives NA.
    """
    rows = []
    for f in case.factors:
        if f.kind not in KIND_EFFECTS:
            continue
        at = {}
        for level in (-1.0, 1.0):
            moved = {**(levels or {}), f.id: level}
            try:
                at[level] = critical_discount(payoffs_from_case(case, moved))
            except InvalidPayoffs:
                at[level] = np.nan
        rows.append((f.id, f.kind, f.label, at[-1.0], at[1.0], at[1.0] - at[-1.0]))
    return pd.DataFrame(
        rows,
        columns=[
            "factor",
            "kind",
            "label",
            "delta_star_at_minus1",
            "delta_star_at_plus1",
            "change",
        ],
    )


def _safe_delta(payoffs: Payoffs) -> float:
    try:
        return critical_discount(payoffs)
    except InvalidPayoffs:
        return float("nan")


#: The strategies of the tournament (axelrod class names): unconditional, reciprocal,
#: forgiving, grim (Grudger) and random play.
STRATEGIES: tuple[str, ...] = (
    "Cooperator",
    "Defector",
    "TitForTat",
    "Grudger",
    "TitFor2Tats",
    "GTFT",
    "WinStayLoseShift",
    "Random",
)


#: Most turns per match and repetitions per match of one tournament (its run time
#: grows with their product; the defaults are 200 and 5).
MAX_TURNS = 10_000
MAX_REPETITIONS = 1_000


def axelrod_available() -> bool:
    """Whether the optional axelrod library (extra ``games``) can be imported."""
    import importlib.util

    return importlib.util.find_spec("axelrod") is not None


def tournament(
    payoffs: Payoffs, *, turns: int = 200, repetitions: int = 5, seed: int = 1
) -> pd.DataFrame:
    """A round-robin tournament of :data:`STRATEGIES` under ``payoffs`` (axelrod library).

    Returns one row per strategy, best first: rank, strategy, mean score per turn,
    median score per turn, wins, cooperation rate.  Seeded, single-process, so the
    same arguments give the same table.
    """
    import axelrod as axl

    if turns < 1 or repetitions < 1:
        raise InputError(f"turns ({turns}) and repetitions ({repetitions}) must be at least 1")
    if turns > MAX_TURNS or repetitions > MAX_REPETITIONS:
        raise InputError(
            f"turns ({turns}) and repetitions ({repetitions}) must be at most {MAX_TURNS:,} "
            f"and {MAX_REPETITIONS:,} (MAX_TURNS, MAX_REPETITIONS)"
        )
    players = [getattr(axl, name)() for name in STRATEGIES]
    t, r, p, s = payoffs
    game = axl.Game(r=r, s=s, t=t, p=p)
    tour = axl.Tournament(players, game=game, turns=turns, repetitions=repetitions, seed=seed)
    res = tour.play(progress_bar=False, processes=None, build_results=True)
    scores = np.asarray(res.normalised_scores, dtype=float)
    frame = pd.DataFrame(
        {
            "strategy": [str(pl) for pl in players],
            "mean_score": scores.mean(axis=1),
            "median_score": np.median(scores, axis=1),
            "wins": np.asarray(res.wins).sum(axis=1),
            "cooperation_rate": np.asarray(res.cooperating_rating, dtype=float),
        }
    )
    frame = frame.sort_values(["mean_score", "strategy"], ascending=[False, True], kind="stable")
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame.reset_index(drop=True)


@dataclass
class GameResult(TheoryResult):
    """Alliance-game result: payoffs, δ*, its sensitivity, and a tournament.

    * ``sensitivity``: δ* under ±0.5 moves of each payoff (with exact derivative).
    * ``factors``: δ* as each case factor moves from -1 to +1 (empty without a case).
    * ``tournament``: strategies ranked by mean score per turn.
    """

    payoffs: Payoffs = BASE_PAYOFFS
    delta_star: float = 0.5
    source: str = "user"
    turns: int = 200
    repetitions: int = 5
    seed: int = 1
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    factors: pd.DataFrame = field(default_factory=pd.DataFrame)
    tournament: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Each member's own payoffs and δ* when the sides differ (empty when symmetric).
    members: dict[str, Payoffs] = field(default_factory=dict)

    @property
    def delta_star_by_member(self) -> dict[str, float]:
        """δ* per member: each side's grim-trigger threshold from its own payoffs."""
        if not self.members:
            return {"both": self.delta_star}
        return {m: critical_discount(p) for m, p in self.members.items()}

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: tournament (main), sensitivity, factors."""
        return {
            "tournament": self.tournament,
            "sensitivity": self.sensitivity,
            "factors": self.factors,
        }

    def scalars(self) -> dict[str, Any]:
        """Payoffs, δ*, where the payoffs came from, and the tournament settings."""
        return {
            "payoffs": dict(self.payoffs._asdict()),
            "delta_star": self.delta_star,
            "delta_star_by_member": self.delta_star_by_member,
            "payoffs_by_member": {m: dict(p._asdict()) for m, p in self.members.items()},
            "payoff_source": self.source,
            "turns": self.turns,
            "repetitions": self.repetitions,
            "seed": self.seed,
        }


def alliance_game(
    payoffs: Payoffs | tuple[float, float, float, float] | None = None,
    case: Case | None = None,
    turns: int = 200,
    repetitions: int = 5,
    seed: int = 1,
    *,
    levels: Mapping[str, float] | None = None,
    members: Mapping[str, Payoffs | tuple[float, float, float, float]] | None = None,
    play_tournament: bool = True,
) -> GameResult:
    """δ*, its sensitivity and a strategy tournament for the given or case-derived payoffs.

    ``payoffs`` (T, R, P, S) wins over ``case``; with neither, Axelrod's (5, 3, 1, 0)
    is used.
    ``levels`` sets case factors' levels (e.g. a scenario's clamps).
    ``members`` maps each state to its own payoffs (an asymmetric game): each side's
    δ* is then ``(T_i - R_i) / (T_i - P_i)`` and cooperation under grim trigger
    needs both to hold, so the game's ``delta_star`` is the larger of the two.

    >>> g = alliance_game(members={"RUS": (5.5, 3.5, 1, 0), "CHN": (4, 3, 1, 0)}, turns=5,
    ...                   repetitions=1)
    >>> {m: round(d, 4) for m, d in g.delta_star_by_member.items()}, round(g.delta_star, 4)
    ({'RUS': 0.4444, 'CHN': 0.3333}, 0.4444)

    ``play_tournament=False`` skips the tournament (and never imports axelrod), so
    the result is the same whichever extras are installed.

    >>> alliance_game((5, 3, 1, 0), turns=20, repetitions=1).delta_star
    0.5
    """
    sides = {str(m): Payoffs(*p).validate(f"payoffs of {m}") for m, p in (members or {}).items()}
    if members is not None and len(sides) != 2:
        raise InvalidPayoffs(f"members: give payoffs for exactly two states; got {list(sides)}")
    if sides and payoffs is None:
        pay = max(sides.values(), key=critical_discount)
        source = "user, per member"
    elif payoffs is not None:
        pay = Payoffs(*payoffs).validate()
        source = "user"
    elif case is not None:
        pay = payoffs_from_case(case, levels)
        source = f"case {case.id}"
    else:
        pay, source = BASE_PAYOFFS, "default (Axelrod 1984)"
    assumptions = _assumptions(source, play_tournament)
    if not play_tournament:
        played = pd.DataFrame()
    elif axelrod_available():
        played = tournament(pay, turns=turns, repetitions=repetitions, seed=seed)
    else:
        played = pd.DataFrame()
        assumptions.append(
            "No tournament was played: the axelrod library is not installed "
            "(pip install 'dyadscope[games]' installs it, with the torch and dask it imports)."
        )
    return GameResult(
        assumptions=assumptions,
        payoffs=pay,
        delta_star=critical_discount(pay),
        source=source,
        turns=turns,
        repetitions=repetitions,
        seed=seed,
        sensitivity=payoff_sensitivity(pay),
        factors=factor_sensitivity(case, levels) if case is not None else pd.DataFrame(),
        tournament=played,
        members=sides,
    )


def _assumptions(source: str, tournament: bool = True) -> list[str]:
    out = [
        "The relationship is modelled as a symmetric iterated prisoner's dilemma: both states "
        "rank outcomes the same way and play the same game every round.",
        "δ* is the grim-trigger threshold: cooperation is sustainable if the states value the "
        "future at least that much; it says nothing about how much they actually do.",
    ]
    if tournament:
        out.append(
            "The tournament pits textbook strategies against each other; it shows which kinds "
            "of conduct pay under these payoffs, not what either state will do."
        )
    if source.startswith("case"):
        out.append(
            "Case-derived payoffs start from Axelrod's (5, 3, 1, 0) with every factor at level 1; "
            "drivers raise R, limitations lower R and S, frictions raise T, levers lower P, each "
            "by the mean level of its kind (see KIND_EFFECTS). The mapping is a modelling choice."
        )
    return out
