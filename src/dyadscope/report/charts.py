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
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

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


#: Script type of a chart's own script; the page runs these once plotly.js has loaded.
DEFERRED_SCRIPT_TYPE = "text/x-dyadscope-plot"


def to_fragment(
    fig: go.Figure,
    chart_id: str,
    *,
    scroll_zoom: bool = False,
    annotation_defaults: Mapping[str, Any] | None = None,
) -> str:
    """Serialise a figure to an HTML fragment with a stable element id.

    ``annotation_defaults`` go into the figure's template once (plotly.js applies them
    to every annotation) instead of being repeated in each of many annotations.
    """
    config = dict(PLOTLY_CONFIG, scrollZoom=scroll_zoom)
    # No plotly.py theme: each chart would carry ~8 kB of template JSON; the styles the
    # brief relies on are set explicitly in each figure's layout.
    layout = {"annotationdefaults": dict(annotation_defaults)} if annotation_defaults else {}
    fig.layout.template = go.layout.Template(layout=layout)
    fragment: str = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{_slug(chart_id)}",
        config=config,
    )
    # plotly.py indents its script by up to 28 spaces per line: a few kB of the page.
    fragment = re.sub(r"\n\s+", "\n", fragment)
    # The chart's script waits until plotly.js, inlined at the end of the page, has loaded:
    # the text of the brief paints first (see DEFERRED_SCRIPT_TYPE in the template).
    return fragment.replace("<script>", f'<script type="{DEFERRED_SCRIPT_TYPE}">')


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
                "nticks": 6,
                "tickmode": "auto",
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
    wrap: int = 18,
) -> str:
    """Grouped bars of ``value`` with error bars from ``low`` to ``high``.

    Category labels are wrapped at ``wrap`` characters a line (narrower for many
    categories, so neighbouring labels do not run into each other).
    """
    fig = go.Figure()
    for i, (name, sub) in enumerate(df.groupby(group, sort=False)):
        fig.add_trace(
            go.Bar(
                x=[_wrap(esc(c), wrap) for c in sub[category]],
                y=sub[value],
                name=esc(name),
                marker_color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                hovertemplate=f"%{{x}}: %{{y:.1%}} {esc(yaxis_title)}<extra>{esc(name)}</extra>",
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
            hovertemplate=f"%{{y}} → %{{x}}: {esc(colorbar_title)} %{{z:.2f}} (0–1)<extra></extra>",
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
