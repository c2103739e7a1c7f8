"""The one place where values are quoted into SQL text.

Prefer DuckDB parameters (``con.execute(sql, [value])``).  Some statements cannot
take parameters — ``SET``, ``COPY ... TO``, table functions such as ``read_csv`` in
older DuckDB versions, SQL text shared with Spark — and there a value must be
written into the text.  Doing that by hand (``f"... '{path}'"``) breaks on an
apostrophe in a path (``/home/o'brien``) and lets a crafted path run its own SQL;
every such value goes through these functions instead.  ``tests/test_sql.py``
fails when hand-quoted SQL appears anywhere else in ``src/``.

>>> quote_literal("o'brien")
"'o''brien'"
>>> print(quote_identifier('odd "name'))
"odd ""name"
>>> import datetime as dt
>>> date_literal(dt.date(2019, 10, 24))
"DATE '2019-10-24'"
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

__all__ = ["date_literal", "quote_identifier", "quote_list", "quote_literal"]


def quote_literal(value: str | os.PathLike[str]) -> str:
    """``value`` as a SQL string literal: in single quotes, each quote doubled.

    NUL characters and text that is not valid UTF-8 cannot be stored in SQL text
    and are refused with :class:`ValueError`.

    >>> quote_literal("a'; DROP TABLE x; --")
    "'a''; DROP TABLE x; --'"
    """
    text = os.fspath(value)
    if not isinstance(text, str):
        raise TypeError(f"quote_literal needs text or a path, not {type(value).__name__}")
    _check(text)
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """``name`` as a SQL identifier: in double quotes, each double quote doubled.

    >>> quote_identifier("year")
    '"year"'
    """
    _check(name)
    return '"' + name.replace('"', '""') + '"'


def _check(text: str) -> None:
    """Refuse text SQL cannot hold: NUL, or lone surrogates (undecodable file names)."""
    if "\x00" in text:
        raise ValueError(f"{text!r}: a NUL character cannot be written into SQL")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"{text!r} is not valid UTF-8 (a file name in another encoding?); rename it"
        ) from None


def quote_list(values: Iterable[str | os.PathLike[str]]) -> str:
    """A SQL list literal of string literals, e.g. for ``read_parquet([...])``.

    >>> quote_list(["a", "b'c"])
    "['a', 'b''c']"
    """
    return "[" + ", ".join(quote_literal(v) for v in values) + "]"


def date_literal(value: dt.date) -> str:
    """A SQL DATE literal (understood by DuckDB and Spark SQL alike).

    >>> date_literal(dt.date(2000, 1, 31))
    "DATE '2000-01-31'"
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"date_literal needs a date, not {type(value).__name__}")
    return "DATE " + quote_literal(value.isoformat())
