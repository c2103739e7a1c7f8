"""Read a dataset file and check it, naming the file, row and column of any problem.

Adapters call :func:`read_csv_checked` to get a frame whose columns have the types
they declared, plus a ``_row`` column holding each record's 1-based data row (the
header is row 0), so that checks made after reshaping can still point at the line a
user would open in an editor.  Everything raises
:class:`~dyadscope.errors.SchemaError`.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from dyadscope.data.countries import Scheme, is_known, to_iso3
from dyadscope.errors import SchemaError

__all__ = [
    "ROW",
    "Kind",
    "check_codes",
    "check_keys",
    "check_years",
    "open_text",
    "read_csv_checked",
]

Kind = Literal["int", "float", "str", "date"]
ROW = "_row"
_GZIP_MAGIC = b"\x1f\x8b"
#: COW's "missing" codes; they become NULL on load, never a number.
COW_MISSING = (-9, -8, -77, -88, -99)


def open_text(path: Path) -> str:
    """The whole file as text, gunzipped if it is gzip; clear errors for bad files."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SchemaError(f"{path}: file not found") from None
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read file ({exc.strerror})") from None
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise SchemaError(
                f"{path}: the gzip data is truncated or corrupt ({exc}); "
                "download the file again (dyadscope data fetch) and retry"
            ) from None
    elif path.suffix == ".gz":
        raise SchemaError(f"{path}: named .gz but is not gzip data (no gzip header)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SchemaError(f"{path}: line {line}: not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise SchemaError(f"{path}: the file is empty; expected a header and data rows")
    return text


def _header_offset(text: str, first_column: str | None) -> int:
    """Number of preamble lines before the header (SIPRI exports start with notes)."""
    if first_column is None:
        return 0
    for number, line in enumerate(io.StringIO(text)):
        if line.lstrip("\ufeff").startswith(first_column):
            return number
        if number > 50:
            break
    return 0


def read_csv_checked(
    path: Path,
    columns: Mapping[str, Kind],
    *,
    sep: str = ",",
    header_starts_with: str | None = None,
    missing_codes: Iterable[int] = (),
) -> pd.DataFrame:
    """Read a delimited file, check its columns exist and their types, return a typed frame.

    Only the columns named in ``columns`` are kept (extra columns are fine: upstream
    files grow).  Empty cells and ``NA`` are missing.  Integer columns become nullable
    ``Int64``; ``missing_codes`` (COW's ``-9``) in numeric columns become missing.

    >>> read_csv_checked(Path("nmc.csv"), {"ccode": "int", "cinc": "float"})  # doctest: +SKIP
    """
    text = open_text(path)
    skip = _header_offset(text, header_starts_with)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skiprows=skip,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise SchemaError(f"{path}: cannot parse as delimited text: {exc}") from None
    except pd.errors.EmptyDataError:
        raise SchemaError(f"{path}: the file is empty; expected a header and data rows") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{path}: missing column(s) {', '.join(map(repr, missing))}; "
            f"found {', '.join(map(repr, frame.columns[:12]))}"
        )
    if frame.empty:
        raise SchemaError(f"{path}: the file has a header but no data rows")
    out = pd.DataFrame({ROW: pd.RangeIndex(1, len(frame) + 1) + 0})
    codes = tuple(missing_codes)
    for name, kind in columns.items():
        out[name] = _convert(path, frame[name], name, kind, codes)
    return out


def _convert(
    path: Path, raw: pd.Series, name: str, kind: Kind, missing_codes: Sequence[int]
) -> pd.Series:
    text = raw.str.strip()
    if kind == "str":
        # "NA" is Namibia in ISO2 data, so only an empty cell is a missing string.
        return text.where(text != "").astype("string")
    empty = text.isin(["", "NA", "NaN", "nan", "NULL", "."])
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
            f"{path}: data row {row + 1} (line {row + 2}), column {name!r}: "
            f"{raw.iloc[row]!r} is not {what}"
        )
    if kind == "date":
        return values.dt.date.astype(object).where(values.notna(), None)
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
    iso3 = to_iso3(codes, scheme, errors="coerce")
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
