"""Small I/O helpers shared by every part of dyadscope.

Everything the project writes for a user goes through :func:`atomic_path`, so a
crash or a validation error never leaves a half-written file behind.

What an output path may be (the ``-o`` option of every command):

* a regular file, or a name not yet taken: written to a temporary file beside it,
  then renamed over it (atomic: readers see the old file or the new one, never half);
* a **symlink**: followed.  The file it points to is replaced atomically and the
  link itself is kept (a dangling link creates its target);
* a **device or FIFO** (``/dev/null``, ``/dev/full``, a named pipe, ``/dev/stdout``):
  written through, because a rename would replace the special file itself with a
  regular file.  The output is built in a temporary file first, then copied in;
  a write error (``/dev/full``: no space left) is raised with the path named;
* a folder: refused with :class:`~dyadscope.errors.InputError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from dyadscope.errors import InputError

#: How many symlink hops :func:`output_target` follows before giving up (as the kernel's 40).
_MAX_LINKS = 40


def output_target(target: str | os.PathLike[str]) -> tuple[Path, bool]:
    """Where an output for ``target`` really goes, and whether to write it through.

    Returns ``(path, through)``: for a symlink, ``path`` is the file it points to;
    ``through`` is true for a device, a FIFO or a socket (anything that exists and
    is not a regular file or folder), and for a link into ``/proc`` (``/dev/stdout``
    is one), which must be opened, never replaced.

    >>> output_target("/dev/null")  # doctest: +SKIP
    (PosixPath('/dev/null'), True)
    """
    path = Path(target)
    hops = 0
    while path.is_symlink():
        link = Path(os.readlink(path))
        path = link if link.is_absolute() else path.parent / link
        hops += 1
        if str(path).startswith("/proc/") or hops > _MAX_LINKS:
            return Path(target), True
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Path(os.path.realpath(path)) if path != Path(target) else path, False
    except OSError:
        return Path(target), False
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return (Path(os.path.realpath(path)) if path != Path(target) else path), False
    return Path(target), True


def _name_the_path(exc: OSError, target: Path, tmp: Path | None = None) -> OSError:
    """Make ``exc`` name ``target`` (the user's path), not a temporary file or nothing."""
    if exc.filename is None or (tmp is not None and str(exc.filename) == str(tmp)):
        exc.filename = str(target)
    return exc


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path for the output ``target``; put it in place on success.

    For a regular file (or a symlink to one) the temporary file lives in the same
    folder, so the final ``os.replace`` is atomic on POSIX.  For a device or FIFO the
    temporary file lives in the system's temporary folder and is copied into
    ``target`` (see the module docstring).  If the block raises, the temporary file is
    removed and ``target`` is untouched.  An :class:`OSError` (disk full, read-only
    file system) names ``target``, never the temporary file.

    >>> with atomic_path("out/brief.html") as tmp:  # doctest: +SKIP
    ...     tmp.write_text("<html>…</html>")
    """
    shown = check_output_path(target)
    real, through = output_target(target)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{real.name}.",
            suffix=suffix or ".tmp",
            dir=None if through else real.parent,
        )
    except OSError as exc:
        raise InputError(f"{shown}: cannot write there: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(name)
    # mkstemp creates 0600; give the result the permissions a plain open() would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        try:
            yield tmp
            if through:
                with open(tmp, "rb") as src, open(real, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            else:
                os.replace(tmp, real)
        except OSError as exc:
            _name_the_path(exc, shown, tmp)
            raise
    finally:
        if tmp.exists():
            tmp.unlink()


def check_output_path(target: str | os.PathLike[str], *, create: bool = True) -> Path:
    """Check that ``target`` can be an output file, creating its folder; return it.

    Called before long work (a brief takes seconds to build; ``create=False`` then
    writes nothing yet) as well as by :func:`atomic_path`, so that a path that is a
    folder, or whose folder cannot be created, fails with
    :class:`~dyadscope.errors.InputError` naming it.  A symlink is checked at the
    file it points to; a device or FIFO passes (it is written through).

    >>> check_output_path("/tmp")  # doctest: +SKIP
    Traceback (most recent call last):
    dyadscope.errors.InputError: /tmp: is a folder; give a file name for the output
    """
    shown = Path(target)
    real, through = output_target(target)
    if through:
        return shown
    if real.is_dir():
        raise InputError(f"{shown}: is a folder; give a file name for the output")
    if not create:
        return shown
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{shown}: cannot create its folder {real.parent}: {exc.strerror or exc}"
        ) from exc
    return shown


def atomic_write_text(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(target)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def read_text_limited(
    path: str | os.PathLike[str], limit: int, *, what: str = "file", encoding: str = "utf-8"
) -> str:
    """Read a regular text file of at most ``limit`` bytes.

    Refuses, with :class:`~dyadscope.errors.InputError` naming the path and the limit,
    anything that is not a regular file (``/dev/zero``, a FIFO, a folder: they could
    be endless or block) and a file larger than ``limit``.  At most ``limit + 1``
    bytes are read, so a file growing while read cannot exhaust memory either.

    >>> read_text_limited("/dev/zero", 5_000_000, what="case file")  # doctest: +SKIP
    Traceback (most recent call last):
    dyadscope.errors.InputError: case file '/dev/zero' is not a regular file (a device)...
    """
    path = Path(path)
    shown = f"{what} {str(path)!r}"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{shown} not found") from None
    except OSError as exc:
        raise InputError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
        raise InputError(f"{shown} is not a regular file ({kind}); give a {what} on disk")
    too_big = (
        f"{shown} is larger than the limit of {limit:,} bytes ({limit / 1e6:g} MB); "
        f"a {what} is text and far smaller"
    )
    if info.st_size > limit:
        raise InputError(too_big.replace("is larger", f"({info.st_size:,} bytes) is larger"))
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(too_big)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {shown}: not {encoding} text ({exc.reason})") from None


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file, by :func:`hashlib.file_digest`."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def md5_file(path: str | os.PathLike[str]) -> str:
    """Hex MD5 of a file (GDELT publishes MD5 sums), by :func:`hashlib.file_digest`."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "md5").hexdigest()


def safe_join(root: str | os.PathLike[str], *parts: str) -> Path:
    """Join ``parts`` under ``root`` and refuse any result that escapes ``root``.

    Used wherever a path component comes from input (a document name in a case,
    a file name in a manifest or a server listing).
    """
    from dyadscope.errors import InputError

    base = Path(root).resolve()
    candidate = base.joinpath(*parts).resolve()
    if candidate != base and base not in candidate.parents:
        raise InputError(f"path {os.path.join(*parts)!r} escapes its folder {str(base)!r}")
    return candidate
