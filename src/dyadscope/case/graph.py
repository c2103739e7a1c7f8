"""The factor map as a graph, and its export to JSON (node-link), DOT and GraphML.

Nodes are factors (with kind and label), edges are links (with signed weight,
uncertainty interval and rationale).  The exports let an analyst lay the map out
in Graphviz, Gephi or a notebook without reading the YAML.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from dyadscope.errors import InputError

if TYPE_CHECKING:
    import networkx as nx  # imported where used: ~0.1 s that `dyadscope --help` need not pay

    from dyadscope.case.schema import Case

GraphFormat = Literal["json", "dot", "graphml"]
GRAPH_FORMATS: tuple[str, ...] = ("json", "dot", "graphml")

#: One colour per factor kind, shared by every rendering of the map (colour-blind safe).
KIND_COLOURS: dict[str, str] = {
    "driver": "#0072B2",
    "limitation": "#E69F00",
    "friction": "#D55E00",
    "lever": "#CC79A7",
    "key_variable": "#009E73",
    "outcome": "#56B4E9",
    "context": "#999999",
}


def case_to_graph(case: Case) -> nx.DiGraph:
    """Build the directed factor graph of a case.

    Node attributes: ``kind``, ``label``, ``summary`` and ``indicator`` (``None`` when
    unmeasured).  Edge attributes: ``weight``, ``interval`` (a ``(low, high)`` tuple)
    and ``rationale``.  Graph attributes: ``case`` (id) and ``dyad``.

    >>> from dyadscope.case import load_case
    >>> g = case_to_graph(load_case())  # doctest: +SKIP
    >>> g.nodes["border_settlement"]["kind"]  # doctest: +SKIP
    'driver'
    """
    import networkx as nx

    graph = nx.DiGraph(case=case.id, title=case.title, dyad="-".join(case.dyad))
    for factor in case.factors:
        graph.add_node(
            factor.id,
            kind=factor.kind,
            label=factor.label,
            summary=factor.summary,
            indicator=factor.indicator,
        )
    for link in case.links:
        graph.add_edge(
            link.source,
            link.target,
            weight=link.weight,
            interval=tuple(link.interval),
            rationale=link.rationale,
        )
    return graph


def dot_quote(text: str) -> str:
    r"""Quote any text as a DOT string: quotes and backslashes escaped, newlines as ``\n``.

    Labels come from case files, so nothing in them may end the string early.

    >>> print(dot_quote('say "hi"'))
    "say \"hi\""
    """
    cleaned = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)
    escaped = cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _attrs(pairs: dict[str, Any]) -> str:
    return ", ".join(f"{key}={dot_quote(str(value))}" for key, value in pairs.items())


def _to_dot(graph: nx.DiGraph) -> str:
    lines = [
        f"digraph {dot_quote(graph.graph['case'])} {{",
        f"  graph [{_attrs({'label': graph.graph['title'], 'rankdir': 'LR'})}];",
        '  node [shape="box", style="rounded,filled", fontcolor="white"];',
    ]
    for node, data in graph.nodes(data=True):
        colour = KIND_COLOURS.get(data["kind"], "#999999")
        attrs = {"label": data["label"], "kind": data["kind"], "fillcolor": colour}
        lines.append(f"  {dot_quote(node)} [{_attrs(attrs)}];")
    for source, target, data in graph.edges(data=True):
        weight, (low, high) = data["weight"], data["interval"]
        attrs = {
            "label": f"{weight:+.2f}",
            "effect": weight,
            "low": low,
            "high": high,
            "color": "#1a7f37" if weight >= 0 else "#b42318",
            "style": "solid" if weight >= 0 else "dashed",
            "penwidth": f"{1 + 3 * abs(weight):.2f}",
            "tooltip": data["rationale"],
        }
        lines.append(f"  {dot_quote(source)} -> {dot_quote(target)} [{_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _to_graphml(graph: nx.DiGraph) -> str:
    # GraphML holds scalars only: split the interval, drop missing indicators.
    import networkx as nx

    flat = nx.DiGraph(**graph.graph)
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for source, target, data in graph.edges(data=True):
        low, high = data["interval"]
        flat.add_edge(
            source,
            target,
            weight=data["weight"],
            low=low,
            high=high,
            rationale=data["rationale"],
        )
    return "\n".join(nx.generate_graphml(flat)) + "\n"


def graph_to(case: Case, fmt: GraphFormat | str) -> str:
    """The case's factor graph as text in ``fmt``: ``json`` (node-link), ``dot`` or ``graphml``.

    >>> from dyadscope.case import load_case
    >>> graph_to(load_case(), "dot").splitlines()[0]  # doctest: +SKIP
    'digraph "russia_china" {'
    """
    graph = case_to_graph(case)
    if fmt == "json":
        import networkx as nx

        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "dot":
        return _to_dot(graph)
    if fmt == "graphml":
        return _to_graphml(graph)
    raise InputError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
