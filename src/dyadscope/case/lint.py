"""Warnings about a valid case: things that are allowed but usually a mistake.

Validation refuses a case that is wrong; these checks flag one that is probably
incomplete — a document nobody cites, a factor the map never connects, an
outcome nothing leads to.  ``dyadscope case validate`` prints them in yellow and
still succeeds, so an analyst sees them without being blocked.
"""

from __future__ import annotations

from dyadscope.case.schema import Case


def lint_case(case: Case) -> list[str]:
    """Warnings about a valid case, each naming the document, factor or scenario concerned.

    >>> from dyadscope.case import load_case
    >>> lint_case(load_case())  # doctest: +SKIP
    []
    """
    warnings = [
        f"document {doc!r} is never cited" for doc, cites in case.citations().items() if not cites
    ]
    if case.links:
        graph = case.to_graph()
        warnings += [
            f"factor {node!r} has no link to or from any other factor"
            for node in graph.nodes
            if graph.degree(node) == 0
        ]
        warnings += [
            f"outcome {factor.id!r} has no incoming link, so no scenario can move it"
            for factor in case.factors
            if factor.kind == "outcome"
            and graph.degree(factor.id)
            and not graph.in_degree(factor.id)
        ]
    outcomes = {f.id for f in case.factors if f.kind == "outcome"}
    warnings += [
        f"scenario {s.id!r} clamps outcome {key!r}; clamp drivers or levers and let outcomes move"
        for s in case.scenarios
        for key in s.clamps
        if key in outcomes
    ]
    return warnings
