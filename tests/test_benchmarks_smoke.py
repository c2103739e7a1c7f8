"""Every benchmark runs in --quick mode: it must finish and pass its own correctness check.

Timing is never judged here (the machine is shared); what fails the test is a benchmark
that raises, most often the ``AssertionError`` of its in-run comparison with the
baseline (identical UNGA pairs, fcmpy's end states, every synthetic event stored).
Each runs in its own process, exactly as ``python -m benchmarks --quick NAME``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: The benchmark names, as ``python -m benchmarks`` finds them (``<name>_bench.py``).
BENCHMARKS = sorted(p.name.removesuffix("_bench.py") for p in REPO.glob("benchmarks/*_bench.py"))


def test_every_benchmark_module_is_found() -> None:
    assert {"events", "scenario", "scenario_robustness", "unga"} <= set(BENCHMARKS)


@pytest.mark.slow
@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_runs_quick_and_checks_itself(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", name],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"`python -m benchmarks --quick {name}` failed:\n{result.stdout[-3000:]}"
        f"{result.stderr[-3000:]}"
    )
    assert f"=== {name} done" in result.stdout
