"""What every API function shares: the store, argument checks, provenance, output type.

Why one module: a notebook user meets the same parameters (``store``, ``start``,
``end``, ``to``) on every function, so they are checked once, the same way, and every
error names the Python parameter at fault.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from dyadscope.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from dyadscope.data.store import Store

Output = Literal["pandas", "arrow"]

#: How states and codes are written in every frame the API returns.
CODING = (
    "states as ISO 3166-1 alpha-3 codes (dyadscope.data.countries); COW-based values "
    "use the COW state code of each year (DEU 1955-1989 is 260, YEM 1926-1989 is 678)"
)

#: The attrs keys every frame carries, in this order (and the Arrow schema metadata keys).
PROVENANCE_KEYS = ("unit", "source", "coding", "notes")


@functools.cache
def vendored() -> Store:
    """The vendored data, loaded once per process and shared by every API call.

    Why cached: loading registers a dozen Parquet extracts (a fraction of a second);
    a notebook calling ``indicators`` in a loop should pay it once.  Treat it as
    read-only: a table you add is seen by every later call in the process.
    """
    from dyadscope.data.store import vendored_store

    return vendored_store()


def get_store(store: Store | str | Path | None) -> Store:
    """``None`` → the cached vendored data; a path → that DuckDB store, read-only."""
    from dyadscope.data.store import Store, open_store

    if store is None:
        return vendored()
    if isinstance(store, Store):
        return store
    if isinstance(store, (str, Path)):
        path = Path(store)
        if not path.is_file():
            raise InputError(
                f"store: no store file at {path}; pass None for the vendored data, or "
                "load one with dyadscope.data.registry.load_file"
            )
        return open_store(path)
    raise InputError(
        f"store: expected None, a Store or a path to a DuckDB file, got {type(store).__name__}"
    )


def check_output(to: str) -> None:
    """Raise unless ``to`` is ``"pandas"`` or ``"arrow"``."""
    if to not in ("pandas", "arrow"):
        raise InputError(f"to: must be 'pandas' or 'arrow', got {to!r}")


@overload
def check_year(value: int, param: str) -> int: ...
@overload
def check_year(value: object, param: str) -> int | None: ...
def check_year(value: object, param: str) -> int | None:
    """An integer year or None; anything else is an error naming ``param``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{param}: expected a year (int) or None, got {value!r}")
    return value


def check_span(start: int, end: int) -> None:
    """Raise unless ``start`` <= ``end``."""
    if start > end:
        raise InputError(f"start ({start}) is after end ({end}); swap them")


#: The first year of the COW state system: a default span starts no earlier, even where a
#: dataset reaches back further (Thompson & Dreyer's rivalries begin in 1494).
STATE_SYSTEM_START = 1816


def store_years(store: Store) -> tuple[int, int]:
    """First (not before 1816) and last year any dataset in ``store`` covers: the default span."""
    prov = store.provenance()
    first = prov["first_year"].dropna()
    last = prov["last_year"].dropna()
    if first.empty or last.empty:
        raise InputError("start and end: the store records no years; give start and end")
    return max(int(first.min()), STATE_SYSTEM_START), int(last.max())


def stamp(frame: pd.DataFrame, **attrs: Any) -> pd.DataFrame:
    """Set the provenance ``attrs`` (unit, source, coding, notes, …) on ``frame``."""
    attrs.setdefault("coding", CODING)
    notes = attrs.get("notes")
    attrs["notes"] = list(dict.fromkeys(notes or []))
    frame.attrs.update(attrs)
    return frame


def arrow_metadata(attrs: Mapping[Hashable | None, Any]) -> dict[bytes, bytes]:
    """``attrs`` as Arrow schema metadata: each key JSON-encoded under its own name."""
    return {
        str(k).encode(): json.dumps(v, default=str).encode()
        for k, v in attrs.items()
        if not str(k).startswith("_")
    }


def output(frame: pd.DataFrame, to: str) -> pd.DataFrame | pa.Table:
    """Return ``frame`` as pandas, or as an Arrow table whose schema metadata carries attrs.

    >>> import pandas as pd
    >>> df = stamp(pd.DataFrame({"year": [2010]}), unit="dyad-year", source="COW NMC v7.0")
    >>> table = output(df, "arrow")
    >>> json.loads(table.schema.metadata[b"unit"])
    'dyad-year'
    """
    check_output(to)
    if to == "pandas":
        return frame
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta.update(arrow_metadata(frame.attrs))
    return table.replace_schema_metadata(meta)


def joined_sources(sources: Mapping[str, str] | Sequence[str]) -> str:
    """Distinct source labels in order, joined by ``; `` (the ``source`` attr)."""
    values = sources.values() if isinstance(sources, Mapping) else sources
    return "; ".join(dict.fromkeys(str(v) for v in values if v))
