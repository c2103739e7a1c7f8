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


def test_india_and_japan_pairs_have_proximity(result) -> None:
    """Capitals, contiguity and minimum distance cover every pair: no NA proximity."""
    s = result.scores.set_index(["perceiver", "source"])
    assert s["proximity"].notna().all()
    assert (s["criteria_used"] == "+".join(CRITERIA)).all()
    row = s.loc[("IND", "JPN")]
    assert row["threat"] == pytest.approx(
        (row["power"] + row["proximity"] + row["capability"] + row["intentions"]) / 4
    )


def test_lsg_worked_example() -> None:
    """2,500 miles (4,023.36 km) at 250 miles a day is 10 days' march:
    exponent log10(10 + 10 - e) = log10(17.281718) = 1.237587; a 0.5 share keeps
    0.5 ** 1.237587 = 0.42406; closeness 1 / 1.237588 = 0.80802. Within e days (0 km)
    the exponent is log10(10 - e) = 0.86223 < 1, so nothing is gained or lost."""
    from dyadscope.theory._threat_data import lsg_discount, lsg_exponent, lsg_proximity

    assert lsg_exponent(4023.36) == pytest.approx(math.log10(20 - math.e))
    assert lsg_exponent(4023.36) == pytest.approx(1.237587, abs=1e-6)
    assert lsg_discount(0.5, 4023.36) == pytest.approx(0.5**1.237587, rel=1e-5)
    assert lsg_proximity(4023.36) == pytest.approx(0.80802, abs=1e-5)
    assert lsg_exponent(0.0) == pytest.approx(0.86223, abs=1e-5)
    assert lsg_discount(0.5, 0.0) == 0.5
    assert lsg_proximity(0.0) == 1.0
    assert lsg_proximity(20000.0) < lsg_proximity(10000.0) < lsg_proximity(2000.0)


def test_capability_is_power_discounted_by_distance(result) -> None:
    """Offensive capability is the milex share projected over the distance, not a copy of it."""
    from dyadscope.theory._threat_data import lsg_discount

    comp = result.components.set_index(["perceiver", "source", "component"])
    s = result.scores.set_index(["perceiver", "source"])
    far = comp.loc[("JPN", "USA", "milex_share_lsg")]
    dist = comp.loc[("JPN", "USA", "min_distance_km"), "raw"]
    assert far["score"] == pytest.approx(lsg_discount(far["raw"], dist))
    assert s.loc[("JPN", "USA"), "capability"] < s.loc[("JPN", "USA"), "power"]
    assert far["raw"] == pytest.approx(s.loc[("JPN", "USA"), "power"])


def test_intentions_exclude_unga_and_count_allies_lower(result) -> None:
    comp = result.components
    assert not (comp["component"] == "unga_disagreement").any()
    tie = comp[comp.component == "atop_tie"].set_index(["perceiver", "source"])["score"]
    assert tie[("JPN", "USA")] == 0.0  # US-Japan defence pact
    assert tie[("JPN", "CHN")] == 0.25  # 1978 treaty: non-aggression (ATOP)
    assert set(tie.dropna()) <= {0.0, 0.25, 0.4, 0.5}


def test_tables_carried_forward_with_a_note(store) -> None:
    res = balance_of_threat(store, 2019, ["USA", "RUS", "CHN", "IND", "JPN"])
    assert any("contiguity 2019: carried forward from 2016" in n for n in res.notes)
    assert any("MIDs 2019" in n for n in res.notes)
    comp = res.components.set_index(["perceiver", "source", "component"])
    row = comp.loc[("RUS", "CHN", "contiguity_type")]
    assert row["raw"] == 1 and row["carried_from"] == 2016


def test_summary_columns(result) -> None:
    cols = [
        "year",
        "state",
        "greatest_threat",
        "threat_score",
        "predicted_alignment",
        "observed_alignment",
        "criteria_used",
    ]
    assert list(result.summary.columns) == cols
    assert len(result.summary) == 5


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


def test_diplomatic_distance_is_one_minus_same_vote(result, store) -> None:
    from dyadscope.indicators import compute

    s = result.scores.set_index(["perceiver", "source"])
    same = compute(store, "RUS", "CHN", 2014, 2014, only=["unga_same_vote"])
    value = same[same.indicator == "unga_same_vote"]["value"].iloc[0]
    assert s.loc[("RUS", "CHN"), "diplomatic_distance"] == pytest.approx(1 - value)


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
    assert "CHN:" in al.loc["RUS", "atop_allies"]
    assert al.loc["JPN", "observed_partner"] == "USA"  # defence pact first
    assert al.loc["JPN", "observed_basis"] == "atop"


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
