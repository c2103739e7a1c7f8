"""Strict typing holds: ``mypy`` (configured by ``[tool.mypy]`` in pyproject.toml) is clean.

mypy reads the files to check (``src/dyadscope``) and the strict settings from
pyproject.toml, so the test runs it from the repository root with no arguments, the
way ``make test`` and CI do.

Issue 10: the folders being reworked (theory/, indicators/ (coverage included),
report/, data/adapters/, scenario/section.py) still carry errors, so the test is an
expected failure until they are clean; it prints the errors either way.  Everything
else in src/dyadscope is clean, and a new error there shows up in the printed list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason="issue 10: mypy errors remain in folders under rework")
def test_mypy_strict_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("MYPYPATH", raising=False)
    stdout, stderr, status = api.run([])
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    print("\n".join(errors) or stdout)
    assert stderr == ""
    assert status == 0, f"mypy found {len(errors)} error(s):\n" + "\n".join(errors)
