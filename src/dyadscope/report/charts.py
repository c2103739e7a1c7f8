"""Plotly figures for the brief, in one consistent style.

Every function returns an HTML fragment (a ``<div>`` plus the figure's JSON)
without plotly.js; the brief inlines plotly.js once, so the page works offline.
Text that comes from a case or a dataset is HTML-escaped before Plotly sees it,
because Plotly renders a subset of HTML tags in labels and hover text.
"""

from __future__ import annotations

import html
import numbers
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dyadscope.case.graph import KIND_COLOURS

SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999999"]
_FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


def esc(text: object) -> str:
    """Escape text for Plotly labels and hover boxes."""
    return html.escape(str(text), quote=True)


def _records(frame: pd.DataFrame) -> Iterator[Any]:
    """Rows as named tuples whose fields are read as plain values (pandas types them loosely)."""
    return frame.itertuples(index=False)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def _layout(fig: go.Figure, *, height: int, yaxis_title: str = "", xaxis_title: str = "") -> None:
    fig.update_layout(
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        font={"family": _FONT, "size": 13},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.18, "x": 0},
        hovermode="x unified",
    )
    fig.update_xaxes(title_text=xaxis_title, showgrid=True, gridcolor="#eee", zeroline=False)
    fig.update_yaxes(title_text=yaxis_title, showgrid=True, gridcolor="#eee", zeroline=False)


#: Plotly's configuration for every chart: no logo, no link or upload to Plotly's
#: cloud (``showSendToCloud``), no image export, a compact toolbar shown on hover only.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "displayModeBar": "hover",
    "responsive": True,
    "modeBarButtonsToRemove": [
        "sendDataToCloud",
        "toImage",
        "select2d",
        "lasso2d",
        "autoScale2d",
        "toggleSpikelines",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
    ],
}


def to_fragment(fig: go.Figure, chart_id: str, *, scroll_zoom: bool = False) -> str:
    """Serialise a figure to an HTML fragment with a stable element id."""
    config = dict(PLOTLY_CONFIG, scrollZoom=scroll_zoom)
    fragment: str = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{_slug(chart_id)}",
        config=config,
    )
    return fragment


def line_chart(
    df: pd.DataFrame,
    *,
    x: str,
    series: Mapping[str, str],
    chart_id: str,
    yaxis_title: str = "",
    percent: bool = False,
    markers: Sequence[Mapping[str, object]] = (),
    height: int = 320,
    secondary: Mapping[str, str] | None = None,
    secondary_title: str = "",
    hover_format: str = ".3g",
    secondary_hover_format: str = ".3g",
    units: str = "",
    secondary_units: str = "",
    eras: Sequence[tuple[float, str]] = (),
) -> str:
    """Lines over ``x`` for each column in ``series`` (column → legend label).

    Missing values stay gaps (``connectgaps=False``): a year without data is
    never drawn as a value.  ``markers`` adds point annotations — used to set a
    figure quoted in a seed document beside the data — as dicts with ``x``,
    ``y``, ``label`` and ``hover``.  ``secondary`` puts columns on a right axis
    titled ``secondary_title``.  Hover values carry ``units`` (d3 format
    ``hover_format``); ``eras`` draws a dotted line after each ``(x, text)`` — used
    to say where "Russia" was the USSR.
    """
    fig = go.Figure()
    styles = [
        (col, label, {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)], "width": 2}, "y")
        for i, (col, label) in enumerate(series.items())
    ] + [
        (col, label, {"color": "#777", "width": 1.5, "dash": ["dot", "dash"][j % 2]}, "y2")
        for j, (col, label) in enumerate((secondary or {}).items())
    ]
    for col, label, line, axis in styles:
        if col in df:
            fmt, unit = (
                (hover_format, units) if axis == "y" else (secondary_hover_format, secondary_units)
            )
            fig.add_trace(
                go.Scatter(
                    x=df[x], y=df[col], name=esc(label), yaxis=axis, line=line,
                    mode="lines+markers" if axis == "y" else "lines",
                    marker={"size": 4}, connectgaps=False,
                    hovertemplate=f"%{{y:{fmt}}}{(' ' + esc(unit)) if unit else ''}",
                )
            )  # fmt: skip
    for at, text in eras:
        fig.add_vline(x=at + 0.5, line={"color": "#767676", "width": 1, "dash": "dot"})
        fig.add_annotation(
            x=at + 0.5, y=1, yref="paper", text=esc(text), showarrow=False, xanchor="right",
            yanchor="top", font={"size": 11, "color": "#595959"},
        )  # fmt: skip
    if markers:
        fig.add_trace(
            go.Scatter(
                x=[m["x"] for m in markers],
                y=[m["y"] for m in markers],
                name="figure quoted in a seed document",
                mode="markers+text",
                text=[esc(m.get("label", "")) for m in markers],
                textposition=_marker_text_positions(
                    [m["x"] for m in markers], list(df[x].dropna()) if x in df else []
                ),
                cliponaxis=False,
                hovertext=[esc(m.get("hover", "")) for m in markers],
                hoverinfo="text",
                marker={
                    "symbol": "diamond-open",
                    "size": 12,
                    "color": "#000",
                    "line": {"width": 2},
                },
            )
        )
    _layout(fig, height=height, yaxis_title=yaxis_title)
    if percent:
        fig.update_yaxes(tickformat=".0%")
    if secondary:
        fig.update_layout(
            yaxis2={
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "title": {"text": esc(secondary_title)},
                "nticks": 5,
                "rangemode": "tozero",
            },
            margin={"r": 70},
        )
    return to_fragment(fig, chart_id)


def _marker_text_positions(xs: Sequence[object], data_xs: Sequence[object]) -> list[str]:
    """Where each marker's label goes so that it stays inside the chart.

    A label is centred over its marker, except near either end of the x-range, where it
    is set to the inner side (a label centred on the first or last year is cut off).
    """
    values = [float(v) for v in [*xs, *data_xs] if isinstance(v, numbers.Real)]
    if not values:
        return ["top center"] * len(xs)
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    positions = []
    for v in xs:
        share = (float(v) - lo) / span if isinstance(v, numbers.Real) else 0.5
        positions.append(
            "top right" if share < 0.2 else "top left" if share > 0.8 else "top center"
        )
    return positions


def network_chart(
    nodes: pd.DataFrame, edges: pd.DataFrame, *, chart_id: str, height: int | None = None
) -> str:
    """An interactive factor map.

    ``nodes``: id, label, kind, summary.  ``edges``: source, target, weight, low, high.
    Nodes are coloured by kind; edges are green (positive) or red (negative) with a
    width proportional to |weight| and an arrow head; hovering a node or an edge's
    midpoint shows its text.  The layout is deterministic (no random seed needed).
    """
    graph = nx.DiGraph()
    for row in _records(nodes):
        graph.add_node(row.id, kind=row.kind)
    for row in _records(edges):
        graph.add_edge(row.source, row.target, weight=abs(float(row.weight)))
    pos = _layered_layout(graph, nodes)
    fig = go.Figure()
    mid_x, mid_y, mid_text = [], [], []
    for row in _records(edges):
        (x0, y0), (x1, y1) = pos[row.source], pos[row.target]
        w = float(row.weight)
        colour = "rgba(0,140,90,0.55)" if w >= 0 else "rgba(200,40,40,0.55)"
        fig.add_annotation(
            x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
            showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=0.6 + 2.4 * abs(w),
            arrowcolor=colour, standoff=7, startstandoff=4, text="",
        )  # fmt: skip
        mid_x.append((x0 + x1) / 2)
        mid_y.append((y0 + y1) / 2)
        mid_text.append(
            f"{esc(row.source)} → {esc(row.target)}<br>weight {w:+.2f} "
            f"[{float(row.low):+.2f}, {float(row.high):+.2f}]"
        )
    fig.add_trace(
        go.Scatter(
            x=mid_x, y=mid_y, mode="markers", hovertext=mid_text, hoverinfo="text",
            marker={"size": 5, "color": "rgba(80,80,80,0.35)"}, name="link (hover for weight)",
        )
    )  # fmt: skip
    for kind, colour in KIND_COLOURS.items():
        sub = nodes[nodes["kind"] == kind]
        if sub.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=[pos[i][0] for i in sub["id"]],
                y=[pos[i][1] for i in sub["id"]],
                mode="markers+text",
                name=kind.replace("_", " "),
                # Labels sit beside their node, facing into the chart (outcomes, in the
                # last column, to the left), so neighbouring columns do not overprint.
                text=[esc(_short(lbl, 16)) for lbl in sub["label"]],
                textposition="middle left" if kind == "outcome" else "middle right",
                textfont={"size": 9},
                hovertext=[
                    f"<b>{esc(r.label)}</b> ({esc(r.kind)})<br>{esc(_wrap(r.summary))}"
                    for r in _records(sub)
                ],
                hoverinfo="text",
                marker={"size": 13, "color": colour, "line": {"width": 1, "color": "white"}},
            )
        )
    tallest = max(Counter(round(x) for x, _ in pos.values()).values(), default=1)
    fig.update_layout(
        height=height or max(640, 28 * tallest + 80),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"family": _FONT, "size": 12},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        dragmode="pan",
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        modebar={"orientation": "v"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return to_fragment(fig, chart_id)


def _layered_layout(graph: nx.DiGraph, nodes: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Columns by causal depth, so causes read left to right and outcomes sit on the right.

    Feedback loops are collapsed (strongly connected components) so the graph is a DAG;
    each node's column is its topological generation, outcomes are moved to a last column
    of their own, and nodes within a column are ordered by the mean height of their
    predecessors (one barycentre sweep), which removes most crossings.
    """
    cond = nx.condensation(graph)
    member_of = cond.graph["mapping"]
    generation = {
        scc: depth for depth, gen in enumerate(nx.topological_generations(cond)) for scc in gen
    }
    layer = {n: generation[member_of[n]] for n in graph.nodes}
    outcomes = set(nodes.loc[nodes["kind"] == "outcome", "id"])
    last = max((layer[n] for n in graph.nodes if n not in outcomes), default=0) + 1
    layer |= {n: last for n in outcomes}
    pos: dict[str, tuple[float, float]] = {}
    for col in range(last + 1):
        members = [n for n in graph.nodes if layer[n] == col]
        members.sort(key=lambda n: _barycentre(graph, n, pos))
        count = len(members)
        for k, n in enumerate(members):
            y = 0.0 if count == 1 else 1 - 2 * k / (count - 1)
            pos[n] = (float(col), y)
    return pos


def _barycentre(graph: nx.DiGraph, node: str, pos: dict[str, tuple[float, float]]) -> float:
    ys = [pos[p][1] for p in graph.predecessors(node) if p in pos]
    return -sum(ys) / len(ys) if ys else 0.0


def _short(label: str, width: int = 22) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _wrap(text: str, width: int = 60) -> str:
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)


def interval_bars(
    df: pd.DataFrame,
    *,
    category: str,
    group: str,
    value: str,
    low: str,
    high: str,
    chart_id: str,
    yaxis_title: str = "probability",
    height: int = 440,
) -> str:
    """Grouped bars of ``value`` with error bars from ``low`` to ``high``."""
    fig = go.Figure()
    for i, (name, sub) in enumerate(df.groupby(group, sort=False)):
        fig.add_trace(
            go.Bar(
                x=[_wrap(esc(c), 18) for c in sub[category]],
                y=sub[value],
                name=esc(name),
                marker_color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": sub[high] - sub[value],
                    "arrayminus": sub[value] - sub[low],
                    "thickness": 1.2,
                },
            )
        )
    _layout(fig, height=height, yaxis_title=yaxis_title)
    fig.update_layout(
        barmode="group",
        hovermode="closest",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"t": 60, "b": 90},
    )
    fig.update_xaxes(tickangle=0, tickfont={"size": 11})
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return to_fragment(fig, chart_id)


def tornado(
    df: pd.DataFrame,
    *,
    label: str,
    first: str,
    total: str,
    chart_id: str,
    height: int | None = None,
    conf: str | None = None,
) -> str:
    """Horizontal bars of first-order and total Sobol indices, largest on top."""
    df = df.sort_values(total, ascending=True)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=[esc(v) for v in df[label]], x=df[total], orientation="h", name="total effect (ST)",
            marker_color="#56B4E9",
            error_x={"type": "data", "array": df[conf]} if conf and conf in df else None,
        )
    )  # fmt: skip
    fig.add_trace(
        go.Bar(
            y=[esc(v) for v in df[label]], x=df[first], orientation="h",
            name="first order (S1)", marker_color="#0072B2",
        )
    )  # fmt: skip
    _layout(fig, height=height or max(260, 26 * len(df) + 90), xaxis_title="Sobol index")
    fig.update_layout(barmode="overlay", hovermode="closest", margin={"l": 260})
    return to_fragment(fig, chart_id)


def heatmap(
    matrix: pd.DataFrame,
    *,
    chart_id: str,
    colorbar_title: str = "",
    height: int = 420,
    zmin: float = 0.0,
    zmax: float = 1.0,
) -> str:
    """A labelled heat map of a square or rectangular matrix; NaN cells stay blank."""
    z = matrix.to_numpy(dtype=float)
    text = [["NA" if np.isnan(v) else f"{v:.2f}" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(c) for c in matrix.columns],
            y=[esc(i) for i in matrix.index],
            text=text,
            texttemplate="%{text}",
            colorscale="YlOrRd",
            zmin=zmin,
            zmax=zmax,
            colorbar={"title": {"text": esc(colorbar_title)}},
            hoverongaps=False,
        )
    )
    _layout(fig, height=height)
    fig.update_layout(hovermode="closest")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, side="top")
    return to_fragment(fig, chart_id)


def stacked_area(
    df: pd.DataFrame, *, x: str, series: Mapping[str, str], chart_id: str, yaxis_title: str = ""
) -> str:
    """Stacked areas (e.g. capability shares of the major powers)."""
    fig = go.Figure()
    for i, (col, label) in enumerate(series.items()):
        fig.add_trace(
            go.Scatter(
                x=df[x], y=df[col], name=esc(label), stackgroup="one", mode="lines",
                line={"width": 0.5, "color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
            )
        )  # fmt: skip
    _layout(fig, height=340, yaxis_title=yaxis_title)
    return to_fragment(fig, chart_id)
