"""The examples in the indicator docstrings run, and citations follow the indicators."""

from __future__ import annotations

import doctest
import importlib

import pytest

from dyadscope.data.store import Store
from dyadscope.indicators import citations, dyad_years

MODULES = [
    "dyadscope.indicators",
    "dyadscope.indicators._base",
    "dyadscope.indicators.unga",
    "dyadscope.indicators.arms",
    "dyadscope.indicators.trade",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_citations_follow_the_indicators(store: Store) -> None:
    only_cinc = citations(["cinc_a", "cinc_ratio_b_a"])
    assert len(only_cinc) == 1 and "Singer" in only_cinc[0]
    wide = dyad_years(store, "RUS", "CHN", 2010, 2010, only=["unga_same_vote", "arms"])
    cited = " ".join(citations(wide))
    assert "Voeten" in cited and "SIPRI" in cited and "Singer" not in cited
    assert citations([]) == []


def test_every_indicator_is_in_the_names_table() -> None:
    """docs/indicators.md has one table row per registered indicator, and no stale id."""
    import re
    from pathlib import Path

    from dyadscope.indicators import INDICATORS

    text = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text()
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.MULTILINE)
    assert sorted(documented) == sorted(INDICATORS)
