"""Balance of threat: bounds, NA propagation, weights, alignment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadscope.cli.theory import parse_weights
from dyadscope.errors import InputError
from dyadscope.theory._threat_data import haversine_km
from dyadscope.theory.threat import CRITERIA, balance_of_threat, default_states, normalize_weights


@pytest.fixture(scope="module")
def result(store):
    return balance_of_threat(store, 2014)


def test_scores_are_in_unit_interval(result) -> None:
    vals = result.scores[[*CRITERIA, "threat"]].to_numpy(dtype=float)
    finite = vals[np.isfinite(vals)]
    assert finite.size > 0
    assert (finite >= 0).all() and (finite <= 1).all()
    comp = result.components["score"].dropna()
    assert ((comp >= 0) & (comp <= 1)).all()


def test_every_ordered_pair_once(result) -> None:
    assert len(result.scores) == 5 * 4
    assert not result.scores.duplicated(["perceiver", "source"]).any()
    assert result.matrix.shape == (5, 5)
    assert np.isnan(np.diag(result.matrix.to_numpy(dtype=float))).all()


def test_uncovered_proximity_is_na_and_reported(result) -> None:
    """The vendored contiguity/capitals/mindist extracts cover only USA, RUS and CHN."""
    s = result.scores.set_index(["perceiver", "source"])
    assert math.isnan(s.loc[("IND", "JPN"), "proximity"])
    assert s.loc[("IND", "JPN"), "criteria_used"] == "power+capability+intentions"
    assert s.loc[("IND", "JPN"), "weight_used"] == pytest.approx(0.75)
    assert s.loc[("RUS", "CHN"), "criteria_used"] == "+".join(CRITERIA)
    # the score is the mean of the three criteria present (equal weights renormalised)
    row = s.loc[("IND", "JPN")]
    assert row["threat"] == pytest.approx(
        (row["power"] + row["capability"] + row["intentions"]) / 3
    )
    comp = result.components
    ind_jpn = comp[(comp.perceiver == "IND") & (comp.source == "JPN")]
    assert ind_jpn.set_index("component").loc["mid_years", "score"] != 0
    assert math.isnan(ind_jpn.set_index("component").loc["mid_years", "score"])


def test_ru_cn_proximity_from_real_tables(result, shared_data) -> None:
    """RU–CN: land border (conttype 1) and mindist 0 km in the extracts; capitals Moscow–Beijing."""
    caps = pd.read_csv(shared_data / "peacesciencer" / "cow_capitals_RU_CN_US.csv")
    mos = caps[caps["capital"] == "Moscow"].iloc[0]
    bei = caps[caps["capital"] == "Beijing"].iloc[0]
    d = haversine_km(mos["lat"], mos["lng"], bei["lat"], bei["lng"])
    comp = result.components
    rc = comp[(comp.perceiver == "RUS") & (comp.source == "CHN")].set_index("component")
    assert rc.loc["contiguity_type", "raw"] == 1
    assert rc.loc["contiguity_type", "score"] == 1.0
    assert rc.loc["capital_distance_km", "raw"] == pytest.approx(d)
    assert 5000 < d < 6500


def test_unga_disagreement_is_one_minus_same_vote(result, store) -> None:
    from dyadscope.indicators import compute

    comp = result.components
    row = comp[
        (comp.perceiver == "RUS") & (comp.source == "CHN") & (comp.component == "unga_disagreement")
    ]
    same = compute(store, "RUS", "CHN", 2014, 2014, only=["unga_same_vote"])
    value = same[same.indicator == "unga_same_vote"]["value"].iloc[0]
    assert row["raw"].iloc[0] == pytest.approx(1 - value)


def test_weights_change_scores(store) -> None:
    only_power = balance_of_threat(store, 2014, ["USA", "RUS", "CHN"], weights={"power": 1})
    s = only_power.scores
    assert np.allclose(s["threat"], s["power"])
    assert (s["criteria_used"] == "power").all()


def test_alignment_frame(result) -> None:
    al = result.alignment.set_index("state")
    assert set(al.index) == {"USA", "RUS", "CHN", "IND", "JPN"}
    for state, row in al.iterrows():
        if row["greatest_threat"] is not None:
            assert row["greatest_threat"] != state
            assert row["predicted_partner"] not in (state, row["greatest_threat"])
    matches = al["matches_unga"].dropna().astype(float)
    assert result.match_rate == pytest.approx(matches.mean())
    # ATOP covers only USA/RUS/CHN in the vendored extract
    assert pd.isna(al.loc["IND", "atop_allies"])
    assert "CHN:" in al.loc["RUS", "atop_allies"]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("power=-1", "must be finite"),
        ("speed=1", "unknown criterion"),
        ("power", "--weights: 'power' is not NAME=NUMBER"),
        ("power=x", "--weights: weight of 'power' is not a number"),
        ("power=0", "above 0"),
    ],
)
def test_bad_weights(weights: str, message: str) -> None:
    """Text is parsed at the CLI edge (flag named); values are checked by the engine."""
    with pytest.raises(InputError, match=message):
        normalize_weights(parse_weights(weights))


def test_weights_are_typed_in_the_library() -> None:
    assert normalize_weights({"Power": 2, "intentions": 2})["power"] == 0.5
    with pytest.raises(InputError, match="give a mapping"):
        normalize_weights("power=1")  # type: ignore[arg-type]


def test_default_states_and_bad_year(store) -> None:
    assert default_states("RUS", "KAZ")[-1] == "KAZ"
    with pytest.raises(InputError, match="outside"):
        balance_of_threat(store, 1700)
    with pytest.raises(InputError, match="two distinct"):
        balance_of_threat(store, 2014, ["USA", "usa"])


@given(
    st.dictionaries(
        st.sampled_from(CRITERIA), st.floats(min_value=0, max_value=10), min_size=1
    ).filter(lambda w: sum(w.values()) > 0)
)
def test_parsed_weights_sum_to_one(weights: dict[str, float]) -> None:
    w = normalize_weights(weights)
    assert sum(w.values()) == pytest.approx(1.0)
    assert all(v >= 0 for v in w.values())


@given(
    st.lists(
        st.one_of(st.floats(min_value=0, max_value=1), st.just(float("nan"))),
        min_size=4,
        max_size=4,
    )
)
def test_combined_score_bounds_and_na(values: list[float]) -> None:
    """One pair, one component per criterion: the score stays in [0, 1], is NA only when
    every criterion is NA, and equals the mean of the criteria present (equal weights)."""
    from dyadscope.theory.threat import _combine

    comp = pd.DataFrame(
        {
            "perceiver": "AAA",
            "source": "BBB",
            "criterion": list(CRITERIA),
            "component": list(CRITERIA),
            "raw": values,
            "score": values,
        }
    )
    row = _combine(comp, normalize_weights(None)).iloc[0]
    present = [v for v in values if not math.isnan(v)]
    if present:
        assert 0.0 <= row["threat"] <= 1.0
        assert row["threat"] == pytest.approx(sum(present) / len(present))
        assert row["weight_used"] == pytest.approx(len(present) / 4)
    else:
        assert math.isnan(row["threat"])
        assert pd.isna(row["criteria_used"])


@pytest.mark.parametrize(
    ("year", "expected"),
    [(1970, {"DEU": 260, "YEM": 678}), (1990, {"DEU": 255, "YEM": 679}), (None, {"DEU": 255})],
)
def test_states_get_the_cow_code_of_the_year(store, year, expected) -> None:
    """DEU in 1970 is West Germany (COW 260); 1990, in both codes, goes to the unified state."""
    from dyadscope.theory._common import resolve_states

    codes = resolve_states(store, list(expected), year=year)
    assert codes == expected


def test_west_germany_has_capability_in_a_1970_threat_matrix(store) -> None:
    res = balance_of_threat(store, 1970, states=["USA", "RUS", "DEU"])
    assert res.matrix.loc["DEU"].drop("DEU").notna().all()
