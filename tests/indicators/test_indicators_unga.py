"""UNGA agreement: a hand-worked κ, and the all-pairs matrix against the dyad values."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from dyadscope.data.store import Store
from dyadscope.indicators import compute, unga_agreement_matrix


def _tiny(make_store: Callable[..., Store]) -> Store:
    """Four roll calls in 2001 (rcid 1–4) and one in 2002 (rcid 5).

    FRA votes yes, yes, no, abstain; GBR votes yes, no, no, yes; NLD is absent from
    rcid 1 and 2 and votes no, no on 3 and 4. In 2002 only FRA votes.
    """
    votes = pd.DataFrame(
        {
            "rcid": [1, 2, 3, 4, 1, 2, 3, 4, 3, 4, 5],
            "iso3": ["FRA"] * 4 + ["GBR"] * 4 + ["NLD"] * 2 + ["FRA"],
            "vote": ["yes", "yes", "no", "abstain", "yes", "no", "no", "yes", "no", "no", "yes"],
        }
    )
    calls = pd.DataFrame({"rcid": [1, 2, 3, 4, 5], "year": [2001] * 4 + [2002]})
    return make_store(unga_votes=votes, unga_rollcalls=calls)


def test_hand_worked_kappa(make_store: Callable[..., Store]) -> None:
    """FRA–GBR in 2001: identical on rcid 1 and 3, so same-vote = 2/4 = 0.5.

    Marginals on the 4 common votes: FRA yes 2, no 1, abstain 1; GBR yes 2, no 2,
    abstain 0. p_e = (2·2 + 1·2 + 1·0) / 4² = 0.375; κ = (0.5 − 0.375) / 0.625 = 0.2.
    FRA–NLD: common votes rcid 3, 4 (no/no, abstain/no): same 0.5; p_e = (1·2)/4 = 0.5,
    κ = 0. GBR–NLD: no/no, yes/no: same 0.5, p_e = 0.5, κ = 0.
    """
    m = unga_agreement_matrix(_tiny(make_store), 2001)
    assert m[["iso3_a", "iso3_b", "n"]].values.tolist() == [
        ["FRA", "GBR", 4],
        ["FRA", "NLD", 2],
        ["GBR", "NLD", 2],
    ]
    assert m["same_vote"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert m["kappa"].tolist() == pytest.approx([0.2, 0.0, 0.0])


def test_dyad_indicator_uses_the_same_definition(make_store: Callable[..., Store]) -> None:
    """The dyad indicators give the hand-worked 0.5 and 0.2; 2002 has no common vote: NA."""
    df = compute(_tiny(make_store), "fra", "gbr", 2001, 2002, only=["unga"])
    got = df.set_index(["indicator", "year"])["value"]
    assert got[("unga_same_vote", 2001)] == pytest.approx(0.5)
    assert got[("unga_kappa", 2001)] == pytest.approx(0.2)
    assert pd.isna(got[("unga_same_vote", 2002)]) and pd.isna(got[("unga_kappa", 2002)])
    assert got.xs("ideal_point_distance").isna().all()  # no ideal-point table here
    assert any("ideal" in n for n in df.attrs["notes"])


def test_kappa_is_na_without_variation(make_store: Callable[..., Store]) -> None:
    """Both vote yes on every roll call: p_e = 1 and κ is undefined (NA), not 0."""
    votes = pd.DataFrame({"rcid": [1, 2, 1, 2], "iso3": ["FRA"] * 2 + ["GBR"] * 2, "vote": "yes"})
    calls = pd.DataFrame({"rcid": [1, 2], "year": [2001, 2001]})
    m = unga_agreement_matrix(make_store(unga_votes=votes, unga_rollcalls=calls), 2001)
    assert m["same_vote"].tolist() == [1.0]
    assert m["kappa"].isna().all()


def test_matrix_row_equals_dyad_indicator(store: Store) -> None:
    m = unga_agreement_matrix(store, [2000, 2010])
    rc = m[(m.iso3_a == "CHN") & (m.iso3_b == "RUS")].set_index("year")
    df = compute(store, "RUS", "CHN", 2000, 2010, only=["unga_same_vote", "unga_kappa"])
    same = df[df.indicator == "unga_same_vote"].set_index("year")["value"]
    kappa = df[df.indicator == "unga_kappa"].set_index("year")["value"]
    for year, n in [(2000, 75), (2010, 86)]:  # MANIFEST: n=75 (2000), n=86 (2010)
        assert rc.loc[year, "n"] == n
        assert rc.loc[year, "same_vote"] == pytest.approx(same[year], rel=1e-12)
        assert rc.loc[year, "kappa"] == pytest.approx(kappa[year], rel=1e-12)


def test_matrix_has_each_pair_once(store: Store) -> None:
    m = unga_agreement_matrix(store, 2019)
    assert (m["iso3_a"] < m["iso3_b"]).all()
    assert not m.duplicated(["iso3_a", "iso3_b"]).any()
    states = set(m["iso3_a"]) | set(m["iso3_b"])
    assert len(m) <= len(states) * (len(states) - 1) // 2
    assert m["same_vote"].between(0, 1).all() and (m["n"] > 0).all()


def test_a_year_cut_off_in_january_is_missing() -> None:
    """Voeten's roll calls stop on 2020-01-14: without the UN Digital Library votes,
    2020 must be NA, not a share of a few votes."""
    from dyadscope.data.store import vendored_store

    store = vendored_store()
    store.con.execute("DROP TABLE undl_votes")
    row = store.con.execute("SELECT max(date) FROM unga_rollcalls").fetchone()
    assert row is not None
    last = row[0]
    assert (last.year, last.month) == (2020, 1)
    tidy = compute(store, "RUS", "CHN", 2019, 2020, only=["unga_same_vote"])
    values = tidy.set_index("year")["value"]
    assert 0 < values[2019] <= 1
    assert pd.isna(values[2020])
    assert any("2020" in note for note in tidy.attrs["notes"])


def test_a_year_cut_off_in_august_is_missing(store: Store) -> None:
    """With the UN Digital Library votes (GA to 2025-08), 2020-2024 have values and the
    partial 2025 is NA with a note."""
    tidy = compute(store, "RUS", "CHN", 2020, 2025, only=["unga_same_vote"])
    values = tidy.set_index("year")["value"]
    assert values.loc[2020:2024].between(0, 1).all()
    assert pd.isna(values[2025])
    assert any("2025 is NA" in note for note in tidy.attrs["notes"])


@pytest.mark.parametrize("years", [1990, [2019, 2022]])  # Voeten's roll calls; then UNDL votes
def test_matrix_among_some_states_is_a_slice_of_the_full_one(store: Store, years) -> None:
    """``states=`` (what the threat model asks for) keeps each pair's numbers exactly."""
    states = ["USA", "RUS", "CHN", "IND", "JPN"]
    full = unga_agreement_matrix(store, years)
    among = full[full["iso3_a"].isin(states) & full["iso3_b"].isin(states)]
    some = unga_agreement_matrix(store, years, states=states)
    assert len(some) == len(states) * (len(states) - 1) // 2 * (1 if years == 1990 else 2)
    pd.testing.assert_frame_equal(
        some.reset_index(drop=True), among.reset_index(drop=True), check_exact=True
    )
