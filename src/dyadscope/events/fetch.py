"""Download raw GDELT event files from the official lists, verify them, ingest them.

Why: GDELT publishes a file every 15 minutes (2.0) or every day (1.0) together with
lists of every file's size and MD5 sum.  Clients that skip those lists end up with
truncated or corrupt files that parse "fine" and silently lose events.  Here every
file is selected from the official list, downloaded over HTTPS by
:func:`dyadscope.data.fetch.download` (resume, retries with back-off, MD5 and size
check, atomic write), opened as a zip archive to prove it is whole, and only then
ingested into the events store.

The official lists:

* GDELT 2.0: ``gdeltv2/masterfilelist.txt``, one ``<bytes> <md5> <url>`` line per
  file (exports, mentions and GKG); only ``*.export.CSV.zip`` files are taken.
* GDELT 1.0: ``events/md5sums`` (``<md5>  <file>``, as written by ``md5sum``) and
  ``events/filesizes`` (``<bytes> <file>``).  Files are yearly (``1979.zip`` …
  ``2005.zip``), monthly (``200601.zip`` … ``201303.zip``) and then daily
  (``20130401.export.CSV.zip`` …).

Files are chosen by the period they were *published* for (the DATEADDED day of a
2.0 export, the day/month/year of a 1.0 file), both ends inclusive; a 2.0 export
can hold events whose SQLDATE is earlier.

>>> files = parse_master_v2("150383 297a16b493de7cf6ca809a7cc31d0b93 "
...     "http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip", BASE_URLS[2])
>>> files[0].name, files[0].first
('20150218230000.export.CSV.zip', datetime.date(2015, 2, 18))
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from dyadscope._io import md5_file, safe_join
from dyadscope.errors import CorruptArchive as CorruptArchive  # re-exported: its old home
from dyadscope.errors import DyadscopeError, InputError, MissingData
from dyadscope.events.catalog import default_store_dir, resolve_store_dir

if TYPE_CHECKING:
    from dyadscope.events.ingest import IngestReport, ProgressCallback

__all__ = [
    "BASE_URLS",
    "CorruptArchive",
    "FetchResult",
    "RemoteFile",
    "fetch_gdelt",
    "parse_index_v1",
    "parse_master_v2",
    "select_files",
]

#: Official folders of the raw event files (the lists live in the same folder).
BASE_URLS: dict[int, str] = {
    1: "https://data.gdeltproject.org/events/",
    2: "https://data.gdeltproject.org/gdeltv2/",
}
_LISTS: dict[int, tuple[str, ...]] = {1: ("md5sums", "filesizes"), 2: ("masterfilelist.txt",)}

_V2_NAME = re.compile(r"^(\d{8})(\d{6})\.export\.CSV\.zip$")
_V1_NAME = re.compile(r"^(?:(\d{4})\.zip|(\d{6})\.zip|(\d{8})\.export\.CSV\.zip)$")

FileProgress = Callable[[int, int, str, str], None]


@dataclass(frozen=True)
class RemoteFile:
    """One event file in an official list: where it is and the period it covers."""

    name: str
    url: str
    size: int | None
    md5: str | None
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class FetchResult:
    """What :func:`fetch_gdelt` did.

    ``files`` has one row per selected file: ``name, url, size, md5, first, last,
    status`` (``downloaded``, ``present`` — already there with the right MD5 —
    or ``failed``) and ``detail`` (the reason of a failure).  ``ingest`` is what the
    ingest returned (None with ``ingest=False`` or when nothing could be ingested).
    """

    dest: Path
    store_dir: Path | None
    files: pd.DataFrame
    ingest: IngestReport | None

    @property
    def failed(self) -> pd.DataFrame:
        """The rows of files that could not be fetched."""
        return self.files[self.files["status"] == "failed"]


def _base(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _file_url(base_url: str, name: str) -> str:
    """Download from the chosen base folder (HTTPS by default), whatever host the list names."""
    return _base(base_url) + name


def parse_master_v2(text: str, base_url: str = BASE_URLS[2]) -> list[RemoteFile]:
    """The 15-minute export files of a GDELT 2.0 ``masterfilelist.txt``.

    Lines that are not ``<bytes> <md5> <url>`` with an export file name (mentions,
    GKG, blank or truncated lines) are skipped.
    """
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or not re.fullmatch(r"[0-9a-f]{32}", parts[1]):
            continue
        name = parts[2].rsplit("/", 1)[-1]
        m = _V2_NAME.match(name)
        if m is None:
            continue
        day = dt.datetime.strptime(m.group(1), "%Y%m%d").date()
        out.append(RemoteFile(name, _file_url(base_url, name), int(parts[0]), parts[1], day, day))
    return out


def _v1_period(name: str) -> tuple[dt.date, dt.date] | None:
    """The days a GDELT 1.0 file covers, from its name; None for other files."""
    m = _V1_NAME.match(name)
    if m is None:
        return None
    year, month, day = m.groups()
    if year:
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    if month:
        y, mo = int(month[:4]), int(month[4:])
        return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    d = dt.datetime.strptime(day, "%Y%m%d").date()
    return d, d


def parse_index_v1(md5sums: str, filesizes: str, base_url: str = BASE_URLS[1]) -> list[RemoteFile]:
    """The event files of GDELT 1.0's ``md5sums`` and ``filesizes`` lists, joined by name.

    >>> parse_index_v1("7fb1b6ff781aea3d441abf512dc5e0f9  1979.zip", "72718231 1979.zip")[0].last
    datetime.date(1979, 12, 31)
    """
    sizes = {}
    for line in filesizes.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            sizes[parts[1]] = int(parts[0])
    out = []
    for line in md5sums.splitlines():
        parts = line.split()
        if len(parts) != 2 or not re.fullmatch(r"[0-9a-f]{32}", parts[0]):
            continue
        name = parts[1].lstrip("*")
        period = _v1_period(name)
        if period is not None:
            out.append(
                RemoteFile(name, _file_url(base_url, name), sizes.get(name), parts[0], *period)
            )
    return out


def select_files(files: Sequence[RemoteFile], start: dt.date, end: dt.date) -> list[RemoteFile]:
    """Files whose period overlaps ``start``–``end`` (inclusive), in time order."""
    if start > end:
        raise InputError(f"start {start} is after end {end}")
    chosen = [f for f in files if f.first <= end and f.last >= start]
    return sorted(chosen, key=lambda f: (f.first, f.name))


def _download(url: str, dest: Path, **options: Any) -> Path:
    """Call the data layer's resumable, verified download without its own progress bar.

    The fetch shows one bar over all files; a second live bar inside it would clash.
    """
    from dyadscope.data.fetch import download

    return Path(download(url, dest, progress=False, **options))


def _read_lists(version: int, base_url: str, dest: Path, **options: Any) -> list[RemoteFile]:
    """Download the official list(s) afresh into ``dest`` and parse them."""
    texts = []
    for name in _LISTS[version]:
        local = dest / f".{name}"
        # The lists change every 15 minutes: never resume or reuse an old copy.
        local.unlink(missing_ok=True)
        local.with_name(local.name + ".part").unlink(missing_ok=True)
        _download(_base(base_url) + name, local, **options)
        texts.append(local.read_text(encoding="utf-8", errors="replace"))
    if version == 2:
        return parse_master_v2(texts[0], base_url)
    return parse_index_v1(texts[0], texts[1], base_url)


def _verify_zip(path: Path) -> None:
    """Raise :class:`CorruptArchive` unless ``path`` is a zip whose members all read back."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CorruptArchive(
            f"{path}: matches its listed checksum but is not a readable zip archive ({exc}); "
            "the published copy is damaged, so it was removed and left out of the ingest"
        ) from None
    if not names:
        raise CorruptArchive(f"{path}: the zip archive is empty")
    if bad is not None:
        raise CorruptArchive(f"{path}: member {bad!r} fails its CRC check")


def _fetch_one(f: RemoteFile, dest: Path, **options: Any) -> str:
    """Make ``dest/f.name`` a verified copy of ``f``; return ``downloaded`` or ``present``."""
    target = safe_join(dest, f.name)
    status = "downloaded"
    if target.is_file() and f.md5 is not None and md5_file(target) == f.md5:
        status = "present"
    else:
        _download(f.url, target, md5=f.md5, size=f.size, **options)
    try:
        _verify_zip(target)
    except CorruptArchive:
        target.unlink(missing_ok=True)  # a damaged copy must not be ingested later
        raise
    return status


def fetch_gdelt(
    version: Literal[1, 2],
    start: dt.date,
    end: dt.date,
    *,
    dest: str | os.PathLike[str] | None = None,
    store_dir: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    ingest: bool = True,
    on_file: FileProgress | None = None,
    on_ingest: ProgressCallback | None = None,
    retries: int = 4,
    backoff: float = 0.5,
) -> FetchResult:
    """Fetch GDELT ``version`` event files published from ``start`` to ``end`` and ingest them.

    ``dest`` keeps the zip files (default ``$DYADSCOPE_HOME/gdelt/v<version>``); a
    file already there with the listed MD5 is not downloaded again.  ``base_url`` is
    the folder holding the list(s) and the files (default: the official HTTPS
    folder).  A file that fails (download error after the retries, checksum
    mismatch, corrupt zip) is reported in the result and left out of the ingest;
    the others are still ingested.  ``on_file(done, total, name, status)`` is called
    after each file, and ``on_ingest`` is the ingest's own progress callback (the
    CLI draws its progress bars with them).  ``retries`` and
    ``backoff`` go to :func:`dyadscope.data.fetch.download` (back-off doubles).

    >>> r = fetch_gdelt(2, dt.date(2019, 10, 24), dt.date(2019, 10, 24))  # doctest: +SKIP
    >>> r.files[["name", "status"]].head(1)  # doctest: +SKIP
    """
    # Every argument is checked before any folder is made or anything downloaded.
    if version not in (1, 2):
        raise InputError(f"version must be 1 or 2, not {version!r}")
    if start > end:
        raise InputError(f"start {start} is after end {end}")
    base = base_url or BASE_URLS[version]
    if not re.match(r"^https?://", base):
        raise InputError(f"base_url {base!r} is not an http(s) URL")
    folder = (
        Path(dest) if dest is not None else default_store_dir().parent / "gdelt" / f"v{version}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    options = {"retries": retries, "backoff": backoff}
    chosen = select_files(_read_lists(version, base, folder, **options), start, end)
    if not chosen:
        raise MissingData(
            f"the GDELT {version}.0 file list at {base} has no event file published "
            f"between {start} and {end}"
        )
    rows, good = [], []
    for i, f in enumerate(chosen, 1):
        try:
            status, detail = _fetch_one(f, folder, **options), ""
            good.append(folder / f.name)
        except DyadscopeError as exc:
            status, detail = "failed", str(exc)
        rows.append({**asdict(f), "status": status, "detail": detail})
        if on_file is not None:
            on_file(i, len(chosen), f.name, status)
    store = resolve_store_dir(store_dir) if ingest else None
    report = None
    if ingest and good:
        from dyadscope.events.ingest import ingest as ingest_files

        report = ingest_files(good, store, progress=on_ingest)
    return FetchResult(dest=folder, store_dir=store, files=pd.DataFrame(rows), ingest=report)
