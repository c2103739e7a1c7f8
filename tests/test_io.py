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


# --- special files: a symlink is followed, a device or FIFO is written through ---------


def _device_copy(tmp_path: Path, name: str, major: int, minor: int) -> Path:
    """A node for the same device as /dev/<name>, made in ``tmp_path`` (root only).

    As root the tests never write to the real /dev/null or /dev/full: a regression
    would replace the machine's own device with a regular file.  Another user cannot
    replace them, so the real ones are used there.
    """
    if os.geteuid() != 0:
        return Path("/dev") / name
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except OSError as exc:  # a container without CAP_MKNOD
        pytest.skip(f"cannot make a device node: {exc}")
    return node


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.csv"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to("made.csv")
    atomic_write_text(link, "new")
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "new"


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader waits on the pipe
    try:
        atomic_write_text(fifo, "through the pipe\n")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    null = _device_copy(tmp_path, "null", 1, 3)
    atomic_write_text(null, "gone")
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_dev_full_raises_disk_full_naming_the_path(tmp_path: Path) -> None:
    full = _device_copy(tmp_path, "full", 1, 7)
    with pytest.raises(OSError) as info:
        atomic_write_text(full, "x" * 10)
    assert info.value.errno == 28 and info.value.filename == str(full)
    assert stat.S_ISCHR(os.lstat(full).st_mode)
