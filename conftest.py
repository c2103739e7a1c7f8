"""Fixtures for everything pytest collects: the tests and the docstring examples in src/.

``pytest -q`` from the repository root runs ``tests/`` and, with ``--doctest-modules``
(see ``[tool.pytest.ini_options]``), every example in ``src/dyadscope``. The fixtures
of the test suite proper live in ``tests/conftest.py``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

#: Modules that cannot be imported without an optional extra: their docstring examples
#: are collected only where the extra is installed (`make test` installs them all).
collect_ignore = (
    ["src/dyadscope/events/engines/spark_engine.py"]
    if importlib.util.find_spec("pyspark") is None
    else []
)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Never collect a ``conftest.py`` as a doctest module.

    With ``--doctest-modules`` pytest would import each ``tests/**/conftest.py`` again as
    a module named ``conftest`` and stop at the second one ("import file mismatch").
    They hold no examples; pytest still loads them as conftests.
    """
    return True if collection_path.name == "conftest.py" else None


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test or example writes to the user's home: dyadscope's data directory is a temp folder."""
    home = tmp_path_factory.mktemp("dyadscope-home")
    monkeypatch.setenv("DYADSCOPE_HOME", str(home))
