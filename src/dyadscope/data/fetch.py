"""Download a file with resume, retries, checksum verification and an atomic rename.

Upstream data sites are slow and flaky, and the files are large (GDELT, full COW
releases).  :func:`download` writes into ``<dest>.part``; if the connection drops it
asks the server for the remaining bytes with an HTTP ``Range`` request; it retries
connection errors and 5xx answers with exponential back-off; it checks size, MD5 and
SHA-256 when they are known; only then does it rename the ``.part`` file to ``dest``.
A checksum mismatch deletes the download and raises
:class:`~dyadscope.errors.ChecksumMismatch`: a bad file is never left behind.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from dyadscope.errors import ChecksumMismatch, FetchError, InputError

__all__ = ["download", "fetch_dataset"]


class _Retryable(Exception):
    """A failure worth another attempt (dropped connection, 5xx)."""


def _target(url: str, dest: Path) -> Path:
    if dest.is_dir():
        name = Path(unquote(urlparse(url).path)).name
        if not name:
            raise InputError(f"cannot tell a file name from {url!r}; pass a file path as dest")
        return dest / name
    return dest


def _verify(path: Path, url: str, md5: str | None, sha256: str | None, size: int | None) -> None:
    """Raise ChecksumMismatch (after deleting ``path``) if the file is not the expected one."""
    problems = []
    actual_size = path.stat().st_size
    if size is not None and actual_size != size:
        problems.append(f"size {actual_size} bytes, expected {size}")
    for algorithm, expected in (("md5", md5), ("sha256", sha256)):
        if expected is not None:
            with open(path, "rb") as fh:
                actual = hashlib.file_digest(fh, algorithm).hexdigest()
            if actual.lower() != expected.lower():
                problems.append(f"{algorithm} {actual}, expected {expected}")
    if problems:
        path.unlink(missing_ok=True)
        raise ChecksumMismatch(
            f"download of {url} does not match: {'; '.join(problems)}. The file was deleted; "
            "retry later or check the expected checksum."
        )


def _attempt(client: httpx.Client, url: str, part: Path, progress: Progress | None) -> None:
    """One GET, resuming from the bytes already in ``part``."""
    have = part.stat().st_size if part.exists() else 0
    # Ask for the bytes as stored: a transparently gzipped body could not be resumed by offset.
    headers = {"Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 416 and have:
                return  # the .part file already holds every byte
            if response.status_code >= 500:
                raise _Retryable(f"server answered {response.status_code}")
            if response.status_code >= 400:
                raise FetchError(f"{url}: server answered {response.status_code}; not retried")
            resumed = response.status_code == 206
            mode = "ab" if resumed else "wb"
            length = response.headers.get("Content-Length")
            total = (int(length) + (have if resumed else 0)) if length else None
            task = None
            if progress is not None:
                task = progress.add_task(part.name[: -len(".part")], total=total)
                progress.update(task, completed=have if resumed else 0)
            with open(part, mode) as fh:
                for chunk in response.iter_raw():
                    fh.write(chunk)
                    if progress is not None and task is not None:
                        progress.update(task, advance=len(chunk))
            if total is not None and part.stat().st_size < total:
                raise _Retryable(f"connection closed after {part.stat().st_size} of {total} bytes")
    except httpx.TransportError as exc:
        raise _Retryable(f"{type(exc).__name__}: {exc}") from exc


def download(
    url: str,
    dest: str | os.PathLike[str],
    *,
    md5: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    progress: bool = True,
    client: httpx.Client | None = None,
) -> Path:
    """Download ``url`` to ``dest`` (a file, or a folder to keep the URL's file name).

    Resumes an interrupted download from ``<dest>.part``, retries up to ``retries``
    times after connection errors and 5xx answers (sleeping ``backoff * 2**n`` seconds),
    verifies ``size``/``md5``/``sha256`` when given, and renames atomically.  If ``dest``
    already exists and matches the given checksum, nothing is downloaded.

    >>> download("http://data.gdeltproject.org/gdeltv2/20191024143000.export.CSV.zip",
    ...          "data/", md5="…")  # doctest: +SKIP
    PosixPath('data/20191024143000.export.CSV.zip')
    """
    target = _target(url, Path(dest))
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and (md5 or sha256):
        try:
            _verify(target, url, md5, sha256, size)
            return target
        except ChecksumMismatch:
            pass  # the stale file was removed; download afresh
    part = target.with_name(target.name + ".part")
    own_client = client is None
    http = client or httpx.Client(follow_redirects=True, timeout=httpx.Timeout(30.0))
    bar = (
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            transient=True,
        )
        if progress
        else None
    )
    last_error = ""
    try:
        if bar is not None:
            bar.start()
        for attempt in range(retries + 1):
            try:
                _attempt(http, url, part, bar)
                break
            except _Retryable as exc:
                last_error = str(exc)
                if attempt == retries:
                    raise FetchError(
                        f"{url}: failed after {retries + 1} attempts ({last_error}); the partial "
                        f"file {part} is kept, so running the command again resumes it"
                    ) from None
                time.sleep(backoff * 2**attempt)
    finally:
        if bar is not None:
            bar.stop()
        if own_client:
            http.close()
    _verify(part, url, md5, sha256, size)
    os.replace(part, target)
    return target


def fetch_dataset(
    dataset: str, dest: str | os.PathLike[str], *, url: str | None = None, progress: bool = True
) -> Path:
    """Download the full upstream file of a registered dataset into the folder ``dest``.

    Uses the adapter's ``fetch_url`` (or ``url`` when given) and verifies its SHA-256
    when the adapter records one.

    >>> fetch_dataset("nmc", "downloads/")  # doctest: +SKIP
    """
    from dyadscope.data.registry import get_adapter

    adapter = get_adapter(dataset)
    source = url or adapter.fetch_url
    if source is None:
        raise FetchError(
            f"dataset {adapter.name!r} has no download dyadscope may use: {adapter.note} "
            f"See {adapter.url}"
        )
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    checksum = adapter.fetch_sha256 if url is None else None
    return download(source, folder, sha256=checksum, progress=progress)
