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

from dyadscope.data.countries import cow_code
from dyadscope.data.dyad import Dyad, resolve_state
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


def resolve_states(
    store: Store | None, codes: Iterable[str] | Dyad, year: int | None = None
) -> dict[str, int]:
    """Map states in any spelling (ISO3, ISO2, names, a :class:`Dyad`) to COW codes.

    Keys are the canonical ISO3 codes (``"russia"`` and ``"SUN"`` both give ``RUS``),
    so two spellings of one state collapse into one entry.  The codes come from the
    one country layer, :func:`dyadscope.data.countries.cow_code`: a state's own code,
    or the earlier one in a ``year`` COW gives to it (``DEU`` in 1970 is West Germany,
    COW 260), exactly as the indicators read them.  ``store`` is not read (it is kept
    so that callers need not change).

    >>> resolve_states(None, ["rus", "China", "SUN"])
    {'RUS': 365, 'CHN': 710}
    >>> resolve_states(None, ["DEU"], year=1970)
    {'DEU': 260}
    """
    out: dict[str, int] = {}
    for raw in codes:
        iso3 = resolve_state(raw, "state")
        try:
            out[iso3] = cow_code(iso3, year)
        except UnknownCountry:
            raise UnknownCountry(
                f"state {raw!r} ({iso3}) has no Correlates of War state code, which the "
                "theory engines need; choose a state COW lists"
            ) from None
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
    records: list[dict[str, Any]] = json.loads(df.to_json(orient="records", date_format="iso"))
    return records


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
