"""Download a file with resume, retries, verification and an atomic rename.

Upstream data sites are slow and flaky, and the files are large (GDELT, full COW
releases).  :func:`download` writes into ``<dest>.part`` and only renames it to
``dest`` once every check has passed:

* the URL must be ``http:`` or ``https:`` (anything else is refused at once);
* the body must be as long as the server's ``Content-Length``; a body whose length the
  server does not state (neither ``Content-Length`` nor chunked encoding) is refused
  unless a ``size`` or checksum is given, since a truncated one cannot be told apart;
* an HTML page (``Content-Type: text/html`` or a body starting ``<!doctype``/``<html``)
  is refused: it is a login or error page, not a data file;
* ``size``, ``md5`` and ``sha256`` are checked when known (adapters record the checksum
  their provider publishes, if any);
* the whole download must finish within ``deadline`` seconds
  (:data:`DOWNLOAD_DEADLINE` by default), so a server trickling bytes cannot hold it.

If the connection drops, the download resumes with an HTTP ``Range`` request only when
the server gave a validator (``ETag`` or ``Last-Modified``, kept beside the ``.part``
file and sent as ``If-Range``); otherwise, or if the file changed, it starts again from
zero, so a stale ``.part`` of another file is never spliced in.  Connection errors and
5xx answers are retried with exponential back-off.  A verification failure deletes the
download and raises :class:`~dyadscope.errors.ChecksumMismatch` or
:class:`~dyadscope.errors.FetchError`: a bad file is never left under ``dest``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from dyadscope.errors import ChecksumMismatch, FetchError, InputError

if TYPE_CHECKING:
    import httpx  # imported where a download runs: ~0.1 s that other commands need not pay

__all__ = ["DOWNLOAD_DEADLINE", "download", "fetch_dataset"]

#: Seconds a whole download (every attempt and back-off together) may take by default.
DOWNLOAD_DEADLINE = 3600.0
#: Seconds to wait for a connection or for the next bytes before the attempt is retried.
_IO_TIMEOUT = 30.0
_SCHEMES = ("http", "https")
_HTML_STARTS = (b"<!doctype", b"<html")


class _Retryable(Exception):
    """A failure worth another attempt (dropped connection, 5xx)."""


class _Deadline(Exception):
    """The overall deadline passed."""


def _target(url: str, dest: Path) -> Path:
    if dest.is_dir():
        name = Path(unquote(urlparse(url).path)).name
        if not name:
            raise InputError(f"cannot tell a file name from {url!r}; pass a file path as dest")
        return dest / name
    return dest


def _check_scheme(url: str) -> None:
    scheme = urlparse(url).scheme.lower()
    if scheme not in _SCHEMES:
        raise InputError(
            f"{url!r}: only http and https URLs can be downloaded "
            f"({scheme + ':' if scheme else 'no scheme'} is not supported)"
        )


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


def _meta_path(part: Path) -> Path:
    return part.with_name(part.name + ".validator")


def _read_validator(part: Path, url: str) -> str | None:
    """The ETag or Last-Modified recorded for ``part``, if it belongs to ``url``."""
    try:
        meta = json.loads(_meta_path(part).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("url") != url:
        return None
    value = meta.get("etag") or meta.get("last_modified")
    return value if isinstance(value, str) and value else None


def _write_validator(part: Path, url: str, response: httpx.Response) -> None:
    etag = response.headers.get("ETag")
    modified = response.headers.get("Last-Modified")
    if etag and etag.startswith("W/"):
        etag = None  # a weak validator cannot vouch for byte ranges
    meta = _meta_path(part)
    if etag or modified:
        meta.write_text(json.dumps({"url": url, "etag": etag, "last_modified": modified}))
    else:
        meta.unlink(missing_ok=True)


def _discard(part: Path) -> None:
    part.unlink(missing_ok=True)
    _meta_path(part).unlink(missing_ok=True)


def _is_html(response: httpx.Response, first: bytes) -> bool:
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    head = first.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return kind in ("text/html", "application/xhtml+xml") or head.startswith(_HTML_STARTS)


def _attempt(
    client: httpx.Client,
    url: str,
    part: Path,
    progress: Progress | None,
    end: float,
    *,
    allow_html: bool,
    verified: bool,
) -> None:
    """One GET, resuming from the bytes already in ``part`` when a validator allows it."""
    import httpx

    validator = _read_validator(part, url) if part.exists() else None
    if part.exists() and validator is None:
        _discard(part)  # no way to tell whether these bytes belong to the current file
    have = part.stat().st_size if part.exists() else 0
    # Ask for the bytes as stored: a transparently gzipped body could not be resumed by offset.
    headers = {"Accept-Encoding": "identity"}
    if have and validator:
        headers["Range"] = f"bytes={have}-"
        headers["If-Range"] = validator
    left = end - time.monotonic()
    if left <= 0:
        raise _Deadline
    timeout = httpx.Timeout(min(_IO_TIMEOUT, left))
    try:
        with client.stream("GET", url, headers=headers, timeout=timeout) as response:
            _receive(response, url, part, progress, end, have, allow_html, verified)
    except httpx.TransportError as exc:
        if time.monotonic() >= end:
            raise _Deadline from None
        raise _Retryable(f"{type(exc).__name__}: {exc}") from exc


def _receive(
    response: httpx.Response,
    url: str,
    part: Path,
    progress: Progress | None,
    end: float,
    have: int,
    allow_html: bool,
    verified: bool,
) -> None:
    if response.status_code == 416 and have:
        _discard(part)  # the file shrank or changed: start again from zero
        raise _Retryable("server refused the resume range (416)")
    if response.status_code >= 500:
        raise _Retryable(f"server answered {response.status_code}")
    if response.status_code >= 400:
        raise FetchError(f"{url}: server answered {response.status_code}; not retried")
    resumed = response.status_code == 206
    if resumed:
        first_byte = response.headers.get("Content-Range", "").removeprefix("bytes ").split("-")[0]
        if first_byte != str(have):
            _discard(part)
            raise _Retryable(f"server resumed at byte {first_byte or '?'}, not {have}")
    else:
        have = 0
        _write_validator(part, url, response)
    length = response.headers.get("Content-Length")
    chunked = "chunked" in response.headers.get("Transfer-Encoding", "").lower()
    if length is None and not chunked and not verified:
        raise FetchError(
            f"{url}: the server does not say how long the file is (no Content-Length), "
            "so a cut-off download could not be detected; pass size or sha256 to download()"
        )
    expected = int(length) if length and length.isdigit() else None
    task = None
    if progress is not None:
        total = expected + have if expected is not None else None
        task = progress.add_task(part.name[: -len(".part")], total=total)
        progress.update(task, completed=have)
    received = 0
    with open(part, "ab" if resumed else "wb") as fh:
        for chunk in response.iter_raw():
            if received == 0 and not resumed and not allow_html and _is_html(response, chunk):
                fh.close()
                _discard(part)
                raise FetchError(
                    f"{url}: the server sent an HTML page, not the data file (a login, "
                    "error or landing page?); check the URL in a browser"
                )
            fh.write(chunk)
            received += len(chunk)
            if progress is not None and task is not None:
                progress.update(task, advance=len(chunk))
            if time.monotonic() > end:
                raise _Deadline
    if expected is not None and received != expected:
        raise _Retryable(f"connection closed after {received} of {expected} bytes")


def download(
    url: str,
    dest: str | os.PathLike[str],
    *,
    md5: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    deadline: float = DOWNLOAD_DEADLINE,
    allow_html: bool = False,
    progress: bool = True,
    client: httpx.Client | None = None,
) -> Path:
    """Download ``url`` to ``dest`` (a file, or a folder to keep the URL's file name).

    Resumes an interrupted download from ``<dest>.part`` when the server gave a
    validator (else starts again), retries up to ``retries`` times after connection
    errors and 5xx answers (sleeping ``backoff * 2**n`` seconds), checks the length the
    server announced and ``size``/``md5``/``sha256`` when given, refuses HTML pages
    unless ``allow_html``, gives up after ``deadline`` seconds in all, and renames
    atomically.  If ``dest`` already exists and matches the given checksum, nothing is
    downloaded.

    >>> download("http://data.gdeltproject.org/gdeltv2/20191024143000.export.CSV.zip",
    ...          "data/", md5="…")  # doctest: +SKIP
    PosixPath('data/20191024143000.export.CSV.zip')
    """
    _check_scheme(url)
    target = _target(url, Path(dest))
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and (md5 or sha256):
        try:
            _verify(target, url, md5, sha256, size)
            return target
        except ChecksumMismatch:
            pass  # the stale file was removed; download afresh
    part = target.with_name(target.name + ".part")
    end = time.monotonic() + deadline
    verified = bool(md5 or sha256 or size is not None)
    own_client = client is None
    import httpx

    http = client or httpx.Client(follow_redirects=True, timeout=httpx.Timeout(_IO_TIMEOUT))
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
    try:
        if bar is not None:
            bar.start()
        _run_attempts(http, url, part, bar, end, retries, backoff, allow_html, verified, deadline)
    finally:
        if bar is not None:
            bar.stop()
        if own_client:
            http.close()
    try:
        _verify(part, url, md5, sha256, size)
    finally:
        _meta_path(part).unlink(missing_ok=True)
    os.replace(part, target)
    return target


def _kept(part: Path, url: str) -> str:
    """What happens to the partial file, for an error message (never a missing file)."""
    if part.exists() and _read_validator(part, url):
        return f"; the partial file {part} is kept, so running the command again resumes it"
    _discard(part)
    return ""


def _run_attempts(
    http: httpx.Client,
    url: str,
    part: Path,
    bar: Progress | None,
    end: float,
    retries: int,
    backoff: float,
    allow_html: bool,
    verified: bool,
    deadline: float,
) -> None:
    for attempt in range(retries + 1):
        try:
            _attempt(http, url, part, bar, end, allow_html=allow_html, verified=verified)
            return
        except _Deadline:
            kept = _kept(part, url)
            raise FetchError(
                f"{url}: the download did not finish within {deadline:g} s (deadline){kept}"
            ) from None
        except FetchError:
            _discard(part)
            raise
        except _Retryable as exc:
            if attempt == retries:
                raise FetchError(
                    f"{url}: failed after {retries + 1} attempts ({exc}){_kept(part, url)}"
                ) from None
            pause = backoff * 2**attempt
            if time.monotonic() + pause >= end:
                raise FetchError(
                    f"{url}: the download did not finish within {deadline:g} s (deadline; "
                    f"last error: {exc}){_kept(part, url)}"
                ) from None
            time.sleep(pause)


def fetch_dataset(
    dataset: str,
    dest: str | os.PathLike[str],
    *,
    url: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
    deadline: float = DOWNLOAD_DEADLINE,
    progress: bool = True,
) -> Path:
    """Download the full upstream file of a registered dataset into the folder ``dest``.

    Uses the adapter's ``fetch_url`` (or ``url`` when given).  The file is checked
    against ``sha256``/``size`` when given, else against the checksum the adapter
    records from its provider (``fetch_sha256``, also for a ``url`` that is the same
    file); without one, only the length the server announces is checked.

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
    _check_scheme(source)
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    published = adapter.fetch_sha256 if source == adapter.fetch_url else None
    return download(
        source,
        folder,
        sha256=sha256 or published,
        size=size if size is not None else getattr(adapter, "fetch_size", None),
        deadline=deadline,
        progress=progress,
    )
