"""A declarative adapter for the common case: one CSV, renamed columns, checked codes.

Most datasets need the same steps: read the file with its declared column kinds,
rename to the canonical names, turn COW's ``-9`` into NULL, check every COW or ISO3
code against :mod:`dyadscope.data.countries`, and derive an ``iso3`` column.
:class:`CsvAdapter` does them from class attributes; a dataset that needs more
overrides :meth:`CsvAdapter.transform`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar, TypeVar

import pandas as pd

from dyadscope.data.countries import Scheme
from dyadscope.data.registry import Adapter
from dyadscope.data.validate import (
    CHUNK_BYTES,
    COW_MISSING,
    ROW,
    CsvOptions,
    Kind,
    _convert,
    check_codes,
    iter_csv_checked,
    read_csv_checked,
)
from dyadscope.errors import SchemaError

__all__ = [
    "COW_LICENCE",
    "MAX_WORKBOOK_BYTES",
    "CsvAdapter",
    "frozen",
    "iter_parquet_checked",
    "read_parquet_checked",
    "read_sheet",
]

_K = TypeVar("_K")
_V = TypeVar("_V")


def frozen(mapping: Mapping[_K, _V]) -> Mapping[_K, _V]:
    """A read-only view of ``mapping``: adapter declarations are class data, never mutated.

    >>> frozen({"ccode": "int"})["ccode"]
    'int'
    """
    return MappingProxyType(dict(mapping))


COW_LICENCE = (
    "Correlates of War data: free to use with citation "
    "(https://correlatesofwar.org/data-sets/); see the project's terms"
)


def read_parquet_checked(
    path: Path, columns: Mapping[str, Kind], *, missing_codes: tuple[int, ...] = ()
) -> pd.DataFrame:
    """Read a Parquet file with the same checks and typing as ``read_csv_checked``.

    Why: peacesciencer's tables are distributed as R data and converted to Parquet;
    their numbers arrive as floats (``365.0``) and dates as objects.  Each cell is
    turned back into text and goes through the same per-column conversion as a CSV
    cell, so a fractional code or a non-date fails with the same message.  The whole
    table is returned; :func:`iter_parquet_checked` gives it batch by batch.
    """
    parts = list(iter_parquet_checked(path, columns, missing_codes=missing_codes))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def iter_parquet_checked(
    path: Path,
    columns: Mapping[str, Kind],
    *,
    missing_codes: tuple[int, ...] = (),
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[pd.DataFrame]:
    """The checked frame of :func:`read_parquet_checked`, about ``chunk_bytes`` at a time.

    Batches come from :meth:`pyarrow.parquet.ParquetFile.iter_batches` (only the
    ``columns`` are read), sized from the file's uncompressed bytes per row; pyarrow
    decodes one row group at a time, so memory is one row group plus one batch.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        book = pq.ParquetFile(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise SchemaError(f"{path}: cannot read as Parquet: {exc}") from None
    with book:
        names = book.schema_arrow.names
        missing = [c for c in columns if c not in names]
        if missing:
            raise SchemaError(
                f"{path}: missing column(s) {', '.join(map(repr, missing))}; "
                f"found {', '.join(map(repr, names[:12]))}"
            )
        meta = book.metadata
        if not meta.num_rows:
            raise SchemaError(f"{path}: the file has no data rows")
        size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        batch = max(1, int(chunk_bytes * meta.num_rows / max(size, 1)))
        done = 0
        batches = book.iter_batches(batch_size=batch, columns=list(columns))
        while True:
            try:
                raw = next(batches).to_pandas()
            except StopIteration:
                break
            except (OSError, ValueError, pa.ArrowException) as exc:
                raise SchemaError(
                    f"{path}: cannot read as Parquet after data row {done}: {exc}"
                ) from None
            yield _typed(raw, path, columns, missing_codes, done)
            done += len(raw)


def _typed(
    raw: pd.DataFrame,
    path: Path,
    columns: Mapping[str, Kind],
    missing_codes: tuple[int, ...],
    done: int,
) -> pd.DataFrame:
    """One batch of Parquet cells converted like CSV text; ``_row`` continues at ``done``."""
    out = pd.DataFrame({ROW: pd.RangeIndex(done + 1, done + len(raw) + 1)})
    for name, kind in columns.items():
        col = raw[name]
        if pd.api.types.is_numeric_dtype(col):
            text = col.astype(str).where(col.notna(), "")
        else:
            text = col.astype(object).where(col.notna(), "").map(_cell_text).astype(str)
        converted = _convert(
            text, name, kind, missing_codes, done, lambda row: f"{path}: row {row}"
        )
        out[name] = converted.reset_index(drop=True)
    return out


def _cell_text(value: object) -> str:
    """A non-numeric Parquet cell as CSV text: dates as ISO, the rest as ``str``."""
    if hasattr(value, "isoformat"):
        iso: str = value.isoformat()  # date, datetime or Timestamp: an ISO string
        return iso[:10]
    return str(value)


class CsvAdapter(Adapter):
    """Read one delimited file; rename, check codes and derive ISO3 columns declaratively."""

    raw_columns: ClassVar[Mapping[str, Kind]]
    #: raw column name -> canonical column name (columns not listed keep their name).
    renames: ClassVar[Mapping[str, str]] = frozen({})
    #: canonical code column -> scheme whose codes it must hold.
    code_columns: ClassVar[Mapping[str, Scheme]] = frozen({})
    #: canonical ISO3 column to add -> code column it is derived from.
    iso3_columns: ClassVar[Mapping[str, str]] = frozen({})
    #: whether COW's negative missing codes (-9 …) in numeric columns mean NULL.
    cow_missing: ClassVar[bool] = False
    sep: ClassVar[str] = ","
    header_starts_with: ClassVar[str | None] = None
    #: Whether :meth:`transform` treats each row on its own, so the file can be loaded
    #: chunk by chunk; an adapter whose transform combines rows (a pivot, a group-by)
    #: sets it False, and then declares :attr:`combine` (the combining done in SQL over
    #: the rows from :meth:`prepare`) or is read whole.
    row_wise: ClassVar[bool] = True

    def chunks(self, path: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[pd.DataFrame]:
        """Checked rows (plus ``_row``) chunk by chunk, from text or Parquet (by suffix).

        A ``row_wise`` adapter yields canonical rows; one with :attr:`combine` yields
        its rows from :meth:`prepare`, combined later in SQL; any other is read whole.
        """
        path = Path(path)
        if not self.row_wise and self.combine is None:
            yield self.read(path)
            return
        missing = COW_MISSING if self.cow_missing else ()
        if path.suffix.lower() == ".parquet":
            frames = iter_parquet_checked(
                path, self.raw_columns, missing_codes=missing, chunk_bytes=chunk_bytes
            )
        else:
            options = self._csv_options(missing)
            frames = iter_csv_checked(path, self.raw_columns, chunk_bytes=chunk_bytes, **options)
        for frame in frames:
            yield self._finish(frame, path, whole=False)

    def read(self, path: Path) -> pd.DataFrame:
        """Read ``path`` (text, or Parquet by suffix) into canonical columns + ``_row``."""
        missing = COW_MISSING if self.cow_missing else ()
        if Path(path).suffix.lower() == ".parquet":
            frame = read_parquet_checked(path, self.raw_columns, missing_codes=missing)
        else:
            frame = self._read_text(path, missing)
        return self._finish(frame, path)

    def _read_text(self, path: Path, missing: tuple[int, ...]) -> pd.DataFrame:
        return read_csv_checked(path, self.raw_columns, **self._csv_options(missing))

    def _csv_options(self, missing: tuple[int, ...]) -> CsvOptions:
        return {"sep": self.sep, "header_starts_with": self.header_starts_with,
                "missing_codes": missing}  # fmt: skip

    def _finish(self, frame: pd.DataFrame, path: Path, *, whole: bool = True) -> pd.DataFrame:
        frame = frame.rename(columns=dict(self.renames))
        if whole or self.combine is None:
            frame = self.transform(frame, path)
        else:
            frame = self.prepare(frame, path)
        iso3 = {
            column: check_codes(frame, column, scheme, path)
            for column, scheme in self.code_columns.items()
        }
        for target, source in self.iso3_columns.items():
            frame[target] = iso3[source] if source in iso3 else frame[source]
        return frame

    def prepare(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """The row-by-row part of :meth:`transform`, for an adapter with :attr:`combine`.

        A chunked load stages what this returns and combines it with ``combine``'s
        SQL; a whole read runs :meth:`transform`.  The default changes nothing.
        """
        return frame

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Dataset-specific reshaping after renaming; the default changes nothing."""
        return frame


#: Largest uncompressed size of an Excel workbook (all its parts), in bytes (64 MiB).
#: A workbook cannot be read in chunks: openpyxl's read-only mode streams a sheet's
#: XML, but pandas then holds the sheet, and the reshaping (SIPRI's and the Energy
#: Institute's sheets are matrices) needs all of it.  The bound keeps memory finite;
#: the real workbooks expand to 3.8 MB (SIPRI milex) and 15.6 MB (Energy Institute).
MAX_WORKBOOK_BYTES = 64 * 1024**2


def read_sheet(path: Path, sheet: str, *, max_bytes: int | None = None) -> pd.DataFrame:
    """One sheet of an Excel workbook, raw (no header), with clear errors.

    Why one helper: SIPRI and the Energy Institute publish workbooks; a file that is
    not a workbook, or lacks the sheet, must say so by name rather than with
    openpyxl's or pandas' internal message.  A workbook whose parts expand to more
    than ``max_bytes`` (default :data:`MAX_WORKBOOK_BYTES`) is refused before reading.
    """
    import warnings
    import zipfile

    _check_workbook_size(path, MAX_WORKBOOK_BYTES if max_bytes is None else max_bytes)
    try:
        with warnings.catch_warnings():
            # SIPRI's workbooks carry no default style; openpyxl says so and falls back
            # to its own, which changes no cell value.
            warnings.filterwarnings("ignore", "Workbook contains no default style")
            book = pd.ExcelFile(path, engine="openpyxl")
    except FileNotFoundError:
        raise SchemaError(f"{path}: file not found") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise _not_a_workbook(path, exc) from None
    with book:
        if sheet not in book.sheet_names:
            raise SchemaError(
                f"{path}: the workbook has no sheet {sheet!r}; found "
                f"{', '.join(map(repr, book.sheet_names[:12]))}"
            )
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Workbook contains no default style")
            return pd.read_excel(book, sheet_name=sheet, header=None)


def _check_workbook_size(path: Path, limit: int) -> None:
    """Refuse a workbook expanding past ``limit`` bytes (read from the zip's directory)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            size = sum(info.file_size for info in book.infolist())
    except FileNotFoundError:
        raise SchemaError(f"{path}: file not found") from None
    except (OSError, zipfile.BadZipFile) as exc:
        raise _not_a_workbook(path, exc) from None
    if size > limit:
        raise SchemaError(
            f"{path}: the workbook expands to {size} bytes, more than {limit}, the limit "
            "for a workbook (read whole, not in chunks: max_bytes / "
            "adapters._base.MAX_WORKBOOK_BYTES); check it is the published file, or raise "
            "the limit on a machine with the memory"
        )


def _not_a_workbook(path: Path, exc: BaseException) -> SchemaError:
    return SchemaError(
        f"{path}: cannot read as an Excel workbook (.xlsx): {exc}; "
        "download the original workbook again"
    )
