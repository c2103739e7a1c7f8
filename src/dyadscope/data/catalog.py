"""What data dyadscope has: every registered dataset, vendored or loaded into a store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dyadscope.data.registry import adapters
from dyadscope.data.store import Store
from dyadscope.data.vendor_manifest import vendored_files

__all__ = ["catalog"]

CATALOG_COLUMNS = ("dataset", "version", "rows", "coverage", "status", "source", "table", "origin")


def _coverage(first: Any, last: Any) -> str:
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return ""
    return f"{int(first)}–{int(last)}"


def catalog(store_path: str | Path | None = None) -> pd.DataFrame:
    """One row per dataset: version, rows, coverage, status, upstream source and origin.

    ``source`` is the upstream provider's page; ``origin`` says exactly which file
    the rows came from (the vendored extract's repository and commit, or the user's
    file for a loaded table).

    ``status`` is ``vendored`` (ships with dyadscope), ``loaded`` (in the store at
    ``store_path``, which then overrides the vendored row), or ``not vendored`` (load
    your own copy).  A store that does not exist yet is simply not consulted.

    >>> catalog().set_index("dataset").at["nmc", "version"]
    '7.0'
    """
    vendored = {v.dataset: v for v in vendored_files() if v.table is not None}
    loaded: dict[str, pd.Series] = {}
    if store_path is not None and Path(store_path).exists():
        with Store(store_path, read_only=True) as store:
            for _, row in store.provenance().iterrows():
                loaded[str(row["dataset"])] = row
    rows = []
    for name, cls in adapters().items():
        entry: dict[str, Any] = {
            "dataset": name,
            "table": cls.table.name,
            "version": cls.version,
            "source": cls.url,
        }
        if name in loaded:
            p = loaded[name]
            entry |= {
                "rows": int(p["rows"]),
                "coverage": _coverage(p["first_year"], p["last_year"]),
                "status": "loaded",
                "origin": str(p["source"]),
                "version": str(p["version"]),
            }
        elif name in vendored:
            v = vendored[name]
            entry |= {
                "rows": v.rows,
                "coverage": _coverage(v.first_year, v.last_year),
                "status": "vendored",
                "origin": v.source,
            }
        else:
            entry |= {"rows": None, "coverage": "", "status": "not vendored", "origin": cls.note}
        rows.append(entry)
    frame = pd.DataFrame(rows, columns=list(CATALOG_COLUMNS))
    frame["rows"] = frame["rows"].astype("Int64")
    return frame
