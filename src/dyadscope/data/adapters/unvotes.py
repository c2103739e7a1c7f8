"""UN General Assembly roll-call votes (Voeten, via the unvotes package): votes, roll calls, issues.

Absences are not rows: a state that did not vote on a roll call has no row for it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter
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
