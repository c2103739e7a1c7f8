"""Fixtures of the case tests: a small valid case about an invented dyad, and its documents."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from dyadscope.case import validate_data
from dyadscope.errors import CaseValidationError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def minimal_path() -> Path:
    """A valid case (ARG–BRA, four factors, three links, two scenarios) written for tests."""
    return FIXTURES / "minimal.yaml"


@pytest.fixture(scope="session")
def fixture_docs() -> Path:
    """The two invented documents ``minimal.yaml`` cites."""
    return FIXTURES / "docs"


@pytest.fixture
def minimal_data(minimal_path: Path) -> dict[str, Any]:
    """A fresh copy of ``minimal.yaml`` as a mapping, ready to be broken by a test."""
    return copy.deepcopy(yaml.safe_load(minimal_path.read_text(encoding="utf-8")))


def _problems_of(data: Any, docs_dir: Path | None = None) -> list[str]:
    with pytest.raises(CaseValidationError) as info:
        validate_data(data, source="test.yaml", docs_dir=docs_dir)
    assert info.value.source == "test.yaml"
    return info.value.problems


@pytest.fixture
def problems_of() -> Callable[..., list[str]]:
    """Validate data and return the problems reported; the test fails if it is accepted."""
    return _problems_of
