"""Alliance game: δ*, payoff validation, case-derived payoffs, a seeded tournament."""

from __future__ import annotations

import pytest

from dyadscope.case import load_case
from dyadscope.cli.theory import parse_payoffs
from dyadscope.errors import InputError
from dyadscope.theory.games import (
    BASE_PAYOFFS,
    InvalidPayoffs,
    Payoffs,
    alliance_game,
    critical_discount,
    factor_sensitivity,
    payoff_sensitivity,
    payoffs_from_case,
    tournament,
)


def test_delta_star_axelrod_payoffs() -> None:
    """(T − R) / (T − P) = (5 − 3) / (5 − 1) = 0.5."""
    assert critical_discount((5, 3, 1, 0)) == 0.5
    assert critical_discount(parse_payoffs("5,3,1,0")) == 0.5


def test_delta_star_other_payoffs() -> None:
    """(4, 3, 1, 0): (4 − 3) / (4 − 1) = 1/3; (10, 6, 2, 0): 4 / 8 = 0.5."""
    assert critical_discount((4, 3, 1, 0)) == pytest.approx(1 / 3)
    assert critical_discount((10, 6, 2, 0)) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("payoffs", "message"),
    [
        ((3, 5, 1, 0), "T > R > P > S"),
        ((5, 3, 3, 0), "T > R > P > S"),
        ((5, 3, 1, 2), "T > R > P > S"),
        ((6, 3, 1, 0), "2R > T \\+ S"),
        ((5, 2.5, 1, 0), "2R > T \\+ S"),
        ((5, float("nan"), 1, 0), "finite"),
    ],
)
def test_invalid_payoffs(payoffs, message) -> None:
    with pytest.raises(InvalidPayoffs, match=message):
        Payoffs(*payoffs).validate()
    with pytest.raises(InvalidPayoffs):
        critical_discount(payoffs)


@pytest.mark.parametrize("text", ["5,3,1", "5,3,1,x", "a b c d", "0,1,2,3"])
def test_parse_payoffs_errors(text: str) -> None:
    """Text is parsed at the CLI edge, whose messages name the flag."""
    with pytest.raises(InvalidPayoffs, match="--payoffs"):
        parse_payoffs(text)
    assert issubclass(InvalidPayoffs, InputError)


def test_the_library_takes_typed_payoffs_and_names_parameters() -> None:
    with pytest.raises(InvalidPayoffs) as info:
        alliance_game((0, 1, 2, 3), turns=1, repetitions=1)
    assert "--" not in str(info.value)
    with pytest.raises(InputError, match=r"^turns \(0\) and repetitions \(1\)"):
        tournament(BASE_PAYOFFS, turns=0, repetitions=1)


def test_payoff_sensitivity_matches_formula() -> None:
    """At (5, 3, 1, 0): raising T by 0.5 gives 2.5 / 4.5; lowering R by 0.5 breaks 2R > T + S."""
    table = payoff_sensitivity(BASE_PAYOFFS).set_index("parameter")
    assert table.loc["T", "delta_star_plus"] == pytest.approx(2.5 / 4.5)
    assert table.loc["P", "delta_star_plus"] == pytest.approx(2 / 3.5)
    assert table.loc["R", "delta_star_minus"] != table.loc["R", "delta_star_minus"]  # NaN
    assert table.loc["R", "derivative"] == pytest.approx(-1 / 4)
    assert table.loc["S", "derivative"] == 0


def test_case_payoffs_at_full_levels_are_axelrods() -> None:
    """With every factor at level 1 the documented mapping returns (5, 3, 1, 0) whenever the
    case has at least one driver, limitation, friction and lever (the shipped case does)."""
    case = load_case()
    kinds = {f.kind for f in case.factors}
    assert {"driver", "limitation", "friction", "lever"} <= kinds
    assert payoffs_from_case(case) == BASE_PAYOFFS


def test_factor_moves_shift_delta_star_the_documented_way() -> None:
    case = load_case()
    table = factor_sensitivity(case).set_index("factor")
    by_kind = table.groupby("kind")["change"].apply(lambda s: s.dropna())
    assert (by_kind["driver"] < 0).all()  # drivers raise R, cooperation gets easier
    assert (by_kind["friction"] > 0).all()  # frictions raise T
    assert (by_kind["lever"] < 0).all()  # levers lower P: defection costs more
    with pytest.raises(InputError, match="unknown factor"):
        payoffs_from_case(case, {"no_such_factor": 1.0})


def test_tournament_is_reproducible_with_a_seed() -> None:
    first = tournament(BASE_PAYOFFS, turns=30, repetitions=2, seed=7)
    again = tournament(BASE_PAYOFFS, turns=30, repetitions=2, seed=7)
    assert first.equals(again)
    assert len(first) == 8 and list(first["rank"]) == list(range(1, 9))
    coop = first.set_index("strategy")["cooperation_rate"]
    assert coop["Cooperator"] == 1.0 and coop["Defector"] == 0.0


def test_alliance_game_result() -> None:
    res = alliance_game((5, 3, 1, 0), turns=20, repetitions=1, seed=1)
    assert res.delta_star == 0.5 and res.source == "user"
    out = res.to_dict()
    assert out["payoffs"] == {"T": 5.0, "R": 3.0, "P": 1.0, "S": 0.0}
    assert out["tournament"] and out["assumptions"]
    with pytest.raises(InputError, match="at least 1"):
        tournament(BASE_PAYOFFS, turns=0)


def test_delta_star_per_member_by_hand() -> None:
    """RUS (T, R, P, S) = (5.5, 3.5, 1, 0): δ* = (5.5 - 3.5) / (5.5 - 1) = 2 / 4.5 = 0.4444.
    CHN (4, 3, 1, 0): δ* = (4 - 3) / (4 - 1) = 1/3. Grim trigger needs both: game δ* 0.4444.
    Raising Russia's temptation to 6 (R 3.5, P 1): δ* = 2.5 / 5 = 0.5 (moving an input moves δ*).
    """
    from dyadscope.theory.games import alliance_game

    g = alliance_game(
        members={"RUS": (5.5, 3.5, 1, 0), "CHN": (4, 3, 1, 0)}, turns=5, repetitions=1
    )
    assert g.delta_star_by_member["RUS"] == pytest.approx(2 / 4.5)
    assert g.delta_star_by_member["CHN"] == pytest.approx(1 / 3)
    assert g.delta_star == pytest.approx(2 / 4.5)
    g2 = alliance_game(members={"RUS": (6, 3.5, 1, 0), "CHN": (4, 3, 1, 0)}, turns=5, repetitions=1)
    assert g2.delta_star_by_member["RUS"] == pytest.approx(0.5)
    assert g2.to_dict()["delta_star_by_member"]["CHN"] == pytest.approx(1 / 3)


def test_members_need_two_valid_sides() -> None:
    from dyadscope.theory.games import InvalidPayoffs, alliance_game

    with pytest.raises(InvalidPayoffs, match="exactly two"):
        alliance_game(members={"RUS": (5, 3, 1, 0)}, turns=5, repetitions=1)
    with pytest.raises(InvalidPayoffs, match="payoffs of CHN"):
        alliance_game(members={"RUS": (5, 3, 1, 0), "CHN": (3, 5, 1, 0)}, turns=5, repetitions=1)
