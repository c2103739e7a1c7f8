"""The package's structure holds: no import cycles, every exception in ``errors.py``.

The import graph is built from the source with :mod:`ast` (nothing is imported), so a
cycle is caught even when the import order of the test run happens to hide it.  The
layer rule of docs/ARCHITECTURE.md ("Import direction") is checked in
``tests/test_api.py``; this file checks what that rule cannot see: cycles inside a
layer (``report.brief`` <-> ``report.assemble`` was one, ``data.store`` <->
``data.vendor_manifest`` another).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "dyadscope"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports run when the module is imported: not in functions, not for type checkers."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _top_level_imports(node.body)
            yield from _top_level_imports(node.orelse)
        elif isinstance(node, ast.ClassDef | ast.With):
            yield from _top_level_imports(node.body)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _top_level_imports(block)
            for handler in node.handlers:
                yield from _top_level_imports(handler.body)


def _with_packages(target: str, importer: str) -> set[str]:
    """``target`` and the packages Python initialises to import it (not the importer's own)."""
    parts = target.split(".")
    out = {target}
    for i in range(2, len(parts)):
        package = ".".join(parts[:i])
        if not (importer == package or importer.startswith(package + ".")):
            out.add(package)
    return {m for m in out if m in MODULES}


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        found = set()
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
        return found
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if MODULES[module].name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    found = set()
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES}


def import_graph() -> dict[str, set[str]]:
    """Module -> the dyadscope modules its top-level imports load."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: set[str] = set()
        for node in _top_level_imports(tree.body):
            for target in _targets(module, node):
                edges |= _with_packages(target, module)
        edges.discard(module)
        graph[module] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted.

    >>> find_cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(cycles)


def test_the_graph_sees_the_package() -> None:
    """The graph is not empty by accident: known edges are there, lazy ones are not."""
    graph = import_graph()
    assert "dyadscope.data.vendored" in graph
    assert "dyadscope.data.store" in graph["dyadscope.data.vendored"]
    assert "dyadscope.report.model" in graph["dyadscope.report.brief"]
    # report.brief imports assemble inside build_brief: not a top-level edge.
    assert "dyadscope.report.assemble" not in graph["dyadscope.report.brief"]


def test_no_import_cycles() -> None:
    """No cycle among top-level imports (function-level and TYPE_CHECKING ones are fine)."""
    graph = import_graph()
    cycles = find_cycles(graph)
    detail = [
        [f"{a} -> {b}" for a in cycle for b in sorted(graph[a]) if b in cycle] for cycle in cycles
    ]
    assert cycles == [], detail


def test_a_cycle_would_be_found() -> None:
    """The checker itself: a cycle through a package ``__init__`` is reported."""
    assert find_cycles({"p": {"p.a"}, "p.a": {"q.b"}, "q": {"p.a"}, "q.b": {"q"}}) == [
        ["p.a", "q", "q.b"]
    ]


@pytest.mark.parametrize("module", ["dyadscope.report.brief", "dyadscope.data.store"])
def test_moved_names_still_import(module: str) -> None:
    """Old import paths of moved names keep working (public API)."""
    import importlib

    mod = importlib.import_module(module)
    if module.endswith("brief"):
        from dyadscope.report.model import BriefOptions, Card

        assert mod.BriefOptions is BriefOptions and mod.Card is Card
    else:
        from dyadscope.data.vendored import open_store, vendored_store

        assert mod.vendored_store is vendored_store and mod.open_store is open_store
        with pytest.raises(AttributeError):
            _ = mod.no_such_name


def test_public_exceptions_live_in_errors() -> None:
    """Every public exception class is defined in ``errors.py`` and is a DyadscopeError.

    Private control-flow exceptions (``_Retryable``) may live next to their only user.
    """
    import dyadscope.errors as errors

    outside = []
    for module, path in MODULES.items():
        if module == "dyadscope.errors":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {ast.unparse(b).rpartition(".")[2] for b in node.bases}
                if bases & {"Exception", "ValueError", "KeyError", "RuntimeError"} or any(
                    isinstance(getattr(errors, b, None), type) for b in bases
                ):
                    outside.append(f"{module}.{node.name}")
    assert outside == []
    public = [v for k, v in vars(errors).items() if isinstance(v, type) and not k.startswith("_")]
    assert len(public) > 10
    assert all(issubclass(cls, errors.DyadscopeError) for cls in public)
