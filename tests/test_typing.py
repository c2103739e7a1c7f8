"""Strict typing holds: ``mypy`` (configured by ``[tool.mypy]`` in pyproject.toml) is clean.

mypy reads the files to check (``src/dyadscope``) and the strict settings from
pyproject.toml, so the test runs it from the repository root with no arguments, the
way ``make test`` and CI do.

The whole package is clean (issue 10), so any new error fails the test; the test prints
the errors it finds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_strict_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("MYPYPATH", raising=False)
    stdout, stderr, status = api.run([])
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    print("\n".join(errors) or stdout)
    assert stderr == ""
    assert status == 0, f"mypy found {len(errors)} error(s):\n" + "\n".join(errors)
