"""Any pair gets a brief: data-only without a case, and a starter case that validates."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadscope.case import validate_case
from dyadscope.cli import app
from dyadscope.report.brief import BriefOptions, build_brief

FAST = BriefOptions(draws=200, sobol_n=16, seed=3)


@pytest.mark.slow
@pytest.mark.parametrize("pair", [("USA", "CHN"), ("IND", "PAK"), ("RUS", "IND"), ("DEU", "FRA")])
def test_data_only_brief_for_pairs_without_a_case(tmp_path: Path, pair: tuple[str, str]) -> None:
    out = tmp_path / "brief.html"
    build_brief(*pair, output=out, options=FAST)
    html = out.read_text(encoding="utf-8")
    for section in ("overview", "case", "indicators", "events", "theory", "sources"):
        assert f'<section id="{section}"' in html, section
    assert "No case model yet" in html and "case init" in html
    assert "Key judgements" in html
    assert 'id="factor-map"' not in html  # no case, no factor map


def test_cli_brief_without_a_case_writes_a_data_brief(tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    result = CliRunner().invoke(app, ["brief", "usa", "chn", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "United States–China" in out.read_text(encoding="utf-8")


def test_case_init_writes_a_starter_that_validates_and_builds(tmp_path: Path) -> None:
    path = tmp_path / "ind_pak.yaml"
    result = CliRunner().invoke(app, ["case", "init", "IND", "pakistan", "-o", str(path)])
    assert result.exit_code == 0, result.output
    case = validate_case(path)
    assert [a.iso3 for a in case.actors] == ["IND", "PAK"]
    kinds = {f.kind for f in case.factors}
    assert {"driver", "limitation", "friction", "lever", "outcome"} <= kinds
    assert case.links == [] and case.scenarios == [] and case.claims == []
    # No claim: every citation only "mentions" the analyst's own notes.
    stances = {e.stance for f in case.factors for e in f.evidence}
    assert stances == {"mentions"}
    out = tmp_path / "brief.html"
    build_brief("IND", "PAK", case_path=path, output=out, options=FAST)
    assert 'id="factor-map"' in out.read_text(encoding="utf-8")
