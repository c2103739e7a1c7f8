"""Bailey–Strezhnev–Voeten UNGA ideal points, June 2024 release (sessions 1–78)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter

#: Each release re-estimates the scale; values from two releases must not be mixed.
RELEASE = "Jun2024"


@register_adapter
class IdealPoints(CsvAdapter):
    """State-sessions with ``IdealPointAll``; ``year`` = session + 1945; ``release`` kept."""

    name = "ideal_points"
    title = "UNGA ideal points (Bailey, Strezhnev and Voeten), June 2024 release"
    url = "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379"
    version = RELEASE
    citation = (
        'Bailey, Michael A., Anton Strezhnev, and Erik Voeten. 2017. "Estimating Dynamic '
        'State Preferences from United Nations Voting Data." Journal of Conflict '
        "Resolution 61(2): 430-456. (Ideal point estimates, June 2024 release.)"
    )
    licence = "Harvard Dataverse (CC0 unless stated); cite Bailey, Strezhnev and Voeten"
    note = "Do not mix releases: each re-estimates the scale."
    raw_columns = frozen(
        {"ccode": "int", "session": "int", "IdealPointAll": "float", "iso3c": "str"}
    )
    renames = frozen({"IdealPointAll": "ideal_point"})
    code_columns = frozen({"iso3c": "iso3"})
    iso3_columns = frozen({"iso3": "iso3c"})
    table = TableSpec(
        name="ideal_points",
        columns={
            "iso3": "VARCHAR",
            "ccode": "INTEGER",
            "year": "INTEGER",
            "session": "INTEGER",
            "ideal_point": "DOUBLE",
            "release": "VARCHAR",
        },
        key=("iso3", "year"),
        years=(1946, 2100),
    )

    def transform(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """Year of each session (session 1 met in 1946) and the release tag."""
        frame["year"] = frame["session"] + 1945
        frame["release"] = RELEASE
        return frame
