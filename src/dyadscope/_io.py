"""Small I/O helpers shared by every part of dyadscope.

Everything the project writes for a user goes through :func:`atomic_path`, so a
crash or a validation error never leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from dyadscope.errors import InputError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` on success.

    The temporary file lives in the same directory, so the final ``os.replace`` is
    atomic on POSIX.  If the block raises, the temporary file is removed and
    ``target`` is untouched.

    >>> with atomic_path("out/brief.html") as tmp:  # doctest: +SKIP
    ...     tmp.write_text("<html>…</html>")
    """
    target = check_output_path(target)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent
        )
    except OSError as exc:
        raise InputError(f"{target}: cannot write there: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(name)
    # mkstemp creates 0600; give the result the permissions a plain open() would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def check_output_path(target: str | os.PathLike[str], *, create: bool = True) -> Path:
    """Check that ``target`` can be an output file, creating its folder; return it.

    Called before long work (a brief takes seconds to build; ``create=False`` then
    writes nothing yet) as well as by :func:`atomic_path`, so that a path that is a
    folder, or whose folder cannot be created, fails with
    :class:`~dyadscope.errors.InputError` naming it.

    >>> check_output_path("/tmp")  # doctest: +SKIP
    Traceback (most recent call last):
    dyadscope.errors.InputError: /tmp: is a folder; give a file name for the output
    """
    target = Path(target)
    if target.is_dir():
        raise InputError(f"{target}: is a folder; give a file name for the output")
    if not create:
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{target}: cannot create its folder {target.parent}: {exc.strerror or exc}"
        ) from exc
    return target


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
