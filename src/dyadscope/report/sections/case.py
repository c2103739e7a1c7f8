"""Sections built from the case model: summary, factor map, factors, experts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from dyadscope.report.factormap import factor_map
from dyadscope.report.labels import indicator_label
from dyadscope.report.model import Bullets, Chart, Download, Paragraph, Section, Table

if TYPE_CHECKING:
    from dyadscope.case.schema import Case

#: The order in which factor kinds are presented, with a reader-facing heading.
KIND_TITLES: dict[str, str] = {
    "driver": "Drivers",
    "limitation": "Limitations",
    "friction": "Frictions",
    "key_variable": "Key variables",
    "lever": "Levers (what scenarios can move)",
    "context": "Context and theory",
    "outcome": "Outcomes",
}


def cite(evidence: Any) -> str:
    """``file:lines`` for one evidence record."""
    return f"{evidence.doc}:{evidence.lines}"


def _kind(value: Any) -> str:
    return str(getattr(value, "value", value))


def summary_section(case: Case) -> Section:
    """What the case is, where it comes from, and how to read the brief."""
    factors = list(case.factors)
    counts = pd.Series([_kind(f.kind) for f in factors]).value_counts()
    n_cites = sum(len(f.evidence) for f in factors) + sum(len(lk.evidence) for lk in case.links)
    parts = ", ".join(
        f"{counts[k]} {KIND_TITLES[k].split(' (')[0].lower()}" for k in KIND_TITLES if k in counts
    )
    section = Section("summary", "Summary", lead=case.title)
    section.add(Paragraph(case.summary))
    section.add(
        Paragraph(
            f"The case model holds {len(factors)} factors ({parts}) joined by "
            f"{len(case.links)} signed, weighted links, supported by {n_cites} citations "
            f"to {len(case.documents)} source documents. Each weight carries an interval "
            "that the scenario engine samples from.",
            tone="note",
        )
    )
    return section


def factor_map_section(case: Case) -> Section:
    """The factor map as an interactive network."""
    nodes = pd.DataFrame(
        [
            {"id": f.id, "label": f.label, "kind": _kind(f.kind), "summary": f.summary}
            for f in case.factors
        ]
    )
    edges = pd.DataFrame(
        [
            {
                "source": lk.source,
                "target": lk.target,
                "weight": lk.weight,
                "low": lk.interval[0],
                "high": lk.interval[1],
                "rationale": lk.rationale,
            }
            for lk in case.links
        ],
        columns=["source", "target", "weight", "low", "high", "rationale"],
    )
    html = factor_map(nodes, edges, chart_id="factor-map")
    section = Section(
        "factor-map",
        "Factor map",
        lead="Causes sit on the left, mediators in the middle, outcomes on the right. Green "
        "arrows raise their target, red arrows lower it; thicker arrows carry more weight. "
        "Use the slider to hide weak links, find a factor to see only its neighbourhood, or "
        "switch to the view by kind. Hover a factor for its summary and a link's midpoint for "
        "its weight; drag to pan, scroll to zoom.",
    )
    by_kind = nodes["kind"].value_counts()
    section.add(
        Chart(
            html=html,
            title="Factors and links",
            source_note=f"Case model “{case.title}”: {len(nodes)} factors, {len(edges)} links.",
            download=Download.csv(edges, f"{case.id}_links.csv"),
            alt=f"A network of {len(nodes)} factors ("
            + ", ".join(
                f"{int(by_kind[k])} {KIND_TITLES[k].split(' (')[0].lower()}"
                for k in KIND_TITLES
                if k in by_kind
            )
            + f") joined by {len(edges)} signed links; the table of the strongest links "
            "below gives the same information in text.",
        )
    )
    strongest = edges.reindex(edges["weight"].abs().sort_values(ascending=False).index).head(12)
    labels = {f.id: f.label for f in case.factors}
    strongest = strongest.assign(
        source=strongest["source"].map(labels),
        target=strongest["target"].map(labels),
        interval=[
            f"[{lo:+.2f}, {hi:+.2f}]"
            for lo, hi in zip(strongest["low"], strongest["high"], strict=True)
        ],
        weight=[f"{w:+.2f}" for w in strongest["weight"]],
    )[["source", "target", "weight", "interval", "rationale"]]
    section.add(
        Table(
            columns=["from", "to", "weight", "interval", "why (our paraphrase)"],
            rows=[[str(x) for x in row] for row in strongest.itertuples(index=False)],
            caption="The twelve strongest links.",
        )
    )
    return section


def factors_section(case: Case) -> Section:
    """Every factor, grouped by kind, with its citations and our paraphrase."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for f in case.factors:
        by_kind[_kind(f.kind)].append(f)
    section = Section(
        "factors",
        "Factors by kind",
        lead="Each factor paraphrases what the sources argue and cites the document and lines "
        "it rests on (stance: supports, contests or mentions). Click a kind to unfold it.",
    )
    for kind, title in KIND_TITLES.items():
        members = by_kind.get(kind, [])
        if not members:
            continue
        rows = [
            [
                f.label,
                f.summary,
                "; ".join(_cite_with_stance(e) for e in f.evidence),
                indicator_label(f.indicator, *_names(case)) if f.indicator else "",
            ]
            for f in members
        ]
        section.add(
            Table(
                columns=[
                    "factor",
                    "what the sources say (our paraphrase)",
                    "evidence",
                    "indicator",
                ],
                rows=rows,
                title=f"{title} ({len(members)})",
                collapsed=True,
            )
        )
    return section


def _cite_with_stance(e: Any) -> str:
    stance = _kind(e.stance)
    voice = f", {e.voice}" if getattr(e, "voice", None) else ""
    return f"{cite(e)} ({stance}{voice})"


def _citation_order(citation: str) -> tuple[str, int, str]:
    """Sort ``doc:a-b`` citations by document, then by first line as a number."""
    doc, _, lines = citation.rpartition(":")
    first = lines.split("-")[0]
    return (doc, int(first) if first.isdigit() else 0, lines)


#: Camps of voices, by the kind of document they speak in.
CAMPS: dict[str, str] = {
    "interview": "Interviewed experts",
    "bulletin": "Analysts and officials in policy bulletins",
    "paper": "Scholars and theorists",
    "thesis": "Scholars and theorists",
}


def _surname(name: str) -> str:
    return name.split(" and ")[0].split()[-1].casefold() if name.split() else name


def _doc_meta(d: Any) -> tuple[str, str, str]:
    """(publisher or issuer, date, authors) of a document, reading newer fields if present."""
    issuer = getattr(d, "issuer", None) or getattr(d, "publisher", "") or ""
    date = getattr(d, "date", None) or getattr(d, "year", "") or ""
    authors = ", ".join(getattr(d, "authors", None) or [])
    return str(issuer), str(date), authors


def _position(items: list[tuple[str, str, str]]) -> str:
    """One sentence in our words: which factors the voice supports, contests or mentions."""
    verbs = {"supports": "Argues for", "contests": "disputes", "mentions": "discusses"}
    parts: list[str] = []
    for stance in ("supports", "contests", "mentions"):
        labels = list(dict.fromkeys(f"“{lab}”" for lab, st, _ in items if st == stance))
        if labels:
            verb = verbs[stance] if not parts else verbs[stance].lower()
            more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
            parts.append(f"{verb} {', '.join(labels[:3])}{more}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def experts_section(case: Case) -> Section:
    """Who says what, grouped by camp: affiliation, document, date, position, citation."""
    docs = {d.file: d for d in case.documents}
    voices: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for f in case.factors:
        for e in f.evidence:
            if e.voice:
                voices[(e.voice, e.doc)].append((f.label, _kind(e.stance), cite(e)))
    camps: dict[str, list[list[str]]] = defaultdict(list)
    for (voice, doc), items in sorted(voices.items(), key=lambda kv: _surname(kv[0][0])):
        d = docs.get(doc)
        camp = CAMPS.get(_kind(d.kind), "Other voices") if d is not None else "Other voices"
        issuer, date, _ = _doc_meta(d) if d is not None else ("", "", "")
        camps[camp].append(
            [
                voice,
                issuer,
                d.title if d is not None else doc,
                date,
                _position(items),
                ", ".join(sorted({c for *_, c in items}, key=_citation_order)),
            ]
        )
    section = Section(
        "experts",
        "Experts and officials",
        lead="Who takes which position in the sources, grouped by camp and sorted by surname. "
        "Positions are our paraphrase; each cites the document and lines it rests on.",
    )
    if not camps:
        section.add(Paragraph("The case names no expert voices.", tone="note"))
    for camp in dict.fromkeys([*CAMPS.values(), "Other voices"]):
        rows = camps.get(camp)
        if rows:
            section.add(
                Table(
                    columns=["who", "affiliation", "document", "date", "position", "where"],
                    rows=rows,
                    title=f"{camp} ({len(rows)})",
                )
            )
    return section


def documents_rows(case: Case) -> Iterable[list[str]]:
    """Rows for the sources section: title, author, publisher, date, kind, use, citation."""
    cited: dict[str, int] = defaultdict(int)
    for f in case.factors:
        for e in f.evidence:
            cited[e.doc] += 1
    for d in sorted(case.documents, key=lambda d: str(d.title).casefold()):
        issuer, date, authors = _doc_meta(d)
        yield [
            d.title,
            authors or "—",
            issuer,
            date,
            _kind(d.kind),
            str(cited.get(d.file, 0)),
            d.file,
        ]


def documents_block(case: Case) -> Table:
    return Table(
        columns=["title", "author", "publisher", "date", "kind", "factor citations", "cited as"],
        rows=list(documents_rows(case)),
        caption="Source documents of the case, by title. Claims are paraphrased, never quoted "
        "at length; “cited as” is the file name used in citations (file:lines).",
        title="Documents",
    )


def scenario_rows(case: Case) -> Bullets:
    """Each scenario with the levers it sets, by factor label (never by id)."""
    label = {f.id: f.label for f in case.factors}
    items = []
    for s in case.scenarios:
        clamps = (
            ", ".join(f"{label.get(k, k)} at {v:+.2f}" for k, v in (s.clamps or {}).items())
            or "no lever set"
        )
        items.append(f"{s.label}: {clamps}. {s.rationale}")
    return Bullets(items=items, title="Scenario library")


def _names(case: Case) -> tuple[str, str]:
    """The dyad's names as the case spells them (first two actors)."""
    return (str(case.actors[0].name), str(case.actors[1].name))
