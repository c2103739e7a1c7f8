"""UN General Assembly roll-call votes (Voeten, via the unvotes package): votes, roll calls, issues.

Absences are not rows: a state that did not vote on a roll call has no row for it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import Adapter, TableSpec, register_adapter
from dyadscope.data.validate import ROW, check_codes
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
_UNDL_VOTES = {"YES": "yes", "NO": "no", "ABSTAIN": "abstain"}


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
        columns={
            "id": "INTEGER",
            "council": "VARCHAR",
            "date": "DATE",
            "year": "INTEGER",
            "resolution": "VARCHAR",
            "iso3": "VARCHAR",
            "vote": "VARCHAR",
        },
        key=("id", "iso3"),
        years=(1946, 2100),
    )

    def read(self, path: Path) -> pd.DataFrame:
        """Melt the state columns (named by ISO3) into one row per vote cast."""
        from dyadscope.data.validate import open_text

        text = open_text(path)
        import io

        try:
            raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except pd.errors.ParserError as exc:
            raise SchemaError(f"{path}: cannot parse as CSV: {exc}") from None
        missing = [c for c in _UNDL_META if c not in raw.columns]
        if missing:
            raise SchemaError(f"{path}: missing column(s) {missing}; is this the UNDL export?")
        states = [c for c in raw.columns if len(c) == 3 and c.isupper() and c.isalpha()]
        if not states:
            raise SchemaError(f"{path}: no state columns named by ISO3 (AFG, AGO, ...)")
        raw[ROW] = range(1, len(raw) + 1)
        raw = raw[raw["Date"].str.strip() != ""]
        resolution = raw["Resolution"].str.strip()
        combined = resolution.isin(["A/RES/75/254", "A/RES/75/254A-C"])
        has_parts = resolution.str.fullmatch(r"A/RES/75/254\[[A-C]\]").any()
        if has_parts:
            raw = raw[~combined]
        dates = pd.to_datetime(raw["Date"].str.strip(), errors="coerce", format="ISO8601")
        if dates.isna().any():
            row = int(raw.loc[dates.isna(), ROW].iloc[0])
            raise SchemaError(f"{path}: data row {row}, column 'Date': not an ISO date")
        council = (
            raw["Council"].str.strip().map({"General Assembly": "GA", "Security Council": "SC"})
        )
        if council.isna().any():
            row = int(raw.loc[council.isna(), ROW].iloc[0])
            raise SchemaError(
                f"{path}: data row {row}, column 'Council': expected 'General Assembly' "
                "or 'Security Council'"
            )
        meta = pd.DataFrame(
            {
                "id": pd.to_numeric(raw["id"], errors="raise").astype("int64"),
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
        long = long[cell != ""].assign(vote=cell[cell != ""].map(_UNDL_VOTES))
        return long.sort_values(["id", "iso3"]).reset_index(drop=True)
