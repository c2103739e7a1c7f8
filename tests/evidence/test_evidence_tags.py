"""Tags, suggestions and the citation check on the shipped case and the seeds."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from dyadscope.case import load_case
from dyadscope.case.validate import validate_data
from dyadscope.cli import app
from dyadscope.evidence.tags import RELEVANCE_THRESHOLD, check_citations, suggest_evidence

SHIPPED = Path(__file__).resolve().parents[2] / "src/dyadscope/case/cases/russia_china.yaml"


def test_off_topic_citation_is_flagged_and_on_topic_one_is_not(seeds_dir: Path) -> None:
    """001:70 is a closing sentence on limits in general (read by hand): nothing about
    banks or sanctions, so it cannot carry `sanctions_chill_chinese_banks`; 001:32
    names Power of Siberia and its bcm, which `energy_pipeline_cooperation` is about."""
    flags = check_citations(load_case(), [seeds_dir])
    relevance = {(f.factor, f.doc, f.lines) for f in flags if f.problem == "relevance"}
    assert ("sanctions_chill_chinese_banks", "001_1533d69b6b02255c.txt", "70") in relevance
    assert not any(f.factor == "energy_pipeline_cooperation" for f in flags)


def test_a_citation_given_to_the_wrong_expert_is_flagged(seeds_dir: Path) -> None:
    """000:17-31 is Robert Legvold's answer (test_evidence_voices); give it to Feng Yujun."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    factor = data["factors"][0]
    factor["evidence"].append(
        {
            "doc": "000_523e34e02eb78b2b.txt",
            "lines": "19-21",
            "stance": "supports",
            "voice": "Feng Yujun",
        }
    )
    case = validate_data(data)
    flags = [f for f in check_citations(case, [seeds_dir]) if f.problem == "voice"]
    assert [(f.factor, f.lines) for f in flags] == [(factor["id"], "19-21")]
    assert "Robert Legvold (expert)" in flags[0].detail


def test_suggestions_are_relevant_and_not_already_cited(seeds_dir: Path) -> None:
    case = load_case()
    frame = suggest_evidence(case, [seeds_dir], per_factor=2, max_citations=2)
    assert len(frame)
    assert (frame.score >= RELEVANCE_THRESHOLD).all()
    assert set(frame.stance) <= {"supports", "contests", "neutral"}
    for row in frame.itertuples():
        factor = case.factor(row.factor)
        assert len(factor.evidence) <= 2
        start, _, end = row.lines.partition("-")
        first, last = int(start), int(end or start)
        for ev in factor.evidence:
            if ev.doc == row.doc:
                assert ev.span.end < first or ev.span.start > last


def test_check_evidence_needs_docs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["case", "validate", str(SHIPPED), "--check-evidence"])
    assert result.exit_code == 2
    assert "--check-evidence needs --docs" in result.output
