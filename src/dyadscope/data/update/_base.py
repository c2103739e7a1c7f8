"""What every live provider shares: HTTP with retries, the release it returns, validation.

A provider asks one official interface for its newest release and turns the answer
into canonical frames (:class:`Release`).  It never touches the store: checking the
frames and swapping them in is :mod:`dyadscope.data.update`'s job, so every provider
gets the same guarantees (validated before anything is replaced, one transaction,
provenance recorded).

Each provider's address can be changed three ways, strongest first: the ``base_url``
argument, the provider's environment variable (``env_var``), the official default.
Tests point them at a local HTTP server that replays responses in each API's format.
"""

from __future__ import annotations

import hashlib
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import httpx
import pandas as pd

from dyadscope import __version__
from dyadscope._sql import quote_identifier
from dyadscope.data.registry import TableSpec
from dyadscope.data.validate import check_keys, check_years
from dyadscope.errors import FetchError, SchemaError

__all__ = [
    "Context",
    "Http",
    "Provider",
    "Release",
    "Target",
    "check_frame",
    "utc_now",
]

#: Called with one line of progress ("GET https://…", "page 2 of 3"); the CLI shows it.
Reporter = Callable[[str], None]

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def utc_now() -> datetime:
    """The current time in UTC without tzinfo (how the store keeps timestamps)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _quiet(_: str) -> None:
    """The default reporter: library code prints nothing."""


class Http:
    """GET/POST with retries and exponential back-off; downloads through ``fetch.download``.

    Connection errors, 429 and 5xx answers are retried ``retries`` times, sleeping
    ``backoff * 2**n`` seconds; any other 4xx is an error at once.  Every URL asked
    for is remembered in :attr:`urls` (it becomes the provenance's query URL).
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 60.0,
        report: Reporter = _quiet,
    ) -> None:
        self._own = client is None
        self.client = client or httpx.Client(
            follow_redirects=True,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": f"dyadscope/{__version__}"},
        )
        self.retries = retries
        self.backoff = backoff
        self.report = report
        self.urls: list[str] = []

    def close(self) -> None:
        """Close the client if this object created it."""
        if self._own:
            self.client.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        ok_missing: bool = False,
    ) -> httpx.Response | None:
        """One request, retried; None for a 404 or 410 when ``ok_missing`` (not yet out)."""
        shown = str(httpx.URL(url, params=params or None))
        last = ""
        for attempt in range(self.retries + 1):
            self.report(f"{method} {shown}")
            try:
                response = self.client.request(
                    method, url, params=params or None, headers=headers, json=json
                )
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code in (404, 410) and ok_missing:
                    return None
                if response.status_code not in _RETRY_STATUS:
                    if response.status_code >= 400:
                        raise FetchError(
                            f"{shown}: server answered {response.status_code} "
                            f"({response.text[:200].strip()!r}); not retried"
                        )
                    self.urls.append(shown)
                    return response
                last = f"server answered {response.status_code}"
            if attempt < self.retries:
                self.report(f"retrying in {self.backoff * 2**attempt:.1f}s ({last})")
                time.sleep(self.backoff * 2**attempt)
        raise FetchError(f"{shown}: failed after {self.retries + 1} attempts ({last})")

    def get(self, url: str, **kw: Any) -> httpx.Response:
        """GET ``url`` (see :meth:`request`); never None."""
        response = self.request("GET", url, **kw)
        assert response is not None
        return response

    def download(
        self, url: str, dest: Path, *, md5: str | None = None, size: int | None = None
    ) -> Path:
        """A resumable, retried, checksum-verified download (``fetch.download``)."""
        from dyadscope.data.fetch import download

        self.report(f"downloading {url}")
        path = download(
            url,
            dest,
            md5=md5,
            size=size,
            retries=self.retries,
            backoff=self.backoff,
            progress=False,
            client=self.client,
        )
        self.urls.append(url)
        return path


@dataclass(frozen=True)
class Target:
    """A canonical table a provider writes, and the dataset name its provenance carries."""

    spec: TableSpec
    dataset: str


@dataclass
class Release:
    """What a provider brought back: canonical frames and where they came from."""

    frames: dict[str, pd.DataFrame]
    version: str
    query_url: str
    sha256: str
    retrieved_at: datetime = field(default_factory=utc_now)
    notes: list[str] = field(default_factory=list)


@dataclass
class Context:
    """What a provider may use while fetching: HTTP, a folder for files, the store, today."""

    http: Http
    workdir: Path
    today: date
    existing: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    report: Reporter = _quiet


class Provider(ABC):
    """One official interface; subclasses declare their tables and implement :meth:`fetch`."""

    name: ClassVar[str]
    title: ClassVar[str]
    #: Other names a user may type for this provider (its tables, its dataset).
    aliases: ClassVar[tuple[str, ...]] = ()
    env_var: ClassVar[str]
    default_base_url: ClassVar[str]
    targets: ClassVar[tuple[Target, ...]]
    #: Whether the provider is left out of a plain ``update()`` (needs a key, say).
    optional: ClassVar[bool] = False

    def __init__(self, base_url: str | None = None, **options: Any) -> None:
        self._base_url = base_url
        self.options = options

    @property
    def base_url(self) -> str:
        """The ``base_url`` argument, else ``$<env_var>``, else the official address."""
        url = self._base_url or os.environ.get(self.env_var) or self.default_base_url
        return url.rstrip("/")

    def unavailable(self) -> str | None:
        """Why this provider cannot run now (a missing API key), or None."""
        return None

    @abstractmethod
    def fetch(self, ctx: Context) -> Release:
        """Ask the interface for its newest release; return canonical frames."""

    def rebase(self, url: str) -> str:
        """``url`` moved onto :attr:`base_url` when it points at the official host.

        Why: a file list names files by their official address; a test server (or a
        mirror set with the environment variable) must serve them too.
        """
        if url.startswith(self.default_base_url) and self.base_url != self.default_base_url:
            return self.base_url + url[len(self.default_base_url) :]
        if url.startswith("/"):
            return self.base_url + url
        return url


def digest(chunks: Sequence[bytes]) -> str:
    """SHA-256 of the raw bytes a release was built from, in the order received."""
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


def check_frame(frame: pd.DataFrame, spec: TableSpec, origin: str) -> pd.DataFrame:
    """The frame cast to ``spec`` exactly as the store will hold it, or a SchemaError.

    Checks: every column present, at least one row, years in range, no duplicate
    key, and every value castable to its DuckDB type (cast in a scratch database, so
    a bad value fails here, before anything in the store is replaced).
    """
    absent = [c for c in spec.columns if c not in frame.columns]
    if absent:
        raise SchemaError(f"{origin}: table {spec.name} lacks column(s) {absent}")
    if frame.empty:
        raise SchemaError(
            f"{origin}: the provider returned no rows for table {spec.name}; "
            "nothing was replaced (check the query or try again later)"
        )
    where = Path(origin)
    if spec.year is not None:
        check_years(frame, spec.year, *spec.years, where)
    if spec.key:
        check_keys(frame, spec.key, where)
    scratch = duckdb.connect()
    try:
        scratch.register("incoming", frame[list(spec.columns)])
        casts = ", ".join(
            f"CAST({quote_identifier(c)} AS {t}) AS {quote_identifier(c)}"
            for c, t in spec.columns.items()
        )
        try:
            return scratch.execute(f"SELECT {casts} FROM incoming").df()
        except duckdb.Error as exc:
            raise SchemaError(
                f"{origin}: table {spec.name}: a value does not fit its column type ({exc})"
            ) from exc
    finally:
        scratch.close()


def year_span(frame: pd.DataFrame, spec: TableSpec) -> tuple[int | None, int | None]:
    """First and last year of a canonical frame (year column or date columns)."""
    if spec.year is not None and spec.year in frame:
        years = pd.to_numeric(frame[spec.year], errors="coerce").dropna()
    else:
        parts = [pd.to_datetime(frame[c]).dt.year for c in spec.date_columns if c in frame]
        years = pd.concat(parts).dropna() if parts else pd.Series(dtype="float64")
    if years.empty:
        return None, None
    return int(years.min()), int(years.max())
