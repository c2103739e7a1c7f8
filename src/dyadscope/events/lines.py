r"""Read a GDELT file's lines safely, before DuckDB sees them.

DuckDB's line reader is fast but cannot be trusted with every byte: it fails a
whole file on a line over its maximum size, drops a final line of ~32 MB or more
without any error, splits a line at a lone CR and stops at some control bytes.
:func:`needs_sanitizing` scans a file quickly for any of these; when it (or DuckDB)
says so, :func:`sanitize_lines` copies the file as clean UTF-8 lines, each bad line
turned into :data:`BAD_LINE_MARK`, its reason, the mark and its text, so that the
parser quarantines it with its line number and nothing is lost.  Damaged or
truncated ``.gz`` files raise :class:`~dyadscope.errors.SchemaError` naming them.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "f.CSV").write_bytes(b"good\nbad\x00line\n")
>>> needs_sanitizing(folder / "f.CSV")
True
>>> (folder / "clean").mkdir()
>>> sanitize_lines(folder / "f.CSV", folder / "clean").read_text().splitlines()[1]
'\x03control character in line: \\x00\x03bad\\x00line'
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from dyadscope.errors import SchemaError

__all__ = [
    "BAD_LINE_MARK",
    "COMPRESSION_ERRORS",
    "CONTROL_BYTES",
    "LONG_LINE_KEEP",
    "MAX_LINE_BYTES",
    "needs_sanitizing",
    "open_binary",
    "sanitize_lines",
]

#: Longest line kept, in bytes (a GDELT line is under 3 kB); longer lines are quarantined.
MAX_LINE_BYTES = 1 << 20
#: Marks a line :func:`sanitize_lines` found bad: ``MARK reason MARK raw text shown``.
BAD_LINE_MARK = "\x03"
#: Bytes no GDELT line holds and DuckDB's line reader mishandles (NUL, the mark and its
#: neighbours); a file holding one, or a CR not followed by LF, is read through
#: :func:`sanitize_lines`, which quarantines those lines.
CONTROL_BYTES = b"\x00\x02\x03\x04"
#: Characters of an over-long line kept in the quarantine file.
LONG_LINE_KEEP = 200
#: Errors a damaged or truncated compressed file raises while it is read.
COMPRESSION_ERRORS: tuple[type[Exception], ...] = (EOFError, zlib.error, gzip.BadGzipFile)


@contextmanager
def open_binary(path: Path) -> Iterator[BinaryIO]:
    """``path`` opened for reading bytes, through gzip for ``.gz``.

    A damaged or truncated compressed file raises :class:`SchemaError` naming it,
    whenever the damage is met.
    """
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                yield fh  # type: ignore[misc]
        else:
            with open(path, "rb") as fh:
                yield fh
    except COMPRESSION_ERRORS as exc:
        raise SchemaError(
            f"{path}: the compressed file is damaged or truncated ({exc or type(exc).__name__}); "
            "download it again"
        ) from None


def needs_sanitizing(path: Path, limit: int = MAX_LINE_BYTES) -> bool:
    """Whether ``path`` may hold a line DuckDB cannot be trusted with (a fast scan).

    DuckDB's line reader fails a whole file on a line over its maximum, drops a
    final line of ~32 MB or more without any error, splits lines at a lone CR and
    stops at some control bytes, so such files go through :func:`sanitize_lines`
    first.  Any line longer than ``limit`` covers a whole aligned window of
    ``limit // 2`` bytes holding no newline; testing each window with one ``find``
    (and each block for :data:`CONTROL_BYTES` and lone CRs) costs little more than
    reading the file.  True may also be returned for a file that turns out clean
    (then the precise copy changes nothing but the line endings).
    """
    window = max(limit // 2, 1)
    chunk = window * 16
    with open_binary(path) as fh:
        rest = b""
        while block := fh.read(chunk):
            buf = rest + block
            # A CR at a block's end, before the next block's LF, is a harmless false alarm.
            if any(c in block for c in CONTROL_BYTES) or block.count(b"\r") != block.count(b"\r\n"):
                return True
            full = len(buf) - len(buf) % window
            for i in range(0, full, window):
                if buf.find(b"\n", i, i + window) < 0:
                    return True
            rest = buf[full:]
    return False


def _long_lines(src: BinaryIO, limit: int) -> Iterator[tuple[bytes, int]]:
    """Each line of ``src`` without its newline, and its full length in bytes.

    Memory stays bounded: of a line longer than ``limit`` only the first ``limit``
    bytes are returned (the rest is read and counted, not kept).
    """
    while line := src.readline(limit + 1):
        if line.endswith(b"\n") or len(line) <= limit:
            body = line[:-1] if line.endswith(b"\n") else line
            body = body[:-1] if body.endswith(b"\r") else body
            yield body, len(body)
            continue
        length = len(line)
        while (more := src.readline(1 << 20)) and not more.endswith(b"\n"):
            length += len(more)
        length += len(more.removesuffix(b"\n").removesuffix(b"\r"))
        yield line, length


_VISIBLE = {c: f"\\x{c:02x}" for c in b"\x00\x02\x03\x04\r"}


def _visible(text: str) -> str:
    """``text`` with the control characters of :data:`CONTROL_BYTES` and CR escaped."""
    return text.translate(_VISIBLE)


def _bad_line_reason(body: bytes, length: int, limit: int) -> tuple[str, str] | None:
    """Why a line must be quarantined before DuckDB reads it, and its text to show."""
    if length > limit:
        head = body[: LONG_LINE_KEEP * 4].decode("utf-8", errors="replace")[:LONG_LINE_KEEP]
        return f"line too long: {length} bytes (at most {limit})", _visible(head) + "…"
    found = sorted({f"\\x{c:02x}" for c in body if c in CONTROL_BYTES or c == 0x0D})
    if found:
        text = body.decode("utf-8", errors="replace")
        return f"control character in line: {', '.join(found)}", _visible(text)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "invalid UTF-8", body.decode("utf-8", errors="replace")
    return None


def sanitize_lines(path: Path, workdir: Path, limit: int = MAX_LINE_BYTES) -> Path:
    """Copy ``path`` (plain or .gz) as clean UTF-8 lines, each bad line marked.

    Used when DuckDB refuses the file for its encoding or when
    :func:`needs_sanitizing` says so: line numbers are kept (a line ends at LF; a CR
    before it is dropped), and a line over ``limit`` bytes, holding a control
    character or not valid UTF-8 becomes :data:`BAD_LINE_MARK`, the reason, the
    mark and the line's text (control characters escaped, a long line cut short).
    The marked lines are later quarantined with that reason.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / f"{path.name}.lines"
    with open_binary(path) as src, open(target, "w", encoding="utf-8", newline="\n") as dst:
        for body, length in _long_lines(src, limit):
            bad = _bad_line_reason(body, length, limit)
            if bad is None:
                text = body.decode("utf-8")
            else:
                text = f"{BAD_LINE_MARK}{bad[0]}{BAD_LINE_MARK}{bad[1]}"
            dst.write(text + "\n")
    return target
