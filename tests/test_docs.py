"""Tests of the docs: every command has help text and appears in the README reference."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from dyadscope.case import load_case
from dyadscope.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(group: Any, prefix: str = "dyadscope") -> Iterator[tuple[str, Any]]:
    # Typer ships its own copy of click, so test for groups by shape, not by class.
    for name, cmd in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}"
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)
        else:
            yield path, cmd


COMMANDS = sorted(_commands(typer.main.get_command(app)), key=lambda kv: kv[0])


def test_there_are_commands() -> None:
    names = {path for path, _ in COMMANDS}
    assert {"dyadscope brief", "dyadscope case validate", "dyadscope data list"} <= names


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help(path: str, cmd: Any) -> None:
    assert (cmd.help or "").strip(), f"{path} has no help text"
    for param in cmd.params:
        if param.param_type_name == "option":
            assert (param.help or "").strip(), f"{path} option {param.opts} has no help text"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_command_in_readme(path: str) -> None:
    assert path in README.read_text(encoding="utf-8"), f"README.md does not document `{path}`"


def test_case_note_counts_match_the_shipped_case() -> None:
    # docs/case-russia-china.md states how many factors (by kind) and links the case has;
    # it went stale once (69 factors for 76), so the counts are read and compared.
    case = load_case()
    text = (README.parent / "docs" / "case-russia-china.md").read_text(encoding="utf-8")
    factors = re.search(r"^## Factors \((\d+)\)", text, re.M)
    links = re.search(r"^## Links \((\d+)\)", text, re.M)
    assert factors and links, "the note has no '## Factors (N)' or '## Links (N)' heading"
    assert int(factors.group(1)) == len(case.factors)
    assert int(links.group(1)) == len(case.links)
    kinds = Counter(f.kind for f in case.factors)
    stated = {k: int(n) for k, n in re.findall(r"^\| (\w+) \| (\d+) \|", text, re.M)}
    assert stated == dict(kinds)
