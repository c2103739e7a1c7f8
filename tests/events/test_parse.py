"""Parsing raw GDELT and its CSV derivatives: reference figures and malformed input."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadscope.errors import SchemaError
from dyadscope.events import cameo, schema
from dyadscope.events.aggregate import ROOT_CODES
from dyadscope.events.validate import parse_file

# Field positions (0-based) in a GDELT 2.0 line, from the official column list.
POS = {name: i for i, name in enumerate(schema.GDELT2_COLUMNS)}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _set(line: str, **fields: str) -> str:
    parts = line.split("\t")
    for name, value in fields.items():
        parts[POS[name]] = value
    return "\t".join(parts)


def test_gdelt2_export_reference_figures(export_2_0: Path) -> None:
    """MANIFEST.md §1: 2,111 events, mean Goldstein 0.452203, sum 954.6, quads 1222/281/271/337."""
    parsed = parse_file(export_2_0)
    ev = parsed.events
    assert parsed.layouts == {"gdelt2_export": 2111}
    assert len(ev) == 2111 and parsed.quarantine.empty
    assert ev["goldstein_scale"].mean() == pytest.approx(0.452203, abs=1e-4)
    assert ev["goldstein_scale"].sum() == pytest.approx(954.6, abs=1e-6)
    assert ev["quad_class"].value_counts().sort_index().tolist() == [1222, 281, 271, 337]
    assert int(ev["goldstein_disagree"].sum()) == 0 and int(ev["quadclass_disagree"].sum()) == 0
    pair = ev[
        ((ev.actor1_country_code == "RUS") & (ev.actor2_country_code == "CHN"))
        | ((ev.actor1_country_code == "CHN") & (ev.actor2_country_code == "RUS"))
    ]
    assert (
        len(pair) == 2 and (pair.actor1_iso3 == "CHN").all() and (pair.actor2_iso3 == "RUS").all()
    )
    rus = (ev.actor1_iso3 == "RUS") | (ev.actor2_iso3 == "RUS")
    chn = (ev.actor1_iso3 == "CHN") | (ev.actor2_iso3 == "CHN")
    assert int(rus.sum()) == 91 and int(chn.sum()) == 65
    dates = pd.to_datetime(ev["event_date"]).dt.date
    assert dates.min() == dt.date(2018, 10, 24) and dates.max() == dt.date(2019, 10, 24)
    assert (ev["date_added"] == pd.Timestamp("2019-10-24 14:30:00")).all()


def test_codes_stay_text_with_leading_zeros(export_2_0: Path) -> None:
    ev = parse_file(export_2_0).events
    assert (ev["event_code"] == "010").sum() == 160
    assert set(ev["event_root_code"]) <= set(ROOT_CODES)


def test_gdelt1_mixed_layouts_are_detected_per_line(reed_events: Path) -> None:
    """MANIFEST.md §2: events.csv has 509 lines of 58 fields, then 201 of 57."""
    parsed = parse_file(reed_events)
    assert parsed.layouts == {"gdelt1_backfile": 201, "gdelt1_daily": 509}
    ev = parsed.events
    assert len(ev) == 710 and parsed.quarantine.empty
    backfile = ev[ev.gdelt_layout == "gdelt1_backfile"]
    assert backfile["source_line"].min() == 510 and backfile["source_url"].isna().all()
    assert backfile["actor1_geo_adm2_code"].isna().all()


def test_gdelt1_daily_split_reference_figures(gdelt_dir: Path) -> None:
    """MANIFEST.md §2: 20160728 split, mean Goldstein 0.332024, quads 306/49/85/69."""
    ev = parse_file(gdelt_dir / "gdelt1_reed9999" / "20160728.export.CSV").events
    assert len(ev) == 509
    assert ev["goldstein_scale"].mean() == pytest.approx(0.332024, abs=1e-6)
    assert ev["quad_class"].value_counts().sort_index().tolist() == [306, 49, 85, 69]


def test_gdelt1_backfile_split_is_all_57_fields(gdelt_dir: Path) -> None:
    parsed = parse_file(gdelt_dir / "gdelt1_reed9999" / "1982.csv")
    assert parsed.layouts == {"gdelt1_backfile": 201}
    assert pd.to_datetime(parsed.events["event_date"]).dt.year.eq(1982).all()


def test_georgia_header_extract(georgia: Path) -> None:
    """MANIFEST.md §3: 105,444 rows, mean Goldstein 0.783570 over all rows, quads as listed."""
    parsed = parse_file(georgia)
    ev = parsed.events
    assert len(ev) == 105_444 and parsed.quarantine.empty
    assert ev["global_event_id"].nunique() == 105_438
    assert ev["goldstein_scale"].mean() == pytest.approx(0.783570, abs=1e-6)
    assert ev["quad_class"].value_counts().sort_index().tolist() == [69_115, 10_997, 11_750, 13_582]
    # R wrote "NA" for missing values; they are missing here, never the text "NA".
    assert not (ev["actor1_code"] == "NA").any()
    assert ev["event_code"].str.len().min() >= 2  # "042" kept, not 42


def test_malformed_lines_are_quarantined_with_line_and_reason(
    export_2_0: Path, tmp_path: Path
) -> None:
    good = _lines(export_2_0)[:20]
    bad_lines = [
        "\t".join(good[0].split("\t")[:60]),  # line 21: 60 fields
        _set(good[1], SQLDATE="20191345"),  # line 22
        _set(good[2], GoldsteinScale="abc"),  # line 23
        _set(good[3], EventCode="999"),  # line 24
        "",  # line 25: empty
        _set(good[4], GLOBALEVENTID="x12"),  # line 26
        _set(good[5], QuadClass="7"),  # line 27
        _set(good[6], NumMentions="many"),  # line 28
    ]
    truncated = good[7][: len(good[7]) // 2]  # line 29, no newline: a cut download
    path = tmp_path / "broken.export.CSV"
    path.write_text("\n".join(good + bad_lines) + "\n" + truncated, encoding="utf-8")
    parsed = parse_file(path)
    assert len(parsed.events) == 20  # no good row lost
    assert parsed.events["source_line"].tolist() == list(range(1, 21))
    q = parsed.quarantine.set_index("line")["reason"].to_dict()
    assert q[21].startswith("wrong field count: 60")
    assert q[22] == "bad date in SQLDATE: '20191345'"
    assert q[23] == "non-numeric GoldsteinScale: 'abc'"
    assert q[24] == "unknown event code in EventCode: '999'"
    assert q[25] == "empty line"
    assert q[26] == "bad GLOBALEVENTID: 'x12'"
    assert q[27] == "bad QuadClass: '7'"
    assert q[28] == "non-numeric NumMentions: 'many'"
    assert q[29].startswith("wrong field count")
    assert set(parsed.quarantine["source_file"]) == {"broken.export.CSV"}
    assert len(parsed.events) + len(parsed.quarantine) == 29


def test_invalid_utf8_line_is_quarantined_and_the_rest_kept(
    export_2_0: Path, tmp_path: Path
) -> None:
    lines = [line.encode() for line in _lines(export_2_0)[:5]]
    lines[2] = lines[2].replace(b"\t", b"\t\xff\xfe", 1)
    path = tmp_path / "latin.CSV"
    path.write_bytes(b"\n".join(lines) + b"\n")
    parsed = parse_file(path)
    assert parsed.events["source_line"].tolist() == [1, 2, 4, 5]
    assert parsed.quarantine.to_dict("records")[0]["reason"] == "invalid UTF-8"


def test_zip_and_gzip_inputs_parse_like_the_plain_file(export_2_0: Path, tmp_path: Path) -> None:
    zipped = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(export_2_0, arcname=export_2_0.name)
    gz = tmp_path / "20191024143000.export.CSV.gz"
    gz.write_bytes(gzip.compress(export_2_0.read_bytes()))
    plain = parse_file(export_2_0).events.drop(columns="source_file")
    for other in (zipped, gz):
        ev = parse_file(other).events.drop(columns="source_file")
        pd.testing.assert_frame_equal(ev, plain)


def test_corrupt_zip_is_a_schema_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "20191024150000.export.CSV.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(SchemaError, match=re.escape("20191024150000.export.CSV.zip")):
        parse_file(bad)


def _as_bigquery_csv(raw_lines: list[str], header: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    for line in raw_lines:
        writer.writerow(line.split("\t"))
    return buf.getvalue()


@pytest.mark.parametrize("case", ["upper", "lower"])
def test_bigquery_style_header_csv_matches_raw(export_2_0: Path, tmp_path: Path, case: str) -> None:
    raw = _lines(export_2_0)[:50]
    raw[0] = _set(raw[0], Actor1Name='SMITH, "JR"')  # needs CSV quoting
    header = [c.upper() if case == "upper" else c.lower() for c in schema.GDELT2_COLUMNS]
    path = tmp_path / "bq.csv"
    path.write_text(_as_bigquery_csv(raw, header), encoding="utf-8")
    plain = tmp_path / "plain.CSV"
    plain.write_text("\n".join(raw) + "\n", encoding="utf-8")
    ev, ref = parse_file(path).events, parse_file(plain).events
    assert ev["actor1_name"].iat[0] == 'SMITH, "JR"'
    assert ev["source_line"].tolist() == [n + 1 for n in ref["source_line"]]  # header is line 1
    cols = [c for c in ref.columns if c not in ("source_file", "source_line", "gdelt_layout")]
    pd.testing.assert_frame_equal(ev[cols], ref[cols])


def test_broken_header_csv_keeps_good_rows(export_2_0: Path, tmp_path: Path) -> None:
    raw = _lines(export_2_0)[:10]
    text = _as_bigquery_csv(raw, list(schema.GDELT2_COLUMNS)).splitlines()
    text.insert(4, "1,2,3")  # a short record, line 5
    path = tmp_path / "bq.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    parsed = parse_file(path)
    assert len(parsed.events) == 10
    assert parsed.quarantine[["line", "reason"]].values.tolist() == [
        [5, "wrong field count: 3 (the header has 61)"]
    ]


def test_reed9999_tab_header_file(shared_data: Path, gdelt_dir: Path, tmp_path: Path) -> None:
    header = (shared_data / "cameo" / "reed9999_events_column_names.csv").read_text().strip()
    body = (gdelt_dir / "gdelt1_reed9999" / "20160728.export.CSV").read_text(encoding="utf-8")
    path = tmp_path / "with_header.tsv"
    path.write_text(header + "\n" + body, encoding="utf-8")
    ev = parse_file(path).events
    assert len(ev) == 509
    assert ev["goldstein_scale"].mean() == pytest.approx(0.332024, abs=1e-6)


def test_header_without_key_columns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("GLOBALEVENTID,foo\n1,2\n")
    with pytest.raises(SchemaError, match="SQLDATE"):
        parse_file(path)


def test_fips_geo_codes_that_differ_from_iso(export_2_0: Path, tmp_path: Path) -> None:
    """FIPS CH is China (ISO CH is Switzerland), RS Russia, UP Ukraine, SZ Switzerland."""
    line = _lines(export_2_0)[1]
    rows = [
        _set(line, GLOBALEVENTID=str(i), Actor1Geo_CountryCode=code, ActionGeo_CountryCode=code)
        for i, code in enumerate(["CH", "RS", "UP", "SZ"], start=1)
    ]
    path = tmp_path / "fips.CSV"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ev = parse_file(path).events
    assert ev["actor1_geo_iso3"].tolist() == ["CHN", "RUS", "UKR", "CHE"]
    assert ev["action_geo_iso3"].tolist() == ["CHN", "RUS", "UKR", "CHE"]


codes = st.sampled_from(sorted(cameo.goldstein()))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(1, 2**62),
            st.dates(dt.date(1979, 1, 1), dt.date(2030, 12, 31)),
            codes,
            st.integers(0, 10_000),
            st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_round_trip_of_generated_gdelt2_lines(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[int, dt.date, str, int, str]]
) -> None:
    """Whatever valid values go into a raw line come back typed and unchanged."""
    scores = cameo.goldstein()
    lines = []
    for gid, day, code, mentions, name in rows:
        fields = [""] * 61
        fields[POS["GLOBALEVENTID"]] = str(gid)
        fields[POS["SQLDATE"]] = day.strftime("%Y%m%d")
        fields[POS["Actor1Name"]] = name.replace("\t", " ").strip()
        fields[POS["EventCode"]] = code
        fields[POS["EventRootCode"]] = code[:2]
        fields[POS["QuadClass"]] = str(cameo.quad_class(code))
        fields[POS["GoldsteinScale"]] = repr(scores[code])
        fields[POS["NumMentions"]] = str(mentions)
        lines.append("\t".join(fields))
    path = tmp_path_factory.mktemp("rt") / "gen.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.quarantine.empty
    ev = parsed.events
    assert ev["global_event_id"].tolist() == [r[0] for r in rows]
    assert pd.to_datetime(ev["event_date"]).dt.date.tolist() == [r[1] for r in rows]
    assert ev["event_code"].tolist() == [r[2] for r in rows]
    assert ev["num_mentions"].tolist() == [r[3] for r in rows]
    assert ev["goldstein_scale"].tolist() == [scores[r[2]] for r in rows]
    names = [r[4].replace("\t", " ").strip() or None for r in rows]
    assert [None if pd.isna(v) else v for v in ev["actor1_name"]] == names


def test_header_csv_saved_with_a_byte_order_mark(export_2_0: Path, tmp_path: Path) -> None:
    raw = _lines(export_2_0)[:5]
    path = tmp_path / "excel.csv"
    path.write_text(_as_bigquery_csv(raw, list(schema.GDELT2_COLUMNS)), encoding="utf-8-sig")
    ev = parse_file(path).events
    assert ev["global_event_id"].tolist() == [int(line.split("\t")[0]) for line in raw]
