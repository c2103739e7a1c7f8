"""Validate a case file and report every problem at once, each with its YAML path and line.

Validation runs in three passes over the same raw mapping: the pydantic schema
(types, ranges, slugs, ISO3 codes, line-range syntax), the whole-case reference
checks, and — when the documents are at hand — the cited line ranges against the
documents themselves.  All problems are gathered before anything is raised, so
an analyst fixes a file in one round instead of one error at a time.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dyadscope._io import read_text_limited
from dyadscope.case._problems import PathPart, Problem
from dyadscope.case.levels import level_document_problems, level_problems
from dyadscope.case.references import document_problems, reference_problems
from dyadscope.case.schema import FIELD_NAMES, SKIP_REFERENCES, Case
from dyadscope.errors import CaseValidationError

LineMap = dict[tuple[PathPart, ...], int]

# Error types whose message already names the offending value.
_SELF_DESCRIBING = {
    "slug",
    "iso3",
    "unit",
    "line_range",
    "file_name",
    "no_evidence",
    "interval_order",
    "interval_weight",
    "interval_without_level",
}


def _key(node: yaml.Node) -> PathPart:
    return node.value if isinstance(node, yaml.ScalarNode) else str(node.value)


def _walk(
    node: yaml.Node,
    path: tuple[PathPart, ...],
    lines: LineMap,
    problems: list[Problem],
    stack: frozenset[int],
) -> None:
    """Record the line of every path under ``node``; flag keys given twice in one mapping.

    PyYAML keeps the last of two equal keys without a word, which would silently
    drop data, so a repeated key is a problem here.
    """
    if id(node) in stack:  # a recursive alias; nothing more to map
        return
    stack = stack | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: dict[PathPart, int] = {}
        for key_node, value_node in node.value:
            key = _key(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        (*path, key), f"key {key!r} given twice (first on line {seen[key]})"
                    ).with_line(line)
                )
            else:
                seen[key] = line
                lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, problems, stack)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.setdefault((*path, i), item.start_mark.line + 1)
            _walk(item, (*path, i), lines, problems, stack)


def _reject_collection_aliases(root: yaml.Node | None, source: str) -> None:
    """Refuse a list or mapping reused through a YAML alias (``*name``).

    Each reuse multiplies what is read after it, so a few lines of nested aliases
    (the "billion laughs") would expand without bound in validation; a case file
    has no need for them.  Aliases of plain values are harmless and allowed.
    """
    seen: set[int] = set()
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            continue
        if id(node) in seen:
            raise CaseValidationError(
                source,
                [
                    f"line {node.start_mark.line + 1}: this list or mapping is reused "
                    "through a YAML alias; case files may not alias lists or mappings "
                    "(they can expand without bound), so write the values out"
                ],
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo.extend(v for pair in node.value for v in pair)
        else:
            todo.extend(node.value)


#: libyaml's parser with PyYAML's safe constructor (~6x faster on the shipped case)
#: where PyYAML was built with it, else the pure-Python safe loader.
FAST_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_and_construct(
    text: str, source: str, loader_class: type[yaml.SafeLoader]
) -> tuple[Any, Any]:
    """One parse: the node tree (for the lines) and the data constructed from it."""
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        _reject_collection_aliases(root, source)
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return root, data


def parse_yaml(text: str, source: str) -> tuple[Any, LineMap, list[Problem]]:
    """Load YAML safely and map each YAML path to its line number.

    Returns the data, the line map and the problems found while reading (keys given
    twice).  Malformed YAML raises :class:`CaseValidationError` naming the line.

    >>> data, lines, _ = parse_yaml("id: x\\nfactors:\\n  - id: a\\n", "demo.yaml")
    >>> lines[("factors", 0, "id")]
    3
    """
    try:
        try:
            root, data = _compose_and_construct(text, source, FAST_SAFE_LOADER)
        except yaml.YAMLError:  # PyYAML's own parser words the error as it always has
            root, data = _compose_and_construct(text, source, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CaseValidationError(source, [f"{where}malformed YAML: {problem}"]) from None
    lines: LineMap = {}
    problems: list[Problem] = []
    if root is not None:
        lines[()] = root.start_mark.line + 1
        _walk(root, (), lines, problems, frozenset())
    return data, lines, problems


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _spelling(key: PathPart) -> str:
    close = difflib.get_close_matches(str(key), sorted(FIELD_NAMES), n=1)
    return f"; did you mean {close[0]!r}?" if close else "; check the spelling"


def pydantic_problems(exc: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into path-style problems with plain messages."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
        if kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            message = f"unknown field {loc[-1]!r} (not in the case schema{_spelling(loc[-1])})"
        else:
            message = err["msg"][:1].lower() + err["msg"][1:]
            if kind not in _SELF_DESCRIBING and not isinstance(err.get("input"), (dict, list)):
                message += f", got {_short(err.get('input'))}"
        problems.append(Problem(loc, message))
    return problems


def _line_of(path: tuple[PathPart, ...], lines: LineMap) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


DocsDirs = str | Path | Sequence[str | Path]


def _folder_problems(data: Mapping[str, Any], docs_dir: DocsDirs) -> list[Problem]:
    """Cited-line problems against one folder of documents or several.

    With several folders (the seeds and the later public documents, say), each document
    is looked up in every folder, in order, by name or by checksum
    (:class:`~dyadscope.case.locate.DocumentLocator`); "not found" means no folder has it.
    """
    folders = [docs_dir] if isinstance(docs_dir, str | Path) else list(docs_dir)
    if not folders:
        return []
    return document_problems(data, folders) + level_document_problems(data, folders)


def validate_data(
    data: Any,
    *,
    source: str = "<case>",
    docs_dir: DocsDirs | None = None,
    lines: LineMap | None = None,
    extra: list[Problem] | None = None,
) -> Case:
    """Validate a case held as a mapping (e.g. built in code); see :func:`validate_case`.

    >>> validate_data({"id": "x"})  # doctest: +SKIP
    Traceback (most recent call last):
    dyadscope.errors.CaseValidationError: <case>: 5 problem(s) ...
    """
    problems = list(extra or [])
    case: Case | None = None
    if not isinstance(data, Mapping):
        problems.append(Problem((), f"a case is a mapping of fields, got {type(data).__name__}"))
    else:
        try:
            case = Case.model_validate(data, context={SKIP_REFERENCES: True})
        except ValidationError as exc:
            problems += pydantic_problems(exc)
        problems += reference_problems(data)
        problems += level_problems(data)
        if docs_dir is not None:
            problems += _folder_problems(data, docs_dir)
    if problems:
        lines = lines or {}
        located = [
            p if p.line is not None else p.with_line(_line_of(p.path, lines)) for p in problems
        ]
        located.sort(key=lambda p: (p.line is None, p.line or 0))
        raise CaseValidationError(source, list(dict.fromkeys(str(p) for p in located)))
    assert case is not None  # no problems means the schema accepted the data
    case._source = source
    return case


def validate_text(text: str, source: str, docs_dir: DocsDirs | None = None) -> Case:
    """Validate YAML text; ``source`` names it in messages (a path or a resource name)."""
    data, lines, problems = parse_yaml(text, source)
    return validate_data(data, source=source, docs_dir=docs_dir, lines=lines, extra=problems)


#: Largest case file read, in bytes (the shipped Russia–China case is about 0.1 MB).
MAX_CASE_BYTES = 5_000_000


def read_case_text(path: str | Path) -> str:
    """Read a case file, turning a missing, unreadable, special or oversized file into
    an :class:`InputError` (limit: :data:`MAX_CASE_BYTES`)."""
    return read_text_limited(path, MAX_CASE_BYTES, what="case file")


def validate_case(path: str | Path, docs_dir: DocsDirs | None = None) -> Case:
    """Load and check a case file; raise :class:`CaseValidationError` listing every problem.

    With ``docs_dir`` (a folder, or a list of folders), cited documents must exist
    there and cited lines must fall inside them.  Nothing is written, whatever the outcome.

    >>> case = validate_case("my_case.yaml", docs_dir="seeds/")  # doctest: +SKIP
    >>> len(case.factors)  # doctest: +SKIP
    34
    """
    return validate_text(read_case_text(path), str(path), docs_dir)
