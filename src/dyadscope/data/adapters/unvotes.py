"""UN General Assembly roll-call votes (Voeten, via the unvotes package): votes, roll calls, issues.

Absences are not rows: a state that did not vote on a roll call has no row for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from dyadscope._sql import quote_identifier, quote_literal
from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import Adapter, Combine, TableSpec, register_adapter
from dyadscope.data.validate import (
    CHUNK_BYTES,
    ROW,
    Kind,
    check_codes,
    iter_csv_checked,
    read_header,
)
from dyadscope.errors import SchemaError

_CITATION = (
    'Voeten, Erik, Anton Strezhnev, and Michael Bailey. 2009. "United Nations General '
    'Assembly Voting Data." Harvard Dataverse, hdl:1902.1/12379. Via the unvotes R '
    "package (Robinson 2021)."
)
_URL = "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379"
_VERSION = "unvotes 0.3.0 (data to 2020-01)"
_LICENCE = "unvotes package MIT; data from Harvard Dataverse (cite Voeten et al.)"
_VOTES = ("yes", "no", "abstain")


@register_adapter
class UngaVotes(CsvAdapter):
    """One row per state and roll call: ``vote`` is 'yes', 'no' or 'abstain'."""

    name = "unga_votes"
    title = "UN General Assembly votes by state and roll call"
    url = _URL
    version = _VERSION
    citation = _CITATION
    licence = _LICENCE
    fetch_url = "https://github.com/dgrtwo/unvotes/raw/master/data/un_votes.rda"
    raw_columns = frozen({"rcid": "int", "country": "str", "country_code": "str", "vote": "str"})
    table = TableSpec(
        name="unga_votes",
        columns={"rcid": "INTEGER", "iso3": "VARCHAR", "vote": "VARCHAR"},
        key=("rcid", "iso3"),
        year=None,
    )

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """ISO3 from the ISO2 code, or from the name where the code is empty (old states)."""
        by_code = frame["country_code"].notna()
        iso3 = pd.Series(pd.NA, index=frame.index, dtype="string")
        iso3[by_code] = check_codes(frame[by_code], "country_code", "iso2", path)
        iso3[~by_code] = check_codes(frame[~by_code], "country", "un_name", path)
        frame["iso3"] = iso3
        vote = frame["vote"].str.lower()
        bad = ~vote.isin(_VOTES)
        if bad.any():
            row = int(frame.loc[bad, ROW].iloc[0])
            raise SchemaError(
                f"{path}: data row {row}, column 'vote': {frame.loc[bad, 'vote'].iloc[0]!r} "
                f"is not one of {', '.join(_VOTES)}"
            )
        frame["vote"] = vote
        return frame


@register_adapter
class UngaRollcalls(CsvAdapter):
    """One row per roll call; ``year`` is the year of its date."""

    name = "unga_rollcalls"
    title = "UN General Assembly roll calls (date, session, resolution, description)"
    url = _URL
    version = _VERSION
    citation = _CITATION
    licence = _LICENCE
    fetch_url = "https://github.com/dgrtwo/unvotes/raw/master/data/un_roll_calls.rda"
    raw_columns = frozen(
        {
            "rcid": "int",
            "session": "int",
            "importantvote": "int",
            "date": "date",
            "unres": "str",
            "short": "str",
            "descr": "str",
        }
    )
    table = TableSpec(
        name="unga_rollcalls",
        columns={
            "rcid": "INTEGER",
            "session": "INTEGER",
            "date": "DATE",
            "year": "INTEGER",
            "importantvote": "INTEGER",
            "unres": "VARCHAR",
            "short": "VARCHAR",
            "descr": "VARCHAR",
        },
        key=("rcid",),
        years=(1946, 2100),
    )

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Add the calendar year of each roll call."""
        frame["year"] = pd.to_datetime(frame["date"]).dt.year.astype("Int64")
        return frame


@register_adapter
class UngaIssues(CsvAdapter):
    """Issue codes of roll calls (me, nu, di, hr, co, ec); a roll call may have several."""

    name = "unga_issues"
    title = "UN General Assembly roll-call issue codes"
    url = _URL
    version = _VERSION
    citation = _CITATION
    licence = _LICENCE
    fetch_url = "https://github.com/dgrtwo/unvotes/raw/master/data/un_roll_call_issues.rda"
    raw_columns = frozen({"rcid": "int", "short_name": "str", "issue": "str"})
    table = TableSpec(
        name="unga_issues",
        columns={"rcid": "INTEGER", "short_name": "VARCHAR", "issue": "VARCHAR"},
        key=("rcid", "short_name"),
        year=None,
    )


_UNDL_META = ("id", "Council", "Date", "Title", "Resolution")
#: A/RES/75/254 appears combined and as parts A-C; the combined record is dropped.
_COMBINED = ("A/RES/75/254", "A/RES/75/254A-C")
_PARTS = r"A/RES/75/254\[[A-C]\]"
_UNDL_VOTES = {"YES": "yes", "NO": "no", "ABSTAIN": "abstain"}

_UNDL_COLUMNS = {
    "id": "INTEGER",
    "council": "VARCHAR",
    "date": "DATE",
    "year": "INTEGER",
    "resolution": "VARCHAR",
    "iso3": "VARCHAR",
    "vote": "VARCHAR",
}


def _undl_sql(staged: str) -> str:
    """Drop the combined 75/254 record where its parts are there; sort by (id, iso3).

    What :meth:`UndlVotes.read` does in pandas, over the staged vote rows.
    """
    combined = ", ".join(quote_literal(r) for r in _COMBINED)
    parts = f"regexp_full_match(resolution, {quote_literal(_PARTS)})"
    cols = ", ".join(quote_identifier(c) for c in _UNDL_COLUMNS)
    return (
        f"SELECT {cols}, _row FROM {staged} WHERE resolution NOT IN ({combined}) "
        f"OR NOT EXISTS (SELECT 1 FROM {staged} WHERE {parts}) ORDER BY id, iso3"
    )


@register_adapter
class UndlVotes(Adapter):
    """UN Digital Library recorded votes, General Assembly and Security Council, 2019-2025.

    One row per resolution and state that voted (``vote`` yes/no/abstain); empty cells
    are not rows (GA: did not vote; SC: not a member). ``council`` is ``GA`` or ``SC``.
    Quirks of the scrape (MANIFEST section 21): the last record is undated and empty
    (dropped); A/RES/75/254 appears combined and as parts A-C with identical votes
    (the combined record is dropped so its votes count once); count columns are not
    read (votes are recounted from the state columns).
    """

    name = "undl_votes"
    title = "UN Digital Library recorded votes (GA and SC), 2019-2025"
    url = "https://digitallibrary.un.org/"
    version = "scrape of 2025-09-05 (2019-01-16 to 2025-08-28)"
    citation = (
        "United Nations Digital Library, voting data (scraped 2025-09-05 by "
        "data-driven-decision-lab/un-digital-library-scraper)."
    )
    licence = "UN official records; cite the UN Digital Library (scraper has no licence file)"
    raw_columns = frozen({c: "str" for c in _UNDL_META})
    table = TableSpec(
        name="undl_votes",
        columns=_UNDL_COLUMNS,
        key=("id", "iso3"),
        years=(1946, 2100),
    )

    combine = Combine(columns=table.columns, select=_undl_sql)

    def chunks(self, path: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[pd.DataFrame]:
        """Vote rows chunk by chunk; the 75/254 choice and the sort are done in SQL."""
        path = Path(path)
        states = _state_columns(read_header(path), path)
        columns: dict[str, Kind] = dict.fromkeys([*_UNDL_META, *states], "str")
        for raw in iter_csv_checked(path, columns, chunk_bytes=chunk_bytes):
            cells = raw.drop(columns=ROW).astype(object).fillna("")  # text as pandas reads it
            yield _melt(pd.concat([cells, raw[[ROW]]], axis=1), states, path)

    def read(self, path: Path) -> pd.DataFrame:
        """Melt the state columns (named by ISO3) into one row per vote cast."""
        from dyadscope.data.validate import open_text

        text = open_text(path)
        import io

        try:
            raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except pd.errors.ParserError as exc:
            raise SchemaError(f"{path}: cannot parse as CSV: {exc}") from None
        states = _state_columns(list(raw.columns), path)
        raw[ROW] = range(1, len(raw) + 1)
        raw = raw[raw["Date"].str.strip() != ""]
        resolution = raw["Resolution"].str.strip()
        combined = resolution.isin(_COMBINED)
        has_parts = resolution.str.fullmatch(_PARTS).any()
        if has_parts:
            raw = raw[~combined]
        long = _melt(raw, states, path)
        return long.sort_values(["id", "iso3"]).reset_index(drop=True)


def _state_columns(header: list[str], path: Path) -> list[str]:
    """The columns named by ISO3 (AFG, AGO, ...); the metadata columns must be there."""
    missing = [c for c in _UNDL_META if c not in header]
    if missing:
        raise SchemaError(f"{path}: missing column(s) {missing}; is this the UNDL export?")
    states = [c for c in header if len(c) == 3 and c.isupper() and c.isalpha()]
    if not states:
        raise SchemaError(f"{path}: no state columns named by ISO3 (AFG, AGO, ...)")
    return states


def _melt(raw: pd.DataFrame, states: list[str], path: Path) -> pd.DataFrame:
    """Records (text cells plus ``_row``) to one row per vote cast; undated records dropped."""
    raw = raw[raw["Date"].str.strip() != ""]
    dates = pd.to_datetime(raw["Date"].str.strip(), errors="coerce", format="ISO8601")
    if dates.isna().any():
        row = int(raw.loc[dates.isna(), ROW].iloc[0])
        raise SchemaError(f"{path}: data row {row}, column 'Date': not an ISO date")
    council = raw["Council"].str.strip().map({"General Assembly": "GA", "Security Council": "SC"})
    if council.isna().any():
        row = int(raw.loc[council.isna(), ROW].iloc[0])
        raise SchemaError(
            f"{path}: data row {row}, column 'Council': expected 'General Assembly' "
            "or 'Security Council'"
        )
    ids = pd.to_numeric(raw["id"].str.strip(), errors="coerce")
    if (ids.isna() | (ids % 1 != 0)).any():
        bad = ids.isna() | (ids % 1 != 0)
        row = int(raw.loc[bad, ROW].iloc[0])
        value = raw.loc[bad, "id"].iloc[0]
        raise SchemaError(f"{path}: data row {row}, column 'id': {value!r} is not a whole number")
    meta = pd.DataFrame(
        {
            "id": ids.astype("int64"),
            "council": council,
            "date": dates.dt.date,
            "year": dates.dt.year.astype("int64"),
            "resolution": raw["Resolution"].str.strip(),
            ROW: raw[ROW],
        }
    )
    long = pd.concat([meta, raw[states]], axis=1).melt(
        id_vars=[*meta.columns], var_name="iso3", value_name="cell"
    )
    cell = long["cell"].str.strip().str.upper()
    bad = (cell != "") & ~cell.isin(list(_UNDL_VOTES))
    if bad.any():
        first = long[bad].iloc[0]
        raise SchemaError(
            f"{path}: data row {int(first[ROW])}, column {first['iso3']!r}: "
            f"{first['cell']!r} is not YES, NO, ABSTAIN or empty"
        )
    return long[cell != ""].assign(vote=cell[cell != ""].map(_UNDL_VOTES)).drop(columns="cell")
