"""Citations and expert voices drawn out of a case, for tables and a brief's sources.

A brief shows two views of the evidence: who says what (the expert-positions
table) and what each document is used for (its citations).  Both are derived
here from the ``evidence`` lists of factors, links and scenarios, so the case
file stays the single place where a citation is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from dyadscope.case._lines import LineRange

if TYPE_CHECKING:
    from dyadscope.case.schema import Case, Evidence


class Voice(NamedTuple):
    """One expert or author speaking, in lines cited for one factor."""

    voice: str
    doc: str
    lines: str
    factor: str
    stance: str


class Citation(NamedTuple):
    """One cited line range and what cites it (``factor:x``, ``link:a->b``, ``scenario:s``)."""

    doc: str
    lines: str
    cited_by: str
    stance: str
    voice: str | None


def _start(lines: str) -> int:
    return LineRange.parse(lines).start


def case_voices(case: Case) -> list[Voice]:
    """Voiced citations of factors, sorted by voice, document and first line.

    >>> from dyadscope.case import load_case
    >>> case_voices(load_case())[0].voice  # doctest: +SKIP
    'Alexander Panov'
    """
    rows = [
        Voice(ev.voice, ev.doc, ev.lines, factor.id, ev.stance)
        for factor in case.factors
        for ev in factor.evidence
        if ev.voice
    ]
    return sorted(rows, key=lambda r: (r.voice.casefold(), r.doc, _start(r.lines), r.factor))


def _cited(case: Case) -> list[tuple[str, Evidence]]:
    pairs: list[tuple[str, Evidence]] = []
    for factor in case.factors:
        pairs += [(f"factor:{factor.id}", ev) for ev in factor.evidence]
    for link in case.links:
        pairs += [(f"link:{link.source}->{link.target}", ev) for ev in link.evidence]
    for scenario in case.scenarios:
        pairs += [(f"scenario:{scenario.id}", ev) for ev in scenario.evidence]
    return pairs


def case_citations(case: Case) -> dict[str, list[Citation]]:
    """Citations per document file, documents in case order, each sorted by first line.

    Every document of the case is a key, so a document nobody cites shows up as an
    empty list rather than disappearing.

    >>> from dyadscope.case import load_case
    >>> cites = case_citations(load_case())  # doctest: +SKIP
    >>> cites["001_1533d69b6b02255c.txt"][0].cited_by  # doctest: +SKIP
    'factor:border_settlement'
    """
    out: dict[str, list[Citation]] = {doc.file: [] for doc in case.documents}
    for cited_by, ev in _cited(case):
        out.setdefault(ev.doc, []).append(Citation(ev.doc, ev.lines, cited_by, ev.stance, ev.voice))
    for items in out.values():
        items.sort(key=lambda c: (_start(c.lines), c.cited_by))
    return out
