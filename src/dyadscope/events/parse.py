"""Read GDELT event files exactly as published, one line at a time, into DuckDB.

Raw GDELT files are tab-separated, header-less and unquoted; 1.0 and 2.0 layouts
differ only in their field count (57, 58 or 61), and one file may even mix them
(a 1.0 sample that appends backfile lines to daily lines).  So the layout is
decided PER LINE from its field count, never from the file name.

How: DuckDB's CSV reader reads each line of a batch of files as one VARCHAR (no
quoting, all text, ``ignore_errors`` and ``null_padding`` off) into a table whose
insertion order is the files' order, so a line's number is its ``rowid`` minus the
first ``rowid`` of its file, plus one.  A view then splits each line on tabs and
puts each field in its official column for that line's layout.  Nothing is
dropped here: lines that fit no layout are kept with a ``pre_reason``.

CSV-with-header derivatives (BigQuery exports with upper- or lower-case names,
reed9999's lower-case header, comma- or tab-separated, optionally gzipped) are
recognised by a header that names ``GLOBALEVENTID``; columns are matched by name.
In those files the text ``NA`` (written by R) also means missing.

>>> load_batch(con, [(0, Path("20191024143000.export.CSV"))], "loaded", work)  # doctest: +SKIP
{}
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dyadscope._sql import quote_identifier, quote_literal
from dyadscope.errors import SchemaError
from dyadscope.events.lines import (
    BAD_LINE_MARK,
    COMPRESSION_ERRORS,
    LONG_LINE_KEEP,
    MAX_LINE_BYTES,
    needs_sanitizing,
    open_binary,
    sanitize_lines,
)
from dyadscope.events.schema import GDELT2_COLUMNS, LAYOUTS, official_for_header

#: Errors that make one input file unreadable (it is reported, the others go on).
_READ_ERRORS: tuple[type[Exception], ...] = (SchemaError, OSError, csv.Error, *COMPRESSION_ERRORS)


@dataclass(frozen=True)
class InputFormat:
    """How a file is laid out: raw GDELT or a derivative with a header."""

    header: tuple[str, ...] | None  # official column names per header cell (None: not GDELT)
    delimiter: str  # "\t" or ","
    raw_header: tuple[str, ...] = ()

    @property
    def has_header(self) -> bool:
        """True for CSV-with-header derivatives."""
        return self.header is not None


#: Columns of the relation :func:`load_batch` creates, before the official ones.
LOADED_PREFIX: tuple[str, ...] = ("file_idx", "line", "raw", "layout", "pre_reason")


def _open_text_head(path: Path) -> str:
    """First line of ``path`` (plain, .gz or single-member .zip), decoded leniently."""
    with open_binary(path) as fh:
        head = fh.readline(1 << 20)
    return head.decode("utf-8", errors="replace").rstrip("\r\n")


def detect_format(path: Path) -> InputFormat:
    """Tell a raw GDELT file from a CSV-with-header derivative by its first line.

    A first line that names ``GLOBALEVENTID`` (any case) is a header; its cells
    are mapped to official names (unknown extra columns such as ``source_file``
    are kept out).  Anything else is raw GDELT, whose layout is per line.
    """
    first = _open_text_head(path)
    if "globaleventid" not in first.lower():
        return InputFormat(header=None, delimiter="\t")
    delimiter = "\t" if "\t" in first else ","
    cells = next(csv.reader([first], delimiter=delimiter))
    mapped = tuple(official_for_header(c) or "" for c in cells)
    missing = [c for c in ("GLOBALEVENTID", "SQLDATE", "EventCode") if c not in mapped]
    if missing:
        raise SchemaError(f"{path}: line 1: the header lacks the columns {', '.join(missing)}")
    return InputFormat(header=mapped, delimiter=delimiter, raw_header=tuple(cells))


def unpack(path: Path, workdir: Path) -> Path:
    """Return a readable path for ``path``: the single member of a .zip is extracted.

    GDELT publishes each file zipped with one member; a corrupt archive or one
    with several members raises :class:`SchemaError` naming the file.
    """
    if path.suffix.lower() != ".zip":
        return path
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise SchemaError(
                    f"{path}: expected one file inside the zip archive, found {len(members)}"
                )
            workdir.mkdir(parents=True, exist_ok=True)
            target = workdir / Path(members[0].filename).name
            with zf.open(members[0]) as src, open(target, "wb") as dst:
                while block := src.read(1 << 20):
                    dst.write(block)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise SchemaError(f"{path}: not a readable zip archive ({exc})") from exc
    return target


def duckdb_reason(exc: BaseException, limit: int = 300) -> str:
    """DuckDB's error in one short line: no echo of the offending line, no option dump.

    DuckDB's CSV errors quote the whole bad line (megabytes, for a file with no line
    breaks) and list every reader option; a user needs the first sentence and the
    hint that follows it.
    """
    message = str(exc)
    for condition, advice in _OS_CONDITIONS.items():
        if condition in message:
            where = _WRITING.search(message)
            written = where.group(1) if where else getattr(exc, "filename", None)
            target = f" ({written})" if written else ""
            return f"{condition}{target}: {advice}"
    keep = []
    for raw in message.splitlines():
        line = raw.strip()
        if not line or line.startswith("Original Line:"):
            continue
        if _OPTION_LINE.match(line):  # the reader's option dump ("delimiter = ...")
            break
        keep.append(line)
    text = " ".join(keep) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Conditions of the system (not of the input) named first in a reason, with what to do.
_OS_CONDITIONS = {
    "No space left on device": "the disk is full; free some space and ingest again",
    "Disk quota exceeded": "the disk quota is used up; free some space and ingest again",
    "Read-only file system": "the events store is on a read-only file system",
    "Permission denied": "check the permissions of the events store and the input",
}
#: The file DuckDB was writing, in its I/O errors.
_WRITING = re.compile(r'Could not write file \\?"([^"\\]+)')
#: A line of DuckDB's option dump, e.g. ``delimiter = \t (Set By User)``; a message
#: holding ``=`` elsewhere (a ``year=2019`` partition path) is not one.
_OPTION_LINE = re.compile(r"^[A-Za-z_][A-Za-z_ ]*\s=\s")


def _read_lines_sql(paths: list[Path]) -> str:
    """``read_csv`` of ``paths`` with each line as one VARCHAR, strict and unquoted."""
    files = ", ".join(quote_literal(p) for p in paths)
    return (
        f"read_csv([{files}], columns = {{'text': 'VARCHAR'}}, delim = '\\0', quote = '', "
        "escape = '', header = false, auto_detect = false, all_varchar = true, "
        "null_padding = false, ignore_errors = false, compression = 'auto', filename = true, "
        f"max_line_size = {_DUCKDB_MAX_LINE})"
    )


def _read_lines(
    con: duckdb.DuckDBPyConnection, files: list[tuple[int, Path]], table: str, workdir: Path
) -> None:
    """Fill ``table`` with every line of ``files``, in order.

    Columns: ``file_idx``, ``line`` (1-based, per file), ``text``, ``n`` (its field
    count: tabs + 1, computed once here rather than in every layout branch) and
    ``bad`` (the line was marked bad by :func:`sanitize_lines`, or is too long).

    All files are read in one scan; if DuckDB refuses one (its encoding, a byte
    its reader cannot handle), the files are read one by one and the offending one
    is copied through :func:`sanitize_lines` first (its bad lines marked).
    """
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} "
        "(file_idx INTEGER, line BIGINT, text VARCHAR, n INTEGER, bad BOOLEAN)"
    )
    try:
        _append_lines(con, files, table)
        return
    except duckdb.InvalidInputException:
        con.execute(f"DELETE FROM {table}")
    for idx, path in files:
        try:
            _append_lines(con, [(idx, path)], table)
        except duckdb.InvalidInputException:
            clean = sanitize_lines(path, workdir / f"clean-{idx}")
            try:
                _append_lines(con, [(idx, clean)], table)
            except duckdb.InvalidInputException as exc:
                raise SchemaError(
                    f"{path}: DuckDB could not read the file: {duckdb_reason(exc)}"
                ) from exc


def _append_lines(
    con: duckdb.DuckDBPyConnection, files: list[tuple[int, Path]], table: str
) -> None:
    """Read ``files`` in one scan (order preserved) and append numbered lines to ``table``."""
    scan = f"{table}_scan"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {scan} AS SELECT text, filename FROM "
        f"{_read_lines_sql([p for _, p in files])}"
    )
    names = ", ".join(f"({int(idx)}, {quote_literal(p)})" for idx, p in files)
    con.execute(
        f"""INSERT INTO {table}
        WITH ids(file_idx, filename) AS (VALUES {names}),
        s AS (SELECT rowid AS r, text, filename FROM {scan}),
        firsts AS (SELECT filename, min(r) AS r0 FROM s GROUP BY filename)
        SELECT ids.file_idx, s.r - firsts.r0 + 1, s.text,
          strlen(s.text) - strlen(replace(s.text, chr(9), '')) + 1,
          starts_with(s.text, {quote_literal(BAD_LINE_MARK)}) OR strlen(s.text) > {MAX_LINE_BYTES}
        FROM s JOIN firsts USING (filename) JOIN ids USING (filename)"""
    )
    con.execute(f"DROP TABLE {scan}")


def _field_list(columns: tuple[str, ...], value: str) -> str:
    """Every official 2.0 column, taken from ``value`` (a format with ``{i}``) or NULL."""
    return ", ".join(
        f"{value.format(i=columns.index(name) + 1)} AS {quote_identifier(name)}"
        if name in columns
        else f"NULL::VARCHAR AS {quote_identifier(name)}"
        for name in GDELT2_COLUMNS
    )


_NULL_FIELDS = ", ".join(f"NULL::VARCHAR AS {quote_identifier(name)}" for name in GDELT2_COLUMNS)

#: DuckDB's own line limit: above :data:`MAX_LINE_BYTES`, so lines a little over it that
#: :func:`needs_sanitizing` lets through are still read (and then quarantined).
_DUCKDB_MAX_LINE = 4 * MAX_LINE_BYTES

_MARK = quote_literal(BAD_LINE_MARK)
#: Reason and raw text of a line marked bad in :func:`_append_lines`.
_BAD_REASON = f"""CASE
    WHEN starts_with(text, {_MARK}) THEN split_part(substr(text, 2), {_MARK}, 1)
    ELSE 'line too long: ' || strlen(text) || ' bytes (at most {MAX_LINE_BYTES})' END"""
_BAD_RAW = f"""CASE
    WHEN starts_with(text, {_MARK}) THEN substr(text, strpos(substr(text, 2), {_MARK}) + 2)
    ELSE left(text, {LONG_LINE_KEEP}) || '…' END"""


def _line_selects(
    lines: str, where: str, shapes: list[tuple[int, str, str]], expected: str
) -> list[str]:
    """SELECTs mapping lines of ``lines`` (rows matching ``where``) to official columns.

    ``shapes`` lists (field count, layout name, field list SQL over ``f``): one
    SELECT per shape, plus one for lines that fit none (with a ``pre_reason``;
    ``expected`` says what was expected).  ``lines`` carries each line's field count
    (see :func:`_read_lines`), and each line is split only in the branch it belongs to.
    """
    counted = f"(SELECT file_idx, line, text, n, bad FROM {lines} WHERE {where})"
    selects = [
        f"SELECT file_idx, line, text AS raw, {quote_literal(name)} AS layout, "
        "NULL::VARCHAR AS pre_reason, "
        f"{fields} FROM (SELECT file_idx, line, text, string_split(text, chr(9)) AS f "
        f"FROM {counted} WHERE n = {count} AND NOT bad)"
        for count, name, fields in shapes
    ]
    counts = ", ".join(str(count) for count, _, _ in shapes)
    selects.append(
        f"""SELECT file_idx, line, CASE WHEN bad THEN {_BAD_RAW} ELSE text END AS raw,
          NULL::VARCHAR AS layout,
          CASE WHEN bad THEN {_BAD_REASON}
               WHEN text IS NULL OR trim(text) = '' THEN 'empty line'
               ELSE 'wrong field count: ' || n || ' ({expected})' END AS pre_reason,
          {_NULL_FIELDS}
        FROM {counted} WHERE bad OR n IS NULL OR n NOT IN ({counts})"""
    )
    return selects


def _raw_selects(lines: str, idxs: list[int]) -> list[str]:
    """SELECTs for raw GDELT lines of files ``idxs``: the layout is chosen per line."""
    value = "nullif(f[{i}], '')"
    shapes = [(lay.n_fields, lay.name, _field_list(lay.columns, value)) for lay in LAYOUTS]
    where = f"file_idx IN ({', '.join(str(i) for i in idxs)})"
    return _line_selects(lines, where, shapes, "GDELT lines have 57, 58 or 61 fields")


def _tab_header_selects(lines: str, idx: int, fmt: InputFormat) -> list[str]:
    """SELECTs for a tab-separated derivative whose first line is a header."""
    assert fmt.header is not None
    n = len(fmt.header)
    value = "CASE WHEN f[{i}] IN ('', 'NA') THEN NULL ELSE f[{i}] END"
    shapes = [(n, "csv_with_header", _field_list(fmt.header, value))]
    where = f"file_idx = {idx} AND line > 1"
    return _line_selects(lines, where, shapes, f"the header has {n}")


def _load_comma(
    con: duckdb.DuckDBPyConnection, path: Path, idx: int, table: str, fmt: InputFormat
) -> None:
    """Load a comma-separated derivative with a header (quoted fields allowed) into ``table``."""
    assert fmt.header is not None
    n = len(fmt.header)
    cols = {f"c{i}": "VARCHAR" for i in range(1, n + 1)}
    source = (
        f"read_csv({quote_literal(path)}, columns = {cols!r}, delim = ',', "
        "quote = '\"', escape = '\"', "
        "header = true, auto_detect = false, all_varchar = true, null_padding = false, "
        "ignore_errors = false, compression = 'auto', nullstr = ['', 'NA'])"
    )
    raw = " || ',' || ".join(f"coalesce(c{i}, '')" for i in range(1, n + 1))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_src AS SELECT * FROM {source}")
    except duckdb.Error:
        _load_comma_python(con, path, idx, table, fmt)
        return
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT {idx} AS file_idx, rowid + 2 AS line, {raw} AS raw, 'csv_with_header' AS layout,
               NULL::VARCHAR AS pre_reason, {_field_list(fmt.header, "c{i}")}
        FROM {table}_src"""
    )
    con.execute(f"DROP TABLE {table}_src")


def _load_comma_python(
    con: duckdb.DuckDBPyConnection, path: Path, idx: int, table: str, fmt: InputFormat
) -> None:
    """Slow path for a broken comma derivative: Python's csv module, record by record.

    DuckDB's strict reader stops at the first malformed record; here every record
    is kept, and those with the wrong number of fields get a reason instead.
    """
    import pyarrow as pa

    assert fmt.header is not None
    n = len(fmt.header)
    lines: list[int] = []
    raws: list[str] = []
    reasons: list[str | None] = []
    values: list[list[str | None]] = [[] for _ in GDELT2_COLUMNS]
    positions = [fmt.header.index(c) if c in fmt.header else None for c in GDELT2_COLUMNS]
    with (
        open_binary(path) as binary,
        io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="") as fh,
        _csv_field_limit(sys.maxsize),
    ):
        reader = csv.reader(fh)
        next(reader, None)
        start = reader.line_num + 1
        for row in reader:
            lines.append(start)
            start = reader.line_num + 1
            raw = ",".join(row)
            reason = _comma_reason(row, raw, n)
            marked = raw.startswith(BAD_LINE_MARK) or (reason or "").startswith("line too")
            raws.append(_short_raw(raw) if marked else raw)
            ok = reason is None
            reasons.append(reason)
            for vals, pos in zip(values, positions, strict=True):
                cell = row[pos] if ok and pos is not None else None
                vals.append(None if cell in (None, "", "NA") else cell)
    arrow = pa.table(
        {
            "file_idx": pa.array([idx] * len(lines), pa.int32()),
            "line": pa.array(lines, pa.int64()),
            "raw": pa.array(raws, pa.string()),
            "layout": pa.array([None if r else "csv_with_header" for r in reasons], pa.string()),
            "pre_reason": pa.array(reasons, pa.string()),
            **{
                name: pa.array(v, pa.string())
                for name, v in zip(GDELT2_COLUMNS, values, strict=True)
            },
        }
    )
    con.register(f"{table}_arrow", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {table}_arrow")
    con.unregister(f"{table}_arrow")


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields of up to ``limit`` characters (restored after)."""
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _comma_reason(row: list[str], raw: str, n: int) -> str | None:
    """Why a record of a comma derivative is quarantined, or None when it is good."""
    if raw.startswith(BAD_LINE_MARK):
        return raw[1:].split(BAD_LINE_MARK, 1)[0]
    if len(raw.encode("utf-8", errors="replace")) > MAX_LINE_BYTES:
        return f"line too long: {len(raw.encode())} bytes (at most {MAX_LINE_BYTES})"
    if len(row) != n:
        return f"wrong field count: {len(row)} (the header has {n})"
    return None


def _short_raw(raw: str) -> str:
    if raw.startswith(BAD_LINE_MARK):
        return raw[1:].split(BAD_LINE_MARK, 1)[-1]
    return raw[:LONG_LINE_KEEP] + "…"


def load_batch(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[int, Path]],
    view: str,
    workdir: Path,
) -> dict[int, SchemaError]:
    """Create temp view ``view`` over every line of ``files`` (index, path) on ``con``.

    The view has :data:`LOADED_PREFIX` columns then one VARCHAR per official GDELT
    2.0 column.  Raw files (plain, .gz or .zip) are read together in one scan;
    comma-separated derivatives one by one.  Returns the files that could not be
    read at all (missing, corrupt archive, header without the key columns), by
    index; their lines are not in the view.
    """
    failed: dict[int, SchemaError] = {}
    selects: list[str] = []
    tabbed: list[tuple[int, Path, InputFormat]] = []
    for idx, path in files:
        try:
            if not path.exists():
                raise SchemaError(f"{path}: no such file")
            if not path.is_file():
                raise SchemaError(f"{path}: not a regular file")
            readable = unpack(path, workdir / f"in-{idx}")
            if needs_sanitizing(readable):
                readable = sanitize_lines(readable, workdir / f"long-{idx}")
            fmt = detect_format(readable)
            if fmt.has_header and fmt.delimiter == ",":
                _load_comma(con, readable, idx, f"{view}_csv{idx}", fmt)
                selects.append(f"SELECT * FROM {view}_csv{idx}")
            else:
                tabbed.append((idx, readable, fmt))
        except _READ_ERRORS as exc:
            failed[idx] = exc if isinstance(exc, SchemaError) else SchemaError(f"{path}: {exc}")
    if tabbed:
        lines = f"{view}_lines"
        _read_lines(con, [(i, p) for i, p, _ in tabbed], lines, workdir)
        raw = [i for i, _, fmt in tabbed if not fmt.has_header]
        if raw:
            selects += _raw_selects(lines, raw)
        for i, _, fmt in tabbed:
            if fmt.has_header:
                selects += _tab_header_selects(lines, i, fmt)
    if not selects:
        selects.append(
            "SELECT NULL::INTEGER AS file_idx, NULL::BIGINT AS line, NULL::VARCHAR AS raw, "
            f"NULL::VARCHAR AS layout, NULL::VARCHAR AS pre_reason, {_NULL_FIELDS} WHERE false"
        )
    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS " + "\nUNION ALL\n".join(selects))
    return failed
