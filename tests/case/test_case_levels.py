"""Exogenous levels and lever-only clamps: stated, cited, and checked by ``case validate``."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from dyadscope.case import load_case, validate_case, validate_data

Data = dict[str, Any]


def test_a_factor_without_incoming_links_needs_a_stated_level(
    minimal_data: Data, problems_of: Any
) -> None:
    for key in ("level", "level_interval", "level_rationale", "level_evidence"):
        minimal_data["factors"][0].pop(key)
    assert problems_of(minimal_data) == [
        "factors[0].level: factor 'border_treaty' has no incoming links, so it holds one level "
        "through every run; state it: add `level` (in [-1, 1]), `level_rationale` and at least "
        "one `level_evidence` citation"
    ]


def test_a_level_needs_a_rationale_and_a_citation(minimal_data: Data, problems_of: Any) -> None:
    minimal_data["factors"][1].pop("level_rationale")
    minimal_data["factors"][1]["level_evidence"] = []
    assert problems_of(minimal_data) == [
        "factors[1].level_rationale: a level needs a rationale",
        "factors[1].level_evidence: a level needs at least one citation (doc, lines, stance)",
    ]


def test_level_interval_must_hold_the_level(minimal_data: Data, problems_of: Any) -> None:
    minimal_data["factors"][0]["level_interval"] = [0.9, 1.0]
    assert problems_of(minimal_data) == [
        "factors[0].level_interval: level 0.8 is outside its level_interval [0.9, 1.0]"
    ]


def test_level_citation_is_checked_against_the_documents(
    minimal_data: Data, problems_of: Any, fixture_docs: Path
) -> None:
    minimal_data["factors"][0]["level_evidence"][0]["doc"] = "nowhere.txt"
    assert problems_of(minimal_data) == [
        "factors[0].level_evidence[0].doc: unknown document 'nowhere.txt': not in documents[].file"
    ]
    minimal_data["factors"][0]["level_evidence"][0].update(doc="field_notes.txt", lines="99")
    (problem,) = problems_of(minimal_data, docs_dir=fixture_docs)
    assert problem.startswith("factors[0].level_evidence[0].lines: lines 99 are outside")


def test_clamping_a_non_lever_needs_a_declared_reason(minimal_data: Data, problems_of: Any) -> None:
    minimal_data["scenarios"][1].pop("non_lever_clamps")
    assert problems_of(minimal_data) == [
        "scenarios[1].clamps.trade_complementarity: 'trade_complementarity' is a driver, not a "
        "lever: scenarios move levers and let the map work out the rest; clamp a lever instead, "
        "or name it in `non_lever_clamps` with the reason"
    ]


def test_declared_factor_must_be_clamped(minimal_data: Data, problems_of: Any) -> None:
    minimal_data["scenarios"][1]["non_lever_clamps"]["asymmetry"] = "no reason"
    assert problems_of(minimal_data) == [
        "scenarios[1].non_lever_clamps.asymmetry: 'asymmetry' is declared but not clamped; "
        "remove it or add it to clamps"
    ]


def test_the_fixture_with_its_declaration_is_valid(minimal_data: Data) -> None:
    case = validate_data(minimal_data)
    assert case.scenarios[1].non_lever_clamps == {
        "trade_complementarity": "The test dyad has no lever; the shock hits the driver itself."
    }


def test_shipped_case_states_every_exogenous_level(seeds_dir: Path, documents_dir: Path) -> None:
    path = Path(str(resources.files("dyadscope.case").joinpath("cases", "russia_china.yaml")))
    case = validate_case(path, docs_dir=[seeds_dir, documents_dir])
    targets = {link.target for link in case.links}
    exo = [f for f in case.factors if f.id not in targets and f.kind != "outcome"]
    assert len(exo) >= 22
    for f in exo:
        assert f.level is not None and f.level_rationale and f.level_evidence, f.id
    # scenarios clamp levers only (no mediator such as china_leverage_use is held)
    kinds = {f.id: f.kind for f in case.factors}
    for sc in case.scenarios:
        assert all(kinds[k] == "lever" for k in sc.clamps), sc.id
    # the Arctic scenario moves only what its rationale names
    arctic = next(s for s in case.scenarios if s.id == "arctic_cooperation")
    assert set(arctic.clamps) == {"arctic_cooperation"}


def test_no_hidden_default_level_in_the_engine() -> None:
    """No default activation is left in the scenario package (the audit's hidden 0.5)."""
    root = Path(str(resources.files("dyadscope.scenario")))
    for py in root.glob("*.py"):
        text = py.read_text(encoding="utf-8")
        assert "default_activation" not in text, py.name
        assert not re.search(r"default\s*[:=][^\n]*0\.5", text), py.name
    assert load_case().factor("mutual_nuclear_deterrence").level is not None


def test_levels_docstring_examples_run() -> None:
    import doctest

    from dyadscope.case import levels

    failures, _ = doctest.testmod(levels)
    assert failures == 0
