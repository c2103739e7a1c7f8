"""Whole-case checks: ids, cross-references and cited line ranges.

These checks need more than one field at a time, so pydantic's per-field
validation cannot express them.  They run on the *raw* YAML mapping and skip
anything malformed (the schema reports that), which lets the validator report a
dangling link and a type error in the same run instead of one after the other.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from dyadscope.case._lines import LineRange, LineRangeError
from dyadscope.case._problems import PathPart, Problem
from dyadscope.case.locate import DocumentLocator
from dyadscope.errors import DocumentNotFound, InputError

#: A scenario with this id is the reference run and may clamp nothing.
BASELINE = "baseline"


def _items(data: Mapping[str, Any], key: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Index and mapping of each well-formed entry of a top-level list."""
    value = data.get(key)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                yield i, item


def _evidence(data: Mapping[str, Any]) -> Iterator[tuple[tuple[PathPart, ...], Mapping[str, Any]]]:
    """Path and mapping of every evidence entry, in factors, links and scenarios."""
    for section in ("factors", "links", "scenarios", "claims"):
        for i, item in _items(data, section):
            entries = item.get("evidence")
            if isinstance(entries, list):
                for k, ev in enumerate(entries):
                    if isinstance(ev, Mapping):
                        yield (section, i, "evidence", k), ev


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _duplicates(data: Mapping[str, Any], section: str, field: str, what: str) -> list[Problem]:
    first: dict[Any, int] = {}
    problems = []
    for i, item in _items(data, section):
        value = item.get(field)
        if not isinstance(value, str):
            continue
        key = value.upper() if field == "iso3" else value
        if key in first:
            problems.append(
                Problem(
                    (section, i, field),
                    f"duplicate {what} {value!r} (first at {section}[{first[key]}])",
                )
            )
        else:
            first[key] = i
    return problems


def _factor_ids(data: Mapping[str, Any]) -> list[str]:
    return [f["id"] for _, f in _items(data, "factors") if isinstance(f.get("id"), str)]


def _link_problems(data: Mapping[str, Any], factor_ids: list[str]) -> list[Problem]:
    known = set(factor_ids)
    seen: dict[tuple[str, str], int] = {}
    problems = []
    for i, link in _items(data, "links"):
        ends = {end: link.get(end) for end in ("source", "target")}
        for end, value in ends.items():
            if isinstance(value, str) and value not in known:
                problems.append(
                    Problem(
                        ("links", i, end),
                        f"dangling link: {end} {value!r} is not a factor id"
                        + _hint(value, factor_ids),
                    )
                )
        source, target = ends["source"], ends["target"]
        if not (isinstance(source, str) and isinstance(target, str)):
            continue
        if source == target:
            problems.append(Problem(("links", i), f"self-loop: {source!r} links to itself"))
        elif (source, target) in seen:
            problems.append(
                Problem(
                    ("links", i),
                    f"duplicate link {source} -> {target} (first at links[{seen[source, target]}])",
                )
            )
        else:
            seen[source, target] = i
    return problems


def _scenario_problems(data: Mapping[str, Any], factor_ids: list[str]) -> list[Problem]:
    known = set(factor_ids)
    problems = []
    for i, scenario in _items(data, "scenarios"):
        clamps = scenario.get("clamps", {})
        if not isinstance(clamps, Mapping):
            continue
        if not clamps and scenario.get("id") != BASELINE:
            problems.append(
                Problem(
                    ("scenarios", i, "clamps"),
                    f"no clamps: only the {BASELINE!r} scenario may leave every factor free",
                )
            )
        for key in clamps:
            if isinstance(key, str) and key not in known:
                problems.append(
                    Problem(
                        ("scenarios", i, "clamps", key),
                        f"unknown clamp factor {key!r}" + _hint(key, factor_ids),
                    )
                )
    return problems


def _document_names(data: Mapping[str, Any]) -> list[str]:
    return [d["file"] for _, d in _items(data, "documents") if isinstance(d.get("file"), str)]


def _unknown_documents(data: Mapping[str, Any]) -> list[Problem]:
    names = _document_names(data)
    known = set(names)
    return [
        Problem(
            (*path, "doc"),
            f"unknown document {ev['doc']!r}: not in documents[].file" + _hint(ev["doc"], names),
        )
        for path, ev in _evidence(data)
        if isinstance(ev.get("doc"), str) and ev["doc"] not in known
    ]


def reference_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Every whole-case problem of a raw case mapping (nothing is raised).

    >>> data = {"factors": [{"id": "a"}], "links": [{"source": "a", "target": "b"}]}
    >>> [str(p) for p in reference_problems(data)]
    ["links[0].target: dangling link: target 'b' is not a factor id"]
    """
    factor_ids = _factor_ids(data)
    return [
        *_duplicates(data, "actors", "iso3", "actor"),
        *_duplicates(data, "documents", "file", "document"),
        *_duplicates(data, "factors", "id", "factor id"),
        *_duplicates(data, "scenarios", "id", "scenario id"),
        *_link_problems(data, factor_ids),
        *_scenario_problems(data, factor_ids),
        *_unknown_documents(data),
    ]


def read_lines(path: Path) -> list[str]:
    """The lines of a text file, numbered as editors and ``grep -n`` number them.

    Split on ``\n`` only (``str.splitlines`` would also split on form feeds and
    Unicode separators and shift every later line number).
    """
    text = path.read_bytes().decode("utf-8", errors="replace")
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") or not text else lines


def _span_problem(name: str, span: LineRange, lines: list[str]) -> str | None:
    if span.end > len(lines):
        return f"lines {span} are outside {name!r}, which has {len(lines)} lines"
    if not any(line.strip() for line in lines[span.start - 1 : span.end]):
        return f"lines {span} of {name!r} are blank; a citation must point at text"
    return None


DocsPlaces = str | Path | Sequence[str | Path]


def _places(docs_dir: DocsPlaces) -> list[Path]:
    return [Path(docs_dir)] if isinstance(docs_dir, str | Path) else [Path(p) for p in docs_dir]


def document_texts(
    data: Mapping[str, Any], docs_dir: DocsPlaces
) -> tuple[dict[str, list[str]], list[Problem]]:
    """The lines of each document of a raw case, keyed by its ``file``, and the problems
    of documents that cannot be found (by name, or by checksum: :mod:`~dyadscope.case.locate`).

    ``docs_dir`` is a folder or several, searched in order.
    """
    places = _places(docs_dir)
    for place in places:
        if not place.is_dir():
            raise InputError(f"documents folder {str(place)!r} does not exist or is not a folder")
    locator = DocumentLocator(places)
    texts: dict[str, list[str]] = {}
    problems = []
    for i, doc in _items(data, "documents"):
        name = doc.get("file")
        if not isinstance(name, str) or "/" in name or "\\" in name:
            continue  # the schema reports a missing file or one with folders in it
        try:
            texts[name] = read_lines(locator.locate_document(doc))
        except DocumentNotFound as exc:
            problems.append(Problem(("documents", i, "file"), str(exc)))
    return texts, problems


def document_problems(data: Mapping[str, Any], docs_dir: DocsPlaces) -> list[Problem]:
    """Problems with the documents themselves: missing files, ranges past the end or blank.

    Only run when the caller has the documents (``validate_case(..., docs_dir=...)``);
    ``docs_dir`` is a folder or a list of folders.
    """
    texts, problems = document_texts(data, docs_dir)
    for path_, ev in _evidence(data):
        name, lines = ev.get("doc"), ev.get("lines")
        if name not in texts or isinstance(lines, bool) or not isinstance(lines, (str, int)):
            continue
        try:
            span = LineRange.parse(lines)
        except LineRangeError:
            continue  # the schema reports a malformed range
        message = _span_problem(name, span, texts[name])
        if message:
            problems.append(Problem((*path_, "lines"), message))
    return problems
