"""Read a dataset file and check it, naming the file, row and column of any problem.

Adapters call :func:`read_csv_checked` to get a frame whose columns have the types
they declared, plus a ``_row`` column holding each record's 1-based data row (the
header is row 0), so that checks made after reshaping can still point at the line a
user would open in an editor.  Everything raises
:class:`~dyadscope.errors.SchemaError`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import Literal, TypedDict, Unpack

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dyadscope.data.countries import Scheme, is_known, to_iso3
from dyadscope.errors import SchemaError

__all__ = [
    "CHUNK_BYTES",
    "MAX_DATA_BYTES",
    "MAX_GZIP_RATIO",
    "ROW",
    "CsvOptions",
    "Kind",
    "check_codes",
    "check_keys",
    "check_years",
    "data_row_lines",
    "iter_csv_checked",
    "open_text",
    "read_csv_checked",
    "read_header",
]

Kind = Literal["int", "float", "str", "date"]
ROW = "_row"
_GZIP_MAGIC = b"\x1f\x8b"
#: COW's "missing" codes; they become NULL on load, never a number.
COW_MISSING = (-9, -8, -77, -88, -99)

#: Largest uncompressed size of a data file, in bytes (4 GiB).  A bigger file is refused
#: before it is read (plain files) or as soon as its decompressed size passes the limit.
MAX_DATA_BYTES = 4 * 1024**3
#: Largest ratio of decompressed to compressed size of a ``.gz`` data file.  Real CSV
#: files compress 5–20 times; a ratio above this is a decompression bomb and is refused
#: once the output passes :data:`_RATIO_FLOOR` bytes (small files may compress better).
MAX_GZIP_RATIO = 100
_RATIO_FLOOR = 16 * 1024**2
#: Bytes of text parsed at a time (1 MiB), the default chunk of ``data load``: a load
#: holds one block of raw text and its typed columns, never the whole file.  pyarrow's
#: CSV reader also reads about 32 blocks ahead (32 MiB at this size), so larger blocks
#: (4 MiB: 128 MiB ahead) let the peak grow with the file again up to that read-ahead.
CHUNK_BYTES = 1024**2
#: Longest header (or preamble) line read while looking for the header.
_MAX_HEADER_LINE = 1024**2


class _LimitedReader(io.RawIOBase):
    """A binary stream of the file's (gunzipped) bytes that enforces the size limits.

    Read errors become :class:`SchemaError` naming the file, so whoever consumes the
    stream (pyarrow, the csv module) can only fail with a clear message.
    """

    def __init__(self, path: Path, max_bytes: int, max_ratio: float) -> None:
        self.path, self.max_bytes, self.max_ratio = path, max_bytes, max_ratio
        self.count = 0
        try:
            size = path.stat().st_size
            raw = open(path, "rb")  # noqa: SIM115  (closed in close())
        except FileNotFoundError:
            raise SchemaError(f"{path}: file not found") from None
        except OSError as exc:
            raise SchemaError(f"{path}: cannot read file ({exc.strerror})") from None
        self.compressed = size
        try:
            magic = raw.read(2)
            raw.seek(0)
        except OSError as exc:
            raw.close()
            raise SchemaError(f"{path}: cannot read file ({exc.strerror})") from None
        self.gzipped = magic == _GZIP_MAGIC
        if not self.gzipped and path.suffix == ".gz":
            raw.close()
            raise SchemaError(f"{path}: named .gz but is not gzip data (no gzip header)")
        if not self.gzipped and size > max_bytes:
            raw.close()
            raise SchemaError(self._too_big())
        self._raw = raw
        self._src: io.BufferedIOBase = (
            gzip.GzipFile(fileobj=raw, mode="rb") if self.gzipped else raw
        )

    def _too_big(self) -> str:
        return (
            f"{self.path}: larger than {self.max_bytes} bytes uncompressed, the limit for a "
            "data file (max_bytes / validate.MAX_DATA_BYTES); split the file or raise the limit"
        )

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._src.read(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise SchemaError(
                f"{self.path}: the gzip data is truncated or corrupt ({exc}); "
                "download the file again (dyadscope data fetch) and retry"
            ) from None
        except OSError as exc:
            raise SchemaError(f"{self.path}: cannot read file ({exc.strerror})") from None
        self.count += len(data)
        if self.count > self.max_bytes:
            raise SchemaError(self._too_big())
        if (
            self.gzipped
            and self.count > _RATIO_FLOOR
            and self.count > self.max_ratio * max(self.compressed, 1)
        ):
            raise SchemaError(
                f"{self.path}: the gzip data expands more than {self.max_ratio:g} times "
                f"(over {self.count} bytes from {self.compressed}); this looks like a "
                "decompression bomb, not a data file (limit: max_ratio / "
                "validate.MAX_GZIP_RATIO)"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._src.close()
            self._raw.close()
        super().close()


def _open_binary(path: Path, max_bytes: int | None, max_ratio: float | None) -> _LimitedReader:
    return _LimitedReader(
        path,
        MAX_DATA_BYTES if max_bytes is None else max_bytes,
        MAX_GZIP_RATIO if max_ratio is None else max_ratio,
    )


def _lines(path: Path, stream: _LimitedReader) -> Iterator[str]:
    """Decoded lines (UTF-8, BOM dropped); a SchemaError names the first line not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buffered = io.BufferedReader(stream, CHUNK_BYTES)
    number = 0
    while True:
        raw = buffered.readline()
        if not raw:
            break
        number += 1
        try:
            yield decoder.decode(raw)
        except UnicodeDecodeError as exc:
            raise SchemaError(f"{path}: line {number}: not UTF-8 text ({exc.reason})") from None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise SchemaError(f"{path}: line {number}: not UTF-8 text ({exc.reason})") from None


def open_text(path: Path, *, max_bytes: int | None = None, max_ratio: float | None = None) -> str:
    """The whole file as text, gunzipped if it is gzip; clear errors for bad files.

    Only for small files: :func:`read_csv_checked` streams instead.
    """
    with _open_binary(path, max_bytes, max_ratio) as stream:
        text = "".join(_lines(path, stream))
    if not text.strip():
        raise SchemaError(f"{path}: the file is empty; expected a header and data rows")
    return text


def read_header(path: Path, *, sep: str = ",") -> list[str]:
    """The column names of a delimited file's header line (stripped), read alone.

    For an adapter whose columns depend on the file (one per state, say): it names
    them before :func:`iter_csv_checked` reads the rows.
    """
    return _read_header(Path(path), sep, None, None, None)[1]


def _read_header(
    path: Path, sep: str, first_column: str | None, max_bytes: int | None, max_ratio: float | None
) -> tuple[int, list[str]]:
    """Preamble lines to skip and the header's column names (stripped)."""
    with _open_binary(path, max_bytes, max_ratio) as stream:
        buffered = io.BufferedReader(stream, 1 << 16)
        head: list[bytes] = []
        for _ in range(52):
            line = buffered.readline(_MAX_HEADER_LINE)
            if not line:
                break
            head.append(line)
    try:
        lines = b"".join(head).decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        bad = b"".join(head)[: exc.start].count(b"\n") + 1
        raise SchemaError(f"{path}: line {bad}: not UTF-8 text ({exc.reason})") from None
    skip = 0
    if first_column is not None:
        skip = next((n for n, line in enumerate(lines) if line.startswith(first_column)), 0)
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    if skip >= len(lines):
        raise SchemaError(f"{path}: the file is empty; expected a header and data rows")
    try:
        names = next(csv.reader([lines[skip]], delimiter=sep))
    except csv.Error as exc:
        raise SchemaError(f"{path}: line {skip + 1}: cannot parse the header ({exc})") from None
    return skip, [name.strip() for name in names]


def _diagnose(
    path: Path,
    sep: str,
    skip: int,
    header: Sequence[str],
    max_bytes: int | None,
    max_ratio: float | None,
) -> str | None:
    """The first structural problem (line, reason), found by re-reading with ``csv``.

    Only called after a failure, to name the line: a record with the wrong number of
    fields, an unterminated quote, a NUL byte or text that is not UTF-8.
    """
    width = len(header)
    with closing(_data_records(path, sep, skip, max_bytes, max_ratio)) as records:
        try:
            for row, line, record in records:
                if len(record) < width:
                    absent = ", ".join(repr(name) for name in header[len(record) :][:3])
                    return (
                        f"{path}: data row {row} (line {line}) has {len(record)} field(s), "
                        f"the header has {width}: the row is cut short (no {absent}); "
                        "a truncated file? download it again"
                    )
                if len(record) > width:
                    return (
                        f"{path}: data row {row} (line {line}) has {len(record)} field(s), "
                        f"the header has {width}: the row is too long; quote any value "
                        f"that contains the separator {sep!r}"
                    )
        except _BadRecord as exc:
            return f"{path}: line {exc.line}: cannot parse as delimited text ({exc.reason})"
    return None


class _BadRecord(Exception):
    """A record ``csv`` cannot parse, with the line where the reader stopped."""

    def __init__(self, line: int, reason: csv.Error) -> None:
        super().__init__(line, reason)
        self.line, self.reason = line, reason


def _data_records(
    path: Path, sep: str, skip: int, max_bytes: int | None, max_ratio: float | None
) -> Generator[tuple[int, int, list[str]], None, None]:
    """``(data row, first line, fields)`` of each non-empty record after the header.

    Re-reads the file with :mod:`csv` to name lines; used only after a failure.  Close
    it (``contextlib.closing``) when stopping early, so the file is closed at once.
    """
    with _open_binary(path, max_bytes, max_ratio) as stream:
        reader = csv.reader(_lines(path, stream), delimiter=sep, strict=False)
        before = 0
        row = 0
        try:
            for record in reader:
                line, before = before + 1, reader.line_num
                if line <= skip + 1 or not record:
                    continue
                row += 1
                yield row, line, record
        except csv.Error as exc:
            raise _BadRecord(reader.line_num, exc) from None


class CsvOptions(TypedDict, total=False):
    """How :func:`read_csv_checked` and :func:`iter_csv_checked` read a file (all optional)."""

    sep: str
    header_starts_with: str | None
    missing_codes: Iterable[int]
    max_bytes: int | None
    max_ratio: float | None


def read_csv_checked(
    path: Path, columns: Mapping[str, Kind], **options: Unpack[CsvOptions]
) -> pd.DataFrame:
    """Read a delimited file, check its columns exist and their types, return a typed frame.

    ``options`` (:class:`CsvOptions`): ``sep`` (default ``,``), ``header_starts_with``
    (the header is the first line starting with it; default the first line),
    ``missing_codes``, ``max_bytes`` and ``max_ratio``, as for :func:`iter_csv_checked`.
    Only the columns named in ``columns`` are kept (extra columns are fine: upstream
    files grow).  Every record must have as many fields as the header: a row cut short
    (a truncated download) or too long is an error naming its line.  Empty cells and
    ``NA`` are missing.  Integer columns become nullable ``Int64``; ``missing_codes``
    (COW's ``-9``) in numeric columns become missing.

    The whole table is returned; :func:`iter_csv_checked` gives it chunk by chunk.
    ``max_bytes`` (default :data:`MAX_DATA_BYTES`) bounds the uncompressed size
    and ``max_ratio`` (default :data:`MAX_GZIP_RATIO`) the expansion of gzip data.

    >>> read_csv_checked(Path("nmc.csv"), {"ccode": "int", "cinc": "float"})  # doctest: +SKIP
    """
    chunks = list(iter_csv_checked(path, columns, **options))
    if len(chunks) == 1:
        return chunks[0]
    out = pd.DataFrame({ROW: pd.concat([c[ROW] for c in chunks], ignore_index=True)})
    for name in columns:  # one column at a time, so the pieces and the whole never all coexist
        out[name] = pd.concat([c.pop(name) for c in chunks], ignore_index=True)
    return out


def iter_csv_checked(
    path: Path,
    columns: Mapping[str, Kind],
    *,
    sep: str = ",",
    header_starts_with: str | None = None,
    missing_codes: Iterable[int] = (),
    max_bytes: int | None = None,
    max_ratio: float | None = None,
    chunk_bytes: int | None = None,
) -> Iterator[pd.DataFrame]:
    """The checked, typed table of :func:`read_csv_checked`, one chunk at a time.

    Each chunk is the typed columns of about ``chunk_bytes`` of text (default
    :data:`CHUNK_BYTES`, 1 MiB), with ``_row`` numbering data rows across the whole
    file; a bad cell in any chunk raises :class:`SchemaError` naming its row and line.
    Memory held is one chunk, never the file.  An error is raised before the first chunk
    is yielded for a file that is empty or lacks a column, and after the last for one
    with a header but no data rows.
    """
    path = Path(path)
    block = CHUNK_BYTES if chunk_bytes is None else chunk_bytes
    if block < 1:
        raise SchemaError(f"{path}: chunk_bytes must be a positive number of bytes, not {block}")
    skip, header = _read_header(path, sep, header_starts_with, max_bytes, max_ratio)
    missing = [c for c in columns if c not in header]
    if missing:
        raise SchemaError(
            f"{path}: missing column(s) {', '.join(map(repr, missing))}; "
            f"found {', '.join(map(repr, header[:12]))}"
        )
    width = len(header)
    internal = [f"f{i}" for i in range(width)]
    wanted = {name: internal[header.index(name)] for name in columns}
    codes = tuple(missing_codes)

    def fail_structure(detail: str) -> SchemaError:
        found = _diagnose(path, sep, skip, header, max_bytes, max_ratio)
        return SchemaError(found or f"{path}: cannot parse as delimited text: {detail}")

    def where(row: int) -> str:
        return _where(path, sep, skip, row, max_bytes, max_ratio)

    done = 0
    with _open_binary(path, max_bytes, max_ratio) as stream:
        try:
            reader = pacsv.open_csv(
                stream,
                read_options=pacsv.ReadOptions(
                    skip_rows=skip + 1,
                    column_names=internal,
                    block_size=block,
                    use_threads=False,
                ),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(internal, pa.string()),
                    include_columns=list(dict.fromkeys(wanted.values())),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            for batch in reader:
                if not batch.num_rows:
                    continue
                out = pd.DataFrame({ROW: pd.RangeIndex(done + 1, done + batch.num_rows + 1)})
                for name, kind in columns.items():
                    cells = batch.column(wanted[name])
                    typed = _convert_arrow(cells, kind, codes)
                    if typed is None:  # pandas finds and names the bad cell, or accepts it
                        typed = _convert(cells.to_pandas(), name, kind, codes, done, where)
                    out[name] = typed.reset_index(drop=True)
                done += batch.num_rows
                del batch
                yield out
        except (pa.ArrowInvalid, pa.ArrowException) as exc:
            raise fail_structure(str(exc).splitlines()[0]) from None
    if not done:
        raise SchemaError(f"{path}: the file has a header but no data rows")


def data_row_lines(
    path: Path,
    rows: Sequence[int],
    *,
    sep: str = ",",
    header_starts_with: str | None = None,
    max_bytes: int | None = None,
    max_ratio: float | None = None,
) -> tuple[int, ...] | None:
    """The first file line of each of ``rows`` (1-based data rows); None if any is absent.

    Re-reads the file (only on an error path, to name lines in a message).
    """
    wanted = set(rows)
    found: dict[int, int] = {}
    try:
        skip, _ = _read_header(path, sep, header_starts_with, max_bytes, max_ratio)
        with closing(_data_records(path, sep, skip, max_bytes, max_ratio)) as records:
            for row, line, _record in records:
                if row in wanted:
                    found[row] = line
                    if len(found) == len(wanted):
                        break
    except (_BadRecord, SchemaError):
        return None
    if len(found) < len(wanted):
        return None
    return tuple(found[r] for r in rows)


def _where(
    path: Path, sep: str, skip: int, data_row: int, max_bytes: int | None, max_ratio: float | None
) -> str:
    """``"<path>: data row N (line L)"`` for the N-th data record (found on error only)."""
    try:
        with closing(_data_records(path, sep, skip, max_bytes, max_ratio)) as records:
            for row, line, _ in records:
                if row == data_row:
                    return f"{path}: data row {data_row} (line {line})"
    except (_BadRecord, SchemaError):
        pass
    return f"{path}: data row {data_row}"


_EMPTY = ("", "NA", "NaN", "nan", "NULL", ".")


def _convert_arrow(cells: pa.Array, kind: Kind, missing_codes: Sequence[int]) -> pd.Series | None:
    """Numeric cells converted by Arrow (fast, no Python strings); None if any cell is odd."""
    if kind not in ("int", "float"):
        return None
    text = pc.utf8_trim_whitespace(cells)
    text = pc.if_else(
        pc.is_in(text, value_set=pa.array(_EMPTY)), pa.scalar(None, pa.string()), text
    )
    try:
        values = pc.cast(text, pa.int64() if kind == "int" else pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if missing_codes:
        codes = pa.array(missing_codes, type=values.type)
        values = pc.if_else(pc.is_in(values, value_set=codes), pa.scalar(None, values.type), values)
    # pyarrow is untyped (see [tool.mypy] in pyproject.toml): name what to_pandas gives.
    mapper = {pa.int64(): pd.Int64Dtype()}.get if kind == "int" else None
    series: pd.Series = values.to_pandas(types_mapper=mapper)
    return series


def _convert(
    raw: pd.Series,
    name: str,
    kind: Kind,
    missing_codes: Sequence[int],
    offset: int,
    where: Callable[[int], str],
) -> pd.Series:
    text = raw.str.strip()
    if kind == "str":
        # "NA" is Namibia in ISO2 data, so only an empty cell is a missing string.
        return text.where(text != "").astype("string")
    empty = text.isin(_EMPTY)
    if kind == "date":
        values = pd.to_datetime(text.where(~empty), errors="coerce", format="ISO8601")
        what = "an ISO date (YYYY-MM-DD)"
    else:
        values = pd.to_numeric(text.where(~empty), errors="coerce")
        what = "a number"
    bad = values.isna() & ~empty
    if kind == "int" and not bad.any():
        bad = values.notna() & (values % 1 != 0)
        what = "a whole number"
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise SchemaError(
            f"{where(offset + row + 1)}, column {name!r}: {raw.iloc[row]!r} is not {what}"
        )
    if kind == "date":
        return values.dt.date.astype(object).where(values.notna(), None).reset_index(drop=True)
    if missing_codes:
        values = values.mask(values.isin(missing_codes))
    return values.astype("Int64") if kind == "int" else values.astype("float64")


def _first_row(frame: pd.DataFrame, mask: pd.Series) -> int:
    rows = frame.loc[mask, ROW] if ROW in frame else pd.Series(mask[mask].index + 1)
    return int(rows.iloc[0])


def check_keys(frame: pd.DataFrame, key: Sequence[str], path: Path) -> None:
    """Fail if two rows share the same key (e.g. the same state twice in one year)."""
    dup = frame.duplicated(list(key), keep=False)
    if dup.any():
        rows = frame.loc[dup, ROW].head(2).tolist() if ROW in frame else []
        first = frame.loc[dup].iloc[0]
        values = ", ".join(f"{k}={first[k]}" for k in key)
        raise SchemaError(
            f"{path}: duplicate key ({', '.join(key)}) at data rows "
            f"{' and '.join(map(str, rows))}: {values}; each key must appear once"
        )


def check_years(frame: pd.DataFrame, column: str, low: int, high: int, path: Path) -> None:
    """Fail if a year lies outside the dataset's plausible range ``[low, high]``."""
    years = frame[column]
    bad = years.notna() & ((years < low) | (years > high))
    if bad.any():
        row = _first_row(frame, bad)
        value = years[bad].iloc[0]
        raise SchemaError(
            f"{path}: data row {row}, column {column!r}: year {value} is outside {low}–{high}"
        )
    if years.isna().any():
        row = _first_row(frame, years.isna())
        raise SchemaError(f"{path}: data row {row}, column {column!r}: the year is missing")


def check_codes(
    frame: pd.DataFrame, column: str, scheme: Scheme, path: Path, *, allow_missing: bool = False
) -> pd.Series:
    """Convert a code column to ISO3; fail naming the first row with an unknown code."""
    codes = frame[column]
    iso3: pd.Series = to_iso3(codes, scheme, errors="coerce")
    # A COW state with no ISO3 code (e.g. Bavaria) is known and maps to NA; only codes
    # absent from the scheme's table are errors, so membership is tested on its own.
    unknown = [v for v in codes.dropna().unique() if not is_known(v, scheme)]
    bad = codes.isin(unknown)
    if not allow_missing:
        bad = bad | codes.isna()
    if bad.any():
        row = _first_row(frame, bad)
        value = codes[bad].iloc[0]
        shown = value.item() if hasattr(value, "item") else value
        raise SchemaError(
            f"{path}: data row {row}, column {column!r}: {shown!r} is not a known "
            f"{scheme} country code"
        )
    return iso3
