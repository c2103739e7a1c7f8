"""The factor map's layout: causes left, outcomes right, no two nodes on one spot."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import networkx as nx
import pandas as pd

from dyadscope.case.graph import case_to_graph
from dyadscope.case.loader import load_case
from dyadscope.report.charts import _layered_layout


def _shipped_case_layout() -> tuple[nx.DiGraph, pd.DataFrame, dict[str, tuple[float, float]]]:
    case = load_case()  # the shipped Russia–China case
    graph = case_to_graph(case)
    nodes = pd.DataFrame(
        {"id": [f.id for f in case.factors], "kind": [f.kind for f in case.factors]}
    )
    return graph, nodes, _layered_layout(graph, nodes)


def test_outcomes_alone_in_the_last_column() -> None:
    _, nodes, pos = _shipped_case_layout()
    outcomes = set(nodes.loc[nodes["kind"] == "outcome", "id"])
    last = max(x for x, _ in pos.values())
    assert {n for n, (x, _) in pos.items() if x == last} == outcomes


def test_links_run_left_to_right_outside_feedback_loops() -> None:
    graph, nodes, pos = _shipped_case_layout()
    in_loop = {n for scc in nx.strongly_connected_components(graph) if len(scc) > 1 for n in scc}
    outcomes = set(nodes.loc[nodes["kind"] == "outcome", "id"])
    backwards = [
        (u, v)
        for u, v in graph.edges
        if pos[u][0] >= pos[v][0] and not ({u, v} <= in_loop) and u not in outcomes
    ]
    assert backwards == []


def test_nodes_have_distinct_places_and_room_for_a_label() -> None:
    """Each column spreads its nodes evenly over [-1, 1]; labels sit beside the node."""
    _, _, pos = _shipped_case_layout()
    assert len(set(pos.values())) == len(pos)
    columns = Counter(x for x, _ in pos.values())
    for col, count in columns.items():
        ys = sorted(y for x, y in pos.values() if x == col)
        if count > 1:
            gaps = {round(b - a, 9) for a, b in pairwise(ys)}
            assert gaps == {round(2 / (count - 1), 9)}


def test_marker_labels_near_the_ends_face_inwards() -> None:
    """A quoted figure on the first or last year keeps its label inside the chart."""
    import numpy as np

    from dyadscope.report.charts import _marker_text_positions

    years = list(np.arange(1955, 2021))  # NumPy integers, as a frame column gives them
    assert _marker_text_positions([1956, 1990, 2020], years) == [
        "top right",
        "top center",
        "top left",
    ]
    assert _marker_text_positions([2000], [2000, 2005, 2010, 2015]) == ["top right"]
