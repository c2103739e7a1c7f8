"""Which store a reader gets: the vendored extracts, or a user's store file.

:func:`vendored_store` builds an in-memory :class:`~dyadscope.data.store.Store` from
the extracts shipped in ``data/vendor/`` (checked against ``MANIFEST.json``);
:func:`open_store` is what every reading command and API function calls with its
``store`` argument.  This module sits above :mod:`dyadscope.data.store` and
:mod:`dyadscope.data.vendor_manifest` (which both need ``Store``), so neither of them
imports the other back.  ``from dyadscope.data.store import vendored_store`` still
works (a lazy alias).
"""

from __future__ import annotations

from pathlib import Path

from dyadscope.data.store import Store
from dyadscope.data.vendor_manifest import load_vendored
from dyadscope.errors import InputError

__all__ = ["open_store", "vendored_store"]


def vendored_store() -> Store:
    """A fresh in-memory store with every vendored extract loaded (what the brief uses).

    Each call returns its own connection, so callers may add tables without touching
    anyone else's store; the Parquet files are read by DuckDB directly.

    >>> store = vendored_store()  # doctest: +SKIP
    >>> store.has("nmc")  # doctest: +SKIP
    True
    """
    store = Store()
    load_vendored(store)
    return store


def open_store(path: str | Path | None = None) -> Store:
    """The user's store at ``path`` (read-only) or, when ``path`` is None, the vendored data.

    This is what every read-only command and API function uses for its store.

    >>> open_store().has("nmc")
    True
    """
    if path is None:
        return vendored_store()
    if not Path(path).is_file():
        raise InputError(f"store {path}: no such store file; create it with `dyadscope data load`")
    return Store(path, read_only=True)
