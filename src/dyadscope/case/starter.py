"""A starter case for any pair: the skeleton an analyst fills in, valid from the start.

The starter names the two states and holds one placeholder factor of each standard
kind and one placeholder document (the analyst's ``notes.txt``). It makes no claim
about the relationship: every summary says what to write there, each factor "mentions"
line 1 of the notes (the validator wants a citation), source factors sit at the
neutral level 0, and there are no links or scenarios. It passes
:func:`dyadscope.case.validate_case` as written, so an analyst can build a brief
with it at once and add substance step by step.

>>> text = starter_case_text("usa", "CHN", year=2026)
>>> "iso3: USA" in text and "iso3: CHN" in text
True
"""

from __future__ import annotations

import datetime as dt

import yaml

from dyadscope.case.schema import FACTOR_KINDS

#: What each standard kind of factor holds, for the placeholder's summary.
_KIND_HINTS: dict[str, str] = {
    "driver": "something that pushes the two states together",
    "limitation": "something that caps how close they can get",
    "friction": "a standing irritant between them",
    "lever": "something a scenario can move (a policy, a shock)",
    "key_variable": "a quantity the sources track, ideally tied to an indicator",
    "outcome": "a state of the relationship the scenarios end in",
    "context": "background the sources assume (history, theory)",
}


#: The one citation a starter makes: line 1 of the analyst's own notes, stance "mentions"
#: (it supports nothing). The validator requires a citation for every factor.
_PLACEHOLDER_CITE: dict[str, str] = {"doc": "notes.txt", "lines": "1", "stance": "mentions"}


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


def starter_case(a: str, b: str, *, year: int | None = None) -> dict[str, object]:
    """The starter case for ``a``–``b`` as plain data (resolved ISO3 codes and names)."""
    from dyadscope.data.dyad import Dyad

    dyad = Dyad.resolve(a, b)
    na, nb = dyad.names
    stamp = year or dt.date.today().year
    factors = [
        {
            "id": f"{kind}_1",
            "kind": kind,
            "label": f"{kind.replace('_', ' ').capitalize()} 1 (to write)",
            "summary": f"Placeholder: replace with {_KIND_HINTS[kind]}, in your own words, "
            "and cite the document lines it rests on under evidence.",
            "evidence": [dict(_PLACEHOLDER_CITE)],
            **(
                {}
                if kind == "outcome"
                else {
                    "level": 0.0,
                    "level_rationale": "Placeholder: neutral until the sources are read.",
                    "level_evidence": [dict(_PLACEHOLDER_CITE)],
                }
            ),
        }
        for kind in FACTOR_KINDS
    ]
    return {
        "id": f"{_slug(na)}_{_slug(nb)}",
        "title": f"{na} and {nb} (starter case, to be written)",
        "summary": f"A starter case for {na}–{nb}. It makes no claims yet: add documents, "
        "replace the placeholder factors, link them with weights and intervals, and cite "
        "every claim.",
        "actors": [{"iso3": dyad.a, "name": na}, {"iso3": dyad.b, "name": nb}],
        "documents": [
            {
                "file": "notes.txt",
                "title": "Placeholder: your first source document",
                "publisher": "to be filled in",
                "year": stamp,
                "kind": "paper",
            }
        ],
        "factors": factors,
        "links": [],
        "scenarios": [],
    }


def starter_case_text(a: str, b: str, *, year: int | None = None) -> str:
    """The starter case as commented YAML, ready to write to a file."""
    data = starter_case(a, b, year=year)
    header = (
        "# Starter case written by dyadscope. It validates as it is and claims nothing.\n"
        "# Replace each placeholder, cite documents (doc, lines, stance) for every factor\n"
        "# and link, then check it with the case validator.\n"
    )
    body: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    return header + body
