"""SQL quoting: the one helper module round-trips any text, and no module quotes by hand.

Issue 9: ``SET temp_directory = '{path}'`` in the events ingest let a store path end
the literal and run its own SQL, and an apostrophe in a home folder broke every
ingest.  Seven places quoted values by hand; all now go through
:mod:`dyadscope._sql`, and :func:`test_no_hand_quoted_sql_in_src` keeps it so.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadscope._sql import date_literal, quote_identifier, quote_list, quote_literal

SRC = Path(__file__).resolve().parent.parent / "src" / "dyadscope"
#: Upper-case words that mark an f-string as SQL text.
SQL_WORDS = (
    "SELECT",
    "FROM ",
    "WHERE",
    "COPY",
    "SET ",
    "CREATE",
    "INSERT",
    "CASE WHEN",
    "read_csv",
    "read_parquet",
    "DATE",
    " AS ",
    "VALUES",
)
text_without_nul = st.text(
    st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=40
)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    yield connection
    connection.close()


@given(text_without_nul)
def test_quote_literal_round_trips_through_duckdb(
    con: duckdb.DuckDBPyConnection, value: str
) -> None:
    assert con.execute(f"SELECT {quote_literal(value)}").fetchone() == (value,)


@given(text_without_nul.filter(bool))
def test_quote_identifier_round_trips_through_duckdb(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    cursor = con.execute(f"SELECT 1 AS {quote_identifier(name)}")
    assert [d[0] for d in cursor.description] == [name]


def test_literals_of_paths_lists_and_dates(tmp_path: Path) -> None:
    odd = tmp_path / "o'brien" / "x'; COPY (SELECT 1) TO 'y.csv'; --"
    con = duckdb.connect()
    try:
        con.execute(f"SET temp_directory = {quote_literal(odd)}")
        assert con.execute("SELECT current_setting('temp_directory')").fetchone() == (str(odd),)
        assert con.execute(f"SELECT {quote_list([odd, 'b'])}").fetchone() == ([str(odd), "b"],)
        day = dt.date(2019, 10, 24)
        assert con.execute(f"SELECT {date_literal(day)}").fetchone() == (day,)
    finally:
        con.close()
    assert not (Path.cwd() / "y.csv").exists()
    with pytest.raises(ValueError, match="NUL"):
        quote_literal("a\x00b")
    with pytest.raises(ValueError, match="not valid UTF-8"):
        quote_identifier("bad\udcff")
    with pytest.raises(TypeError):
        date_literal("2019-10-24")  # type: ignore[arg-type]


def _is_sql(node: ast.JoinedStr) -> bool:
    text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return any(word in text for word in SQL_WORDS)


def hand_quoted(source: str) -> list[tuple[int, str]]:
    """Lines of ``source`` that write a value into SQL text between quotes by hand.

    Flagged: an f-string holding SQL words with a ``{value}`` directly between two
    single or two double quotes (``'{path}'``, ``"{name}"``), and any
    ``.replace("'", "''")``, ``chr(39)`` or ``"'" + ...`` (home-made escaping).
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and _is_sql(node):
            parts = node.values
            for i, part in enumerate(parts):
                if not isinstance(part, ast.FormattedValue) or not 0 < i < len(parts) - 1:
                    continue
                before, after = parts[i - 1], parts[i + 1]
                if not (isinstance(before, ast.Constant) and isinstance(after, ast.Constant)):
                    continue
                for quote in ("'", '"'):
                    if before.value.endswith(quote) and after.value.startswith(quote):
                        found.append((node.lineno, f"{quote}{{...}}{quote} in SQL"))
        elif isinstance(node, ast.Call):
            func = node.func
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if isinstance(func, ast.Attribute) and func.attr == "replace" and "'" in args:
                found.append((node.lineno, "replace of a quote"))
            if isinstance(func, ast.Name) and func.id == "chr" and args == [39]:
                found.append((node.lineno, "chr(39)"))
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Add)
            and any(
                isinstance(side, ast.Constant) and side.value in ("'", '"')
                for side in (node.left, node.right)
            )
        ):
            found.append((node.lineno, "quote concatenated by hand"))
    return found


def test_the_scan_finds_the_hand_quoting_it_replaced() -> None:
    """Each pattern that was in src/ before the fix is caught (so the scan can fail)."""
    samples = [
        "con.execute(f\"SET temp_directory = '{work / 'spill'}'\")",
        'q = ", ".join("\'" + str(f).replace("\'", "\'\'") + "\'" for f in files)',
        "sql = f\"COPY (SELECT 1) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (HEADER)\"",
        "sql = f\"WHERE b.event_date >= DATE '{first}'\"",
        "sql = f'TRY_CAST(\"{official}\" AS {kind}) AS {canonical}'",
        "sql = f\"SELECT file_idx, line, '{name}' AS layout FROM t\"",
    ]
    for sample in samples:
        assert hand_quoted(sample), sample
    assert not hand_quoted("msg = f\"line range {text!r}; write '{end}-{start}'\"")
    assert not hand_quoted('sql = f"SELECT {quote_literal(x)} AS {quote_identifier(n)}"')


def test_no_hand_quoted_sql_in_src() -> None:
    """Every value written into SQL text goes through :mod:`dyadscope._sql`."""
    problems = [
        f"{path.relative_to(SRC.parent)}:{line}: {what}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "_sql.py"
        for line, what in hand_quoted(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "hand-quoted SQL; use dyadscope._sql:\n" + "\n".join(problems)
