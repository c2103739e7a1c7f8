"""The shipped Russia–China case: valid against the seed documents, found by its pair.

These tests read the real seeds through the ``seeds_dir`` fixture; the product
itself never reads them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from dyadscope.case import Case, find_case, list_cases, load_case, validate_case
from dyadscope.errors import UnknownCase, UnknownCountry


@pytest.fixture(scope="module")
def shipped_path() -> Path:
    path = Path(str(resources.files("dyadscope.case").joinpath("cases", "russia_china.yaml")))
    if not path.is_file():
        pytest.fail(f"the shipped case is missing: {path}")
    return path


@pytest.fixture(scope="module")
def shipped(shipped_path: Path, seeds_dir: Path, documents_dir: Path) -> Case:
    return validate_case(shipped_path, docs_dir=[seeds_dir, documents_dir])


def test_shipped_case_validates_against_the_seeds(shipped: Case) -> None:
    assert shipped.id == "russia_china"
    assert shipped.dyad == ("RUS", "CHN")


def test_every_seed_is_a_document_and_every_document_is_cited(
    shipped: Case, seeds_dir: Path
) -> None:
    files = {d.file for d in shipped.documents}
    assert {p.name for p in seeds_dir.glob("*.txt")} <= files
    uncited = [doc for doc, cites in shipped.citations().items() if not cites]
    assert uncited == []


def test_shipped_case_covers_the_kinds_the_issue_asks_for(shipped: Case) -> None:
    """Issue 3: at least 30 factors, four or more outcomes, drivers through key variables."""
    groups = shipped.factors_by_kind()
    assert len(shipped.factors) >= 30
    assert len(groups.get("outcome", [])) >= 4
    assert {"driver", "limitation", "friction", "key_variable"} <= set(groups)
    assert shipped.links, "the factor map needs weighted links"
    assert shipped.voices(), "expert positions need voiced citations"


def test_load_case_defaults_to_the_shipped_case(shipped: Case) -> None:
    case = load_case()
    assert case.model_dump() == shipped.model_dump()
    assert case.source == "dyadscope/case/cases/russia_china.yaml"


@pytest.mark.parametrize(
    ("a", "b"), [("RUS", "CHN"), ("chn", "rus"), (" Rus ", "cHn"), ("China", "Russia")]
)
def test_find_case_is_order_and_case_insensitive(shipped: Case, a: str, b: str) -> None:
    case = find_case(a, b)
    assert case.id == "russia_china"
    assert case.dyad == ("RUS", "CHN")  # the case's own order is kept


def test_list_cases_names_the_shipped_case(shipped: Case) -> None:
    infos = {info.id: info for info in list_cases()}
    assert infos["russia_china"].actors[:2] == ("RUS", "CHN")
    assert infos["russia_china"].title == shipped.title


def test_unknown_pair_lists_the_cases_available(shipped: Case) -> None:
    with pytest.raises(UnknownCase) as info:
        find_case("usa", "fra")
    message = str(info.value)
    assert message.startswith("no case for USA–FRA; cases available: ")
    assert "RUS–CHN (russia_china)" in message
    assert message.endswith("Give a case file of your own as path.")  # a parameter, no flag


def test_a_case_file_must_be_about_the_pair_asked_for(minimal_path: Path) -> None:
    assert find_case("bra", "arg", path=minimal_path).id == "test_dyad"
    with pytest.raises(UnknownCase, match="is about ARG–BRA, not RUS–CHN"):
        find_case("RUS", "CHN", path=minimal_path)


def test_an_unknown_country_is_named() -> None:
    with pytest.raises(UnknownCountry, match="unknown country 'XYZ'"):
        find_case("XYZ", "CHN")
