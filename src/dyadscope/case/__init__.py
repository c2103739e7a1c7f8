"""The case model: a dyad's drivers, frictions, links and scenarios as checked data.

>>> from dyadscope.case import load_case
>>> case = load_case()  # the shipped Russia–China case  # doctest: +SKIP
>>> case.dyad  # doctest: +SKIP
('RUS', 'CHN')
"""

from __future__ import annotations

from dyadscope.case._lines import LineRange, LineRangeError
from dyadscope.case.evidence import Citation, Voice
from dyadscope.case.graph import GRAPH_FORMATS, KIND_COLOURS, case_to_graph, graph_to
from dyadscope.case.lint import lint_case
from dyadscope.case.loader import CaseInfo, find_case, list_cases, load_case
from dyadscope.case.schema import (
    FACTOR_KINDS,
    Actor,
    Case,
    Claim,
    Document,
    Evidence,
    Factor,
    Link,
    Scenario,
    UnknownFactor,
    case_json_schema,
)
from dyadscope.case.validate import validate_case, validate_data

__all__ = [
    "FACTOR_KINDS",
    "GRAPH_FORMATS",
    "KIND_COLOURS",
    "Actor",
    "Case",
    "CaseInfo",
    "Citation",
    "Claim",
    "Document",
    "Evidence",
    "Factor",
    "LineRange",
    "LineRangeError",
    "Link",
    "Scenario",
    "UnknownFactor",
    "Voice",
    "case_json_schema",
    "case_to_graph",
    "find_case",
    "graph_to",
    "lint_case",
    "list_cases",
    "load_case",
    "validate_case",
    "validate_data",
]
