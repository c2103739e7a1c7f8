"""The most-mentioned events of a dyad in one month, with their source URLs.

A series says that cooperation rose in May 2014; this says which reports carried
it, so a reader can open the sources behind a number.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import duckdb
import pandas as pd

from dyadscope.errors import InputError
from dyadscope.events.cameo import event_table
from dyadscope.events.catalog import create_events_view, require_files, resolve_store_dir

TOP_COLUMNS: tuple[str, ...] = (
    "event_date",
    "global_event_id",
    "actor1_name",
    "actor1_iso3",
    "actor2_name",
    "actor2_iso3",
    "event_code",
    "event",
    "quad_class",
    "goldstein_scale",
    "num_mentions",
    "num_articles",
    "source_url",
)


def parse_month(text: str) -> dt.date:
    """First day of the month written ``YYYY-MM`` (InputError otherwise).

    >>> parse_month("2014-05")
    datetime.date(2014, 5, 1)
    """
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(f"month {text!r}: expected a month as YYYY-MM, e.g. 2014-05")
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def top_events(
    store_dir: str | os.PathLike[str] | None,
    a: str,
    b: str,
    month: str,
    *,
    n: int = 10,
    directed: bool = False,
) -> pd.DataFrame:
    """The ``n`` events of dyad ``a``–``b`` in ``month`` with the most mentions.

    Undirected unless ``directed`` (then Actor1 = ``a`` and Actor2 = ``b``).  Ties
    are broken by articles, then GLOBALEVENTID, so the list is reproducible.
    ``event`` is the official CAMEO description of the event code.

    >>> top_events("store", "RUS", "CHN", "2014-05", n=5)  # doctest: +SKIP
    """
    if n < 1:
        raise InputError(f"n {n}: must be at least 1")
    first = parse_month(month)
    files = require_files(resolve_store_dir(store_dir))
    a, b = a.upper(), b.upper()
    pair = "(actor1_iso3 = $a AND actor2_iso3 = $b)"
    if not directed:
        pair = f"({pair} OR (actor1_iso3 = $b AND actor2_iso3 = $a))"
    con = duckdb.connect()
    try:
        create_events_view(con, files, temp=True)
        con.register("codes", event_table()[["code", "description"]])
        df = con.execute(
            f"""SELECT e.event_date, e.global_event_id, e.actor1_name, e.actor1_iso3,
                   e.actor2_name, e.actor2_iso3, e.event_code, c.description AS event,
                   e.quad_class, e.goldstein_scale, e.num_mentions, e.num_articles,
                   e.source_url
            FROM events e LEFT JOIN codes c ON e.event_code = c.code
            WHERE e.year = $y AND e.month = $m AND {pair}
            ORDER BY e.num_mentions DESC NULLS LAST, e.num_articles DESC NULLS LAST,
                     e.global_event_id
            LIMIT $n""",
            {"a": a, "b": b, "y": first.year, "m": first.month, "n": n},
        ).df()
    finally:
        con.close()
    df["event_date"] = pd.to_datetime(df["event_date"]).dt.date
    return df[list(TOP_COLUMNS)]
