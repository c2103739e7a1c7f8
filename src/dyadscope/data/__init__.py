"""dyadscope.data: country codes, the DuckDB store, dataset adapters, vendored extracts.

>>> from dyadscope.data import vendored_store, resolve
>>> resolve("russia")
'RUS'
"""

from __future__ import annotations

from dyadscope.data.countries import cow_to_iso3, from_iso3, iso3_to_cow, resolve, to_iso3
from dyadscope.data.fetch import download, fetch_dataset
from dyadscope.data.registry import (
    Adapter,
    TableSpec,
    adapters,
    cite,
    get_adapter,
    load_file,
    register_adapter,
)
from dyadscope.data.store import Store, default_store_path
from dyadscope.data.vendored import open_store, vendored_store

__all__ = [
    "Adapter",
    "Store",
    "TableSpec",
    "adapters",
    "cite",
    "cow_to_iso3",
    "default_store_path",
    "download",
    "fetch_dataset",
    "from_iso3",
    "get_adapter",
    "iso3_to_cow",
    "load_file",
    "open_store",
    "register_adapter",
    "resolve",
    "to_iso3",
    "vendored_store",
]
