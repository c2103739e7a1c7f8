"""GDELT 2.0 master file list: every 15-minute file GDELT has published, with MD5 and size.

``{base}/masterfilelist.txt`` has one line per file, ``SIZE MD5 URL``, e.g.
``150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/
20150218230000.export.CSV.zip``.  It becomes the table ``gdelt_files`` (timestamp,
kind, size, md5, url, year): the catalogue that ``dyadscope events`` can download
from, each file then verified against its published MD5.  The list itself has no
published checksum, so it is checked for size (every line three fields, a 32-hex
MD5, an integer size, a URL with a 14-digit timestamp) and must not shrink.
"""

from __future__ import annotations

import re

import pandas as pd

from dyadscope._io import sha256_file
from dyadscope.data.registry import TableSpec
from dyadscope.data.update._base import Context, Provider, Release, Target
from dyadscope.errors import SchemaError

__all__ = ["GDELT_FILES", "GdeltMasterList"]

GDELT_FILES = TableSpec(
    name="gdelt_files",
    columns={
        "timestamp": "TIMESTAMP",
        "kind": "VARCHAR",
        "size": "BIGINT",
        "md5": "VARCHAR",
        "url": "VARCHAR",
        "year": "INTEGER",
    },
    key=("url",),
    years=(2015, 2100),
)

_LINE = re.compile(r"^(\d+) ([0-9a-fA-F]{32}) (\S+/(\d{14})\.([A-Za-z]+)\.\S+)$")


def parse_master_list(text: str, origin: str) -> pd.DataFrame:
    """The master list as a frame; the first malformed line is an error naming it."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _LINE.match(line.strip())
        if m is None:
            raise SchemaError(
                f"{origin}: line {number}: expected 'SIZE MD5 URL' with a 14-digit "
                f"timestamp in the file name, got {line[:120]!r}"
            )
        size, md5, url, stamp, kind = m.groups()
        rows.append((stamp, kind.lower(), int(size), md5.lower(), url))
    frame = pd.DataFrame(rows, columns=["stamp", "kind", "size", "md5", "url"])
    frame["timestamp"] = pd.to_datetime(frame["stamp"], format="%Y%m%d%H%M%S")
    frame["year"] = frame["timestamp"].dt.year.astype("int64")
    return frame.drop(columns="stamp")


class GdeltMasterList(Provider):
    """The list of GDELT 2.0 files (events, mentions, GKG) with their MD5 sums."""

    name = "gdelt"
    title = "GDELT 2.0 master file list"
    aliases = ("gdelt_files",)
    env_var = "DYADSCOPE_GDELT_URL"
    default_base_url = "http://data.gdeltproject.org/gdeltv2"
    targets = (Target(GDELT_FILES, "gdelt_files"),)

    def fetch(self, ctx: Context) -> Release:
        """Download the list (resumable), parse it, refuse a list shorter than the stored one."""
        url = f"{self.base_url}/masterfilelist.txt"
        path = ctx.http.download(url, ctx.workdir / "masterfilelist.txt")
        frame = parse_master_list(path.read_text(encoding="utf-8", errors="replace"), url)
        current = ctx.existing.get("gdelt_files")
        if current is not None and len(frame) < len(current):
            raise SchemaError(
                f"{url}: the list has {len(frame)} files, fewer than the {len(current)} "
                "already stored; the download is probably cut short, nothing was replaced"
            )
        latest = frame["timestamp"].max()
        version = f"master file list to {latest:%Y-%m-%d %H:%M} UTC ({len(frame)} files)"
        return Release({"gdelt_files": frame}, version, url, sha256_file(path))
