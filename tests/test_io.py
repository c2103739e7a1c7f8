"""Atomic output files: a folder or an unwritable place fails cleanly, nothing is left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadscope._io import atomic_path, atomic_write_text, check_output_path
from dyadscope.cli import app
from dyadscope.errors import InputError

runner = CliRunner()


def test_atomic_write_replaces_whole_and_keeps_the_umask_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"  # the folder is created
    atomic_write_text(target, "first")
    atomic_write_text(target, "second")
    assert target.read_text() == "second"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_failure_inside_the_block_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_folder_is_not_an_output_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder; give a file name"):
        check_output_path(tmp_path)
    with pytest.raises(InputError, match="is a folder"), atomic_path(tmp_path):
        pass


def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "plain_file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot create its folder"):
        check_output_path(blocker / "out.csv")


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "RUS", "CHN", "-o"],
        ["indicators", "RUS", "CHN", "--from", "2010", "--to", "2011", "--format", "csv", "-o"],
    ],
)
def test_cli_output_to_a_folder_exits_2_with_a_message(tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path}: is a folder" in result.output
    assert list(tmp_path.iterdir()) == []
