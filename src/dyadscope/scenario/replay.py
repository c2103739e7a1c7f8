"""Historical replay: does the map rank first the relationship the sources describe?

A case may carry dated states (``history``): for a period, the levels of its levers
as the sources give them, and the outcome the sources say the relationship was in.
Replaying a state runs the map with those levers clamped (every other stated level
as the case gives it) and checks whether the outcome leading in the largest share of
plausible maps is the one the sources name.  A miss is reported, never hidden: it
says the map, as written, does not reproduce that period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from dyadscope.errors import InputError
from dyadscope.scenario.engine import FCMSettings
from dyadscope.scenario.montecarlo import DEFAULT_MARGIN, run_scenario
from dyadscope.scenario.settings import resolve_settings

if TYPE_CHECKING:
    from dyadscope.case.schema import Case


@dataclass
class ReplayResult:
    """``frame``: state, period, outcome, share, ci_low, ci_high, mean_activation,
    expected (bool: the outcome the sources name), ranked (1 = leads).  ``verdicts``:
    state, period, expected, leading, leading_share, expected_share,
    undetermined_share, match."""

    case_id: str
    frame: pd.DataFrame
    verdicts: pd.DataFrame
    settings: dict[str, Any]


def replay(
    case: Case,
    *,
    draws: int = 4000,
    seed: int = 1,
    margin: float = DEFAULT_MARGIN,
    rule: str | None = None,
    transfer: str | None = None,
    lam: float | None = None,
    max_iter: int | None = None,
    settings: FCMSettings | None = None,
) -> ReplayResult:
    """Run every dated state of ``case`` and compare the leading outcome with the sources.

    The engine runs under ``settings`` or the loose options (see
    :func:`~dyadscope.scenario.settings.resolve_settings`).

    >>> from dyadscope.case import load_case  # doctest: +SKIP
    >>> replay(load_case(), draws=1000).verdicts  # doctest: +SKIP
    """
    s = resolve_settings(settings, rule=rule, transfer=transfer, lam=lam, max_iter=max_iter)
    states = case.history
    if not states:
        raise InputError(
            f"case {case.id!r} has no dated states (its `history` list is "
            "empty); add states with lever levels, an expected outcome and citations"
        )
    frames, verdicts = [], []
    for st in states:
        res = run_scenario(
            case,
            "baseline",
            draws=draws,
            seed=seed,
            settings=s,
            margin=margin,
            clamps=dict(st.levels),
        )
        p = res.probabilities
        out = p[p["category"] == "outcome"].copy()
        out["ranked"] = out["share"].rank(ascending=False, method="min").astype(int)
        out["expected"] = out["outcome"] == st.expected
        out.insert(0, "period", st.period)
        out.insert(0, "state", st.id)
        frames.append(
            out[
                [
                    "state",
                    "period",
                    "outcome",
                    "share",
                    "ci_low",
                    "ci_high",
                    "mean_activation",
                    "expected",
                    "ranked",
                ]
            ]
        )
        shares = out.set_index("outcome")["share"]
        leading = str(shares.sort_values(ascending=False).index[0])
        undetermined = float(p.loc[p["outcome"] == "undetermined", "share"].iloc[0])
        verdicts.append(
            {
                "state": st.id,
                "period": st.period,
                "expected": st.expected,
                "leading": leading,
                "leading_share": float(shares[leading]),
                "expected_share": float(shares.get(st.expected, float("nan"))),
                "undetermined_share": undetermined,
                "match": leading == st.expected,
            }
        )
    return ReplayResult(
        case_id=case.id,
        frame=pd.concat(frames, ignore_index=True),
        verdicts=pd.DataFrame(verdicts),
        settings={
            "draws": draws,
            "seed": seed,
            "margin": margin,
            "rule": s.rule,
            "transfer": s.transfer,
            "lambda": s.lam,
            "max_iter": s.max_iter,
        },
    )
