"""Helpers shared by the theory engines: store access, state codes, result export.

Every engine reads the canonical tables of :class:`dyadscope.data.store.Store`
through :func:`query`, so a missing table is reported once, the same way, with
what to do about it.  Results derive from :class:`TheoryResult`, which turns
their frames and numbers into plain JSON (missing values become ``null``,
never 0) for the CLI and the brief.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from dyadscope.data.countries import cow_predecessor
from dyadscope.errors import MissingData, UnknownCountry

if TYPE_CHECKING:
    from dyadscope.data.store import Store

__all__ = [
    "TheoryResult",
    "query",
    "require_tables",
    "resolve_states",
]


def require_tables(store: Store, *tables: str) -> None:
    """Raise :class:`MissingData` naming every table in ``tables`` the store lacks.

    Why: an engine that silently skipped a missing table would report NA for
    reasons the user could not see.
    """
    missing = [t for t in tables if not store.has(t)]
    if missing:
        raise MissingData(
            f"the data store has no table(s) {', '.join(missing)}; load them into the "
            "store, or use the vendored store (dyadscope.data.store.vendored_store())"
        )


def query(store: Store, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run ``sql`` on the store's DuckDB connection and return a pandas frame."""
    return store.con.execute(sql, list(params or [])).df()


def resolve_states(store: Store, codes: Iterable[str], year: int | None = None) -> dict[str, int]:
    """Map ISO3 codes (any case) to COW codes, using the ``nmc`` table's own pairs.

    Why the ``nmc`` table: it is the one table that lists every state with both
    codes, so the mapping cannot disagree with the capabilities the engines use.
    When an ISO3 code has had several COW codes, the most recent one is used, except
    in a ``year`` that :func:`dyadscope.data.countries.cow_predecessor` gives to an
    earlier code (``DEU`` in 1970 is West Germany, COW 260), as the indicators do.

    >>> resolve_states(store, ["rus", "CHN"])  # doctest: +SKIP
    {'RUS': 365, 'CHN': 710}
    """
    require_tables(store, "nmc")
    pairs = query(
        store,
        "SELECT iso3, arg_max(ccode, year) AS ccode FROM nmc WHERE iso3 IS NOT NULL GROUP BY iso3",
    )
    known = dict(zip(pairs["iso3"], pairs["ccode"].astype(int), strict=True))
    out: dict[str, int] = {}
    for raw in codes:
        code = str(raw).strip().upper()
        if code not in known:
            close = sorted(k for k in known if k[:1] == code[:1])[:8]
            hint = f"; codes starting with {code[:1]!r}: {', '.join(close)}" if close else ""
            raise UnknownCountry(
                f"state {raw!r}: not an ISO3 code found in table nmc (field iso3){hint}"
            )
        pred = cow_predecessor(code)
        in_pred_years = pred is not None and year is not None and pred[1] <= year <= pred[2]
        out[code] = pred[0] if pred is not None and in_pred_years else known[code]
    return out


def _jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars to JSON values; NaN and NA become ``None``."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON records, missing values as ``null`` (pandas' own JSON writer)."""
    return json.loads(df.to_json(orient="records", date_format="iso"))


@dataclass
class TheoryResult:
    """Base of every engine's result: named frames, named numbers, assumptions.

    Subclasses list their frames in :meth:`frames` and their headline numbers in
    :meth:`scalars`; :meth:`to_dict` is then generic.  ``assumptions`` says in
    plain words what the model takes for granted (the brief prints it).
    """

    assumptions: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The result's tables, by name, main table first."""
        return {}

    def scalars(self) -> dict[str, Any]:
        """The result's headline numbers and settings."""
        return {}

    @property
    def frame(self) -> pd.DataFrame:
        """The main table (what ``--format csv`` writes)."""
        frames = self.frames()
        return next(iter(frames.values())) if frames else pd.DataFrame()

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready values: scalars, frames as records, assumptions."""
        return {
            **{k: _jsonable(v) for k, v in self.scalars().items()},
            **{name: frame_records(df) for name, df in self.frames().items()},
            "assumptions": list(self.assumptions),
        }
