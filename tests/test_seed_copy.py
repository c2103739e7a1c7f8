"""No run of ten words from a seed document appears anywhere in the repository.

Seeds are sources to cite and paraphrase; the shared checker lists any copied
passage and exits 1, which fails this test with its report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_no_seed_text_is_copied_into_the_repository(shared_tools: Path) -> None:
    checker = shared_tools / "seed_copy_check.py"
    if not checker.is_file():
        pytest.fail(f"seed copy checker not found at {checker}")
    result = subprocess.run(
        [sys.executable, str(checker), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"copied seed text found:\n{result.stdout}{result.stderr}"
