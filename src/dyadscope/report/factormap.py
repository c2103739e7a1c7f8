"""The factor map: a layered, filterable, searchable network, and a compact view by kind.

Layout (deterministic): three columns, left to right — *sources* (factors no link
points to: drivers, limitations, frictions, levers, context), *mediators* (factors
with incoming links that are not outcomes) and *outcomes*. Within a column, factors
are grouped by kind and ordered by the mean height of their predecessors. Every
label is shown in full, wrapped to :data:`WRAP` characters, and each factor gets as
many rows as its label has lines, so labels in a column never overprint; a column is
wide enough for a wrapped label, so neighbouring columns do not either.

The HTML fragment carries its own controls (link-weight filter, search that
highlights one factor's neighbourhood, a switch to the view by kind) as a small
script over the Plotly figure; scroll-zoom and pan work on the map.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dyadscope.case.graph import KIND_COLOURS
from dyadscope.report.charts import _FONT, esc, to_fragment

#: Characters per line of a wrapped label.
WRAP = 30
#: Pixels per label line (font 11 px plus leading).
LINE_PX = 15
#: Kinds in the order they are stacked inside a column.
KIND_ORDER = ("driver", "limitation", "friction", "lever", "context", "key_variable", "outcome")
#: At most this many columns of mediators between the causes and the outcomes.
MEDIATOR_COLUMNS = 3


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    return frame.itertuples(index=False)


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Split ``text`` into lines of at most ``width`` characters (long words kept whole).

    >>> wrap("Energy trade by pipeline (Power of Siberia)", 20)
    ['Energy trade by', 'pipeline (Power of', 'Siberia)']
    """
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines


def layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[str, tuple[int, float]]:
    """Column (0, 1, 2) and vertical centre in label lines of each factor id.

    >>> n = pd.DataFrame({"id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                   "kind": ["driver", "key_variable", "outcome"]})
    >>> e = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [0.5, 0.5]})
    >>> {k: v[0] for k, v in layout(n, e).items()}
    {'a': 0, 'b': 1, 'c': 2}
    """
    targets = set(edges["target"]) if not edges.empty else set()
    preds: dict[str, list[str]] = defaultdict(list)
    for r in _rows(edges):
        preds[str(r.target)].append(str(r.source))
    band = _mediator_bands(nodes, edges)
    last = max(band.values(), default=0) + 1
    column = {
        str(r.id): last if r.kind == "outcome" else band.get(str(r.id), 1) if r.id in targets else 0
        for r in _rows(nodes)
    }
    kind = {str(r.id): str(r.kind) for r in _rows(nodes)}
    lines = {str(r.id): len(wrap(r.label)) for r in _rows(nodes)}
    pos: dict[str, tuple[int, float]] = {}
    for col in range(last + 1):
        members = [n for n in column if column[n] == col]

        def key(n: str) -> tuple[int, float]:
            ys = [pos[p][1] for p in preds[n] if p in pos]
            rank = KIND_ORDER.index(kind[n]) if kind[n] in KIND_ORDER else len(KIND_ORDER)
            return (rank, sum(ys) / len(ys) if ys else 0.0)

        members.sort(key=key)
        y = 0.0
        for n in members:
            pos[n] = (col, y + lines[n] / 2)
            y += lines[n] + 0.6
    return pos


def _mediator_bands(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[str, int]:
    """Column 1..MEDIATOR_COLUMNS of each mediator, by causal depth (loops collapsed).

    Mediators that feed other mediators sit further left, so most links between
    mediators run left to right instead of along a column.
    """
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(str(i) for i in nodes["id"])
    graph.add_edges_from((str(r.source), str(r.target)) for r in _rows(edges))
    cond = nx.condensation(graph)
    member = cond.graph["mapping"]
    depth: dict[int, int] = {}
    for scc in nx.topological_sort(cond):
        depth[scc] = max((depth[p] + 1 for p in cond.predecessors(scc)), default=0)
    outcomes = set(nodes.loc[nodes["kind"] == "outcome", "id"].astype(str))
    mediators = [n for n in graph if graph.in_degree(n) > 0 and n not in outcomes]
    levels = sorted({depth[member[n]] for n in mediators})
    rank = {lv: i for i, lv in enumerate(levels)}
    bands = min(MEDIATOR_COLUMNS, len(levels)) or 1
    return {n: 1 + rank[depth[member[n]]] * bands // max(len(levels), 1) for n in mediators}


def _hover(label: str, kind: str, summary: str) -> str:
    """Hover text: escaped first, then wrapped with Plotly's <br> (never shown as text)."""
    body = "<br>".join(esc(x) for x in wrap(summary, 60))
    return f"<b>{esc(label)}</b> ({esc(kind.replace('_', ' '))})<br>{body}"


#: What every arrow of the factor map shares: set once in the chart's template
#: (``to_fragment(annotation_defaults=...)``), not in each of ~100 annotations. The
#: column titles, also annotations, set their own text and ``showarrow=False``.
ARROW_DEFAULTS: dict[str, Any] = dict(
    xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2, arrowsize=1,
    standoff=6, startstandoff=4, text="",
)  # fmt: skip


def _network_figure(
    nodes: pd.DataFrame, edges: pd.DataFrame
) -> tuple[go.Figure, list[dict[str, Any]]]:
    pos = layout(nodes, edges)
    label = {str(r.id): str(r.label) for r in _rows(nodes)}
    fig = go.Figure()
    edge_data: list[dict[str, Any]] = []
    mid_x, mid_y, mid_text = [], [], []
    # Arrows are set in one go: add_annotation per edge re-validates every earlier
    # annotation (quadratic; 14 s for the shipped case's map).
    arrows: list[dict[str, Any]] = []
    for r in _rows(edges):
        s, t, w = str(r.source), str(r.target), float(r.weight)
        (x0, y0), (x1, y1) = pos[s], pos[t]
        colour = "rgba(0,120,80,0.6)" if w >= 0 else "rgba(190,30,30,0.6)"
        # Positions to 1e-4 of a column (invisible); the rest is in ARROW_DEFAULTS.
        arrows.append(
            dict(
                x=round(x1, 4), y=round(y1, 4), ax=round(x0, 4), ay=round(y0, 4),
                arrowwidth=round(0.5 + 2.5 * abs(w), 4), arrowcolor=colour,
            )
        )  # fmt: skip
        edge_data.append({"s": s, "t": t, "w": round(w, 3)})
        mid_x.append((x0 + x1) / 2)
        mid_y.append((y0 + y1) / 2)
        mid_text.append(
            f"{esc(label[s])} → {esc(label[t])}<br>weight {w:+.2f} "
            f"(interval {float(r.low):+.2f} to {float(r.high):+.2f})"
        )
    fig.update_layout(annotations=arrows)
    fig.add_trace(
        go.Scatter(
            x=mid_x, y=mid_y, mode="markers", hovertext=mid_text, hoverinfo="text",
            marker={"size": 6, "color": "rgba(80,80,80,0.3)"}, name="link (hover: weight)",
        )
    )  # fmt: skip
    node_data: list[list[str]] = []
    for kind in KIND_ORDER:
        sub = nodes[nodes["kind"] == kind]
        if sub.empty:
            continue
        ids = [str(i) for i in sub["id"]]
        node_data.append(ids)
        fig.add_trace(
            go.Scatter(
                x=[pos[i][0] for i in ids],
                y=[pos[i][1] for i in ids],
                mode="markers+text",
                name=kind.replace("_", " "),
                text=["<br>".join(esc(x) for x in wrap(lbl)) for lbl in sub["label"]],
                textposition="middle right",
                textfont={"size": 11, "color": "#1b1f24"},
                hovertext=[_hover(r.label, r.kind, r.summary) for r in _rows(sub)],
                hoverinfo="text",
                marker={
                    "size": 12,
                    "color": KIND_COLOURS.get(kind, "#777"),
                    "line": {"width": 1, "color": "white"},
                },
            )
        )
    total = max((y for _, y in pos.values()), default=1.0) + 1.5
    last = max((c for c, _ in pos.values()), default=0)
    titles = {0: "Causes", 1: "Mediators →", last: "Outcomes"} if last > 1 else {0: "Causes"}
    for col, title in titles.items():
        fig.add_annotation(
            x=col, y=-1.2, xref="x", yref="y", text=f"<b>{esc(title)}</b>", showarrow=False,
            xanchor="left", font={"size": 12, "color": "#545c66"},
        )  # fmt: skip
    fig.update_layout(
        height=int(total * LINE_PX + 140),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"family": _FONT, "size": 12},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        dragmode="pan",
        showlegend=True,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        xaxis={"visible": False, "range": [-0.08, last + 0.95], "fixedrange": False},
        yaxis={"visible": False, "range": [total, -2.0]},
    )
    return fig, [{"edges": edge_data, "nodes": node_data}]


def aggregate(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Links summed by kind: source kind, target kind, count, mean weight.

    >>> n = pd.DataFrame({"id": ["a", "b", "c"], "kind": ["driver", "driver", "outcome"]})
    >>> e = pd.DataFrame({"source": ["a", "b"], "target": ["c", "c"], "weight": [0.2, 0.6]})
    >>> aggregate(n, e).to_dict("records")
    [{'source': 'driver', 'target': 'outcome', 'links': 2, 'mean_weight': 0.4}]
    """
    kind = dict(zip(nodes["id"], nodes["kind"], strict=True))
    frame = edges.assign(source=edges["source"].map(kind), target=edges["target"].map(kind))
    out = frame.groupby(["source", "target"], sort=True).agg(
        links=("weight", "size"), mean_weight=("weight", "mean")
    )
    return out.reset_index().assign(mean_weight=lambda d: d["mean_weight"].round(3))


def _aggregate_figure(nodes: pd.DataFrame, edges: pd.DataFrame) -> go.Figure:
    agg = aggregate(nodes, edges)
    counts = nodes["kind"].value_counts()
    kinds = [k for k in KIND_ORDER if k in counts]
    col = {"key_variable": 1, "outcome": 2}
    firsts = [k for k in kinds if k not in col]
    pos = {k: (0.0, float(i)) for i, k in enumerate(firsts)}
    pos |= {k: (float(col[k]), (len(firsts) - 1) / 2 + 0.5 * col[k]) for k in kinds if k in col}
    fig = go.Figure()
    for r in _rows(agg):
        (x0, y0), (x1, y1) = pos[r.source], pos[r.target]
        if r.source == r.target:
            continue
        fig.add_annotation(
            x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
            showarrow=True, arrowhead=2, arrowwidth=1 + min(6.0, r.links / 4),
            arrowcolor="rgba(0,120,80,0.55)" if r.mean_weight >= 0 else "rgba(190,30,30,0.55)",
            standoff=14, startstandoff=14,
        )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=[pos[k][0] for k in kinds],
            y=[pos[k][1] for k in kinds],
            mode="markers+text",
            text=[f"{esc(k.replace('_', ' ').capitalize())} ({int(counts[k])})" for k in kinds],
            textposition=["middle right" if pos[k][0] == 0 else "top center" for k in kinds],
            marker={"size": [14 + 2 * int(counts[k]) ** 0.5 * 3 for k in kinds],
                    "color": [KIND_COLOURS.get(k, "#777") for k in kinds]},
            hovertext=[
                "<br>".join(
                    f"→ {esc(t.replace('_', ' '))}: {int(n)} links, mean weight {w:+.2f}"
                    for t, n, w in agg.loc[agg["source"] == k, ["target", "links", "mean_weight"]]
                    .itertuples(index=False)
                ) or "no outgoing links"
                for k in kinds
            ],
            hoverinfo="text",
            showlegend=False,
        )
    )  # fmt: skip
    fig.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        font={"family": _FONT, "size": 13},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        xaxis={"visible": False, "range": [-0.2, 2.6]},
        yaxis={"visible": False, "range": [len(firsts) - 0.4, -0.6]},
    )
    return fig


def _script() -> str:
    """The controls' script (report/assets/factormap.js), a %-template over the chart ids."""
    from importlib.resources import files

    return files("dyadscope.report").joinpath("assets", "factormap.js").read_text("utf-8")


def factor_map(nodes: pd.DataFrame, edges: pd.DataFrame, *, chart_id: str = "factor-map") -> str:
    """The factor map fragment: controls, the layered network, and the view by kind.

    ``nodes``: id, label, kind, summary. ``edges``: source, target, weight, low, high.
    """
    net, payload = _network_figure(nodes, edges)
    agg = _aggregate_figure(nodes, edges)
    labels = {str(r.label).lower(): str(r.id) for r in _rows(nodes)}
    data = {**payload[0], "labels": labels}
    box = f"{chart_id}-controls"
    options = "".join(f'<option value="{html.escape(str(x))}">' for x in nodes["label"])
    # A large map opens on its strongest links (about the top 40 %); the slider shows the rest.
    start = round(float(edges["weight"].abs().quantile(0.6)) * 20) / 20 if len(edges) > 40 else 0.0
    controls = (
        f'<div class="fm-controls" id="{box}">'
        f'<label>Links with |weight| ≥ <input type="range" min="0" max="1" step="0.05" '
        f'value="{start}" aria-label="Smallest link weight shown"></label> <output></output>'
        f'<label>Find a factor <input type="search" list="{box}-list" '
        f'placeholder="type a factor"></label><datalist id="{box}-list">{options}</datalist>'
        f'<button type="button" class="fm-clear">Show all</button>'
        f'<span role="group" aria-label="View"><button type="button" data-view="factors" '
        f'aria-pressed="true">Every factor</button> <button type="button" data-view="kinds" '
        f'aria-pressed="false">By kind</button></span></div>'
    )
    script = _script() % {
        # JSON inside a script: every "<" is escaped, so no label can open or close a tag.
        "data": json.dumps(data).replace("<", "\\u003c"),
        "net": f"chart-{chart_id}",
        "agg": f"chart-{chart_id}-kinds",
        "box": box,
    }
    net_html = to_fragment(net, chart_id, scroll_zoom=True, annotation_defaults=ARROW_DEFAULTS)
    return (
        controls
        + f'<div id="{box}-factors">{net_html}</div>'
        + f'<div id="{box}-kinds" hidden>{to_fragment(agg, f"{chart_id}-kinds")}</div>'
        + "<script>"
        + script
        + "</script>"
    )
