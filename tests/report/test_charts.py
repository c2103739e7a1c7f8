"""The factor map: layered left to right, full labels that never overprint, clean hovers."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise

import networkx as nx
import pandas as pd

from dyadscope.case.graph import case_to_graph
from dyadscope.case.loader import load_case
from dyadscope.report.factormap import LINE_PX, WRAP, aggregate, factor_map, layout, wrap


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    case = load_case()  # the shipped Russia–China case
    nodes = pd.DataFrame(
        [{"id": f.id, "label": f.label, "kind": f.kind, "summary": f.summary} for f in case.factors]
    )
    edges = pd.DataFrame(
        [
            {"source": k.source, "target": k.target, "weight": k.weight,
             "low": k.interval[0], "high": k.interval[1]}
            for k in case.links
        ]
    )  # fmt: skip
    return nodes, edges


def test_outcomes_alone_in_the_last_column_causes_first() -> None:
    nodes, edges = _frames()
    pos = layout(nodes, edges)
    last = max(c for c, _ in pos.values())
    outcomes = set(nodes.loc[nodes["kind"] == "outcome", "id"])
    assert {n for n, (c, _) in pos.items() if c == last} == outcomes
    targets = set(edges["target"])
    assert {n for n, (c, _) in pos.items() if c == 0} == set(nodes["id"]) - targets


def test_links_between_mediators_mostly_run_left_to_right() -> None:
    """Outside feedback loops no link runs right to left."""
    nodes, edges = _frames()
    pos = layout(nodes, edges)
    graph = case_to_graph(load_case())
    in_loop = {n for scc in nx.strongly_connected_components(graph) if len(scc) > 1 for n in scc}
    backwards = [
        (u, v)
        for u, v in zip(edges["source"], edges["target"], strict=True)
        if pos[u][0] > pos[v][0] and not ({u, v} <= in_loop)
    ]
    assert backwards == []


def test_labels_in_a_column_never_overlap() -> None:
    """Each factor takes as many lines as its wrapped label; centres are that far apart."""
    nodes, edges = _frames()
    pos = layout(nodes, edges)
    lines = {r.id: len(wrap(r.label)) for r in nodes.itertuples()}
    columns: dict[int, list[str]] = defaultdict(list)
    for n, (c, _) in pos.items():
        columns[c].append(n)
    for members in columns.values():
        members.sort(key=lambda n: pos[n][1])
        for upper, lower in pairwise(members):
            gap = pos[lower][1] - pos[upper][1]
            assert gap >= (lines[upper] + lines[lower]) / 2, (upper, lower)


def test_wrap_keeps_every_word() -> None:
    label = "Chinese capital controls slow trade in national currencies"
    lines = wrap(label, WRAP)
    assert " ".join(lines) == label
    assert all(len(x) <= WRAP for x in lines)


def test_fragment_has_full_labels_clean_hovers_and_controls() -> None:
    nodes, edges = _frames()
    html = factor_map(nodes, edges)
    longest = max(nodes["label"], key=len)
    assert wrap(longest)[-1] in html  # the full label, not cut with an ellipsis
    assert "&lt;br&gt;" not in html  # Plotly line breaks are never escaped into text
    assert "…" not in html
    # Link hovers name factors by label: no factor id appears in hover text.
    hovers = " ".join(re.findall(r'"hovertext":\[(.*?)\]', html))
    ids = [i for i in nodes["id"] if "_" in i]
    assert [i for i in ids if re.search(rf"\b{i}\b", hovers)] == []
    assert '"scrollZoom": true' in html
    for control in ('type="range"', 'type="search"', 'data-view="kinds"'):
        assert control in html
    assert LINE_PX > 11  # one label line fits a row at the 11 px label font


def test_aggregate_counts_every_link_once() -> None:
    nodes, edges = _frames()
    agg = aggregate(nodes, edges)
    assert int(agg["links"].sum()) == len(edges)


def test_download_href_is_percent_encoded_and_round_trips() -> None:
    """Quotes, ampersands, '#', '%', apostrophes, newlines and non-ASCII survive the link."""
    import html
    from urllib.parse import unquote_to_bytes

    import pandas as pd
    from markupsafe import escape

    from dyadscope.report.model import Download

    frame = pd.DataFrame({"label": ['a "b" & c #1 50% it\'s', "Россия–中国"], "v": [1.5, 2.0]})
    down = Download.csv(frame, "x.csv")
    prefix = "data:text/csv;charset=utf-8,"
    assert down.href.startswith(prefix)
    attribute = str(escape(down.href))  # as the template's autoescape writes it
    assert attribute == down.href  # nothing left for HTML escaping to lengthen
    assert unquote_to_bytes(html.unescape(attribute)[len(prefix) :]) == down.data


def test_annotation_defaults_go_into_the_template_once() -> None:
    import plotly.graph_objects as go

    from dyadscope.report.charts import to_fragment

    fig = go.Figure()
    fig.update_layout(annotations=[{"x": i, "y": i, "ax": 0, "ay": 0} for i in range(3)])
    html_text = to_fragment(fig, "t", annotation_defaults={"arrowhead": 2, "axref": "x"})
    assert html_text.count('"arrowhead":2') == 1
    assert '"annotationdefaults":{' in html_text.replace(" ", "")
