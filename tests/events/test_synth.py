"""Synthetic raw GDELT: layout like real exports, reproducible, statistically like the samples."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from dyadscope.errors import InputError
from dyadscope.events import cameo
from dyadscope.events.schema import GDELT1_COLUMNS, GDELT2_COLUMNS
from dyadscope.events.synth import TABLES_PATH, load_tables, synthesize

FIT_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fit_synth_tables.py"
REAL_2 = "gdelt/20191024143000.export.CSV"
SAMPLES = (REAL_2, "gdelt/gdelt1_reed9999/20160728.export.CSV", "gdelt/gdelt1_reed9999/1982.csv")


def _read(files: list[Path], columns: tuple[str, ...]) -> pd.DataFrame:
    frames = [
        pd.read_csv(f, sep="\t", header=None, names=list(columns), dtype=str, keep_default_na=False)
        for f in files
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], pd.DataFrame]:
    out = tmp_path_factory.mktemp("synth")
    result = synthesize(60_000, out, seed=11)
    return result.files, _read(result.files, GDELT2_COLUMNS)


@pytest.fixture(scope="module")
def real(shared_data: Path) -> pd.DataFrame:
    return _read([shared_data / REAL_2], GDELT2_COLUMNS)


def _fit_script() -> Any:
    """``scripts/fit_synth_tables.py`` as a module (scripts are not part of the package)."""
    spec = importlib.util.spec_from_file_location("fit_synth_tables", FIT_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_tables_are_what_the_fit_script_gives(shared_data: Path) -> None:
    """The shipped table is reproducible from the real samples (no hand edits)."""
    fit_tables = _fit_script().fit_tables
    refit = json.loads(json.dumps(fit_tables([shared_data / s for s in SAMPLES])))
    assert refit == json.loads(TABLES_PATH.read_text(encoding="utf-8"))


def test_files_are_named_sized_and_shaped_like_real_exports(synthetic) -> None:
    files, df = synthetic
    assert len(df) == 60_000
    names = [f.name for f in files]
    assert names[0] == "20190101000000.export.CSV"
    stamps = pd.to_datetime([n.split(".")[0] for n in names], format="%Y%m%d%H%M%S")
    assert set(pd.Series(stamps).diff().dropna()) == {pd.Timedelta(minutes=15)}
    sizes = [len(f.read_bytes().splitlines()) for f in files]
    assert all(1_500 <= s <= 3_000 for s in sizes[:-1]) and 0 < sizes[-1] <= 3_000
    raw = files[0].read_text(encoding="utf-8").splitlines()
    assert {line.count("\t") for line in raw} == {60}  # 61 fields, no header
    assert df["GLOBALEVENTID"].is_unique
    # DATEADDED is the file's own time stamp, as in GDELT.
    first = df.iloc[: sizes[0]]
    assert set(first["DATEADDED"]) == {"20190101000000"}
    assert (pd.to_datetime(df["SQLDATE"], format="%Y%m%d") <= pd.Timestamp("2019-01-02")).all()


def test_event_block_agrees_with_the_official_tables(synthetic) -> None:
    _, df = synthetic
    official = df["EventCode"].map(cameo.goldstein())
    assert official.notna().all()
    assert (official == df["GoldsteinScale"].astype(float)).all()
    assert (df["EventCode"].map(cameo.quad_class).astype(str) == df["QuadClass"]).all()
    assert (df["EventBaseCode"] == df["EventCode"].str[:3]).all()
    assert (df["EventRootCode"] == df["EventCode"].str[:2]).all()
    # Codes keep their leading zeros.
    assert df["EventCode"].str.len().isin([3, 4]).all() and (df["EventCode"] == "010").any()


def test_distributions_are_close_to_the_real_export(synthetic, real) -> None:
    """Shares from 60,000 synthetic rows vs the real 2.0 export (2,111 rows).

    The fit pools the 2.0 export with the two 1.0 samples, so the match is close,
    not exact: QuadClass shares within 3 points, mean Goldstein within 0.15 of the
    real 0.4522, the share of events with a RUS actor within 1 point of the real
    91/2,111 = 4.3%, and the share of events with no Actor1 country within 5 points.
    """
    _, df = synthetic
    syn_q = df["QuadClass"].value_counts(normalize=True)
    real_q = real["QuadClass"].value_counts(normalize=True)
    assert (syn_q - real_q).abs().max() < 0.03
    assert abs(df["GoldsteinScale"].astype(float).mean() - 0.452203) < 0.15

    def rus_share(d: pd.DataFrame) -> float:
        return float(((d["Actor1CountryCode"] == "RUS") | (d["Actor2CountryCode"] == "RUS")).mean())

    assert abs(rus_share(df) - rus_share(real)) < 0.01
    blank = (df["Actor1CountryCode"] == "").mean() - (real["Actor1CountryCode"] == "").mean()
    assert abs(blank) < 0.05
    # Geo countries stay FIPS codes (RS is Russia, CH is China), as in GDELT.
    assert {"RS", "CH", "US"} <= set(df["ActionGeo_CountryCode"])
    assert "RUS" not in set(df["ActionGeo_CountryCode"])


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    def digest(folder: Path, seed: int) -> str:
        files = synthesize(4_000, folder, seed=seed).files
        return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()

    assert digest(tmp_path / "a", 3) == digest(tmp_path / "b", 3)
    assert digest(tmp_path / "c", 4) != digest(tmp_path / "a", 3)


def test_rows_per_file_and_gdelt1_daily_layout(tmp_path: Path) -> None:
    result = synthesize(2_500, tmp_path, gdelt=1, rows_per_file=1_000, seed=2)
    assert [f.name for f in result.files] == [
        "20190101.export.CSV",
        "20190102.export.CSV",
        "20190103.export.CSV",
    ]
    df = _read(result.files, GDELT1_COLUMNS)
    assert len(df) == 2_500
    assert df.groupby("DATEADDED").size().tolist() == [1_000, 1_000, 500]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rows": 0}, r"^rows must"),
        ({"rows": 5, "gdelt": 3}, r"^gdelt must"),
        ({"rows": 5, "rows_per_file": 0}, r"^rows_per_file must"),
    ],
)
def test_bad_arguments_are_named(tmp_path: Path, kwargs: dict, field: str) -> None:
    with pytest.raises(InputError, match=field):
        synthesize(out_dir=tmp_path, **kwargs)


def test_tables_load_once_and_hold_every_block() -> None:
    tables = load_tables()
    assert {"events", "Actor1", "Actor2", "places", "counts", "lag_days"} <= set(tables)
    assert len(tables["events"]["values"]) == len(tables["events"]["weights"])


def test_cli_synth_writes_files(tmp_path: Path) -> None:
    from dyadscope.cli.events_scale import register_scale_commands

    app = typer.Typer()
    register_scale_commands(app)
    result = CliRunner().invoke(
        app, ["synth", "--rows", "3000", "-o", str(tmp_path), "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*.export.CSV"))
    assert files and sum(len(f.read_text().splitlines()) for f in files) == 3_000
    assert "3,000" in result.output


def test_zipped_files_from_a_start_ingest_cleanly(tmp_path: Path) -> None:
    """Synthetic exports go through the real ingest: every row stored, none flagged."""
    from dyadscope.events.ingest import ingest

    start = datetime(2012, 3, 1, 10, 15)
    result = synthesize(5_000, tmp_path / "raw", seed=9, start=start, zipped=True)
    assert result.files[0].name == "20120301101500.export.CSV.zip"
    report = ingest(result.files, tmp_path / "store")
    frame = report.to_frame()
    assert (frame["status"] == "ingested").all()
    assert frame["rows_stored"].sum() == 5_000
    assert (
        frame[["quarantined", "duplicates", "goldstein_disagree", "quadclass_disagree"]].sum().sum()
        == 0
    )


def test_start_must_fall_on_a_file_boundary(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="every 15 minutes"):
        synthesize(10, tmp_path, start=datetime(2019, 1, 1, 0, 10))
    with pytest.raises(InputError, match="every day"):
        synthesize(10, tmp_path, gdelt=1, start=datetime(2019, 1, 1, 6))


@pytest.mark.parametrize("gdelt", [1, 2])
def test_faults_are_counted_and_the_ingest_accounts_for_every_row(
    tmp_path: Path, gdelt: int
) -> None:
    """Bad lines go to quarantine and repeated ids count as duplicates, exactly."""
    from dyadscope.events.ingest import ingest

    result = synthesize(
        6_000, tmp_path / "raw", gdelt=gdelt, seed=5, rows_per_file=2_000,
        bad_fraction=0.02, duplicate_fraction=0.03,
    )  # fmt: skip
    assert 60 < result.bad_rows < 190 and 90 < result.duplicate_rows < 270
    frame = ingest(result.files, tmp_path / "store").to_frame()
    assert frame["rows_read"].sum() == 6_000
    assert frame["quarantined"].sum() == result.bad_rows
    assert frame["duplicates"].sum() == result.duplicate_rows
    assert frame["rows_stored"].sum() == 6_000 - result.bad_rows - result.duplicate_rows


def test_faults_leave_a_clean_run_unchanged(tmp_path: Path) -> None:
    """Exactly the ``bad_rows`` corrupted lines differ from the clean run; no other line.

    Every corruption changes its line (a field added, SQLDATE or the id rewritten), so
    the count of differing lines is exactly ``bad_rows``, which is itself near 10%.
    """
    clean = synthesize(3_000, tmp_path / "a", seed=8)
    noisy = synthesize(3_000, tmp_path / "b", seed=8, bad_fraction=0.1)
    assert clean.bad_rows == 0 and 200 < noisy.bad_rows < 400
    lines_a = b"".join(f.read_bytes() for f in clean.files).split(b"\n")
    lines_b = b"".join(f.read_bytes() for f in noisy.files).split(b"\n")
    changed = sum(a != b for a, b in zip(lines_a, lines_b, strict=True))
    assert changed == noisy.bad_rows
