"""The case model: round trips, lookups, voices, citations, graph exports and JSON Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from dyadscope.case import (
    FACTOR_KINDS,
    Case,
    UnknownFactor,
    case_json_schema,
    graph_to,
    lint_case,
    validate_case,
    validate_data,
)
from dyadscope.errors import InputError


@pytest.fixture
def case(minimal_path: Path) -> Case:
    return validate_case(minimal_path)


def test_yaml_model_json_model_round_trip(case: Case, minimal_path: Path) -> None:
    text = case.model_dump_json()
    again = Case.model_validate_json(text)
    assert again.model_dump() == case.model_dump()
    # The JSON also passes the full validator (references, not only types).
    assert validate_data(json.loads(text)).model_dump() == case.model_dump()
    # And the model keeps what the YAML says: ids, weights, intervals, clamps.
    raw = yaml.safe_load(minimal_path.read_text(encoding="utf-8"))
    assert [lk["weight"] for lk in raw["links"]] == [lk.weight for lk in again.links]
    assert [list(lk["interval"]) for lk in raw["links"]] == [
        list(lk.interval) for lk in again.links
    ]
    assert again.scenarios[1].clamps == raw["scenarios"][1]["clamps"]


def test_models_are_frozen(case: Case) -> None:
    with pytest.raises(ValueError, match="frozen"):
        case.factors[0].label = "changed"  # type: ignore[misc]


def test_dyad_is_the_first_two_actors(case: Case) -> None:
    assert case.dyad == ("ARG", "BRA")


def test_factor_lookup_and_close_matches(case: Case) -> None:
    assert case.factor("asymmetry").label == "Lopsided dependence"
    with pytest.raises(UnknownFactor, match="did you mean asymmetry") as info:
        case.factor("asymetry")
    assert isinstance(info.value, KeyError) and isinstance(info.value, InputError)
    assert str(info.value) == ("case 'test_dyad' has no factor 'asymetry'; did you mean asymmetry?")


def test_factors_by_kind_in_reading_order(case: Case) -> None:
    groups = case.factors_by_kind()
    assert list(groups) == ["driver", "friction", "outcome"]
    assert list(groups) == [k for k in FACTOR_KINDS if k in groups]
    assert [f.id for f in groups["driver"]] == ["border_treaty", "trade_complementarity"]


def test_voices_for_the_expert_table(case: Case) -> None:
    assert [tuple(v) for v in case.voices()] == [
        ("A trade official", "field_notes.txt", "4-5", "trade_complementarity", "supports"),
        ("An economist", "field_notes.txt", "6-7", "asymmetry", "supports"),
    ]


def test_citations_per_document_sorted_by_line(case: Case) -> None:
    cites = case.citations()
    assert list(cites) == ["field_notes.txt", "ministry_bulletin.txt"]
    bulletin = [(c.lines, c.cited_by, c.stance) for c in cites["ministry_bulletin.txt"]]
    assert bulletin == [
        ("2", "factor:trade_complementarity", "mentions"),
        ("4-5", "factor:asymmetry", "contests"),
        ("5", "scenario:trade_shock", "mentions"),
    ]
    notes = [(c.lines, c.cited_by) for c in cites["field_notes.txt"]]
    assert notes[:2] == [
        ("2-3", "factor:border_treaty"),
        ("2-3", "link:border_treaty->partnership"),
    ]


def test_to_graph(case: Case) -> None:
    g = case.to_graph()
    assert isinstance(g, nx.DiGraph)
    assert set(g.nodes) == {f.id for f in case.factors}
    assert g.nodes["asymmetry"]["kind"] == "friction"
    assert g.edges["asymmetry", "partnership"]["weight"] == -0.3
    assert g.edges["asymmetry", "partnership"]["interval"] == (-0.5, -0.1)
    assert g.graph["dyad"] == "ARG-BRA"


def test_graph_json_is_node_link(case: Case) -> None:
    data = json.loads(graph_to(case, "json"))
    g = nx.node_link_graph(data, edges="edges")
    assert g.is_directed() and g.number_of_edges() == 3
    assert g.edges["border_treaty", "partnership"]["interval"] == [0.4, 0.8]


def test_graph_graphml_parses_back(case: Case) -> None:
    g = nx.parse_graphml(graph_to(case, "graphml"))
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 3
    edge = g.edges["trade_complementarity", "partnership"]
    assert (edge["weight"], edge["low"], edge["high"]) == (0.4, 0.2, 0.6)
    assert "indicator" not in g.nodes["asymmetry"]  # missing stays missing, not ""
    assert g.nodes["trade_complementarity"]["indicator"] == "trade_share_a"


DOT_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _hostile(data: dict[str, Any]) -> dict[str, Any]:
    data["factors"][0]["label"] = 'a "quoted" \\ label\nwith <script>alert(1)</script>'
    return data


def test_dot_quotes_arbitrary_labels(minimal_data: dict[str, Any]) -> None:
    dot = graph_to(validate_data(_hostile(minimal_data)), "dot")
    line = next(ln for ln in dot.splitlines() if ln.startswith('  "border_treaty" ['))
    assert r'label="a \"quoted\" \\ label\nwith <script>alert(1)</script>"' in line
    # Outside quoted strings, a node line holds only DOT syntax: the label cannot leak.
    assert DOT_STRING.sub("S", line) == "  S [label=S, kind=S, fillcolor=S];"
    assert dot.count("{") == dot.count("}") == 1


def test_unknown_graph_format(case: Case) -> None:
    with pytest.raises(InputError, match="choose one of json, dot, graphml"):
        graph_to(case, "png")


def test_json_schema_describes_the_file() -> None:
    schema = case_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "id", "title", "summary", "actors", "documents", "factors", "links", "scenarios", "claims",
        "history", "sources_as_of",
    }  # fmt: skip
    factor = schema["$defs"]["Factor"]
    assert factor["properties"]["kind"]["enum"] == list(FACTOR_KINDS)
    assert set(schema["required"]) == {"id", "title", "summary", "actors", "documents", "factors"}
    link = schema["$defs"]["Link"]["properties"]
    assert link["weight"].items() >= {"type": "number", "minimum": -1, "maximum": 1}.items()


def test_lint_is_quiet_on_a_complete_case(case: Case) -> None:
    assert lint_case(case) == []


def test_lint_flags_what_is_probably_unfinished(minimal_data: dict[str, Any]) -> None:
    # The bulletin loses its three citations, a factor is added that no link touches,
    # the link into the outcome is reversed away from it, and a scenario clamps an outcome.
    minimal_data["factors"][1]["evidence"].pop()
    minimal_data["factors"][2]["evidence"].pop()
    minimal_data["scenarios"][1]["evidence"] = []
    minimal_data["factors"].append({**minimal_data["factors"][0], "id": "loner"})
    minimal_data["links"] = [
        {**link, "source": link["target"], "target": link["source"]}
        for link in minimal_data["links"]
    ]
    minimal_data["scenarios"][1]["clamps"] = {"partnership": 0.5}
    minimal_data["scenarios"][1]["non_lever_clamps"] = {"partnership": "a test of the warning"}
    assert lint_case(validate_data(minimal_data)) == [
        "document 'ministry_bulletin.txt' is never cited",
        "factor 'loner' has no link to or from any other factor",
        "outcome 'partnership' has no incoming link, so no scenario can move it",
        "scenario 'trade_shock' clamps outcome 'partnership'; clamp drivers or levers and let "
        "outcomes move",
    ]
