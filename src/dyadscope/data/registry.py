"""The one registry of dataset adapters, and loading a file through an adapter.

An adapter turns one upstream file into one canonical table (see
``docs/ARCHITECTURE.md``) and declares everything a user needs to trust the result:
title, upstream URL, version, citation, licence and the schema it expects.  The
built-in adapters register themselves with :func:`register_adapter` exactly as an
outside plugin would::

    from dyadscope.data.registry import Adapter, TableSpec, register_adapter

    @register_adapter
    class MyData(Adapter):
        name = "mydata"
        ...

Loading (:func:`load_file`) reads and checks the file first, then replaces the table
and its provenance row inside one DuckDB transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import ClassVar, TypeVar

import pandas as pd

from dyadscope._io import sha256_file
from dyadscope.data.store import Provenance, Store
from dyadscope.data.validate import CHUNK_BYTES, ROW, check_keys, check_years
from dyadscope.errors import DuplicateName, SchemaError, UnknownDataset

__all__ = [
    "Adapter",
    "Combine",
    "TableSpec",
    "adapters",
    "cite",
    "discover_adapters",
    "get_adapter",
    "load_file",
    "register_adapter",
]


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: column names and DuckDB types, key, year column and range."""

    name: str
    columns: Mapping[str, str]
    key: tuple[str, ...] = ()
    year: str | None = "year"
    years: tuple[int, int] = (1800, 2100)
    #: Columns holding dates whose years give the coverage when there is no year column.
    date_columns: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Combine:
    """How an adapter whose table combines rows (a pivot, a group-by) does it in SQL.

    A load in chunks stages the rows as :meth:`Adapter.chunks` yields them (each one
    checked on its own) in a scratch table with ``columns`` (name → DuckDB type, plus
    ``_row``; the year column, when the table has one, is among them), checks that no
    two share ``unique``, then runs ``select(staged)`` — a ``SELECT`` over that table
    giving the canonical columns plus ``_row``, in stored order — under the load's
    memory cap.  The result must equal what :meth:`Adapter.read` gives for the file.
    """

    columns: Mapping[str, str]
    select: Callable[[str], str]
    unique: tuple[str, ...] = ()


class Adapter(ABC):
    """Reads one upstream file into one canonical table; subclasses declare the metadata."""

    name: ClassVar[str]
    title: ClassVar[str]
    url: ClassVar[str]
    version: ClassVar[str]
    citation: ClassVar[str]
    licence: ClassVar[str]
    table: ClassVar[TableSpec]
    #: Columns the raw file must have, with their kinds (``int``/``float``/``str``/``date``).
    raw_columns: ClassVar[Mapping[str, str]]
    #: Whether an extract ships in ``dyadscope/data/vendor`` (False: load your own copy).
    vendored: ClassVar[bool] = True
    #: Upstream file for ``dyadscope data fetch`` and its SHA-256 when known.
    fetch_url: ClassVar[str | None] = None
    fetch_sha256: ClassVar[str | None] = None
    note: ClassVar[str] = ""
    #: For a table that combines rows: the SQL that combines the staged chunks.
    combine: ClassVar[Combine | None] = None

    @abstractmethod
    def read(self, path: Path) -> pd.DataFrame:
        """Parse ``path`` into the canonical table (plus ``_row``); raise SchemaError."""

    def chunks(self, path: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[pd.DataFrame]:
        """The canonical table (plus ``_row``) piece by piece, as :func:`load_file` reads it.

        Each piece holds the rows of about ``chunk_bytes`` of the file, each row already
        checked; duplicate keys across pieces are checked after all are stored.  The
        default yields :meth:`read` whole: an adapter whose rows stand alone (most CSV
        adapters) overrides it so that a load holds one chunk in memory, not the file.
        """
        yield self.read(Path(path))

    def check_chunk(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """The checks of :meth:`validate` that look at one row at a time; keeps ``_row``.

        For an adapter with :attr:`combine`, a chunk holds the rows before combining
        (the columns of :attr:`Combine.columns`), and those are what is checked.
        """
        columns = self.table.columns if self.combine is None else self.combine.columns
        self._check_rows(frame, path, columns)
        return frame

    def validate(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Check the canonical frame (columns, years, duplicate keys) and drop ``_row``."""
        spec = self.table
        self._check_rows(frame, path, spec.columns)
        if spec.key:
            check_keys(frame, spec.key, path)
        return frame[list(spec.columns)].reset_index(drop=True)

    def _check_rows(self, frame: pd.DataFrame, path: Path, columns: Iterable[str]) -> None:
        """Every one of ``columns`` is present and every year lies in the table's range."""
        spec = self.table
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise SchemaError(f"{path}: adapter {self.name} produced no column(s) {absent}")
        if spec.year is not None:
            check_years(frame, spec.year, *spec.years, path)

    def coverage(self, frame: pd.DataFrame) -> tuple[int | None, int | None]:
        """First and last year in the table (from the year column or date columns)."""
        spec = self.table
        if spec.year is not None and not frame.empty:
            years = frame[spec.year].dropna()
        else:
            parts = [pd.to_datetime(frame[c]).dt.year for c in spec.date_columns]
            years = pd.concat(parts).dropna() if parts else pd.Series(dtype="int64")
        if years.empty:
            return None, None
        return int(years.min()), int(years.max())

    def produce(self, path: Path) -> pd.DataFrame:
        """Read and validate ``path``: the canonical table exactly as it will be stored."""
        return self.validate(self.read(Path(path)), Path(path))


_A = TypeVar("_A", bound=type[Adapter])
_REGISTRY: dict[str, type[Adapter]] = {}


def register_adapter(cls: _A) -> _A:
    """Class decorator adding an adapter to the registry under ``cls.name``.

    Registering the same class again does nothing; another class under a name already
    taken raises :class:`~dyadscope.errors.DuplicateName` (the rule of events engines).
    """
    name = cls.name
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        taken = _REGISTRY[name]
        raise DuplicateName(
            f"adapter {cls.__module__}.{cls.__qualname__}: the name {name!r} is taken by "
            f"{taken.__module__}.{taken.__qualname__}; give the adapter another name"
        )
    _REGISTRY[name] = cls
    return cls


#: Entry-point group through which other packages add adapters (like ``dyadscope.engines``).
ADAPTER_ENTRY_POINTS = "dyadscope.adapters"
_discovered = False


def discover_adapters() -> None:
    """Register the adapters other packages announce in the ``dyadscope.adapters`` group.

    Each entry point names an :class:`Adapter` subclass (``mydata = "pkg.mod:MyData"``);
    it is registered under its class's ``name`` by :func:`register_adapter`, so a name
    already taken raises :class:`~dyadscope.errors.DuplicateName`.  Runs once per process.
    """
    global _discovered
    if _discovered:
        return
    for ep in entry_points(group=ADAPTER_ENTRY_POINTS):
        register_adapter(ep.load())
    _discovered = True


def _ensure_builtins() -> None:
    import dyadscope.data.adapters  # noqa: F401  (registers the built-in adapters)

    discover_adapters()


def adapters() -> dict[str, type[Adapter]]:
    """Every registered adapter by name, sorted."""
    _ensure_builtins()
    return dict(sorted(_REGISTRY.items()))


def get_adapter(name: str) -> Adapter:
    """An instance of the adapter called ``name`` (case-insensitive).

    >>> get_adapter("nmc").version
    '7.0'
    """
    known = adapters()
    key = name.strip().lower()
    if key not in known:
        import difflib

        near = difflib.get_close_matches(key, known, n=3)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise UnknownDataset(
            f"unknown dataset {name!r}; {hint}known: {', '.join(known)} (dyadscope data list)"
        )
    return known[key]()


def load_file(
    dataset: str, path: str | Path, store: Store, *, chunk_bytes: int | None = None
) -> Provenance:
    """Load the user's file for ``dataset`` into ``store``; all or nothing.

    The file is read, checked and inserted chunk by chunk (about ``chunk_bytes`` of
    text each, default :data:`~dyadscope.data.validate.CHUNK_BYTES`, 1 MiB), so that a
    load into a store file holds one chunk in memory, not the file; duplicate keys are
    then found in SQL, naming the data rows (and lines) of the first repeated key.  An
    adapter with :attr:`Adapter.combine` has its checked rows staged aside and combined
    by its SQL (a pivot, a group-by) under the same memory cap.  The
    table and its provenance row are replaced inside one transaction: any error (a
    schema problem in any chunk, a failed write) leaves the store exactly as it was.

    >>> load_file("nmc", "NMC-60-abridged.csv", Store())  # doctest: +SKIP
    """
    adapter = get_adapter(dataset)
    path = Path(path)
    block = CHUNK_BYTES if chunk_bytes is None else chunk_bytes
    spec = adapter.table
    combine = adapter.combine
    first: int | None = None
    last: int | None = None
    with store.staging(spec.name, spec.columns) as staged:
        columns = spec.columns if combine is None else combine.columns
        target = staged if combine is None else store.add_staging(f"{spec.name}_rows", columns)
        rows = 0
        for chunk in adapter.chunks(path, block):
            if chunk.empty:
                continue
            chunk = adapter.check_chunk(chunk, path)
            if ROW not in chunk:
                chunk = chunk.assign(**{ROW: range(rows + 1, rows + len(chunk) + 1)})
            low, high = adapter.coverage(chunk)
            first = low if first is None or (low is not None and low < first) else first
            last = high if last is None or (high is not None and high > last) else last
            store.append_staging(target, chunk, columns)
            rows += len(chunk)
            del chunk
        if combine is not None:
            if combine.unique:
                _check_keys_sql(store, target, combine.unique, adapter, path)
            store.fill_staging(staged, combine.select(target))
        if spec.key:
            _check_keys_sql(store, staged, spec.key, adapter, path)
        prov = Provenance(
            dataset=adapter.name,
            table=spec.name,
            source=f"{path.name} (loaded by the user; upstream {adapter.url})",
            version=adapter.version,
            sha256=sha256_file(path),
            rows=store.staged_rows(staged),
            first_year=first,
            last_year=last,
        )
        with store.transaction():
            store.replace_from_staging(spec.name, staged, spec.columns, prov)
    return prov


def _check_keys_sql(
    store: Store, staged: str, key: tuple[str, ...], adapter: Adapter, path: Path
) -> None:
    """Fail naming the first repeated key and its first two data rows (and lines)."""
    dup = store.first_duplicate(staged, key)
    if dup is None:
        return
    values, rows = dup
    shown = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
    lines = _lines_of(adapter, path, rows)
    at = f"{rows[0]} and {rows[1]}"
    if lines is not None:
        at += f" (lines {lines[0]} and {lines[1]})"
    raise SchemaError(
        f"{path}: duplicate key ({', '.join(key)}) at data rows {at}: {shown}; "
        "each key must appear once"
    )


def _lines_of(adapter: Adapter, path: Path, rows: tuple[int, int]) -> tuple[int, ...] | None:
    """The file lines of two data rows of a delimited text file (None: not found)."""
    from dyadscope.data.validate import data_row_lines

    if path.suffix.lower() in (".parquet", ".xlsx", ".xls"):
        return None
    sep = getattr(adapter, "sep", ",")
    first = getattr(adapter, "header_starts_with", None)
    return data_row_lines(path, rows, sep=sep, header_starts_with=first)


def cite(datasets: Iterable[str] | None = None) -> list[str]:
    """Citations of the named datasets (all registered ones when None), de-duplicated.

    Like peacesciencer's ``ps_cite``: pass the datasets that fed a result and paste
    what comes back into the references.

    >>> cite(["nmc"])[0].startswith("Singer")
    True
    """
    names = list(adapters()) if datasets is None else list(datasets)
    return list(dict.fromkeys(get_adapter(n).citation for n in names))
