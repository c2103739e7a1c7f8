"""The 2022–2024 layer of the shipped case: documented documents, no new links, clean check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadscope.case import Case, validate_case
from dyadscope.case.validate import validate_data
from dyadscope.errors import CaseValidationError
from dyadscope.evidence.tags import check_citations

SHIPPED = Path(__file__).resolve().parents[2] / "src/dyadscope/case/cases/russia_china.yaml"
NEW_FACTORS = {
    "feb_2022_summit_package",
    "trade_targets_2022",
    "national_currency_settlement",
    "energy_contracts_2022",
    "us_concern_china_support_russia",
    "g7_position_2024",
}


@pytest.fixture(scope="module")
def case(seeds_dir: Path, documents_dir: Path) -> Case:
    return validate_case(SHIPPED, docs_dir=[seeds_dir, documents_dir])


def test_post_2021_documents_carry_title_issuer_date_and_licence(
    case: Case, documents_dir: Path
) -> None:
    later = [d for d in case.documents if d.year > 2021]
    assert later and {d.file for d in later} <= {p.name for p in documents_dir.iterdir()}
    for d in later:
        assert d.title and d.issuer and d.licence and d.date, d.file
        assert d.date.year == d.year


def test_sources_as_of_is_the_latest_document(case: Case) -> None:
    dates = [d.date for d in case.documents if d.date is not None]
    assert case.sources_as_of == max(dates) >= dt.date(2024, 1, 1)


def test_new_factors_are_cited_and_have_no_links(case: Case, documents_dir: Path) -> None:
    """Scenario results depend on links: the dated layer adds none until one is argued."""
    ids = {f.id for f in case.factors}
    assert ids >= NEW_FACTORS
    touched = {k.source for k in case.links} | {k.target for k in case.links}
    assert not NEW_FACTORS & touched
    later = {p.name for p in documents_dir.iterdir()}
    for fid in NEW_FACTORS:
        assert any(ev.doc in later for ev in case.factor(fid).evidence), fid


def test_new_layer_passes_the_citation_check(
    case: Case, seeds_dir: Path, documents_dir: Path
) -> None:
    flags = check_citations(case, [seeds_dir, documents_dir])
    assert [str(f) for f in flags if f.factor in NEW_FACTORS] == []


def test_a_document_in_no_folder_is_reported_once(seeds_dir: Path, documents_dir: Path) -> None:
    import yaml

    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["documents"][0]["file"] = "absent.txt"
    with pytest.raises(CaseValidationError) as err:
        validate_data(data, docs_dir=[seeds_dir, documents_dir])
    missing = [p for p in err.value.problems if "'absent.txt' not found" in p]
    assert len(missing) == 1
