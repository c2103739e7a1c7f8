"""What the sources say: the data behind the brief section of that name.

The brief never reads documents at run time (the product ships no source text), so
everything here comes from the case file: its voiced citations (who says what, and
when, from each document's date or year), its claims (figures the documents state)
set beside the dataset values, and the factors of the dated layer past the seeds.

A claim *matches* the data when the stated figure is within :data:`MATCH_TOLERANCE`
of the dataset value (relative), shows a *gap* otherwise, and has *no counterpart*
when the dataset says nothing for that indicator and year.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from dyadscope.case.schema import Case, Document
from dyadscope.data.store import Store

__all__ = ["MATCH_TOLERANCE", "SEEDS_UNTIL", "SourcesSay", "sources_say"]

#: Relative difference within which a stated figure matches the dataset value.
MATCH_TOLERANCE = 0.10
#: Documents dated after this year form the case's later layer.
SEEDS_UNTIL = 2021


@dataclass(frozen=True)
class SourcesSay:
    """Positions by voice and date, claims against the data, and the later layer."""

    positions: pd.DataFrame  # voice, date, doc, lines, factor, factor_label, stance
    figures: pd.DataFrame  # indicator, measure, year, stated, dataset_value, gap, verdict, …
    later: pd.DataFrame  # factor, label, period, citations, documents, links
    as_of: dt.date | None


def _when(doc: Document | None) -> str:
    if doc is None:
        return "NA"
    return doc.date.isoformat() if doc.date else str(doc.year)


def _verdict(stated: float, data: float) -> str:
    if math.isnan(data):
        return "no counterpart"
    if data == 0:
        return "match" if stated == 0 else "gap"
    return "match" if abs(stated - data) <= MATCH_TOLERANCE * abs(data) else "gap"


def sources_say(case: Case, store: Store) -> SourcesSay:
    """Gather the section's data for ``case``, dataset values from ``store``.

    >>> from dyadscope.case import load_case
    >>> from dyadscope.data.store import vendored_store
    >>> say = sources_say(load_case(), vendored_store())  # doctest: +SKIP
    >>> sorted(set(say.figures.verdict))  # doctest: +SKIP
    ['gap', 'match', 'no counterpart']
    """
    from dyadscope.indicators import INDICATORS, compute

    docs = {d.file: d for d in case.documents}
    positions = pd.DataFrame(
        [
            {
                "voice": v.voice,
                "date": _when(docs.get(v.doc)),
                "doc": v.doc,
                "lines": v.lines,
                "factor": v.factor,
                "factor_label": case.factor(v.factor).label,
                "stance": v.stance,
            }
            for v in case.voices()
        ],
        columns=["voice", "date", "doc", "lines", "factor", "factor_label", "stance"],
    ).sort_values(["voice", "date", "doc"], kind="stable", ignore_index=True)

    a, b = case.dyad
    values: dict[tuple[str, int], float] = {}
    if case.claims:
        years = [c.year for c in case.claims]
        # Only the claimed indicators: computing every family (energy above all) cost
        # seconds of `dyadscope brief` for values no claim compares against.
        only = sorted({c.indicator for c in case.claims if c.indicator in INDICATORS})
        for source in ("dots", "cow"):  # COW where it has the year, DOTS after it
            if not only:
                break
            frame = compute(store, a, b, min(years), max(years), only=only, trade_source=source)
            frame = frame.dropna(subset=["value"])
            for ind, yr, val in zip(
                frame["indicator"].tolist(),
                frame["year"].tolist(),
                frame["value"].tolist(),
                strict=True,
            ):
                values[(str(ind), int(yr))] = float(val)
    figure_rows = []
    for claim in case.claims:
        data = values.get((claim.indicator, claim.year), float("nan"))
        meta = INDICATORS.get(claim.indicator)
        figure_rows.append(
            {
                "indicator": claim.indicator,
                "measure": f"{meta.description} ({meta.unit})" if meta else claim.indicator,
                "year": claim.year,
                "stated": claim.value,
                "dataset_value": data,
                "gap": claim.value - data,
                "verdict": _verdict(claim.value, data),
                "label": claim.label,
                "cited": "; ".join(f"{e.doc}:{e.lines}" for e in claim.evidence),
            }
        )
    figures = pd.DataFrame(
        figure_rows,
        columns=[
            "indicator",
            "measure",
            "year",
            "stated",
            "dataset_value",
            "gap",
            "verdict",
            "label",
            "cited",
        ],
    )

    later_docs = {f for f, d in docs.items() if d.year > SEEDS_UNTIL}
    later = pd.DataFrame(
        [
            {
                "factor": f.id,
                "label": f.label,
                "period": f.period or "NA",
                "citations": "; ".join(f"{e.doc}:{e.lines}" for e in f.evidence),
                "documents": ", ".join(
                    sorted({_when(docs[e.doc]) for e in f.evidence if e.doc in docs})
                ),
                "links": sum(f.id in (k.source, k.target) for k in case.links),
            }
            for f in case.factors
            if f.evidence and all(e.doc in later_docs for e in f.evidence)
        ],
        columns=["factor", "label", "period", "citations", "documents", "links"],
    )
    dates = [d.date for d in case.documents if d.date is not None]
    as_of = case.sources_as_of or (max(dates) if dates else None)
    return SourcesSay(positions, figures, later, as_of)
