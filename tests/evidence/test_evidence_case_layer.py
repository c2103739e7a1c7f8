"""The 2022–2024 layer of the shipped case: documented documents, no new links, clean check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadscope.case import Case, validate_case
from dyadscope.case.locate import DocumentLocator
from dyadscope.case.references import read_lines
from dyadscope.case.validate import validate_data
from dyadscope.errors import CaseValidationError, DocumentNotFound
from dyadscope.evidence.store import load_documents
from dyadscope.evidence.tags import Tagger, check_citations, suggest_evidence

SHIPPED = Path(__file__).resolve().parents[2] / "src/dyadscope/case/cases/russia_china.yaml"
NEW_FACTORS = {
    "feb_2022_summit_package",
    "trade_targets_2022",
    "national_currency_settlement",
    "energy_contracts_2022",
    "us_concern_china_support_russia",
    "g7_position_2024",
    "nato_position_2024",
}


def _located(case: Case, documents_dir: Path) -> dict[str, Path]:
    """The case's documents found in the documents folder (by name or by checksum)."""
    locator = DocumentLocator([documents_dir])
    out = {}
    for d in case.documents:
        try:
            out[d.file] = locator.locate(d.file, md5=d.md5, sha256=d.sha256)
        except DocumentNotFound:
            continue
    return out


@pytest.fixture(scope="module")
def case(seeds_dir: Path, documents_dir: Path) -> Case:
    return validate_case(SHIPPED, docs_dir=[seeds_dir, documents_dir])


def test_post_2021_documents_carry_title_issuer_date_and_licence(
    case: Case, documents_dir: Path
) -> None:
    later = [d for d in case.documents if d.year > 2021]
    assert later and {d.file for d in later} <= set(_located(case, documents_dir))
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
    later = set(_located(case, documents_dir))
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


def test_every_white_house_document_of_2023_2024_is_cited(case: Case, documents_dir: Path) -> None:
    """The keyed documents replace names that repeat their own URLs; all four are cited."""
    located = _located(case, documents_dir)
    cited = {doc for doc, found in case.citations().items() if found}
    wh = {p.name for p in documents_dir.glob("wh_*.md")}
    assert wh and wh <= {located[k].name for k in cited if k in located}


def test_nato_evidence_resolves_to_lines_about_nato(case: Case, documents_dir: Path) -> None:
    located = _located(case, documents_dir)
    factor = case.factor("nato_position_2024")
    mentions = 0
    for ev in factor.evidence:
        assert ev.doc in located, ev.doc
        lines = read_lines(located[ev.doc])[ev.span.start - 1 : ev.span.end]
        text = " ".join(lines)
        assert "PRC" in text or "China" in text or "NATO" in text, (ev.doc, ev.lines)
        mentions += "NATO" in text or "North Atlantic" in text
    assert mentions >= len(factor.evidence) - 1  # one cites the line on the PRC text only
    title = read_lines(located[factor.evidence[0].doc])[:10]
    assert any("NATO" in line for line in title)  # the front matter names the summit


def test_the_tagger_reads_keyed_citations(case: Case, seeds_dir: Path, documents_dir: Path) -> None:
    tagger = Tagger(case, load_documents([documents_dir]))
    ev = case.factor("nato_position_2024").evidence[1]
    text = tagger.lines_text(ev.doc, ev.lines)
    assert text is not None and "North Atlantic Council" in text
    assert tagger.files[ev.doc] != ev.doc  # found by checksum, under its archived name
    spoken = {s.role for s in tagger.voice_spans(ev.doc)}
    assert "official" in spoken


def test_suggestions_name_documents_by_the_case_key(case: Case, documents_dir: Path) -> None:
    rows = suggest_evidence(case, [documents_dir], per_factor=3, max_citations=10)
    keyed = {d.file for d in case.documents if d.md5}
    archived = {p.name for p in documents_dir.glob("wh_*.md")} - {d.file for d in case.documents}
    assert not set(rows["doc"]) & archived
    assert set(rows["doc"]) & keyed
