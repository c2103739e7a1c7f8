"""Dataset adapters from other packages: the ``dyadscope.adapters`` entry-point group.

Adapters are found like events engines (``dyadscope.engines``), and both follow one
rule: a name already taken by another class is refused with ``DuplicateName``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import dyadscope.data.registry as registry
from dyadscope.errors import DuplicateName

PLUGIN = """
from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec


class Toy(CsvAdapter):
    name = "{name}"
    title = url = version = citation = licence = "toy"
    raw_columns = frozen({{"ccode": "int", "year": "int"}})
    code_columns = frozen({{"ccode": "cow"}})
    table = TableSpec("toy", {{"ccode": "INTEGER", "year": "INTEGER"}}, key=("ccode", "year"))
"""


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Announce ``toy_plugin_mod:Toy`` (with a name of the test's choosing) as an entry point."""

    def announce(name: str) -> None:
        (tmp_path / "toy_plugin_mod.py").write_text(PLUGIN.format(name=name))
        monkeypatch.syspath_prepend(str(tmp_path))
        sys.modules.pop("toy_plugin_mod", None)
        point = EntryPoint(name, "toy_plugin_mod:Toy", registry.ADAPTER_ENTRY_POINTS)

        def entry_points(*, group: str) -> list[EntryPoint]:
            return [point] if group == registry.ADAPTER_ENTRY_POINTS else []

        monkeypatch.setattr(registry, "entry_points", entry_points)
        monkeypatch.setattr(registry, "_discovered", False)

    saved = dict(registry.adapters())  # the built-ins, registered before the plugin
    try:
        yield announce
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)
        sys.modules.pop("toy_plugin_mod", None)


def test_an_entry_point_adapter_is_found_and_loads(plugin, tmp_path: Path) -> None:
    from dyadscope.data.store import Store

    plugin("toy_plugin")
    assert "toy_plugin" in registry.adapters()
    path = tmp_path / "toy.csv"
    path.write_text("ccode,year\n365,2000\n710,2000\n")
    with Store() as db:
        assert registry.load_file("toy_plugin", path, db).rows == 2


def test_an_entry_point_cannot_take_a_builtin_name(plugin) -> None:
    plugin("nmc")
    with pytest.raises(DuplicateName, match=r"'nmc' is taken by dyadscope\.data\.adapters\."):
        registry.adapters()
    assert registry._REGISTRY["nmc"].__module__.startswith("dyadscope.data.adapters")


def test_registering_the_same_class_twice_is_harmless() -> None:
    cls = registry.adapters()["nmc"]
    assert registry.register_adapter(cls) is cls


def test_engines_follow_the_same_rule() -> None:
    import pandas as pd

    from dyadscope.events import engines

    engines.get_engine("duckdb")  # the built-in is registered

    class Impostor(engines.EventEngine):
        name = "duckdb"

        def series(self, store_dir: Path, query: engines.SeriesQuery) -> pd.DataFrame:
            return pd.DataFrame()

    with pytest.raises(DuplicateName, match="'duckdb' is taken by"):
        engines.register_engine(Impostor)
    assert engines.ENGINES["duckdb"] is not Impostor
    builtin = engines.ENGINES["duckdb"]
    assert engines.register_engine(builtin) is builtin
