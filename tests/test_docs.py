"""Tests of the docs: every command has help text and appears in the README reference."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import typer.main

from dyadscope.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(
    group: click.Command, prefix: str = "dyadscope"
) -> Iterator[tuple[str, click.Command]]:
    if isinstance(group, click.Group):
        for name, cmd in group.commands.items():
            path = f"{prefix} {name}"
            if isinstance(cmd, click.Group):
                yield from _commands(cmd, path)
            else:
                yield path, cmd


COMMANDS = sorted(_commands(typer.main.get_command(app)), key=lambda kv: kv[0])


def test_there_are_commands() -> None:
    names = {path for path, _ in COMMANDS}
    assert {"dyadscope brief", "dyadscope case validate"} <= names


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help(path: str, cmd: click.Command) -> None:
    assert (cmd.help or "").strip(), f"{path} has no help text"
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"{path} option {param.opts} has no help text"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_command_in_readme(path: str) -> None:
    assert path in README.read_text(encoding="utf-8"), f"README.md does not document `{path}`"
