"""Reliability probes of the command line: each test reproduces a reported failure.

Special output files (a symlink, a FIFO, /dev/null, /dev/full), one error boundary
(one line with the path, no traceback unless ``--debug``), bounds on inputs (case file
size, draws per run), checks before any long work, theory reading country names.

Disk-full and read-only cases mount a small tmpfs, which needs root; they are skipped
otherwise.  Device nodes are copies made with ``mknod`` in a temporary folder, so a
regression can never replace the machine's own /dev/null.
"""

from __future__ import annotations

import ast
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from dyadscope.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "dyadscope"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str, object]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr, result.exception


def one_clear_line(err: str) -> None:
    """An error is reported as one ``Error:`` line, never as a traceback."""
    assert "Traceback" not in err
    assert err.startswith("Error: ") or "Invalid value" in err, err
    assert len([line for line in err.splitlines() if line.startswith("Error: ")]) <= 1


def device_copy(tmp_path: Path, name: str, major: int, minor: int) -> Path:
    """A node for the same device as /dev/<name> (root), else the real one (safe: no rights)."""
    if os.geteuid() != 0:
        return Path("/dev") / name
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except OSError as exc:
        pytest.skip(f"cannot make a device node: {exc}")
    return node


def _mount(path: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    path.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on an 8 KiB file system: anything larger fails with ENOSPC."""
    mnt = tmp_path / "full"
    _mount(mnt, "size=8k")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder on a read-only file system."""
    mnt = tmp_path / "ro"
    _mount(mnt, "size=64k,ro")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


# --- 1. -o never replaces a special file ---------------------------------------------------


def test_output_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, _, err, _ = invoke("case", "list", "--format", "csv", "-o", str(fifo))
        assert code == 0, err
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert os.read(reader, 1 << 16).decode().startswith("id,dyad,title")
    finally:
        os.close(reader)


def test_output_to_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target.name)
    code, _, err, _ = invoke("case", "list", "--format", "csv", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert target.read_text().startswith("id,dyad,title")


def test_output_to_dev_null_keeps_the_device(tmp_path: Path) -> None:
    null = device_copy(tmp_path, "null", 1, 3)
    code, _, err, _ = invoke("case", "schema", "-o", str(null))
    assert code == 0, err
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_output_to_dev_full_reports_disk_full(tmp_path: Path) -> None:
    full = device_copy(tmp_path, "full", 1, 7)
    code, _, err, _ = invoke("case", "schema", "-o", str(full))
    assert code == 1
    one_clear_line(err)
    assert f"{full}: No space left on device" in err
    assert stat.S_ISCHR(os.lstat(full).st_mode)


# --- 2. one error boundary -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["case", "schema", "-o"],
        ["indicators", "RUS", "CHN", "--format", "parquet", "-o"],
        ["theory", "power", "--from", "1950", "--to", "2010", "--format", "json", "-o"],
    ],
)
def test_disk_full_is_one_line_with_the_path(full_disk: Path, args: list[str]) -> None:
    out = full_disk / "out.file"
    code, _, err, _ = invoke(*args, str(out))
    assert code == 1
    one_clear_line(err)
    assert f"{out}: " in err and "No space left on device" in err
    assert list(full_disk.iterdir()) == []  # no temporary file left behind


def test_disk_full_while_writing_the_brief(full_disk: Path, monkeypatch) -> None:
    """The brief's last step (writing the HTML) on a full disk: one line, no traceback."""
    import dyadscope.report.assemble as assemble
    import dyadscope.report.brief as brief

    monkeypatch.setattr(assemble, "assemble", lambda *a, **k: {})
    monkeypatch.setattr(brief, "render_brief", lambda **parts: "<html>" + "x" * 50_000)
    out = full_disk / "brief.html"
    code, _, err, _ = invoke("brief", "RUS", "CHN", "-o", str(out))
    assert code == 1
    one_clear_line(err)
    assert f"{out}: No space left on device" in err


def test_read_only_output_fails_before_work(read_only: Path) -> None:
    out = read_only / "x.json"
    code, _, err, _ = invoke("case", "schema", "-o", str(out))
    assert code == 2
    assert "read-only file system" in err and str(out) in err
    assert "Traceback" not in err


def test_read_only_store_is_one_line(read_only: Path, shared_data: Path) -> None:
    store = read_only / "new.duckdb"
    nmc = shared_data / "cow" / "cow_nmc_v7.csv"
    code, _, err, _ = invoke("data", "load", "nmc", "--file", str(nmc), "--store", str(store))
    assert code != 0
    one_clear_line(err)
    assert str(store) in err and "Read-only file system" in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    full = device_copy(tmp_path, "full", 1, 7)
    code, _, _, exc = invoke("--debug", "case", "schema", "-o", str(full))
    assert code == 1 and isinstance(exc, OSError) and exc.filename == str(full)
    code, _, _, exc = invoke("case", "schema", "-o", str(full), env={"DYADSCOPE_DEBUG": "1"})
    assert isinstance(exc, OSError)
    code, _, _, exc = invoke("case", "schema", "-o", str(full))
    assert isinstance(exc, SystemExit)  # the boundary: an exit code, not the error


def test_the_console_script_prints_one_line(tmp_path: Path) -> None:
    """The real process (``python -m dyadscope``): no traceback on stderr, exit 1."""
    full = device_copy(tmp_path, "full", 1, 7)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "dyadscope", "case", "schema", "-o", str(full)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: {full}: No space left on device (the disk is full; free some space or "
        "write elsewhere)"
    ]


def test_absurd_draws_are_refused_naming_the_cap() -> None:
    code, _, err, exc = invoke("scenario", "run", "RUS", "CHN", "--draws", "9" * 20)
    assert code == 2, exc
    assert "Traceback" not in err and "1000000" in err and "--draws" in err


def test_absurd_years_and_turns_are_refused() -> None:
    code, _, err, _ = invoke("indicators", "RUS", "CHN", "--from", "9" * 20, "--to", "9" * 20)
    assert code == 2 and "--from" in err and "Traceback" not in err
    code, _, err, _ = invoke("theory", "game", "--turns", "9" * 20)
    assert code == 2 and "--turns" in err


# --- 3. bounds -------------------------------------------------------------------------------


def test_case_validate_refuses_dev_zero() -> None:
    code, _, err, _ = invoke("case", "validate", "/dev/zero")
    assert code == 2
    one_clear_line(err)
    assert "'/dev/zero' is not a regular file" in err


def test_case_validate_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    from dyadscope.case.validate import MAX_CASE_BYTES

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_CASE_BYTES + 1))
    code, _, err, _ = invoke("case", "validate", str(big))
    assert code == 2
    assert f"larger than the limit of {MAX_CASE_BYTES:,} bytes" in err


def test_draws_over_the_cap_name_the_parameter() -> None:
    import numpy as np

    from dyadscope.errors import InputError
    from dyadscope.scenario.fcm import FCM
    from dyadscope.scenario.montecarlo import MAX_DRAWS, monte_carlo

    m = FCM(
        ["lever", "win", "lose"],
        ["lever", "outcome", "outcome"],
        np.array([[0, 0.5, -0.5], [0, 0, 0], [0, 0, 0]]),
    )
    with pytest.raises(InputError, match=rf"^draws {MAX_DRAWS + 1} is above the limit"):
        monte_carlo(m, MAX_DRAWS + 1, initial=np.array([1.0, 0, 0]))


def test_chunks_are_bounded_and_do_not_change_results() -> None:
    """A chunk larger than MAX_CHUNK is cut (memory per chunk is bounded); same numbers."""
    import numpy as np

    from dyadscope.scenario.fcm import FCM
    from dyadscope.scenario.montecarlo import MAX_CHUNK, monte_carlo

    m = FCM(
        ["lever", "win", "lose"],
        ["lever", "outcome", "outcome"],
        np.array([[0, 0.5, -0.5], [0, 0, 0], [0, 0, 0]]),
        low=np.array([[0, -0.2, -0.9], [0, 0, 0], [0, 0, 0]]),
        high=np.array([[0, 0.9, 0.2], [0, 0, 0], [0, 0, 0]]),
    )
    start = np.array([1.0, 0, 0])
    draws = MAX_CHUNK + 1000
    seen: list[int] = []
    huge = monte_carlo(
        m, draws, initial=start, chunk_size=10**12, progress=lambda d, _: seen.append(d)
    )
    small = monte_carlo(m, draws, initial=start, chunk_size=4096)
    assert seen == [MAX_CHUNK, draws]
    assert np.array_equal(huge.category, small.category)


def test_sobol_n_over_the_cap() -> None:
    from dyadscope.case import load_case
    from dyadscope.errors import InputError
    from dyadscope.scenario.sensitivity import MAX_SOBOL_N, sobol_indices

    with pytest.raises(InputError, match="MAX_SOBOL_N"):
        sobol_indices(load_case(), "baseline", n=MAX_SOBOL_N * 2)


# --- 4. checks before any long work --------------------------------------------------------


@pytest.fixture
def no_brief_work(monkeypatch) -> None:
    import dyadscope.report.brief as brief

    def started(*_a: object, **_k: object) -> None:
        raise AssertionError("the brief was started before its arguments were checked")

    monkeypatch.setattr(brief, "build_brief", started)


def test_brief_unwritable_output_fails_before_work(tmp_path: Path, no_brief_work) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    code, _, err, _ = invoke("brief", "RUS", "CHN", "-o", str(blocker / "brief.html"))
    assert code == 2
    assert str(blocker / "brief.html") in err and "is a file" in err


def test_brief_wrong_events_store_fails_before_work(tmp_path: Path, no_brief_work) -> None:
    missing = tmp_path / "no_such_store"
    code, _, err, _ = invoke("brief", "RUS", "CHN", "--events-store", str(missing))
    assert code == 2
    assert str(missing) in err and "no such folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err, _ = invoke("brief", "RUS", "CHN", "--events-store", str(empty))
    assert code == 2 and "not an events store" in err


def test_output_is_checked_before_indicators_are_computed(tmp_path: Path, monkeypatch) -> None:
    import dyadscope.indicators as indicators

    monkeypatch.setattr(indicators, "compute", lambda *a, **k: pytest.fail("work started"))
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    code, _, err, _ = invoke("indicators", "RUS", "CHN", "-f", "csv", "-o", f"{blocker}/x.csv")
    assert code == 2 and "is a file" in err
    code, _, err, _ = invoke("indicators", "RUS", "CHN", "-f", "parquet")
    assert code == 2 and "needs -o" in err


# --- 5. theory reads country names like indicators ---------------------------------------


def test_theory_accepts_country_names() -> None:
    code, out, err, _ = invoke(
        "theory", "interdependence", "russia", "china", "--from", "2012", "--to", "2013"
    )
    assert code == 0, err
    assert "RUS" in out and "CHN" in out
    code, out, err, _ = invoke(
        "theory", "power", "--from", "2010", "--to", "2010", "--coalition", "russia,china",
        "--rival", "united states", "-f", "csv",
    )  # fmt: skip
    assert code == 0, err


# --- 6. shared options and library messages ------------------------------------------------

#: Command groups not yet on the shared options (none: every group takes them).
NOT_YET_SHARED: set[str] = set()

SHARED_FLAGS = ("--store", "--output", "--format", "--from", "--to", "--events-store")


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)
        else:
            yield " ".join(path), cmd


def _shared_definitions() -> dict[str, set[str]]:
    """Help text of each shared option alias of ``cli/_common.py``, by flag."""
    import dyadscope.cli._common as common

    defined: dict[str, set[str]] = {}
    for value in vars(common).values():
        for meta in getattr(value, "__metadata__", ()):
            if isinstance(meta, typer.models.OptionInfo) and not meta.hidden:
                names = [meta.default, *meta.param_decls]
                for flag in set(SHARED_FLAGS) & {n for n in names if isinstance(n, str)}:
                    defined.setdefault(flag, set()).add(meta.help or "")
    return defined


def test_shared_options_have_one_help_text() -> None:
    """Every ``--store``, ``-o``, ``--format``, ``--from``/``--to``, ``--events-store``
    of every command is one of the aliases of ``cli/_common.py`` (deprecated, hidden
    aliases aside), and ``--store`` always means a DuckDB file."""
    root = typer.main.get_command(app)
    defined = _shared_definitions()
    helps: dict[str, set[str]] = {}
    stray: list[str] = []
    for name, cmd in _commands(root):
        if name.split()[0] in NOT_YET_SHARED:
            continue
        for param in cmd.params:
            if getattr(param, "hidden", False) or getattr(param, "is_argument", 0):
                continue
            for opt in SHARED_FLAGS:
                if opt in getattr(param, "opts", []):
                    helps.setdefault(opt, set()).add(param.help or "")
                    # `case graph` writes graph formats and `brief` documents (html,
                    # pdf), not frames: their --format has its own choices and help.
                    own = {("case graph", "--format"), ("brief", "--format")}
                    if (param.help or "") not in defined.get(opt, set()) and (name, opt) not in own:
                        stray.append(f"{name} {opt}")
    assert stray == []
    assert helps["--store"] == defined["--store"] and len(defined["--store"]) == 1
    assert helps["--output"] == defined["--output"] and len(defined["--output"]) == 1
    # --format of `case graph` lists graph formats; years and days for --from/--to.
    assert len(helps["--format"]) <= 3
    assert len(helps["--from"]) <= 2 and len(helps["--to"]) <= 3


def test_events_commands_take_events_store(tmp_path: Path) -> None:
    """The events folder is ``--events-store`` (checked early); ``--store`` still works."""
    missing = tmp_path / "no_such_store"
    for args in (["series", "RUS", "CHN"], ["top", "RUS", "CHN", "--month", "2019-10"],
                 ["status"], ["compare", "RUS", "CHN"]):  # fmt: skip
        code, _, err, _ = invoke("events", *args, "--events-store", str(missing))
        assert code == 2 and "no such folder" in err, (args, err)
    code, out, err, _ = invoke("events", "status", "--store", str(tmp_path))
    assert code == 0 and "nothing ingested" in out
    assert "--store is deprecated here; use --events-store" in err
    made = tmp_path / "made"
    made.mkdir()
    (made / "catalog.duckdb").touch()  # passes the early check; never opened
    code, _, err, _ = invoke("events", "status", "--store", str(made), "--events-store", str(made))
    assert code == 2 and "give --events-store only" in err


def test_events_series_takes_from_and_to(tmp_path: Path, monkeypatch) -> None:
    """``events series --from/--to`` (a day, a month or a year); ``--start/--end`` still work."""
    import datetime as dt

    import pandas as pd

    import dyadscope.events as ev

    seen: list[tuple[object, object]] = []

    def fake(store_dir: object, a: str, b: str, **kw: object) -> pd.DataFrame:
        seen.append((kw["start"], kw["end"]))
        return pd.DataFrame({"period": []})

    monkeypatch.setattr(ev, "series", fake)
    code, _, err, _ = invoke("events", "series", "RUS", "CHN", "--from", "2019", "--to", "2020-02")
    assert code == 0, err
    code, _, err, _ = invoke("events", "series", "RUS", "CHN", "--start", "2019-03-04")
    assert code == 0 and "--start is deprecated" in err
    assert seen == [(dt.date(2019, 1, 1), dt.date(2020, 2, 29)), (dt.date(2019, 3, 4), None)]
    code, _, err, _ = invoke("events", "series", "RUS", "CHN", "--from", "May 2019")
    assert code == 2 and "--from 'May 2019'" in err


def test_data_commands_check_output_early(tmp_path: Path) -> None:
    """``data list``/``coverage``/``update`` take the shared ``-o`` (checked before work)."""
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    for args in (["list"], ["coverage", "RUS", "CHN"], ["update", "--list"]):
        code, _, err, _ = invoke("data", *args, "-f", "csv", "-o", str(blocker / "x.csv"))
        assert code == 2 and "is a file" in err, (args, err)
    code, _, err, _ = invoke("data", "update", "--list", "-f", "csv", "-o", str(tmp_path / "p"))
    assert code == 0, err
    assert (tmp_path / "p").read_text().startswith("provider")


#: A ``--flag`` in a message, unless it is part of a whole command line to run
#: (``dyadscope data load unga_votes --file PATH`` tells what to do, and is fine).
FLAG = re.compile(r"^(?!.*dyadscope ).*(^|[\s`(])--[a-z]", re.S)


def test_library_messages_name_parameters_not_flags() -> None:
    """No ``raise`` in the library packages has a message naming a ``--flag``."""
    offenders = []
    for package in ("theory", "indicators", "scenario", "case", "report"):
        for path in sorted((SRC / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Raise) and node.exc is not None:
                    for const in ast.walk(node.exc):
                        text = const.value if isinstance(const, ast.Constant) else None
                        if isinstance(text, str) and FLAG.search(text):
                            offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_compute_says_start_and_end(store) -> None:
    from dyadscope.errors import InputError
    from dyadscope.indicators import compute

    with pytest.raises(InputError, match=r"^start 2010 is after end 2000$"):
        compute(store, "RUS", "CHN", 2010, 2000)
