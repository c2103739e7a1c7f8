"""Reading dyad series from a GDELT events store for the theory engines.

The engines never parse events or build the query themselves: they call the one
library function :func:`dyadscope.events.series` (the engine is a parameter, DuckDB
by default), whose aggregates are defined once in :mod:`dyadscope.events.aggregate`,
so the theory section and the events section of the brief use the same numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dyadscope.errors import MissingData

#: The event engine the theory engines use unless told otherwise.
ENGINE = "duckdb"


def dyad_series(
    events_store: Path,
    a: str,
    b: str,
    freq: str,
    *,
    directed: bool = False,
    engine: str = ENGINE,
) -> pd.DataFrame:
    """The events series of ``a``–``b`` at ``freq`` (empty frame when the store has none)."""
    import dyadscope.events as ev

    try:
        return ev.series(Path(events_store), a, b, freq=freq, directed=directed, engine=engine)
    except MissingData:
        return pd.DataFrame()


def material_conflict_share(
    events_store: Path, year: int, isos: list[str]
) -> dict[tuple[str, str], float]:
    """Per ordered pair (perceiver, source): the source's material-conflict share towards it.

    Share = material_conflict / events of the directed series source → perceiver
    in ``year``; pairs without events in that year are left out (NA).
    """
    out: dict[tuple[str, str], float] = {}
    for i in isos:
        for j in isos:
            if i == j:
                continue
            s = dyad_series(events_store, j, i, "year", directed=True)
            if s.empty:
                continue
            row = s[s["period"].astype(str).str[:4] == str(year)]
            if row.empty or not row["events"].iloc[0]:
                continue
            out[(i, j)] = float(row["material_conflict"].iloc[0] / row["events"].iloc[0])
    return out
