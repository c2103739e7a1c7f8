"""`dyadscope --help` starts without the heavy libraries that only some commands need.

Importing :mod:`dyadscope.cli` registers every command, so anything a command module
(or what it imports) pulls in at the top is paid by every invocation, ``--help``
included.  SciPy and statsmodels alone took ~1 s; they, networkx (the factor graph)
and httpx (downloads) are imported where they are used.  Checked in a fresh
interpreter, since this test run has long imported them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries `dyadscope --help` must not import (each costs 0.1-0.7 s to import).
LAZY = ("scipy", "statsmodels", "networkx", "httpx", "plotly", "SALib", "ruptures", "polars")


def _imported_by(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in json.loads(out.strip().splitlines()[-1])}


@pytest.mark.parametrize("code", ["import dyadscope.cli", "import dyadscope.scenario"])
def test_no_heavy_library_at_start_up(code: str) -> None:
    loaded = _imported_by(code)
    assert not loaded & set(LAZY), f"`{code}` imports {sorted(loaded & set(LAZY))}"
