"""Whole-case checks on exogenous levels, clamps and dated states.

A factor nothing acts on (no incoming link) keeps its level through every run of the
map, so that level is an assumption as strong as any link weight: the case must state
it (``level`` in [-1, 1], optional ``level_interval`` for the sampler), say why
(``level_rationale``) and cite a source (``level_evidence``).  Scenarios move the
world through factors of kind ``lever``; clamping any other factor (a mediator the
map should work out for itself) is refused unless the scenario names it in
``non_lever_clamps`` with a reason.  Dated states (``history``) set levers only and
name an outcome.

These checks work on the raw mapping (like :mod:`dyadscope.case.references`) so that
every problem is reported at once, each with its YAML path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dyadscope.case._lines import LineRange, LineRangeError
from dyadscope.case._problems import PathPart, Problem
from dyadscope.case.references import DocsPlaces, _span_problem, document_texts


def _items(data: Mapping[str, Any], key: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    value = data.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                yield i, item


def exogenous_ids(data: Mapping[str, Any]) -> list[str]:
    """Ids of the non-outcome factors no link points at, in case order.

    >>> exogenous_ids({"factors": [{"id": "a", "kind": "driver"}, {"id": "b", "kind": "outcome"},
    ...                            {"id": "c", "kind": "lever"}],
    ...                "links": [{"source": "a", "target": "c"}]})
    ['a']
    """
    targets = {link.get("target") for _, link in _items(data, "links")}
    return [
        f["id"]
        for _, f in _items(data, "factors")
        if isinstance(f.get("id"), str) and f.get("kind") != "outcome" and f["id"] not in targets
    ]


def _kinds(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        f["id"]: f.get("kind") for _, f in _items(data, "factors") if isinstance(f.get("id"), str)
    }


def _level_problems(data: Mapping[str, Any]) -> list[Problem]:
    exo = set(exogenous_ids(data))
    problems = []
    for i, f in _items(data, "factors"):
        fid = f.get("id")
        has_level = f.get("level") is not None
        if fid in exo and not has_level:
            problems.append(
                Problem(
                    ("factors", i, "level"),
                    f"factor {fid!r} has no incoming links, so it holds one level through every "
                    "run; state it: add `level` (in [-1, 1]), `level_rationale` and at least "
                    "one `level_evidence` citation",
                )
            )
        if has_level or f.get("level_interval") is not None:
            if not f.get("level_rationale"):
                problems.append(
                    Problem(("factors", i, "level_rationale"), "a level needs a rationale")
                )
            if not f.get("level_evidence"):
                problems.append(
                    Problem(
                        ("factors", i, "level_evidence"),
                        "a level needs at least one citation (doc, lines, stance)",
                    )
                )
    return problems


def _clamp_problems(data: Mapping[str, Any]) -> list[Problem]:
    kinds = _kinds(data)
    problems = []
    for i, sc in _items(data, "scenarios"):
        clamps = sc.get("clamps") or {}
        declared = sc.get("non_lever_clamps") or {}
        if not isinstance(clamps, Mapping) or not isinstance(declared, Mapping):
            continue
        for fid in clamps:
            kind = kinds.get(fid)
            if kind is not None and kind != "lever" and fid not in declared:
                problems.append(
                    Problem(
                        ("scenarios", i, "clamps", fid),
                        f"{fid!r} is a {kind}, not a lever: scenarios move levers and let the "
                        "map work out the rest; clamp a lever instead, or name it in "
                        "`non_lever_clamps` with the reason",
                    )
                )
        for fid in declared:
            if clamps and fid not in clamps:
                problems.append(
                    Problem(
                        ("scenarios", i, "non_lever_clamps", fid),
                        f"{fid!r} is declared but not clamped; remove it or add it to clamps",
                    )
                )
    return problems


def _history_problems(data: Mapping[str, Any]) -> list[Problem]:
    kinds = _kinds(data)
    problems = []
    for i, st in _items(data, "history"):
        levels = st.get("levels") or {}
        if isinstance(levels, Mapping):
            for fid in levels:
                if fid not in kinds:
                    problems.append(
                        Problem(("history", i, "levels", fid), f"unknown factor {fid!r}")
                    )
                elif kinds[fid] != "lever":
                    problems.append(
                        Problem(
                            ("history", i, "levels", fid),
                            f"{fid!r} is a {kinds[fid]}, not a lever; a dated state sets levers",
                        )
                    )
        expected = st.get("expected")
        if isinstance(expected, str) and kinds.get(expected) != "outcome":
            problems.append(
                Problem(("history", i, "expected"), f"{expected!r} is not an outcome factor")
            )
    return problems


def _extra_evidence(
    data: Mapping[str, Any],
) -> Iterator[tuple[tuple[PathPart, ...], Mapping[str, Any]]]:
    """Evidence the reference checks do not walk: level citations and dated states."""
    for section, key in (("factors", "level_evidence"), ("history", "evidence")):
        for i, item in _items(data, section):
            entries = item.get(key)
            if isinstance(entries, list):
                for k, ev in enumerate(entries):
                    if isinstance(ev, Mapping):
                        yield (section, i, key, k), ev


def _unknown_documents(data: Mapping[str, Any]) -> list[Problem]:
    known = {d.get("file") for _, d in _items(data, "documents")}
    return [
        Problem((*path, "doc"), f"unknown document {ev['doc']!r}: not in documents[].file")
        for path, ev in _extra_evidence(data)
        if isinstance(ev.get("doc"), str) and ev["doc"] not in known
    ]


def level_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Every problem with levels, clamps and dated states of a raw case mapping.

    >>> data = {"factors": [{"id": "a", "kind": "driver"}, {"id": "o", "kind": "outcome"}],
    ...         "links": [{"source": "a", "target": "o"}]}
    >>> [str(p)[:40] for p in level_problems(data)]
    ["factors[0].level: factor 'a' has no inco"]
    """
    return [
        *_level_problems(data),
        *_clamp_problems(data),
        *_history_problems(data),
        *_unknown_documents(data),
    ]


def level_document_problems(data: Mapping[str, Any], docs_dir: DocsPlaces) -> list[Problem]:
    """Cited lines of level and dated-state evidence that fall outside or on blank lines.

    Documents are found as :func:`~dyadscope.case.references.document_texts` finds them
    (missing ones are reported there, not here).
    """
    texts, _ = document_texts(data, docs_dir)
    problems = []
    for path_, ev in _extra_evidence(data):
        name, lines = ev.get("doc"), ev.get("lines")
        if not isinstance(name, str) or name not in texts or isinstance(lines, bool):
            continue
        if not isinstance(lines, (str, int)):
            continue
        try:
            span = LineRange.parse(lines)
        except LineRangeError:
            continue
        message = _span_problem(name, span, texts[name])
        if message:
            problems.append(Problem((*path_, "lines"), message))
    return problems
