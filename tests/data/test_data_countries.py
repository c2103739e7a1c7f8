"""Country-code harmonisation: historical edge cases, FIPS/CAMEO quirks, vectorisation."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadscope.data import countries
from dyadscope.data.countries import (
    cow_to_iso3,
    from_iso3,
    iso3_to_cow,
    resolve,
    to_iso3,
)
from dyadscope.errors import UnknownCountry


@pytest.mark.parametrize(
    ("ccode", "iso3"),
    [
        (365, "RUS"),  # Russia and the USSR are one COW state
        (710, "CHN"),
        (713, "TWN"),
        (255, "DEU"),
        (260, "DEU"),  # German Federal Republic
        (265, "DDR"),  # German Democratic Republic: withdrawn ISO code
        (345, "SRB"),  # Yugoslavia/Serbia: COW continuity, documented choice
        (678, "YEM"),  # Yemen Arab Republic
        (679, "YEM"),
        (680, "YMD"),  # Yemen People's Republic
        (315, "CSK"),
        (316, "CZE"),
        (2, "USA"),
        (750, "IND"),
    ],
)
def test_cow_to_iso3_edge_cases(ccode: int, iso3: str) -> None:
    assert cow_to_iso3(ccode) == iso3


@pytest.mark.parametrize(
    ("iso3", "ccode"), [("RUS", 365), ("DEU", 255), ("YEM", 679), ("SRB", 345)]
)
def test_iso3_to_cow_primary_code(iso3: str, ccode: int) -> None:
    assert iso3_to_cow(iso3) == ccode
    assert iso3_to_cow(iso3.lower()) == ccode


def test_withdrawn_codes_resolve_to_continuation_states() -> None:
    assert iso3_to_cow("SUN") == 365
    assert iso3_to_cow("YUG") == 345
    assert resolve("USSR") == "RUS"
    assert resolve("Soviet Union") == "RUS"


def test_historic_state_without_iso_is_na_in_bulk_and_named_when_scalar() -> None:
    assert to_iso3([245, 365], "cow") == [None, "RUS"]
    with pytest.raises(UnknownCountry, match="Bavaria"):
        cow_to_iso3(245)


@pytest.mark.parametrize(
    ("fips", "iso3"),
    [
        ("CH", "CHN"),
        ("RS", "RUS"),
        ("UP", "UKR"),
        ("GM", "DEU"),
        ("SF", "ZAF"),
        ("SZ", "CHE"),
        ("UK", "GBR"),
        ("JA", "JPN"),
        ("KS", "KOR"),
        ("IN", "IND"),
        ("TW", "TWN"),
    ],
)
def test_fips_codes_that_differ_from_iso(fips: str, iso3: str) -> None:
    assert to_iso3([fips], "fips") == [iso3]


def test_fips_round_trip_for_states() -> None:
    assert from_iso3(["CHN", "RUS", "UKR", "AUS"], "fips") == ["CH", "RS", "UP", "AS"]


def test_cameo_exceptions_and_regions() -> None:
    got = to_iso3(["ROM", "ZAR", "TMP", "RUS", "SAF", "EUR", "ZAF"], "cameo")
    assert got == ["ROU", "COD", "TLS", "RUS", None, None, "ZAF"]


def test_unknown_code_raises_with_suggestions() -> None:
    with pytest.raises(UnknownCountry, match=r"'RUSS'.*did you mean"):
        to_iso3(["RUSS"], "iso3")
    with pytest.raises(UnknownCountry, match=r"Rusia.*Russia"):
        to_iso3(["Rusia"], "un_name")
    with pytest.raises(UnknownCountry, match="999"):
        to_iso3([999], "cow")


def test_coerce_turns_unknown_into_na() -> None:
    assert to_iso3(["RUS", "XYZ", None], "cameo", errors="coerce") == ["RUS", None, None]


def test_series_in_series_out_keeps_index_and_maps_unique_values_once(monkeypatch) -> None:
    calls: list[object] = []
    original = countries._one_to_iso3

    def counting(value, scheme):
        calls.append(value)
        return original(value, scheme)

    monkeypatch.setattr(countries, "_one_to_iso3", counting)
    codes = pd.Series([365, 710, 365, 710, None] * 1000, index=range(10, 5010))
    out = to_iso3(codes, "cow")
    assert isinstance(out, pd.Series)
    assert out.index.equals(codes.index)
    assert out.iloc[:4].tolist() == ["RUS", "CHN", "RUS", "CHN"]
    assert out.isna().sum() == 1000
    assert sorted(calls) == [365, 710]


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("rus", "RUS"),
        ("CHN", "CHN"),
        ("cn", "CHN"),
        ("Russian Federation", "RUS"),
        ("People's Republic of China", "CHN"),
        ("south korea", "KOR"),
        ("United States", "USA"),
        ("Taiwan", "TWN"),
        ("  india ", "IND"),
    ],
)
def test_resolve_any_spelling(text: str, iso3: str) -> None:
    assert resolve(text) == iso3


def test_resolve_unknown_suggests_close_names() -> None:
    with pytest.raises(UnknownCountry, match="china"):
        resolve("Chnia")


def test_unvotes_names_and_historic_iso2() -> None:
    assert to_iso3(["DD", "YD", "YU", "CS", "NA"], "iso2") == ["DDR", "YMD", "SRB", "CSK", "NAM"]
    assert to_iso3(["Federal Republic of Germany", "Yemen Arab Republic"], "un_name") == [
        "DEU",
        "YEM",
    ]


_STATES = sorted({v for v in countries._tables().cow_to_iso3.values() if v is not None})


@given(st.sampled_from(_STATES))
def test_iso3_round_trips_through_every_scheme(iso3: str) -> None:
    """ISO3 → scheme → ISO3 is the identity wherever the scheme has a code for the state."""
    for scheme in ("cow", "iso2", "fips", "un_name", "cameo", "iso3"):
        code = from_iso3([iso3], scheme, errors="coerce")[0]
        if code is not None:
            assert to_iso3([code], scheme) == [iso3], scheme


# --- one country authority: the same spelling means the same state everywhere ---------

#: (what a user types, the state it names) — names, withdrawn and partly recognised codes.
SPELLINGS = [
    ("russia", "RUS"),
    ("SUN", "RUS"),
    ("XKX", "XKX"),
    ("People's Republic of China", "CHN"),
]


@pytest.fixture(scope="module")
def vendored():
    """The vendored data (the tests/data ``store`` fixture is an empty store)."""
    from dyadscope.data.store import vendored_store

    return vendored_store()


@pytest.mark.parametrize(("text", "iso3"), SPELLINGS)
def test_case_actor_codes_go_through_the_country_layer(text: str, iso3: str) -> None:
    """Case files accept exactly the ISO3 codes the country layer accepts, canonically.

    XKX (Kosovo) was rejected and SUN kept as is, while resolve() reads XKX as Kosovo
    and SUN as Russia; a name is not a code, but the hint names the code resolve() finds.
    """
    from pydantic import ValidationError

    from dyadscope.case.schema import Actor

    if len(text) == 3:
        assert Actor(iso3=text.lower(), name="x").iso3 == iso3 == countries.resolve(text)
    else:
        with pytest.raises(ValidationError, match=f"did you mean {iso3}"):
            Actor(iso3=text, name="x")


def test_case_rejects_a_code_the_country_layer_does_not_know() -> None:
    from pydantic import ValidationError

    from dyadscope.case.schema import Actor

    with pytest.raises(ValidationError, match="'QQQ' is not an ISO 3166-1 alpha-3"):
        Actor(iso3="QQQ", name="x")


@pytest.mark.parametrize(("text", "iso3"), SPELLINGS)
def test_theory_reads_states_like_the_indicators(text: str, iso3: str) -> None:
    """The theory engines read the same spellings as resolve(), with the same COW code."""
    from dyadscope.theory._common import resolve_states

    assert resolve_states(None, [text]) == {iso3: countries.iso3_to_cow(iso3)}


def test_interdependence_accepts_names_like_indicators(vendored) -> None:
    """`interdependence(vendored, "russia", "china")` failed: theory read ISO3 codes only."""
    from dyadscope.indicators import compute
    from dyadscope.theory import interdependence

    by_name = interdependence(vendored, "russia", "china", 2010, 2012)
    by_code = interdependence(vendored, "RUS", "CHN", 2010, 2012)
    assert (by_name.a, by_name.b) == ("RUS", "CHN")
    assert by_name.dependence.notna().any().any()
    pd.testing.assert_frame_equal(by_name.dependence, by_code.dependence)
    assert compute(vendored, "russia", "china", 2010, 2010, only=["capability"]).equals(
        compute(vendored, "RUS", "CHN", 2010, 2010, only=["capability"])
    )


def test_power_accepts_names_for_coalition_and_rival(vendored) -> None:
    from dyadscope.theory import balance_of_power

    res = balance_of_power(vendored, 2000, 2001, coalition=("russia", "PRC"), rival="United States")
    assert set(res.rc_vs_us["coalition"]) == {"RUS+CHN"}
    assert res.rc_vs_us["ratio"].notna().all()
    assert set(res.rc_vs_us["rival"]) == {"USA"}


@pytest.mark.parametrize(
    ("iso3", "year", "ccode"),
    [
        ("DEU", 1970, 260),
        ("DEU", 1989, 260),
        ("DEU", 1990, 255),
        ("DEU", None, 255),
        ("YEM", 1980, 678),
        ("YEM", 1990, 679),
        ("RUS", 1950, 365),
    ],
)
def test_year_aware_cow_codes_agree_everywhere(iso3: str, year: int | None, ccode: int) -> None:
    """COW 260/255 and 678/679: countries.cow_code, Dyad and the theory engines agree."""
    from dyadscope.data.dyad import Dyad
    from dyadscope.theory._common import resolve_states

    assert countries.cow_code(iso3, year) == ccode
    other = "CHN"
    assert Dyad.resolve(iso3, other).cow_codes(year) == (ccode, 710)
    assert resolve_states(None, [iso3.lower()], year=year) == {iso3: ccode}


def test_dyad_resolves_once_and_names_the_parameter() -> None:
    from dyadscope.data.dyad import Dyad
    from dyadscope.errors import InputError

    d = Dyad.resolve("russia", "china")
    assert (d.a, d.b) == ("RUS", "CHN") and tuple(d) == ("RUS", "CHN")
    assert Dyad.resolve(d) is d
    assert Dyad.resolve("SUN", "cn") == d and d.reversed() == Dyad("CHN", "RUS")
    assert Dyad.resolve("XKX", "SRB").cow_codes() == (347, 345)
    with pytest.raises(UnknownCountry, match=r"^b: unknown country 'narnia'"):
        Dyad.resolve("RUS", "narnia")
    with pytest.raises(InputError, match=r"two different states.*RUS"):
        Dyad.resolve("SUN", "russia")
    with pytest.raises(InputError, match=r"^b: missing"):
        Dyad.resolve("RUS")
