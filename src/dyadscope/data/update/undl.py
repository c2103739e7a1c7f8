"""UN Digital Library: "General Assembly voting data", the official recorded-vote file.

The record (``4060887``) carries one CSV per release, named by date
(``2025_9_19_ga_voting.csv``).  The library's file API,
``{base}/api/v1/file?recid=4060887``, lists them as JSON objects with ``name``,
``format`` and ``url`` (and, where given, ``size`` and ``checksum`` ``md5:…``, which
the download is then verified against).  The newest file is taken.

The CSV has one row per member state and resolution: ``undl_id, ms_code (ISO3),
ms_name, ms_vote (Y, N, A; blank when the state did not vote), date, session,
resolution, draft, …, title, agenda_title, subjects, total_yes, …``.  It becomes the
canonical ``unga_votes`` (absences are not rows, as in unvotes) and
``unga_rollcalls`` (``rcid`` = ``undl_id``).  ``unga_issues`` has no equivalent and is
left as it is; its unvotes roll-call ids do not match UNDL ids.
"""

from __future__ import annotations

import re

import pandas as pd

from dyadscope._io import sha256_file
from dyadscope.data.registry import get_adapter
from dyadscope.data.update._base import Context, Provider, Release, Target
from dyadscope.errors import FetchError, SchemaError

__all__ = ["UnDigitalLibrary", "parse_ga_voting"]

RECORD_ID = "4060887"
_NAME = re.compile(r"^(\d{4})_(\d{1,2})_(\d{1,2})_ga_(?:resolutions_)?voting$")
_VOTES = {"Y": "yes", "N": "no", "A": "abstain"}
_NEEDED = ("undl_id", "ms_code", "ms_vote", "date", "session", "resolution", "title")


def parse_ga_voting(path: str, origin: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The UNDL CSV → (unga_votes, unga_rollcalls, notes); a bad row is an error naming it."""
    from dyadscope.data.countries import to_iso3

    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SchemaError(f"{origin}: not a readable CSV ({exc})") from exc
    absent = [c for c in _NEEDED if c not in raw.columns]
    if absent:
        raise SchemaError(f"{origin}: column(s) {absent} missing; columns: {list(raw.columns)}")
    rcid = pd.to_numeric(raw["undl_id"], errors="coerce")
    dates = pd.to_datetime(raw["date"], errors="coerce", format="mixed")
    for name, parsed in (("undl_id", rcid), ("date", dates)):
        bad = parsed.isna()
        if bad.any():
            line = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise SchemaError(
                f"{origin}: line {line}, field {name}: {raw[name][bad].iloc[0]!r} is not valid"
            )
    vote = raw["ms_vote"].str.strip().str.upper()
    odd = ~vote.isin([*_VOTES, "", "X"])
    if odd.any():
        line = int(odd.to_numpy().nonzero()[0][0]) + 2
        raise SchemaError(
            f"{origin}: line {line}, field ms_vote: {raw['ms_vote'][odd].iloc[0]!r} is not "
            "Y, N, A or blank"
        )
    code = raw["ms_code"].str.strip().str.upper()
    iso3 = to_iso3(code.where(code != ""), "iso3", errors="coerce")
    cast = vote.isin(list(_VOTES))
    unknown = sorted(set(code[cast & iso3.isna()]))
    notes = []
    if unknown:
        notes.append(f"votes of codes not in the country list were left out: {unknown}")
    keep = cast & iso3.notna()
    votes = pd.DataFrame(
        {"rcid": rcid[keep].astype("int64"), "iso3": iso3[keep], "vote": vote[keep].map(_VOTES)}
    )
    calls = pd.DataFrame(
        {
            "rcid": rcid.astype("int64"),
            "session": pd.to_numeric(raw["session"], errors="coerce").astype("Int64"),
            "date": dates.dt.date,
            "year": dates.dt.year.astype("int64"),
            "importantvote": pd.Series(pd.NA, index=raw.index, dtype="Int64"),
            "unres": raw["resolution"].replace("", pd.NA),
            "short": raw["title"].replace("", pd.NA),
            "descr": raw.get("agenda_title", raw["title"]).replace("", pd.NA),
        }
    ).drop_duplicates("rcid")
    return votes.reset_index(drop=True), calls.reset_index(drop=True), notes


class UnDigitalLibrary(Provider):
    """UNGA recorded votes from the UN Digital Library's official voting-data file."""

    name = "undl"
    title = "UN Digital Library, General Assembly voting data"
    aliases = ("unvotes", "unga", "unga_votes", "unga_rollcalls")
    env_var = "DYADSCOPE_UNDL_URL"
    default_base_url = "https://digitallibrary.un.org"
    targets = (
        Target(get_adapter("unga_votes").table, "unga_votes"),
        Target(get_adapter("unga_rollcalls").table, "unga_rollcalls"),
    )

    def fetch(self, ctx: Context) -> Release:
        """List the record's files, download the newest GA voting CSV, parse it."""
        listing_url = f"{self.base_url}/api/v1/file"
        listing = ctx.http.get(listing_url, params={"recid": RECORD_ID}).json()
        if not isinstance(listing, list):
            raise SchemaError(f"{listing_url}: expected a JSON list of files")
        candidates = []
        for item in listing:
            m = _NAME.match(str(item.get("name", "")))
            if m and str(item.get("format", "")).lower() == ".csv" and item.get("url"):
                candidates.append((tuple(int(g) for g in m.groups()), item))
        if not candidates:
            raise FetchError(
                f"{listing_url}?recid={RECORD_ID}: no GA voting CSV in the record's files"
            )
        _, newest = max(candidates, key=lambda c: c[0])
        checksum = str(newest.get("checksum") or "")
        md5 = checksum.split(":", 1)[1] if checksum.lower().startswith("md5:") else None
        size = int(newest["size"]) if str(newest.get("size", "")).isdigit() else None
        url = self.rebase(str(newest["url"]).split("?")[0])
        path = ctx.http.download(url, ctx.workdir / f"{newest['name']}.csv", md5=md5, size=size)
        votes, calls, notes = parse_ga_voting(str(path), url)
        version = f"UNDL GA voting data {newest['name']}"
        frames = {"unga_votes": votes, "unga_rollcalls": calls}
        return Release(frames, version, url, sha256_file(path), notes=notes)
