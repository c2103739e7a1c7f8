"""The ``dyadscope case`` commands, run through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
import typer.main
from typer.testing import CliRunner

from dyadscope.case import GRAPH_FORMATS
from dyadscope.cli import app
from dyadscope.cli._common import console
from dyadscope.cli.case import GraphFormatOption, case_app

runner = CliRunner()


def _flat(text: str) -> str:
    """Rich wraps long lines at the terminal width; compare text with spaces collapsed."""
    return " ".join(text.split())


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide console, so table cells are not folded across lines."""
    monkeypatch.setattr(console, "width", 240)


def test_validate_ok(minimal_path: Path, fixture_docs: Path) -> None:
    result = runner.invoke(
        app, ["case", "validate", str(minimal_path), "--docs", str(fixture_docs)]
    )
    assert result.exit_code == 0, result.output
    out = _flat(result.stdout)
    assert out.startswith("OK ")
    assert "4 factors, 3 links, 2 scenarios" in out
    assert "cited lines checked against" in out


def test_validate_reports_every_problem_and_exits_2(minimal_path: Path, tmp_path: Path) -> None:
    broken = (
        minimal_path.read_text(encoding="utf-8")
        .replace("weight: 0.6", "weight: 1.6")
        .replace("iso3: BRA", "iso3: XXX")
        .replace("target: partnership\n    weight: -0.3", "target: asymmetry\n    weight: -0.3")
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    result = runner.invoke(app, ["case", "validate", str(path)])
    assert result.exit_code == 2
    err = _flat(result.stderr)
    assert "3 problem(s)" in err
    assert "actors[1].iso3 (line" in err
    assert "links[0].weight (line" in err and "1.6 is outside [-1, 1]" in err
    assert "self-loop: 'asymmetry' links to itself" in err
    assert result.stdout == ""
    assert [p.name for p in tmp_path.iterdir()] == ["broken.yaml"]


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["case", "validate", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 2
    assert "not found" in _flat(result.stderr)


def test_schema_prints_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["case", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "Case"
    out = tmp_path / "schema.json"
    result = runner.invoke(app, ["case", "schema", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["additionalProperties"] is False


@pytest.mark.usefixtures("wide")
def test_show_groups_factors_with_citations(minimal_path: Path) -> None:
    result = runner.invoke(app, ["case", "show", "bra", "arg", "--case", str(minimal_path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "A test dyad (ARG–BRA)" in out
    assert out.index("driver (2)") < out.index("friction (1)") < out.index("outcome (1)")
    assert "links (3)" in out
    assert "field_notes.txt:4-5" in out
    assert "supports — A trade official" in out


@pytest.mark.usefixtures("wide")
def test_show_prints_brackets_literally(minimal_path: Path, tmp_path: Path) -> None:
    """Case text is never read as Rich markup: '[bold]' stays visible."""
    path = tmp_path / "marked.yaml"
    text = minimal_path.read_text(encoding="utf-8")
    path.write_text(text.replace("label: Border treaty", "label: '[bold]x[/bold]'"), "utf-8")
    result = runner.invoke(app, ["case", "show", "ARG", "BRA", "--case", str(path)])
    assert result.exit_code == 0, result.output
    assert "[bold]x[/bold]" in result.stdout


def test_show_unknown_pair_lists_cases() -> None:
    result = runner.invoke(app, ["case", "show", "usa", "fra"])
    assert result.exit_code == 2
    assert "cases available" in _flat(result.stderr)


def test_graph_formats(minimal_path: Path, tmp_path: Path) -> None:
    base = ["case", "graph", "ARG", "BRA", "--case", str(minimal_path)]
    result = runner.invoke(app, [*base, "--format", "dot"])
    assert result.exit_code == 0
    assert result.stdout.startswith('digraph "test_dyad" {')
    out = tmp_path / "map.graphml"
    result = runner.invoke(app, [*base, "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0
    assert nx.read_graphml(out).number_of_edges() == 3
    result = runner.invoke(app, [*base, "--format", "json"])
    assert json.loads(result.stdout)["graph"]["case"] == "test_dyad"


def test_graph_offers_every_library_format() -> None:
    assert [f.value for f in GraphFormatOption] == list(GRAPH_FORMATS)


def test_graph_rejects_unknown_format(minimal_path: Path) -> None:
    result = runner.invoke(
        app, ["case", "graph", "ARG", "BRA", "--case", str(minimal_path), "--format", "png"]
    )
    assert result.exit_code == 2


def test_list_as_json() -> None:
    result = runner.invoke(app, ["case", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert all(set(r) == {"id", "dyad", "title", "actors", "file"} for r in rows)
    assert "russia_china" in {r["id"] for r in rows}


def test_every_case_command_and_option_has_help() -> None:
    """Typer vendors its own click, so commands are found by duck typing, not isinstance."""
    group = typer.main.get_command(case_app)
    commands = group.commands  # type: ignore[attr-defined]
    assert set(commands) == {"validate", "schema", "show", "graph", "list", "init"}
    for name, cmd in commands.items():
        assert (cmd.help or "").strip(), f"case {name} has no help"
        for param in cmd.params:
            assert (getattr(param, "help", None) or "").strip(), f"case {name} {param.name}"


def test_validate_prints_warnings_but_succeeds(minimal_path: Path, tmp_path: Path) -> None:
    text = minimal_path.read_text(encoding="utf-8")
    path = tmp_path / "warn.yaml"
    text = text.replace("clamps: {trade_complementarity: -0.8}", "clamps: {partnership: 1}")
    # clamping a non-lever must be declared with a reason (else validation refuses it)
    path.write_text(text.replace("      trade_complementarity: The", "      partnership: The"))
    result = runner.invoke(app, ["case", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning: scenario 'trade_shock' clamps outcome 'partnership'" in _flat(result.stderr)
    assert _flat(result.stdout).startswith("OK ")
