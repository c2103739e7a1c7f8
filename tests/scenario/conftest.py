"""Fixtures of the scenario-engine tests: a small invented case and random small maps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from dyadscope.case import Case, load_case

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def lever_case_path() -> Path:
    """Path of the invented two-outcome case (see the comment at the top of the file)."""
    return FIXTURES / "lever_case.yaml"


@pytest.fixture(scope="session")
def lever_case(lever_case_path: Path) -> Case:
    """The invented case, loaded and validated by the case model."""
    return load_case(lever_case_path)


def _random_map(n: int, seed: int, density: float = 0.5) -> np.ndarray:
    """A sparse random weight matrix in [-1, 1] whose first column is zero.

    The zero column makes node 0 exogenous, so the "nothing acts on it, it keeps its
    starting value" convention is exercised in every comparison.
    """
    rng = np.random.default_rng(seed)
    W = rng.uniform(-1, 1, (n, n)) * (rng.random((n, n)) < density)
    W[:, 0] = 0.0
    return W


@pytest.fixture(scope="session")
def random_map() -> Callable[..., np.ndarray]:
    """Factory of small random maps: ``random_map(n, seed, density=0.5)``."""
    return _random_map
