"""The `dyadscope events` commands, run through Typer's test runner."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dyadscope.cli import app
from dyadscope.events.aggregate import SERIES_COLUMNS

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_every_events_command_and_option_has_help() -> None:
    import typer.main

    group = typer.main.get_command(app).commands["events"]  # type: ignore[attr-defined]
    for name in ("ingest", "series", "top", "status", "check-table"):
        cmd = group.commands[name]
        assert cmd.help, name
        for param in cmd.params:
            assert getattr(param, "help", None), f"events {name}: {param.name} has no help"


def test_ingest_series_top_status(export_2_0: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    code, out = _run("events", "ingest", str(export_2_0), "--events-store", store)
    assert code == 0, out
    assert "2111" in out
    code, out = _run("events", "series", "rus", "chn", "--events-store", store, "--format", "csv")
    assert code == 0, out
    frame = pd.read_csv(io.StringIO(out))
    assert tuple(frame.columns) == SERIES_COLUMNS
    assert frame["events"].sum() == 2
    code, out = _run(
        "events", "series", "RUS", "CHN", "--freq", "year", "--events-store", store, "-f", "json"
    )
    records = json.loads(out)
    assert [r["period"] for r in records] == ["2018", "2019"]
    assert records[0]["goldstein_mean"] is None  # no dyad event in 2018: null, never 0
    out_file = tmp_path / "s.parquet"
    code, _ = _run(
        "events",
        "series",
        "RUS",
        "CHN",
        "--events-store",
        store,
        "-f",
        "parquet",
        "-o",
        str(out_file),
    )
    assert code == 0 and len(pd.read_parquet(out_file)) == len(frame)
    code, out = _run("events", "top", "RUS", "CHN", "--month", "2019-10", "--events-store", store)
    assert code == 0 and "http://watchingamerica.com/WA/tag/united-nations/" in out
    code, out = _run("events", "status", "--events-store", store, "-f", "csv")
    assert code == 0 and "20191024143000.export.CSV" in out


def test_series_on_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    code, out = _run("events", "series", "RUS", "CHN", "--store", str(tmp_path))
    assert code != 0 and "events ingest" in out


def test_unknown_engine_and_country(tmp_path: Path) -> None:
    code, out = _run("events", "series", "RUS", "CHN", "--engine", "nope", "--store", str(tmp_path))
    assert code == 2 and "duckdb" in out
    code, out = _run("events", "series", "Atlantis", "CHN", "--store", str(tmp_path))
    assert code == 2 and "Atlantis" in out


def test_bad_month_for_top(tmp_path: Path) -> None:
    code, out = _run("events", "top", "RUS", "CHN", "--month", "May 2014", "--store", str(tmp_path))
    assert code == 2 and "YYYY-MM" in out


@pytest.mark.parametrize(
    ("name", "ok"),
    [("known-bad/gdeltPyR_cameoCodeTable.tsv", False), ("cameo/CAMEO.goldsteinscale.txt", True)],
)
def test_check_table(shared_data: Path, name: str, ok: bool) -> None:
    code, out = _run("events", "check-table", str(shared_data / name))
    if ok:
        assert code == 0 and "311 shared codes agree" in out
    else:
        assert code == 2 and "016" in out and "166" in out


def test_messages_keep_long_paths_on_one_line(shared_data: Path, tmp_path: Path) -> None:
    """A message naming a file is one line however deep the file lies (CI paths are long)."""
    deep = tmp_path.joinpath(*(["a_rather_long_folder_name"] * 8))
    deep.mkdir(parents=True)
    table = deep / "CAMEO.goldsteinscale.txt"
    table.write_bytes((shared_data / "cameo" / "CAMEO.goldsteinscale.txt").read_bytes())
    code, out = _run("events", "check-table", str(table))
    assert code == 0
    assert f"{table}: all 311 shared codes agree with the official Goldstein scale" in out


def test_default_store_is_under_dyadscope_home(export_2_0: Path, tmp_path: Path) -> None:
    code, out = _run("events", "ingest", str(export_2_0))
    assert code == 0, out
    assert (Path(os.environ["DYADSCOPE_HOME"]) / "events" / "catalog.duckdb").is_file()


def test_top_survives_odd_strings(export_2_0: Path, tmp_path: Path) -> None:
    """Markup-like text, escapes and emoji in GDELT fields are printed as they are."""
    odd_url = "http://example.org/[bold red]x[/]?q=<script>&a=\x1b[31m"
    line = next(
        row
        for row in export_2_0.read_text(encoding="utf-8").splitlines()
        if "\tCHN\t" in row and "\tRUS\t" in row
    )
    fields = line.split("\t")
    fields[6] = "CHINA [link=file:///etc/passwd]🐉"
    fields[60] = odd_url
    path = tmp_path / "odd.CSV"
    path.write_text("\t".join(fields) + "\n", encoding="utf-8")
    store = str(tmp_path / "store")
    assert _run("events", "ingest", str(path), "--events-store", store)[0] == 0
    code, out = _run("events", "top", "RUS", "CHN", "--month", "2019-10", "--events-store", store)
    assert code == 0, out
    assert "[bold red]x[/]" in out
    code, out = _run(
        "events", "top", "CHN", "RUS", "--month", "2019-10", "--events-store", store, "-f", "json"
    )
    assert json.loads(out)[0]["source_url"] == odd_url
