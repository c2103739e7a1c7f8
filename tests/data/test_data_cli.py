"""The ``dyadscope data`` commands, run through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dyadscope.cli import app

runner = CliRunner()


def test_every_data_command_has_help() -> None:
    for command in ("list", "fetch", "load", "cite"):
        result = runner.invoke(app, ["data", command, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_list_json_shows_vendored_datasets() -> None:
    result = runner.invoke(app, ["data", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["dataset"]: r for r in json.loads(result.output)}
    assert rows["nmc"]["rows"] == 17121
    assert rows["nmc"]["coverage"] == "1816–2022"
    assert rows["nmc"]["status"] == "vendored"
    assert rows["cow_alliance"]["status"] == "not vendored"
    assert rows["cow_alliance"]["rows"] is None


def test_load_then_list_shows_loaded(tmp_path: Path, shared_file) -> None:
    store = tmp_path / "store.duckdb"
    result = runner.invoke(
        app,
        ["data", "load", "capitals", "--file", str(shared_file("capitals")), "--store", str(store)],
    )
    assert result.exit_code == 0, result.output
    assert "242 rows" in result.output  # peacesciencer's cow_capitals, all states
    listed = runner.invoke(app, ["data", "list", "--store", str(store), "--format", "json"])
    rows = {r["dataset"]: r for r in json.loads(listed.output)}
    assert rows["capitals"]["status"] == "loaded"


def test_load_uses_dyadscope_home_by_default(tmp_path: Path, shared_file, monkeypatch) -> None:
    monkeypatch.setenv("DYADSCOPE_HOME", str(tmp_path))
    result = runner.invoke(app, ["data", "load", "igos", "--file", str(shared_file("igos"))])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dyadscope.duckdb").exists()


def test_load_bad_file_exits_2_with_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ccode,year\n365,2010\n")
    result = runner.invoke(
        app, ["data", "load", "nmc", "--file", str(bad), "--store", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 2
    assert "missing column" in result.output
    # no empty store left (the lock file beside a store is kept on purpose: see open_for_writing)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["bad.csv"]


def test_failed_load_keeps_an_existing_store(tmp_path: Path, shared_file) -> None:
    store = tmp_path / "s.duckdb"
    good = runner.invoke(
        app, ["data", "load", "igos", "--file", str(shared_file("igos")), "--store", str(store)]
    )
    assert good.exit_code == 0, good.output
    bad = tmp_path / "bad.csv"
    bad.write_text("ccode,year\n365,2010\n")
    result = runner.invoke(app, ["data", "load", "nmc", "--file", str(bad), "--store", str(store)])
    assert result.exit_code == 2
    listed = runner.invoke(app, ["data", "list", "--store", str(store), "--format", "json"])
    rows = {r["dataset"]: r for r in json.loads(listed.output)}
    assert rows["igos"]["status"] == "loaded"


def test_unknown_dataset_exits_2() -> None:
    result = runner.invoke(app, ["data", "cite", "nope"])
    assert result.exit_code == 2
    assert "unknown dataset" in result.output


def test_cite_prints_citations() -> None:
    result = runner.invoke(app, ["data", "cite", "nmc", "sipri"])
    assert result.exit_code == 0
    assert "Singer" in result.output and "SIPRI" in result.output
