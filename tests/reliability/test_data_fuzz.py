"""Fuzzing the CSV loader: every input ends in stored rows or a clear error, never a traceback.

Property-based (hypothesis, derandomized by the suite's profile in ``tests/conftest.py``):
random bytes, random truncation of real NMC rows and random field counts.  The loader must
either store exactly the complete rows or raise a :class:`~dyadscope.errors.DyadscopeError`
naming the file (and, for a bad row, its line) — never another exception, a hang or a
silently dropped row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadscope.data.registry import load_file
from dyadscope.data.store import Store
from dyadscope.errors import DyadscopeError

HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc"
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def nmc_lines(shared_data: Path) -> list[str]:
    """The header and the first 120 data lines of the real NMC v7 file."""
    lines = (shared_data / "cow" / "cow_nmc_v7.csv").read_text().splitlines()
    assert lines[0] == HEADER
    return lines[:121]


def _load(path: Path) -> int | DyadscopeError:
    """Rows stored, or the library's error; any other exception fails the test."""
    store = Store()
    try:
        return load_file("nmc", path, store).rows
    except DyadscopeError as exc:
        assert path.name in str(exc), f"error does not name the file: {exc}"
        if "field(s)" in str(exc) or "not UTF-8" in str(exc) or "cannot parse" in str(exc):
            assert re.search(r"line \d+", str(exc)), f"a bad row's line is not named: {exc}"
        assert store.tables() == [], "a failed load left a table behind"
        return exc


@FUZZ
@given(data=st.binary(max_size=2000), header=st.booleans())
def test_random_bytes(tmp_path: Path, data: bytes, header: bool) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes((HEADER + "\n").encode() + data if header else data)
    _load(path)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=20_000))
def test_random_truncation(tmp_path: Path, nmc_lines: list[str], cut: int) -> None:
    """A cut file stores exactly its complete rows or fails naming the cut line."""
    text = ("\n".join(nmc_lines) + "\n")[:cut]
    path = tmp_path / "cut.csv"
    path.write_text(text)
    outcome = _load(path)
    complete = [line for line in text.splitlines()[1:] if line.count(",") == 8]
    last_cut_short = text and not text.endswith("\n") and text.splitlines()[-1].count(",") < 8
    if isinstance(outcome, int):
        assert outcome == len(complete), "rows were dropped or invented"
        assert not last_cut_short or len(text.splitlines()) == 1
    elif complete and last_cut_short:
        line = len(text.splitlines())
        assert f"(line {line}) has" in str(outcome), str(outcome)


@FUZZ
@given(
    widths=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=30),
    blank_every=st.integers(min_value=0, max_value=5),
)
def test_random_field_counts(tmp_path: Path, widths: list[int], blank_every: int) -> None:
    """Rows of random width: all nine-wide load; otherwise the first bad line is named."""
    lines = [HEADER]
    first_bad: int | None = None
    for i, width in enumerate(widths):
        if blank_every and i % blank_every == 0:
            lines.append("")
        fields = ["365", str(1816 + i), *(str(k) for k in range(width - 2))][:width]
        lines.append(",".join(fields))
        if width != 9 and first_bad is None:
            first_bad = len(lines)
    path = tmp_path / "widths.csv"
    path.write_text("\n".join(lines) + "\n")
    outcome = _load(path)
    if first_bad is None:
        assert outcome == len(widths)
    else:
        assert isinstance(outcome, DyadscopeError)
        assert f"(line {first_bad}) has" in str(outcome), str(outcome)


@settings(FUZZ, max_examples=15)
@given(fraction=st.floats(min_value=0.0, max_value=0.999))
def test_random_gzip_truncation(tmp_path: Path, nmc_lines: list[str], fraction: float) -> None:
    """A cut .gz is always refused as truncated: its stream cannot end cleanly."""
    import gzip

    data = gzip.compress(("\n".join(nmc_lines) + "\n").encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[: int(len(data) * fraction)])
    outcome = _load(path)
    assert isinstance(outcome, DyadscopeError)
    message = str(outcome)  # a cut inside the 2-byte magic leaves no gzip header at all
    assert "truncated or corrupt" in message or "no gzip header" in message, message
