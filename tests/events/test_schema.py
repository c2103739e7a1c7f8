"""The column layouts must be GDELT's own, read from the codebook label files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dyadscope.errors import SchemaError
from dyadscope.events import schema


def test_gdelt1_columns_match_the_official_label_file(shared_data: Path) -> None:
    path = shared_data / "cameo" / "GDELT_1.0_event_Column_Labels_Header_Row_Sep2016.tsv"
    names = path.read_text(encoding="utf-8").split()[1:]  # first line is "tableId"
    assert tuple(names) == schema.GDELT1_COLUMNS
    assert tuple(names[:57]) == schema.GDELT1_BACKFILE_COLUMNS


def test_gdelt2_columns_and_types_match_the_official_label_file(shared_data: Path) -> None:
    path = shared_data / "cameo" / "GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(r["tableId"] for r in rows) == schema.GDELT2_COLUMNS
    # Codes the codebook calls STRING stay text in the store ("010" is not "10").
    for row in rows:
        if row["dataType"] == "STRING":
            assert schema.official_type(row["tableId"]) == "VARCHAR", row["tableId"]


def test_reed9999_lower_case_header_maps_to_official_names(shared_data: Path) -> None:
    header = (shared_data / "cameo" / "reed9999_events_column_names.csv").read_text().split("\t")
    mapped = [schema.official_for_header(h) for h in header]
    assert mapped == list(schema.GDELT1_COLUMNS)


@pytest.mark.parametrize(
    ("n", "name"), [(57, "gdelt1_backfile"), (58, "gdelt1_daily"), (61, "gdelt2_export")]
)
def test_layout_is_chosen_by_field_count(n: int, name: str) -> None:
    assert schema.layout_for_field_count(n).name == name


@pytest.mark.parametrize("n", [0, 1, 56, 59, 60, 62])
def test_other_field_counts_are_not_gdelt(n: int) -> None:
    with pytest.raises(SchemaError, match=f"{n} fields"):
        schema.layout_for_field_count(n)


def test_canonical_columns_are_unique_snake_case_and_cover_every_official_column() -> None:
    names = [n for n, _ in schema.CANONICAL_COLUMNS]
    assert len(names) == len(set(names))
    assert all(n == n.lower() and " " not in n for n in names)
    official = {schema.OFFICIAL_TO_CANONICAL[c] for c in schema.GDELT2_COLUMNS if c != "Year"}
    assert official <= set(names)
    # GDELT's Year is the store's `year` partition, so it must not also be a file column.
    assert "year" not in names and "month" not in names
    types = dict(schema.CANONICAL_COLUMNS)
    assert types["event_date"] == "DATE"
    assert types["event_code"] == "VARCHAR"
    assert types["global_event_id"] == "BIGINT"
