"""Line ranges parse and format round-trip; malformed ranges are refused with a reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadscope.case import LineRange, LineRangeError

line = st.integers(min_value=1, max_value=10**6)
space = st.sampled_from(["", " ", "  "])
#: No example database: tests write nothing outside their temporary folders.
no_db = settings(database=None)


@no_db
@given(line, line)
def test_format_then_parse_round_trips(a: int, b: int) -> None:
    span = LineRange(min(a, b), max(a, b))
    assert LineRange.parse(str(span)) == span


@no_db
@given(line, line, space, space, st.sampled_from(["-", "–"]))
def test_parse_then_format_normalises(a: int, b: int, pad1: str, pad2: str, dash: str) -> None:
    lo, hi = min(a, b), max(a, b)
    text = f"{pad1}{lo}{pad2}{dash}{pad1}{hi}{pad2}"
    span = LineRange.parse(text)
    assert span == (lo, hi)
    assert str(span) == (str(lo) if lo == hi else f"{lo}-{hi}")
    assert LineRange.parse(str(span)) == span


@no_db
@given(line)
def test_single_line_as_int_or_text(n: int) -> None:
    assert LineRange.parse(n) == LineRange.parse(str(n)) == (n, n)
    assert str(LineRange(n, n)) == str(n)


@no_db
@given(line, st.integers(min_value=1, max_value=1000))
def test_backwards_range_is_refused(a: int, gap: int) -> None:
    with pytest.raises(LineRangeError, match="runs backwards"):
        LineRange.parse(f"{a + gap}-{a}")


@pytest.mark.parametrize("text", ["", "a-b", "1-", "-3", "1-2-3", "1,3", "1.5", True, None])
def test_malformed_range_is_refused(text: object) -> None:
    with pytest.raises(LineRangeError):
        LineRange.parse(text)  # type: ignore[arg-type]


def test_line_zero_is_refused() -> None:
    with pytest.raises(LineRangeError, match="lines count from 1"):
        LineRange.parse("0-4")
